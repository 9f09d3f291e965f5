import { Readable } from 'node:stream';
import { importFile, previewCsv } from '../../import';
import { describeImportOutcome } from '../import-summary';
import { AppError } from '../errors';
import type { PartialHandlerMap } from '../handler';

/** A file the page sent, base64-encoded, as bytes; refused with a field message when it is not base64. */
function decode(base64: string): Buffer {
  const clean = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
    throw new AppError('bad-request', 'The file could not be read: it was not sent base64-encoded.', { base64: 'is not base64-encoded' });
  }
  const bytes = Buffer.from(clean, 'base64');
  if (bytes.length === 0) throw new AppError('invalid', 'The file is empty.', { base64: 'is empty' });
  return bytes;
}

/** The bytes as a stream of chunks, so reading reports progress as it goes rather than once at the end. */
function chunked(bytes: Buffer, size = 256 * 1024): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

export const importHandlers: PartialHandlerMap<'import.preview' | 'import.run'> = {
  'import.preview': async ({ kind, fileName, base64, rows }, { session }) => {
    const p = await previewCsv(kind, Readable.from([decode(base64)]), { rows, fileName, workspace: session.ws });
    return {
      fileName: p.fileName,
      header: p.header,
      rows: p.rows,
      problems: p.problems,
      ...(p.layout ? { layout: p.layout } : {}),
      ...(p.targets ? { targets: p.targets } : {}),
      ...(p.suggestedMap ? { suggestedMap: p.suggestedMap } : {}),
    };
  },

  'import.run': async ({ kind, fileName, base64, edition, map, allowLowerSensitivity }, { session }) => {
    const bytes = decode(base64);
    const total = bytes.length;
    // Reading is most of the work a page can measure; checking, writing and saving follow it.
    let lastPhase = '';
    let lastDone = -1;
    const outcome = await importFile(session.file, kind, chunked(bytes), {
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
