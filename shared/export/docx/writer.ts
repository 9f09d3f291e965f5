import {
  AlignmentType,
  BuilderElement,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  ExternalHyperlink,
  FootnoteReferenceRun,
  HeadingLevel,
  ImageRun,
  LineRuleType,
  Paragraph,
  Run,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TextRun,
  TableLayoutType,
  VerticalAlignTable,
  WidthType,
  type XmlComponent,
  type ParagraphChild,
} from 'docx';
import type { DocBlock, DocChart, DocFigureTable, DocInline, DocListItem, DocTree } from '../../document/tree';
import { BULLETS, NUMBERS, TABLE_STYLE } from './styles';
import { hex } from './units';

/**
 * The body of the Word edition: one writer per block type and per inline type, so a new block type is one entry in
 * a table (and the compiler insists on it). Annotations (Word comments anchored on a figure, a citation or a block)
 * come from the caller: the review copy uses them to attach provenance without rewriting the writer's XML.
 */

export type DocxChild = Paragraph | Table | TableOfContents;

/** Word comments to anchor on nodes of the tree, by the node objects themselves. */
export interface DocxAnnotations {
  /** Comment ids to anchor on an inline (its text is the range; a footnote mark gets a point just before it). */
  inline(x: DocInline): readonly number[] | undefined;
  /**
   * A comment range that runs over several runs of text (a reviewer's comment on a passage): the ids whose range starts
   * before this run, and those whose range ends after it.
   */
  range?(x: DocInline): { start: readonly number[]; end: readonly number[] } | undefined;
  /** Comment ids to anchor on a block (its caption, for figures and tables). */
  block(b: DocBlock): readonly number[] | undefined;
  comments: readonly { id: number; author: string; initials: string; date: Date; paragraphs: readonly string[] }[];
}

/** What every writer needs: the tree, its charts rasterised, and the list counter. */
export interface WriterContext {
  doc: DocTree;
  pngs: Map<string, { data: Uint8Array; width: number; height: number }>;
  annotations?: DocxAnnotations;
  nextListInstance(): number;
}

/**
 * A caption's SEQ field as Word writes one: begin, instruction, separator, result and end each in a run of their own,
 * with the number already written as the result, so captions read "Figure 3" in any application (pandoc, LibreOffice,
 * a screen reader) before or without updating fields; Word renumbers them itself when it updates.
 */
class FieldPart extends Run {
  constructor(part: XmlComponent) {
    super({});
    this.root.push(part);
  }
}

const fieldChar = (type: 'begin' | 'separate' | 'end') => new FieldPart(new BuilderElement({ name: 'w:fldChar', attributes: { type: { key: 'w:fldCharType', value: type } } }));

class InstrText extends BuilderElement<{ space: string }> {
  constructor(text: string) {
    super({ name: 'w:instrText', attributes: { space: { key: 'xml:space', value: 'preserve' } } });
    this.root.push(text);
  }
}

function seqField(label: string, n: number): ParagraphChild[] {
  return [fieldChar('begin'), new FieldPart(new InstrText(` SEQ ${label} \\* ARABIC `)), fieldChar('separate'), new TextRun(String(n)), fieldChar('end')];
}

/** A comment range around runs; a point range (no runs) sits before whatever follows. */
function annotated(ids: readonly number[] | undefined, children: ParagraphChild[]): ParagraphChild[] {
  if (!ids?.length) return children;
  return [
    ...ids.map((id) => new CommentRangeStart(id)),
    ...children,
    ...ids.flatMap((id) => [new CommentRangeEnd(id), new TextRun({ children: [new CommentReference(id)] })]),
  ];
}

/** A run inside comment ranges that may begin before it or end after it. */
function ranged(r: { start: readonly number[]; end: readonly number[] } | undefined, children: ParagraphChild[]): ParagraphChild[] {
  if (!r) return children;
  return [
    ...r.start.map((id) => new CommentRangeStart(id)),
    ...children,
    ...r.end.flatMap((id) => [new CommentRangeEnd(id), new TextRun({ children: [new CommentReference(id)] })]),
  ];
}

type RunBase = { bold?: boolean; color?: string };
type InlineWriter<K extends DocInline['type']> = (x: Extract<DocInline, { type: K }>, ctx: WriterContext, base: RunBase, prev: DocInline | undefined) => ParagraphChild[];

const INLINE_WRITERS: { [K in DocInline['type']]: InlineWriter<K> } = {
  text: (x, ctx, base) => ranged(ctx.annotations?.range?.(x), [
    new TextRun({
      text: x.text,
      bold: x.bold || base.bold,
      italics: x.italic,
      underline: x.underline ? {} : undefined,
      strike: x.strike,
      subScript: x.sub,
      superScript: x.sup,
      ...(x.code ? { font: 'Liberation Mono' } : {}),
      ...(base.color ? { color: base.color } : {}),
    }),
  ]),
  link: (x, ctx) => [new ExternalHyperlink({ link: x.url, children: runs(x.children, ctx).filter((r): r is TextRun => r instanceof TextRun) })],
  figure: (x, ctx, base) =>
    annotated(ctx.annotations?.inline(x), [
      new TextRun({ text: x.text, ...(x.error ? { highlight: 'yellow' } : {}), ...(base.bold ? { bold: true } : {}), ...(base.color ? { color: base.color } : {}) }),
    ]),
  note: (x, ctx, _base, prev) => [
    ...annotated(ctx.annotations?.inline(x), []),
    // Adjacent notes are separated ("15,16"), or they read as one number.
    ...(prev?.type === 'note' ? [new TextRun({ text: ',', superScript: true })] : []),
    // Word gives every footnote mark a note of its own: each reference is its own footnote (docx/index.ts), the same
    // source's text again where it is cited again.
    new FootnoteReferenceRun(x.ref),
  ],
  break: () => [new TextRun({ break: 1 })],
};

export function runs(xs: DocInline[], ctx: WriterContext, base: RunBase = {}): ParagraphChild[] {
  return xs.flatMap((x, i) => (INLINE_WRITERS[x.type] as InlineWriter<typeof x.type>)(x as never, ctx, base, xs[i - 1]));
}

function plainText(xs: DocInline[]): string {
  return xs.map((x) => (x.type === 'text' || x.type === 'figure' ? x.text : x.type === 'link' ? plainText(x.children) : '')).join('');
}

// ----------------------------------------------------------------------------------------------------- tables ----
/**
 * Tables take their look from one named table style in styles.xml (styles.ts, TABLE_STYLE: header row, banding, rules
 * and cell margins), so an editor restyles every table at once in Word; cells carry only their text and alignment.
 * Rows never split across pages, and rows keep with the next one so that a short table moves whole to the next page and
 * a long one never leaves its first or last row alone.
 */
const SHORT_TABLE_ROWS = 15;

/** Whether row i of n (the header included) keeps with the next: all rows of a short table; the ends of a long one. */
export function keepRowWithNext(i: number, n: number): boolean {
  if (n <= SHORT_TABLE_ROWS) return true;
  return i < 2 || i >= n - 3;
}

/**
 * Column widths in twips from the content: each column as wide as its longest cell (a header may wrap at its spaces),
 * within bounds, the label (first) column given the room its text needs and numeric columns kept narrow and equal,
 * then scaled to the text width. No column is narrower than its header's longest word set in bold (with the cell's
 * margins), so a header wraps only at its spaces, never inside a word ("improveme/nt"): the room comes from the
 * columns that have more than they need, the label column first.
 */
export function columnWidths(head: { text: string; numeric: boolean }[], rows: string[][], totalTwip: number, fit: { charTwip: number; marginTwip: number } = { charTwip: 0, marginTwip: 0 }): number[] {
  const n = head.length;
  if (n === 0) return [];
  const longestWord = (t: string) => Math.max(0, ...t.split(/\s+/).map((w) => w.length));
  const chars = head.map((h, j) => Math.max(...rows.map((r) => (r[j] ?? '').length), longestWord(h.text), Math.min(h.text.length, h.numeric ? 12 : 24)));
  // Numeric columns share one width, so that figures line up and compare; text columns as their text needs.
  const numericWant = Math.max(0, ...chars.map((c, j) => (head[j]!.numeric ? Math.min(Math.max(c, 6), 14) : 0)));
  const want = chars.map((c, j) => (head[j]!.numeric ? numericWant : Math.min(Math.max(c, 8), j === 0 ? 48 : 32)));
  // The first, label column is never narrower than half as wide again as a numeric column.
  if (!head[0]!.numeric && numericWant) want[0] = Math.max(want[0]!, Math.round(numericWant * 1.5));
  const sum = want.reduce((a, b) => a + b, 0);
  const out = want.map((w) => Math.round((w / sum) * totalTwip));
  // The least each column may have: its header's longest word on one line (numeric columns alike, as they share a width).
  const wordMin = head.map((h) => Math.ceil(longestWord(h.text) * fit.charTwip + fit.marginTwip));
  const numericMin = Math.max(0, ...wordMin.filter((_, j) => head[j]!.numeric));
  const min = wordMin.map((w, j) => Math.min(head[j]!.numeric ? numericMin : w, Math.floor(totalTwip / n)));
  for (let pass = 0; pass < n; pass++) {
    const short = out.reduce((a, w, j) => a + Math.max(0, min[j]! - w), 0);
    if (short <= 0) break;
    const spare = out.map((w, j) => Math.max(0, w - min[j]!));
    const spareSum = spare.reduce((a, b) => a + b, 0);
    if (spareSum <= 0) break;
    const take = Math.min(short, spareSum);
    for (let j = 0; j < n; j++) out[j] = out[j]! < min[j]! ? min[j]! : out[j]! - Math.round((spare[j]! / spareSum) * take);
  }
  out[0]! += totalTwip - out.reduce((a, b) => a + b, 0);
  return out;
}

/** How wide a header's characters are: Arial-like bold at the table size averages under 0.62 em a character. */
function headerFit(ctx: WriterContext): { charTwip: number; marginTwip: number } {
  return { charTwip: ctx.doc.style.sizes.tablePt * 20 * 0.62, marginTwip: 2 * 90 + 40 };
}

/** The text width of the page in twips. */
function textWidthTwip(ctx: WriterContext): number {
  const m = ctx.doc.style.page.marginMm;
  return Math.round(((210 - m.left - m.right) / 25.4) * 1440);
}

function styledTable(rows: TableRow[], widths: number[]): Table {
  const total = widths.reduce((a, b) => a + b, 0);
  return new Table({
    style: TABLE_STYLE,
    width: { size: total, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    tableLook: { firstRow: true, lastRow: false, firstColumn: false, lastColumn: false, noHBand: false, noVBand: true },
    rows,
  });
}

function cell(children: ParagraphChild[], numeric: boolean, keepNext: boolean, width: number, header: boolean, span = 1): TableCell {
  return new TableCell({
    columnSpan: span,
    width: { size: width, type: WidthType.DXA },
    ...(header ? { verticalAlign: VerticalAlignTable.BOTTOM } : {}),
    children: [new Paragraph({ style: 'TableText', keepNext, keepLines: true, alignment: numeric ? AlignmentType.RIGHT : AlignmentType.LEFT, children })],
  });
}

function caption(ctx: WriterContext, b: DocBlock, label: 'Figure' | 'Table', n: number, text: string): Paragraph {
  return new Paragraph({
    style: 'Caption',
    keepNext: true,
    children: annotated(ctx.annotations?.block(b), [new TextRun({ text: `${label} ` }), ...seqField(label, n), new TextRun({ text: `: ${text}` })]),
  });
}

const source = (text: string) => new Paragraph({ style: 'Source', children: [new TextRun(text)] });

function figureTable(t: DocFigureTable, ctx: WriterContext): DocxChild[] {
  const widths = columnWidths(t.head, t.rows, textWidthTwip(ctx), headerFit(ctx));
  const n = t.rows.length + 1;
  return [
    caption(ctx, t, 'Table', t.number, t.caption),
    styledTable(
      [
        new TableRow({ tableHeader: true, cantSplit: true, children: t.head.map((h, j) => cell([new TextRun(h.text)], h.numeric, keepRowWithNext(0, n), widths[j]!, true)) }),
        ...t.rows.map((r, i) => new TableRow({ cantSplit: true, children: r.map((v, j) => cell([new TextRun(v)], !!t.head[j]?.numeric, keepRowWithNext(i + 1, n), widths[j]!, false)) })),
      ],
      widths,
    ),
    source(t.source),
  ];
}

function chart(ch: DocChart, ctx: WriterContext): DocxChild[] {
  const img = ctx.pngs.get(ch.id)!;
  return [
    caption(ctx, ch, 'Figure', ch.number, ch.caption),
    // Under a title that states the finding, the caption saying what the data is.
    ...(ch.subtitle ? [new Paragraph({ style: 'Source', keepNext: true, children: [new TextRun(ch.subtitle)] })] : []),
    new Paragraph({
      keepNext: true,
      alignment: AlignmentType.LEFT,
      spacing: { line: 240, lineRule: LineRuleType.AUTO, after: 0 },
      children: [
        new ImageRun({
          type: 'png',
          data: img.data,
          transformation: { width: img.width, height: img.height },
          altText: { name: `Figure ${ch.number}`, title: ch.caption, description: ch.alt },
        }),
      ],
    }),
    source(ch.source),
  ];
}

function listParas(l: { ordered: boolean; items: DocListItem[] }, level: number, instance: number, ctx: WriterContext): Paragraph[] {
  return l.items.flatMap((it) => [
    new Paragraph({ numbering: { reference: l.ordered ? NUMBERS : BULLETS, level, instance }, children: runs(it.children, ctx) }),
    ...it.sublists.flatMap((sl) => listParas(sl, Math.min(level + 1, 2), ctx.nextListInstance(), ctx)),
  ]);
}

type BlockWriter<K extends DocBlock['type']> = (b: Extract<DocBlock, { type: K }>, ctx: WriterContext) => DocxChild[];

const BLOCK_WRITERS: { [K in DocBlock['type']]: BlockWriter<K> } = {
  heading: (b) => {
    const level = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3][b.level - 1]!;
    return [new Paragraph({ heading: level, children: [new TextRun(b.number ? `${b.number}\t${b.text}` : b.text)] })];
  },
  paragraph: (b, ctx) => [
    new Paragraph({
      children: runs(b.children, ctx),
      ...(b.align ? { alignment: b.align === 'center' ? AlignmentType.CENTER : b.align === 'right' ? AlignmentType.RIGHT : AlignmentType.JUSTIFIED } : {}),
    }),
  ],
  list: (b, ctx) => listParas(b, 0, ctx.nextListInstance(), ctx),
  quote: (b, ctx) => [new Paragraph({ style: 'AssayQuote', children: runs(b.children, ctx) })],
  callout: (b, ctx) => [
    new Paragraph({ style: 'Callout', keepNext: true, children: [new TextRun({ text: b.title, bold: true, color: hex(ctx.doc.style.colours.primary) })] }),
    ...b.paragraphs.map((p) => new Paragraph({ style: 'Callout', children: [new TextRun(p)] })),
  ],
  table: (b, ctx) => {
    const headCount = Math.max(0, b.rows.findIndex((r) => !r.every((x) => x.header)));
    // Widths from the text of each grid column (cells spanning columns are left out of the measure).
    const cols = Math.max(0, ...b.rows.map((r) => r.reduce((a, x) => a + x.colSpan, 0)));
    const grid: string[][] = b.rows.map((r) => {
      const out: string[] = [];
      for (const x of r) {
        out.push(x.colSpan === 1 ? plainText(x.children) : '');
        for (let k = 1; k < x.colSpan; k++) out.push('');
      }
      return out;
    });
    const head = Array.from({ length: cols }, (_, j) => ({ text: headCount ? (grid[0]?.[j] ?? '') : '', numeric: grid.slice(headCount).every((r) => /^[\s£$€+\-–−]*[\d.,]+\s*(%|pp)?$|^\[c\]$|^$/.test(r[j] ?? '')) && grid.slice(headCount).some((r) => /\d/.test(r[j] ?? '')) }));
    const widths = columnWidths(head, grid.slice(headCount), textWidthTwip(ctx), headerFit(ctx));
    const n = b.rows.length;
    return [
      styledTable(
        b.rows.map((r, i) => {
          let col = 0;
          return new TableRow({
            tableHeader: i < headCount,
            cantSplit: true,
            children: r.map((x) => {
              const w = widths.slice(col, col + x.colSpan).reduce((a, v) => a + v, 0);
              const numeric = x.colSpan === 1 && !!head[col]?.numeric;
              col += x.colSpan;
              return i < headCount ? cell([new TextRun(plainText(x.children))], numeric, keepRowWithNext(i, n), w, true, x.colSpan) : cell(runs(x.children, ctx), numeric, keepRowWithNext(i, n), w, false, x.colSpan);
            }),
          });
        }),
        widths,
      ),
      new Paragraph({ spacing: { after: 120 }, children: [] }),
    ];
  },
  'figure-table': figureTable,
  chart,
  'figure-error': (b) => [
    new Paragraph({ children: [new TextRun({ text: b.caption, bold: true })] }),
    new Paragraph({ children: [new TextRun({ text: b.message, color: 'A00000' })] }),
  ],
  'page-break': () => [new Paragraph({ pageBreakBefore: true, children: [] })],
};

export function writeBlock(b: DocBlock, ctx: WriterContext): DocxChild[] {
  return (BLOCK_WRITERS[b.type] as BlockWriter<typeof b.type>)(b as never, ctx);
}
