/**
 * Find and replace over a section's Lexical JSON, as the editor's report-wide find does it for sections that are not
 * open: only the author's text is searched (text nodes), never a live figure, a citation, template guidance or any
 * other node whose text is data. A match lies within one text node, as it does on the page, where each text node is
 * one run of text.
 */

export interface FindOptions {
  matchCase: boolean;
  /** Only whole words: the match is not preceded or followed by a letter, digit or underscore. */
  wholeWord: boolean;
}

/** The pattern for a query, or undefined for an empty one. The same pattern is used on the page and on the JSON. */
export function findPattern(query: string, opts: FindOptions): RegExp | undefined {
  if (!query) return undefined;
  const escaped = query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const body = opts.wholeWord ? `(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])` : escaped;
  return new RegExp(body, `gu${opts.matchCase ? '' : 'i'}`);
}

/** The start and length of every match in one run of text. */
export function matchesIn(text: string, pattern: RegExp): { start: number; length: number }[] {
  const out: { start: number; length: number }[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    out.push({ start: m.index, length: m[0].length });
  }
  return out;
}

interface LxNode {
  type?: string;
  text?: string;
  children?: LxNode[];
}

function textNodes(json: string): { root: LxNode; nodes: LxNode[] } | undefined {
  let doc: { root?: LxNode };
  try {
    doc = JSON.parse(json) as { root?: LxNode };
  } catch {
    return undefined;
  }
  if (!doc.root) return undefined;
  const nodes: LxNode[] = [];
  const walk = (n: LxNode): void => {
    if (n.type === 'text' && typeof n.text === 'string') nodes.push(n);
    // Only element nodes hold the author's text; decorators (figures, citations, guidance) have none as children.
    for (const c of n.children ?? []) walk(c);
  };
  walk(doc.root);
  return { root: doc.root, nodes };
}

/** How many matches a section's content holds. */
export function countInLexical(json: string, query: string, opts: FindOptions): number {
  const pattern = findPattern(query, opts);
  const t = pattern ? textNodes(json) : undefined;
  if (!pattern || !t) return 0;
  return t.nodes.reduce((n, node) => n + matchesIn(node.text!, pattern).length, 0);
}

/** The content with every match replaced, and how many there were; the JSON unchanged when there were none. */
export function replaceInLexical(json: string, query: string, replacement: string, opts: FindOptions): { json: string; count: number } {
  const pattern = findPattern(query, opts);
  const doc = pattern ? (JSON.parse(json) as { root?: LxNode }) : undefined;
  if (!pattern || !doc?.root) return { json, count: 0 };
  let count = 0;
  const walk = (n: LxNode): void => {
    if (n.type === 'text' && typeof n.text === 'string') {
      const found = matchesIn(n.text, pattern);
      if (found.length) {
        count += found.length;
        let out = '';
        let at = 0;
        for (const m of found) {
          out += n.text.slice(at, m.start) + replacement;
          at = m.start + m.length;
        }
        n.text = out + n.text.slice(at);
      }
    }
    for (const c of n.children ?? []) walk(c);
  };
  walk(doc.root);
  return count ? { json: JSON.stringify(doc), count } : { json, count: 0 };
}
