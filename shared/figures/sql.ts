import type { Database } from 'sql.js';
import { FigureSpecError } from './spec';
import type { FigureParams } from './types';

/**
 * Analysts' SQL figures: exactly one read-only SELECT (or WITH ... SELECT) statement with named parameters.
 *
 * Checking is layered, because each layer alone has gaps: a lexical check gives the clear message (what was refused
 * and why); SQLite's own tokeniser counts statements; EXPLAIN shows whether the compiled program would open any table
 * for writing; and the query then runs with `PRAGMA query_only = 1`, so a statement that slipped through all of them
 * still could not change the workspace.
 */

export const DEFAULT_ROW_LIMIT = 10_000;
export const DEFAULT_TIMEOUT_MS = 5_000;

export interface SqlRunOptions {
  rowLimit: number;
  timeoutMs: number;
  /** The workspace write sequence the caller has seen: a runner holding a snapshot refreshes it when this moves on. */
  seq: number;
}

export interface SqlRunResult {
  columns: string[];
  rows: (string | number | null)[][];
  /** The tables the query's compiled program reads (from EXPLAIN), for provenance and for recomputing on change. */
  tables: string[];
  elapsedMs: number;
}

/**
 * Runs a checked query somewhere it can be stopped. sql.js has no progress handler or interrupt, so the only way to
 * stop a runaway query is to run it off the main thread and terminate that thread: the Node side provides a worker
 * implementation (electron/services/sql-worker.ts). Runners throw SqlFigureError with a message for the analyst.
 */
export interface SqlRunner {
  run(sql: string, params: Record<string, string | number | null>, opts: SqlRunOptions): SqlRunResult;
  dispose(): void;
}

export class SqlFigureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SqlFigureError';
    (this as { userFacing?: boolean }).userFacing = true;
  }
}

/** Words that have no business in a read-only figure query, anywhere outside strings and comments. */
const FORBIDDEN: Record<string, string> = {
  insert: 'it would insert rows',
  update: 'it would update rows',
  delete: 'it would delete rows',
  replace: 'it would replace rows',
  upsert: 'it would change rows',
  create: 'it would create a schema object',
  drop: 'it would drop a schema object',
  alter: 'it would alter the schema',
  attach: 'ATTACH opens another database',
  detach: 'DETACH changes the attached databases',
  pragma: 'PRAGMA statements can change settings',
  vacuum: 'VACUUM rewrites the database',
  reindex: 'REINDEX rewrites indexes',
  analyze: 'ANALYZE writes statistics tables',
  begin: 'transactions are not allowed',
  commit: 'transactions are not allowed',
  rollback: 'transactions are not allowed',
  savepoint: 'transactions are not allowed',
  release: 'transactions are not allowed',
  load_extension: 'extensions cannot be loaded',
};

interface Token {
  text: string;
  kind: 'word' | 'string' | 'punct' | 'param';
}

/** A small SQLite tokeniser: enough to see words outside strings, quoted identifiers and comments. */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) break;
        if (sql[j] === close) {
          if (close !== ']' && sql[j + 1] === close) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      out.push({ text: sql.slice(i, j + 1), kind: c === "'" ? 'string' : 'word' });
      i = j + 1;
    } else if ((c === ':' || c === '$' || c === '@') && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_]/.test(sql[j]!)) j++;
      out.push({ text: sql.slice(i, j), kind: 'param' });
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_$]/.test(sql[j]!)) j++;
      out.push({ text: sql.slice(i, j), kind: 'word' });
      i = j;
    } else {
      out.push({ text: c, kind: 'punct' });
      i++;
    }
  }
  return out;
}

/** The named parameters a query uses, without their prefix (":asAt" and "$asAt" both give "asAt"). */
export function sqlParamNames(sql: string): string[] {
  const names: string[] = [];
  for (const t of tokenize(sql)) if (t.kind === 'param' && !names.includes(t.text.slice(1))) names.push(t.text.slice(1));
  return names;
}

/**
 * The lexical check: one statement, starting with SELECT or WITH, with none of the forbidden words outside strings.
 * Returns the statement without a trailing semicolon. Throws SqlFigureError with the reason.
 */
export function checkSql(sql: string): string {
  const tokens = tokenize(sql);
  if (tokens.length === 0) throw new SqlFigureError('The SQL is empty: write one SELECT statement.');
  const semis = tokens.map((t, i) => (t.kind === 'punct' && t.text === ';' ? i : -1)).filter((i) => i >= 0);
  const lastReal = semis.length && semis[semis.length - 1] === tokens.length - 1 ? semis.slice(0, -1) : semis;
  if (lastReal.length > 0) {
    throw new SqlFigureError('The SQL holds several statements: a figure runs exactly one SELECT statement (remove everything after the first ";").');
  }
  const first = tokens[0]!.text.toLowerCase();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word') continue;
    const w = t.text.toLowerCase();
    // replace(x, 'a', 'b') is SQLite's string function, not REPLACE INTO.
    if (w === 'replace' && tokens[i + 1]?.text === '(') continue;
    const why = FORBIDDEN[w];
    if (why) {
      throw new SqlFigureError(`The SQL is refused: it uses ${t.text.toUpperCase()} (${why}). A figure may only read, with one SELECT or WITH statement.`);
    }
  }
  if (first !== 'select' && first !== 'with' && first !== 'values') {
    throw new SqlFigureError(`The SQL must be one SELECT or WITH statement; it starts with ${tokens[0]!.text.toUpperCase()}.`);
  }
  let end = sql.length;
  const trimmed = sql.trimEnd();
  if (trimmed.endsWith(';')) end = trimmed.length - 1;
  return sql.slice(0, end);
}

/** Binds figure parameters to the names the query uses, with the prefix sql.js expects. Missing ones are an error. */
export function bindSqlParams(sql: string, params: FigureParams): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const t of tokenize(sql)) {
    if (t.kind !== 'param') continue;
    const name = t.text.slice(1);
    const v = params[name];
    if (v === undefined) throw new SqlFigureError(`The SQL uses ${t.text} but no parameter "${name}" was given.`);
    out[t.text] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
  }
  return out;
}

/** Opcodes that mean the compiled program could change something. */
// (Insert and Delete alone are not: recursive CTEs and sorters insert into ephemeral tables; writing to a real table
// always needs an OpenWrite cursor first.)
const WRITE_OPCODES = new Set(['OpenWrite', 'Destroy', 'Clear', 'CreateBtree', 'ParseSchema', 'VUpdate', 'Vacuum', 'JournalMode']);

/**
 * Compiles the query with EXPLAIN (which runs nothing) and returns the tables it reads; refuses a program that would
 * write. Also catches syntax errors with SQLite's own message.
 */
export function explainSql(db: Database, sql: string, bound: Record<string, string | number | null>): string[] {
  let stmt;
  try {
    stmt = db.prepare(`EXPLAIN ${sql}`);
  } catch (e) {
    throw new SqlFigureError(`The SQL could not be compiled: ${(e as Error).message}.`);
  }
  const roots = new Set<number>();
  try {
    if (Object.keys(bound).length) stmt.bind(bound);
    while (stmt.step()) {
      const r = stmt.getAsObject() as { opcode: string; p2: number };
      if (WRITE_OPCODES.has(r.opcode)) throw new SqlFigureError(`The SQL is refused: SQLite reports that it would write (${r.opcode}).`);
      if (r.opcode === 'OpenRead') roots.add(r.p2);
    }
  } finally {
    stmt.free();
  }
  const tables = new Set<string>();
  const st = db.prepare("SELECT rootpage, tbl_name FROM sqlite_schema WHERE type IN ('table', 'index')");
  try {
    while (st.step()) {
      const [root, name] = st.get() as [number, string];
      if (roots.has(root)) tables.add(name);
    }
  } finally {
    st.free();
  }
  return [...tables].sort();
}

/**
 * Steps a prepared query, enforcing the row limit. Shared by the in-process runner and the worker, so both refuse
 * the same way.
 */
export function stepRows(db: Database, sql: string, bound: Record<string, string | number | null>, rowLimit: number): { columns: string[]; rows: (string | number | null)[][] } {
  const stmt = db.prepare(sql);
  try {
    if (Object.keys(bound).length) stmt.bind(bound);
    const rows: (string | number | null)[][] = [];
    while (stmt.step()) {
      if (rows.length >= rowLimit) {
        throw new SqlFigureError(`The query returned more than ${rowLimit.toLocaleString('en-GB')} rows, the limit for a figure: aggregate, filter or add a LIMIT.`);
      }
      const r = stmt.get();
      rows.push(r.map((v) => (v instanceof Uint8Array ? `<${v.length} bytes>` : (v as string | number | null))));
    }
    return { columns: stmt.getColumnNames(), rows };
  } catch (e) {
    if (e instanceof SqlFigureError) throw e;
    throw new SqlFigureError(`The query failed: ${(e as Error).message}.`);
  } finally {
    stmt.free();
  }
}

/**
 * Runs a query on the workspace's own database, with query_only on for its duration and the row limit. It cannot
 * enforce the time limit (nothing can interrupt sql.js on the thread running it): use it only where no SqlRunner is
 * available, as in tests of the pure engine.
 */
export function runInProcess(db: Database, sql: string, bound: Record<string, string | number | null>, rowLimit: number): SqlRunResult {
  const t0 = Date.now();
  const tables = explainSql(db, sql, bound);
  db.run('PRAGMA query_only = 1');
  try {
    const { columns, rows } = stepRows(db, sql, bound, rowLimit);
    return { columns, rows, tables, elapsedMs: Date.now() - t0 };
  } finally {
    db.run('PRAGMA query_only = 0');
  }
}
