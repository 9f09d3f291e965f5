import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { nowIso } from '../../util/runtime';
import { canonicalJson } from '../spec';
import type { FigureKind, FigureParams, FigureResult, Provenance } from '../types';
import type { EngineCaches } from './caches';

/** Building blocks every measure's result shares: fingerprints, provenance of plain SQL reads, error results. */

export function hashHex(s: string): string {
  return bytesToHex(sha256(utf8ToBytes(s))).slice(0, 32);
}

/** Provenance of a measure computed by one SQL read: the rows read are fingerprinted, their imports named. */
export function sqlProvenance(caches: EngineCaches, sql: string, params: Record<string, unknown>, tables: string[], rows: unknown[], importIds: (string | null)[]): Provenance {
  const imports = new Map<string, number>();
  for (const i of importIds) if (i) imports.set(i, (imports.get(i) ?? 0) + 1);
  return {
    sql,
    params,
    tables,
    rowsRead: rows.length,
    fingerprint: hashHex(canonicalJson(rows)),
    imports: caches.importsFor(imports),
    evidenceIds: [],
    computedAt: nowIso(),
    engine: 'sql',
  };
}

export function errorResult(figureId: string | null, kind: FigureKind, message: string, params: FigureParams, path?: string): FigureResult {
  return {
    figureId,
    kind,
    value: null,
    formatted: '[error]',
    error: message,
    ...(path ? { errorPath: path } : {}),
    provenance: { sql: '', params: {}, tables: [], rowsRead: 0, fingerprint: '', imports: [], evidenceIds: [], computedAt: nowIso(), figureParams: params },
  };
}
