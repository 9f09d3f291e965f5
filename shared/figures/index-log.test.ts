import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../electron/services/sqljs';
import { WorkspaceFile } from '../../electron/services/workspace-file';
import { tempDir } from '../../electron/services/testing/fixtures';
import { testFigureEngine } from '../../electron/services/testing/figure-engine';
import { Workspace } from '../store/workspace';
import { seedReference } from '../store/reference';
import { RATINGS_LOG_CAP } from '../store/schema';
import { currentRatings } from '../store/current-ratings';
import { derivedInfo } from '../store/info';
import { saveFigure } from './library';
import { seedSynthetic } from './testing';
import type { FigureDef, FigureResult } from './types';

/**
 * The rating index's change log (migration 9): a stored index that an outside change made stale is patched from the
 * rows the triggers logged, giving exactly what a rebuild from the rows gives; and whenever the log cannot vouch for
 * every change since the index was stored (trimmed, full, edited by hand, a generation set by hand), the index is
 * rebuilt from the rows instead.
 */

let SQL: SqlJsStatic;
const dir = tempDir('assay-index-log-');
beforeAll(async () => {
  SQL = await loadSqlJs();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PARAMS = { asAt: '2018-07-31', previousAsAt: '2017-07-31' };
const SPECS = [
  { measure: 'rating_share', keyQuestion: 'Safe', ratings: ['Good', 'Outstanding'], asAt: '$asAt' },
  { measure: 'rating_share', ratings: ['Good', 'Outstanding'], asAt: '$asAt', filters: { sector: 'asc' }, by: 'region' },
  { measure: 'rating_distribution', asAt: '$asAt', by: 'sector' },
  { measure: 'rating_distribution', keyQuestion: 'Caring', asAt: '$asAt', by: 'category', filters: { careHome: true } },
  { measure: 'rating_change', ratings: ['Requires improvement'], from: '$previousAsAt', to: '$asAt', keyQuestion: 'well-led' },
  { measure: 'rating_count', ratings: ['Inadequate'], asAt: '$asAt', by: 'region' },
];

const essence = (r: FigureResult) => [r.value, r.rows, r.parts, r.formatted, r.error, r.provenance.rowsRead, r.provenance.fingerprint, r.provenance.imports];

/** Every figure's result and where the engine's rating index came from. */
function evaluate(ws: Workspace, figs: FigureDef[]): { results: unknown[]; source: string; patched: { ratings: number; locations: number }; fallback: string | undefined } {
  const engine = testFigureEngine(ws);
  try {
    const results = figs.map((f) => essence(engine.evaluateRef({ figureId: f.id }, PARAMS)));
    const s = engine.stats();
    return { results, source: s.indexSource, patched: s.patchedRows, fallback: s.indexFallback };
  } finally {
    engine.dispose();
  }
}

/** A copy of the workspace's bytes without any stored index: the reference, built from the rows. */
function rebuilt(ws: Workspace, figs: FigureDef[]): unknown[] {
  const copy = Workspace.open(SQL, ws.export()).workspace;
  copy.db.run('DELETE FROM derived_cache');
  const r = evaluate(copy, figs);
  expect(r.source).toBe('rows');
  copy.close();
  return r.results;
}

/** A saved workspace file with figures and its rating index stored (as closing the app leaves it). */
async function savedFile(name: string): Promise<{ path: string; figs: FigureDef[] }> {
  const path = join(dir, `${name}.assay`);
  const figs: FigureDef[] = [];
  const wf = await WorkspaceFile.create(path, {
    sql: SQL,
    seed: async (ws) => {
      await seedSynthetic(ws, { locations: 150, perSeries: 3, seed: 11 });
      for (const [i, spec] of SPECS.entries()) figs.push(await saveFigure(ws, { slug: `f${i}`, name: `Figure ${i}`, kind: 'table', spec }, 'test'));
      evaluate(ws, figs);
    },
  });
  await wf.close();
  return { path, figs };
}

/** Opens the file as `assay figures` does (read-only: nothing is saved back). */
async function openFile(path: string): Promise<WorkspaceFile> {
  return WorkspaceFile.open(path, { readOnly: true, sql: SQL });
}

const haveSqlite3 = spawnSync('sqlite3', ['-version']).status === 0;
const sqlite3 = (path: string, sql: string) => execFileSync('sqlite3', [path, sql], { encoding: 'utf8' });

describe('the rating index change log', () => {
  it.skipIf(!haveSqlite3)('patches a stored index after one rating is changed with the plain sqlite3 program, to exactly what a rebuild gives', async () => {
    const { path, figs } = await savedFile('sqlite3');
    const before = await openFile(path);
    const stored = evaluate(before.workspace, figs);
    expect(stored.source).toBe('cache');
    await before.close({ save: false });

    const id = Number(sqlite3(path, "SELECT id FROM ratings WHERE key_question_id = 'safe' AND rating = 'Good' ORDER BY published_on DESC LIMIT 1").trim());
    sqlite3(path, `UPDATE ratings SET rating = 'Inadequate' WHERE id = ${id}`);
    expect(sqlite3(path, 'SELECT tbl, row_id FROM derived_changes').trim()).toBe(`ratings|${id}`);

    const wf = await openFile(path);
    expect(derivedInfo(wf.workspace).find((d) => d.name === 'rating-index')).toMatchObject({ current: false, patchable: true });
    const after = evaluate(wf.workspace, figs);
    expect(after.source).toBe('patched');
    expect(after.patched).toEqual({ ratings: 1, locations: 0 });
    expect(after.results).toEqual(rebuilt(wf.workspace, figs));
    expect(after.results).not.toEqual(stored.results);
    await wf.close({ save: false });

    // Saved again (closing stores the index), the log is trimmed and the next open reads the index as stored.
    const rw = await WorkspaceFile.open(path, { sql: SQL });
    evaluate(rw.workspace, figs);
    await rw.close();
    expect(sqlite3(path, 'SELECT count(*) FROM derived_changes').trim()).toBe('0');
    expect(sqlite3(path, "SELECT value FROM meta WHERE key = 'ratings_log_from'").trim()).toBe(sqlite3(path, "SELECT value FROM meta WHERE key = 'ratings_generation'").trim());
    const again = await openFile(path);
    expect(evaluate(again.workspace, figs).source).toBe('cache');
    await again.close({ save: false });
  });

  it.skipIf(!haveSqlite3)('patches inserted, deleted and moved ratings and added, changed and removed locations made with sqlite3', async () => {
    const { path, figs } = await savedFile('kinds');
    sqlite3(
      path,
      `INSERT INTO locations(id, name, sector_id, location_type, category, care_home, updated_at) VALUES ('NEW1', 'New', 'asc', 'Social Care Org', 'Residential social care', 1, 'x');
       INSERT INTO ratings(location_id, key_question_id, rating, published_on, updated_at) VALUES ('NEW1', 'caring', 'Outstanding', '2018-06-01', 'x');
       DELETE FROM ratings WHERE id = (SELECT max(id) FROM ratings WHERE location_id <> 'NEW1');
       UPDATE ratings SET published_on = '2018-07-30' WHERE id = (SELECT min(id) FROM ratings);
       UPDATE locations SET category = 'Something else', care_home = 1 WHERE id = (SELECT min(id) FROM locations WHERE id <> 'NEW1');
       DELETE FROM ratings WHERE location_id = (SELECT max(id) FROM locations WHERE id <> 'NEW1');
       DELETE FROM locations WHERE id = (SELECT max(id) FROM locations WHERE id <> 'NEW1');`,
    );
    const wf = await openFile(path);
    const r = evaluate(wf.workspace, figs);
    expect(r.source).toBe('patched');
    expect(r.patched.locations).toBe(3);
    expect(r.results).toEqual(rebuilt(wf.workspace, figs));
    await wf.close({ save: false });
  });

  /** A stored index made stale by one change through a raw sql.js handle (outside Assay's write path), then `damage`. */
  async function staleWith(name: string, damage: (db: Workspace['db']) => void): Promise<{ ws: Workspace; figs: FigureDef[]; wf: WorkspaceFile }> {
    const { path, figs } = await savedFile(name);
    const wf = await openFile(path);
    const db = wf.workspace.db;
    db.run("UPDATE ratings SET rating = 'Inadequate' WHERE id = (SELECT min(id) FROM ratings WHERE rating = 'Good')");
    damage(db);
    return { ws: wf.workspace, figs, wf };
  }

  const cases: [string, (db: Workspace['db']) => void, RegExp][] = [
    ['trimmed (the logged row removed)', (db) => db.run('DELETE FROM derived_changes'), /does not match/],
    ['trimmed past the stored index (the log starts later)', (db) => db.run("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'ratings_log_from'"), /trimmed/],
    ['tampered (a row added under a generation not made by a change)', (db) => db.run("INSERT INTO derived_changes(generation, tbl, row_id) SELECT CAST(value AS INTEGER) + 1, 'ratings', 1 FROM meta WHERE key = 'ratings_generation'"), /does not match/],
    ['tampered (the generation set by hand)', (db) => db.run("UPDATE meta SET value = CAST(value AS INTEGER) + 5 WHERE key = 'ratings_generation'"), /does not match/],
    ['missing (no log-start mark, as a file the log was taken out of)', (db) => db.run("DELETE FROM meta WHERE key = 'ratings_log_from'"), /no change log/],
    ['dropped (the table itself)', (db) => db.run('DROP TABLE derived_changes'), /not usable/],
    [
      'overflowed (more changes than the log holds)',
      (db) => db.run(`UPDATE meta SET value = CAST(value AS INTEGER) + ${RATINGS_LOG_CAP} WHERE key = 'ratings_generation'`),
      /full/,
    ],
  ];
  for (const [what, damage, why] of cases) {
    it(`rebuilds from the rows when the log is ${what}`, async () => {
      const { ws, figs, wf } = await staleWith(what.replace(/\W+/g, '-'), damage);
      expect(derivedInfo(ws).find((d) => d.name === 'rating-index')).toMatchObject({ current: false, patchable: false });
      const r = evaluate(ws, figs);
      expect(r.source).toBe('rows');
      expect(r.fallback).toMatch(why);
      expect(r.results).toEqual(rebuilt(ws, figs));
      await wf.close({ save: false });
    });
  }

  it('stops logging past its cap, so a bulk change does not grow the file, and the next open rebuilds', async () => {
    const { path, figs } = await savedFile('cap');
    const wf = await openFile(path);
    const db = wf.workspace.db;
    // Pretend the log is nearly full: the next two changes are the last it takes.
    db.run(`UPDATE meta SET value = CAST(value AS INTEGER) - ${RATINGS_LOG_CAP - 2} WHERE key = 'ratings_log_from'`);
    db.run("UPDATE ratings SET rating = 'Inadequate' WHERE id IN (SELECT id FROM ratings WHERE rating = 'Good' ORDER BY id LIMIT 5)");
    expect(wf.workspace.value('SELECT count(*) FROM derived_changes')).toBe(2);
    const r = evaluate(wf.workspace, figs);
    expect(r.source).toBe('rows');
    expect(r.fallback).toMatch(/full/);
    expect(r.results).toEqual(rebuilt(wf.workspace, figs));
    await wf.close({ save: false });
  });

  it('keeps the stored index safety checks: a key question changed outside is still refused, not patched', async () => {
    const { ws, figs, wf } = await staleWith('kq', (db) => db.run("INSERT INTO key_questions(id, name, scale_id, position) SELECT 'extra', 'Extra', scale_id, 99 FROM key_questions LIMIT 1"));
    const r = evaluate(ws, figs);
    expect(r.source).toBe('rows');
    expect(r.fallback).toMatch(/key questions changed/);
    expect(r.results).toEqual(rebuilt(ws, figs));
    await wf.close({ save: false });
  });

  it('an index stored inside Assay after writes through its own path trims the log, and a fresh workspace starts with an empty one', async () => {
    const ws = Workspace.create(SQL);
    await ws.write('seed', (tx) => seedReference(tx), { unjournaled: true });
    expect(ws.value('SELECT count(*) FROM derived_changes')).toBe(0);
    expect(ws.metaValue('ratings_log_from')).toBe(ws.metaValue('ratings_generation'));
    await seedSynthetic(ws, { locations: 20, perSeries: 2, seed: 2 });
    expect(Number(ws.value('SELECT count(*) FROM derived_changes'))).toBeGreaterThan(0);
    currentRatings(ws).get();
    const saved = Workspace.open(SQL, ws.export({ derived: true })).workspace;
    expect(saved.value('SELECT count(*) FROM derived_changes')).toBe(0);
    expect(saved.metaValue('ratings_log_from')).toBe(saved.metaValue('ratings_generation'));
  });
});
