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
    cached = initSqlJs({ wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer });
  }
  return cached;
}
