import { mkdirSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Workspace } from '../../../shared/store/workspace';
import type { Audience, DocTree, Edition } from '../../../shared/document/tree';
import { assembleReport, evidenceVisibility, type AssembleOptions, type FigureSource } from '../../../shared/export/assemble';
import { buildCsv } from '../../../shared/export/csv';
import { dataDictionary, tidyData, type DataTable } from '../../../shared/export/data';
import { findLibreOffice, libreOfficePdf, pagesFromRender } from './docx-pages';
import { figureService } from '../../../shared/figures/service';
import { reviewReport, type ReportReview } from '../../../shared/review/report';
import { fillParams } from '../../../shared/document/format';
import { writeAtomic } from '../workspace-file';
import { rasteriseSvg } from './rasterise';
import { UserError } from '../../../shared/util/errors';

/**
 * Exports a report to files: the one place file I/O happens for exports (the CLI and the app both call it). Each file
 * is written atomically, so an interrupted export never leaves half a document where the last good one was.
 */

export const EXPORT_FORMATS = ['docx', 'pdf', 'html', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRequest {
  /** Report id or slug. */
  report: string;
  formats: readonly ExportFormat[];
  audience: Audience;
  /**
   * Make the edition anyway, marked DRAFT (cover, every page's running head, properties, file name), while the
   * publication checks have blockers. Without it, a public export is refused while they have any.
   */
  draft?: boolean;
  /**
   * Where to write: a folder (files are named after the report's slug), or, for a single format, a file path ending in
   * that format's extension.
   */
  out: string;
  onProgress?: (step: string, done: number, total: number) => void;
  /** Prints the print HTML to PDF. Default: playwright-core with a system Chromium. The app passes Electron's printer. */
  printPdf?: (doc: DocTree, onStep?: (label: string) => void) => Promise<Uint8Array>;
  /** Told as each step of writing a format begins (see FORMAT_STEPS), so a progress bar moves with the real work. */
  onStep?: (label: string) => void;
  /** Word: write the contents' page numbers as docx lays the pages out (an estimate; slower). Same as docxPages 'estimate'. */
  docxPageNumbers?: boolean;
  /**
   * Word: where the contents' page numbers come from. 'libreoffice' (the default when LibreOffice is installed): from
   * LibreOffice's layout of the document (docx-pages.ts); 'estimate': docx's own layout; 'none': left for Word to fill
   * in when it opens the file.
   */
  docxPages?: DocxPages;
  /**
   * Called once the document is assembled when no format asked for reads the workspace again (Word, PDF and HTML are
   * written from the document alone): the command line closes its read-only workspace there, so the database and the
   * figure index are not held while the files are written (one large thing in memory at a time).
   */
  releaseWorkspace?: () => Promise<void> | void;
  /** A browser to reuse between exports (bench, tests). */
  browser?: Browser;
  generatedAt?: string;
}

export type DocxPages = 'libreoffice' | 'estimate' | 'none';

/** Where the Word contents' page numbers come from unless asked: LibreOffice's layout when it is installed, else none. */
export function defaultDocxPages(): DocxPages {
  return findLibreOffice() ? 'libreoffice' : 'none';
}

export interface ExportedFile {
  format: ExportFormat;
  path: string;
  bytes: number;
  ms: number;
  /** What the export says about the file, e.g. where the Word contents' page numbers came from. */
  note?: string;
}

export interface ExportResult {
  files: ExportedFile[];
  ms: number;
  /** Repairs and failed figures found while building the document. */
  problems: string[];
  doc: DocTree;
}

/** Names Windows reserves for devices, whatever the extension: "con.html" cannot be created there. */
const RESERVED_STEMS = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A file name stem from a report's slug. The slug is data (a workspace from a colleague, a merge, a hand-edited file),
 * so only letters, digits and hyphens survive: no separators, dots or drive letters that could name another folder.
 */
export function exportFileStem(slug: string): string {
  const stem = slug
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120)
    .replace(/-+$/, '');
  if (!stem) return 'report';
  return RESERVED_STEMS.test(stem) ? `report-${stem}` : stem;
}

/**
 * Where a format is written. The file name says which edition it is: "<slug>.pdf" is only ever the final public
 * edition; others are "<slug>-draft.pdf", "<slug>-internal.pdf", "<slug>-internal-draft.pdf". A single file named
 * by the caller keeps its name, with the edition's suffix added when the name lacks it, so a draft cannot be saved
 * under the public edition's name.
 */
export function outputPath(out: string, slug: string, format: ExportFormat, audience: Audience, single: boolean, edition: Edition = 'final'): string {
  const suffix = `${audience === 'internal' ? '-internal' : ''}${edition === 'draft' ? '-draft' : edition === 'review' ? '-review' : ''}`;
  if (single && extname(out).toLowerCase() === `.${format}`) {
    const given = resolve(out);
    if (!suffix || given.slice(0, -format.length - 1).toLowerCase().endsWith(suffix)) return given;
    return `${given.slice(0, -format.length - 1)}${suffix}.${format}`;
  }
  const folder = resolve(out);
  const path = join(folder, `${exportFileStem(slug)}${suffix}.${format}`);
  // The stem cannot leave the folder; this holds that promise should the naming above ever change.
  if (dirname(path) !== folder) throw new Error(`An export file name must stay inside ${folder}.`);
  return path;
}

/** The tidy data of a document (shared/export/data.ts), made once for the CSV and the workbook of one export. */
const tidyCache = new WeakMap<DocTree, DataTable[]>();
export function dataOf(ws: Workspace, doc: DocTree): DataTable[] {
  let d = tidyCache.get(doc);
  if (!d) tidyCache.set(doc, (d = tidyData(doc, dataDictionary(ws))));
  return d;
}

/** The file name of an edition's file of one format, as written beside the others. */
function fileNameOf(doc: DocTree, f: ExportFormat): string {
  return outputPath('.', doc.meta.slug, f, doc.meta.audience, false, doc.meta.edition).split(/[\\/]/).pop()!;
}

/** The file names of the data download beside an edition's HTML and PDF, for their links. */
export function dataFileNames(doc: DocTree): { csv: string; xlsx: string } {
  return { csv: fileNameOf(doc, 'csv'), xlsx: fileNameOf(doc, 'xlsx') };
}

/** The PDF and Word files written in the same export as the HTML, which it links to. */
export function otherFormatNames(doc: DocTree, formats: readonly ExportFormat[] | undefined): { pdf?: string; docx?: string } {
  return {
    ...(formats?.includes('pdf') ? { pdf: fileNameOf(doc, 'pdf') } : {}),
    ...(formats?.includes('docx') ? { docx: fileNameOf(doc, 'docx') } : {}),
  };
}

/**
 * The Word file, with its contents' page numbers as asked (render's default is none: Word fills them in; exportReport's
 * default is LibreOffice's layout when LibreOffice is installed), and a note saying where they came from.
 */
/** The steps writing each format reports through onStep, at most: what a progress bar counts. */
export const FORMAT_STEPS: Readonly<Record<ExportFormat, number>> = { docx: 3, pdf: 3, html: 1, csv: 1, xlsx: 1 };

export async function renderDocx(doc: DocTree, opts: Pick<ExportRequest, 'docxPageNumbers' | 'docxPages' | 'onStep'> = {}): Promise<{ bytes: Uint8Array; note: string }> {
  const pages: DocxPages = opts.docxPages ?? (opts.docxPageNumbers ? 'estimate' : 'none');
  // The Word writer (docx) and the chart renderer (echarts) are loaded when a file is written, not with the command:
  // a fresh process then holds their code only after it has let the workspace go (see releaseWorkspace).
  const { buildDocx } = await import('../../../shared/export/docx');
  const base = { rasterise: rasteriseSvg };
  const step = opts.onStep ?? (() => undefined);
  step('Writing Word');
  if (pages === 'estimate') return { bytes: await buildDocx(doc, { ...base, pageNumbers: true }), note: 'contents page numbers estimated by laying the pages out as Word would' };
  const plain = await buildDocx(doc, base);
  const none = { bytes: plain, note: 'contents without page numbers: Word fills them in when it opens the file (LibreOffice was not used)' };
  if (pages === 'none') return none;
  const soffice = findLibreOffice();
  if (!soffice) return { ...none, note: 'contents without page numbers: LibreOffice is not installed (Word fills them in when it opens the file)' };
  try {
    const headings = doc.headings.map((h) => h.text);
    step('Laying out Word’s pages in LibreOffice');
    const estimator = await pagesFromRender(await libreOfficePdf(soffice, plain), headings);
    if (!estimator) return { ...none, note: 'contents without page numbers: LibreOffice’s layout did not list the headings as expected' };
    step('Numbering Word’s contents');
    return { bytes: await buildDocx(doc, { ...base, pageEstimator: estimator }), note: 'contents page numbers from LibreOffice’s layout of the document' };
  } catch (e) {
    return { ...none, note: `contents without page numbers: LibreOffice could not lay the document out (${(e as Error).message.split('\n')[0]})` };
  }
}

/** Builds the bytes of one format from the document tree. */
export async function render(
  ws: Workspace,
  doc: DocTree,
  format: ExportFormat,
  opts: Pick<ExportRequest, 'printPdf' | 'browser' | 'docxPageNumbers' | 'docxPages' | 'onStep'> & { formats?: readonly ExportFormat[] } = {},
): Promise<Uint8Array> {
  const step = opts.onStep ?? (() => undefined);
  if (format !== 'docx' && format !== 'pdf') step(`Writing ${format.toUpperCase()}`);
  switch (format) {
    case 'html':
      return new TextEncoder().encode((await import('../../../shared/export/html')).buildHtml(doc, { dataFiles: dataFileNames(doc), otherFormats: otherFormatNames(doc, opts.formats) }));
    case 'csv':
      return new TextEncoder().encode(buildCsv(doc, { evidenceVisible: evidenceVisibility(ws, doc.meta.audience), data: dataOf(ws, doc) }));
    case 'xlsx':
      // Loaded when asked for: a Word export in a fresh process need not load the spreadsheet writer or Chromium's driver.
      return (await import('./xlsx')).buildXlsx(doc, dataOf(ws, doc));
    case 'docx':
      return (await renderDocx(doc, opts)).bytes;
    case 'pdf': {
      // Printed by Chromium (Electron's printer in the app), then made PDF/UA-1: metadata, role map, lists, link
      // descriptions, artifacts (pdf-ua.ts).
      const printed = opts.printPdf
        ? await opts.printPdf(doc, step)
        : await (await import('./pdf')).buildPdf(doc, { ...(opts.browser ? { browser: opts.browser } : {}), dataFiles: dataFileNames(doc), onStep: step });
      const { makePdfUa, pdfUaMeta } = await import('./pdf-ua');
      step('Tagging the PDF for accessibility');
      return makePdfUa(printed, pdfUaMeta(doc));
    }
  }
}

/** A public edition refused because figures in it would show restricted data; nothing was written. */
export class WithheldFiguresError extends UserError {
  constructor(readonly withheld: DocTree['withheld']) {
    super(
      'invalid',
      `The public edition was not exported: ${withheld.length === 1 ? 'a figure reads' : `${withheld.length} figures read`} data that can hold restricted material, ` +
        `so ${withheld.length === 1 ? 'it' : 'they'} can appear only in internal editions: ${withheld.map((w) => `“${w.name}”`).join(', ')}. ` +
        'Rewrite them as structured figures, or remove them from the report.',
    );
    this.name = 'WithheldFiguresError';
  }
}

/** One problem that blocks publication, where a person finds it: the figure, the section, the sentence. */
export interface PublicationBlocker {
  code: string;
  message: string;
  section?: string;
  paragraph?: number;
  sentence?: number;
  /** The figure's name as the report prints it, when the problem is about a figure. */
  figure?: string;
  /** The start of the sentence the problem is in, when it is about one. */
  excerpt?: string;
}

/** Where a blocker is, in words: "“Adult social care”, paragraph 3, sentence 2 (“As at 31 July 2018, …”)". */
export function blockerPlace(b: PublicationBlocker): string {
  const bits = [b.section ? `“${b.section}”` : '', b.paragraph ? `paragraph ${b.paragraph}` : '', b.sentence ? `sentence ${b.sentence}` : ''].filter(Boolean);
  return `${bits.join(', ')}${b.excerpt ? ` (“${b.excerpt}”)` : ''}`;
}

/** The review's blocking problems with their places, the sentence each is in and the figure it is about. */
export function publicationBlockers(review: ReportReview): PublicationBlocker[] {
  const excerpt = (t: string) => {
    const s = t.replace(/\s+/g, ' ').trim();
    return s.length > 90 ? `${s.slice(0, 88).replace(/\s+\S*$/, '')} …` : s;
  };
  return review.problems
    .filter((p) => p.severity === 'blocking')
    .map((p) => {
      const l = p.location;
      const claim = l?.sentence ? review.claims.find((c) => c.location.sectionId === l.sectionId && c.location.paragraph === l.paragraph && c.location.sentence === l.sentence) : undefined;
      const use = p.figureId ? review.figures.find((u) => u.figureId === p.figureId && (!l || u.location.sectionId === l.sectionId)) : undefined;
      return {
        code: p.code,
        message: p.message,
        ...(l ? { section: l.sectionTitle } : {}),
        ...(l?.paragraph ? { paragraph: l.paragraph } : {}),
        ...(l?.sentence ? { sentence: l.sentence } : {}),
        ...(use ? { figure: fillParams(use.name, use.params) } : {}),
        ...(claim ? { excerpt: excerpt(claim.text) } : {}),
      };
    });
}

/**
 * A public edition refused because the publication checks have blockers; nothing was written. It carries the
 * problems, each with its place, for the CLI to print and the app's export dialog to list.
 */
export class PublicationBlockedError extends UserError {
  constructor(
    readonly report: { title: string; slug: string },
    readonly blockers: PublicationBlocker[],
  ) {
    const n = blockers.length;
    super(
      'conflict',
      `The public edition of “${report.title}” was not exported: ${n} problem${n === 1 ? '' : 's'} block${n === 1 ? 's' : ''} publication, and nothing was written. ` +
        'Resolve them and approve the sections (assay check lists them), or export a draft, which says DRAFT on every page.\n' +
        blockers.map((b, i) => `  ${i + 1}. ${blockerPlace(b)}${blockerPlace(b) ? ': ' : ''}${b.message}`).join('\n'),
    );
    this.name = 'PublicationBlockedError';
  }
}

/**
 * The publication gate: the checks `assay check` runs for a public edition (SQL figures seen as a public export sees
 * them, on the workspace without restricted material), waited for. Refuses, before anything is written, while any
 * problem blocks publication.
 */
export async function checkPublishable(ws: Workspace, report: string): Promise<void> {
  const figures = figureService(ws, { view: 'public' });
  const review = await figures.settle(() => reviewReport(ws, figures, report, { audience: 'public' }));
  if (review.blocking > 0) throw new PublicationBlockedError({ title: review.report.title, slug: review.report.slug }, publicationBlockers(review));
}

/**
 * The report as a document tree with every figure computed (SQL figures waited for), for `audience`. A final public
 * edition is refused here, before any file is written, while the publication checks have blockers (a draft is made
 * instead, marked DRAFT), and any public edition is refused while it has figures that may appear only in internal
 * editions.
 */
export async function assembleForExport(ws: Workspace, source: FigureSource, report: string, opts: AssembleOptions): Promise<DocTree> {
  if (opts.audience === 'public' && (opts.edition ?? 'final') === 'final') await checkPublishable(ws, report);
  const doc = await source.settle(() => assembleReport(ws, source, report, opts));
  if (opts.audience === 'public' && doc.withheld.length > 0) throw new WithheldFiguresError(doc.withheld);
  return doc;
}

/** The formats whose files read the workspace besides the document (the data dictionary, evidence visibility). */
const FORMATS_READING_WORKSPACE: ReadonlySet<ExportFormat> = new Set(['csv', 'xlsx']);

export async function exportReport(ws: Workspace, req: ExportRequest): Promise<ExportResult> {
  const t0 = performance.now();
  const total = req.formats.length + 1;
  const progress = req.onProgress ?? (() => undefined);
  progress('Computing figures', 0, total);
  const doc = await assembleForExport(ws, figureService(ws), req.report, {
    audience: req.audience,
    ...(req.draft ? { edition: 'draft' as const } : {}),
    ...(req.generatedAt ? { generatedAt: req.generatedAt } : {}),
  });
  if (req.releaseWorkspace && req.formats.every((f) => !FORMATS_READING_WORKSPACE.has(f))) await req.releaseWorkspace();
  const files: ExportedFile[] = [];
  const single = req.formats.length === 1;
  for (const [i, format] of req.formats.entries()) {
    progress(`Writing ${format.toUpperCase()}`, i + 1, total);
    const t = performance.now();
    let note: string | undefined;
    let bytes: Uint8Array;
    if (format === 'docx') {
      const r = await renderDocx(doc, { docxPages: req.docxPages ?? (req.docxPageNumbers ? 'estimate' : defaultDocxPages()) });
      bytes = r.bytes;
      note = r.note;
    } else bytes = await render(ws, doc, format, req);
    const path = outputPath(req.out, doc.meta.slug, format, req.audience, single, doc.meta.edition);
    mkdirSync(dirname(path), { recursive: true });
    await writeAtomic(path, bytes);
    files.push({ format, path, bytes: statSync(path).size, ms: performance.now() - t, ...(note ? { note } : {}) });
  }
  progress('Done', total, total);
  return { files, ms: performance.now() - t0, problems: doc.problems, doc };
}
