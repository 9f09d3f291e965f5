import type { SqlJsStatic } from 'sql.js';
import { Workspace } from '../../store/workspace';
import { seedReference } from '../../store/reference';
import { hasRatingScale } from '../../store/ratings';
import { RESTRICTED_SENSITIVITIES } from '../../store/evidence';
import { findReport, reportSections } from '../../store/reports';
import { getFigure } from '../../store/figures';
import { lxCite, lxFigure, lxFigureBlock, lxHeading, lxParagraph, lxRoot, lxTable, lxText } from '../../document/lexical';
import type { FigureSource } from '../figures';
import { figureService } from '../../figures/service';
import { buildDocument, type Audience, type DocTree } from '../../document/tree';
import { templateFor } from '../../document/templates';
import { evidenceDetail } from '../evidence';

/**
 * Small workspaces for review's tests, with their figures computed by the real engine (SQL figures in the worker the
 * Node loader provides: load sql.js through electron/services/sqljs.ts first). Test data is written as rows, with
 * fixed ids, so tests can name what they change.
 */

/** The figure engine as review sees it: the workspace's shared engine, SQL figures in the worker. */
export function fixtureFigures(ws: Workspace): FigureSource {
  return figureService(ws);
}

export const SHARE_GOOD_SQL = `
WITH latest AS (
  SELECT r.location_id, r.rating FROM ratings r
  WHERE r.key_question_id = 'overall' AND r.published_on <= $asAt
    AND r.published_on = (SELECT max(published_on) FROM ratings r2 WHERE r2.location_id = r.location_id AND r2.key_question_id = 'overall' AND r2.published_on <= $asAt)
)
SELECT CAST(sum(rating IN ('Good','Outstanding')) AS REAL) / count(*) AS value, sum(rating IN ('Good','Outstanding')) AS numerator, count(*) AS denominator FROM latest`;

export interface ReviewFixture {
  ws: Workspace;
  reportId: string;
  sections: { intro: string; safety: string };
  figure: string;
  evidence: { dataset: string; interview: string };
  /** Ids of the overall ratings, by location. */
  ratings: Record<string, number>;
}

/**
 * A report with two sections. "Introduction" quotes the share of locations rated good (a live figure) and cites a
 * verified public dataset; "Safety" quotes the same figure, cites an unverified interview and has a heading and a table.
 */
export async function reviewFixture(SQL: SqlJsStatic): Promise<ReviewFixture> {
  return seedReviewFixture(Workspace.create(SQL, { name: 'Review test' }));
}

/** Writes the fixture into a workspace (seeding reference data unless it has some), for tests that need a file. */
export async function seedReviewFixture(ws: Workspace): Promise<ReviewFixture> {
  const ids = {
    report: 'rep-1',
    intro: 'sec-intro',
    safety: 'sec-safety',
    figure: 'fig-share-good',
    dataset: 'ev-dataset',
    interview: 'ev-interview',
  };
  const ratings: Record<string, number> = {};
  await ws.write(
    'fixture',
    (tx) => {
      if (!hasRatingScale(tx)) seedReference(tx);
      const t = tx.at;
      tx.run("INSERT INTO local_authorities(id, name, region_id) VALUES ('E08000004', 'Oldham', 'E12000002')");
      for (const [i, rating] of ['Good', 'Good', 'Outstanding', 'Requires improvement'].entries()) {
        const id = `1-00${i}`;
        tx.run("INSERT INTO locations(id, name, sector_id, location_type, local_authority_id, region_id, updated_at) VALUES (?, ?, 'asc', 'Social Care Org', 'E08000004', 'E12000002', ?)", [
          id,
          `Care home ${i}`,
          t,
        ]);
        tx.run("INSERT INTO ratings(location_id, key_question_id, rating, published_on, updated_at) VALUES (?, 'overall', ?, '2018-03-01', ?)", [id, rating, t]);
        ratings[id] = Number(tx.get<{ id: number }>('SELECT last_insert_rowid() AS id')!.id);
      }
      tx.run("INSERT INTO figures(id, slug, name, kind, sql, format, created_at, updated_at) VALUES (?, 'share-good', 'Share rated good or outstanding', 'value', ?, ?, ?, ?)", [
        ids.figure,
        SHARE_GOOD_SQL,
        JSON.stringify({ style: 'percent' }),
        t,
        t,
      ]);
      tx.run(
        "INSERT INTO evidence(id, kind, title, collected_on, collected_by, sensitivity, verified_by, verified_at, created_at, updated_at) VALUES (?, 'dataset', 'CQC ratings data', '2018-07-31', 'Analyst', 'public', 'Lead analyst', ?, ?, ?)",
        [ids.dataset, t, t, t],
      );
      tx.run(
        "INSERT INTO evidence(id, kind, title, collected_on, collected_by, sensitivity, created_at, updated_at) VALUES (?, 'interview', 'Interview with a registered manager', '2018-05-02', 'Inspector A', 'official', ?, ?)",
        [ids.interview, t, t],
      );
      tx.run("INSERT INTO reports(id, slug, title, params, created_at, updated_at) VALUES (?, 'state-of-care', 'State of Care', ?, ?, ?)", [
        ids.report,
        JSON.stringify({ asAt: '2018-07-31' }),
        t,
        t,
      ]);
      const intro = lxRoot([
        lxParagraph([lxText('At 31 July, '), lxFigure(ids.figure), lxText(' of services were rated good or outstanding.'), lxCite(ids.dataset), lxText(' Quality was broadly maintained.')]),
      ]);
      const safety = lxRoot([
        lxHeading(1, 'Safety'),
        lxParagraph([lxText('Overall, '), lxFigure(ids.figure), lxText(' were good or better. Staff told us rotas were stretched.'), lxCite(ids.interview)]),
        lxTable([
          ['Key question', 'Share'],
          ['Safe', '70%'],
        ]),
      ]);
      tx.run("INSERT INTO sections(id, report_id, position, title, content, updated_at) VALUES (?, ?, 1, 'Introduction', ?, ?)", [ids.intro, ids.report, JSON.stringify(intro), t]);
      tx.run("INSERT INTO sections(id, report_id, position, title, content, updated_at) VALUES (?, ?, 2, 'Safety', ?, ?)", [ids.safety, ids.report, JSON.stringify(safety), t]);
    },
    { actor: 'fixture' },
  );
  return {
    ws,
    reportId: ids.report,
    sections: { intro: ids.intro, safety: ids.safety },
    figure: ids.figure,
    evidence: { dataset: ids.dataset, interview: ids.interview },
    ratings,
  };
}

/** Replaces a section's content (as the editor would save it), for tests of single checks. */
export async function setContent(ws: Workspace, sectionId: string, children: Record<string, unknown>[]): Promise<void> {
  await ws.write('test content', (tx) => {
    tx.run('UPDATE sections SET content = ? WHERE id = ?', [JSON.stringify(lxRoot(children)), sectionId]);
  });
}

export { lxCite, lxFigure, lxFigureBlock, lxHeading, lxParagraph, lxTable, lxText };

/** The fixture's report as the exporters' document tree, with figures from `figures` (call inside figures.settle). */
export function fixtureTree(ws: Workspace, reportId: string, figures: FigureSource, audience: Audience = 'internal'): DocTree {
  const report = findReport(ws, reportId);
  return buildDocument({
    report: { id: report.id, slug: report.slug, title: report.title, params: report.params },
    sections: reportSections(ws, { reportId }).map((s) => ({ id: s.id, title: s.title, content: s.content })),
    figures: (ref, rp) => {
      const def = getFigure(ws, ref.figureId);
      return def ? { slug: def.slug, name: def.name, kind: def.kind, chart: null, result: figures.evaluate(ref, rp) } : undefined;
    },
    evidence: (id) => {
      const e = evidenceDetail(ws, id);
      return e ? { id: e.id, title: e.title, kind: e.kind, reference: e.reference, collectedOn: e.collectedOn, sensitivity: e.sensitivity } : undefined;
    },
    template: templateFor(null),
    audience,
    demonstration: false,
    restrictedSensitivities: RESTRICTED_SENSITIVITIES,
    generatedAt: '2026-01-01T00:00:00Z',
  });
}
