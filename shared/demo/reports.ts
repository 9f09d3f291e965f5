import type { Tx, Workspace } from '../store/workspace';
import type { FigureParams, FigureRef } from '../figures/types';
import { audit } from '../store/audit';
import { createReportFromTemplate } from '../document/new-report';
import { blocksToLexical, type MarkupResolver } from './reports-markup';
import { STATE_OF_CARE, localSystemReview, type ProseSection } from './reports-prose';
import { ensureReportFigures, figureKeys, type FigureKeyTarget } from './reports-figures';

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
    if (target.prefer && tx.get('SELECT 1 FROM figures WHERE slug = ?', [target.prefer])) target = { slug: target.prefer };
    const slug = target.slug;
    if (!ids.has(slug)) {
      const row = tx.get<{ id: string }>('SELECT id FROM figures WHERE slug = ?', [slug]);
      if (!row) throw new DemoReportError(`demo reports: the figure library has no figure "${slug}" (needed for "${key}")`);
      ids.set(slug, row.id);
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
      const review = tx.get<{ id: string }>(
        'SELECT ar.id FROM area_reviews ar JOIN local_authorities la ON la.id = ar.local_authority_id WHERE la.name = ?',
        [area!],
      );
      if (!review) throw new DemoReportError(`demo reports: no local system review of ${area}`);
      const e = tx.get<{ id: string }>(
        `SELECT id FROM evidence WHERE area_review_id = ? AND kind = ? ${words ? "AND lower(title) LIKE '%' || lower(?) || '%'" : ''} ORDER BY reference LIMIT 1`,
        words ? [review.id, kind!, words] : [review.id, kind!],
      );
      if (!e) throw new DemoReportError(`demo reports: the ${area} review has no ${kind} evidence${words ? ` about "${words}"` : ''}`);
      return e.id;
    }
    const e = tx.get<{ id: string }>('SELECT id FROM evidence WHERE reference = ?', [token]);
    if (!e) throw new DemoReportError(`demo reports: no evidence with the reference ${token}`);
    return e.id;
  };
}

function writeSections(tx: Tx, reportId: string, sections: ProseSection[], resolver: MarkupResolver): void {
  tx.run('DELETE FROM sections WHERE report_id = ?', [reportId]);
  sections.forEach((s, i) => {
    const id = `${reportId}-s${String(i + 1).padStart(2, '0')}`;
    tx.run(
      'INSERT INTO sections(id, report_id, position, title, owner, status, status_by, status_at, content, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [id, reportId, i + 1, s.title, s.owner, s.status, s.status === 'draft' ? null : AUTHOR, s.status === 'draft' ? null : tx.at, JSON.stringify(blocksToLexical(s.blocks, resolver)), tx.at],
    );
    tx.note({ table: 'sections', op: 'insert', key: { id } });
  });
}

/** Writes the two demo reports in one workspace write. Replaces them if they exist. */
export async function addDemoReports(ws: Workspace): Promise<{ reports: string[] }> {
  const r = await ws.write(
    'demo.reports',
    (tx) => {
      tx.run("DELETE FROM reports WHERE slug IN (?, ?)", [DEMO_REPORT_SLUG, DEMO_LSR_SLUG]);
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
      });
      writeSections(tx, soc.reportId, STATE_OF_CARE, { figure: figureResolver(tx, keys, {}), evidence });

      const laId = tx.get<{ id: string }>('SELECT id FROM local_authorities WHERE name = ?', [DEMO_LSR_AREA])?.id;
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
      writeSections(tx, lsr.reportId, localSystemReview(DEMO_LSR_AREA), { figure: figureResolver(tx, keys, { area: laId }), evidence });
      audit(tx, 'demo.reports', 'reports', null, null, { reports: [DEMO_REPORT_SLUG, DEMO_LSR_SLUG] });
      return [soc.reportId, lsr.reportId];
    },
    { actor: 'assay demo', unjournaled: true },
  );
  return { reports: r.value };
}
