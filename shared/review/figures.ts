import type { ChartOptions, FigureFormat, FigureKind, FigureParams, FigureResult } from '../figures/types';
import type { Workspace } from '../store/workspace';
import { approvalValue, canonicalJson, matchesApproval } from '../figures';
export { approvalParams, insertApproval } from '../figures/approvals';

/**
 * What review needs from the figure library and engine. Review reads library entries and approvals straight from the
 * schema (they are plain rows) and asks the engine only to compute values, so its checks stay testable with any
 * evaluator and agree with whatever the engine computes for the editor.
 */

export interface ReviewFigureDef {
  id: string;
  slug: string;
  name: string;
  kind: FigureKind;
  format: FigureFormat;
  chart: ChartOptions | null;
  evidenceIds: string[];
}

export interface FigureSource {
  /** Computes a figure with its effective parameters (the report's, overridden by the node's). Must not throw. */
  evaluate(figureId: string, params: FigureParams): FigureResult;
  /**
   * Runs `compute` until no figure it evaluated is still pending (SQL figures run in a worker: see
   * FigureEngine.settle). Review's entry points compute through this, so a check or a sign-off never sees a pending value.
   */
  settle<T>(compute: () => T): Promise<T>;
}

function json<T>(s: string | null | undefined, fallback: T): T {
  if (s === null || s === undefined) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
}

export function figureDefs(ws: Pick<Workspace, 'all'>): Map<string, ReviewFigureDef> {
  const links = new Map<string, string[]>();
  for (const l of ws.all<{ figure_id: string; evidence_id: string }>('SELECT figure_id, evidence_id FROM figure_evidence ORDER BY evidence_id')) {
    const xs = links.get(l.figure_id) ?? [];
    xs.push(l.evidence_id);
    links.set(l.figure_id, xs);
  }
  const out = new Map<string, ReviewFigureDef>();
  for (const r of ws.all<{ id: string; slug: string; name: string; kind: FigureKind; format: string; chart: string | null }>(
    'SELECT id, slug, name, kind, format, chart FROM figures',
  )) {
    out.set(r.id, { id: r.id, slug: r.slug, name: r.name, kind: r.kind, format: json(r.format, {}), chart: json(r.chart, null), evidenceIds: links.get(r.id) ?? [] });
  }
  return out;
}

export function effectiveParams(report: FigureParams, node: FigureParams | undefined): FigureParams {
  return { ...report, ...(node ?? {}) };
}

/** Parameters in the engine's canonical text form, so equal parameter sets compare equal however written. */
export function canonicalParams(p: FigureParams | Record<string, unknown>): string {
  return canonicalJson(p);
}


export interface Approval {
  id: number;
  figureId: string;
  sectionId: string | null;
  params: FigureParams;
  /** The value signed off, as stored (see {@link approvalValue}). */
  value: unknown;
  formatted: string;
  fingerprint: string;
  by: string;
  at: string;
}

interface ApprovalRow {
  id: number;
  figure_id: string;
  section_id: string | null;
  params: string;
  value: string;
  formatted: string;
  fingerprint: string;
  approved_by: string;
  approved_at: string;
}

function toApproval(r: ApprovalRow): Approval {
  return {
    id: r.id,
    figureId: r.figure_id,
    sectionId: r.section_id,
    params: json(r.params, {}),
    value: json(r.value, null),
    formatted: r.formatted,
    fingerprint: r.fingerprint,
    by: r.approved_by,
    at: r.approved_at,
  };
}

/**
 * The approvals in the given sections, latest last, so a lookup finds the one that applies as the engine's own
 * `stateOf` does: the latest for the same figure, section and parameters; failing that, the latest under other
 * parameters (which leaves the figure unapproved for these).
 */
export function latestApprovals(ws: Pick<Workspace, 'all'>, sectionIds: string[]): Map<string, Approval> {
  const out = new Map<string, Approval>();
  if (!sectionIds.length) return out;
  const rows = ws.all<ApprovalRow>(`SELECT * FROM figure_approvals WHERE section_id IN (${sectionIds.map(() => '?').join(', ')}) ORDER BY id`, sectionIds);
  for (const r of rows) {
    const a = toApproval(r);
    out.set(approvalKey(a.figureId, a.sectionId, a.params), a);
    out.set(approvalKey(a.figureId, a.sectionId, null), a);
  }
  return out;
}

export function approvalKey(figureId: string, sectionId: string | null, params: FigureParams | null): string {
  return `${figureId}|${sectionId ?? ''}|${params === null ? '*' : canonicalParams(params)}`;
}

/** The approval for these parameters, and whether it was recorded under them. */
export function findApproval(approvals: Map<string, Approval>, figureId: string, sectionId: string, params: FigureParams): { approval: Approval; sameParams: boolean } | undefined {
  const same = approvals.get(approvalKey(figureId, sectionId, params));
  if (same) return { approval: same, sameParams: true };
  const other = approvals.get(approvalKey(figureId, sectionId, null));
  return other ? { approval: other, sameParams: false } : undefined;
}

export { approvalValue };

export type ReviewFigureState = 'approved' | 'stale' | 'unapproved' | 'error';

/**
 * A figure is stale when the value signed off (headline, parts and rows, as the engine compares them) differs from
 * what it computes now. A changed data fingerprint with an unchanged value is not stale: the report still says what
 * the reviewer approved. This is the engine's `stateOf`, so the editor's badge and the checks agree.
 */
export function stateAgainst(result: FigureResult, found: { approval: Approval; sameParams: boolean } | undefined): ReviewFigureState {
  if (result.error) return 'error';
  if (!found || !found.sameParams) return 'unapproved';
  return matchesApproval(found.approval.value, result) ? 'approved' : 'stale';
}


/** Formats a stored approval's headline value for people ("79%" is in `formatted`; this is the raw value). */
export function headlineOf(value: unknown): unknown {
  if (value && typeof value === 'object' && 'value' in (value as Record<string, unknown>)) return (value as { value: unknown }).value;
  return value;
}

/** What review shows for a figure the engine could not compute at all: a marker, and the reason. */
export function unavailableFigure(figureId: string, params: FigureParams, e: unknown): FigureResult {
  return {
    figureId,
    kind: 'value',
    value: null,
    formatted: '[figure unavailable]',
    error: (e as Error).message,
    provenance: { sql: '', params, tables: [], rowsRead: 0, fingerprint: '', imports: [], evidenceIds: [], computedAt: new Date().toISOString() },
  };
}
