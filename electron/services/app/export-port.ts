import type { RequestOutputs, RequestParsed } from '../../../shared/ipc/contract';
import type { DocTree } from '../../../shared/document/tree';
import { AppError } from './errors';
import type { AppSession } from './session';

export type ExportRequest = RequestParsed<'export.run'> & { folder: string };

/**
 * The PDF edition through the host's own printer (Electron's printToPDF), printed twice as the exporters' Node printer
 * does: the first print's bookmarks give each heading's page for the contents of the second.
 */
function hostPdfPrinter(print: (html: string) => Promise<Uint8Array>) {
  return async (doc: DocTree): Promise<Uint8Array> => {
    const [{ buildHtml }, { pagesFromOutline }, { readOutline }] = await Promise.all([
      import('../../../shared/export/html'),
      import('../../../shared/export/print'),
      import('../export/pdf'),
    ]);
    const first = await print(buildHtml(doc, { print: true }));
    const pages = pagesFromOutline(doc, await readOutline(first));
    if (pages.size === 0) return first;
    return print(buildHtml(doc, { print: true, pageNumbers: pages }));
  };
}

/** Runs an export through the shared export services, reporting each step as an 'export.progress' event. */
export async function runExport(session: AppSession, req: ExportRequest): Promise<RequestOutputs['export.run']> {
  // Formats in a stable order, once each, whatever order the dialog sent them in.
  const formats = (['docx', 'pdf', 'html', 'csv'] as const).filter((f) => req.formats.includes(f));
  const print = session.host.printPdf;
  // Loaded on first export: the exporters bring docx, charts and a PDF printer that nothing else needs at start-up.
  const [{ exportReport }, { ReportNotFoundError }] = await Promise.all([import('../export/export'), import('../../../shared/export/assemble')]);
  try {
    // Writes queued before the export land first, so the files show what the user saw when they asked.
    await session.ws.idle();
    const result = await exportReport(session.ws, {
      report: req.reportId,
      formats,
      audience: req.audience,
      out: req.folder,
      onProgress: (step, done, total) => session.emit('export.progress', { reportId: req.reportId, step, done, total }),
      ...(print ? { printPdf: hostPdfPrinter(print) } : {}),
    });
    return { files: result.files.map((f) => ({ format: f.format, path: f.path, bytes: f.bytes })), ms: Math.round(result.ms) };
  } catch (e) {
    if (e instanceof ReportNotFoundError) throw new AppError('not-found', e.message);
    if (e instanceof Error && (e as Error & { userFacing?: boolean }).userFacing) throw new AppError('invalid', e.message);
    throw e;
  }
}
