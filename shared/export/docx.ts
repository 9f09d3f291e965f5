import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  FootnoteReferenceRun,
  Header,
  HeadingLevel,
  HeightRule,
  LineRuleType,
  ImageRun,
  LeaderType,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  SequentialIdentifier,
  StringContainer,
  ShadingType,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TabStopType,
  TextRun,
  VerticalAlignTable,
  WidthType,
  convertMillimetersToTwip,
  type ParagraphChild,
} from 'docx';
import { estimatePageNumbersWith } from 'docx/layout';
import type { DocBlock, DocChart, DocFigureTable, DocInline, DocListItem, DocTree } from '../document/tree';
import { longDate } from '../document/format';
import { renderChartSvg } from '../charts/render';
import { chartLook } from './html';

/**
 * The Word edition, written with `docx` from the document tree: real Heading 1-3 styles with outline levels under a
 * real TOC field, SEQ-numbered captions, tables with repeating header rows, charts as PNG pictures with alt text, evidence
 * as footnotes, running header and "Page n of m" footer, en-GB, and the title, author and subject properties.
 *
 * Pure: the caller passes the function that turns a chart's SVG into PNG bytes (resvg on the Node side, a canvas in a
 * browser), so this module never touches the file system.
 */

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

export type Rasterise = (svg: string, width: number, height: number) => Promise<Uint8Array>;

export interface DocxOptions {
  rasterise: Rasterise;
  /**
   * Write the contents' page numbers, worked out by laying the pages out as Word would (docx/layout). Off by default:
   * it multiplies the export time several times over, and Word fills the numbers in itself when it opens the file
   * (the document asks it to update its fields). Turn it on for files read in applications that do not update fields.
   */
  pageNumbers?: boolean;
}

const hex = (c: string) => c.replace('#', '').toUpperCase();
const pt = (n: number) => Math.round(n * 2); // half-points
const twipPt = (n: number) => Math.round(n * 20);

/** Text width of an A4 page between the template's margins, in pixels at 96 dpi (docx's image unit). */
function textWidthPx(doc: DocTree): number {
  const m = doc.style.page.marginMm;
  return Math.floor(((210 - m.left - m.right) / 25.4) * 96);
}

export async function buildDocx(doc: DocTree, opts: DocxOptions): Promise<Uint8Array> {
  const s = doc.style;
  const c = s.colours;
  const look = chartLook(doc);
  const footnotes: Record<string, { children: Paragraph[] }> = {};
  for (const n of doc.notes) footnotes[String(n.n)] = { children: [new Paragraph({ style: 'FootnoteText', children: [new TextRun(` ${n.text}`)] })] };

  // Charts are rasterised up front, in parallel, so the document can be assembled synchronously.
  const charts = doc.blocks.filter((b): b is DocChart => b.type === 'chart');
  const widthPx = textWidthPx(doc);
  const pngs = new Map<string, { data: Uint8Array; width: number; height: number }>();
  await Promise.all(
    charts.map(async (ch) => {
      const r = renderChartSvg(ch.model, look);
      const data = await opts.rasterise(r.svg, r.width, r.height);
      // Tall charts (many areas) are shrunk so that they fit beside text, not alone on a page after a gap.
      const scale = Math.min(1, widthPx / r.width, 420 / r.height);
      pngs.set(ch.id, { data, width: Math.round(r.width * scale), height: Math.round(r.height * scale) });
    }),
  );

  let listInstance = 0;
  const runs = (xs: DocInline[], base: { bold?: boolean; color?: string } = {}): ParagraphChild[] =>
    xs.flatMap((x, i): ParagraphChild[] => {
      switch (x.type) {
        case 'text':
          return [
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
          ];
        case 'link':
          return [new ExternalHyperlink({ link: x.url, children: runs(x.children).filter((r): r is TextRun => r instanceof TextRun).map((r) => r) })];
        case 'figure':
          return [new TextRun({ text: x.text, ...(x.error ? { highlight: 'yellow' } : {}), ...(base.bold ? { bold: true } : {}), ...(base.color ? { color: base.color } : {}) })];
        case 'note':
          // Adjacent notes are separated ("15,16"), or they read as one number.
          return i > 0 && xs[i - 1]!.type === 'note' ? [new TextRun({ text: ',', superScript: true }), new FootnoteReferenceRun(x.n)] : [new FootnoteReferenceRun(x.n)];
        case 'break':
          return [new TextRun({ break: 1 })];
      }
    });

  const thinBorder = { style: BorderStyle.SINGLE, size: 4, color: hex(c.rule) };
  const noBorder = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  const cellBorders = { top: noBorder, left: noBorder, right: noBorder, bottom: thinBorder };

  const headerCell = (text: string, numeric: boolean, span = 1) =>
    new TableCell({
      columnSpan: span,
      shading: { fill: hex(c.tableHeaderFill), type: ShadingType.CLEAR, color: 'auto' },
      borders: cellBorders,
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
  const bodyCell = (children: ParagraphChild[], numeric: boolean, stripe: boolean, span = 1) =>
    new TableCell({
      columnSpan: span,
      borders: cellBorders,
      margins: { top: 40, bottom: 40, left: 90, right: 90 },
      ...(stripe ? { shading: { fill: hex(c.tableStripe), type: ShadingType.CLEAR, color: 'auto' } } : {}),
      children: [new Paragraph({ style: 'TableText', alignment: numeric ? AlignmentType.RIGHT : AlignmentType.LEFT, children })],
    });

  const caption = (label: 'Figure' | 'Table', n: number, text: string) =>
    new Paragraph({
      style: 'Caption',
      keepNext: true,
      children: [new TextRun({ text: `${label} ` }), new NumberedSeq(label, n), new TextRun({ text: `: ${text}` })],
    });
  const source = (text: string) => new Paragraph({ style: 'Source', children: [new TextRun(text)] });

  const figureTable = (t: DocFigureTable): (Paragraph | Table)[] => [
    caption('Table', t.number, t.caption),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, cantSplit: true, children: t.head.map((h) => headerCell(h.text, h.numeric)) }),
        ...t.rows.map(
          (r, i) =>
            new TableRow({
              cantSplit: true,
              children: r.map((v, j) => bodyCell([new TextRun(v)], !!t.head[j]?.numeric, i % 2 === 1)),
            }),
        ),
      ],
    }),
    source(t.source),
  ];

  const chart = (ch: DocChart): Paragraph[] => {
    const img = pngs.get(ch.id)!;
    return [
      caption('Figure', ch.number, ch.caption),
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
  };

  const listParas = (l: { ordered: boolean; items: DocListItem[] }, level: number, instance: number): Paragraph[] =>
    l.items.flatMap((it) => [
      new Paragraph({
        numbering: { reference: l.ordered ? 'assay-numbers' : 'assay-bullets', level, instance },
        children: runs(it.children),
      }),
      ...it.sublists.flatMap((sl) => listParas(sl, Math.min(level + 1, 2), ++listInstance)),
    ]);

  const block = (b: DocBlock): (Paragraph | Table | TableOfContents)[] => {
    switch (b.type) {
      case 'heading': {
        const level = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3][b.level - 1]!;
        return [new Paragraph({ heading: level, children: [new TextRun(b.number ? `${b.number}\t${b.text}` : b.text)] })];
      }
      case 'paragraph':
        return [
          new Paragraph({
            children: runs(b.children),
            ...(b.align ? { alignment: b.align === 'center' ? AlignmentType.CENTER : b.align === 'right' ? AlignmentType.RIGHT : AlignmentType.JUSTIFIED } : {}),
          }),
        ];
      case 'list':
        return listParas(b, 0, ++listInstance);
      case 'quote':
        return [new Paragraph({ style: 'AssayQuote', children: runs(b.children) })];
      case 'callout':
        return [
          new Paragraph({ style: 'Callout', keepNext: true, children: [new TextRun({ text: b.title, bold: true, color: hex(c.primary) })] }),
          ...b.paragraphs.map((p) => new Paragraph({ style: 'Callout', children: [new TextRun(p)] })),
        ];
      case 'table': {
        const headCount = Math.max(0, b.rows.findIndex((r) => !r.every((x) => x.header)));
        return [
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: b.rows.map(
              (r, i) =>
                new TableRow({
                  tableHeader: i < headCount,
                  cantSplit: true,
                  children: r.map((x) =>
                    i < headCount ? headerCell(plainRuns(x.children), false, x.colSpan) : bodyCell(runs(x.children), false, (i - headCount) % 2 === 1, x.colSpan),
                  ),
                }),
            ),
          }),
          new Paragraph({ spacing: { after: 120 }, children: [] }),
        ];
      }
      case 'figure-table':
        return figureTable(b);
      case 'chart':
        return chart(b);
      case 'figure-error':
        return [
          new Paragraph({ children: [new TextRun({ text: b.caption, bold: true })] }),
          new Paragraph({ children: [new TextRun({ text: b.message, color: 'A00000' })] }),
        ];
      case 'page-break':
        return [new Paragraph({ pageBreakBefore: true, children: [] })];
    }
  };

  const m = doc.meta;
  const coverCell = new TableCell({
    shading: { fill: hex(c.coverBackground), type: ShadingType.CLEAR, color: 'auto' },
    borders: { top: noBorder, left: noBorder, right: noBorder, bottom: noBorder },
    margins: { top: 900, bottom: 600, left: 600, right: 600 },
    children: [
      new Paragraph({
        spacing: { after: 480 },
        border: { top: { style: BorderStyle.SINGLE, size: 24, color: hex(c.accent), space: 6 } },
        children: [new TextRun({ text: s.cover.kicker.toUpperCase(), color: hex(c.coverText), size: pt(11), characterSpacing: 30 })],
      }),
      new Paragraph({ style: 'CoverTitle', children: [new TextRun({ text: m.title })] }),
      ...(m.subtitle ? [new Paragraph({ spacing: { after: 480 }, children: [new TextRun({ text: m.subtitle, color: hex(c.coverText), size: pt(17) })] })] : []),
      ...(m.dateLine ? [new Paragraph({ spacing: { after: 360 }, children: [new TextRun({ text: m.dateLine, color: hex(c.coverText), size: pt(13) })] })] : []),
      ...(m.demonstration
        ? [
            new Paragraph({
              spacing: { before: 240, after: 240 },
              border: {
                top: { style: BorderStyle.SINGLE, size: 12, color: hex(c.coverText), space: 4 },
                bottom: { style: BorderStyle.SINGLE, size: 12, color: hex(c.coverText), space: 4 },
              },
              children: [new TextRun({ text: 'DEMONSTRATION DATA – NOT OFFICIAL STATISTICS', bold: true, color: hex(c.coverText), size: pt(12) })],
            }),
          ]
        : []),
      new Paragraph({ spacing: { before: 2400 }, children: [new TextRun({ text: m.organisation, bold: true, color: hex(c.coverText), size: pt(15) })] }),
      new Paragraph({
        children: [new TextRun({ text: m.audience === 'public' ? 'Public edition' : 'Internal edition · OFFICIAL-SENSITIVE', color: hex(c.coverText), size: pt(11) })],
      }),
    ],
  });
  const cover = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [new TableRow({ height: { value: convertMillimetersToTwip(235), rule: HeightRule.ATLEAST }, children: [coverCell] })],
  });

  const notices = [
    new Paragraph({ pageBreakBefore: true, spacing: { before: convertMillimetersToTwip(140) }, children: [] }),
    ...m.notices.map((n) => new Paragraph({ style: 'Source', children: [new TextRun(n)] })),
    new Paragraph({ style: 'Source', children: [new TextRun(`Generated by Assay on ${longDate(m.generatedAt.slice(0, 10))}.`)] }),
  ];

  const contents = [
    new Paragraph({ style: 'ContentsTitle', pageBreakBefore: true, children: [new TextRun('Contents')] }),
    // Without page numbers written, dot leaders would lead to nothing until Word updates the field.
    new TableOfContents('Contents', { hyperlink: true, headingStyleRange: '1-3', ...(opts.pageNumbers ? {} : { tabLeader: LeaderType.NONE }) }),
  ];

  const body = doc.blocks.flatMap(block);

  const textWidthTwip = convertMillimetersToTwip(210 - s.page.marginMm.left - s.page.marginMm.right);
  const header = new Header({
    children: [
      new Paragraph({
        style: 'RunningHead',
        tabStops: [{ type: TabStopType.RIGHT, position: textWidthTwip }],
        children: [new TextRun(m.runningHead), new TextRun({ children: ['\t', m.organisation] })],
      }),
    ],
  });
  const footer = new Footer({
    children: [
      new Paragraph({
        style: 'RunningHead',
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES] })],
      }),
    ],
  });

  const headingStyle = (size: number, outlineLevel: number, before: number, pageBreakBefore: boolean) => ({
    run: { font: s.fonts.wordHeading, size: pt(size), bold: true, color: hex(c.primary) },
    paragraph: {
      outlineLevel,
      keepNext: true,
      keepLines: true,
      pageBreakBefore,
      spacing: { before: twipPt(before), after: twipPt(outlineLevel === 0 ? 10 : 6) },
      tabStops: [{ type: TabStopType.LEFT, position: 720 }],
      ...(outlineLevel === 0 ? { border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: hex(c.accent), space: 4 } } } : {}),
    },
  });

  const document = new Document({
    title: m.title,
    subject: m.subject,
    creator: m.author,
    description: `${m.title}${m.dateLine ? `. ${m.dateLine}` : ''}. ${m.audience === 'public' ? 'Public edition' : 'Internal edition'}.`,
    keywords: m.keywords,
    lastModifiedBy: 'Assay',
    footnotes,
    ...(opts.pageNumbers ? { pageNumbers: estimatePageNumbersWith({ guess: true }) } : { features: { updateFields: true } }),
    numbering: {
      config: [
        {
          reference: 'assay-bullets',
          levels: [0, 1, 2].map((level) => ({
            level,
            format: LevelFormat.BULLET,
            text: ['•', '–', '▪'][level]!,
            alignment: AlignmentType.LEFT,
            style: { paragraph: { indent: { left: 360 * (level + 1), hanging: 260 } } },
          })),
        },
        {
          reference: 'assay-numbers',
          levels: [0, 1, 2].map((level) => ({
            level,
            format: [LevelFormat.DECIMAL, LevelFormat.LOWER_LETTER, LevelFormat.LOWER_ROMAN][level]!,
            text: `%${level + 1}.`,
            alignment: AlignmentType.LEFT,
            style: { paragraph: { indent: { left: 400 * (level + 1), hanging: 320 } } },
          })),
        },
      ],
    },
    styles: {
      default: {
        document: {
          run: { font: s.fonts.wordBody, size: pt(s.sizes.bodyPt), color: hex(c.text), language: { value: 'en-GB' } },
          paragraph: { spacing: { after: twipPt(s.spacing.paragraphAfterPt), line: Math.round(240 * Math.min(1.3, s.spacing.lineHeight * 0.9)), lineRule: LineRuleType.AUTO } },
        },
        heading1: headingStyle(s.sizes.h1Pt, 0, 0, true),
        heading2: headingStyle(s.sizes.h2Pt, 1, 14, false),
        heading3: headingStyle(s.sizes.h3Pt, 2, 10, false),
        caption: {
          run: { font: s.fonts.wordBody, size: pt(s.sizes.captionPt + 1), bold: true, italics: false, color: hex(c.text) },
          paragraph: { spacing: { before: twipPt(10), after: twipPt(4) }, keepNext: true },
        },
        hyperlink: { run: { color: hex(c.primary), underline: {} } },
        footnoteText: { run: { size: pt(s.sizes.captionPt - 1) }, paragraph: { spacing: { after: 40, line: 240, lineRule: LineRuleType.AUTO } } },
      },
      paragraphStyles: [
        {
          id: 'Source',
          name: 'Source',
          basedOn: 'Normal',
          next: 'Normal',
          run: { size: pt(s.sizes.captionPt - 0.5), color: hex(c.muted) },
          paragraph: { spacing: { before: twipPt(3), after: twipPt(12) } },
        },
        { id: 'TableText', name: 'Table text', basedOn: 'Normal', run: { size: pt(s.sizes.tablePt) }, paragraph: { spacing: { after: 0, line: 240, lineRule: LineRuleType.AUTO } } },
        {
          id: 'AssayQuote',
          name: 'Pull quote',
          basedOn: 'Normal',
          next: 'Normal',
          run: { size: pt(s.sizes.bodyPt + 1), color: hex(c.primary) },
          paragraph: {
            indent: { left: 280 },
            spacing: { before: 160, after: 200 },
            border: { left: { style: BorderStyle.SINGLE, size: 24, color: hex(c.accent), space: 10 } },
            shading: { fill: hex(c.calloutFill), type: ShadingType.CLEAR, color: 'auto' },
          },
        },
        {
          id: 'Callout',
          name: 'Callout',
          basedOn: 'Normal',
          paragraph: {
            indent: { left: 280, right: 280 },
            shading: { fill: hex(c.calloutFill), type: ShadingType.CLEAR, color: 'auto' },
            border: { left: { style: BorderStyle.SINGLE, size: 24, color: hex(c.primary), space: 10 } },
          },
        },
        {
          id: 'CoverTitle',
          name: 'Cover title',
          basedOn: 'Normal',
          run: { font: s.fonts.wordHeading, size: pt(36), bold: true, color: hex(c.coverText) },
          paragraph: { spacing: { after: 240, line: 240, lineRule: LineRuleType.AUTO } },
        },
        {
          id: 'ContentsTitle',
          name: 'Contents title',
          basedOn: 'Normal',
          next: 'Normal',
          run: { font: s.fonts.wordHeading, size: pt(s.sizes.h1Pt), bold: true, color: hex(c.primary) },
          paragraph: { spacing: { after: 240 }, border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: hex(c.accent), space: 4 } } },
        },
        { id: 'RunningHead', name: 'Running head', basedOn: 'Normal', run: { size: pt(8.5), color: hex(c.muted) }, paragraph: { spacing: { after: 0 } } },
        { id: 'TOC1', name: 'toc 1', basedOn: 'Normal', next: 'Normal', run: { bold: true }, paragraph: { spacing: { before: 100, after: 40 } } },
        { id: 'TOC2', name: 'toc 2', basedOn: 'Normal', next: 'Normal', paragraph: { indent: { left: 440 }, spacing: { after: 30 } } },
        { id: 'TOC3', name: 'toc 3', basedOn: 'Normal', next: 'Normal', run: { size: pt(s.sizes.bodyPt - 1) }, paragraph: { indent: { left: 880 }, spacing: { after: 20 } } },
      ],
    },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: convertMillimetersToTwip(210), height: convertMillimetersToTwip(297) },
            margin: {
              top: convertMillimetersToTwip(s.page.marginMm.top),
              right: convertMillimetersToTwip(s.page.marginMm.right),
              bottom: convertMillimetersToTwip(s.page.marginMm.bottom),
              left: convertMillimetersToTwip(s.page.marginMm.left),
              header: convertMillimetersToTwip(10),
              footer: convertMillimetersToTwip(10),
            },
          },
        },
        headers: { default: header, first: new Header({ children: [new Paragraph({ children: [] })] }) },
        footers: { default: footer, first: new Footer({ children: [new Paragraph({ children: [] })] }) },
        children: [cover, ...notices, ...contents, ...body],
      },
    ],
  });
  const buf = await Packer.toArrayBuffer(document);
  return new Uint8Array(buf);
}

function plainRuns(xs: DocInline[]): string {
  return xs.map((x) => (x.type === 'text' || x.type === 'figure' ? x.text : x.type === 'link' ? plainRuns(x.children) : '')).join('');
}
