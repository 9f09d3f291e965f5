import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { Workspace } from '../../shared/store/workspace';
import { SqlFigureError, type SqlRunner, type SqlRunOptions, type SqlRunResult } from '../../shared/figures/sql';

/**
 * Runs analysts' SQL figures in a worker thread that holds a snapshot of the workspace, so that a runaway query can
 * be stopped: sql.js has no progress handler or interrupt, and a query running on the main thread could only be
 * waited for. The figure engine is synchronous, so the main thread blocks on a shared flag (Atomics.wait) with the
 * time limit and takes the reply with receiveMessageOnPort; on timeout it terminates the worker (V8 interrupts wasm
 * loops) and starts a fresh one next time.
 *
 * The snapshot is the workspace exported as bytes, reloaded when the workspace's write sequence has moved on since
 * the last load, and opened with `PRAGMA query_only = 1`: even a statement that got past the engine's checks could
 * change only the worker's private copy, never the workspace.
 */

// Plain JavaScript, evaluated as the worker's script, so it runs the same under tsx, vitest and the bundled app.
// It mirrors shared/figures/sql.ts's explainSql and stepRows (which the worker cannot import as TypeScript).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const initSqlJs = require(workerData.sqlJsPath);
const { port, flag } = workerData;
const WRITE = new Set(${JSON.stringify(['OpenWrite', 'Destroy', 'Clear', 'CreateBtree', 'ParseSchema', 'VUpdate', 'Vacuum', 'JournalMode'])});
let SQL; let db;
function reply(msg) { port.postMessage(msg); Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); }
function run(m) {
  const t0 = Date.now();
  const bound = Object.keys(m.params).length ? m.params : undefined;
  const roots = new Set();
  const ex = db.prepare('EXPLAIN ' + m.sql);
  try {
    if (bound) ex.bind(bound);
    while (ex.step()) {
      const r = ex.getAsObject();
      if (WRITE.has(r.opcode)) return { error: 'The SQL is refused: SQLite reports that it would write (' + r.opcode + ').' };
      if (r.opcode === 'OpenRead') roots.add(r.p2);
    }
  } finally { ex.free(); }
  const tables = new Set();
  const sc = db.prepare("SELECT rootpage, tbl_name FROM sqlite_schema WHERE type IN ('table', 'index')");
  while (sc.step()) { const [root, name] = sc.get(); if (roots.has(root)) tables.add(name); }
  sc.free();
  const st = db.prepare(m.sql);
  try {
    if (bound) st.bind(bound);
    const rows = [];
    while (st.step()) {
      if (rows.length >= m.rowLimit) return { error: 'The query returned more than ' + m.rowLimit.toLocaleString('en-GB') + ' rows, the limit for a figure: aggregate, filter or add a LIMIT.' };
      rows.push(st.get().map((v) => (v instanceof Uint8Array ? '<' + v.length + ' bytes>' : v)));
    }
    return { columns: st.getColumnNames(), rows, tables: [...tables].sort(), elapsedMs: Date.now() - t0 };
  } finally { st.free(); }
}
port.on('message', (m) => {
  try {
    if (m.type === 'load') {
      if (db) db.close();
      db = new SQL.Database(m.bytes);
      db.run('PRAGMA query_only = 1');
      reply({ ok: true });
    } else if (m.type === 'run') {
      reply(run(m));
    }
  } catch (e) {
    reply({ error: (m.type === 'run' ? 'The query failed: ' : 'The workspace snapshot could not be loaded: ') + (e && e.message ? e.message : String(e)) + '.' });
  }
});
const wasm = fs.readFileSync(workerData.wasmPath);
initSqlJs({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) }).then((s) => { SQL = s; reply({ ready: true }); },
  (e) => reply({ error: 'sql.js could not start in the worker: ' + e.message }));
`;

/** Generous limits for starting the worker and loading a snapshot: these are not the query's own time. */
const START_TIMEOUT_MS = 60_000;
const LOAD_TIMEOUT_MS = 120_000;

interface Live {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
  seq: number;
}

export interface WorkerSqlRunner extends SqlRunner {
  /** How many workers were started (a stopped query costs a restart): for tests and diagnostics. */
  readonly started: number;
}

export function createWorkerSqlRunner(ws: Workspace): WorkerSqlRunner {
  const require = createRequire(import.meta.url);
  const sqlJsPath = require.resolve('sql.js');
  const wasmPath = process.env.ASSAY_SQLJS_WASM ?? require.resolve('sql.js/dist/sql-wasm.wasm');
  let live: Live | undefined;
  let started = 0;

  const call = (l: Live, msg: unknown, timeoutMs: number, transfer: ArrayBuffer[] = []): Record<string, unknown> | undefined => {
    Atomics.store(l.flag, 0, 0);
    l.port.postMessage(msg, transfer);
    const r = Atomics.wait(l.flag, 0, 0, timeoutMs);
    if (r === 'timed-out') return undefined;
    const got = receiveMessageOnPort(l.port);
    return got?.message as Record<string, unknown> | undefined;
  };

  const stop = () => {
    if (!live) return;
    void live.worker.terminate();
    live.port.close();
    live = undefined;
  };

  const start = (): Live => {
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { sqlJsPath, wasmPath, port: port2, flag }, transferList: [port2] });
    worker.unref();
    started++;
    const l: Live = { worker, port: port1, flag, seq: -1 };
    const r = Atomics.wait(flag, 0, 0, START_TIMEOUT_MS);
    const m = r === 'timed-out' ? undefined : (receiveMessageOnPort(port1)?.message as Record<string, unknown> | undefined);
    if (!m?.ready) {
      void worker.terminate();
      throw new SqlFigureError(`The SQL worker could not start${m?.error ? `: ${String(m.error)}` : ''}.`);
    }
    return l;
  };

  return {
    get started() {
      return started;
    },
    run(sql: string, params: Record<string, string | number | null>, opts: SqlRunOptions): SqlRunResult {
      if (!live) live = start();
      const l = live;
      if (l.seq !== opts.seq) {
        const bytes = ws.export({ derived: false });
        const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        const m = call(l, { type: 'load', bytes: new Uint8Array(buf) }, LOAD_TIMEOUT_MS, [buf]);
        if (!m?.ok) {
          stop();
          throw new SqlFigureError(m?.error ? String(m.error) : 'The workspace snapshot could not be loaded in time.');
        }
        l.seq = opts.seq;
      }
      const m = call(l, { type: 'run', sql, params, rowLimit: opts.rowLimit }, opts.timeoutMs);
      if (!m) {
        stop();
        throw new SqlFigureError(
          `The query was stopped after ${(opts.timeoutMs / 1000).toLocaleString('en-GB')} ${opts.timeoutMs === 1000 ? 'second' : 'seconds'}, the time limit for a figure. ` +
            'Check it for a recursive CTE without an end, or a join without a condition.',
        );
      }
      if (m.error) throw new SqlFigureError(String(m.error));
      return m as unknown as SqlRunResult;
    },
    dispose() {
      stop();
    },
  };
}
