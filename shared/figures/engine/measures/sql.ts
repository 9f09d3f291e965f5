import { RESTRICTED_TABLES, RESTRICTED_TABLE_WORDS } from '../../../store/public-view';
import { nowIso } from '../../../util/runtime';
import { formatNumber, formatValue, isSuppressed } from '../../format';
import { canonicalJson } from '../../spec';
import { bindSqlParams, checkSql, type SqlView } from '../../sql';
import type { SqlJobs } from '../../sql-jobs';
import type { FigureColumn, FigureParams, FigureResult } from '../../types';
import { errorResult, hashHex } from '../provenance';
import type { Computed, FigureDraft } from '../types';

/**
 * Analysts' SQL figures. The query never runs here: its last outcome from the worker is used if none of the tables it
 * reads has changed since the copy it ran on, and otherwise a run is requested and the figure reported pending.
 */

export interface SqlMeasureContext {
  jobs: SqlJobs;
  /** The newest write that changed any of these tables ('*' or unknown: the newest write of all). */
  lastChange(tables: readonly string[] | undefined): number;
  /** The workspace's newest write. */
  lastSeq(): number;
  /** Counts a pending result handed out, so `settle` knows to wait and ask again. */
  servedPending(): void;
}

export function computeSql(ctx: SqlMeasureContext, def: FigureDraft, params: FigureParams, view: SqlView): Computed {
  const sql = checkSql(def.sql!);
  const bound = bindSqlParams(sql, params);
  const job = { sql, params: bound, view };
  const outcome = ctx.jobs.peek(job);
  // A failure of the runner itself (it could not start or load) is tried again after any write.
  const current = outcome && outcome.seq >= (outcome.transient ? ctx.lastSeq() : ctx.lastChange(outcome.tables ?? []));
  if (!current) {
    ctx.jobs.request({ ...job, minSeq: ctx.lastChange(outcome?.tables) });
    ctx.servedPending();
    const tables = new Set(outcome?.tables?.length ? outcome.tables : ['*']);
    return { result: { ...errorResult(null, def.kind, '', params), error: undefined, formatted: '…', pending: true }, aggs: [], tables };
  }
  if (outcome.error) {
    const err = outcome.error;
    return { result: errorResult(null, def.kind, err.message, params, 'sql'), aggs: [], tables: new Set(err.tables?.length ? err.tables : ['*']) };
  }
  const run = outcome.result!;
  const restricted = run.tables.filter((t) => RESTRICTED_TABLES.includes(t));
  if (view === 'public' && restricted.length > 0) {
    // The public copy holds no restricted material, but a figure written to read these tables is meant for internal
    // editions: refuse it here rather than print whatever the public copy happens to leave.
    const words = restricted.map((t) => RESTRICTED_TABLE_WORDS[t] ?? t);
    const list = words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
    const r = errorResult(null, def.kind, `Its SQL reads ${list}, which can hold restricted material, so it can appear only in internal editions.`, params, 'sql');
    r.internalOnly = restricted;
    return { result: r, aggs: [], tables: new Set(run.tables) };
  }
  const fmt = def.format ?? {};
  const columns: FigureColumn[] = run.columns.map((c, i) => ({
    key: c,
    label: c,
    numeric: run.rows.length > 0 && run.rows.every((r) => r[i] === null || typeof r[i] === 'number'),
    role: i === 0 && run.columns.length > 1 ? 'category' : 'measure',
  }));
  const rows = run.rows.map((r) => Object.fromEntries(run.columns.map((c, i) => [c, r[i] ?? null])));
  const first = run.rows[0]?.[0];
  const value = first === undefined ? null : (first as number | string | null);
  const formatted = def.kind === 'value' ? formatValue(value, fmt) : `${formatNumber(rows.length)} ${rows.length === 1 ? 'row' : 'rows'}`;
  const result: FigureResult = {
    figureId: null,
    kind: def.kind,
    value,
    formatted,
    ...(def.kind !== 'value' ? { columns, rows } : {}),
    ...(isSuppressed(typeof value === 'number' ? value : null, fmt) && def.kind === 'value' ? { suppressed: true } : {}),
    provenance: {
      sql,
      params: bound,
      tables: run.tables,
      rowsRead: run.rows.length,
      // The engine cannot see which rows SQLite visited, so the fingerprint covers the query, its parameters and
      // everything it returned: equal fingerprints still mean the figure rests on the same inputs.
      fingerprint: hashHex(canonicalJson({ sql, bound, columns: run.columns, rows: run.rows })),
      imports: [],
      evidenceIds: [],
      computedAt: nowIso(),
      engine: 'sql',
      ...(view === 'public' ? { view } : {}),
    },
  };
  return { result, aggs: [], tables: new Set(run.tables.length ? run.tables : ['*']) };
}
