import type { FigureParams } from './types';
import { UserError } from '../util/errors';

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
/** SQLite's own heap for one query (sorting, grouping, strings it builds): past it SQLite stops with "out of memory". */
export const DEFAULT_MEMORY_LIMIT_MB = 256;
/** What a figure's result may hold in all, counting every string's length and 8 bytes a number. */
export const DEFAULT_RESULT_BYTES = 8 * 1024 * 1024;

/**
 * Which copy of the workspace a query sees. Public editions see a copy in which restricted material does not exist
 * (shared/store/public-view.ts); everything else sees the workspace as it is.
 */
export type SqlView = 'internal' | 'public';

export interface SqlLimits {
  rowLimit: number;
  timeoutMs: number;
  /** SQLite's heap limit for the query, in MB. */
  memoryMb: number;
  /** The most a result may hold, in bytes. */
  maxBytes: number;
}

/** One query to run. */
export interface SqlJob {
  sql: string;
  params: Record<string, string | number | null>;
  view: SqlView;
  /** The oldest workspace write sequence whose data the query may be answered from: the runner refreshes its copy when it is older. */
  minSeq: number;
}

export interface SqlRunResult {
  columns: string[];
  rows: (string | number | null)[][];
  /** The tables the query's compiled program reads (from EXPLAIN), for provenance and for recomputing on change. */
  tables: string[];
  elapsedMs: number;
  /** The write sequence of the copy the query ran on. */
  seq: number;
}

/**
 * Runs checked queries somewhere they can be stopped. sql.js has no progress handler or interrupt, so the only way to
 * stop a runaway query is to run it off the thread that serves the user and terminate that thread: the Node side
 * provides a worker (electron/services/sql-worker.ts). A failed run rejects with a SqlFigureError whose message says
 * what went wrong and which limit was hit; `tables` on the error, when known, says what the query read.
 */
export interface SqlExecutor {
  execute(job: SqlJob): Promise<SqlRunResult>;
  readonly limits: SqlLimits;
  dispose(): void;
}

/** The figure's SQL is the field at fault, whatever stopped it, so the builder shows the message beside the query. */
export class SqlFigureError extends UserError {
  constructor(
    message: string,
    /** The tables the query reads, when it got as far as being compiled. */
    readonly tables?: string[],
    /** Which limit stopped it, if one did. */
    readonly limit?: 'time' | 'memory' | 'rows' | 'bytes',
    /** A failure of the runner itself (it could not start, or load the workspace), not of the query: worth trying again. */
    readonly transient = false,
  ) {
    super('invalid', message, { fields: { sql: message } });
    this.name = 'SqlFigureError';
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

/**
 * Opcodes that mean the compiled program could change something. The runner refuses a program holding any of them.
 * (Insert and Delete alone are not: recursive CTEs and sorters insert into ephemeral tables; writing to a real table
 * always needs an OpenWrite cursor first.)
 */
export const WRITE_OPCODES: readonly string[] = ['OpenWrite', 'Destroy', 'Clear', 'CreateBtree', 'ParseSchema', 'VUpdate', 'Vacuum', 'JournalMode'];
