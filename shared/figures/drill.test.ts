import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../electron/services/sqljs';
import { Workspace } from '../store/workspace';
import { seedReference } from '../store/reference';
import { saveFigure } from './library';
import { seedSynthetic } from './testing';
import { figureRows } from './drill';
import { testFigureEngine } from '../../electron/services/testing/figure-engine';

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

  it('says plainly that a figure of another kind cannot list its rows yet', async () => {
    const f = await saveFigure(ws, { slug: 'concerns', name: 'Concerns', kind: 'value', spec: { measure: 'finding_count' }, format: {} } as never, 'test');
    expect(() => figureRows(ws, { figureId: f.id }, {})).toThrow(/Showing the rows is available for rating figures; “Concerns” counts something else \(finding count\)/);
  });
});
