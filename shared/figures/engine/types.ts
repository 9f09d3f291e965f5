import type { ChangeEvent } from '../../store/workspace';
import type { RatingRows } from './measures/ratings';
import type { RatingAgg } from '../../store/rating-index';
import type { SqlExecutor, SqlView } from '../sql';
import type { ChangeRule } from '../format';
import type { ApprovalInfo, ChartOptions, FigureDef, FigureParams, FigureRef, FigureResult, FigureState } from '../types';

/** The records behind a figure that is not a rating figure, as a table with a statement of what it counts. */
export interface RecordRows {
  statement: string;
  numerator: number;
  denominator: number;
  columns: { key: string; label: string }[];
  rows: (string | number | null)[][];
  /** Where the records come from, in words, when the measure knows better than the figure's imports (an indicator's source). */
  source?: string;
}

export type FigureRows = { kind: 'ratings'; ratings: RatingRows } | { kind: 'records'; records: RecordRows };

/** What evaluate() accepts: a library figure, or an unsaved one from the figure builder. */
export type FigureDraft = Pick<FigureDef, 'kind' | 'spec' | 'sql' | 'format'> & { chart?: ChartOptions | null; id?: string; evidenceIds?: string[] };

/** How to evaluate: `view: 'public'` is for public editions (SQL figures see the workspace without restricted material). */
export interface EvaluateOptions {
  view?: SqlView;
  /** How rating changes relate to the printed levels: the report's setting (ReportSettings.changes); default 'rounded'. */
  changes?: ChangeRule;
}

export interface FigureEngine {
  evaluate(def: FigureDraft, params: FigureParams, opts?: EvaluateOptions): FigureResult;
  evaluateRef(ref: FigureRef, reportParams: FigureParams, opts?: EvaluateOptions): FigureResult;
  /**
   * The rows a figure counts ("Show the rows"): a rating figure's ratings, or the records any other measure reads
   * (findings, evidence, indicator values, assessment scores and ratings, the series a movement compares). A SQL
   * figure throws a FigureSpecError: its rows are its query's own result.
   */
  rows(ref: FigureRef, reportParams: FigureParams): FigureRows;
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
  stats(): {
    indexBuildMs: number;
    /** Where the rating index came from: the rows, the file's stored copy, or that copy patched from the change log. */
    indexSource: 'none' | 'rows' | 'cache' | 'patched';
    indexFallback: string | undefined;
    patchedRows: { ratings: number; locations: number };
    indexBuilds: number; ratingRows: number; series: number; aggregates: number; cached: number };
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

/** A figure computed, with what it depends on: the rating aggregates (index path) at their versions, or tables. */
export interface Computed {
  result: FigureResult;
  aggs: { agg: RatingAgg; version: number }[];
  tables: Set<string>;
}
