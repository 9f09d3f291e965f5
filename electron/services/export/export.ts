import { mkdirSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Workspace } from '../../../shared/store/workspace';
import type { Audience, DocTree } from '../../../shared/document/tree';
import { assembleReport, evidenceVisibility, type AssembleOptions, type FigureSource } from '../../../shared/export/assemble';
import { buildHtml } from '../../../shared/export/html';
import { buildCsv } from '../../../shared/export/csv';
import { buildDocx } from '../../../shared/export/docx';
import { figureService } from '../../../shared/figures/service';
import { writeAtomic } from '../workspace-file';
import { rasteriseSvg } from './rasterise';
import { buildPdf } from './pdf';
import { UserError } from '../../../shared/util/errors';

/**
 * Exports a report to files: the one place file I/O happens for exports (the CLI and the app both call it). Each file
 * is written atomically, so an interrupted export never leaves half a document where the last good one was.
 */

export const EXPORT_FORMATS = ['docx', 'pdf', 'html', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRequest {
  /** Report id or slug. */
  report: string;
  formats: readonly ExportFormat[];
  audience: Audience;
  /**
   * Where to write: a folder (files are named after the report's slug), or, for a single format, a file path ending in
   * that format's extension.
   */
  out: string;
  onProgress?: (step: string, done: number, total: number) => void;
  /** Prints the print HTML to PDF. Default: playwright-core with a system Chromium. The app passes Electron's printer. */
  printPdf?: (doc: DocTree) => Promise<Uint8Array>;
  /** Word: write the contents' page numbers (slower; Word fills them in itself on opening). */
  docxPageNumbers?: boolean;
  /** A browser to reuse between exports (bench, tests). */
  browser?: Browser;
  generatedAt?: string;
}

export interface ExportedFile {
  format: ExportFormat;
  path: string;
  bytes: number;
  ms: number;
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

export function outputPath(out: string, slug: string, format: ExportFormat, audience: Audience, single: boolean): string {
  if (single && extname(out).toLowerCase() === `.${format}`) return resolve(out);
  const folder = resolve(out);
  const path = join(folder, `${exportFileStem(slug)}${audience === 'internal' ? '-internal' : ''}.${format}`);
  // The stem cannot leave the folder; this holds that promise should the naming above ever change.
  if (dirname(path) !== folder) throw new Error(`An export file name must stay inside ${folder}.`);
  return path;
}

/** Builds the bytes of one format from the document tree. */
export async function render(
  ws: Workspace,
  doc: DocTree,
  format: ExportFormat,
  opts: Pick<ExportRequest, 'printPdf' | 'browser' | 'docxPageNumbers'> = {},
): Promise<Uint8Array> {
  switch (format) {
    case 'html':
      return new TextEncoder().encode(buildHtml(doc));
    case 'csv':
      return new TextEncoder().encode(buildCsv(doc, { evidenceVisible: evidenceVisibility(ws, doc.meta.audience) }));
    case 'docx':
      return buildDocx(doc, { rasterise: rasteriseSvg, pageNumbers: !!opts.docxPageNumbers });
    case 'pdf':
      return opts.printPdf ? opts.printPdf(doc) : buildPdf(doc, opts.browser ? { browser: opts.browser } : {});
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

/**
 * The report as a document tree with every figure computed (SQL figures waited for), for `audience`. A public edition
 * with figures that may appear only in internal editions is refused here, before any file is written.
 */
export async function assembleForExport(ws: Workspace, source: FigureSource, report: string, opts: AssembleOptions): Promise<DocTree> {
  const doc = await source.settle(() => assembleReport(ws, source, report, opts));
  if (opts.audience === 'public' && doc.withheld.length > 0) throw new WithheldFiguresError(doc.withheld);
  return doc;
}

export async function exportReport(ws: Workspace, req: ExportRequest): Promise<ExportResult> {
  const t0 = performance.now();
  const total = req.formats.length + 1;
  const progress = req.onProgress ?? (() => undefined);
  progress('Computing figures', 0, total);
  const doc = await assembleForExport(ws, figureService(ws), req.report, {
    audience: req.audience,
    ...(req.generatedAt ? { generatedAt: req.generatedAt } : {}),
  });
  const files: ExportedFile[] = [];
  const single = req.formats.length === 1;
  for (const [i, format] of req.formats.entries()) {
    progress(`Writing ${format.toUpperCase()}`, i + 1, total);
    const t = performance.now();
    const bytes = await render(ws, doc, format, req);
    const path = outputPath(req.out, doc.meta.slug, format, req.audience, single);
    mkdirSync(dirname(path), { recursive: true });
    await writeAtomic(path, bytes);
    files.push({ format, path, bytes: statSync(path).size, ms: performance.now() - t });
  }
  progress('Done', total, total);
  return { files, ms: performance.now() - t0, problems: doc.problems, doc };
}
