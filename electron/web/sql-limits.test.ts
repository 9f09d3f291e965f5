import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { WorkspaceFile } from '../services/workspace-file';
import { tempDir } from '../services/testing/fixtures';
import { lxFigure, lxParagraph, lxRoot, lxText } from '../../shared/document/lexical';
import { startWebHost, type WebHost } from './server';

/**
 * The attack through the loopback host, as a page (or anything holding the token) could make it: a runaway query and
 * memory bombs as SQL figures, previewed, exported and checked. Each stops at its limit with a message naming the
 * limit, and the host goes on answering other requests the whole time.
 */

const RUNAWAY = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n';
const BOMBS = ['SELECT length(randomblob(1000000000))', "SELECT length(printf('%.*c', 300000000, 'x'))"];

let host: WebHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function start(): Promise<WebHost> {
  const dir = tempDir('assay-web-sql-');
  const workspace = join(dir, 'w.assay');
  const wf = await WorkspaceFile.create(workspace, { name: 'Limits' });
  await wf.workspace.write(
    'figures',
    (tx) => {
      const t = tx.at;
      tx.run("INSERT INTO figures(id, slug, name, kind, sql, format, created_at, updated_at) VALUES ('runaway', 'runaway', 'Runaway', 'value', ?, '{}', ?, ?)", [RUNAWAY, t, t]);
      tx.run("INSERT INTO figures(id, slug, name, kind, sql, format, created_at, updated_at) VALUES ('bomb', 'bomb', 'Bomb', 'value', ?, '{}', ?, ?)", [BOMBS[0]!, t, t]);
      tx.run("INSERT INTO reports(id, slug, title, params, created_at, updated_at) VALUES ('r', 'limits', 'Limits', '{}', ?, ?)", [t, t]);
      const content = lxRoot([lxParagraph([lxText('Runaway: '), lxFigure('runaway'), lxText('. Bomb: '), lxFigure('bomb'), lxText('.')])]);
      tx.run("INSERT INTO sections(id, report_id, position, title, content, updated_at) VALUES ('s', 'r', 1, 'One', ?, ?)", [JSON.stringify(content), t]);
    },
    { actor: 'analyst' },
  );
  await wf.close();
  host = await startWebHost({ workspace, rendererDir: join(dir, 'renderer'), exportsDir: join(dir, 'exports'), settingsDir: join(dir, 'settings') });
  return host;
}

async function call<T = Record<string, unknown>>(h: WebHost, name: string, body: unknown): Promise<{ ok: boolean; value?: T; error?: { message: string } }> {
  const r = await fetch(`${h.origin}/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-assay-token': h.token }, body: JSON.stringify(body) });
  return (await r.json()) as { ok: boolean; value?: T; error?: { message: string } };
}

/** Runs `slow`, asking the host for its workspace info every 100 ms meanwhile; returns how long each answer took. */
async function whileAnswering<T>(h: WebHost, slow: Promise<T>): Promise<{ value: T; answers: number[]; ms: number }> {
  const t0 = Date.now();
  let done = false;
  const answers: number[] = [];
  const poll = (async () => {
    while (!done) {
      const t = Date.now();
      const r = await call(h, 'workspace.info', {});
      expect(r.ok).toBe(true);
      answers.push(Date.now() - t);
      await new Promise((res) => setTimeout(res, 100));
    }
  })();
  const value = await slow;
  done = true;
  await poll;
  return { value, answers, ms: Date.now() - t0 };
}

describe('SQL figures through the loopback host', () => {
  it('a runaway preview stops at the time limit while the host keeps answering', async () => {
    const h = await start();
    const r = await whileAnswering(h, call<{ error?: string }>(h, 'figures.preview', { kind: 'value', sql: RUNAWAY }));
    expect(r.value.ok).toBe(true);
    expect(r.value.value!.error).toMatch(/stopped after 5 seconds, the time limit for a figure/);
    expect(r.ms).toBeLessThan(15_000);
    // The host answered throughout, each time quickly: it was never blocked by the query.
    expect(r.answers.length).toBeGreaterThanOrEqual(10);
    expect(Math.max(...r.answers)).toBeLessThan(1500);
  });

  it('memory bombs in a preview stop at the memory limit and the host stays up', async () => {
    const h = await start();
    for (const sql of BOMBS) {
      const r = await whileAnswering(h, call<{ error?: string }>(h, 'figures.preview', { kind: 'value', sql }));
      expect(r.value.value!.error, sql).toMatch(/needed more than 256 MB of memory, the limit for a figure/);
    }
    expect((await call(h, 'workspace.info', {})).ok).toBe(true);
  });

  it('an export and a check with those figures finish, naming each limit, while the host keeps answering', async () => {
    const h = await start();
    const exp = await whileAnswering(h, call<{ files: { format: string }[] }>(h, 'export.run', { reportId: 'r', formats: ['html'], audience: 'internal' }));
    expect(exp.value.ok).toBe(true);
    expect(exp.value.value!.files.map((f) => f.format)).toEqual(['html']);
    expect(exp.ms).toBeLessThan(20_000);
    expect(Math.max(...exp.answers)).toBeLessThan(1500);
    const check = await whileAnswering(h, call<{ problems: { code: string; message: string; figureId?: string }[] }>(h, 'review.checks', { reportId: 'r', audience: 'internal' }));
    const errors = check.value.value!.problems.filter((p) => p.code === 'figure-error');
    expect(errors.find((p) => p.figureId === 'runaway')?.message).toMatch(/time limit/);
    expect(errors.find((p) => p.figureId === 'bomb')?.message).toMatch(/memory/);
    expect(Math.max(...check.answers)).toBeLessThan(1500);
  });
});
