/**
 * Exports, for the CLI and the app.
 *
 * - `exportReport(ws, { report, formats, audience, out, onProgress, printPdf })` writes the files (atomically) and
 *   returns their paths and sizes. In the app, pass `printPdf` to print with Electron instead of playwright:
 *     printPdf: async (doc) => {
 *       const win = new BrowserWindow({ show: false, webPreferences: { sandbox: true, javascript: false } });
 *       await win.loadURL('data:text/html;charset=utf-8,' + encodeURIComponent(buildHtml(doc, { print: true })));
 *       ... first print, read the bookmarks (readOutline), pagesFromOutline(doc, outline), reload with
 *       buildHtml(doc, { print: true, pageNumbers }), then win.webContents.printToPDF(ELECTRON_PRINT_OPTIONS)
 *     }
 *   (`buildPdfWith(doc, print)` below does the two passes for any printer.)
 * - New reports from templates: `createReportFromTemplate(tx, { templateId, title?, slug?, params?, author? })` inside
 *   `ws.write(...)`; `listTemplates()` / `getTemplate(id)` list them (shared/document/templates.ts).
 */
import type { DocTree } from '../../../shared/document/tree';
import { buildHtml } from '../../../shared/export/html';
import { pagesFromOutline } from '../../../shared/export/print';
import { readOutline } from './pdf';

export { exportReport, render, outputPath, EXPORT_FORMATS, type ExportFormat, type ExportRequest, type ExportResult, type ExportedFile } from './export';
export { buildPdf, findChromium, launchChromium, printHtml, readOutline, NoChromiumError, CHROMIUM_ARGS, CHROMIUM_CANDIDATES } from './pdf';
export { rasteriseSvg } from './rasterise';
export { buildHtml } from '../../../shared/export/html';
export { ELECTRON_PRINT_OPTIONS, PLAYWRIGHT_PDF_OPTIONS, pagesFromOutline } from '../../../shared/export/print';
export { createReportFromTemplate } from '../../../shared/store/reports';
export { listTemplates, getTemplate } from '../../../shared/document/templates';

/**
 * The PDF edition with any printer that turns print HTML into PDF bytes (Electron's printToPDF in the app): printed
 * twice, the second time with the contents' page numbers read from the first print's bookmarks.
 */
export async function buildPdfWith(doc: DocTree, print: (html: string) => Promise<Uint8Array>): Promise<Uint8Array> {
  const first = await print(buildHtml(doc, { print: true }));
  const pages = pagesFromOutline(doc, await readOutline(first));
  if (pages.size === 0) return first;
  return print(buildHtml(doc, { print: true, pageNumbers: pages }));
}
