import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { Workspace } from '../../shared/store/workspace';
import { publicViewStatements } from '../../shared/store/public-view';
import { registeredLocationsViewSql } from '../../shared/store/rating-index';
import { locationPeriodsViewSql } from '../../shared/store/locations';
import { importKindsOf } from '../../shared/store/imports';
import {
  DEFAULT_MEMORY_LIMIT_MB,
  DEFAULT_RESULT_BYTES,
  DEFAULT_ROW_LIMIT,
  DEFAULT_TIMEOUT_MS,
  SqlFigureError,
  WRITE_OPCODES,
  type SqlExecutor,
  type SqlJob,
  type SqlLimits,
  type SqlRunResult,
} from '../../shared/figures/sql';

/**
 * Runs analysts' SQL figures in a worker thread that holds a copy of the workspace, so that no query can hang or
 * exhaust the process that serves the user (Electron's main process, the loopback host, the CLI):
 * - time: sql.js has no progress handler or interrupt, so a query past its time limit is stopped by terminating the
 *   worker (V8 interrupts wasm loops); the next query starts a fresh one;
 * - memory: SQLite's heap is capped with `PRAGMA hard_heap_limit` (SQLite then fails the query with "out of memory"),
 *   the worker's JavaScript heap with `resourceLimits`, and a worker that grew is replaced so its memory is returned;
 * - size: rows and bytes of a result are counted as they are stepped, and a result over either limit is refused;
 * - writes: the program is compiled with EXPLAIN and refused if it would open anything for writing, and the copy is
 *   opened with `PRAGMA query_only = 1`, so even a statement that got past every check could change only the copy.
 *
 * The copy is the workspace's bytes, taken between writes (never inside one) and reloaded only when a query needs
 * newer data than the copy holds. A public edition's queries run on a second copy in which restricted material does
 * not exist (shared/store/public-view.ts).
 *
 * Each query is a message; the worker answers with the tables it read as soon as it has compiled the query, then with
 * the result, so even a query stopped by a limit is known to depend on those tables.
 */

// Plain JavaScript evaluated as the worker's script, so it runs the same under tsx, vitest and the bundled app.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const initSqlJs = require(workerData.sqlJsPath);
const WRITE = new Set(workerData.writeOpcodes);
let SQL; let internal; let publicDb; let seq = -1;
// Whether the internal copy has answered a query since it was loaded: until it has, making the public view replaces it
// (one copy of the database at a time, as a public export needs), and a later internal query asks for a reload.
let internalUsed = false;
function open(bytes) {
  // As a Buffer view, which sql.js's file system keeps as the file (a Buffer's slice shares its memory) instead of
  // copying: the bytes handed over are the copy, one at a time.
  const db = new SQL.Database(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  db.run('PRAGMA hard_heap_limit = ' + workerData.memoryBytes);
  // Views SQL figures may use (registered_locations, location_periods), on every copy: TEMP, so created before query_only.
  for (const s of workerData.views) db.run(s);
  return db;
}
function explain(db, m) {
  const bound = Object.keys(m.params).length ? m.params : undefined;
  const roots = new Set();
  let ex;
  try { ex = db.prepare('EXPLAIN ' + m.sql); } catch (e) { throw { message: 'The SQL could not be compiled: ' + e.message + '.' }; }
  try {
    if (bound) ex.bind(bound);
    while (ex.step()) {
      const r = ex.getAsObject();
      if (WRITE.has(r.opcode)) throw { message: 'The SQL is refused: SQLite reports that it would write (' + r.opcode + ').' };
      if (r.opcode === 'OpenRead') roots.add(r.p2);
    }
  } finally { ex.free(); }
  const tables = new Set();
  const sc = db.prepare("SELECT rootpage, tbl_name FROM sqlite_schema WHERE type IN ('table', 'index')");
  while (sc.step()) { const [root, name] = sc.get(); if (roots.has(root)) tables.add(name); }
  sc.free();
  return [...tables].sort();
}
function run(m) {
  const t0 = Date.now();
  let db = internal;
  if (m.view === 'public') {
    if (!publicDb) {
      const bytes = internal.export();
      if (internalUsed) {
        // export() reopened the internal copy, which turned query_only off again.
        internal.run('PRAGMA query_only = 1');
      } else {
        internal.close();
        internal = undefined;
      }
      publicDb = open(bytes);
      for (const s of workerData.publicView) publicDb.run(s);
      publicDb.run('PRAGMA query_only = 1');
    }
    db = publicDb;
  } else if (!internal) {
    return { reload: true };
  } else {
    internalUsed = true;
  }
  const tables = explain(db, m);
  parentPort.postMessage({ id: m.id, tables });
  const bound = Object.keys(m.params).length ? m.params : undefined;
  const st = db.prepare(m.sql);
  try {
    if (bound) st.bind(bound);
    const rows = [];
    let bytes = 0;
    while (st.step()) {
      if (rows.length >= m.rowLimit) return { error: 'The query returned more than ' + m.rowLimit.toLocaleString('en-GB') + ' rows, the limit for a figure: aggregate, filter or add a LIMIT.', limit: 'rows', tables };
      const row = st.get().map((v) => (v instanceof Uint8Array ? '<' + v.length + ' bytes>' : v));
      for (const v of row) bytes += typeof v === 'string' ? v.length : 8;
      if (bytes > m.maxBytes) return { error: 'The query returned more than ' + Math.round(m.maxBytes / 1048576) + ' MB of data, the limit for a figure: return counts or short labels, not whole texts.', limit: 'bytes', tables };
      rows.push(row);
    }
    return { columns: st.getColumnNames(), rows, tables, elapsedMs: Date.now() - t0, seq };
  } catch (e) {
    const msg = String(e && e.message ? e.message : e);
    if (/out of memory|too big/i.test(msg)) return { error: 'The query needed more than ' + workerData.memoryMb + ' MB of memory, the limit for a figure: aggregate or filter before building large values.', limit: 'memory', tables, restart: true };
    return { error: 'The query failed: ' + msg + '.', tables };
  } finally { st.free(); }
}
parentPort.on('message', (m) => {
  try {
    if (m.type === 'load') {
      if (internal) internal.close();
      if (publicDb) publicDb.close();
      publicDb = undefined;
      internal = open(m.bytes);
      internalUsed = m.keepInternal === true;
      internal.run('PRAGMA query_only = 1');
      seq = m.seq;
      parentPort.postMessage({ id: m.id, ok: true });
    } else if (m.type === 'run') {
      parentPort.postMessage({ id: m.id, final: true, ...run(m) });
    }
  } catch (e) {
    const msg = String(e && e.message ? e.message : e);
    parentPort.postMessage({ id: m.id, final: true, error: m.type === 'run' ? msg : 'The workspace copy for SQL figures could not be loaded: ' + msg + '.', restart: m.type !== 'run' });
  }
});
const wasm = fs.readFileSync(workerData.wasmPath);
initSqlJs({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) }).then(
  (s) => { SQL = s; parentPort.postMessage({ ready: true }); },
  (e) => parentPort.postMessage({ ready: false, error: 'sql.js could not start in the worker: ' + e.message }));
`;

/** Generous limits for starting the worker and loading a copy: these are not the query's own time. */
const START_TIMEOUT_MS = 60_000;
const LOAD_TIMEOUT_MS = 180_000;
/** The worker's own JavaScript heap: results are capped far below this; past it the worker dies, never the host. */
const WORKER_HEAP_MB = 512;

export interface WorkerSqlExecutor extends SqlExecutor {
  /** How many workers were started (a stopped query costs a restart): for tests and diagnostics. */
  readonly started: number;
  /** How many times the workspace was copied into a worker. */
  readonly loads: number;
}

interface Live {
  worker: Worker;
  seq: number;
  /** The message id answered by the next 'message' event with that id, and what to do with it. */
  waiting: Map<number, (m: Record<string, unknown>) => void>;
  /** Why the worker died, once it has: every waiting call gets this. */
  death?: SqlFigureError;
  ready: Promise<void>;
}

/**
 * A worker-backed executor for one workspace. Queries run one at a time, in order; each is stopped at its limits and
 * a stopped or exhausted worker is replaced for the next.
 */
export function createWorkerSqlExecutor(ws: Workspace, limits: Partial<SqlLimits> = {}): WorkerSqlExecutor {
  const require = createRequire(import.meta.url);
  const sqlJsPath = require.resolve('sql.js');
  const wasmPath = process.env.ASSAY_SQLJS_WASM ?? require.resolve('sql.js/dist/sql-wasm.wasm');
  const lim: SqlLimits = {
    rowLimit: limits.rowLimit ?? DEFAULT_ROW_LIMIT,
    timeoutMs: limits.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    memoryMb: limits.memoryMb ?? DEFAULT_MEMORY_LIMIT_MB,
    maxBytes: limits.maxBytes ?? DEFAULT_RESULT_BYTES,
  };
  let live: Live | undefined;
  let started = 0;
  let loads = 0;
  let nextId = 1;
  let queue: Promise<unknown> = Promise.resolve();
  let disposed = false;

  const stop = (l: Live | undefined) => {
    if (!l) return;
    if (live === l) live = undefined;
    void l.worker.terminate();
  };

  const start = (): Live => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        sqlJsPath,
        wasmPath,
        writeOpcodes: WRITE_OPCODES,
        publicView: publicViewStatements(),
        views: [registeredLocationsViewSql(importKindsOf('locations')), locationPeriodsViewSql()],
        memoryBytes: lim.memoryMb * 1024 * 1024,
        memoryMb: lim.memoryMb,
      },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 64 },
    });
    // A worker must never keep a CLI run or a test alive on its own.
    worker.unref();
    started++;
    const waiting = new Map<number, (m: Record<string, unknown>) => void>();
    let readyResolve!: () => void;
    let readyReject!: (e: SqlFigureError) => void;
    const l: Live = { worker, seq: -1, waiting, ready: new Promise<void>((res, rej) => ((readyResolve = res), (readyReject = rej))) };
    l.ready.catch(() => undefined);
    const die = (why: SqlFigureError) => {
      if (l.death) return;
      l.death = why;
      readyReject(why);
      for (const w of waiting.values()) w({ error: why.message, died: true, limit: why.limit });
      waiting.clear();
      if (live === l) live = undefined;
    };
    worker.on('message', (m: Record<string, unknown>) => {
      if ('ready' in m) {
        if (m.ready) readyResolve();
        else die(new SqlFigureError(`The SQL worker could not start: ${String(m.error)}`, undefined, undefined, true));
        return;
      }
      const w = waiting.get(m.id as number);
      if (w) w(m);
    });
    worker.on('error', (e: Error & { code?: string }) => {
      die(
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new SqlFigureError(`The query used more than the ${WORKER_HEAP_MB} MB of memory a figure may use, and was stopped.`, undefined, 'memory')
          : new SqlFigureError(`The SQL worker stopped unexpectedly: ${e.message}.`, undefined, undefined, true),
      );
    });
    worker.on('exit', (code) => die(new SqlFigureError(`The SQL worker stopped unexpectedly (exit code ${code}).`, undefined, undefined, true)));
    return l;
  };

  /** Sends a message and waits for its final answer; `onTables` sees the interim answer naming the tables read. */
  const call = (l: Live, msg: Record<string, unknown>, timeoutMs: number, onTables?: (t: string[]) => void, transfer: ArrayBuffer[] = []) =>
    new Promise<Record<string, unknown> | undefined>((resolve) => {
      if (l.death) return resolve({ error: l.death.message, died: true, limit: l.death.limit });
      const id = nextId++;
      const timer = setTimeout(() => {
        l.waiting.delete(id);
        resolve(undefined);
      }, timeoutMs);
      l.waiting.set(id, (m) => {
        if (Array.isArray(m.tables) && !('final' in m) && !('died' in m)) {
          onTables?.(m.tables as string[]);
          return;
        }
        clearTimeout(timer);
        l.waiting.delete(id);
        resolve(m);
      });
      l.worker.postMessage({ ...msg, id }, transfer);
    });

  const ready = async (): Promise<Live> => {
    live ??= start();
    const l = live;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, rej) => {
      timer = setTimeout(() => rej(new SqlFigureError('The SQL worker could not start in time.', undefined, undefined, true)), START_TIMEOUT_MS);
    });
    try {
      await Promise.race([l.ready, timeout]);
    } catch (e) {
      stop(l);
      throw e;
    } finally {
      clearTimeout(timer);
    }
    return l;
  };

  const load = async (l: Live, keepInternal = false): Promise<void> => {
    // Between writes, never inside one: the copy is a state the user could have seen.
    const snap = await ws.exclusive(() => ({ seq: ws.lastSeq, bytes: ws.export({ derived: false }) }));
    // Handed over, not copied, when the export owns its whole buffer (it does): one copy of the database at a time.
    const whole = snap.bytes.byteOffset === 0 && snap.bytes.byteLength === snap.bytes.buffer.byteLength && snap.bytes.buffer instanceof ArrayBuffer;
    const buf = (whole ? snap.bytes.buffer : snap.bytes.buffer.slice(snap.bytes.byteOffset, snap.bytes.byteOffset + snap.bytes.byteLength)) as ArrayBuffer;
    loads++;
    const m = await call(l, { type: 'load', bytes: new Uint8Array(buf), seq: snap.seq, keepInternal }, LOAD_TIMEOUT_MS, undefined, [buf]);
    if (!m?.ok) {
      stop(l);
      throw new SqlFigureError(m?.error ? String(m.error) : 'The workspace copy for SQL figures could not be loaded in time.', undefined, undefined, true);
    }
    l.seq = snap.seq;
  };

  const runOne = async (job: SqlJob): Promise<SqlRunResult> => {
    if (disposed) throw new SqlFigureError('The workspace was closed before the query ran.');
    const l = await ready();
    if (l.seq < 0 || l.seq < job.minSeq) await load(l);
    let tables: string[] | undefined;
    const ask = () => call(l, { type: 'run', sql: job.sql, params: job.params, view: job.view, rowLimit: lim.rowLimit, maxBytes: lim.maxBytes }, lim.timeoutMs, (t) => (tables = t));
    let m = await ask();
    if (m?.reload) {
      // The worker gave up its internal copy for the public view (nothing internal had been asked): load it again, kept
      // from now on, so that switching between the two views reloads at most once.
      await load(l, true);
      m = await ask();
    }
    const fail = (message: string, limit?: SqlFigureError['limit']) => Object.assign(new SqlFigureError(message, m?.tables as string[] | undefined ?? tables, limit), { seq: l.seq });
    if (!m) {
      stop(l);
      const secs = lim.timeoutMs / 1000;
      throw fail(
        `The query was stopped after ${secs.toLocaleString('en-GB')} ${secs === 1 ? 'second' : 'seconds'}, the time limit for a figure. ` +
          'Check it for a recursive CTE without an end, or a join without a condition.',
        'time',
      );
    }
    // A death by a limit is the query's doing; any other death is the runner's, and worth trying again.
    if (m.died) throw Object.assign(new SqlFigureError(String(m.error), (m.tables as string[] | undefined) ?? tables, m.limit as SqlFigureError['limit'], !m.limit), { seq: l.seq });
    if (m.restart) stop(l);
    if (m.error) throw fail(String(m.error), m.limit as SqlFigureError['limit']);
    return { columns: m.columns as string[], rows: m.rows as SqlRunResult['rows'], tables: m.tables as string[], elapsedMs: m.elapsedMs as number, seq: l.seq };
  };

  return {
    limits: lim,
    get started() {
      return started;
    },
    get loads() {
      return loads;
    },
    execute(job) {
      const p = queue.then(() => runOne(job));
      queue = p.catch(() => undefined);
      return p;
    },
    dispose() {
      disposed = true;
      stop(live);
    },
  };
}
