/**
 * The contract between the figure engine and everything that shows figures (the editor, exporters, the CLI, review).
 * The engine lives in this folder; consumers import only these types and the engine's public functions.
 */

export type FigureKind = 'value' | 'table' | 'chart';

/** Parameters a figure is evaluated with: the report's (e.g. asAt) overridden by a node's own. */
export type FigureParams = Record<string, string | number | boolean>;

/** How a value is written in prose. All options are optional; the engine picks sensible UK defaults per measure. */
export interface FigureFormat {
  style?: 'percent' | 'number' | 'compact' | 'points' | 'direction' | 'text';
  decimals?: number;
  /** Values under this count are suppressed (statistical disclosure control). */
  suppressBelow?: number;
  /** How a suppressed value is written: "[c]" (default) or a phrase such as "fewer than 5". */
  suppressedText?: string;
  /** Words for direction style. */
  directionWords?: { up: string; down: string; same: string };
  prefix?: string;
  suffix?: string;
  /** Points style: write "+3.0"/"-3.0" (for table columns) rather than the bare magnitude prose uses. */
  signed?: boolean;
}

/** Chart options for kind = 'chart'. */
export interface ChartOptions {
  /**
   * 'diverging-bar': two measures either side of zero, the first drawn to the left (e.g. the share of services that
   * deteriorated) and the second to the right (the share that improved), one bar per category in the result's order.
   */
  type: 'bar' | 'stacked-bar' | 'grouped-bar' | 'line' | 'dot' | 'diverging-bar';
  title?: string;
  /** Which result columns give categories, series and values. */
  category?: string;
  series?: string;
  value?: string;
  orientation?: 'horizontal' | 'vertical';
  unit?: string;
}

/** A figure as stored in the library (row of `figures`, parsed). */
export interface FigureDef {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  kind: FigureKind;
  /** Structured spec (see spec.ts) or null for a SQL figure. */
  spec: Record<string, unknown> | null;
  sql: string | null;
  format: FigureFormat;
  chart: ChartOptions | null;
  evidenceIds: string[];
}

export interface FigureColumn {
  key: string;
  label: string;
  /** How cells of this column are formatted. */
  format?: FigureFormat;
  numeric?: boolean;
  /**
   * What the column is to a chart: the category axis, a measure (a series when a chart names no `value` column), a
   * total (the base a share rests on; not drawn) or a detail (shown in tables only).
   */
  role?: 'category' | 'measure' | 'total' | 'detail';
}

/** Where a result came from: enough for a reviewer to re-run it and to see what it rests on. */
export interface Provenance {
  sql: string;
  params: Record<string, unknown>;
  tables: string[];
  rowsRead: number;
  /** A fingerprint of the data the figure read; equal fingerprints mean equal inputs. */
  fingerprint: string;
  imports: { id: string; kind: string; fileName: string; importedAt: string; rows: number }[];
  evidenceIds: string[];
  computedAt: string;
  /**
   * How the value was computed: 'sql' when `sql` itself was run; 'index' when the engine's in-memory rating index gave
   * it (then `sql` is the equivalent query, which returns the same counts, for a reviewer to re-run).
   */
  engine?: 'sql' | 'index';
  /** 'public' when a SQL figure ran on the public view of the workspace (restricted material removed). */
  view?: 'public';
  /** The figure parameters the value depends on (after report and node parameters were merged): what approvals key on. */
  figureParams?: FigureParams;
  /**
   * What the figure counts, in words a reviewer reads beside the SQL: e.g. "counting locations registered on
   * 1 March 2021", or that a date lies outside what the data covers.
   */
  notes?: string[];
  /** What the figure read but left out, and why, with how many: e.g. rating_movement's ratings off the four-point scale. */
  excluded?: { reason: string; count: number }[];
}

/**
 * Whether the data can answer the figure's date(s). A latest-ratings edition answers dates from its extract date on;
 * a history answers its span (shared/store/imports.ts, coverageAt). `ok: false` is a blocker for publication.
 */
export interface FigureCoverage {
  ok: boolean;
  /** In plain UK English: which date is outside what the data covers, what the data answers, and what would answer it. */
  message: string;
  /** The dates the figure asked for that no dataset answers. */
  dates: string[];
  /** The datasets the figure rests on, in words ("the CQC latest ratings file of 30 January 2021"). */
  datasets: string[];
}

export interface FigureResult {
  figureId: string | null;
  kind: FigureKind;
  /** The headline value: a number for value figures (a share is 0..1), null when it cannot be computed. */
  value: number | string | null;
  /** The value as it appears in prose, e.g. "79%", "1.2 million", "[c]". */
  formatted: string;
  numerator?: number;
  denominator?: number;
  /** What the numerator and denominator count, as a plural noun ("scores", "local authorities"); absent: rated locations. */
  countOf?: string;
  /** For tables and charts (and `by` breakdowns): the rows and their columns. */
  columns?: FigureColumn[];
  rows?: Record<string, string | number | null>[];
  /** Extra named values some measures produce (e.g. rating_change: from, to, change, direction). */
  parts?: Record<string, number | string | null>;
  suppressed?: boolean;
  error?: string;
  /** Where the error lies, for the figure builder: e.g. 'spec.filters.region' or 'sql'. */
  errorPath?: string;
  /** A SQL figure whose query is still running in the worker: show it as loading; never print or approve it. */
  pending?: true;
  /** A SQL figure refused in a public edition because its query reads these tables, which can hold restricted material. */
  internalOnly?: string[];
  /** Set when the figure's date(s) fall outside what the data can answer: see FigureCoverage. */
  coverage?: FigureCoverage;
  /**
   * Set when the figure shows what is not yet published: one assessment's draft scores or ratings, for its own report.
   * The words say so ("the draft ratings of the comprehensive inspection of X, in moderation"); no public edition
   * may print it.
   */
  draft?: string;
  provenance: Provenance;
}

/**
 * How a figure stands against its sign-off, in one vocabulary for the engine, review, the CLI and the app:
 * - fresh: never approved (in this section, or for the library);
 * - approved: the value signed off is the value now;
 * - stale: approved, and the value has changed since;
 * - unapproved: approved only under other parameters (last year's asAt, say), so not for these;
 * - error: it cannot be computed.
 */
export const FIGURE_STATES = ['fresh', 'approved', 'stale', 'unapproved', 'error'] as const;
export type FigureState = (typeof FIGURE_STATES)[number];

/** A reference to a figure from report content: a figure id plus parameter overrides. */
export interface FigureRef {
  figureId: string;
  params?: FigureParams;
}

/** A recorded sign-off of a figure's value, as stateOf reports it. */
export interface ApprovalInfo {
  value: unknown;
  formatted: string;
  fingerprint: string;
  by: string;
  at: string;
}
