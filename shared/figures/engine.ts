import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { ChangeEvent, Workspace } from '../store/workspace';
import { ENGLAND_AREA_CODE } from '../store/reference';
import { nowIso } from '../util/runtime';
import { formatDate, formatNumber, formatPercent, formatPoints, formatValue, directionWord, isSuppressed, roundTo, DEFAULT_SUPPRESSED } from './format';
import { RatingIndex, RATING_INDEX_FORMAT, type AggDef, type GroupDim, type LocFilterSpec, type RatingAgg } from './rating-index';
import {
  asBool,
  canonicalJson,
  filterList,
  FigureSpecError,
  isRatingSpec,
  paramRefs,
  parseSpec,
  resolveSpec,
  type EvidenceCountSpec,
  type FigureSpec,
  type FindingCountSpec,
  type IndicatorRankSpec,
  type IndicatorSpreadSpec,
  type IndicatorValueSpec,
  type RatingSpec,
} from './spec';
import { bindSqlParams, checkSql, sqlParamNames, SqlFigureError, type SqlExecutor, type SqlView } from './sql';
import { SqlJobs } from './sql-jobs';
import { RESTRICTED_TABLES, RESTRICTED_TABLE_WORDS } from '../store/public-view';
import { approvalValue, getFigure, loadApproval, matchesApproval } from './library';
export { approvalValue } from './library';
import { onRowChange } from '../store/row-hook';
import type { ApprovalInfo, ChartOptions, FigureColumn, FigureDef, FigureFormat, FigureKind, FigureParams, FigureRef, FigureResult, FigureState, Provenance } from './types';

export type { ApprovalInfo } from './types';

/** What evaluate() accepts: a library figure, or an unsaved one from the figure builder. */
export type FigureDraft = Pick<FigureDef, 'kind' | 'spec' | 'sql' | 'format'> & { chart?: ChartOptions | null; id?: string; evidenceIds?: string[] };


/** How to evaluate: `view: 'public'` is for public editions (SQL figures see the workspace without restricted material). */
export interface EvaluateOptions {
  view?: SqlView;
}

export interface FigureEngine {
  evaluate(def: FigureDraft, params: FigureParams, opts?: EvaluateOptions): FigureResult;
  evaluateRef(ref: FigureRef, reportParams: FigureParams, opts?: EvaluateOptions): FigureResult;
  stateOf(figureId: string, sectionId: string | null, result: FigureResult): { state: FigureState; approved?: ApprovalInfo };
  applyChange(event: ChangeEvent): string[];
  keyOf(ref: FigureRef, reportParams: FigureParams, opts?: EvaluateOptions): string;
  /**
   * Runs `compute` until no SQL figure it asked for is still pending: SQL figures run in a worker, so a first pass
   * requests them and reports them pending, and a later pass, once the runs have settled, gets their results. Exports,
   * checks, approvals and previews go through this, so nothing pending is ever printed or signed off.
   */
  settle<T>(compute: () => T): Promise<T>;
  /** Recomputes cached results that were waiting for a SQL run; returns the keys whose value changed. */
  refreshPending(): string[];
  /** Called when SQL runs settle (batched): the host then calls refreshPending and tells the page. */
  onSqlSettled(listener: () => void): () => void;
  /**
   * Builds the rating index now (or reads it back from the workspace), so that the first figure after an import or
   * on opening does not pay for it; the next save stores it.
   */
  prepare(): void;
  /** Drops cached results (and the rating index) so the next evaluation recomputes everything: the bench's baseline. */
  reset(): void;
  /** What the engine holds, for diagnostics and the bench: the last rating index build time, aggregates and cached results. */
  stats(): { indexBuildMs: number; indexSource: 'none' | 'rows' | 'cache'; indexBuilds: number; ratingRows: number; series: number; aggregates: number; cached: number };
  dispose(): void;
}

export interface EngineOptions {
  /**
   * Where analysts' SQL figures run: required, because no SQL figure may run on the thread that serves the user or on
   * the live database (the Node side gives a worker with time, memory and size limits: electron/services/sql-worker.ts).
   */
  sql: SqlExecutor;
  /** false: compute rating measures with SQL instead of the in-memory index (tests compare the two). */
  useIndex?: boolean;
}

/** Tables a rating measure reads besides ratings and locations. */
const RATING_TABLES = ['key_questions', 'locations', 'rating_values', 'ratings', 'regions', 'local_authorities', 'sectors'];
/** Where the rating index is kept in the workspace's derived cache, and the generation that says it is current. */
const INDEX_CACHE = 'rating-index';
const GENERATION_KEY = 'ratings_generation';
/** Above this many changed rating rows in one go (an import), rebuilding beats patching row by row. */
const REBUILD_ROWS = 50_000;

/** Changes to these mean names or scales moved: the rating index is rebuilt rather than patched. */
const RATING_REFERENCE = new Set(['key_questions', 'rating_values', 'rating_scales', 'regions', 'local_authorities', 'sectors']);

interface Counts {
  /** raw group key (as SQL returns it, '' without `by`) → rating label → count */
  groups: Map<string, Map<string, number>>;
  rowsRead: number;
  imports: Map<string, number>;
  fingerprint: string;
}

interface Computed {
  result: FigureResult;
  /** The rating aggregates the result was derived from (index path), with the versions used. */
  aggs: { agg: RatingAgg; version: number }[];
  tables: Set<string>;
}

interface Entry {
  key: string;
  ref: FigureRef;
  reportParams: FigureParams;
  view: SqlView;
  computed: Computed;
}

function hashHex(s: string): string {
  return bytesToHex(sha256(utf8ToBytes(s))).slice(0, 32);
}

function ordinal(n: number): string {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${formatNumber(n)}${s[(v - 20) % 10] ?? s[v] ?? s[0]}`;
}

class Engine implements FigureEngine {
  private index: RatingIndex | undefined;
  private entries = new Map<string, Entry>();
  private pendingRatings = new Set<number>();
  private pendingLocs = new Set<number>();
  private recheck = new Set<number>();
  private unsubscribe: () => void;
  private importsCache: Map<string, Provenance['imports'][number]> | undefined;
  private ref = { regions: new Map<string, string>(), las: new Map<string, string>(), sectors: new Map<string, string>(), kqs: new Map<string, string>(), loaded: false };
  private readonly sql: SqlJobs;
  /** The write sequence at which each table last changed in this session: how new a SQL result must be. */
  private tableSeq = new Map<string, number>();
  /** How many pending results have been handed out: settle() loops while a pass hands out more. */
  private pendingServed = 0;
  /** Library figures by id or slug, dropped whenever the figures or figure_evidence tables change. */
  private defs = new Map<string, FigureDef | null>();
  /** Parsed specs by their JSON: zod parsing 300 specs on every pass would dominate recompute time. */
  private parsed = new Map<string, FigureSpec>();
  private resolved = new Map<string, FigureSpec>();
  private scales = new Map<string, { label: string; on_scale: number; rank: number | null }[]>();

  constructor(
    private readonly ws: Workspace,
    private readonly opts: EngineOptions,
  ) {
    this.sql = new SqlJobs(opts.sql);
    // Row-level change capture: every rating or location row any write touches, whoever wrote it. The index re-reads
    // those rows, so a hook call for a row in a transaction that later rolled back is harmless.
    const unhook = onRowChange(ws.db, (table, rowid) => {
      if (!this.index) return;
      if (table === 'ratings' || table === 'locations') this.sawRows = true;
      if (table === 'ratings') this.pendingRatings.add(rowid);
      else if (table === 'locations') this.pendingLocs.add(rowid);
    });
    const unlisten = ws.onChange((e) => this.absorbEvent(e));
    const underived = opts.useIndex === false ? () => undefined : ws.addDerivedState({ pending: () => this.indexPending(), store: () => this.storeIndex() });
    this.unsubscribe = () => {
      unhook();
      unlisten();
      underived();
    };
  }

  // ------------------------------------------------------------------------------------------- the rating index --
  /** The generation of ratings and locations the index reflects; undefined when it must not be stored. */
  private indexGeneration: string | undefined;
  /** The generation the workspace's derived cache holds for the index (so a save does not rewrite it). */
  private storedGeneration: string | undefined;
  private indexSource: 'none' | 'rows' | 'cache' = 'none';
  /** How many times the index was built or read back: a write after a save must not make it 2. */
  private indexBuilds = 0;

  private generation(): string | undefined {
    return this.ws.metaValue(GENERATION_KEY);
  }

  /** The index, read back from the workspace's derived cache when it matches the data, or else built from rows. */
  private ratingIndex(): RatingIndex {
    if (this.index) return this.index;
    const t0 = performance.now();
    // Built inside a write, the index could hold rows that are then rolled back: usable now, never stored.
    const gen = this.ws.inWrite ? undefined : this.generation();
    let index: RatingIndex | undefined;
    if (gen !== undefined) {
      try {
        const row = this.ws.get<{ generation: string; format: number; data: Uint8Array }>('SELECT generation, format, data FROM derived_cache WHERE name = ?', [INDEX_CACHE]);
        if (row && row.generation === gen && row.format === RATING_INDEX_FORMAT) {
          index = RatingIndex.fromBytes(this.ws, row.data);
          this.storedGeneration = gen;
          this.indexSource = 'cache';
        } else {
          this.storedGeneration = row?.generation;
        }
      } catch {
        // A cache that does not match, or is damaged, is only a cache: build from the rows instead.
        index = undefined;
      }
    }
    if (!index) {
      index = RatingIndex.build(this.ws);
      this.indexSource = 'rows';
    }
    this.index = index;
    this.indexBuilds++;
    this.indexGeneration = gen;
    this.indexBuildMs = performance.now() - t0;
    return index;
  }

  prepare(): void {
    if (this.opts.useIndex === false) return;
    this.absorb([], !this.ws.inWrite);
    this.ratingIndex();
  }

  /** Whether a save should store the index: it reflects the data and the cache does not hold it yet. */
  private indexPending(): boolean {
    if (!this.index || this.indexGeneration === undefined || this.opts.useIndex === false) return false;
    // The index follows every change, so what matters is whether the file's copy is of the current generation.
    return this.generation() !== this.storedGeneration;
  }

  /** Called before an export that stores derived state: folds pending row changes in, then stores the index if the cache is behind. */
  private storeIndex(): void {
    if (!this.index) return;
    this.absorb([], true);
    if (!this.index || this.indexGeneration === undefined) return;
    // Every change since the index was built has been applied (the row hook saw it), so the index now reflects the
    // current generation, whatever it is.
    const gen = this.generation();
    if (gen === undefined) return;
    this.indexGeneration = gen;
    if (gen === this.storedGeneration) return;
    const held = this.ws.value<string>('SELECT generation FROM derived_cache WHERE name = ?', [INDEX_CACHE]);
    if (held !== gen) {
      const bytes = this.index.toBytes();
      this.ws.db.run('INSERT OR REPLACE INTO derived_cache(name, generation, format, data) VALUES (?, ?, ?, ?)', [INDEX_CACHE, gen, RATING_INDEX_FORMAT, bytes]);
    }
    this.storedGeneration = gen;
  }

  dispose(): void {
    this.unsubscribe();
    this.entries.clear();
    this.index = undefined;
    this.sql.dispose();
  }

  private indexBuildMs = 0;
  stats() {
    return {
      indexBuildMs: this.indexBuildMs,
      indexSource: this.indexSource,
      indexBuilds: this.indexBuilds,
      ratingRows: this.index?.rowCount ?? 0,
      series: this.index?.seriesCount ?? 0,
      aggregates: this.index?.aggs.size ?? 0,
      cached: this.entries.size,
    };
  }

  reset(): void {
    this.entries.clear();
    this.index = undefined;
    this.pendingRatings.clear();
    this.pendingLocs.clear();
    this.ref.loaded = false;
    this.importsCache = undefined;
    this.defs.clear();
    this.parsed.clear();
    this.resolved.clear();
    this.scales.clear();
  }

  private def(idOrSlug: string): FigureDef | undefined {
    let d = this.defs.get(idOrSlug);
    if (d === undefined) {
      d = getFigure(this.ws, idOrSlug) ?? null;
      this.defs.set(idOrSlug, d);
    }
    return d ?? undefined;
  }

  private parse(spec: Record<string, unknown>): FigureSpec {
    const k = JSON.stringify(spec);
    let p = this.parsed.get(k);
    if (!p) {
      p = parseSpec(spec);
      this.parsed.set(k, p);
    }
    return p;
  }

  // ------------------------------------------------------------------------------------------------ changes ------
  private dirtyTables = new Set<string>();
  /** Whether the row hook reported anything since the last committed change: see absorb(). */
  private sawRows = false;
  private changedAggs = new Set<RatingAgg>();

  /** Folds pending row changes into the index. `committed` is false when called from a read that may sit inside a write. */
  private absorb(tables: readonly string[], committed: boolean): void {
    for (const t of tables) this.dirtyTables.add(t);
    if (tables.some((t) => RATING_REFERENCE.has(t))) {
      this.index = undefined;
      this.ref.loaded = false;
    }
    if (tables.includes('imports')) this.importsCache = undefined;
    if (tables.includes('figures') || tables.includes('figure_evidence')) this.defs.clear();
    if (tables.includes('rating_values') || tables.includes('key_questions')) this.scales.clear();
    if (!this.index) {
      this.pendingRatings.clear();
      this.pendingLocs.clear();
      return;
    }
    if (committed) for (const id of this.recheck) this.pendingRatings.add(id);
    if (this.pendingRatings.size === 0 && this.pendingLocs.size === 0) {
      // A committed write that touched ratings or locations but left no row-level trace (someone replaced the
      // update hook, or a WITHOUT ROWID rewrite): rebuild rather than risk a wrong figure.
      if (committed && tables.some((t) => t === 'ratings' || t === 'locations') && !this.sawRows) this.index = undefined;
      if (committed) this.sawRows = false;
      return;
    }
    if (committed) this.sawRows = false;
    if (this.pendingRatings.size > REBUILD_ROWS && this.pendingRatings.size > this.index.rowCount / 10) {
      // Patching costs a few lookups per row; a bulk change is cheaper to read afresh on next use.
      this.index = undefined;
      this.pendingRatings.clear();
      this.pendingLocs.clear();
      this.recheck.clear();
      return;
    }
    const ids = [...this.pendingRatings];
    const locs = [...this.pendingLocs];
    this.pendingRatings.clear();
    this.pendingLocs.clear();
    if (committed) this.recheck.clear();
    else for (const id of ids) this.recheck.add(id);
    for (const a of this.index.applyRows(ids, locs)) this.changedAggs.add(a);
  }

  /** Each committed write is absorbed once, whether the engine's own listener or the caller's applyChange sees it first. */
  private lastSeq = -1;
  private absorbEvent(e: ChangeEvent): void {
    for (const t of e.tables) this.tableSeq.set(t, Math.max(this.tableSeq.get(t) ?? 0, e.seq));
    if (e.seq === this.lastSeq) {
      this.absorb([], true);
      return;
    }
    this.lastSeq = e.seq;
    this.absorb(e.tables, true);
  }

  applyChange(event: ChangeEvent): string[] {
    this.absorbEvent(event);
    const tables = this.dirtyTables;
    const aggs = this.changedAggs;
    this.dirtyTables = new Set();
    this.changedAggs = new Set();
    const changed: string[] = [];
    for (const e of this.entries.values()) {
      const c = e.computed;
      const defChanged = tables.has('figures') || tables.has('figure_evidence');
      const viaAgg = c.aggs.length > 0 && c.aggs.some((a) => aggs.has(a.agg) || a.agg.version !== a.version || !this.index?.aggs.has(a.agg.def.key));
      const viaTable = c.aggs.length === 0 ? [...c.tables].some((t) => tables.has(t)) : [...tables].some((t) => RATING_REFERENCE.has(t));
      if (!defChanged && !viaAgg && !viaTable) continue;
      const before = e.computed.result;
      e.computed = this.computeRef(e.ref, e.reportParams, e.view);
      const after = e.computed.result;
      if (canonicalJson(approvalValue(before)) !== canonicalJson(approvalValue(after)) || before.formatted !== after.formatted || before.error !== after.error) {
        changed.push(e.key);
      }
    }
    return changed;
  }

  // ------------------------------------------------------------------------------------------------ entry points -
  keyOf(ref: FigureRef, reportParams: FigureParams, opts: EvaluateOptions = {}): string {
    const merged = { ...reportParams, ...(ref.params ?? {}) };
    const def = this.def(ref.figureId);
    const used = def ? usedParams(def, merged) : merged;
    // Only SQL figures can differ between the public view and the workspace itself.
    const view = opts.view === 'public' && def?.sql ? '|public' : '';
    return `${ref.figureId}|${canonicalJson(used)}${view}`;
  }

  evaluateRef(ref: FigureRef, reportParams: FigureParams, opts: EvaluateOptions = {}): FigureResult {
    this.absorb([], false);
    const key = this.keyOf(ref, reportParams, opts);
    const hit = this.entries.get(key);
    if (hit && this.upToDate(hit.computed)) return hit.computed.result;
    const view = opts.view ?? 'internal';
    const computed = this.computeRef(ref, reportParams, view);
    this.entries.set(key, { key, ref, reportParams, view, computed });
    return computed.result;
  }

  async settle<T>(compute: () => T): Promise<T> {
    for (let pass = 0; ; pass++) {
      const before = this.pendingServed;
      const out = compute();
      if (this.pendingServed === before) return out;
      // Every run this pass asked for has a result once the runner is idle; writes meanwhile may ask for more.
      if (pass >= 10) throw new SqlFigureError('SQL figures kept being recomputed while the workspace changed; try again when it is quiet.');
      await this.sql.idle();
    }
  }

  refreshPending(): string[] {
    const changed: string[] = [];
    for (const e of this.entries.values()) {
      if (!e.computed.result.pending) continue;
      e.computed = this.computeRef(e.ref, e.reportParams, e.view);
      if (!e.computed.result.pending) changed.push(e.key);
    }
    return changed;
  }

  onSqlSettled(listener: () => void): () => void {
    return this.sql.onSettled(listener);
  }

  private upToDate(c: Computed): boolean {
    if (c.result.pending) return false;
    if (this.dirtyTables.size && [...c.tables].some((t) => this.dirtyTables.has(t))) return false;
    return c.aggs.every((a) => a.agg.version === a.version && this.index?.aggs.get(a.agg.def.key) === a.agg);
  }

  private computeRef(ref: FigureRef, reportParams: FigureParams, view: SqlView): Computed {
    const def = this.def(ref.figureId);
    const merged = { ...reportParams, ...(ref.params ?? {}) };
    if (!def) {
      return { result: this.errorResult(ref.figureId, 'value', `There is no figure "${ref.figureId}" in this workspace (it may have been deleted).`, merged, 'figureId'), aggs: [], tables: new Set(['figures']) };
    }
    const c = this.compute(def, merged, view);
    c.tables.add('figures');
    c.tables.add('figure_evidence');
    return c;
  }

  evaluate(def: FigureDraft, params: FigureParams, opts: EvaluateOptions = {}): FigureResult {
    this.absorb([], false);
    return this.compute(def, params, opts.view ?? 'internal').result;
  }

  stateOf(figureId: string, sectionId: string | null, result: FigureResult): { state: FigureState; approved?: ApprovalInfo } {
    if (result.error) return { state: 'error' };
    const params = result.provenance.figureParams ?? {};
    const a = loadApproval(this.ws, figureId, sectionId, params);
    if (!a) return { state: 'fresh' };
    if (!a.sameParams) return { state: 'unapproved', approved: a.info };
    return { state: matchesApproval(a.info.value, result) ? 'approved' : 'stale', approved: a.info };
  }

  // ------------------------------------------------------------------------------------------------ computing ----
  private errorResult(figureId: string | null, kind: FigureKind, message: string, params: FigureParams, path?: string): FigureResult {
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

  private compute(def: FigureDraft, params: FigureParams, view: SqlView): Computed {
    const figureId = def.id ?? null;
    const used = usedParams(def, params);
    try {
      let c: Computed;
      if (def.sql !== null && def.sql !== undefined && (def.spec === null || def.spec === undefined)) {
        c = this.computeSql(def, used, view);
      } else if (def.spec) {
        const rk = `${JSON.stringify(def.spec)}\u0000${canonicalJson(used)}`;
        let spec = this.resolved.get(rk);
        if (!spec) {
          spec = resolveSpec(this.parse(def.spec), used);
          this.resolved.set(rk, spec);
        }
        c = this.computeSpec(def, spec);
      } else {
        throw new FigureSpecError('A figure needs either a spec or SQL.', 'spec');
      }
      c.result.figureId = figureId;
      c.result.provenance.evidenceIds = def.evidenceIds ?? [];
      c.result.provenance.figureParams = used;
      return c;
    } catch (e) {
      const err = e as Error & { path?: string; userFacing?: boolean };
      const message = err.userFacing ? err.message : `The figure could not be computed: ${err.message}`;
      const tables = new Set<string>(def.sql ? ['*'] : RATING_TABLES);
      return { result: this.errorResult(figureId, def.kind, message, used, err.path ?? (def.sql ? 'sql' : undefined)), aggs: [], tables };
    }
  }

  /** The newest write that changed any of these tables in this session ('*' or unknown: the newest write of all). */
  private lastChange(tables: readonly string[] | undefined): number {
    if (!tables || tables.includes('*')) return this.ws.lastSeq;
    let seq = 0;
    for (const t of tables) seq = Math.max(seq, this.tableSeq.get(t) ?? 0);
    return seq;
  }

  private computeSql(def: FigureDraft, params: FigureParams, view: SqlView): Computed {
    const sql = checkSql(def.sql!);
    const bound = bindSqlParams(sql, params);
    const job = { sql, params: bound, view };
    const outcome = this.sql.peek(job);
    // An outcome answers if none of the tables the query reads has changed since the copy it ran on. A failure of the
    // runner itself is tried again after any write.
    const current = outcome && outcome.seq >= (outcome.transient ? this.ws.lastSeq : this.lastChange(outcome.tables ?? []));
    if (!current) {
      this.sql.request({ ...job, minSeq: this.lastChange(outcome?.tables) });
      this.pendingServed++;
      const tables = new Set(outcome?.tables?.length ? outcome.tables : ['*']);
      return { result: { ...this.errorResult(null, def.kind, '', params), error: undefined, formatted: '…', pending: true }, aggs: [], tables };
    }
    if (outcome.error) {
      const err = outcome.error;
      return { result: this.errorResult(null, def.kind, err.message, params, 'sql'), aggs: [], tables: new Set(err.tables?.length ? err.tables : ['*']) };
    }
    const run = outcome.result!;
    const restricted = run.tables.filter((t) => RESTRICTED_TABLES.includes(t));
    if (view === 'public' && restricted.length > 0) {
      // The public copy holds no restricted material, but a figure written to read these tables is meant for internal
      // editions: refuse it here rather than print whatever the public copy happens to leave.
      const words = restricted.map((t) => RESTRICTED_TABLE_WORDS[t] ?? t);
      const list = words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
      const r = this.errorResult(null, def.kind, `Its SQL reads ${list}, which can hold restricted material, so it can appear only in internal editions.`, params, 'sql');
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

  private computeSpec(def: FigureDraft, spec: FigureSpec): Computed {
    if (isRatingSpec(spec)) return this.computeRating(def, spec);
    switch (spec.measure) {
      case 'indicator_value':
        return this.indicatorValue(def, spec);
      case 'indicator_spread':
      case 'indicator_rank':
        return this.indicatorSpread(def, spec);
      case 'finding_count':
        return this.findingCount(def, spec);
      case 'evidence_count':
        return this.evidenceCount(def, spec);
    }
  }

  // ------------------------------------------------------------------------------------------------ ratings ------
  private loadRef(): void {
    if (this.ref.loaded) return;
    const m = (sql: string) => new Map(this.ws.all<{ id: string; name: string }>(sql).map((r) => [r.id, r.name]));
    this.ref.regions = m('SELECT id, name FROM regions');
    this.ref.las = m('SELECT id, name FROM local_authorities');
    this.ref.sectors = m('SELECT id, name FROM sectors');
    this.ref.kqs = m('SELECT id, name FROM key_questions');
    this.ref.loaded = true;
  }

  /** Resolves a filter's values (ids or names, case-insensitively) against a reference table; unknown values are an error. */
  private resolveNames(field: string, values: string[], table: Map<string, string>, what: string): string[] {
    return values.map((v) => {
      if (table.has(v)) return v;
      for (const [id, name] of table) if (name.toLowerCase() === v.toLowerCase() || id.toLowerCase() === v.toLowerCase()) return id;
      const known = [...table.values()].slice(0, 12).join(', ');
      throw new FigureSpecError(`spec.${field}: "${v}" is not ${what} in this workspace${known ? ` (for example: ${known})` : ''}`, `spec.${field}`);
    });
  }

  private ratingPlan(spec: RatingSpec) {
    this.loadRef();
    const kqIn = spec.keyQuestion === undefined ? (spec.by === 'keyQuestion' ? [...this.ref.kqs.keys()] : ['overall']) : typeof spec.keyQuestion === 'string' ? [spec.keyQuestion] : spec.keyQuestion;
    const kqs = this.resolveNames('keyQuestion', kqIn, this.ref.kqs, 'a key question');
    const f = spec.filters ?? {};
    const scaleKey = kqs.join('\u0000');
    let scaleLabels = this.scales.get(scaleKey);
    if (!scaleLabels) {
      scaleLabels = this.ws.all<{ label: string; on_scale: number; rank: number | null }>(
        `SELECT DISTINCT rv.label, rv.on_scale, rv.rank FROM rating_values rv JOIN key_questions kq ON kq.scale_id = rv.scale_id WHERE kq.id IN (${kqs.map(() => '?').join(',')}) ORDER BY rv.rank IS NULL, rv.rank`,
        kqs,
      );
      this.scales.set(scaleKey, scaleLabels);
    }
    const onScale = scaleLabels.filter((l) => l.on_scale === 1 && l.rank !== null).map((l) => l.label);
    const allLabels = scaleLabels.map((l) => l.label);
    const ratings = 'ratings' in spec && spec.ratings ? spec.ratings : undefined;
    if (ratings) {
      for (const [i, r] of ratings.entries()) {
        const exact = allLabels.find((l) => l.toLowerCase() === r.toLowerCase());
        if (!exact) throw new FigureSpecError(`spec.ratings.${i}: "${r}" is not a rating on the scale of ${kqs.join(', ')} (expected one of: ${allLabels.join(', ')})`, `spec.ratings.${i}`);
        if (spec.measure !== 'rating_count' && !onScale.includes(exact)) {
          throw new FigureSpecError(`spec.ratings.${i}: "${exact}" is not on the rating scale; shares count only ratings on the scale (${onScale.join(', ')})`, `spec.ratings.${i}`);
        }
        ratings[i] = exact;
      }
    }
    const sectors = filterList(f.sector);
    const regions = filterList(f.region);
    const las = filterList(f.localAuthority);
    const resolved = {
      sector: sectors && { ...sectors, values: this.resolveNames('filters.sector', sectors.values, this.ref.sectors, 'a sector') },
      region: regions && { ...regions, values: this.resolveNames('filters.region', regions.values, this.ref.regions, 'a region') },
      localAuthority: las && { ...las, values: this.resolveNames('filters.localAuthority', las.values, this.ref.las, 'a local authority') },
      locationType: filterList(f.locationType),
      category: filterList(f.category),
      providerId: filterList(f.providerId),
      serviceGroup: filterList(f.serviceGroup) ?? { values: ['Overall'], negate: false },
      careHome: asBool(f.careHome),
    };
    return { kqs, onScale, allLabels, ratings, filters: resolved, by: spec.by as GroupDim };
  }

  /** The SQL equivalent of an aggregate: per group and rating label, the number of latest ratings as at the date. */
  private ratingSql(plan: ReturnType<Engine['ratingPlan']>, asAt: string): { sql: string; params: Record<string, string | number> } {
    const params: Record<string, string | number> = { ':asAt': asAt };
    let n = 0;
    const list = (vals: string[]) =>
      vals
        .map((v) => {
          const k = `:p${n++}`;
          params[k] = v;
          return k;
        })
        .join(', ');
    const where: string[] = ['r.rn = 1'];
    const f = plan.filters;
    const cond = (col: string, fl: { values: string[]; negate: boolean } | undefined, ci = false) => {
      if (!fl) return;
      const c = ci ? `lower(${col})` : col;
      const vals = ci ? fl.values.map((v) => v.toLowerCase()) : fl.values;
      where.push(fl.negate ? `coalesce(${c}, '') NOT IN (${list(vals)})` : `${c} IN (${list(vals)})`);
    };
    cond('r.service_group', f.serviceGroup);
    cond('l.sector_id', f.sector);
    cond('l.region_id', f.region);
    cond('l.local_authority_id', f.localAuthority);
    cond('l.location_type', f.locationType, true);
    cond('l.category', f.category, true);
    cond('l.provider_id', f.providerId);
    if (f.careHome !== undefined) where.push(`l.care_home = ${f.careHome ? 1 : 0}`);
    const grp: Record<string, string> = {
      region: 'l.region_id',
      localAuthority: 'l.local_authority_id',
      sector: 'l.sector_id',
      category: 'l.category',
      keyQuestion: 'r.key_question_id',
      rating: 'r.rating',
      serviceGroup: 'r.service_group',
      locationType: 'l.location_type',
      careHome: 'l.care_home',
    };
    const g = plan.by ? grp[plan.by]! : "''";
    const sql = `WITH latest AS (
  SELECT r.*, row_number() OVER (PARTITION BY r.location_id, r.service_group, r.key_question_id ORDER BY r.published_on DESC) AS rn
  FROM ratings r
  WHERE r.published_on <= :asAt AND r.key_question_id IN (${list(plan.kqs)})
)
SELECT coalesce(${g}, '') AS grp, r.rating AS rating, count(*) AS n, r.import_id AS import_id
FROM latest r JOIN locations l ON l.id = r.location_id
WHERE ${where.join('\n  AND ')}
GROUP BY grp, r.rating, r.import_id`;
    return { sql, params };
  }

  private aggDefFor(plan: ReturnType<Engine['ratingPlan']>, asAt: string, index: RatingIndex): AggDef {
    const f = plan.filters;
    const sgWant = new Set(f.serviceGroup.values);
    const sgNegate = f.serviceGroup.negate;
    const loc: LocFilterSpec = {
      sector: f.sector,
      region: f.region,
      localAuthority: f.localAuthority,
      locationType: f.locationType,
      category: f.category,
      providerId: f.providerId,
      careHome: f.careHome,
    };
    const kq = new Set(plan.kqs.map((k) => index.kqCodes.get(k)).filter((c): c is number => c !== undefined));
    return {
      key: canonicalJson({ kqs: plan.kqs, f, by: plan.by ?? null, asAt }),
      date: RatingIndex.dateInt(asAt),
      kq,
      sgOk: (sg) => sgWant.has(sg) !== sgNegate,
      loc,
      by: plan.by,
    };
  }

  private counts(plan: ReturnType<Engine['ratingPlan']>, asAt: string, used: { agg: RatingAgg; version: number }[]): { counts: Counts; sql: string; params: Record<string, string | number> } {
    const q = this.ratingSql(plan, asAt);
    if (this.opts.useIndex !== false) {
      const index = this.ratingIndex();
      const agg = index.aggFor(this.aggDefFor(plan, asAt, index));
      used.push({ agg, version: agg.version });
      const groups = new Map<string, Map<string, number>>();
      for (const [g, arr] of agg.groups) {
        const m = new Map<string, number>();
        arr.forEach((n, label) => {
          if (n) m.set(index.labels.values[label]!, n);
        });
        groups.set(plan.by ? index.groupName(plan.by, g) : '', m);
      }
      const imports = new Map<string, number>();
      for (const [code, n] of agg.imports) if (code >= 0) imports.set(index.imports.values[code]!, n);
      const fp = `${agg.lane1.toString(16).padStart(8, '0')}${agg.lane2.toString(16).padStart(8, '0')}${agg.rows.toString(16)}`;
      return { counts: { groups, rowsRead: agg.rows, imports, fingerprint: fp }, ...q };
    }
    const rows = this.ws.all<{ grp: string | number; rating: string; n: number; import_id: string | null }>(q.sql, q.params);
    const groups = new Map<string, Map<string, number>>();
    const imports = new Map<string, number>();
    let total = 0;
    for (const r of rows) {
      const g = String(r.grp);
      const m = groups.get(g) ?? new Map<string, number>();
      m.set(r.rating, (m.get(r.rating) ?? 0) + r.n);
      groups.set(g, m);
      total += r.n;
      if (r.import_id) imports.set(r.import_id, (imports.get(r.import_id) ?? 0) + r.n);
    }
    const fp = hashHex(canonicalJson(rows.map((r) => [r.grp, r.rating, r.n, r.import_id]).sort()));
    return { counts: { groups, rowsRead: total, imports, fingerprint: fp }, ...q };
  }

  private groupLabel(by: GroupDim, raw: string): string {
    switch (by) {
      case 'region':
        return this.ref.regions.get(raw) ?? (raw || 'Unknown region');
      case 'localAuthority':
        return this.ref.las.get(raw) ?? (raw || 'Unknown local authority');
      case 'sector':
        return this.ref.sectors.get(raw) ?? raw;
      case 'keyQuestion':
        return this.ref.kqs.get(raw) ?? raw;
      case 'careHome':
        return raw === '1' ? 'Care home' : 'Not a care home';
      default:
        return raw || 'Not recorded';
    }
  }

  private importsFor(ids: Map<string, number>): Provenance['imports'] {
    if (!this.importsCache) {
      this.importsCache = new Map(
        this.ws
          .all<{ id: string; kind: string; file_name: string; imported_at: string; rows: number }>('SELECT id, kind, file_name, imported_at, rows FROM imports')
          .map((r) => [r.id, { id: r.id, kind: r.kind, fileName: r.file_name, importedAt: r.imported_at, rows: r.rows }]),
      );
    }
    return [...ids.keys()].sort().map((id) => this.importsCache!.get(id) ?? { id, kind: 'unknown', fileName: '', importedAt: '', rows: 0 });
  }

  private computeRating(def: FigureDraft, spec: RatingSpec): Computed {
    const plan = this.ratingPlan(spec);
    const used: { agg: RatingAgg; version: number }[] = [];
    const fmt = def.format ?? {};
    const sum = (m: Map<string, number> | undefined, labels: string[]) => labels.reduce((a, l) => a + (m?.get(l) ?? 0), 0);
    const merge = (c: Counts) => {
      const all = new Map<string, number>();
      for (const m of c.groups.values()) for (const [l, n] of m) all.set(l, (all.get(l) ?? 0) + n);
      return all;
    };
    const sortedGroups = (c: Counts) => {
      const keys = [...c.groups.keys()];
      if (plan.by === 'rating') return plan.allLabels.filter((l) => keys.includes(l)).concat(keys.filter((k) => !plan.allLabels.includes(k)));
      if (plan.by === 'keyQuestion') return plan.kqs.filter((k) => keys.includes(k));
      return keys.sort((a, b) => this.groupLabel(plan.by, a).localeCompare(this.groupLabel(plan.by, b), 'en-GB'));
    };
    const byCol: FigureColumn[] = plan.by ? [{ key: plan.by, label: BY_LABEL[plan.by] ?? plan.by, role: 'category' }] : [];
    const prov = (main: { counts: Counts; sql: string; params: Record<string, string | number> }, extra?: { counts: Counts; sql: string; params: Record<string, string | number> }): Provenance => {
      const imports = new Map(main.counts.imports);
      if (extra) for (const [k, n] of extra.counts.imports) imports.set(k, (imports.get(k) ?? 0) + n);
      return {
        sql: extra ? `${main.sql};\n-- and, for the later date:\n${extra.sql}` : main.sql,
        params: extra ? { from: main.params, to: extra.params } : main.params,
        tables: RATING_TABLES,
        rowsRead: main.counts.rowsRead + (extra?.counts.rowsRead ?? 0),
        fingerprint: hashHex(`${main.counts.fingerprint}|${extra?.counts.fingerprint ?? ''}`),
        imports: this.importsFor(imports),
        evidenceIds: [],
        computedAt: nowIso(),
        engine: this.opts.useIndex === false ? 'sql' : 'index',
      };
    };
    let result: FigureResult;
    if (spec.measure === 'rating_change') {
      const a = this.counts(plan, spec.from, used);
      const b = this.counts(plan, spec.to, used);
      const decimals = fmt.decimals ?? 0;
      const shareOf = (m: Map<string, number> | undefined) => {
        const den = sum(m, plan.onScale);
        return { num: sum(m, plan.ratings!), den, share: den ? sum(m, plan.ratings!) / den : null };
      };
      const mk = (ma: Map<string, number> | undefined, mb: Map<string, number> | undefined) => {
        const x = shareOf(ma);
        const y = shareOf(mb);
        const change = x.share !== null && y.share !== null ? y.share - x.share : null;
        // The direction word follows the figures as printed: "rose from 79% to 79%" must never appear.
        const shown = change === null ? null : roundTo(y.share! * 100, decimals) - roundTo(x.share! * 100, decimals);
        return { x, y, change, direction: shown === null ? null : directionWord(roundTo(shown, 9), fmt.directionWords) };
      };
      const all = mk(merge(a.counts), merge(b.counts));
      const suppressed = isSuppressed(Math.min(all.x.den, all.y.den), fmt);
      const pfmt: FigureFormat = { ...fmt, style: fmt.style ?? 'points', decimals: fmt.style === 'points' || !fmt.style ? (fmt.decimals ?? 1) : fmt.decimals };
      result = {
        figureId: null,
        kind: def.kind,
        value: all.change,
        formatted: suppressed ? (fmt.suppressedText ?? DEFAULT_SUPPRESSED) : all.change === null ? '..' : fmt.style === 'direction' ? (all.direction ?? '..') : formatValue(all.change, pfmt),
        numerator: all.y.num,
        denominator: all.y.den,
        parts: {
          from: all.x.share,
          to: all.y.share,
          change: all.change,
          direction: all.direction,
          fromFormatted: all.x.share === null ? '..' : formatPercent(all.x.share, decimals),
          toFormatted: all.y.share === null ? '..' : formatPercent(all.y.share, decimals),
          changeFormatted: all.change === null ? '..' : formatPoints(all.change, fmt.style === 'points' ? (fmt.decimals ?? 1) : 1),
          fromDate: spec.from,
          toDate: spec.to,
          fromDateFormatted: formatDate(spec.from),
          toDateFormatted: formatDate(spec.to),
          fromNumerator: all.x.num,
          fromDenominator: all.x.den,
        },
        ...(suppressed ? { suppressed } : {}),
        provenance: prov(a, b),
      };
      if (plan.by) {
        const keys = [...new Set([...sortedGroups(a.counts), ...sortedGroups(b.counts)])];
        result.columns = [
          ...byCol,
          { key: 'from', label: formatDate(spec.from), numeric: true, format: { style: 'percent', decimals }, role: 'measure' },
          { key: 'to', label: formatDate(spec.to), numeric: true, format: { style: 'percent', decimals }, role: 'measure' },
          { key: 'change', label: 'Change', numeric: true, format: { style: 'points', decimals: 1, signed: true }, role: 'detail' },
        ];
        result.rows = keys.map((k) => {
          const g = mk(a.counts.groups.get(k), b.counts.groups.get(k));
          return { [plan.by!]: this.groupLabel(plan.by, k), from: g.x.share, to: g.y.share, change: g.change };
        });
      }
      return { result, aggs: used, tables: new Set(RATING_TABLES) };
    }
    const asAt = spec.asAt ?? '9999-12-31';
    const c = this.counts(plan, asAt, used);
    const all = merge(c.counts);
    const den = sum(all, plan.onScale);
    const provenance = prov(c);
    if (spec.measure === 'rating_distribution') {
      const decimals = fmt.decimals ?? 0;
      const pct: FigureFormat = { style: 'percent', decimals };
      const total: FigureColumn = { key: 'rated', label: 'Number rated', numeric: true, format: { style: 'number' }, role: 'total' };
      let columns: FigureColumn[];
      let rows: Record<string, string | number | null>[];
      if (!plan.by) {
        columns = [
          { key: 'rating', label: 'Rating', role: 'category' },
          { key: 'count', label: 'Number', numeric: true, format: { style: 'number', ...(fmt.suppressBelow !== undefined ? { suppressBelow: fmt.suppressBelow } : {}) }, role: 'detail' },
          { key: 'share', label: 'Share', numeric: true, format: pct, role: 'measure' },
        ];
        rows = plan.onScale.map((l) => ({ rating: l, count: all.get(l) ?? 0, share: den ? (all.get(l) ?? 0) / den : null }));
      } else {
        columns = [...byCol, ...plan.onScale.map((l): FigureColumn => ({ key: l, label: l, numeric: true, format: pct, role: 'measure' })), total];
        rows = sortedGroups(c.counts).map((k) => {
          const m = c.counts.groups.get(k);
          const d = sum(m, plan.onScale);
          return { [plan.by!]: this.groupLabel(plan.by, k), ...Object.fromEntries(plan.onScale.map((l) => [l, d ? (m?.get(l) ?? 0) / d : null])), rated: d };
        });
      }
      result = {
        figureId: null,
        kind: def.kind,
        value: den,
        formatted: formatValue(den, { ...fmt, style: 'number', decimals: 0 }),
        denominator: den,
        columns,
        rows,
        parts: Object.fromEntries(plan.onScale.map((l) => [l, den ? (all.get(l) ?? 0) / den : null])),
        provenance,
      };
      return { result, aggs: used, tables: new Set(RATING_TABLES) };
    }
    const labels = plan.ratings ?? plan.onScale;
    const num = sum(all, labels);
    const isShare = spec.measure === 'rating_share';
    const value = isShare ? (den ? num / den : null) : num;
    const base = isShare ? den : num;
    const vfmt: FigureFormat = { style: isShare ? 'percent' : 'number', ...fmt };
    const suppressed = isSuppressed(base, vfmt);
    result = {
      figureId: null,
      kind: def.kind,
      value,
      formatted: value === null ? '..' : formatValue(value, vfmt, base),
      numerator: num,
      denominator: den,
      ...(suppressed ? { suppressed } : {}),
      provenance,
    };
    if (plan.by) {
      result.columns = [
        ...byCol,
        isShare
          ? { key: 'share', label: 'Share', numeric: true, format: { style: 'percent', decimals: fmt.decimals ?? 0, ...(fmt.suppressBelow !== undefined ? { suppressBelow: fmt.suppressBelow } : {}) }, role: 'measure' }
          : { key: 'count', label: 'Number', numeric: true, format: { style: 'number', ...(fmt.suppressBelow !== undefined ? { suppressBelow: fmt.suppressBelow } : {}) }, role: 'measure' },
        { key: 'numerator', label: 'Number', numeric: true, format: { style: 'number' }, role: 'detail' },
        { key: 'denominator', label: 'Number rated', numeric: true, format: { style: 'number' }, role: 'total' },
      ];
      if (!isShare) result.columns.splice(2, 1);
      result.rows = sortedGroups(c.counts).map((k) => {
        const m = c.counts.groups.get(k);
        const n = sum(m, labels);
        const d = sum(m, plan.onScale);
        return isShare ? { [plan.by!]: this.groupLabel(plan.by, k), share: d ? n / d : null, numerator: n, denominator: d } : { [plan.by!]: this.groupLabel(plan.by, k), count: n, denominator: d };
      });
    }
    return { result, aggs: used, tables: new Set(RATING_TABLES) };
  }

  // ------------------------------------------------------------------------------------------------ indicators ---
  private indicatorMeta(id: string) {
    const ind = this.ws.get<{ id: string; name: string; unit: string; polarity: string; source: string }>('SELECT id, name, unit, polarity, source FROM indicators WHERE id = ? OR lower(name) = lower(?)', [id, id]);
    if (!ind) {
      const known = this.ws.all<{ id: string }>('SELECT id FROM indicators ORDER BY id').map((r) => r.id);
      const list = known.length === 0 ? 'it has none yet: import them first' : `its indicators are ${known.slice(0, 15).join(', ')}${known.length > 15 ? ` and ${known.length - 15} more` : ''}`;
      throw new FigureSpecError(`spec.indicator: "${id}" is not an indicator in this workspace (${list})`, 'spec.indicator');
    }
    return ind;
  }

  private indicatorFormat(unit: string, fmt: FigureFormat, value: number): FigureFormat {
    const style = fmt.style ?? 'number';
    const decimals = fmt.decimals ?? (style === 'compact' ? 1 : Number.isInteger(value) ? 0 : 1);
    return { ...fmt, style, decimals, ...(unit === '%' && fmt.suffix === undefined && style === 'number' ? { suffix: '%' } : {}) };
  }

  private baseProvenance(sql: string, params: Record<string, unknown>, tables: string[], rows: unknown[], importIds: (string | null)[]): Provenance {
    const imports = new Map<string, number>();
    for (const i of importIds) if (i) imports.set(i, (imports.get(i) ?? 0) + 1);
    return {
      sql,
      params,
      tables,
      rowsRead: rows.length,
      fingerprint: hashHex(canonicalJson(rows)),
      imports: this.importsFor(imports),
      evidenceIds: [],
      computedAt: nowIso(),
      engine: 'sql',
    };
  }

  private indicatorValue(def: FigureDraft, spec: IndicatorValueSpec): Computed {
    const ind = this.indicatorMeta(spec.indicator);
    let area = spec.area ?? ENGLAND_AREA_CODE;
    // An area may be named as editors write it ("Bradford", "London") as well as by its code.
    const named = this.ws.get<{ id: string }>('SELECT id FROM local_authorities WHERE lower(name) = lower(?) UNION ALL SELECT id FROM regions WHERE lower(name) = lower(?) LIMIT 1', [area, area]);
    if (named) area = named.id;
    const sql = 'SELECT area_code, period, value, numerator, denominator, import_id, updated_at FROM indicator_values WHERE indicator_id = :indicator AND area_code = :area AND period = :period';
    const params = { ':indicator': ind.id, ':area': area, ':period': spec.period };
    const rows = this.ws.all<{ value: number; numerator: number | null; denominator: number | null; import_id: string | null }>(sql, params);
    const tables = new Set(['indicators', 'indicator_values']);
    const r = rows[0];
    if (!r) throw new FigureSpecError(`There is no value of "${ind.name}" for area ${area} in period ${spec.period}.`, 'spec.period');
    const fmt = this.indicatorFormat(ind.unit, def.format ?? {}, r.value);
    const result: FigureResult = {
      figureId: null,
      kind: def.kind,
      value: r.value,
      formatted: formatValue(r.value, fmt, fmt.suppressBelow !== undefined ? (r.numerator ?? r.value) : undefined),
      ...(r.numerator !== null ? { numerator: r.numerator } : {}),
      ...(r.denominator !== null ? { denominator: r.denominator } : {}),
      parts: { indicator: ind.name, unit: ind.unit, source: ind.source, area, period: spec.period },
      provenance: this.baseProvenance(sql, params, [...tables], rows, rows.map((x) => x.import_id)),
    };
    return { result, aggs: [], tables };
  }

  private indicatorSpread(def: FigureDraft, spec: IndicatorSpreadSpec | IndicatorRankSpec): Computed {
    const ind = this.indicatorMeta(spec.indicator);
    const areas = spec.areas ?? 'localAuthority';
    const params: Record<string, string> = { ':indicator': ind.id, ':period': spec.period };
    let areaCond: string;
    if (areas === 'localAuthority') areaCond = 'v.area_code IN (SELECT id FROM local_authorities)';
    else if (areas === 'region') areaCond = 'v.area_code IN (SELECT id FROM regions)';
    else {
      areaCond = `v.area_code IN (${areas.map((a, i) => {
        params[`:a${i}`] = a;
        return `:a${i}`;
      }).join(', ')})`;
    }
    const sql = `SELECT v.area_code, coalesce(la.name, rg.name, v.area_code) AS name, v.value, v.import_id, v.updated_at
FROM indicator_values v LEFT JOIN local_authorities la ON la.id = v.area_code LEFT JOIN regions rg ON rg.id = v.area_code
WHERE v.indicator_id = :indicator AND v.period = :period AND ${areaCond}
ORDER BY v.value DESC, v.area_code`;
    const rows = this.ws.all<{ area_code: string; name: string; value: number; import_id: string | null }>(sql, params);
    const tables = new Set(['indicators', 'indicator_values', 'local_authorities', 'regions']);
    if (rows.length === 0) throw new FigureSpecError(`There are no values of "${ind.name}" for period ${spec.period} in the areas asked for.`, 'spec.period');
    const vals = rows.map((r) => r.value).sort((a, b) => a - b);
    const min = vals[0]!;
    const max = vals[vals.length - 1]!;
    const mid = vals.length >> 1;
    const median = vals.length % 2 ? vals[mid]! : (vals[mid - 1]! + vals[mid]!) / 2;
    const lowest = rows[rows.length - 1]!;
    const highest = rows[0]!;
    // Rank 1 is the best area: the lowest value when lower is better, otherwise the highest.
    const lowerBetter = ind.polarity === 'lower is better';
    const ranked = [...rows].sort((a, b) => (lowerBetter ? a.value - b.value : b.value - a.value));
    const rankOf = (v: number) => 1 + ranked.filter((r) => (lowerBetter ? r.value < v : r.value > v)).length;
    const fmt = def.format ?? {};
    const vf = this.indicatorFormat(ind.unit, { ...fmt, style: undefined, prefix: undefined, suffix: undefined }, median);
    const columns: FigureColumn[] = [
      { key: 'area', label: 'Area', role: 'category' },
      { key: 'value', label: ind.name, numeric: true, format: vf, role: 'measure' },
      { key: 'rank', label: 'Rank', numeric: true, format: { style: 'number' }, role: 'detail' },
    ];
    const tableRows = ranked.map((r) => ({ area: r.name, code: r.area_code, value: r.value, rank: rankOf(r.value) }));
    const parts: Record<string, number | string | null> = {
      min,
      max,
      median,
      ratio: min > 0 ? max / min : null,
      count: rows.length,
      minArea: lowest.name,
      maxArea: highest.name,
      best: ranked[0]!.name,
      worst: ranked[ranked.length - 1]!.name,
      minFormatted: formatValue(min, vf),
      maxFormatted: formatValue(max, vf),
      medianFormatted: formatValue(median, vf),
      indicator: ind.name,
      unit: ind.unit,
      polarity: ind.polarity,
    };
    let value: number | null;
    let formatted: string;
    if (spec.measure === 'indicator_rank') {
      const me = rows.find((r) => r.area_code === spec.area || r.name.toLowerCase() === spec.area.toLowerCase());
      if (!me) throw new FigureSpecError(`spec.area: "${spec.area}" has no value of "${ind.name}" for ${spec.period} among the areas compared`, 'spec.area');
      value = rankOf(me.value);
      parts.of = rows.length;
      parts.areaValue = me.value;
      parts.area = me.name;
      formatted = fmt.style ? formatValue(value, fmt) : `${ordinal(value)} of ${formatNumber(rows.length)}`;
    } else {
      value = parts.ratio as number | null;
      formatted = value === null ? '..' : formatValue(value, { style: 'number', decimals: 1, ...fmt });
    }
    const result: FigureResult = {
      figureId: null,
      kind: def.kind,
      value,
      formatted,
      parts,
      ...(def.kind !== 'value' ? { columns, rows: tableRows } : {}),
      provenance: this.baseProvenance(sql, params, [...tables], rows, rows.map((r) => r.import_id)),
    };
    return { result, aggs: [], tables };
  }

  // ------------------------------------------------------------------------------------------------ findings -----
  private countResult(
    def: FigureDraft,
    rows: { grp: string | null; import_id?: string | null }[],
    by: string | undefined,
    byLabel: string,
    sql: string,
    params: Record<string, string>,
    tables: string[],
  ): Computed {
    const fmt: FigureFormat = { style: 'number', ...(def.format ?? {}) };
    const n = rows.length;
    const result: FigureResult = {
      figureId: null,
      kind: def.kind,
      value: n,
      formatted: formatValue(n, fmt, n),
      ...(isSuppressed(n, fmt) ? { suppressed: true } : {}),
      provenance: this.baseProvenance(sql, params, tables, rows, rows.map((r) => r.import_id ?? null)),
    };
    if (by) {
      const groups = new Map<string, number>();
      for (const r of rows) groups.set(r.grp ?? 'Not recorded', (groups.get(r.grp ?? 'Not recorded') ?? 0) + 1);
      result.columns = [
        { key: by, label: byLabel, role: 'category' },
        { key: 'count', label: 'Number', numeric: true, format: { style: 'number', ...(fmt.suppressBelow !== undefined ? { suppressBelow: fmt.suppressBelow } : {}) }, role: 'measure' },
      ];
      result.rows = [...groups].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'en-GB')).map(([g, c]) => ({ [by]: g, count: c }));
    }
    return { result, aggs: [], tables: new Set(tables) };
  }

  private findingCount(def: FigureDraft, spec: FindingCountSpec): Computed {
    const f = spec.filters ?? {};
    const { params, where, cond } = inListConditions('f');
    cond('lower(f.theme_id) IN ? OR lower(t.name) IN ?', filterList(f.theme));
    cond('lower(f.judgement) IN ?', filterList(f.judgement));
    cond("f.subject_type = 'area review' AND (lower(f.subject_id) IN ? OR lower(ar.title) IN ? OR lower(la.name) IN ?)", filterList(f.areaReview));
    cond('lower(f.status) IN ?', filterList(f.status) ?? { values: ['withdrawn'], negate: true });
    cond('lower(f.subject_type) IN ?', filterList(f.subjectType));
    cond('EXISTS (SELECT 1 FROM finding_evidence fe JOIN evidence e ON e.id = fe.evidence_id WHERE fe.finding_id = f.id AND lower(e.sensitivity) IN ?)', filterList(f.sensitivity));
    const grp: Record<string, string> = { theme: 't.name', judgement: 'f.judgement', areaReview: 'coalesce(la.name, ar.title)', status: 'f.status', subjectType: 'f.subject_type' };
    const sql = `SELECT f.id, f.updated_at, ${spec.by ? grp[spec.by] : 'NULL'} AS grp
FROM findings f LEFT JOIN themes t ON t.id = f.theme_id
LEFT JOIN area_reviews ar ON f.subject_type = 'area review' AND ar.id = f.subject_id
LEFT JOIN local_authorities la ON la.id = ar.local_authority_id
${where.length ? `WHERE ${where.join('\n  AND ')}` : ''}
ORDER BY f.id`;
    const rows = this.ws.all<{ id: string; grp: string | null }>(sql, params);
    return this.countResult(def, rows, spec.by, FIND_BY_LABEL[spec.by ?? ''] ?? '', sql, params, ['findings', 'themes', 'area_reviews', 'local_authorities', 'finding_evidence', 'evidence']);
  }

  private evidenceCount(def: FigureDraft, spec: EvidenceCountSpec): Computed {
    const f = spec.filters ?? {};
    const { params, where, cond } = inListConditions('e');
    cond('lower(e.kind) IN ?', filterList(f.kind));
    cond('lower(e.sensitivity) IN ?', filterList(f.sensitivity));
    cond('lower(e.area_review_id) IN ? OR lower(ar.title) IN ? OR lower(la.name) IN ?', filterList(f.areaReview));
    cond('EXISTS (SELECT 1 FROM finding_evidence fe JOIN findings fi ON fi.id = fe.finding_id LEFT JOIN themes t ON t.id = fi.theme_id WHERE fe.evidence_id = e.id AND (lower(fi.theme_id) IN ? OR lower(t.name) IN ?))', filterList(f.theme));
    const verified = asBool(f.verified);
    if (verified !== undefined) where.push(verified ? 'e.verified_by IS NOT NULL' : 'e.verified_by IS NULL');
    const grp: Record<string, string> = { kind: 'e.kind', sensitivity: 'e.sensitivity', areaReview: 'coalesce(la.name, ar.title)', verified: "CASE WHEN e.verified_by IS NULL THEN 'Not verified' ELSE 'Verified' END" };
    const sql = `SELECT e.id, e.updated_at, e.import_id, ${spec.by ? grp[spec.by] : 'NULL'} AS grp
FROM evidence e LEFT JOIN area_reviews ar ON ar.id = e.area_review_id
LEFT JOIN local_authorities la ON la.id = ar.local_authority_id
${where.length ? `WHERE ${where.join('\n  AND ')}` : ''}
ORDER BY e.id`;
    const rows = this.ws.all<{ id: string; grp: string | null; import_id: string | null }>(sql, params);
    return this.countResult(def, rows, spec.by, EVID_BY_LABEL[spec.by ?? ''] ?? '', sql, params, ['evidence', 'area_reviews', 'local_authorities', 'finding_evidence', 'findings', 'themes']);
  }
}

const BY_LABEL: Record<string, string> = {
  region: 'Region',
  localAuthority: 'Local authority',
  sector: 'Sector',
  category: 'Type of service',
  keyQuestion: 'Key question',
  rating: 'Rating',
  serviceGroup: 'Service',
  locationType: 'Location type',
  careHome: 'Care home',
};
const FIND_BY_LABEL: Record<string, string> = { theme: 'Theme', judgement: 'Judgement', areaReview: 'Area', status: 'Status', subjectType: 'Subject' };
const EVID_BY_LABEL: Record<string, string> = { kind: 'Kind of evidence', sensitivity: 'Sensitivity', areaReview: 'Area', verified: 'Verified' };

/** The parameters a figure refers to, with their values: what its value (and so its cache key and approvals) depends on. */
export function usedParams(def: Pick<FigureDraft, 'spec' | 'sql'>, params: FigureParams): FigureParams {
  const names = def.spec ? paramRefs(def.spec) : def.sql ? sqlParamNames(def.sql) : [];
  const out: FigureParams = {};
  for (const n of names.sort()) if (params[n] !== undefined) out[n] = params[n]!;
  return out;
}

export function createFigureEngine(ws: Workspace, opts: EngineOptions): FigureEngine {
  return new Engine(ws, opts);
}

const sharedEngines = new WeakMap<Workspace, FigureEngine>();
let executorFactory: ((ws: Workspace) => SqlExecutor) | undefined;

/**
 * Says where the shared engines run SQL figures. The Node side registers its worker when it loads sql.js
 * (electron/services/sqljs.ts), so every process that can open a workspace has one; without it, there is no engine.
 */
export function provideSqlExecutor(factory: (ws: Workspace) => SqlExecutor): void {
  executorFactory = factory;
}

/**
 * The one engine a workspace's consumers share (the editor, exports, review checks), so that the rating index is
 * built or read once per workspace, not once per export. Disposing it drops it; the next call makes a new one.
 */
export function sharedFigureEngine(ws: Workspace): FigureEngine {
  let e = sharedEngines.get(ws);
  if (!e) {
    if (!executorFactory) throw new Error('No SQL runner was provided for figures (provideSqlExecutor): SQL figures must never run on the live database.');
    const engine = new Engine(ws, { sql: executorFactory(ws) });
    const dispose = engine.dispose.bind(engine);
    engine.dispose = () => {
      if (sharedEngines.get(ws) === engine) sharedEngines.delete(ws);
      dispose();
    };
    sharedEngines.set(ws, engine);
    e = engine;
  }
  return e;
}

/**
 * Case-insensitive `IN` conditions for the finding and evidence counts: each `?` in an expression becomes the list of
 * named parameters for the filter's values (prefixed so the two measures' parameters read apart in provenance).
 */
function inListConditions(prefix: string): {
  params: Record<string, string>;
  where: string[];
  cond: (expr: string, fl: { values: string[]; negate: boolean } | undefined) => void;
} {
  const params: Record<string, string> = {};
  const where: string[] = [];
  let n = 0;
  const cond = (expr: string, fl: { values: string[]; negate: boolean } | undefined): void => {
    if (!fl) return;
    const keys = fl.values.map((v) => {
      const k = `:${prefix}${n++}`;
      params[k] = v.toLowerCase();
      return k;
    });
    where.push(`${fl.negate ? 'NOT ' : ''}(${expr.replace(/\?/g, `(${keys.join(', ')})`)})`);
  };
  return { params, where, cond };
}
