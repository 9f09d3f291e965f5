import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../electron/services/sqljs';
import { Workspace } from '../store/workspace';
import { seedReference } from '../store/reference';
import { generateDemoData } from './data';
import { addDemoAssessments } from './assessments';
import { addDemoFigures } from './figures';
import { listFigures } from '../figures';
import { figureRows } from '../figures/drill';
import { draftRatingsOf, listFrameworks, publishAssessment, publishedStatementScores } from '../store/assessments';
import { figureService } from '../figures/service';
import { reviewReport } from '../review/report';
import { listLocalAuthorities, listRegions } from '../store/locations';
import { createReportFromTemplate } from '../store/reports';
import { testFigureEngine } from '../../electron/services/testing/figure-engine';
import type { FigureEngine } from '../figures/engine';
import { templateForAssessment } from '../document/templates';
import { longDate } from '../document/format';
import { councilInWords } from '../document/format';

/**
 * The demo's assessments (issue 15): every council's local authority assessment with its nine quality statement scores
 * and an overall rating that follows the framework's rules, some not yet published; care home inspections under the
 * single assessment framework at each stage before publication; and the figures over them, checked against counts
 * made here from the stored scores, never through the figure engine.
 */

let ws: Workspace;
let engine: FigureEngine;
beforeAll(async () => {
  const SQL = await loadSqlJs();
  ws = Workspace.create(SQL, { now: '2025-11-30T09:00:00.000Z' });
  await ws.write('workspace.create', (tx) => seedReference(tx), { unjournaled: true, actor: 'test' });
  await generateDemoData(ws);
  await addDemoAssessments(ws);
  await addDemoFigures(ws);
  engine = testFigureEngine(ws);
}, 300_000);

const figure = (slug: string, params: Record<string, string> = {}) => engine.evaluateRef({ figureId: listFigures(ws).find((f) => f.slug === slug)!.id }, params);

describe('the demo’s assessments', () => {
  it('assesses every council: nine statement scores and an overall rating on each scored one, all but six published', () => {
    const councils = listLocalAuthorities(ws);
    const la = listFrameworks(ws).find((f) => f.id === 'cqc-la')!;
    const statements = la.groups.flatMap((g) => g.statements.map((s) => s.id));
    expect(statements).toHaveLength(9);
    const rows = ws.all<{ id: string; status: string; n: number }>(
      "SELECT a.id, a.status, (SELECT count(*) FROM assessment_scores s WHERE s.assessment_id = a.id) AS n FROM assessments a WHERE a.subject_type = 'local authority'",
    );
    expect(rows).toHaveLength(councils.length);
    const byStatus = new Map<string, number>();
    for (const r of rows) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    expect(byStatus.get('published')).toBe(councils.length - 6);
    expect(byStatus.get('in moderation')).toBe(2);
    for (const r of rows.filter((x) => x.status !== 'planned')) {
      expect(r.n, r.id).toBe(9);
      const overall = draftRatingsOf(ws, r.id).find((d) => d.keyQuestionId === 'overall');
      expect(overall?.rating, r.id).toMatch(/^(Outstanding|Good|Requires improvement|Inadequate)$/);
      // With no team judgement recorded, the rating is the one the framework's rules give.
      expect(overall?.rating).toBe(overall?.computed);
    }
    // A council's assessment is not a location's: no rows in the ratings table.
    expect(ws.value("SELECT count(*) FROM ratings WHERE assessment_id LIKE 'demo-la-assessment-%'")).toBe(0);
  });

  it('has care home inspections under the single assessment framework at every stage before publication, counted by no rating figure', () => {
    const rows = ws.all<{ status: string; n: number }>("SELECT status, count(*) AS n FROM assessments WHERE subject_type = 'location' GROUP BY status ORDER BY status");
    expect(rows.map((r) => r.status)).toEqual(['draft report', 'in moderation', 'in progress', 'planned']);
    expect(rows.reduce((a, r) => a + r.n, 0)).toBeGreaterThanOrEqual(24);
    expect(ws.value('SELECT count(*) FROM ratings WHERE assessment_id IS NOT NULL')).toBe(0);
    expect(ws.value("SELECT count(*) FROM assessment_ratings r JOIN assessments a ON a.id = r.assessment_id WHERE a.subject_type = 'location'")).toBeGreaterThan(0);
  });

  it('gives figures over the published councils’ scores that equal counts made here, leaving out those not yet published', () => {
    const published = publishedStatementScores(ws).filter((s) => s.subjectType === 'local authority');
    const safe = published.filter((s) => s.statementId === 'la-safe-systems');
    const share = figure('la-safe-systems-scoring-3-or-more');
    expect(share.error).toBeUndefined();
    expect({ num: share.numerator, den: share.denominator }).toEqual({ num: safe.filter((s) => s.score >= 3).length, den: safe.length });
    expect(share.formatted).toBe(`${Math.round((100 * safe.filter((s) => s.score >= 3).length) / safe.length)}%`);
    const councils = new Set(published.map((s) => s.subjectId)).size;
    expect(figure('la-assessed').value).toBe(councils);
    expect(councils).toBe(listLocalAuthorities(ws).length - 6);

    // Median by region, from the scores and each council's region.
    const regionOf = new Map(listLocalAuthorities(ws).map((l) => [l.id, l.regionId]));
    const regionName = new Map(listRegions(ws).map((r) => [r.id, r.name]));
    const scores = new Map<string, number[]>();
    for (const s of published) {
      const name = regionName.get(regionOf.get(s.subjectId)!)!;
      scores.set(name, [...(scores.get(name) ?? []), s.score]);
    }
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      const m = Math.floor(s.length / 2);
      return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
    };
    const byRegion = figure('la-median-score-by-region');
    expect(byRegion.error).toBeUndefined();
    expect(new Map((byRegion.rows ?? []).map((r) => [String(r.region), r.value]))).toEqual(new Map([...scores].map(([k, v]) => [k, median(v)])));

    // By statement: nine rows, in the framework's order, each the share of councils scoring 3 or more.
    const byStatement = figure('la-scores-by-statement');
    expect(byStatement.rows).toHaveLength(9);
    const la = listFrameworks(ws).find((f) => f.id === 'cqc-la')!;
    const order = la.groups.flatMap((g) => g.statements);
    expect(byStatement.rows!.map((r) => r.qualityStatement)).toEqual(order.map((s) => s.name));
    for (const [i, st] of order.entries()) {
      const xs = published.filter((s) => s.statementId === st.id);
      expect(byStatement.rows![i]!.value, st.name).toBeCloseTo(xs.filter((s) => s.score >= 3).length / xs.length, 12);
    }
  });

  it('shows the rows behind a score figure: every council’s safe systems score counted, the numerator those of 3 or more', () => {
    const id = listFigures(ws).find((f) => f.slug === 'la-safe-systems-scoring-3-or-more')!.id;
    const share = figure('la-safe-systems-scoring-3-or-more');
    const view = figureRows(ws, { figureId: id }, {});
    expect({ num: view.numerator, den: view.denominator }).toEqual({ num: share.numerator, den: share.denominator });
    expect(view.rows).toHaveLength(share.denominator!);
    expect(view.rows.filter((r) => r[5] === 'numerator (3 or more)')).toHaveLength(share.numerator!);
    expect(new Set(view.rows.map((r) => r[1]))).toEqual(new Set(['Safe systems, pathways and transitions']));
    const councils = new Set(listLocalAuthorities(ws).map((l) => l.name));
    expect(view.rows.every((r) => councils.has(String(r[0])))).toBe(true);
    expect(view.statement).toMatch(/^\d+ of \d+ scores on “Safe systems, pathways and transitions” were 3 or more \(\d+ assessed under /);
  });

  it('counts, as at a date, only the assessments published by then', () => {
    const asAt = '2025-01-31';
    const then = publishedStatementScores(ws).filter((s) => s.subjectType === 'local authority' && s.statementId === 'la-safe-systems');
    const dates = new Map(ws.all<{ id: string; d: string }>('SELECT id, published_on AS d FROM assessments').map((r) => [r.id, r.d]));
    const counted = then.filter((s) => dates.get(s.assessmentId)! <= asAt);
    expect(counted.length).toBeGreaterThan(0);
    expect(counted.length).toBeLessThan(then.length);
    const r = engine.evaluate({ kind: 'value', spec: { measure: 'assessment_score', framework: 'cqc-la', qualityStatement: 'la-safe-systems', asAt }, sql: null, format: {} }, {});
    expect({ num: r.numerator, den: r.denominator }).toEqual({ num: counted.filter((s) => s.score >= 3).length, den: counted.length });
    expect(r.provenance.notes?.[0]).toContain('as at 31 January 2025');
  });

  it('names the field at fault for a framework, theme or statement that does not exist', () => {
    const bad = (spec: Record<string, unknown>) => engine.evaluate({ kind: 'value', spec: { measure: 'assessment_score', ...spec }, sql: null, format: {} }, {});
    expect(bad({ framework: 'Ofsted' })).toMatchObject({ errorPath: 'spec.framework' });
    expect(bad({ framework: 'Local authority assessment', theme: 'Safe' })).toMatchObject({ errorPath: 'spec.theme' });
    expect(bad({ framework: 'Local authority assessment', qualityStatement: ['Safeguarding', 'Kindness'] })).toMatchObject({ errorPath: 'spec.qualityStatement.1' });
    expect(bad({ framework: 'Local authority assessment', minScore: 5 }).errorPath).toBe('spec.minScore');
  });
});

describe('an inspection report made from a demo inspection', () => {
  it('comes filled from the inspection: the visit, live ratings and scores tables, and the findings under each key question citing their evidence', async () => {
    const a = ws.get<{ id: string; subject_id: string }>(
      "SELECT a.id, a.subject_id FROM assessments a WHERE a.subject_type = 'location' AND a.status = 'in moderation' AND EXISTS (SELECT 1 FROM findings f WHERE f.assessment_id = a.id) ORDER BY a.id LIMIT 1",
    )!;
    const created = await ws.write('report', (tx) =>
      createReportFromTemplate(tx, { templateId: 'inspection-report', title: 'Inspection report', params: { assessment: a.id, asAt: '2025-11-30' }, author: 'test' }),
    );
    const report = created.value;
    const sections = ws.all<{ id: string; title: string; content: string }>('SELECT id, title, content FROM sections WHERE report_id = ? ORDER BY position', [report.reportId]);
    const text = (title: string) => JSON.stringify(JSON.parse(sections.find((s) => s.title === title)!.content));
    const name = ws.value<string>('SELECT name FROM locations WHERE id = ?', [a.subject_id])!;
    expect(text('Ratings')).toContain(`of ${name} on `);
    expect(text('Ratings')).toContain('These ratings are a draft (the inspection is in moderation)');
    // The findings, each under its own key question, with its evidence cited.
    const findings = ws.all<{ kq: string; text: string; evidence: string }>(
      'SELECT f.key_question_id AS kq, f.text, fe.evidence_id AS evidence FROM findings f JOIN finding_evidence fe ON fe.finding_id = f.id WHERE f.assessment_id = ?',
      [a.id],
    );
    expect(findings.length).toBeGreaterThan(0);
    const sectionOf: Record<string, string> = { safe: 'Is the service safe?', effective: 'Is the service effective?', caring: 'Is the service caring?', responsive: 'Is the service responsive?', 'well-led': 'Is the service well-led?' };
    for (const f of findings) {
      expect(text(sectionOf[f.kq]!)).toContain(JSON.stringify(f.text).slice(1, -1));
      expect(text(sectionOf[f.kq]!)).toContain(`"evidenceId":"${f.evidence}"`);
      for (const [kq, title] of Object.entries(sectionOf)) if (kq !== f.kq) expect(text(title)).not.toContain(JSON.stringify(f.text).slice(1, -1));
    }
    // The ratings and scores tables are live figures over this inspection, equal to what it holds.
    const fig = (slug: string) => engine.evaluateRef({ figureId: listFigures(ws).find((f) => f.slug === slug)!.id }, { assessment: a.id });
    const ratings = fig('inspection-ratings');
    expect(ratings.error).toBeUndefined();
    const held = ws.all<{ key_question_id: string; rating: string }>('SELECT key_question_id, rating FROM assessment_ratings WHERE assessment_id = ?', [a.id]);
    expect(ratings.rows).toHaveLength(held.length);
    expect(ratings.rows![0]).toMatchObject({ keyQuestion: 'Overall', rating: held.find((h) => h.key_question_id === 'overall')!.rating });
    expect(ratings.columns!.find((c) => c.key === 'rating')!.label).toBe('Rating (draft)');
    const scores = fig('inspection-scores');
    const stored = ws.all<{ name: string; score: number }>('SELECT q.name, s.score FROM assessment_scores s JOIN quality_statements q ON q.id = s.quality_statement_id WHERE s.assessment_id = ?', [a.id]);
    expect(new Map(scores.rows!.map((r) => [r.qualityStatement, r.value]))).toEqual(new Map(stored.map((s) => [s.name, s.score])));
    expect(text('Ratings')).toContain('"type":"figure-block"');
    expect(text('Scores for each quality statement')).toContain('"type":"figure-block"');

    // Draft ratings never reach a public edition: `check` blocks it (an internal one is warned) until the inspection
    // is published, and then says nothing about them.
    const figures = figureService(ws);
    const drafts = async (audience: 'public' | 'internal') =>
      (await figures.settle(() => reviewReport(ws, figures, report.reportId, { audience }))).problems.filter((p) => p.code === 'figure-draft');
    const pub = await drafts('public');
    expect(pub).toHaveLength(2);
    expect(pub.every((p) => p.severity === 'blocking')).toBe(true);
    expect(pub[0]!.message).toMatch(/shows the draft ratings of an assessment in moderation: publish the assessment before a public edition prints it/);
    expect((await drafts('internal')).every((p) => p.severity === 'warning')).toBe(true);
    await ws.write('publish', (tx) => publishAssessment(tx, a.id, '2025-12-01'));
    expect(await drafts('public')).toEqual([]);
    expect(fig('inspection-ratings').columns!.find((c) => c.key === 'rating')!.label).toBe('Rating');
  });

  it('without an inspection, is the template’s empty sections and brings no figures about one', async () => {
    const before = listFigures(ws).length;
    const created = await ws.write('report', (tx) => createReportFromTemplate(tx, { templateId: 'inspection-report', title: 'Blank inspection report', author: 'test' }));
    const blocks = ws.value<number>("SELECT count(*) FROM sections WHERE report_id = ? AND content LIKE '%figure-block%'", [created.value.reportId]);
    expect(blocks).toBe(0);
    expect(listFigures(ws).length).toBe(before);
    const refused = ws.write('report', (tx) => createReportFromTemplate(tx, { templateId: 'inspection-report', title: 'x', params: { assessment: 'no-such' }, author: 'test' }));
    await expect(refused).rejects.toThrow(/there is no assessment "no-such"/);
  });
});

describe('a local authority assessment report made from a demo assessment', () => {
  const sectionsOf = (reportId: string) => ws.all<{ title: string; content: string }>('SELECT title, content FROM sections WHERE report_id = ? ORDER BY position', [reportId]);
  /** A section's words as a reader sees them: its text nodes, guidance left out. */
  const words = (content: string): string => {
    const out: string[] = [];
    const walk = (n: { type?: string; text?: string; children?: unknown[] }) => {
      if (n.type === 'guidance') return;
      if (typeof n.text === 'string') out.push(n.text);
      for (const c of n.children ?? []) walk(c as typeof n);
    };
    walk((JSON.parse(content) as { root: typeof walk extends (n: infer N) => void ? N : never }).root);
    return out.join('');
  };

  it('is the template the app offers for a council’s assessment, with a section for each theme of the framework', () => {
    const t = templateForAssessment('local authority')!;
    expect(t.id).toBe('local-authority-assessment');
    expect(t.assessment!.action).toBe('Write the assessment report');
    expect(t.style.cover.kicker).toBe('Local authority assessment');
    expect(templateForAssessment('location')!.assessment!.action).toBe('Write the inspection report');
    // Each theme of the framework has one findings section, titled with the theme's name (the template's data and the framework's agree).
    const la = listFrameworks(ws).find((f) => f.id === 'cqc-la')!;
    const themed = t.sections.filter((s) => s.fill === 'findings');
    expect(themed.map((s) => s.theme)).toEqual(la.groups.map((g) => g.id));
    expect(themed.map((s) => s.title)).toEqual(la.groups.map((g) => g.name));
  });

  it('comes filled from the assessment: the nine scores and the overall rating as stored, each finding under its theme citing its evidence, and no words for a service', async () => {
    const withFindings = ws.all<{ id: string; subject_id: string }>(
      "SELECT a.id, a.subject_id FROM assessments a WHERE a.subject_type = 'local authority' AND a.status = 'published' AND EXISTS (SELECT 1 FROM findings f WHERE f.assessment_id = a.id) ORDER BY a.id",
    );
    expect(withFindings.length).toBeGreaterThanOrEqual(6);
    expect(withFindings.length).toBeLessThanOrEqual(10);
    // CQC's list names some councils "X, City of"; a sentence says "City of X".
    expect(councilInWords('Kingston upon Hull, City of')).toBe('City of Kingston upon Hull');
    expect(councilInWords('Bolton')).toBe('Bolton');
    const la = listFrameworks(ws).find((f) => f.id === 'cqc-la')!;
    const themeOf = new Map(la.groups.flatMap((g) => g.statements.map((s) => [s.id, g.name] as const)));
    for (const a of withFindings) {
      const created = await ws.write('report', (tx) =>
        createReportFromTemplate(tx, { templateId: 'local-authority-assessment', title: 'Assessment report', params: { assessment: a.id, asAt: '2025-11-30' }, author: 'test' }),
      );
      const sections = sectionsOf(created.value.reportId);
      const text = (title: string) => sections.find((s) => s.title === title)!.content;
      const council = councilInWords(ws.value<string>('SELECT name FROM local_authorities WHERE id = ?', [a.subject_id])!);
      const publishedOn = ws.value<string>('SELECT published_on FROM assessments WHERE id = ?', [a.id])!;
      expect(words(text('Overall rating'))).toContain(`We assessed how ${council} meets its duties under Part 1 of the Care Act 2014, under CQC’s local authority assessment framework.`);
      expect(words(text('Overall rating'))).toContain(`The assessment was published on ${longDate(publishedOn)}.`);
      expect(words(text('Summary of findings'))).toContain(`We looked at how ${council} works with people`);

      // Each finding under its theme's section only, with its statement named and its evidence cited.
      const findings = ws.all<{ id: string; qs: string; judgement: string; text: string }>('SELECT id, quality_statement_id AS qs, judgement, text FROM findings WHERE assessment_id = ?', [a.id]);
      expect(findings).toHaveLength(9);
      const scores = new Map(ws.all<{ qs: string; score: number }>('SELECT quality_statement_id AS qs, score FROM assessment_scores WHERE assessment_id = ?', [a.id]).map((r) => [r.qs, r.score]));
      for (const f of findings) {
        expect(f.judgement, f.qs).toBe(scores.get(f.qs)! >= 3 ? 'strength' : 'concern');
        const theme = themeOf.get(f.qs)!;
        const statement = la.groups.flatMap((g) => g.statements).find((s) => s.id === f.qs)!.name;
        expect(words(text(theme))).toContain(`${f.judgement === 'strength' ? 'What is working well' : 'Area for improvement'} (${statement}): ${f.text}`);
        const evidence = ws.all<{ e: string }>('SELECT evidence_id AS e FROM finding_evidence WHERE finding_id = ?', [f.id]).map((r) => r.e);
        expect(evidence.length).toBeGreaterThanOrEqual(1);
        expect(evidence.length).toBeLessThanOrEqual(2);
        for (const e of evidence) expect(text(theme)).toContain(`"evidenceId":"${e}"`);
        for (const g of la.groups) if (g.name !== theme) expect(words(text(g.name))).not.toContain(f.text);
      }

      // The scores and the rating are live figures over this assessment, equal to what it holds.
      const fig = (slug: string) => engine.evaluateRef({ figureId: listFigures(ws).find((x) => x.slug === slug)!.id }, { assessment: a.id });
      const table = fig('la-assessment-scores');
      expect(table.error).toBeUndefined();
      const named = new Map(la.groups.flatMap((g) => g.statements).map((s) => [s.id, s.name]));
      expect(table.rows!.map((r) => r.qualityStatement)).toEqual(la.groups.flatMap((g) => g.statements.map((s) => s.name)));
      expect(new Map(table.rows!.map((r) => [r.qualityStatement, r.value]))).toEqual(new Map([...scores].map(([qs, score]) => [named.get(qs), score])));
      const rating = fig('la-assessment-rating');
      expect(rating.error).toBeUndefined();
      const stored = draftRatingsOf(ws, a.id).find((d) => d.keyQuestionId === 'overall')!.rating;
      expect(rating.value).toBe(stored);
      expect(rating.rows).toEqual([expect.objectContaining({ assessment: 'Overall', rating: stored })]);
      expect(rating.columns!.map((c) => c.label)).toEqual(['Assessment', 'Rating', 'Score']);
      expect(text('Overall rating')).toContain('"type":"figure-block"');
      expect(text('Scores for each quality statement')).toContain('"type":"figure-block"');

      // A council is not a service: nothing about key questions, "the service" or an inspection, anywhere in the report.
      const all = sections.map((s) => `${s.title}\n${words(s.content)}`).join('\n');
      expect(all).not.toMatch(/the service|key question|inspection|provider|Concern \(|, City of|, County of/i);
      expect(JSON.stringify(rating.columns) + JSON.stringify(table.columns)).not.toMatch(/key question/i);
    }
  });
});
