import type { Workspace } from '../store/workspace';
import { findReport, reportSections } from '../store/reports';
import { getEvidence, isRestricted, RESTRICTED_SENSITIVITIES } from '../store/evidence';
import { hasCqcImport } from '../store/imports';
import type { ChartOptions, FigureParams, FigureRef, FigureResult } from '../figures/types';
import type { FigureService } from '../figures/service';
import { buildDocument, type Audience, type DocTree, type Edition, type EvidenceInfo, type ResolvedFigure } from '../document/tree';
import { describeSource, sourceCache } from './sources';
import { templateFor } from '../document/templates';
import { reportPublication } from '../document/publication';
import { UNROUNDED_CHANGES_NOTE } from '../figures/format';

/**
 * Reads a report, its sections and its evidence from a workspace and builds the document tree, with every live figure
 * evaluated now. The figure engine is passed in (its evaluate function and a library lookup), so this module depends
 * only on the figure contract.
 */

/** What the exporters need of the figure service (shared/figures/service.ts). */
export type FigureSource = Pick<FigureService, 'evaluate' | 'describe' | 'settle'>;

export interface AssembleOptions {
  audience: Audience;
  /** Default 'final'. A draft is marked DRAFT throughout; a review copy says it is one. */
  edition?: Edition;
  generatedAt?: string;
}

export function assembleReport(ws: Workspace, figures: FigureSource, idOrSlug: string, opts: AssembleOptions): DocTree {
  const report = findReport(ws, idOrSlug);
  const sections = reportSections(ws, { reportId: report.id }).map((s) => ({ id: s.id, title: s.title, content: s.content, status: s.status }));
  const evidenceCache = new Map<string, EvidenceInfo | undefined>();
  const evidence = (id: string): EvidenceInfo | undefined => {
    if (!evidenceCache.has(id)) {
      const e = getEvidence(ws, id);
      evidenceCache.set(
        id,
        e
          ? {
              id: e.id,
              title: e.title,
              kind: e.kind,
              reference: e.reference,
              collectedOn: e.collectedOn,
              sensitivity: e.sensitivity,
              publisher: e.publisher,
              publishedOn: e.publishedOn,
              url: e.url,
              accessedOn: e.accessedOn,
            }
          : undefined,
      );
    }
    return evidenceCache.get(id);
  };
  // A public edition's SQL figures see the workspace without restricted material (shared/store/public-view.ts).
  const view = opts.audience === 'public' ? 'public' : 'internal';
  const sourceReads = sourceCache();
  const resolve = (ref: FigureRef, rp: FigureParams): ResolvedFigure | undefined => {
    const d = figures.describe(ref.figureId);
    if (!d) return undefined;
    const result = figures.evaluate(ref, rp, { view, changes: report.settings.changes });
    // What the figure is made from, in words, for a table's or chart's source line (shared/export/sources.ts).
    return { ...d, result, source: () => describeSource(ws, result, sourceReads) };
  };
  const demonstration = ws.metaValue('demonstration') === 'true';
  // Real CQC data arrives through the CQC importer; its imports carry the licence.
  const ogl = hasCqcImport(ws);
  const template = templateFor(report.templateId);
  const tree = buildDocument({
    report: { id: report.id, slug: report.slug, title: report.title, subtitle: report.subtitle, author: report.author, templateId: report.templateId, params: report.params },
    sections,
    figures: resolve,
    evidence,
    template,
    audience: opts.audience,
    // A report made without a template borrows its house style, not its furniture.
    publication: reportPublication(report.templateId ? template.publication : undefined, report.settings.publication),
    ...(opts.edition ? { edition: opts.edition } : {}),
    demonstration,
    ogl,
    restrictedSensitivities: RESTRICTED_SENSITIVITIES,
    ...(opts.generatedAt ? { generatedAt: opts.generatedAt } : {}),
  });
  // A report that computes changes from unrounded figures says so wherever it prints one (README, "Numbers that agree").
  if (report.settings.changes === 'unrounded' && tree.figures.some((u) => u.result.parts?.change !== undefined || u.result.columns?.some((c) => c.key === 'change'))) {
    tree.meta.notices.push(UNROUNDED_CHANGES_NOTE);
  }
  return tree;
}

/** Whether an evidence id may be named in an edition for this audience. */
export function evidenceVisibility(ws: Workspace, audience: Audience): (id: string) => boolean {
  if (audience === 'internal') return () => true;
  return (id) => {
    const e = getEvidence(ws, id);
    return e !== undefined && !isRestricted(e.sensitivity);
  };
}
