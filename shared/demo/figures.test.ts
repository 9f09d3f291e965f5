import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../electron/services/sqljs';
import { Workspace } from '../store/workspace';
import { seedReference } from '../store/reference';
import { generateDemoData, PUBLISHED_OVERALL } from './data';
import { addDemoFigures, demoFigures } from './figures';
import { listFigures } from '../figures';
import { testFigureEngine } from '../../electron/services/testing/figure-engine';

/** The demo library computed on the demo data: every figure works, and the headline ones say what State of Care said. */

let ws: Workspace;
beforeAll(async () => {
  const SQL = await loadSqlJs();
  ws = Workspace.create(SQL, { now: '2018-10-01T09:00:00.000Z' });
  await ws.write('workspace.create', (tx) => seedReference(tx), { unjournaled: true, actor: 'test' });
  await generateDemoData(ws);
  await addDemoFigures(ws);
});

const params = { asAt: '2018-07-31', previousAsAt: '2017-07-31', area: 'Bradford' };

describe('demo figure library', () => {
  it('has at least 40 figures with unique slugs, names and descriptions, and adding it twice changes nothing', async () => {
    const defs = demoFigures();
    expect(defs.length).toBeGreaterThanOrEqual(40);
    expect(new Set(defs.map((d) => d.slug)).size).toBe(defs.length);
    for (const d of defs) expect(d.description?.length ?? 0).toBeGreaterThan(20);
    const seq = ws.lastSeq;
    await addDemoFigures(ws);
    expect(listFigures(ws).filter((f) => defs.some((d) => d.slug === f.slug))).toHaveLength(defs.length);
    expect(ws.value("SELECT count(*) FROM audit_log WHERE action = 'figure.update'")).toBe(0);
    expect(ws.lastSeq).toBe(seq + 1);
  });

  it('computes every figure without error on the demo data', async () => {
    const engine = testFigureEngine(ws);
    const all = await engine.settle(() => listFigures(ws).map((f) => ({ slug: f.slug, r: engine.evaluateRef({ figureId: f.id }, params) })));
    expect(all.filter((x) => x.r.pending)).toEqual([]);
    const errors = all
      .filter((x) => x.r.error)
      .map((x) => `${x.slug}: ${x.r.error}`);
    expect(errors).toEqual([]);
    engine.dispose();
  });

  it('reproduces the published State of Care headline shares', () => {
    const engine = testFigureEngine(ws);
    const get = (slug: string) => engine.evaluateRef({ figureId: listFigures(ws).find((f) => f.slug === slug)!.id }, params);
    const [o, g] = PUBLISHED_OVERALL.asc.d2018;
    expect(get('asc-good-2018').formatted).toBe(`${g}%`);
    expect(get('asc-outstanding-2018').formatted).toBe(`${o}%`);
    expect(get('asc-good-2017').formatted).toBe(`${PUBLISHED_OVERALL.asc.d2017[1]}%`);
    expect(get('older-people-unmet-care-needs').formatted).toBe('1.2 million');
    expect(get('councils-home-care-handed-back').formatted).toBe('43');
    const change = get('asc-good-outstanding-change');
    expect(change.parts?.direction).toBe('rose');
    const byRegion = get('asc-distribution-by-region');
    expect(byRegion.rows).toHaveLength(9);
    expect(get('lsr-findings-by-area').rows).toHaveLength(20);
    engine.dispose();
  });
});
