import type { ChangeEvent, Workspace } from '../../store/workspace';
import { approvalsOf } from '../../store/figures';
import { approvalInfo, approvalValue, ApprovalIndex, figureState } from '../approval-state';
import { canonicalJson, FigureSpecError, isRatingSpec, paramRefs, type FigureSpec, type RatingSpec } from '../spec';
import { sqlParamNames, SqlFigureError, type SqlView } from '../sql';
import { SqlJobs } from '../sql-jobs';
import type { ApprovalInfo, FigureParams, FigureRef, FigureResult, FigureState } from '../types';
import { EngineCaches } from './caches';
import { currentRatings, type CurrentRatings } from '../../store/current-ratings';
import { computeRating, ratingRows, RATING_TABLES, type RatingContext } from './measures/ratings';
import { indicatorRows, indicatorSpread, indicatorValue } from './measures/indicators';
import { evidenceCount, evidenceRows, findingCount, findingRows } from './measures/counts';
import { computeMovement, movementRows } from './measures/movement';
import { assessmentRating, assessmentRatingRows, assessmentScore, assessmentScoreRows } from './measures/assessments';
import { computeSql, type SqlMeasureContext } from './measures/sql';
import { errorResult } from './provenance';
import { DEFAULT_CHANGE_RULE, type ChangeRule } from '../format';
import { ResultCache } from './results';
import type { Computed, EngineOptions, EvaluateOptions, FigureDraft, FigureEngine, FigureRows, RecordRows } from './types';

/**
 * The live figure engine: computes figures (a measure per family, in measures/), keeps their results (results.ts) and
 * the workspace's current ratings (shared/store/current-ratings.ts) true as the workspace changes, and recomputes only what a write touched. Every
 * cache it keeps is one of those two or in caches.ts, each with its rule for going stale.
 */
export class Engine implements FigureEngine {
  private readonly results = new ResultCache();
  /** The workspace's current ratings (the rating index), shared with the data browser. */
  private readonly index: CurrentRatings;
  private readonly caches: EngineCaches;
  private readonly sql: SqlJobs;
  /** The write sequence at which each table last changed in this session: how new a SQL result must be. */
  private readonly tableSeq = new Map<string, number>();
  /** How many pending results have been handed out: settle() loops while a pass hands out more. */
  private pendingServed = 0;
  /** Each committed write is absorbed once, whether the engine's own listener or the caller's applyChange sees it first. */
  private lastSeq = -1;
  private readonly useIndex: boolean;
  private readonly ratingCtx: RatingContext;
  private readonly sqlCtx: SqlMeasureContext;
  private readonly unlisten: () => void;

  constructor(
    private readonly ws: Workspace,
    opts: EngineOptions,
  ) {
    this.useIndex = opts.useIndex !== false;
    this.index = currentRatings(ws);
    this.caches = new EngineCaches(ws);
    this.sql = new SqlJobs(opts.sql);
    this.ratingCtx = { ws, caches: this.caches, index: this.index, useIndex: this.useIndex };
    this.sqlCtx = {
      jobs: this.sql,
      lastChange: (tables) => this.lastChange(tables),
      lastSeq: () => this.ws.lastSeq,
      servedPending: () => this.pendingServed++,
    };
    this.unlisten = ws.onChange((e) => this.absorbEvent(e));
  }

  // ------------------------------------------------------------------------------------------------ changes ------
  private absorbEvent(e: ChangeEvent): void {
    for (const t of e.tables) this.tableSeq.set(t, Math.max(this.tableSeq.get(t) ?? 0, e.seq));
    if (e.seq === this.lastSeq) {
      this.index.absorbEvent(e);
      return;
    }
    this.lastSeq = e.seq;
    this.results.markChanged(e.tables);
    this.caches.tablesChanged(e.tables);
    this.index.absorbEvent(e);
  }

  /** The newest write that changed any of these tables in this session ('*' or unknown: the newest write of all). */
  private lastChange(tables: readonly string[] | undefined): number {
    if (!tables || tables.includes('*')) return this.ws.lastSeq;
    let seq = 0;
    for (const t of tables) seq = Math.max(seq, this.tableSeq.get(t) ?? 0);
    return seq;
  }

  applyChange(event: ChangeEvent): string[] {
    this.absorbEvent(event);
    const tables = this.results.takeChanged();
    const aggs = this.index.takeChangedAggs();
    const changed: string[] = [];
    for (const e of this.results.entries.values()) {
      if (!ResultCache.affected(e.computed, tables, aggs, this.index.current)) continue;
      const before = e.computed.result;
      e.computed = this.computeRef(e.ref, e.reportParams, e.view, e.changes);
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
    const def = this.caches.def(ref.figureId);
    const used = def ? usedParams(def, merged) : merged;
    // Only SQL figures can differ between the public view and the workspace itself, and only rating changes between
    // the change rules.
    const view = opts.view === 'public' && def?.sql ? '|public' : '';
    const changes = opts.changes && opts.changes !== DEFAULT_CHANGE_RULE && def?.spec?.measure === 'rating_change' ? `|${opts.changes}` : '';
    return `${ref.figureId}|${canonicalJson(used)}${view}${changes}`;
  }

  evaluateRef(ref: FigureRef, reportParams: FigureParams, opts: EvaluateOptions = {}): FigureResult {
    this.index.absorb([], false);
    const key = this.keyOf(ref, reportParams, opts);
    const hit = this.results.entries.get(key);
    if (hit && this.results.upToDate(hit.computed, this.index.current)) return hit.computed.result;
    const view = opts.view ?? 'internal';
    const changes = opts.changes ?? DEFAULT_CHANGE_RULE;
    const computed = this.computeRef(ref, reportParams, view, changes);
    this.results.entries.set(key, { key, ref, reportParams, view, changes, computed });
    return computed.result;
  }

  evaluate(def: FigureDraft, params: FigureParams, opts: EvaluateOptions = {}): FigureResult {
    this.index.absorb([], false);
    return this.compute(def, params, opts.view ?? 'internal', opts.changes ?? DEFAULT_CHANGE_RULE).result;
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
    for (const e of this.results.entries.values()) {
      if (!e.computed.result.pending) continue;
      e.computed = this.computeRef(e.ref, e.reportParams, e.view, e.changes);
      if (!e.computed.result.pending) changed.push(e.key);
    }
    return changed;
  }

  onSqlSettled(listener: () => void): () => void {
    return this.sql.onSettled(listener);
  }

  stateOf(figureId: string, sectionId: string | null, result: FigureResult): { state: FigureState; approved?: ApprovalInfo } {
    // The one rule review uses too (approval-state.ts), so the editor's badge and the checks never disagree.
    const found = result.error ? undefined : new ApprovalIndex(approvalsOf(this.ws, figureId, sectionId)).find(figureId, sectionId, result.provenance.figureParams ?? {});
    const state = figureState(result, found);
    return found && state !== 'error' ? { state, approved: approvalInfo(found.approval) } : { state };
  }

  prepare(): void {
    if (!this.useIndex) return;
    this.index.absorb([], !this.ws.inWrite);
    this.index.get();
  }

  reset(): void {
    this.results.clear();
    this.index.reset();
    this.caches.clear();
  }

  stats() {
    return { ...this.index.stats(), cached: this.results.entries.size };
  }

  dispose(): void {
    // The current ratings belong to the workspace, not to this engine: the data browser and the next engine use them.
    this.unlisten();
    this.results.clear();
    this.sql.dispose();
  }

  // ------------------------------------------------------------------------------------------------ computing ----
  /** The rows a figure counts ("Show the rows"), with the same filters, dates and rules as its value. */
  rows(ref: FigureRef, reportParams: FigureParams): FigureRows {
    const def = this.caches.def(ref.figureId);
    if (!def) throw new FigureSpecError(`There is no figure "${ref.figureId}" in this workspace (it may have been deleted).`, 'figureId');
    const used = usedParams(def, { ...reportParams, ...(ref.params ?? {}) });
    if (!def.spec) throw new FigureSpecError(`“${def.name}” is computed by an analyst's SQL: its rows are the query's own result, shown in the figure builder.`, 'sql');
    const spec = this.caches.spec(def.spec, used);
    if (isRatingSpec(spec)) return { kind: 'ratings', ratings: ratingRows(this.ratingCtx, spec) };
    return { kind: 'records', records: this.recordRows(spec) };
  }

  private recordRows(spec: Exclude<FigureSpec, RatingSpec>): RecordRows {
    const counted = (what: [string, string], t: { columns: RecordRows['columns']; rows: RecordRows['rows'] }, filtered: boolean): RecordRows => ({
      statement: `${t.rows.length.toLocaleString('en-GB')} ${t.rows.length === 1 ? what[0] : what[1]}${filtered ? ' matching the figure’s filters' : ''}.`,
      numerator: t.rows.length,
      denominator: t.rows.length,
      ...t,
    });
    switch (spec.measure) {
      case 'finding_count':
        return counted(['finding', 'findings'], findingRows(this.ws, spec), !!spec.filters && Object.keys(spec.filters).length > 0);
      case 'evidence_count':
        return counted(['evidence source', 'evidence sources'], evidenceRows(this.ws, spec), !!spec.filters && Object.keys(spec.filters).length > 0);
      case 'indicator_value':
      case 'indicator_spread':
      case 'indicator_rank': {
        const t = indicatorRows(this.ws, spec);
        const n = t.rows.length;
        return {
          statement: spec.measure === 'indicator_value' ? `The value of “${t.indicator}” for ${String(t.rows[0]?.[0] ?? 'the area')}, ${spec.period}.` : `${n.toLocaleString('en-GB')} areas compared on “${t.indicator}”, ${spec.period}.`,
          numerator: n,
          denominator: n,
          columns: t.columns,
          rows: t.rows,
          source: t.source,
        };
      }
      case 'rating_movement':
        return movementRows(this.ratingCtx, spec);
      case 'assessment_score':
        return assessmentScoreRows(this.ws, this.caches, spec);
      case 'assessment_rating': {
        const t = assessmentRatingRows(this.ws, spec);
        return { ...t, numerator: t.rows.length, denominator: t.rows.length };
      }
    }
  }

  private computeRef(ref: FigureRef, reportParams: FigureParams, view: SqlView, changes: ChangeRule): Computed {
    const def = this.caches.def(ref.figureId);
    const merged = { ...reportParams, ...(ref.params ?? {}) };
    if (!def) {
      return { result: errorResult(ref.figureId, 'value', `There is no figure "${ref.figureId}" in this workspace (it may have been deleted).`, merged, 'figureId'), aggs: [], tables: new Set(['figures']) };
    }
    const c = this.compute(def, merged, view, changes);
    c.tables.add('figures');
    c.tables.add('figure_evidence');
    return c;
  }

  private compute(def: FigureDraft, params: FigureParams, view: SqlView, changes: ChangeRule): Computed {
    const figureId = def.id ?? null;
    const used = usedParams(def, params);
    try {
      let c: Computed;
      if (def.sql !== null && def.sql !== undefined && (def.spec === null || def.spec === undefined)) c = computeSql(this.sqlCtx, def, used, view);
      else if (def.spec) c = this.computeSpec(def, this.caches.spec(def.spec, used), changes);
      else throw new FigureSpecError('A figure needs either a spec or SQL.', 'spec');
      c.result.figureId = figureId;
      c.result.provenance.evidenceIds = def.evidenceIds ?? [];
      c.result.provenance.figureParams = used;
      return c;
    } catch (e) {
      const err = e as Error & { path?: string };
      const message = e instanceof FigureSpecError || e instanceof SqlFigureError ? err.message : `The figure could not be computed: ${err.message}`;
      const tables = new Set<string>(def.sql ? ['*'] : RATING_TABLES);
      return { result: errorResult(figureId, def.kind, message, used, err.path ?? (def.sql ? 'sql' : undefined)), aggs: [], tables };
    }
  }

  private computeSpec(def: FigureDraft, spec: FigureSpec, changes: ChangeRule): Computed {
    if (isRatingSpec(spec)) return computeRating(this.ratingCtx, def, spec, changes);
    switch (spec.measure) {
      case 'indicator_value':
        return indicatorValue(this.ws, this.caches, def, spec);
      case 'indicator_spread':
      case 'indicator_rank':
        return indicatorSpread(this.ws, this.caches, def, spec);
      case 'finding_count':
        return findingCount(this.ws, this.caches, def, spec);
      case 'evidence_count':
        return evidenceCount(this.ws, this.caches, def, spec);
      case 'rating_movement':
        return computeMovement(this.ratingCtx, def, spec);
      case 'assessment_score':
        return assessmentScore(this.ws, this.caches, def, spec);
      case 'assessment_rating':
        return assessmentRating(this.ws, this.caches, def, spec);
    }
  }
}

/** The parameters a figure refers to, with their values: what its value (and so its cache key and approvals) depends on. */
export function usedParams(def: Pick<FigureDraft, 'spec' | 'sql'>, params: FigureParams): FigureParams {
  const names = def.spec ? paramRefs(def.spec) : def.sql ? sqlParamNames(def.sql) : [];
  const out: FigureParams = {};
  for (const n of names.sort()) if (params[n] !== undefined) out[n] = params[n]!;
  return out;
}
