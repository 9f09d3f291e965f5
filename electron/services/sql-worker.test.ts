import { describe, expect, it } from 'vitest';
import { loadSqlJs } from './sqljs';
import { createWorkerSqlExecutor } from './sql-worker';
import { Workspace } from '../../shared/store/workspace';
import { seedReference } from '../../shared/store/reference';
import { TABLES } from '../../shared/store/schema';
import { saveEvidence, saveFinding } from '../../shared/store/repo';
import { seedSynthetic } from '../../shared/figures/testing';
import type { SqlJob } from '../../shared/figures/sql';
import { testFigureEngine } from './testing/figure-engine';

async function fixture(): Promise<Workspace> {
  const ws = Workspace.create(await loadSqlJs());
  await ws.write('seed', (tx) => seedReference(tx), { unjournaled: true });
  await seedSynthetic(ws, { locations: 50, perSeries: 2 });
  return ws;
}

const dump = (ws: Workspace) => TABLES.map((t) => JSON.stringify(ws.all(`SELECT * FROM "${t}" ORDER BY 1`))).join('\n');
const job = (ws: Workspace, sql: string, view: SqlJob['view'] = 'internal'): SqlJob => ({ sql, params: {}, view, minSeq: ws.lastSeq });

/** Counts event-loop turns while a promise is outstanding: a host blocked by a query would count none. */
async function ticksWhile<T>(p: Promise<T>): Promise<{ value: T | undefined; error: Error | undefined; ticks: number; ms: number }> {
  let ticks = 0;
  const t0 = Date.now();
  const timer = setInterval(() => ticks++, 50);
  try {
    return { value: await p, error: undefined, ticks, ms: Date.now() - t0 };
  } catch (e) {
    return { value: undefined, error: e as Error, ticks, ms: Date.now() - t0 };
  } finally {
    clearInterval(timer);
  }
}

describe('SQL figures in a worker', () => {
  it('stops a query that never ends at the time limit while the host keeps running, leaves the workspace unchanged, and recovers', async () => {
    const ws = await fixture();
    const ex = createWorkerSqlExecutor(ws, { timeoutMs: 1500 });
    // Warm the worker first so the measured time is the query's own.
    expect((await ex.execute(job(ws, 'SELECT count(*) FROM ratings'))).rows).toEqual([[600]]);
    const before = dump(ws);
    const r = await ticksWhile(ex.execute(job(ws, 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n')));
    expect(r.error?.message).toMatch(/stopped after 1\.5 seconds, the time limit/);
    expect((r.error as Error & { limit?: string }).limit).toBe('time');
    expect(r.ms).toBeGreaterThanOrEqual(1400);
    expect(r.ms).toBeLessThan(5000);
    // The event loop went on turning the whole time: the host would have answered other requests.
    expect(r.ticks).toBeGreaterThanOrEqual(15);
    expect(dump(ws)).toBe(before);
    // A fresh worker answers the next query, from a copy that follows later writes.
    await ws.write('x', (tx) => tx.run('DELETE FROM ratings WHERE id IN (SELECT id FROM ratings LIMIT 10)'));
    const after = await ex.execute({ sql: 'SELECT count(*) FROM ratings WHERE published_on <= :asAt', params: { ':asAt': '9999-12-31' }, view: 'internal', minSeq: ws.lastSeq });
    expect(after.rows).toEqual([[590]]);
    expect(after.tables).toEqual(['ratings']);
    expect(ex.started).toBe(2);
    ex.dispose();
  });

  it('stops memory bombs with a message that names the memory limit, and the host stays small', async () => {
    const ws = await fixture();
    const ex = createWorkerSqlExecutor(ws, { memoryMb: 64, timeoutMs: 20_000 });
    const rss0 = process.memoryUsage().rss;
    for (const sql of [
      'SELECT length(randomblob(1000000000))',
      // 100 MB strings, built by SQLite.
      "SELECT length(printf('%.*c', 100000000, 'x'))",
      "WITH RECURSIVE n(i, s) AS (SELECT 0, '' UNION ALL SELECT i + 1, s || hex(randomblob(5000)) FROM n WHERE i < 100000) SELECT max(length(s)) FROM n",
    ]) {
      const r = await ticksWhile(ex.execute(job(ws, sql)));
      expect(r.error?.message, sql).toMatch(/needed more than 64 MB of memory, the limit for a figure/);
      expect((r.error as Error & { limit?: string }).limit).toBe('memory');
    }
    // A result too large to hand back is refused by size, before it reaches the host.
    const big = await ticksWhile(ex.execute(job(ws, "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) SELECT i, printf('%.*c', 10000, 'x') FROM n")));
    expect(big.error?.message).toMatch(/more than 8 MB of data, the limit for a figure/);
    // The host grew by far less than any of those queries asked for.
    expect(process.memoryUsage().rss - rss0).toBeLessThan(200 * 1024 * 1024);
    // And the worker still answers.
    expect((await ex.execute(job(ws, 'SELECT count(*) FROM locations'))).rows).toEqual([[50]]);
    ex.dispose();
  });

  it('the copy is query-only: a write that reached it is refused there, and the row limit holds', async () => {
    const ws = await fixture();
    const ex = createWorkerSqlExecutor(ws, { rowLimit: 10 });
    await expect(ex.execute(job(ws, 'DELETE FROM ratings'))).rejects.toThrow(/would write|readonly|query_only/i);
    expect(ws.value('SELECT count(*) FROM ratings')).toBe(600);
    await expect(ex.execute(job(ws, 'SELECT id FROM ratings'))).rejects.toThrow(/more than 10 rows/);
    ex.dispose();
  });

  it('the public view holds no restricted evidence, attachments, audit entries or the text of findings resting only on it', async () => {
    const ws = await fixture();
    const secret = 'Interview with Mrs K about her discharge';
    const { value: ids } = await ws.write('evidence', (tx) => {
      const personal = saveEvidence(tx, { kind: 'interview', title: secret, summary: 'She waited 34 days', sensitivity: 'personal' }).id;
      const open = saveEvidence(tx, { kind: 'document', title: 'Published board papers', sensitivity: 'public' }).id;
      const restrictedOnly = saveFinding(tx, { subjectType: 'national', judgement: 'concern', text: 'Discharge waits harmed Mrs K', evidenceIds: [personal] }).id;
      const mixed = saveFinding(tx, { subjectType: 'national', judgement: 'concern', text: 'Board papers show long waits', evidenceIds: [personal, open] }).id;
      return { personal, open, restrictedOnly, mixed };
    });
    const ex = createWorkerSqlExecutor(ws);
    const everything = "SELECT group_concat(x, ' | ') FROM (SELECT title AS x FROM evidence UNION ALL SELECT coalesce(summary, '') FROM evidence UNION ALL SELECT text FROM findings UNION ALL SELECT coalesce(before, '') || coalesce(after, '') FROM audit_log)";
    const internal = String((await ex.execute(job(ws, everything))).rows[0]![0]);
    expect(internal).toContain(secret);
    expect(internal).toContain('Discharge waits harmed Mrs K');
    const pub = String((await ex.execute(job(ws, everything, 'public'))).rows[0]![0]);
    expect(pub).not.toContain(secret);
    expect(pub).not.toContain('34 days');
    expect(pub).not.toContain('Discharge waits harmed Mrs K');
    expect(pub).toContain('Published board papers');
    expect(pub).toContain('Board papers show long waits');
    // Findings keep their rows, so counts agree between editions.
    expect((await ex.execute(job(ws, 'SELECT count(*) FROM findings', 'public'))).rows).toEqual([[2]]);
    expect((await ex.execute(job(ws, `SELECT count(*) FROM evidence WHERE id = '${ids.personal}'`, 'public'))).rows).toEqual([[0]]);
    ex.dispose();
  });

  it('a public edition alone holds one copy: the internal copy gives way to the public view, and an internal query after it reloads once', async () => {
    const ws = await fixture();
    const secret = 'Interview notes naming Mr L';
    await ws.write('evidence', (tx) => saveEvidence(tx, { kind: 'interview', title: secret, sensitivity: 'personal' }));
    const ex = createWorkerSqlExecutor(ws);
    const titles = 'SELECT group_concat(title) FROM evidence';
    // Public first, as `assay export` asks: one load, no internal copy kept beside the public one.
    expect(String((await ex.execute(job(ws, titles, 'public'))).rows[0]![0] ?? '')).not.toContain(secret);
    expect(ex.loads).toBe(1);
    // Then internal: reloaded (the internal copy was given up), with everything in it.
    expect(String((await ex.execute(job(ws, titles))).rows[0]![0])).toContain(secret);
    expect(ex.loads).toBe(2);
    // From then on both stay: switching views does not reload again, and each still answers as its edition.
    expect(String((await ex.execute(job(ws, titles, 'public'))).rows[0]![0] ?? '')).not.toContain(secret);
    expect(String((await ex.execute(job(ws, titles))).rows[0]![0])).toContain(secret);
    expect(ex.loads).toBe(2);
    ex.dispose();
  });

  it('the engine reports a SQL figure pending, then its value once settled, and never runs SQL on the live database', async () => {
    const ws = await fixture();
    const engine = testFigureEngine(ws);
    const draft = { kind: 'value' as const, spec: null, sql: 'SELECT count(*) FROM ratings', format: {} };
    const first = engine.evaluate(draft, {});
    expect(first.pending).toBe(true);
    expect(first.formatted).toBe('…');
    const settled = await engine.settle(() => engine.evaluate(draft, {}));
    expect(settled.pending).toBeUndefined();
    expect(settled.value).toBe(600);
    // A write to a table the query reads makes the result stale until it has run again on a new copy.
    await ws.write('x', (tx) => tx.run('DELETE FROM ratings WHERE id IN (SELECT id FROM ratings LIMIT 5)'));
    expect(engine.evaluate(draft, {}).pending).toBe(true);
    expect((await engine.settle(() => engine.evaluate(draft, {}))).value).toBe(595);
    // A write elsewhere does not.
    await ws.write('y', (tx) => tx.run("INSERT INTO meta(key, value) VALUES ('x', 'y')"));
    expect(engine.evaluate(draft, {}).value).toBe(595);
    engine.dispose();
  });
});
