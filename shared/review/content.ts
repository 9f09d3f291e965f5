import type { FigureParams } from '../figures/types';
import { parseLexical, ContentError, type LxBlock, type LxInline, type LxListItem } from '../document/lexical';

/**
 * Reads a section's Lexical content into what review needs: the sentences that hold live figures or citations (the
 * candidates for claims), the figure blocks, the headings with their raw levels, and the tables. It reuses the
 * exporters' parser so that review sees exactly the content an export would print.
 */

/** Where something is in a report, in terms a reviewer can find: the section, the block (paragraph) and sentence. */
export interface Location {
  sectionId: string;
  sectionTitle: string;
  /** 1-based position of the block (paragraph, list, table, figure) in the section. */
  paragraph?: number;
  /** 1-based sentence in the paragraph. */
  sentence?: number;
}

export interface FigureMention {
  figureId: string;
  /** The node's own overrides; the report's parameters are merged in when evaluating. */
  params?: FigureParams;
  part?: string;
  display: 'inline' | 'table' | 'chart';
  caption?: string;
  paragraph: number;
  sentence?: number;
}

export interface CitationMention {
  evidenceId: string;
  locator?: string;
}

/** A sentence as a run of segments, so that figures can be shown with their current value. */
export type Segment = { kind: 'text'; text: string } | { kind: 'figure'; mention: FigureMention } | { kind: 'citation'; citation: CitationMention };

export interface Sentence {
  paragraph: number;
  sentence: number;
  segments: Segment[];
  figures: FigureMention[];
  citations: CitationMention[];
}

export interface SectionContent {
  sentences: Sentence[];
  figureBlocks: FigureMention[];
  /** Every figure the section shows, inline and as blocks, in reading order. */
  figures: FigureMention[];
  /** Raw heading levels (h1..h6) as written, before the exporters clamp them. */
  headings: { level: number; text: string; paragraph: number }[];
  tables: { paragraph: number; rows: number; headerRow: boolean }[];
  /** Repairs the parser made, or why the content could not be read at all. */
  problems: string[];
  unreadable: boolean;
}

// A sentence ends at . ! ? (optionally followed by closing quotes or brackets) and then white space. Decimals
// ("1.2 million") and abbreviations inside a word are not split because no white space follows the stop.
const SENTENCE_END = /[.!?]["'”’)\]]*\s+/g;

export function readSection(content: unknown, where = 'section'): SectionContent {
  const out: SectionContent = { sentences: [], figureBlocks: [], figures: [], headings: [], tables: [], problems: [], unreadable: false };
  let blocks: LxBlock[];
  try {
    const parsed = parseLexical(content, where);
    blocks = parsed.blocks;
    out.problems.push(...parsed.problems);
  } catch (e) {
    if (!(e instanceof ContentError)) throw e;
    out.problems.push(e.message);
    out.unreadable = true;
    return out;
  }
  const rawLevels = rawHeadingLevels(content);
  let headingNo = 0;
  blocks.forEach((b, i) => {
    const paragraph = i + 1;
    switch (b.type) {
      case 'paragraph':
      case 'quote':
        splitSentences(b.children, paragraph, out);
        break;
      case 'list': {
        const walk = (l: { items: LxListItem[] }): void => {
          for (const it of l.items) {
            splitSentences(it.children, paragraph, out);
            for (const s of it.sublists) walk(s);
          }
        };
        walk(b);
        break;
      }
      case 'table':
        out.tables.push({ paragraph, rows: b.rows.length, headerRow: (b.rows[0] ?? []).some((c) => c.header) });
        for (const row of b.rows) for (const c of row) splitSentences(c.children, paragraph, out);
        break;
      case 'heading': {
        const level = rawLevels[headingNo] ?? b.level;
        headingNo++;
        out.headings.push({ level, text: inlineText(b.children), paragraph });
        break;
      }
      case 'figure-block': {
        const m: FigureMention = {
          figureId: b.figureId,
          display: b.display,
          paragraph,
          ...(b.params ? { params: b.params } : {}),
          ...(b.caption ? { caption: b.caption } : {}),
        };
        out.figureBlocks.push(m);
        out.figures.push(m);
        break;
      }
      case 'page-break':
        break;
    }
  });
  return out;
}

/** Splits a paragraph's inlines into sentences; a citation right after a full stop belongs to the sentence it follows. */
function splitSentences(inlines: LxInline[], paragraph: number, out: SectionContent): void {
  const flat = flatten(inlines);
  const next = (): number => out.sentences.filter((s) => s.paragraph === paragraph).length + 1;
  let current: Sentence = { paragraph, sentence: next(), segments: [], figures: [], citations: [] };
  // Set once a sentence has ended: citations still attach to it, the next words start a new one.
  let ended = false;
  const push = (): void => {
    if (current.segments.some((s) => s.kind !== 'text' || s.text.trim())) out.sentences.push(current);
    current = { paragraph, sentence: next(), segments: [], figures: [], citations: [] };
    ended = false;
  };
  for (const x of flat) {
    if (x.type === 'evidence-citation') {
      const c: CitationMention = { evidenceId: x.evidenceId, ...(x.locator ? { locator: x.locator } : {}) };
      current.segments.push({ kind: 'citation', citation: c });
      current.citations.push(c);
      continue;
    }
    if (x.type === 'live-figure') {
      if (ended) push();
      const m: FigureMention = {
        figureId: x.figureId,
        display: 'inline',
        paragraph,
        sentence: current.sentence,
        ...(x.params ? { params: x.params } : {}),
        ...(x.part ? { part: x.part } : {}),
      };
      current.segments.push({ kind: 'figure', mention: m });
      current.figures.push(m);
      out.figures.push(m);
      continue;
    }
    let text = x.text;
    while (text.length) {
      if (ended) {
        const lead = /^\s*/.exec(text)![0];
        if (lead) current.segments.push({ kind: 'text', text: lead });
        text = text.slice(lead.length);
        if (!text) break;
        push();
      }
      SENTENCE_END.lastIndex = 0;
      const m = SENTENCE_END.exec(text);
      if (!m) {
        current.segments.push({ kind: 'text', text });
        // A stop at the very end of a run also ends the sentence (the next run or node may be a citation).
        if (/[.!?]["'”’)\]]*$/.test(text)) ended = true;
        break;
      }
      const end = m.index + m[0].trimEnd().length;
      current.segments.push({ kind: 'text', text: text.slice(0, end) });
      ended = true;
      text = text.slice(end);
    }
  }
  push();
}

type Flat = { type: 'text'; text: string } | Extract<LxInline, { type: 'live-figure' | 'evidence-citation' }>;

function flatten(xs: LxInline[]): Flat[] {
  const out: Flat[] = [];
  for (const x of xs) {
    if (x.type === 'text') out.push({ type: 'text', text: x.text });
    else if (x.type === 'linebreak') out.push({ type: 'text', text: ' ' });
    else if (x.type === 'link') out.push(...flatten(x.children));
    else out.push(x);
  }
  return out;
}

function inlineText(xs: LxInline[]): string {
  return flatten(xs)
    .map((x) => (x.type === 'text' ? x.text : ''))
    .join('')
    .trim();
}

/** The parser clamps h4..h6 to h3; a skipped level check needs the levels as the editor wrote them. */
function rawHeadingLevels(content: unknown): number[] {
  let json = content;
  if (typeof content === 'string') {
    try {
      json = JSON.parse(content);
    } catch {
      return [];
    }
  }
  const levels: number[] = [];
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    const o = n as { type?: unknown; tag?: unknown; children?: unknown };
    if (o.type === 'heading') {
      const m = /^h([1-6])$/.exec(String(o.tag ?? ''));
      levels.push(m ? Number(m[1]) : 2);
      return;
    }
    // Only block-level containers the parser unwraps (unknown elements) can hold headings; tables and lists cannot.
    if (o.type !== 'table' && o.type !== 'list' && Array.isArray(o.children)) o.children.forEach(visit);
  };
  const root = (json as { root?: { children?: unknown } } | null)?.root;
  if (root && Array.isArray(root.children)) root.children.forEach(visit);
  return levels;
}

/** The plain text of a sentence, with each figure shown through `figureText`. */
export function sentenceText(s: Sentence, figureText: (m: FigureMention) => string): string {
  return s.segments
    .map((seg) => (seg.kind === 'text' ? seg.text : seg.kind === 'figure' ? figureText(seg.mention) : ''))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}
