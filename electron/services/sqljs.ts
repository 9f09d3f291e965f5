import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { provideSqlExecutor } from '../../shared/figures/engine';
import { createWorkerSqlExecutor } from './sql-worker';

// Every Node process that can open a workspace loads sql.js through here, so every shared figure engine gets the
// worker that runs SQL figures with their limits, and none can fall back to running them on the live database.
provideSqlExecutor((ws) => createWorkerSqlExecutor(ws));

let cached: Promise<SqlJsStatic> | undefined;

/** Loads sql.js once per process, with its wasm read from the installed package (never fetched). */
export function loadSqlJs(): Promise<SqlJsStatic> {
  if (!cached) {
    const require = createRequire(import.meta.url);
    const wasmPath = process.env.ASSAY_SQLJS_WASM ?? require.resolve('sql.js/dist/sql-wasm.wasm');
    const wasmBinary = readFileSync(wasmPath);
    cached = initSqlJs({ wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer }).then((SQL) => {
      fastBlobs(SQL);
      return SQL;
    });
  }
  return cached;
}

interface SqlJsExports {
  _sqlite3_column_blob?: (stmt: number, col: number) => number;
  _sqlite3_column_bytes?: (stmt: number, col: number) => number;
  HEAPU8?: Uint8Array;
}
type Blobs = { getBlob: (pos?: number) => Uint8Array } & Record<string, unknown>;

/**
 * sql.js copies a blob out of SQLite's memory a byte at a time: about 100 ms for the demo's 10 MB figure index, 400 ms
 * at two million ratings. This gives its statements a getBlob that copies in one go, the same bytes. sql.js's minified
 * build names a statement's pointer and column cursor differently from release to release, so they are found by
 * watching the original at work, and the replacement is used only when it gives what the original gave.
 */
export function fastBlobs(SQL: SqlJsStatic): boolean {
  const m = SQL as unknown as SqlJsExports;
  const blobAt = m._sqlite3_column_blob;
  const bytesAt = m._sqlite3_column_bytes;
  if (typeof blobAt !== 'function' || typeof bytesAt !== 'function' || !(m.HEAPU8 instanceof Uint8Array)) return false;
  const db = new SQL.Database();
  const st = db.prepare("SELECT x'00ff7f80', NULL, x'', x'0102030405060708090a'");
  try {
    const proto = Object.getPrototypeOf(st) as Blobs;
    if ((proto as { fastBlobs?: boolean }).fastBlobs) return true;
    const original = proto.getBlob;
    st.step();
    const self = st as unknown as Record<string, unknown>;
    const numbers = () => new Map(Object.keys(self).filter((k) => typeof self[k] === 'number').map((k) => [k, self[k] as number]));
    const before = numbers();
    original.call(st);
    const after = numbers();
    // The cursor is the number that reading a blob without a position moved on by one.
    const posKey = [...after].find(([k, v]) => before.get(k) === v - 1)?.[0];
    const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
    // The statement's pointer is the number with which SQLite gives the same bytes for the last column.
    const last = original.call(st, 3);
    const stmtKey = [...after].find(([k, v]) => k !== posKey && v > 0 && same(m.HEAPU8!.slice(blobAt(v, 3), blobAt(v, 3) + bytesAt(v, 3)), last))?.[0];
    if (!posKey || !stmtKey) return false;
    const fast = function (this: Record<string, number>, pos?: number): Uint8Array {
      let col = pos;
      if (col == null) {
        col = this[posKey]!;
        this[posKey] = col + 1;
      }
      const stmt = this[stmtKey]!;
      const ptr = blobAt(stmt, col);
      const size = bytesAt(stmt, col);
      // Read after the calls: SQLite's memory may have grown, which replaces the view.
      return m.HEAPU8!.slice(ptr, ptr + size);
    };
    for (const col of [0, 1, 2, 3]) if (!same(fast.call(self as Record<string, number>, col), original.call(st, col))) return false;
    proto.getBlob = fast;
    (proto as { fastBlobs?: boolean }).fastBlobs = true;
    return true;
  } catch {
    return false;
  } finally {
    st.free();
    db.close();
  }
}
