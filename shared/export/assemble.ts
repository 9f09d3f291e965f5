import type { Workspace } from '../store/workspace';
import { RESTRICTED_SENSITIVITIES } from '../store/repo';
import type { ChartOptions, FigureParams, FigureRef, FigureResult } from '../figures/types';
import type { EvaluateOptions } from '../figures/engine';
import { buildDocument, type Audience, type DocTree, type EvidenceInfo, type ResolvedFigure } from '../document/tree';
import { templateFor } from '../document/templates';

/**
 * Reads a report, its sections and its evidence from a workspace and builds the document tree, with every live figure
 * evaluated now. The figure engine is passed in (its evaluate function and a library lookup), so this module depends
 * only on the figure contract.
 */

export interface ReportRow {
  id: string;
  slug: string;
  title: string;
  subtitle: string | null;
  template_id: string | null;
  params: string;
  author: string | null;
}

export interface FigureSource {
  evaluate(ref: FigureRef, reportParams: FigureParams, opts?: EvaluateOptions): FigureResult;
  /** Runs `compute` until no figure it evaluated is pending (see FigureEngine.settle): assemble a report through it. */
  settle<T>(compute: () => T): Promise<T>;
  describe(figureId: string): { slug: string; name: string; kind: string; chart: ChartOptions | null } | undefined;
}

export class ReportNotFoundError extends Error {
  readonly userFacing = true;
  constructor(message: string) {
    super(message);
    this.name = 'ReportNotFoundError';
  }
}

/** A report by id or slug; the error lists the reports there are. */
export function findReport(ws: Workspace, idOrSlug: string): ReportRow {
  const r = ws.get<ReportRow>('SELECT id, slug, title, subtitle, template_id, params, author FROM reports WHERE id = ? OR slug = ?', [idOrSlug, idOrSlug]);
  if (r) return r;
  const all = ws.all<{ slug: string }>('SELECT slug FROM reports ORDER BY title');
  throw new ReportNotFoundError(
    `There is no report "${idOrSlug}" in this workspace.` + (all.length ? ` Reports: ${all.map((x) => x.slug).join(', ')}.` : ' It has no reports.'),
  );
}

export function reportParams(r: Pick<ReportRow, 'params'>): FigureParams {
  try {
    const p = JSON.parse(r.params) as unknown;
    if (p && typeof p === 'object' && !Array.isArray(p)) {
      const out: FigureParams = {};
      for (const [k, v] of Object.entries(p)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
      return out;
    }
  } catch {
    /* a report with unreadable parameters is exported without them */
  }
  return {};
}

export interface AssembleOptions {
  audience: Audience;
  generatedAt?: string;
}

export function assembleReport(ws: Workspace, figures: FigureSource, idOrSlug: string, opts: AssembleOptions): DocTree {
  const report = findReport(ws, idOrSlug);
  const params = reportParams(report);
  const sections = ws.all<{ id: string; title: string; content: string; status: string }>(
    'SELECT id, title, content, status FROM sections WHERE report_id = ? ORDER BY position, title',
    [report.id],
  );
  const evidenceCache = new Map<string, EvidenceInfo | undefined>();
  const evidence = (id: string): EvidenceInfo | undefined => {
    if (!evidenceCache.has(id)) {
      const e = ws.get<{ id: string; title: string; kind: string; reference: string | null; collected_on: string | null; sensitivity: string }>(
        'SELECT id, title, kind, reference, collected_on, sensitivity FROM evidence WHERE id = ?',
        [id],
      );
      evidenceCache.set(id, e ? { id: e.id, title: e.title, kind: e.kind, reference: e.reference, collectedOn: e.collected_on, sensitivity: e.sensitivity } : undefined);
    }
    return evidenceCache.get(id);
  };
  // A public edition's SQL figures see the workspace without restricted material (shared/store/public-view.ts).
  const view = opts.audience === 'public' ? 'public' : 'internal';
  const resolve = (ref: FigureRef, rp: FigureParams): ResolvedFigure | undefined => {
    const d = figures.describe(ref.figureId);
    if (!d) return undefined;
    return { ...d, result: figures.evaluate(ref, rp, { view }) };
  };
  const demonstration = ws.metaValue('demonstration') === 'true';
  // Real CQC data arrives through the CQC importer; its imports carry the licence.
  const ogl = !!ws.value("SELECT 1 FROM imports WHERE kind LIKE 'cqc%' LIMIT 1");
  return buildDocument({
    report: { id: report.id, slug: report.slug, title: report.title, subtitle: report.subtitle, author: report.author, templateId: report.template_id, params },
    sections,
    figures: resolve,
    evidence,
    template: templateFor(report.template_id),
    audience: opts.audience,
    demonstration,
    ogl,
    restrictedSensitivities: RESTRICTED_SENSITIVITIES,
    ...(opts.generatedAt ? { generatedAt: opts.generatedAt } : {}),
  });
}

/** Whether an evidence id may be named in an edition for this audience. */
export function evidenceVisibility(ws: Workspace, audience: Audience): (id: string) => boolean {
  if (audience === 'internal') return () => true;
  return (id) => {
    const s = ws.value<string>('SELECT sensitivity FROM evidence WHERE id = ?', [id]);
    return s !== undefined && !RESTRICTED_SENSITIVITIES.includes(s);
  };
}
