import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RequestOutputs, RequestParsed } from '../../../../shared/ipc/contract';
import type { DocTree } from '../../../../shared/document/tree';
import { writeAtomic } from '../../workspace-file';
import type { AppSession } from '../session/session';
import type { Browser } from 'playwright-core';

export type ExportRequest = RequestParsed<'export.run'> & { folder: string };

/**
 * Where the host has no printer of its own (the loopback host), the session keeps one Chromium warm for its PDF
 * exports instead of starting one for each (half a second or more), and closes it with the session. One that has
 * crashed or been closed is started again.
 */
const browsers = new WeakMap<AppSession, Promise<Browser>>();
async function sessionBrowser(session: AppSession): Promise<Browser> {
  const held = browsers.get(session);
  if (held) {
    const b = await held.catch(() => undefined);
    if (b?.isConnected()) return b;
  }
  const { launchChromium } = await import('../../export/pdf');
  const launching = launchChromium();
  if (!held) session.onClose(async () => (await browsers.get(session)?.catch(() => undefined))?.close());
  browsers.set(session, launching);
  return launching;
}

/**
 * The PDF edition through the host's own printer (Electron's printToPDF), printed twice as the exporters' Node printer
 * does: the first print's bookmarks give each heading's page for the contents of the second.
 */
function hostPdfPrinter(print: (html: string) => Promise<Uint8Array>) {
  return async (doc: DocTree, onStep: (label: string) => void = () => undefined): Promise<Uint8Array> => {
    const [{ buildHtml }, { pagesFromOutline }, { readOutline }, { dataFileNames }] = await Promise.all([
      import('../../../../shared/export/html'),
      import('../../../../shared/export/print'),
      import('../../export/pdf'),
      import('../../export/export'),
    ]);
    // The same print HTML as the command line's PDF (export/pdf.ts buildPdf), with its links to the data download.
    const dataFiles = dataFileNames(doc);
    onStep('Printing the PDF');
    const first = await print(buildHtml(doc, { print: true, dataFiles }));
    const pages = pagesFromOutline(doc, await readOutline(first));
    if (pages.size === 0) return first;
    onStep('Printing the PDF with its contents’ page numbers');
    return print(buildHtml(doc, { print: true, pageNumbers: pages, dataFiles }));
  };
}

/**
 * Runs an export with the shared export services (document tree, then each format's renderer), writing each file
 * atomically and reporting each step as an 'export.progress' event. This is exportReport's sequence with the
 * session's figure source.
 */
export async function runExport(session: AppSession, req: ExportRequest): Promise<RequestOutputs['export.run']> {
  // Formats in a stable order, once each, whatever order the dialog sent them in.
  const formats = (['docx', 'pdf', 'html', 'csv', 'xlsx'] as const).filter((f) => req.formats.includes(f));
  const print = session.host.printPdf;
  // Loaded on first export: the exporters bring docx, charts and a PDF printer that nothing else needs at start-up.
  const [{ render, renderDocx, defaultDocxPages, outputPath, assembleForExport, PublicationBlockedError, FORMAT_STEPS }, { figureService }] = await Promise.all([
    import('../../export/export'),
    import('../../../../shared/figures/service'),
  ]);
  const t0 = performance.now();
  // One step for the figures, then each format's own steps (Word: write, lay out in LibreOffice, number the contents;
  // PDF: print, print with page numbers, tag), so the bar moves as the work does rather than once per file.
  const total = 1 + formats.reduce((n, f) => n + FORMAT_STEPS[f], 0);
  let done = 0;
  const progress = (step: string, at: number) => session.emit('export.progress', { reportId: req.reportId, step, done: at, total });
  // Writes queued before the export land first, so the files show what the user saw when they asked.
  await session.ws.idle();
  progress('Computing figures', 0);
  // The session's own engine (figureSourceFor shares it), warm from the editor: the values the user saw. A public
  // edition is refused while the publication checks have blockers; the refusal is an answer the dialog lists, with
  // each problem's place, not a failure.
  const edition = req.draft ? ('draft' as const) : ('final' as const);
  let doc: DocTree;
  try {
    doc = await assembleForExport(session.ws, figureService(session.ws), req.reportId, { audience: req.audience, edition });
  } catch (e) {
    if (!(e instanceof PublicationBlockedError)) throw e;
    progress('Refused', total);
    const message = e.message.split('\n')[0]!;
    return { files: [], ms: Math.round(performance.now() - t0), edition, refused: { message, problems: e.blockers } };
  }
  done = 1;
  // Each step reports the work finished before it; the formats are written side by side (Word's layout runs in
  // LibreOffice while Chromium prints the PDF), each file written atomically as soon as it is ready.
  const onStep = (label: string) => progress(label, Math.min(total - 1, done++));
  const written = await Promise.all(
    formats.map(async (format) => {
      // Word as the command line writes it: the contents' page numbers from LibreOffice's layout when it is installed,
      // and a note saying where they came from.
      const { bytes, note } =
        format === 'docx'
          ? await renderDocx(doc, { docxPages: defaultDocxPages(), onStep })
          : {
              bytes: await render(session.ws, doc, format, {
                onStep,
                ...(print ? { printPdf: hostPdfPrinter(print) } : format === 'pdf' ? { browser: await sessionBrowser(session) } : {}),
              }),
              note: undefined,
            };
      const path = outputPath(req.folder, doc.meta.slug, format, req.audience, formats.length === 1, doc.meta.edition);
      mkdirSync(dirname(path), { recursive: true });
      await writeAtomic(path, bytes);
      return { format, path, bytes: statSync(path).size, ...(note ? { note } : {}) };
    }),
  );
  const files: RequestOutputs['export.run']['files'] = written;
  progress('Done', total);
  return { files, ms: Math.round(performance.now() - t0), edition };
}
