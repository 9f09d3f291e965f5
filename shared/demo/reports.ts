import type { Tx, Workspace } from '../store/workspace';
import type { FigureParams, FigureRef } from '../figures/types';
import { audit } from '../store/audit';
import { createReportFromTemplate, deleteReportsBySlug, replaceSections } from '../store/reports';
import { figuresBySlug } from '../store/figures';
import { evidenceIdByReference, findReviewEvidence } from '../store/evidence';
import { areaReviewOf } from '../store/area-reviews';
import { localAuthorityIdByName } from '../store/locations';
import { blocksToLexical, type MarkupResolver } from './reports-markup';
import { STATE_OF_CARE, localSystemReview, type ProseSection } from './reports-prose';
import { ensureReportFigures, figureKeys, type FigureKeyTarget } from './reports-figures';
import { approveSections } from '../review/workflow';
import { figureService } from '../figures/service';
import { DEMO_PUBLICATION } from './publication';

/**
 * The demonstration reports: "State of Care 2017/18 (demonstration data)" and one local system review report, written
 * as an editor would write them, with live figures from the demo figure library and citations of the demo evidence.
 * Runs after the demo data and the demo figure library exist; every figure and evidence source it needs is looked up
 * by slug or reference, and a missing one stops it with a message naming it.
 */

export const DEMO_REPORT_SLUG = 'state-of-care-2017-18';
export const DEMO_LSR_AREA = 'Stockport';
export const DEMO_LSR_SLUG = 'local-system-review-stockport';
const AUTHOR = 'State of Care editorial team';
/**
 * Who approved the demo's approved sections: a named reviewer who wrote none of them (each section's last change is its
 * owning team's), approving through the workflow as a person in the app would.
 */
export const DEMO_REVIEWER = 'Helen Ward (publications reviewer)';

export class DemoReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoReportError';
  }
}

function figureResolver(tx: Tx, keys: Record<string, FigureKeyTarget>, context: FigureParams): MarkupResolver['figure'] {
  const ids = new Map<string, string>();
  return (key) => {
    const base = key.split('#')[0]!;
    // "lib:slug" names a figure of the demo figure library directly.
    let target = base.startsWith('lib:') ? { slug: base.slice(4) } : keys[base];
    if (!target) throw new DemoReportError(`demo reports: no figure is defined for the key "${key}"`);
    // The demo figure library's own figure, where it has one, rather than the report's parameterised one.
    if (target.prefer && figuresBySlug(tx, [target.prefer]).has(target.prefer)) target = { slug: target.prefer };
    const slug = target.slug;
    if (!ids.has(slug)) {
      const figure = figuresBySlug(tx, [slug]).get(slug);
      if (!figure) throw new DemoReportError(`demo reports: the figure library has no figure "${slug}" (needed for "${key}")`);
      ids.set(slug, figure.id);
    }
    const params: FigureParams = {};
    for (const [k, v] of Object.entries(target.params ?? {}) as [string, string | number | boolean][]) params[k] = typeof v === 'string' ? v.replace(/\{(\w+)\}/g, (_, n: string) => String(context[n] ?? '')) : v;
    const ref: FigureRef = { figureId: ids.get(slug)! };
    if (Object.keys(params).length) ref.params = params;
    return ref;
  };
}

function evidenceResolver(tx: Tx): MarkupResolver['evidence'] {
  return (token) => {
    if (token.startsWith('lsr:')) {
      const [, area, kind, words] = token.split(':');
      const laId = localAuthorityIdByName(tx, area!);
      const review = laId === undefined ? undefined : areaReviewOf(tx, laId);
      if (!review) throw new DemoReportError(`demo reports: no local system review of ${area}`);
      const e = findReviewEvidence(tx, { areaReviewId: review, kind: kind!, titleWords: words });
      if (!e) throw new DemoReportError(`demo reports: the ${area} review has no ${kind} evidence${words ? ` about "${words}"` : ''}`);
      return e;
    }
    const e = evidenceIdByReference(tx, token);
    if (!e) throw new DemoReportError(`demo reports: no evidence with the reference ${token}`);
    return e;
  };
}

/**
 * Writes a report's sections as their owners wrote them, sent for review where the prose says so; returns the ids of
 * those the prose marks approved, which addDemoReports then approves through the workflow (never written as approved).
 */
function writeSections(tx: Tx, reportId: string, sections: ProseSection[], resolver: MarkupResolver): string[] {
  const ids = replaceSections(
    tx,
    reportId,
    sections.map((s) => ({
      title: s.title,
      owner: s.owner,
      status: s.status === 'draft' ? 'draft' : 'in review',
      statusBy: s.status === 'draft' ? null : AUTHOR,
      statusAt: s.status === 'draft' ? null : tx.at,
      content: JSON.stringify(blocksToLexical(s.blocks, resolver)),
      updatedBy: s.owner,
    })),
  );
  return ids.filter((_id, i) => sections[i]!.status === 'approved');
}

/** Writes the two demo reports in one workspace write. Replaces them if they exist. */
export async function addDemoReports(ws: Workspace): Promise<{ reports: string[] }> {
  const r = await ws.write(
    'demo.reports',
    (tx) => {
      deleteReportsBySlug(tx, [DEMO_REPORT_SLUG, DEMO_LSR_SLUG]);
      const evidence = evidenceResolver(tx);
      ensureReportFigures(tx);
      const keys = figureKeys();

      const soc = createReportFromTemplate(tx, {
        templateId: 'state-of-care',
        title: 'State of Care 2017/18 (demonstration data)',
        subtitle: 'The state of health care and adult social care in England',
        slug: DEMO_REPORT_SLUG,
        params: { asAt: '2018-07-31', previousAsAt: '2017-07-31' },
        author: AUTHOR,
        withGuidance: false,
        settings: { publication: DEMO_PUBLICATION },
      });
      const approve = writeSections(tx, soc.reportId, STATE_OF_CARE, { figure: figureResolver(tx, keys, {}), evidence });

      const laId = localAuthorityIdByName(tx, DEMO_LSR_AREA);
      if (!laId) throw new DemoReportError(`demo reports: no local authority ${DEMO_LSR_AREA}`);
      const lsr = createReportFromTemplate(tx, {
        templateId: 'local-system-review',
        title: `${DEMO_LSR_AREA}: local system review (demonstration data)`,
        subtitle: 'How older people move between health and social care',
        slug: DEMO_LSR_SLUG,
        params: { asAt: '2018-07-31', previousAsAt: '2017-07-31', area: laId },
        author: 'Local system review team',
        withGuidance: false,
      });
      approve.push(...writeSections(tx, lsr.reportId, localSystemReview(DEMO_LSR_AREA), { figure: figureResolver(tx, keys, { area: laId }), evidence }));
      audit(tx, 'demo.reports', 'reports', null, null, { reports: [DEMO_REPORT_SLUG, DEMO_LSR_SLUG] });
      return { reports: [soc.reportId, lsr.reportId], approve };
    },
    { actor: 'assay demo', unjournaled: true },
  );
  // Real approvals of what is there: every figure signed off at its value, the text and citations recorded.
  await approveSections(ws, figureService(ws), { sectionIds: r.value.approve, by: DEMO_REVIEWER });
  return { reports: r.value.reports };
}
