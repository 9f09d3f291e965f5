import { describe, expect, it } from 'vitest';
import { loadSqlJs } from './sqljs';
import { createWorkerSqlRunner } from './sql-worker';
import { Workspace } from '../../shared/store/workspace';
import { seedReference } from '../../shared/store/reference';
import { TABLES } from '../../shared/store/schema';
import { createFigureEngine } from '../../shared/figures';
import { seedSynthetic } from '../../shared/figures/testing';

async function fixture(): Promise<Workspace> {
  const ws = Workspace.create(await loadSqlJs());
  await ws.write('seed', (tx) => seedReference(tx), { unjournaled: true });
  await seedSynthetic(ws, { locations: 50, perSeries: 2 });
  return ws;
}

const dump = (ws: Workspace) => TABLES.map((t) => JSON.stringify(ws.all(`SELECT * FROM "${t}" ORDER BY 1`))).join('\n');

describe('SQL figures in a worker', () => {
  it('stops a query that never ends within the time limit, leaves the workspace unchanged, and recovers', async () => {
    const ws = await fixture();
    const runner = createWorkerSqlRunner(ws);
    const engine = createFigureEngine(ws, { sqlRunner: runner, timeoutMs: 1500 });
    // Warm the worker first so the measured time is the query's own.
    expect(engine.evaluate({ kind: 'value', spec: null, sql: 'SELECT count(*) FROM ratings', format: {} }, {}).value).toBe(600);
    const before = dump(ws);
    const t0 = Date.now();
    const r = engine.evaluate(
      { kind: 'value', spec: null, sql: 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n', format: {} },
      {},
    );
    const took = Date.now() - t0;
    expect(r.error).toMatch(/stopped after 1\.5 seconds/);
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(4000);
    expect(dump(ws)).toBe(before);
    // A fresh worker answers the next query, from a snapshot that follows later writes.
    await ws.write('x', (tx) => tx.run("DELETE FROM ratings WHERE id IN (SELECT id FROM ratings LIMIT 10)"));
    const after = engine.evaluate({ kind: 'value', spec: null, sql: 'SELECT count(*) FROM ratings WHERE published_on <= :asAt', format: {} }, { asAt: '9999-12-31' });
    expect(after.value).toBe(590);
    expect(after.provenance.tables).toEqual(['ratings']);
    expect(runner.started).toBe(2);
    engine.dispose();
  });

  it('the snapshot is query-only: even a write that reached it is refused there', async () => {
    const ws = await fixture();
    const runner = createWorkerSqlRunner(ws);
    expect(() => runner.run("DELETE FROM ratings", {}, { rowLimit: 10, timeoutMs: 5000, seq: ws.lastSeq })).toThrow(/would write|readonly|query_only/i);
    expect(ws.value('SELECT count(*) FROM ratings')).toBe(600);
    expect(() => runner.run('SELECT id FROM ratings', {}, { rowLimit: 10, timeoutMs: 5000, seq: ws.lastSeq })).toThrow(/more than 10 rows/);
    runner.dispose();
  });
});
