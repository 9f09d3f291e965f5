import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

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
