import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../electron/services/sqljs';
import { Workspace } from '../store/workspace';
import { seedReference } from '../store/reference';
import { saveFigure } from './library';
import { seedSynthetic } from './testing';
import { figureRows } from './drill';
import { testFigureEngine } from '../../electron/services/testing/figure-engine';
import { saveFinding } from '../store/findings';
import { saveEvidence } from '../store/evidence';
import { insertIndicators, insertIndicatorValues } from '../store/indicators';

/** Independent SQL for "latest rating as at": NOT EXISTS a later row on or before the date. */
const LATEST = `SELECT r.* FROM ratings r WHERE r.published_on <= :d AND r.service_group = 'Overall' AND NOT EXISTS (
  SELECT 1 FROM ratings r2 WHERE r2.location_id = r.location_id AND r2.service_group = r.service_group
   AND r2.key_question_id = r.key_question_id AND r2.published_on <= :d AND r2.published_on > r.published_on)`;

describe('show the rows behind a figure', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = Workspace.create(await loadSqlJs());
    await ws.write('seed', (tx) => seedReference(tx), { unjournaled: true });
    await seedSynthetic(ws, { locations: 300, perSeries: 3, seed: 11 });
    testFigureEngine(ws);
  });

  it('lists every rating a share counts, states it in words, and its counts equal the figure and independent SQL', async () => {
    const f = await saveFigure(ws, { slug: 'safe-go', name: 'Safe good or outstanding', kind: 'value', spec: { measure: 'rating_share', keyQuestion: 'Safe', ratings: ['Good', 'Outstanding'], filters: { sector: 'asc' }, asAt: '$asAt' }, format: {} } as never, 'test');
    const view = figureRows(ws, { figureId: f.id }, { asAt: '2018-07-31' });
    const result = testFigureEngine(ws).evaluateRef({ figureId: f.id }, { asAt: '2018-07-31' });
    expect(view.numerator).toBe(result.numerator);
    expect(view.denominator).toBe(result.denominator);
    const independent = ws.get<{ den: number; num: number }>(
      `SELECT count(*) AS den, sum(rating IN ('Good', 'Outstanding')) AS num FROM (${LATEST}) x JOIN locations l ON l.id = x.location_id
       WHERE x.key_question_id = 'safe' AND l.sector_id = 'asc' AND x.rating IN ('Outstanding', 'Good', 'Requires improvement', 'Inadequate')`,
      { ':d': '2018-07-31' },
    )!;
    expect({ num: view.numerator, den: view.denominator }).toEqual({ num: independent.num, den: independent.den });
    expect(view.rows.filter((r) => r[9] !== 'not counted (off the scale)').length).toBe(view.denominator);
    expect(view.rows.filter((r) => r[9] === 'numerator').length).toBe(view.numerator);
    expect(view.statement).toBe(`${view.numerator.toLocaleString('en-GB')} of ${view.denominator.toLocaleString('en-GB')} adult social care locations rated good or outstanding for Safe, as at 31 July 2018 (counting locations registered on that date).`);
    expect(view.columns.map((c) => c.label)).toContain('Local authority');
    // Plain English, no internal names.
    expect(view.statement).not.toMatch(/:p\d|asc\b|rating_share/);
  });

  it('lists the findings and evidence a count counts, with the filters applied, as many as the figure', async () => {
    await ws.write('review material', (tx) => {
      saveFinding(tx, { subjectType: 'national', judgement: 'concern', text: 'Access to dentistry worsened.', author: 'A. Analyst' });
      saveFinding(tx, { subjectType: 'national', judgement: 'concern', text: 'Waits for home care grew.', author: 'A. Analyst' });
      saveFinding(tx, { subjectType: 'national', judgement: 'strength', text: 'Staff were kind.' });
      saveFinding(tx, { subjectType: 'national', judgement: 'concern', status: 'withdrawn', text: 'Withdrawn: not borne out.' });
      saveEvidence(tx, { kind: 'dataset', title: 'Workforce survey', sensitivity: 'official' });
      saveEvidence(tx, { kind: 'interview', title: 'Interview with a manager', sensitivity: 'personal' });
    });
    const concerns = await saveFigure(ws, { slug: 'concerns', name: 'Concerns', kind: 'value', spec: { measure: 'finding_count', filters: { judgement: 'concern' } }, format: {} } as never, 'test');
    const view = figureRows(ws, { figureId: concerns.id }, {});
    expect(testFigureEngine(ws).evaluateRef({ figureId: concerns.id }, {}).value).toBe(2);
    expect(view).toMatchObject({ numerator: 2, denominator: 2, statement: '2 findings matching the figure’s filters.', source: 'records held in this workspace' });
    expect(view.rows.map((r) => r[0]).sort()).toEqual(['Access to dentistry worsened.', 'Waits for home care grew.']);
    expect(view.columns.map((c) => c.label)).toEqual(['Finding', 'Judgement', 'Theme', 'About', 'Status', 'Recorded by', 'Last changed']);
    expect(view.rows[0]![3]).toBe('England');

    const official = await saveFigure(ws, { slug: 'official-evidence', name: 'Official evidence', kind: 'value', spec: { measure: 'evidence_count', filters: { sensitivity: 'official' } }, format: {} } as never, 'test');
    const ev = figureRows(ws, { figureId: official.id }, {});
    expect(ev.rows).toEqual([['Workforce survey', 'dataset', 'official', null, null, null]]);
    expect(ev.statement).toBe('1 evidence source matching the figure’s filters.');
  });

  it('lists the series a movement figure compares, and what it counted each as: improved, held and deteriorated add up to the figure', async () => {
    const f = await saveFigure(ws, { slug: 'moved', name: 'Moved', kind: 'value', spec: { measure: 'rating_movement', from: '2015-01-31', to: '2018-07-31' }, format: {} } as never, 'test');
    const result = testFigureEngine(ws).evaluateRef({ figureId: f.id }, {});
    const view = figureRows(ws, { figureId: f.id }, {});
    const counted = (what: string) => view.rows.filter((r) => r[9] === what).length;
    expect([counted('improved'), counted('held'), counted('deteriorated')]).toEqual([result.parts!.improved, result.parts!.held, result.parts!.deteriorated]);
    expect(view.denominator).toBe(result.denominator);
    expect(view.denominator).toBeGreaterThan(100);
    expect(counted('improved') * counted('deteriorated')).toBeGreaterThan(0);
    expect(view.numerator).toBe(result.parts!.improved);
    expect(counted('left out: first rated later')).toBe(result.parts!.ratedOnce);
    expect(view.statement).toBe(
      `Of ${Number(result.denominator).toLocaleString('en-GB')} ratings compared between 31 January 2015 and 31 July 2018, ${Number(result.parts!.improved).toLocaleString('en-GB')} improved, ${Number(result.parts!.held).toLocaleString('en-GB')} held and ${Number(result.parts!.deteriorated).toLocaleString('en-GB')} deteriorated.`,
    );
  });

  it('lists an indicator’s value, or every area a spread compares with its rank, naming the indicator’s source', async () => {
    const regions = ws.all<{ id: string; name: string }>('SELECT id, name FROM regions ORDER BY id LIMIT 3');
    await ws.write('indicators', (tx) => {
      insertIndicators(tx, [{ id: 'vacancy-rate', name: 'Vacancy rate', unit: '%', polarity: 'lower is better', source: 'Skills for Care, adult social care workforce data set', sourceUrl: null, description: null }]);
      insertIndicatorValues(tx, regions.map((r, i) => ({ indicatorId: 'vacancy-rate', areaCode: r.id, period: '2017/18', value: 8 + i, numerator: null, denominator: null, importId: null, updatedAt: '2018-06-01' })));
    });
    const one = await saveFigure(ws, { slug: 'vac', name: 'Vacancies', kind: 'value', spec: { measure: 'indicator_value', indicator: 'vacancy-rate', area: regions[1]!.name, period: '2017/18' }, format: {} } as never, 'test');
    expect(figureRows(ws, { figureId: one.id }, {})).toMatchObject({
      statement: `The value of “Vacancy rate” for ${regions[1]!.name}, 2017/18.`,
      source: 'Skills for Care, adult social care workforce data set',
      rows: [[regions[1]!.name, '2017/18', 9, null, null]],
    });
    const spread = await saveFigure(ws, { slug: 'vac-spread', name: 'Spread', kind: 'value', spec: { measure: 'indicator_spread', indicator: 'vacancy-rate', period: '2017/18', areas: 'region' }, format: {} } as never, 'test');
    const v = figureRows(ws, { figureId: spread.id }, {});
    expect(v.rows).toEqual(regions.map((r, i) => [r.name, 8 + i, i + 1]));
    expect(v.columns.map((c) => c.label)).toEqual(['Area', 'Vacancy rate', 'Rank (1 = lowest)']);
  });

  it('says plainly that an analyst’s SQL figure shows its rows in the figure builder', async () => {
    const f = await saveFigure(ws, { slug: 'sql-count', name: 'Counted by SQL', kind: 'value', sql: 'SELECT count(*) FROM locations', format: {} } as never, 'test');
    expect(() => figureRows(ws, { figureId: f.id }, {})).toThrow(/“Counted by SQL” is computed by an analyst's SQL: its rows are the query's own result/);
  });
});
