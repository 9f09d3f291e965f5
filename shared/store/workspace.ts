import { rearmRowHook } from './row-hook';
import type { Database, SqlJsStatic, SqlValue as SqlJsValue } from 'sql.js';
import { ASSAY_APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, TABLES, type Migration } from './schema';
import { WorkspaceError } from './errors';
import { newId, nowIso } from '../util/runtime';
import { cleanName } from '../util/escape';

export type SqlValue = number | string | Uint8Array | null;
export type Params = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

export interface Statement {
  sql: string;
  params?: Params | undefined;
}

/** A row-level note a repository function leaves so that the figure engine can update only what a write touched. */
export interface RowChange {
  table: string;
  op: 'insert' | 'update' | 'delete';
  key?: Record<string, SqlValue> | undefined;
}

/** One acknowledged write, as the journal stores it and replays it. */
export interface WriteEntry {
  seq: number;
  label: string;
  actor: string;
  at: string;
  statements: Statement[];
}

export interface WriteResult<T> {
  value: T;
  seq: number;
  tables: string[];
  changes: RowChange[];
}

export interface ChangeEvent {
  seq: number;
  label: string;
  tables: string[];
  changes: RowChange[];
}

/**
 * Where acknowledged writes go before they are acknowledged. The Node side gives a journal that appends and flushes;
 * tests and the CLI's one-shot commands may pass none and save afterwards.
 */
export interface Durability {
  append(entry: WriteEntry): Promise<void>;
}

export interface WriteOptions {
  actor?: string;
  /**
   * Skip the journal for this write: for bulk writes (imports, demo generation) that the caller follows with a full
   * save before reporting success.
   */
  unjournaled?: boolean;
}

const WRITE_VERB = /^\s*(?:WITH\b[\s\S]*?\)\s*)?(INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+["`[]?(\w+)/i;

/** The table a data-changing statement writes to, or undefined for anything else. */
export function tableWritten(sql: string): string | undefined {
  const m = WRITE_VERB.exec(sql);
  return m ? m[2]!.toLowerCase() : undefined;
}

/** The handle repository functions get inside a write. Reads see the transaction's own changes. */
export interface Tx {
  run(sql: string, params?: Params): number;
  /** Runs one statement for many parameter sets through a single prepared statement: for bulk inserts. */
  runMany(sql: string, rows: Iterable<Params>): number;
  all<T = Record<string, SqlValue>>(sql: string, params?: Params): T[];
  get<T = Record<string, SqlValue>>(sql: string, params?: Params): T | undefined;
  note(change: RowChange): void;
  readonly actor: string;
  readonly at: string;
}

function bind(params: Params | undefined): SqlJsValue[] | Record<string, SqlJsValue> | undefined {
  if (params === undefined) return undefined;
  return params as SqlJsValue[] | Record<string, SqlJsValue>;
}

/** SQLite's header: the first 16 bytes of every database file. */
const SQLITE_MAGIC = 'SQLite format 3\u0000';

/**
 * Checks raw bytes before sql.js sees them, so that the refusal names what is wrong. Returns the schema version found.
 * Never modifies anything: the bytes are copied into sql.js's memory, not the file.
 */
export function inspectHeader(bytes: Uint8Array, file?: string, size = bytes.length): { pageSize: number; pageCount: number } {
  const name = file ?? 'The file';
  if (size === 0) throw new WorkspaceError('empty', `${name} is empty (0 bytes): it is not an Assay workspace.`, file);
  const magic = String.fromCharCode(...bytes.subarray(0, 16));
  if (size < 100 || bytes.length < 100 || magic !== SQLITE_MAGIC) {
    throw new WorkspaceError('not-sqlite', `${name} is not an Assay workspace: it is not a SQLite database.`, file);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pageSize = view.getUint16(16);
  if (pageSize === 1) pageSize = 65536;
  const pageCount = view.getUint32(28);
  const validFor = view.getUint32(24) === view.getUint32(92);
  if (validFor && pageCount > 0 && size < pageSize * pageCount) {
    throw new WorkspaceError(
      'truncated',
      `${name} is damaged: it is shorter than its own header says (${size} of ${pageSize * pageCount} bytes). ` +
        'It may have been copied incompletely. Open a backup or an earlier copy.',
      file,
    );
  }
  if (size % pageSize !== 0) {
    throw new WorkspaceError('truncated', `${name} is damaged: its size is not a whole number of database pages.`, file);
  }
  return { pageSize, pageCount };
}

/**
 * A workspace file read a page at a time as SQLite asks (read-only opens; see electron/services/file-pages.ts), in
 * place of all its bytes.
 */
export interface PagedSource {
  /** The file's size in bytes. */
  readonly size: number;
  /** Its first `n` bytes. */
  head(n: number): Uint8Array;
  /** What sql.js is given in place of the bytes. */
  readonly sqlData: unknown;
}

export interface OpenResult {
  workspace: Workspace;
  /** The schema version the file had before any migration. */
  foundVersion: number;
  /** True when the file is older than this app and needs migrating (the caller backs it up first). */
  needsMigration: boolean;
}

/** Derived, rebuildable state kept in the file: see {@link Workspace.addDerivedState}. */
export interface DerivedState {
  /** True when store() would write something. */
  pending(): boolean;
  /** Writes the state into the database (its own transaction); called outside any write. */
  store(): void;
}

export class Workspace {
  readonly db: Database;
  private queue: Promise<unknown> = Promise.resolve();
  private durability: Durability | undefined;
  private listeners = new Set<(e: ChangeEvent) => void>();
  private seq: number;
  private dirty = false;
  private inTx = false;
  private derived = new Set<DerivedState>();

  private constructor(db: Database) {
    this.db = db;
    this.seq = Number(this.metaValue('journal_seq') ?? 0);
  }

  /** A new, empty workspace at the current schema version. */
  static create(SQL: SqlJsStatic, opts: { name?: string; now?: string; /** an older ledger, to make files of an older format in tests */ migrations?: readonly Migration[] } = {}): Workspace {
    const db = new SQL.Database();
    db.run('PRAGMA foreign_keys = ON');
    db.run(`PRAGMA application_id = ${ASSAY_APPLICATION_ID}`);
    applyMigrations(db, opts.migrations ?? MIGRATIONS, 0, opts.now ?? nowIso());
    const ws = new Workspace(db);
    const at = opts.now ?? nowIso();
    const put = db.prepare('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)');
    for (const [k, v] of [
      ['workspace_id', newId()],
      ['name', opts.name ?? 'Untitled workspace'],
      ['created_at', at],
      ['journal_seq', '0'],
    ] as const) {
      put.run([k, v]);
    }
    put.free();
    ws.dirty = true;
    return ws;
  }

  /**
   * Opens a workspace from the bytes of a file. Refuses, with a message naming the problem, anything that is not an
   * Assay workspace this version can read. Does not migrate: see {@link Workspace.migrate}.
   */
  static open(SQL: SqlJsStatic, source: Uint8Array | PagedSource, opts: { file?: string; migrations?: readonly Migration[] } = {}): OpenResult {
    const file = opts.file;
    const name = file ?? 'The file';
    const migrations = opts.migrations ?? MIGRATIONS;
    const latest = migrations[migrations.length - 1]!.version;
    if (source instanceof Uint8Array) inspectHeader(source, file);
    else inspectHeader(source.head(100), file, source.size);
    let db: Database;
    try {
      db = new SQL.Database(source instanceof Uint8Array ? source : (source.sqlData as Uint8Array));
    } catch (e) {
      throw new WorkspaceError('corrupt', `${name} could not be read as a database: ${(e as Error).message}.`, file);
    }
    try {
      const appId = scalar(db, 'PRAGMA application_id');
      const version = scalar(db, 'PRAGMA user_version');
      if (appId !== ASSAY_APPLICATION_ID) {
        throw new WorkspaceError(
          'not-assay',
          `${name} is a SQLite database but not an Assay workspace (its application id is ${appId}, not ${ASSAY_APPLICATION_ID}).`,
          file,
        );
      }
      if (version > latest) {
        throw new WorkspaceError(
          'too-new',
          `${name} was made by a newer version of Assay (workspace format ${version}; this version reads up to ${latest}). ` +
            'Update Assay to open it. The file has not been changed.',
          file,
        );
      }
      if (version < 1) {
        throw new WorkspaceError('not-assay', `${name} is marked as an Assay workspace but has no schema.`, file);
      }
      // Touch the schema so a damaged file fails here, with a message, rather than on first use.
      scalar(db, 'SELECT count(*) FROM sqlite_schema');
      const missing = missingTables(db, migrations, version);
      if (missing.length > 0) {
        throw new WorkspaceError(
          'corrupt',
          `${name} is marked as an Assay workspace but is missing ${missing.length === 1 ? 'the table' : 'the tables'} ` +
            `${missing.join(', ')}: another program may have changed it. Open a backup or an earlier copy. The file has not been changed.`,
          file,
        );
      }
      scalar(db, 'SELECT count(*) FROM meta');
      db.run('PRAGMA foreign_keys = ON');
      const ws = new Workspace(db);
      return { workspace: ws, foundVersion: version, needsMigration: version < latest };
    } catch (e) {
      db.close();
      if (e instanceof WorkspaceError) throw e;
      const msg = (e as Error).message;
      throw new WorkspaceError(
        'corrupt',
        `${name} is damaged and cannot be opened (${msg}). The file has not been changed.`,
        file,
      );
    }
  }

  /** Brings an older workspace up to date in one transaction. The caller must have made a backup. */
  migrate(migrations: readonly Migration[] = MIGRATIONS, now = nowIso()): number[] {
    const from = scalar(this.db, 'PRAGMA user_version');
    const applied = applyMigrations(this.db, migrations, from, now);
    if (applied.length) this.dirty = true;
    return applied;
  }

  get schemaVersion(): number {
    return scalar(this.db, 'PRAGMA user_version');
  }

  /** The id the workspace was given when it was created: its journal carries it, so a journal never lands on another file. */
  get workspaceId(): string {
    return this.metaValue('workspace_id') ?? '';
  }

  /** The sequence number of the last write applied: saved into the file so journal replay can skip what it holds. */
  get lastSeq(): number {
    return this.seq;
  }

  get isDirty(): boolean {
    return this.dirty;
  }

  setDurability(d: Durability | undefined): void {
    this.durability = d;
  }

  onChange(listener: (e: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  all<T = Record<string, SqlValue>>(sql: string, params?: Params): T[] {
    const stmt = this.db.prepare(sql);
    try {
      const b = bind(params);
      if (b !== undefined) stmt.bind(b);
      const out: T[] = [];
      while (stmt.step()) out.push(stmt.getAsObject() as T);
      return out;
    } finally {
      stmt.free();
    }
  }

  get<T = Record<string, SqlValue>>(sql: string, params?: Params): T | undefined {
    const stmt = this.db.prepare(sql);
    try {
      const b = bind(params);
      if (b !== undefined) stmt.bind(b);
      return stmt.step() ? (stmt.getAsObject() as T) : undefined;
    } finally {
      stmt.free();
    }
  }

  /** One column of the first row, or undefined. */
  value<T extends SqlValue = SqlValue>(sql: string, params?: Params): T | undefined {
    const stmt = this.db.prepare(sql);
    try {
      const b = bind(params);
      if (b !== undefined) stmt.bind(b);
      return stmt.step() ? (stmt.get()[0] as T) : undefined;
    } finally {
      stmt.free();
    }
  }

  metaValue(key: string): string | undefined {
    try {
      return this.value<string>('SELECT value FROM meta WHERE key = ?', [key]) ?? undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Runs `fn` as one transaction, after every write queued before it. The promise resolves only once the write is
   * durable (journalled), and rejects, with nothing changed, if `fn` throws or the journal cannot be written.
   */
  write<T>(label: string, fn: (tx: Tx) => T, opts: WriteOptions = {}): Promise<WriteResult<T>> {
    const run = async (): Promise<WriteResult<T>> => {
      // Whoever the caller says made the change goes into every audit entry, which `assay audit` prints: no controls.
      const actor = cleanName(opts.actor ?? '') || 'unknown';
      const at = nowIso();
      const statements: Statement[] = [];
      const tables = new Set<string>();
      const changes: RowChange[] = [];
      const journal = !opts.unjournaled;
      const tx: Tx = {
        actor,
        at,
        run: (sql, params) => {
          this.db.run(sql, bind(params));
          if (journal) statements.push(params === undefined ? { sql } : { sql, params });
          const t = tableWritten(sql);
          if (t) tables.add(t);
          return this.db.getRowsModified();
        },
        runMany: (sql, rows) => {
          const stmt = this.db.prepare(sql);
          let n = 0;
          try {
            for (const params of rows) {
              stmt.run(bind(params) as SqlJsValue[]);
              if (journal) statements.push({ sql, params });
              n++;
            }
          } finally {
            stmt.free();
          }
          const t = tableWritten(sql);
          if (t && n > 0) tables.add(t);
          return n;
        },
        all: (sql, params) => this.all(sql, params),
        get: (sql, params) => this.get(sql, params),
        note: (c) => {
          changes.push(c);
          tables.add(c.table);
        },
      };
      this.inTx = true;
      this.db.run('BEGIN IMMEDIATE');
      let value: T;
      const seq = this.seq + 1;
      try {
        value = fn(tx);
        const seqStmt = { sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('journal_seq', ?)", params: [String(seq)] };
        this.db.run(seqStmt.sql, seqStmt.params);
        if (journal && this.durability && statements.length > 0) {
          await this.durability.append({ seq, label, actor, at, statements });
        }
        this.db.run('COMMIT');
      } catch (e) {
        try {
          this.db.run('ROLLBACK');
        } catch {
          /* the transaction may already have ended */
        }
        throw e;
      } finally {
        this.inTx = false;
      }
      this.seq = seq;
      this.dirty = true;
      const event: ChangeEvent = { seq, label, tables: [...tables].sort(), changes };
      for (const l of this.listeners) {
        try {
          l(event);
        } catch {
          /* a listener's failure must not undo an acknowledged write */
        }
      }
      return { value, seq, tables: event.tables, changes };
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /**
   * Runs `fn` alone: after every write queued before it and before any queued after it. Saving uses this so that the
   * bytes written and the journal's truncation agree.
   */
  exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    const p = this.queue.then(fn, fn);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** Resolves when every write queued so far has finished. */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /**
   * Replays a journal entry read back on open. Entries the file already holds (seq at or below the saved one) are
   * skipped, so a crash between a save and the journal's truncation is harmless.
   */
  replay(entry: WriteEntry): boolean {
    if (entry.seq <= this.seq) return false;
    this.db.run('BEGIN');
    try {
      for (const s of entry.statements) this.db.run(s.sql, bind(s.params));
      this.db.run("INSERT OR REPLACE INTO meta(key, value) VALUES ('journal_seq', ?)", [String(entry.seq)]);
      this.db.run('COMMIT');
    } catch (e) {
      this.db.run('ROLLBACK');
      throw e;
    }
    this.seq = entry.seq;
    this.dirty = true;
    return true;
  }

  /** True while a write's transaction is open (a read now may see rows that are later rolled back). */
  get inWrite(): boolean {
    return this.inTx;
  }

  /**
   * Registers derived state kept in the file (a cache such as the figure index). An export asked for it
   * (`derived: true`: closing the file, after an import, a copy) lets it store itself first; it is never journaled or
   * audited, and its failure never stops a save. Autosaves leave it out: storing a large index costs more than the
   * rest of the save, and it only matters to the next open.
   */
  addDerivedState(d: DerivedState): () => void {
    this.derived.add(d);
    return () => this.derived.delete(d);
  }

  /** Whether some derived state has something worth storing: closing saves then, though no user data changed. */
  get hasDerivedPending(): boolean {
    for (const d of this.derived) if (d.pending()) return true;
    return false;
  }

  /** The whole database as bytes, for a full save; with `derived: true`, derived state is stored first so the file carries it. */
  export(opts: { derived?: boolean } = {}): Uint8Array {
    if (this.inTx) throw new Error('Cannot export the workspace in the middle of a write.');
    if (opts.derived) {
      for (const d of this.derived) {
        try {
          d.store();
        } catch {
          /* a cache that cannot be stored is rebuilt on the next open; the save must go on */
        }
      }
    }
    const bytes = this.db.export();
    // sql.js reopened the database: the row-change hook must be registered on the new handle.
    rearmRowHook(this.db);
    // sql.js turns foreign keys off again when it reopens the database after an export.
    this.db.run('PRAGMA foreign_keys = ON');
    return bytes;
  }

  markSaved(): void {
    this.dirty = false;
  }

  close(): void {
    this.db.close();
    this.listeners.clear();
    this.derived.clear();
  }
}

function scalar(db: Database, sql: string): number {
  const r = db.exec(sql);
  return Number(r[0]?.values[0]?.[0] ?? 0);
}

/**
 * Core tables a file at `version` must have, by the ledger that made them: a table a later migration adds is not
 * missing from an older file, which the migration will add.
 */
function missingTables(db: Database, migrations: readonly Migration[], version: number): string[] {
  const created = new Set<string>();
  for (const m of migrations) {
    if (m.version > version) continue;
    for (const match of m.sql.matchAll(/CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?["`[]?(\w+)/gi)) created.add(match[1]!.toLowerCase());
  }
  const present = new Set(
    (db.exec("SELECT lower(name) FROM sqlite_schema WHERE type = 'table'")[0]?.values ?? []).map((r) => String(r[0])),
  );
  return TABLES.filter((t) => created.has(t) && !present.has(t));
}

function applyMigrations(db: Database, migrations: readonly Migration[], from: number, now: string): number[] {
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return [];
  db.run('BEGIN');
  try {
    for (const m of pending) {
      db.exec(m.sql);
      db.run('INSERT INTO migrations(version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, now]);
      db.run(`PRAGMA user_version = ${m.version}`);
    }
    db.run('COMMIT');
  } catch (e) {
    db.run('ROLLBACK');
    throw e;
  }
  return pending.map((m) => m.version);
}

export { SCHEMA_VERSION };

/** Sets workspace metadata (name, demonstration flag…) inside a write. */
export function setMeta(tx: Tx, entries: Readonly<Record<string, string>>): void {
  tx.runMany('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)', Object.entries(entries));
}
