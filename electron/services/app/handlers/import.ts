import { Readable } from 'node:stream';
import type { ImportPreview } from '../../../../shared/ipc/contract';
import { importFile, previewCsv, type ImportKind } from '../../import';
import { describeImportOutcome } from './import-summary';
import { importFilesOf, readImportFile, type ImportFile } from '../files/import-files';
import { AppError } from '../ipc/errors';
import type { PartialHandlerMap } from '../ipc/handler';
import type { AppSession } from '../session/session';

/** The bytes as a stream of chunks, so reading reports progress as it goes rather than once at the end. */
function chunked(bytes: Uint8Array, size = 256 * 1024): Readable {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

async function preview(session: AppSession, file: ImportFile, kind: ImportKind, rows: number): Promise<ImportPreview> {
  const p = await previewCsv(kind, Readable.from([file.bytes]), { rows, fileName: file.fileName, workspace: session.ws });
  return {
    fileName: p.fileName,
    header: p.header,
    rows: p.rows,
    problems: p.problems,
    ...(p.layout ? { layout: p.layout } : {}),
    ...(p.targets ? { targets: p.targets } : {}),
    ...(p.suggestedMap ? { suggestedMap: p.suggestedMap } : {}),
  };
}

/**
 * The one import flow, for the app's import wizard in both hosts (the File menu's Import… opens the wizard too):
 * open a file (main's dialog, or the page's one upload), preview it as a kind, run it with the column map. Files are
 * named by handle (../import-files.ts); their bytes never travel through the contract.
 */
export const importHandlers: PartialHandlerMap<'import.open' | 'import.preview' | 'import.run'> = {
  'import.open': async ({ kind, rows, upload }, { session }) => {
    const files = importFilesOf(session);
    let file: ImportFile;
    if (upload) {
      file = files.get(upload);
    } else {
      if (!session.host.pickImportFile) {
        throw new AppError('bad-request', 'This host has no file dialog: upload the file first and give its handle as “upload”.', { upload: 'is needed here' });
      }
      const path = await session.host.pickImportFile();
      if (!path) return null;
      const read = await readImportFile(path, files.maxBytes);
      file = files.add(read.fileName, read.bytes);
    }
    return { handle: file.handle, fileName: file.fileName, bytes: file.bytes.length, preview: await preview(session, file, kind, rows) };
  },

  'import.preview': ({ handle, kind, rows }, { session }) => preview(session, importFilesOf(session).get(handle), kind, rows),

  'import.run': async ({ handle, kind, edition, map, allowLowerSensitivity }, { session }) => {
    const files = importFilesOf(session);
    const file = files.get(handle);
    const { fileName } = file;
    const total = file.bytes.length;
    // Reading is most of the work a page can measure; checking, writing and saving follow it.
    let lastPhase = '';
    let lastDone = -1;
    const outcome = await importFile(session.file, kind, chunked(file.bytes), {
      by: session.actor(),
      fileName,
      onProgress: (p) => {
        const done = p.phase === 'reading' ? (p.bytesRead ?? 0) : total;
        if (p.phase === lastPhase && done === lastDone) return;
        lastPhase = p.phase;
        lastDone = done;
        session.emit('import.progress', { fileName, phase: p.phase, done, total });
      },
      ...(edition ? { edition } : {}),
      ...(map ? { map } : {}),
      ...(allowLowerSensitivity ? { allowLowerSensitivity } : {}),
    });
    // Imported: let the bytes go. A refused file stays open (until it expires) to be run again with another mapping.
    if (outcome.ok) files.release(handle);
    const { message, detail } = describeImportOutcome(outcome);
    const base = { ok: outcome.ok, kind: outcome.kind, fileName: outcome.fileName, rowsRead: outcome.rowsRead, message, detail, warnings: outcome.warnings, ms: Math.round(outcome.ms) };
    if (!outcome.ok) return { ...base, problems: outcome.problems, problemCount: outcome.problemCount, import: null, tables: {} };
    const rec = outcome.import;
    return {
      ...base,
      problems: [],
      problemCount: 0,
      import: rec ? { id: rec.id, kind: rec.kind, fileName: rec.fileName, rows: rec.rows, importedBy: rec.importedBy, importedAt: rec.importedAt, edition: rec.edition } : null,
      tables: outcome.tables,
    };
  },
};
