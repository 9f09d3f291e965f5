import type { SqlJsStatic } from 'sql.js';
import type { FigureColumn, FigureFormat, FigureParams, FigureResult } from '../figures/types';
import { Workspace, type SqlValue } from '../store/workspace';
import { seedReference } from '../store/reference';
import { formatCell } from '../document/format';
import { lxCite, lxFigure, lxFigureBlock, lxHeading, lxParagraph, lxRoot, lxTable, lxText } from '../document/lexical';
import type { FigureSource } from './figures';
import { buildDocument, type Audience, type DocTree } from '../document/tree';
import { templateFor } from '../document/templates';
import { RESTRICTED_SENSITIVITIES } from '../store/repo';
import { evidenceDetail } from './evidence';

/**
 * Small workspaces for review's tests, built through the store, and a plain evaluator for SQL figures so that review's
 * logic can be tested on its own. It really runs each figure's SQL against the workspace and fingerprints the rows it
 * read, which is all review relies on; the acceptance test runs the real figure engine.
 */

function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** Runs a figure's SQL with `$name` parameters. A value figure reads columns value (and numerator/denominator). */
export function sqlFigures(ws: Workspace): FigureSource {
  return {
    // Nothing here is ever pending: the fixture answers at once.
    settle: async (compute) => compute(),
    evaluate(figureId: string, params: FigureParams): FigureResult {
      const def = ws.get<{ id: string; kind: 'value' | 'table' | 'chart'; sql: string | null; format: string }>('SELECT id, kind, sql, format FROM figures WHERE id = ?', [figureId]);
      // Like the engine, approvals are keyed by the parameters the query uses.
      const used = Object.fromEntries(Object.entries(params).filter(([k]) => def?.sql?.includes(`$${k}`)));
      const provenance = { sql: def?.sql ?? '', params, tables: [] as string[], rowsRead: 0, fingerprint: '', imports: [], evidenceIds: [], computedAt: new Date().toISOString(), figureParams: used };
      if (!def?.sql) return { figureId, kind: def?.kind ?? 'value', value: null, formatted: '[error]', error: 'no SQL', provenance };
      const format = JSON.parse(def.format) as FigureFormat;
      const bind: Record<string, SqlValue> = {};
      for (const [k, v] of Object.entries(params)) if (def.sql.includes(`$${k}`)) bind[`$${k}`] = typeof v === 'boolean' ? Number(v) : v;
      let rows: Record<string, SqlValue>[];
      try {
        rows = ws.all(def.sql, bind);
      } catch (e) {
        return { figureId, kind: def.kind, value: null, formatted: '[error]', error: (e as Error).message, provenance };
      }
      provenance.rowsRead = rows.length;
      // Like the engine, fingerprint the data read (every table the query names), not the answer.
      provenance.tables = [...new Set([...def.sql.matchAll(/\b(?:FROM|JOIN)\s+(\w+)/gi)].map((m) => m[1]!.toLowerCase()))].filter(
        (t) => !!ws.get("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", [t]),
      );
      provenance.fingerprint = fnv(JSON.stringify(provenance.tables.map((t) => ws.all(`SELECT * FROM "${t}"`).map((r) => ({ ...r, updated_at: null })))));
      if (def.kind !== 'value') {
        const keys = rows[0] ? Object.keys(rows[0]) : [];
        const columns: FigureColumn[] = keys.map((k) => ({ key: k, label: k, numeric: typeof rows[0]![k] === 'number' }));
        return { figureId, kind: def.kind, value: rows.length, formatted: `${rows.length} rows`, columns, rows: rows as FigureResult['rows'], provenance };
      }
      const r = rows[0] ?? {};
      const value = typeof r.value === 'number' ? r.value : null;
      const numerator = typeof r.numerator === 'number' ? r.numerator : undefined;
      const suppressed = format.suppressBelow !== undefined && numerator !== undefined && numerator < format.suppressBelow;
      const formatted = suppressed ? (format.suppressedText ?? '[c]') : formatCell(value, format, true);
      return {
        figureId,
        kind: 'value',
        value: suppressed ? null : value,
        formatted,
        ...(numerator !== undefined ? { numerator } : {}),
        ...(typeof r.denominator === 'number' ? { denominator: r.denominator } : {}),
        ...(suppressed ? { suppressed: true } : {}),
        provenance,
      };
    },
  };
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
      if (!tx.get('SELECT 1 FROM rating_scales LIMIT 1')) seedReference(tx);
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

/** The fixture's report as the exporters' document tree, with figures from `figures`. */
export function fixtureTree(ws: Workspace, reportId: string, figures: FigureSource, audience: Audience = 'internal'): DocTree {
  const report = ws.get<{ slug: string; title: string; params: string }>('SELECT slug, title, params FROM reports WHERE id = ?', [reportId])!;
  const sections = ws.all<{ id: string; title: string; content: string }>('SELECT id, title, content FROM sections WHERE report_id = ? ORDER BY position', [reportId]);
  return buildDocument({
    report: { id: reportId, slug: report.slug, title: report.title, params: JSON.parse(report.params) as FigureParams },
    sections,
    figures: (ref, rp) => {
      const def = ws.get<{ slug: string; name: string; kind: string }>('SELECT slug, name, kind FROM figures WHERE id = ?', [ref.figureId]);
      return def ? { ...def, chart: null, result: figures.evaluate(ref.figureId, { ...rp, ...(ref.params ?? {}) }) } : undefined;
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
