import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import type { SqlJsStatic } from 'sql.js';
import { fastBlobs, loadSqlJs } from './sqljs';

/** Every way of reading blobs: whole rows, by position, and in turn from the statement's cursor. */
function reads(SQL: SqlJsStatic, big: Uint8Array): unknown[] {
  const db = new SQL.Database();
  try {
    db.run('CREATE TABLE t (a BLOB, b BLOB, c TEXT, d BLOB)');
    db.run('INSERT INTO t VALUES (?, ?, ?, ?)', [big, new Uint8Array(0), 'x', new Uint8Array([1, 2])]);
    db.run('INSERT INTO t VALUES (NULL, ?, ?, NULL)', [new Uint8Array([9, 8, 7]), 'y']);
    const out: unknown[] = [db.exec('SELECT a, b, c, d FROM t ORDER BY rowid')[0]!.values];
    const st = db.prepare('SELECT b, a, d, b FROM t ORDER BY rowid');
    // getBlob is sql.js's, missing from its types.
    const blob = (pos?: number) => (st as unknown as { getBlob: (p?: number) => Uint8Array }).getBlob(pos);
    while (st.step()) out.push(blob(), blob(), blob(0), blob(1), st.getAsObject());
    st.free();
    return out;
  } finally {
    db.close();
  }
}

describe('sql.js blobs', () => {
  it('are copied in one go, giving what sql.js itself gives', async () => {
    const SQL = await loadSqlJs();
    expect(fastBlobs(SQL)).toBe(true);
    const big = new Uint8Array(200_000).map((_, i) => (i * 31 + 7) & 0xff);
    // sql.js's unminified build, a module of its own, reads blobs as sql.js does.
    const require = createRequire(import.meta.url);
    const plain = await (require('sql.js/dist/sql-wasm-debug.js') as (o?: object) => Promise<SqlJsStatic>)();
    expect((Object.getPrototypeOf(new plain.Database().prepare('SELECT 1')) as { fastBlobs?: boolean }).fastBlobs).toBeUndefined();
    expect(reads(SQL, big)).toEqual(reads(plain, big));
  });
});
