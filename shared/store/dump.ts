import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { TABLES, type TableName } from './schema';
import type { SqlValue, Workspace } from './workspace';
import { eachTableRow } from './replica';

/**
 * A canonical text dump of a workspace's tables, and its hash: two workspaces hold the same data exactly when their
 * dump hashes agree. Rows are read in primary-key order (rowid where there is none), so the dump does not depend on
 * how SQLite happened to lay out its pages. Values carry their type, so 1 and '1' differ.
 */

function encode(v: SqlValue): string {
  if (v === null) return 'N';
  if (typeof v === 'number') return `n${Object.is(v, -0) ? '0' : String(v)}`;
  if (typeof v === 'string') return JSON.stringify(v);
  return `x${bytesToHex(v)}`;
}

/** Yields the dump a chunk per table row, prefixed by a line naming each table and its columns. */
export function* dumpLines(ws: Workspace, tables: readonly TableName[] = TABLES): Generator<string> {
  for (const t of tables) {
    const lines: string[] = [];
    const columns = eachTableRow(ws, t, (row) => lines.push(`${row.map(encode).join('\t')}\n`));
    yield `# ${t} ${columns.join(',')}\n`;
    yield* lines;
  }
}

/** sha256 of the dump, hex, with the number of rows read. */
export function dumpHash(ws: Workspace, tables: readonly TableName[] = TABLES): { hash: string; rows: number } {
  const h = sha256.create();
  let rows = 0;
  let buf = '';
  for (const line of dumpLines(ws, tables)) {
    if (line.startsWith('# ')) rows -= 1;
    rows += 1;
    buf += line;
    // Hash in chunks of about a megabyte: one string per row would be slow, one string for everything too large.
    if (buf.length > 1_000_000) {
      h.update(utf8ToBytes(buf));
      buf = '';
    }
  }
  h.update(utf8ToBytes(buf));
  return { hash: bytesToHex(h.digest()), rows };
}
