import { Document, ExternalHyperlink, Footer, Packer, Paragraph, TextRun, convertMillimetersToTwip, type PageNumberEstimator } from 'docx';
import { estimatePageNumbersWith } from 'docx/layout';
import type { DocChart, DocTree } from '../../document/tree';
import { chartDrawingKey, chartLook, chartSize } from '../../charts/look';
import { addressParts } from '../address';
import { contents, cover, coverHead, notices, pageFooter, runningHead } from './furniture';
import { unzipSync, zipSync, strFromU8, strToU8 } from 'fflate';
import { docxNumbering, docxStyles, tableStyleXml } from './styles';
import { writeBlock, type DocxAnnotations, type WriterContext } from './writer';

/**
 * The Word edition, written with `docx` from the document tree: real Heading 1-3 styles with outline levels under a
 * real TOC field, SEQ-numbered captions, tables with repeating header rows, charts as PNG pictures with alt text, evidence
 * as footnotes, running header and "Page n of m" footer, en-GB, and the title, author and subject properties.
 * The parts: writer.ts (a writer per block and inline type), furniture.ts (cover, contents, running head), styles.ts.
 *
 * Pure: the caller passes the function that turns a chart's SVG into PNG bytes (resvg on the Node side, a canvas in a
 * browser), so this module never touches the file system.
 */

export type { DocxAnnotations } from './writer';

/**
 * A chart as a PNG. `key` says everything that decides its picture ({@link chartDrawingKey}), so a picture kept
 * under it can be used without drawing; `svg` draws it (echarts) when there is none.
 */
export type Rasterise = (chart: { key: string; width: number; height: number; svg: () => Promise<string> }) => Promise<Uint8Array>;

export interface DocxOptions {
  rasterise: Rasterise;
  /**
   * Write the contents' page numbers, worked out by laying the pages out as Word would (docx/layout). Off by default:
   * it multiplies the export time several times over, and Word fills the numbers in itself when it opens the file
   * (the document asks it to update its fields). Turn it on for files read in applications that do not update fields.
   */
  pageNumbers?: boolean;
  /**
   * The contents' page numbers from elsewhere: electron/services/export/docx-pages.ts reads them from LibreOffice's
   * layout of the same document. Takes the place of `pageNumbers`.
   */
  pageEstimator?: PageNumberEstimator;
  /** Word comments anchored on nodes of the tree (the review copy). */
  annotations?: DocxAnnotations;
}

/** Text width of an A4 page between the template's margins, in pixels at 96 dpi (docx's image unit). */
function textWidthPx(doc: DocTree): number {
  const m = doc.style.page.marginMm;
  return Math.floor(((210 - m.left - m.right) / 25.4) * 96);
}

/** Charts rasterised up front, in parallel, so the document can be assembled synchronously. */
async function rasteriseCharts(doc: DocTree, rasterise: Rasterise): Promise<WriterContext['pngs']> {
  const look = chartLook(doc);
  const widthPx = textWidthPx(doc);
  const pngs: WriterContext['pngs'] = new Map();
  await Promise.all(
    doc.blocks
      .filter((b): b is DocChart => b.type === 'chart')
      .map(async (ch) => {
        // Drawn only when no picture is kept for the chart's key: echarts (loaded then, not before) takes about 15 ms
        // a chart, after some 40 ms to load.
        const r = chartSize(ch.model);
        const svg = async () => (await import('../../charts/render')).renderChartSvg(ch.model, look).svg;
        const data = await rasterise({ key: chartDrawingKey(ch.model, look), ...r, svg });
        // Tall charts (many areas) are shrunk so that they fit beside text, not alone on a page after a gap.
        const scale = Math.min(1, widthPx / r.width, 420 / r.height);
        pngs.set(ch.id, { data, width: Math.round(r.width * scale), height: Math.round(r.height * scale) });
      }),
  );
  return pngs;
}

export async function buildDocx(doc: DocTree, opts: DocxOptions): Promise<Uint8Array> {
  const s = doc.style;
  const m = doc.meta;
  let listInstance = 0;
  const ctx: WriterContext = {
    doc,
    pngs: await rasteriseCharts(doc, opts.rasterise),
    ...(opts.annotations ? { annotations: opts.annotations } : {}),
    nextListInstance: () => ++listInstance,
  };
  const footnotes: Record<string, { children: Paragraph[] }> = {};
  const noteText = new Map(doc.notes.map((n) => [n.n, n.text]));
  // A note's web address is a link, as in HTML and PDF.
  const noteRuns = (text: string) =>
    addressParts(` ${text}`).map((p) => (p.href ? new ExternalHyperlink({ link: p.href, children: [new TextRun({ text: p.text, style: 'Hyperlink' })] }) : new TextRun(p.text)));
  for (const r of doc.noteRefs) footnotes[String(r.ref)] = { children: [new Paragraph({ style: 'FootnoteText', children: noteRuns(noteText.get(r.n) ?? '') })] };
  const body = doc.blocks.flatMap((b) => writeBlock(b, ctx));
  const comments = opts.annotations?.comments ?? [];

  const document = new Document({
    // A draft, an internal edition or a review copy says so in its properties too (title, subject, keywords, and an
    // "Edition" custom property), so that a file list or a document management system shows it.
    title: m.mark ? `${m.mark}: ${m.title}` : m.title,
    subject: m.mark ? `${m.editionLabel}. ${m.subject}` : m.subject,
    creator: m.author,
    description: `${m.title}${m.dateLine ? `. ${m.dateLine}` : ''}. ${m.editionLabel}.`,
    keywords: m.keywords,
    customProperties: [{ name: 'Edition', value: m.editionLabel }],
    lastModifiedBy: 'Assay',
    footnotes,
    ...(comments.length
      ? {
          comments: {
            children: comments.map((c) => ({ id: c.id, author: c.author, initials: c.initials, date: c.date, children: c.paragraphs.map((p) => new Paragraph({ children: [new TextRun(p)] })) })),
          },
        }
      : {}),
    ...(opts.pageEstimator ? { pageNumbers: opts.pageEstimator } : opts.pageNumbers ? { pageNumbers: estimatePageNumbersWith({ guess: true }) } : { features: { updateFields: true } }),
    numbering: docxNumbering(),
    styles: docxStyles(s),
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
        headers: { default: runningHead(doc), first: coverHead(doc) },
        footers: { default: pageFooter(), first: new Footer({ children: [new Paragraph({ children: [] })] }) },
        children: [...cover(doc), ...notices(doc), ...contents(!!opts.pageNumbers || !!opts.pageEstimator), ...body],
      },
    ],
  });
  // The package's parts before zipping, so they are zipped once: docx's compiler, which its Packer keeps private; a
  // docx without it is zipped by the Packer and unzipped again.
  const files = packageParts(document) ?? new Map<string, PartData>(Object.entries(unzipSync(new Uint8Array(await Packer.toArrayBuffer(document)))));
  return withTableStyle(files, tableStyleXml(s));
}

type PartData = string | Uint8Array | ArrayBuffer;
type Compile = (file: Document, prettify?: string, overrides?: unknown[]) => Map<string, PartData>;

/** The package's files by path, in zip order, from docx's compiler (what Packer zips), or undefined without it. */
function packageParts(document: Document): Map<string, PartData> | undefined {
  const compiler = (Packer as unknown as { compiler?: { compile?: Compile } }).compiler;
  if (typeof compiler?.compile !== 'function') return undefined;
  const parts = compiler.compile.call(compiler, document, undefined, []);
  return parts instanceof Map ? parts : undefined;
}

const textOf = (d: PartData): string => (typeof d === 'string' ? d : strFromU8(d instanceof Uint8Array ? d : new Uint8Array(d)));
const bytesOf = (d: PartData): Uint8Array => (typeof d === 'string' ? strToU8(d) : d instanceof Uint8Array ? d : new Uint8Array(d));

/**
 * Adds the table style to the package's styles.xml (docx has no option for one), puts SEQ results in runs of their own,
 * and zips the package.
 */
function withTableStyle(files: Map<string, PartData>, styleXml: string): Uint8Array {
  const styles = files.get('word/styles.xml');
  if (styles === undefined) throw new Error('The Word package has no styles part.');
  files.set('word/styles.xml', textOf(styles).replace('</w:styles>', `${styleXml}</w:styles>`));
  // Given page numbers, docx writes each SEQ field's number into the separator's run; a field's result goes in a run of
  // its own, as Word writes it, or readers such as pandoc drop it ("Figure :").
  const body = files.get('word/document.xml');
  if (body !== undefined) {
    files.set(
      'word/document.xml',
      textOf(body).replace(/<w:fldChar w:fldCharType="separate"\/>(<w:t xml:space="preserve">\d+<\/w:t>)<\/w:r><w:r><\/w:r>/g, '<w:fldChar w:fldCharType="separate"/></w:r><w:r>$1</w:r>'),
    );
  }
  // Pictures are compressed already (charts' when they are drawn, electron/services/export/png.ts): stored as they
  // are, since deflating them again gains little and takes most of the zipping's time.
  return zipSync(Object.fromEntries([...files].map(([path, data]) => [path, /\.(png|jpe?g)$/i.test(path) ? [bytesOf(data), { level: 0 }] : bytesOf(data)])), { level: 6 });
}
