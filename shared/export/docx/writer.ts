import {
  AlignmentType,
  BorderStyle,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  ExternalHyperlink,
  FootnoteReferenceRun,
  HeadingLevel,
  ImageRun,
  LineRuleType,
  Paragraph,
  SequentialIdentifier,
  ShadingType,
  StringContainer,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type ParagraphChild,
} from 'docx';
import type { DocBlock, DocChart, DocFigureTable, DocInline, DocListItem, DocTree } from '../../document/tree';
import { BULLETS, NUMBERS } from './styles';
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
 * A caption's SEQ field with its number already written as the field's result, so captions read "Figure 3" in any
 * application, before (or without) updating fields; Word renumbers them itself when it updates.
 */
class NumberedSeq extends SequentialIdentifier {
  constructor(label: string, n: number) {
    super(label);
    const root = (this as unknown as { root: unknown[] }).root;
    root.splice(root.length - 1, 0, new StringContainer('w:t', String(n)));
  }
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

type RunBase = { bold?: boolean; color?: string };
type InlineWriter<K extends DocInline['type']> = (x: Extract<DocInline, { type: K }>, ctx: WriterContext, base: RunBase, prev: DocInline | undefined) => ParagraphChild[];

const INLINE_WRITERS: { [K in DocInline['type']]: InlineWriter<K> } = {
  text: (x, _ctx, base) => [
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
  ],
  link: (x, ctx) => [new ExternalHyperlink({ link: x.url, children: runs(x.children, ctx).filter((r): r is TextRun => r instanceof TextRun) })],
  figure: (x, ctx, base) =>
    annotated(ctx.annotations?.inline(x), [
      new TextRun({ text: x.text, ...(x.error ? { highlight: 'yellow' } : {}), ...(base.bold ? { bold: true } : {}), ...(base.color ? { color: base.color } : {}) }),
    ]),
  note: (x, ctx, _base, prev) => [
    ...annotated(ctx.annotations?.inline(x), []),
    // Adjacent notes are separated ("15,16"), or they read as one number.
    ...(prev?.type === 'note' ? [new TextRun({ text: ',', superScript: true })] : []),
    new FootnoteReferenceRun(x.n),
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
function cellParts(ctx: WriterContext) {
  const c = ctx.doc.style.colours;
  const thin = { style: BorderStyle.SINGLE, size: 4, color: hex(c.rule) };
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  const borders = { top: none, left: none, right: none, bottom: thin };
  const header = (text: string, numeric: boolean, span = 1) =>
    new TableCell({
      columnSpan: span,
      shading: { fill: hex(c.tableHeaderFill), type: ShadingType.CLEAR, color: 'auto' },
      borders,
      margins: { top: 50, bottom: 50, left: 90, right: 90 },
      verticalAlign: VerticalAlignTable.BOTTOM,
      children: [
        new Paragraph({
          style: 'TableText',
          alignment: numeric ? AlignmentType.RIGHT : AlignmentType.LEFT,
          children: [new TextRun({ text, bold: true, color: hex(c.tableHeaderText) })],
        }),
      ],
    });
  const body = (children: ParagraphChild[], numeric: boolean, stripe: boolean, span = 1) =>
    new TableCell({
      columnSpan: span,
      borders,
      margins: { top: 40, bottom: 40, left: 90, right: 90 },
      ...(stripe ? { shading: { fill: hex(c.tableStripe), type: ShadingType.CLEAR, color: 'auto' } } : {}),
      children: [new Paragraph({ style: 'TableText', alignment: numeric ? AlignmentType.RIGHT : AlignmentType.LEFT, children })],
    });
  return { header, body };
}

function caption(ctx: WriterContext, b: DocBlock, label: 'Figure' | 'Table', n: number, text: string): Paragraph {
  return new Paragraph({
    style: 'Caption',
    keepNext: true,
    children: annotated(ctx.annotations?.block(b), [new TextRun({ text: `${label} ` }), new NumberedSeq(label, n), new TextRun({ text: `: ${text}` })]),
  });
}

const source = (text: string) => new Paragraph({ style: 'Source', children: [new TextRun(text)] });

function figureTable(t: DocFigureTable, ctx: WriterContext): DocxChild[] {
  const cell = cellParts(ctx);
  return [
    caption(ctx, t, 'Table', t.number, t.caption),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, cantSplit: true, children: t.head.map((h) => cell.header(h.text, h.numeric)) }),
        ...t.rows.map((r, i) => new TableRow({ cantSplit: true, children: r.map((v, j) => cell.body([new TextRun(v)], !!t.head[j]?.numeric, i % 2 === 1)) })),
      ],
    }),
    source(t.source),
  ];
}

function chart(ch: DocChart, ctx: WriterContext): DocxChild[] {
  const img = ctx.pngs.get(ch.id)!;
  return [
    caption(ctx, ch, 'Figure', ch.number, ch.caption),
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
    const cell = cellParts(ctx);
    const headCount = Math.max(0, b.rows.findIndex((r) => !r.every((x) => x.header)));
    return [
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: b.rows.map(
          (r, i) =>
            new TableRow({
              tableHeader: i < headCount,
              cantSplit: true,
              children: r.map((x) => (i < headCount ? cell.header(plainText(x.children), false, x.colSpan) : cell.body(runs(x.children, ctx), false, (i - headCount) % 2 === 1, x.colSpan))),
            }),
        ),
      }),
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
