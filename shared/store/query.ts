import type { TableName } from './schema';
import type { SqlValue, Tx, Workspace } from './workspace';

/**
 * What a read needs: the workspace, or a write's transaction (which sees its own changes). Writes take the Tx itself.
 */
export type Db = Pick<Tx, 'all' | 'get'>;

/** A read that says which tables its answer is made from, so a view can run it again when a write touches one. */
export type Read<F> = F & { readonly tables: readonly TableName[] };

/**
 * Declares a read with the tables it depends on, including those read through other store reads it calls. The
 * owners test (shared/store/owners.test.ts) checks that every table its SQL names is declared.
 */
export function read<F extends (...args: never[]) => unknown>(tables: readonly TableName[], fn: F): Read<F> {
  return Object.assign(fn, { tables: Object.freeze([...tables]) });
}

/**
 * Steps through a large result without building an object per row: for whole-table passes (the location list, the
 * demo's calibration check) where getAsObject would cost more than the query.
 */
export function eachRow(ws: Pick<Workspace, 'db'>, sql: string, params: readonly SqlValue[], visit: (row: SqlValue[]) => void): void {
  const stmt = ws.db.prepare(sql);
  try {
    if (params.length) stmt.bind(params as SqlValue[]);
    while (stmt.step()) visit(stmt.get() as SqlValue[]);
  } finally {
    stmt.free();
  }
}

/** `?, ?, ?` for an IN list of n values (at least one, so an empty list still makes valid SQL). */
export function placeholders(n: number): string {
  return n > 0 ? new Array(n).fill('?').join(', ') : 'NULL';
}

/** A LIKE pattern that matches `s` anywhere, with LIKE's wildcards in `s` taken literally (use with ESCAPE '\'). */
export function containsPattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Parses a JSON column, falling back when it is missing or unreadable (a damaged cell must not stop a screen). */
export function jsonColumn<T>(s: string | null | undefined, fallback: T): T {
  if (s === null || s === undefined) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
}

/**
 * Inserts many rows through one prepared statement that takes `perStatement` rows at a time. sql.js pays a fixed cost
 * per statement execution (crossing into WebAssembly, stepping, resetting), so a multi-row VALUES list cuts the write
 * phase of a national import substantially compared with one row per execution.
 */
export function insertRows(tx: Tx, head: string, width: number, rows: readonly (readonly SqlValue[])[], perStatement = 64): number {
  if (rows.length === 0) return 0;
  const tuple = `(${new Array(width).fill('?').join(', ')})`;
  const full = Math.floor(rows.length / perStatement);
  if (full > 0) {
    const sql = `${head} VALUES ${new Array(perStatement).fill(tuple).join(', ')}`;
    // One fresh array per batch (a journalled write keeps the parameters it is given), filled by hand rather than
    // through slice().flat(), which allocated an array per row.
    function* batches() {
      for (let b = 0; b < full; b++) {
        const params: SqlValue[] = new Array(perStatement * width);
        let k = 0;
        for (let r = b * perStatement; r < (b + 1) * perStatement; r++) {
          const row = rows[r]!;
          for (let c = 0; c < width; c++) params[k++] = row[c] ?? null;
        }
        yield params;
      }
    }
    tx.runMany(sql, batches());
  }
  const rest = rows.slice(full * perStatement);
  if (rest.length) tx.runMany(`${head} VALUES ${new Array(rest.length).fill(tuple).join(', ')}`, [rest.flat()]);
  return rows.length;
}
