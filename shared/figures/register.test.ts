import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../electron/services/sqljs';
import { Workspace } from '../store/workspace';
import { seedReference } from '../store/reference';
import { seedSynthetic } from './testing';
import { testFigureEngine } from '../../electron/services/testing/figure-engine';
import type { FigureEngine } from './engine';
import { RATING_INDEX_FORMAT } from '../store/rating-index';

/**
 * Rating figures count the register on their date (issue 14): the rating index applies the rule, is patched when a
 * location's registration changes, is rebuilt when the details history changes, and an index stored in an older format
 * is rebuilt. Expected counts come from plain SQL over the workspace, written here, not from the engine.
 */

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const AS_AT = '2018-07-31';
const SPEC = { measure: 'rating_count', ratings: ['Good', 'Outstanding'], asAt: AS_AT };

async function fixture(): Promise<Workspace> {
  const ws = Workspace.create(SQL);
  await ws.write('seed', (tx) => seedReference(tx), { unjournaled: true });
  await seedSynthetic(ws, { locations: 200, perSeries: 3, seed: 11 });
  return ws;
}

/**
 * Good or outstanding overall as at a date, in plain SQL: the latest overall rating per location on or before the date,
 * of locations registered then by their dates or status, and (when register data answers the date) listed by then.
 */
function expected(ws: Workspace, asAt: string, registered: boolean): number {
  const floor = ws.value<string | null>("SELECT min(covers_from) FROM imports WHERE coverage IS NOT NULL AND kind IN ('cqc-ratings', 'cqc-locations', 'demo')") ?? null;
  const q = (v: string | null) => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`);
  const reg = registered
    ? `AND (l.registered_on IS NULL OR l.registered_on <= :d)
       AND (l.deregistered_on IS NULL OR l.deregistered_on > :d)
       AND NOT (l.deregistered_on IS NULL AND coalesce(l.registration_status, '') = 'Deregistered' AND coalesce(l.registration_as_of, '9999') <= :d)
       AND NOT (:floor IS NOT NULL AND :floor <= :d AND EXISTS (SELECT 1 FROM location_details x WHERE x.location_id = l.id)
                AND (SELECT min(x.effective_from) FROM location_details x WHERE x.location_id = l.id) > :d)`
    : '';
  const sql = `WITH latest AS (
       SELECT r.location_id, r.rating, row_number() OVER (PARTITION BY r.location_id ORDER BY r.published_on DESC) AS k
       FROM ratings r WHERE r.key_question_id = 'overall' AND r.service_group = 'Overall' AND r.published_on <= :d)
     SELECT count(*) FROM latest JOIN locations l ON l.id = latest.location_id
     WHERE latest.k = 1 AND latest.rating IN ('Good', 'Outstanding') ${reg}`;
  return Number(ws.value(sql.replace(/:d\b/g, q(asAt)).replace(/:floor\b/g, q(floor))));
}

const count = (engine: FigureEngine, spec: Record<string, unknown> = SPEC) => {
  const r = engine.evaluate({ kind: 'value', spec, sql: null, format: {} }, {});
  if (r.error) throw new Error(r.error);
  return r.value as number;
};

/** A location rated good or outstanding overall as at the date, to deregister. */
const goodLocation = (ws: Workspace, skip = 0) =>
  ws.value<string>(
    `SELECT r.location_id FROM ratings r WHERE r.key_question_id = 'overall' AND r.service_group = 'Overall' AND r.published_on <= ?
       AND r.published_on = (SELECT max(published_on) FROM ratings x WHERE x.location_id = r.location_id AND x.key_question_id = 'overall' AND x.service_group = 'Overall' AND x.published_on <= ?)
       AND r.rating IN ('Good', 'Outstanding') ORDER BY r.location_id LIMIT 1 OFFSET ?`,
    [AS_AT, AS_AT, skip],
  )!;

describe('rating figures count the register on their date', () => {
  it('patch the index when a location is deregistered, registered later, or known deregistered only by status, as plain SQL counts', async () => {
    const ws = await fixture();
    const engine = testFigureEngine(ws);
    const sqlEngine = testFigureEngine(ws, { useIndex: false });
    const all = { ...SPEC, registered: 'all' };
    expect(count(engine)).toBe(expected(ws, AS_AT, true));
    const everRated = count(engine, all);
    expect(everRated).toBe(expected(ws, AS_AT, false));
    const [a, b, c] = [goodLocation(ws, 0), goodLocation(ws, 1), goodLocation(ws, 2)];
    await ws.write('registration', (tx) => {
      tx.run("UPDATE locations SET deregistered_on = '2018-01-01' WHERE id = ?", [a]);
      tx.run("UPDATE locations SET registered_on = '2018-08-01', deregistered_on = NULL WHERE id = ?", [b]);
      tx.run("UPDATE locations SET deregistered_on = NULL, registration_status = 'Deregistered', registration_as_of = '2018-06-30' WHERE id = ?", [c]);
    });
    const now = expected(ws, AS_AT, true);
    expect(now).toBeLessThanOrEqual(everRated - 3);
    expect(count(engine)).toBe(now);
    expect(count(sqlEngine)).toBe(now);
    // Patched row by row, not rebuilt; and "all" still counts every location ever rated.
    expect(engine.stats().indexBuilds).toBe(1);
    expect(count(engine, all)).toBe(everRated);
    // Registered again: back in.
    await ws.write('registration', (tx) => tx.run("UPDATE locations SET deregistered_on = NULL, registration_status = 'Registered', registration_as_of = '2019-01-01' WHERE id = ?", [c]));
    expect(count(engine)).toBe(expected(ws, AS_AT, true));
    expect(count(engine)).toBe(now + 1);
    engine.dispose();
    sqlEngine.dispose();
  });

  it('leave out a location first listed after the date once register data answers it, and rebuild the index when the details history changes', async () => {
    const ws = await fixture();
    const engine = testFigureEngine(ws);
    const before = count(engine);
    const late = goodLocation(ws, 3);
    await ws.write('register data', (tx) => {
      tx.run(
        "INSERT INTO imports(id, kind, file_name, file_hash, edition, rows, imported_by, imported_at, coverage, covers_from, covers_basis) VALUES ('imp-x', 'cqc-ratings', 'x.csv', 'h', '2018-01-01', 0, 'test', '2018-01-02T00:00:00Z', 'latest', '2018-01-01', 'edition')",
      );
      tx.run(
        "INSERT INTO location_details(location_id, effective_from, observed_to, name, sector_id, location_type, care_home) SELECT id, '2019-01-01', '2019-01-01', name, sector_id, location_type, care_home FROM locations WHERE id = ?",
        [late],
      );
    });
    expect(count(engine)).toBe(expected(ws, AS_AT, true));
    expect(count(engine)).toBe(before - 1);
    expect(count(testFigureEngine(ws, { useIndex: false }))).toBe(before - 1);
    engine.dispose();
  });

  it('store the registration with the index, and rebuild an index stored in an older format', async () => {
    const ws = await fixture();
    const id = goodLocation(ws, 0);
    await ws.write('registration', (tx) => tx.run("UPDATE locations SET deregistered_on = '2017-01-01' WHERE id = ?", [id]));
    const first = testFigureEngine(ws);
    const want = count(first);
    expect(want).toBe(expected(ws, AS_AT, true));
    first.dispose();
    const saved = ws.export({ derived: true });
    const again = Workspace.open(SQL, saved).workspace;
    expect(again.value("SELECT format FROM derived_cache WHERE name = 'rating-index'")).toBe(RATING_INDEX_FORMAT);
    const fromCache = testFigureEngine(again);
    expect(count(fromCache)).toBe(want);
    expect(fromCache.stats().indexSource).toBe('cache');
    fromCache.dispose();
    // An index written by format 1 (no registration) is never read back.
    const old = Workspace.open(SQL, saved).workspace;
    old.db.run("UPDATE derived_cache SET format = 1 WHERE name = 'rating-index'");
    const rebuilt = testFigureEngine(old);
    expect(count(rebuilt)).toBe(want);
    expect(rebuilt.stats().indexSource).toBe('rows');
    rebuilt.dispose();
  });
});
