import type { FigureService } from '../figures/service';
import type { ChartOptions, FigureFormat, FigureKind, FigureParams, FigureResult } from '../figures/types';
import type { Workspace } from '../store/workspace';
import { listFigures } from '../store/figures';
import { canonicalJson } from '../figures/spec';
export { approvalParams, insertApproval } from '../figures/approvals';
export { ApprovalIndex, figureState, type FoundApproval } from '../figures/approval-state';

/**
 * What review needs from the figure library and engine. Review reads library entries and approvals through the store
 * and asks the engine only to compute values, so its checks stay testable with any evaluator and agree with whatever
 * the engine computes for the editor.
 */

export interface ReviewFigureDef {
  id: string;
  slug: string;
  name: string;
  kind: FigureKind;
  format: FigureFormat;
  chart: ChartOptions | null;
  evidenceIds: string[];
  /** The structured spec, parameter references unresolved (null for a SQL figure): what checks compare figures by. */
  spec: Record<string, unknown> | null;
}

/**
 * What review needs of the figure service (shared/figures/service.ts): evaluate a figure, and settle, so that a check
 * or a sign-off never sees a pending value.
 */
export type FigureSource = Pick<FigureService, 'evaluate' | 'settle'>;

export function figureDefs(ws: Pick<Workspace, 'all' | 'get'>): Map<string, ReviewFigureDef> {
  return new Map(listFigures(ws).map((f) => [f.id, { id: f.id, slug: f.slug, name: f.name, kind: f.kind, format: f.format, chart: f.chart, evidenceIds: f.evidenceIds, spec: f.spec }]));
}

export function effectiveParams(report: FigureParams, node: FigureParams | undefined): FigureParams {
  return { ...report, ...(node ?? {}) };
}

/** Parameters in the engine's canonical text form, so equal parameter sets compare equal however written. */
export function canonicalParams(p: FigureParams | Record<string, unknown>): string {
  return canonicalJson(p);
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
