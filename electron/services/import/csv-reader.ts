import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { parse, type CsvError } from 'csv-parse';
import { sniffBinary, sniffNotText, sniffUtf16, Utf8Validator, type InvalidSequence, type TextEncoding } from '../../../shared/import/encoding';
import type { ImportProblem, RowPosition } from '../../../shared/import/problems';

/** What reads rows: an importer from shared/import, or the preview. */
export interface RowSink {
  row(fields: string[], pos: RowPosition): void;
  problem(p: ImportProblem): void;
}

export interface ReadProgress {
  bytesRead: number;
  totalBytes: number | undefined;
}

export interface ReadOptions {
  /** The file's encoding when it is not UTF-8. UTF-16 is refused unless named here: see shared/import/encoding.ts. */
  encoding?: TextEncoding;
  onProgress?: (p: ReadProgress) => void;
  /** Stop after this many records (the wizard's preview). */
  maxRecords?: number;
  /** Cancels reading (the wizard's Cancel button): the promise rejects with an AbortError and nothing is written. */
  signal?: AbortSignal;
  /** The file's name, for the message that refuses a file that is not text. */
  fileName?: string;
}

export interface ReadResult {
  sha256: string;
  bytes: number;
  records: number;
  /** True when reading stopped early, at `maxRecords` or at a problem that makes the rest unreadable. */
  stopped: boolean;
}

const ENCODING_NAMES: Record<TextEncoding, string> = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16 (little-endian)', 'utf-16be': 'UTF-16 (big-endian)' };

/**
 * Streams a CSV file through csv-parse into a sink, hashing the bytes as they pass, checking that they are the
 * encoding we decode them as, and reporting each problem with the row (the header is row 1) and the line it starts on.
 * Nothing here touches a workspace: the sink decides what the rows mean.
 */
export async function readCsv(source: string | Readable, sink: RowSink, opts: ReadOptions = {}): Promise<ReadResult> {
  const totalBytes = typeof source === 'string' ? statSync(source).size : undefined;
  const input = typeof source === 'string' ? createReadStream(source, { highWaterMark: 1 << 20 }) : source;
  const hash = createHash('sha256');
  let bytes = 0;
  let records = 0;
  let stopped = false;
  let header: string[] = [];
  let prevEndLine = 0;

  const validator = opts.encoding && opts.encoding !== 'utf-8' ? undefined : new Utf8Validator();
  let decoder: TextDecoder | undefined;
  let invalidIdx = 0;
  let refused = false;

  const parser = parse({
    info: true,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      if (!err) return undefined;
      // The parser notices a broken quote where it stops making sense (often at the next quote, or the end of the
      // file); the row it broke starts just after the last good record, which is what a person needs to find.
      const line = prevEndLine + 1;
      const detected = (err as CsvError & { lines?: number }).lines;
      const message = err.message.replace(/ at line \d+/, '').replace(/^Quote Not Closed: the parsing is finished with an opening quote$/, 'a quoted field is never closed');
      sink.problem({
        code: 'csv-syntax',
        row: records + 1,
        line,
        message: `the CSV is malformed in the row starting on line ${line}${detected && detected !== line ? ` (noticed on line ${detected})` : ''}: ${message}`,
      });
      return undefined;
    },
  });

  const invalid: InvalidSequence[] = validator ? validator.invalid : [];
  parser.on('data', (rec: { record: string[]; info: { lines: number; records: number } }) => {
    if (stopped) return;
    const fields = rec.record;
    let newlines = 0;
    for (const f of fields) for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) newlines++;
    const endLine = rec.info.lines;
    const startLine = Math.max(prevEndLine + 1, endLine - newlines);
    prevEndLine = endLine;
    records++;
    const pos: RowPosition = { row: rec.info.records, line: startLine };
    if (records === 1) header = fields.map((f) => f.trim());
    // Bytes that are not UTF-8 were decoded as U+FFFD: name the fields they landed in.
    while (invalidIdx < invalid.length && invalid[invalidIdx]!.line < startLine) invalidIdx++;
    let flagged = false;
    while (invalidIdx < invalid.length && invalid[invalidIdx]!.line <= endLine) {
      if (!flagged) {
        flagged = true;
        let named = false;
        fields.forEach((f, i) => {
          if (f.includes('\uFFFD')) {
            named = true;
            sink.problem({
              code: 'encoding',
              row: pos.row,
              ...(pos.line !== pos.row ? { line: pos.line } : {}),
              column: header[i] ?? `column ${i + 1}`,
              message: `the text is not valid UTF-8 (byte offset ${invalid[invalidIdx]!.offset}); save the file as UTF-8 ("CSV UTF-8" in Excel)`,
            });
          }
        });
        if (!named) {
          sink.problem({ code: 'encoding', row: pos.row, message: `the row is not valid UTF-8 (byte offset ${invalid[invalidIdx]!.offset}); save the file as UTF-8` });
        }
      }
      invalidIdx++;
    }
    sink.row(fields, pos);
    if (opts.maxRecords !== undefined && records >= opts.maxRecords) stopped = true;
  });
  const done = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
  });

  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      opts.signal?.throwIfAborted();
      const buf: Uint8Array = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (bytes === 0 && !decoder) {
        const sniffed = sniffUtf16(buf.subarray(0, 512));
        const binary = sniffNotText(buf.subarray(0, 8));
        // Only once UTF-16 is ruled out: its NUL bytes are text there.
        const notText = !binary && !sniffed && (opts.encoding ?? 'utf-8') === 'utf-8' ? sniffBinary(buf) : undefined;
        if (binary) {
          sink.problem({ code: 'encoding', message: `the file is ${binary}, not a CSV; save it as "CSV UTF-8 (comma delimited)" and import that` });
          refused = true;
        } else if (sniffed && !opts.encoding) {
          sink.problem({
            code: 'encoding',
            message: `the file is ${ENCODING_NAMES[sniffed]}, not UTF-8; save it as "CSV UTF-8", or import it with --encoding ${sniffed}`,
          });
          refused = true;
        } else if (notText) {
          // One message for the whole file: read as CSV, binary data gives a "problem" on nearly every line.
          const name = opts.fileName ?? (typeof source === 'string' ? basename(source) : 'The file');
          sink.problem({ code: 'encoding', message: `${name} is not a text file: it looks like binary data (${notText}).` });
          refused = true;
        }
        decoder = new TextDecoder(opts.encoding ?? 'utf-8', { fatal: false, ignoreBOM: false });
      }
      bytes += buf.length;
      hash.update(buf);
      opts.onProgress?.({ bytesRead: bytes, totalBytes });
      if (refused || stopped) {
        // Keep hashing (the hash names the whole file) but parse nothing more.
        if (stopped && typeof source === 'string') break;
        continue;
      }
      validator?.push(buf);
      const text = decoder!.decode(buf, { stream: true });
      if (text && !parser.write(text)) await new Promise<void>((r) => parser.once('drain', r));
    }
    if (!refused) {
      validator?.end();
      const tail = decoder?.decode();
      if (tail) parser.write(tail);
    }
    parser.end();
    await done;
  } finally {
    if (typeof source === 'string') (input as ReturnType<typeof createReadStream>).destroy();
  }
  if (validator && validator.count > validator.invalid.length) {
    sink.problem({ code: 'encoding', message: `${validator.count} byte sequences in the file are not valid UTF-8 (the first ${validator.invalid.length} are listed)` });
  }
  // A sequence cut short at the very end of the file, after the last record was emitted.
  if (validator && invalidIdx < validator.invalid.length && records > 0) {
    const rest = validator.invalid.slice(invalidIdx);
    for (const s of rest) sink.problem({ code: 'encoding', line: s.line, message: `the file is not valid UTF-8 at byte offset ${s.offset}` });
  }
  return { sha256: hash.digest('hex'), bytes, records, stopped: stopped || refused };
}
