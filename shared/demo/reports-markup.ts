import { lxCite, lxFigure, lxFigureBlock, lxHeading, lxList, lxPageBreak, lxParagraph, lxQuote, lxRoot, lxTable, lxText, TEXT_FORMAT } from '../document/lexical';
import type { FigureRef } from '../figures/types';
import type { ProseBlock } from './reports-prose';

/**
 * Turns the demo reports' markup (see reports-prose.ts) into the Lexical JSON the editor saves. Figure keys and
 * evidence tokens are resolved by the caller; an unresolved one is an error, so the demo never ships a broken report.
 */

export interface MarkupResolver {
  figure(key: string): FigureRef;
  evidence(token: string): string;
}

type J = Record<string, unknown>;

const TOKEN = /\{([^{}]+)\}|\[\^([^\]]+)\]|\*\*([^*]+)\*\*|\*([^*]+)\*/g;

export function inlineMarkup(text: string, r: MarkupResolver): J[] {
  const out: J[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (m.index! > last) out.push(lxText(text.slice(last, m.index)));
    if (m[1]) {
      const ref = r.figure(m[1]);
      const [, part] = m[1].split('#');
      out.push(lxFigure(ref.figureId, part, ref.params));
    } else if (m[2]) out.push(lxCite(r.evidence(m[2])));
    else if (m[3]) out.push(...inlineMarkup(m[3], r).map((n) => (n.type === 'text' ? { ...n, format: TEXT_FORMAT.bold } : n)));
    else if (m[4]) out.push(lxText(m[4], TEXT_FORMAT.italic));
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push(lxText(text.slice(last)));
  return out;
}

export function blocksToLexical(blocks: ProseBlock[], r: MarkupResolver): { root: J } {
  const children: J[] = blocks.map((b) => {
    if (typeof b === 'string') return lxParagraph(inlineMarkup(b, r));
    if ('h' in b) return lxHeading(2, b.h);
    if ('quote' in b) return lxQuote(inlineMarkup(b.quote, r));
    if ('list' in b) return lxList(!!b.ordered, b.list.map((item) => inlineMarkup(item, r)));
    if ('chart' in b) {
      const ref = r.figure(b.chart);
      return lxFigureBlock(ref.figureId, 'chart', b.caption, ref.params, b.title);
    }
    if ('table' in b) {
      const ref = r.figure(b.table);
      return lxFigureBlock(ref.figureId, 'table', b.caption, ref.params);
    }
    if ('grid' in b) return lxTable(b.grid);
    return lxPageBreak();
  });
  return lxRoot(children);
}

/** Every figure key and evidence token the markup uses, for checks and counts. */
export function markupTokens(blocks: ProseBlock[]): { inline: string[]; blocks: string[]; evidence: string[] } {
  const inline: string[] = [];
  const evidence: string[] = [];
  const blockKeys: string[] = [];
  const scan = (t: string) => {
    for (const m of t.matchAll(TOKEN)) {
      if (m[1]) inline.push(m[1]);
      if (m[2]) evidence.push(m[2]);
      if (m[3]) scan(m[3]);
    }
  };
  for (const b of blocks) {
    if (typeof b === 'string') scan(b);
    else if ('quote' in b) scan(b.quote);
    else if ('list' in b) b.list.forEach(scan);
    else if ('chart' in b) blockKeys.push(b.chart);
    else if ('table' in b) blockKeys.push(b.table);
  }
  return { inline, blocks: blockKeys, evidence };
}
