import { parseLexical, type LxBlock, type LxInline } from './lexical';

/**
 * Where comments sit in a section's text. A comment's passage is a mark around the words (the editor's MarkNode, with
 * the comment's id); a comment made before the editor had marks has only the words it quoted. Read without a DOM, for
 * the review screen (which comments have lost their passage) and the editor (which old comments can be given a mark).
 */

/** Each paragraph's plain text, as one string per block (the text a passage can be found in), and the marked passages. */
export interface SectionText {
  /** The author's text of each block (paragraph, heading, quote, list item, table cell), in reading order. */
  blocks: string[];
  /** Comment id → the words its marks hold, in reading order (a passage split over blocks is joined by a space). */
  marked: Map<string, string>;
}

export function sectionText(content: string): SectionText {
  const blocks: string[] = [];
  const marked = new Map<string, string[]>();
  let parsed: LxBlock[] = [];
  try {
    parsed = parseLexical(content).blocks;
  } catch {
    parsed = [];
  }
  const run = (xs: LxInline[]): string => {
    let text = '';
    for (const x of xs) {
      if (x.type === 'text') {
        text += x.text;
        for (const id of x.comments ?? []) {
          const parts = marked.get(id) ?? [];
          parts.push(x.text);
          marked.set(id, parts);
        }
      } else if (x.type === 'linebreak') text += '\n';
      else if (x.type === 'link') text += run(x.children);
    }
    return text;
  };
  const block = (b: LxBlock): void => {
    switch (b.type) {
      case 'paragraph':
      case 'heading':
      case 'quote':
        blocks.push(run(b.children));
        break;
      case 'list':
        for (const it of b.items) {
          blocks.push(run(it.children));
          for (const l of it.sublists) block(l);
        }
        break;
      case 'table':
        for (const r of b.rows) for (const c of r) blocks.push(run(c.children));
        break;
      default:
        break;
    }
  };
  parsed.forEach(block);
  return { blocks, marked: new Map([...marked].map(([id, parts]) => [id, parts.join('')])) };
}

/** How many times a quoted passage occurs in a section's text (within one block, as a passage is written). */
export function quoteOccurrences(text: SectionText, quote: string): number {
  const q = quote.trim();
  if (!q) return 0;
  let n = 0;
  for (const b of text.blocks) {
    for (let at = b.indexOf(q); at >= 0; at = b.indexOf(q, at + 1)) n++;
  }
  return n;
}

/**
 * Where a comment stands: on its marked passage; on words it quoted that occur exactly once (a comment from before
 * marks), so the editor will mark them when the section is next opened; or detached (its passage was deleted, or an old
 * comment's words are not found exactly once). A comment that had a mark never falls back to its quote.
 */
export type CommentPlace = 'marked' | 'quoted' | 'detached';

export function commentPlace(text: SectionText, c: { id: string; quote: string | null; hadMark: boolean }): CommentPlace {
  if (text.marked.has(c.id)) return 'marked';
  return !c.hadMark && c.quote && quoteOccurrences(text, c.quote) === 1 ? 'quoted' : 'detached';
}

/** What a section says, as the exporters read it, without its comment marks: runs the marks split are joined again. */
function unmarked(content: string): string | undefined {
  let blocks: LxBlock[];
  try {
    blocks = parseLexical(content).blocks;
  } catch {
    return undefined;
  }
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const x of v.map(norm)) {
        const last = out[out.length - 1] as LxInline | undefined;
        const cur = x as LxInline;
        if (last?.type === 'text' && cur?.type === 'text' && last.format === cur.format) out[out.length - 1] = { ...last, text: last.text + cur.text };
        else out.push(x);
      }
      return out;
    }
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'comments').map(([k, x]) => [k, norm(x)]));
    return v;
  };
  return JSON.stringify(norm(blocks));
}

/**
 * Whether two versions of a section differ only in their comment marks (a comment made, or an old one given its mark):
 * not a change to what it says, so the section keeps its last editor, and whoever commented may still approve it.
 * Read as the exporters read it, so the editor writing the same words in its own JSON is no change either.
 */
export function sameApartFromMarks(a: string, b: string): boolean {
  if (a === b) return true;
  if (!a.includes('"mark"') && !b.includes('"mark"')) return false;
  const ua = unmarked(a);
  return ua !== undefined && ua === unmarked(b);
}
