import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../electron/services/sqljs';
import { Workspace } from '../store/workspace';
import { seedReference } from '../store/reference';
import { seedSynthetic } from './testing';
import { testFigureEngine } from '../../electron/services/testing/figure-engine';
import type { FigureEngine } from './engine';
import { detailsAt, locationDetailsAsAt, locationPeriodsViewSql, locationsAsAtSql } from '../store/locations';

/**
 * A rating figure as at D counts each location with its details as at D (issue 14): the local authority, region,
 * sector, type of service, location type and care home flag its details history gave on that date, the locations row
 * standing for the latest details. Expected counts are computed here, from the rows with this file's own reading of
 * the history, never through the figure engine or the store's details functions.
 */

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

interface Entry {
  from: string;
  sector: string;
  type: string;
  category: string | null;
  careHome: number;
  la: string | null;
  region: string | null;
}
interface LocRow {
  id: string;
  name: string;
  sector_id: string;
  location_type: string;
  category: string | null;
  care_home: number;
  local_authority_id: string | null;
  region_id: string | null;
}

const DATES = ['2013-01-01', '2015-05-31', '2016-06-01', '2017-03-31', '2018-07-31', '2019-06-01', '2021-01-01'];

/**
 * 40 locations get a history: two or three entries (2016-06-01, 2018-01-01, and the row's own details from
 * 2019-06-01), the earlier ones in another local authority and region, another type of service, the other care home
 * flag, some with no type of service or local authority given (a source that left them out).
 */
async function fixture(): Promise<Workspace> {
  const ws = Workspace.create(SQL);
  await ws.write('seed', (tx) => seedReference(tx), { unjournaled: true });
  await seedSynthetic(ws, { locations: 240, perSeries: 3, seed: 5 });
  const las = ws.all<{ id: string; region_id: string }>('SELECT id, region_id FROM local_authorities ORDER BY id');
  const locs = ws.all<LocRow>('SELECT * FROM locations ORDER BY id LIMIT 40 OFFSET 7');
  await ws.write('history', (tx) => {
    const put = (l: LocRow, from: string, e: Omit<Entry, 'from'>) =>
      tx.run(
        `INSERT INTO location_details(location_id, effective_from, observed_to, name, sector_id, location_type, category, care_home, local_authority_id, region_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [l.id, from, from, `${l.name} (${from.slice(0, 4)})`, e.sector, e.type, e.category, e.careHome, e.la, e.region],
      );
    locs.forEach((l, i) => {
      const other = las[(i * 5 + 3) % las.length]!;
      const third = las[(i * 11 + 1) % las.length]!;
      put(l, '2016-06-01', {
        sector: i % 7 === 0 ? 'pms' : l.sector_id,
        type: i % 7 === 0 ? 'Primary Medical Services' : l.location_type,
        category: i % 4 === 1 ? null : i % 2 === 0 ? 'Community based adult social care services' : 'Residential social care',
        careHome: i % 3 === 0 ? 1 - l.care_home : l.care_home,
        la: i % 5 === 2 ? null : other.id,
        region: i % 5 === 2 ? null : other.region_id,
      });
      if (i % 2 === 0) {
        put(l, '2018-01-01', {
          sector: l.sector_id,
          type: l.location_type,
          category: i % 8 === 0 ? null : 'Residential social care',
          careHome: l.care_home,
          la: third.id,
          region: third.region_id,
        });
      }
      put(l, '2019-06-01', { sector: l.sector_id, type: l.location_type, category: l.category, careHome: l.care_home, la: l.local_authority_id, region: l.region_id });
    });
  });
  return ws;
}

/** This test's own reading of the rule: the row from the latest entry on; before, the entry in effect (or the first), gaps filled from the nearest entry that has them, earlier first. */
function detailsOn(row: LocRow, history: Entry[], d: string): Entry {
  const asRow: Entry = { from: '', sector: row.sector_id, type: row.location_type, category: row.category, careHome: row.care_home, la: row.local_authority_id, region: row.region_id };
  if (history.length < 2 || d >= history[history.length - 1]!.from) return asRow;
  const seen = history.map((e, k) => (k === history.length - 1 ? asRow : e));
  let i = 0;
  for (let k = 0; k < history.length - 1; k++) if (history[k]!.from <= d) i = k;
  const out = { ...seen[i]! };
  for (const f of ['category', 'la', 'region'] as const) {
    const order = [...seen.slice(0, i).reverse(), ...seen.slice(i + 1)];
    if (out[f] === null) out[f] = order.find((e) => e[f] !== null)?.[f] ?? null;
  }
  return out;
}

/** Every location's details history, oldest first, read straight from the table. */
function histories(ws: Workspace): Map<string, Entry[]> {
  const hist = new Map<string, Entry[]>();
  for (const h of ws.all<{ location_id: string; effective_from: string; sector_id: string; location_type: string; category: string | null; care_home: number; local_authority_id: string | null; region_id: string | null }>(
    'SELECT * FROM location_details ORDER BY location_id, effective_from',
  )) {
    const list = hist.get(h.location_id) ?? [];
    list.push({ from: h.effective_from, sector: h.sector_id, type: h.location_type, category: h.category, careHome: h.care_home, la: h.local_authority_id, region: h.region_id });
    hist.set(h.location_id, list);
  }
  return hist;
}

/** Good or outstanding overall as at d, counted by local authority, for locations whose details then match `keep`. */
function expected(ws: Workspace, d: string, keep: (e: Entry) => boolean): Map<string, { num: number; den: number }> {
  const rows = new Map(ws.all<LocRow>('SELECT * FROM locations').map((l) => [l.id, l]));
  const hist = histories(ws);
  const latest = ws.all<{ location_id: string; rating: string }>(
    `SELECT location_id, rating FROM (
       SELECT location_id, rating, row_number() OVER (PARTITION BY location_id ORDER BY published_on DESC) AS k
       FROM ratings WHERE key_question_id = 'overall' AND service_group = 'Overall' AND published_on <= ?) WHERE k = 1`,
    [d],
  );
  const out = new Map<string, { num: number; den: number }>();
  for (const r of latest) {
    if (!['Outstanding', 'Good', 'Requires improvement', 'Inadequate'].includes(r.rating)) continue;
    const e = detailsOn(rows.get(r.location_id)!, hist.get(r.location_id) ?? [], d);
    if (!keep(e)) continue;
    const key = e.la ?? '';
    const t = out.get(key) ?? { num: 0, den: 0 };
    t.den++;
    if (r.rating === 'Good' || r.rating === 'Outstanding') t.num++;
    out.set(key, t);
  }
  return out;
}

const laNames = (ws: Workspace) => new Map(ws.all<{ id: string; name: string }>('SELECT id, name FROM local_authorities').map((r) => [r.id, r.name]));

/** The engine's shares by local authority, as la id → numerator/denominator. */
function byLa(ws: Workspace, engine: FigureEngine, d: string, filters: Record<string, unknown>): Map<string, { num: number; den: number }> {
  const ids = new Map([...laNames(ws)].map(([id, name]) => [name, id]));
  const r = engine.evaluate({ kind: 'table', spec: { measure: 'rating_share', ratings: ['Good', 'Outstanding'], asAt: d, by: 'localAuthority', filters }, sql: null, format: {} }, {});
  if (r.error) throw new Error(r.error);
  const out = new Map<string, { num: number; den: number }>();
  for (const row of r.rows ?? []) {
    const name = String(row.localAuthority);
    out.set(ids.get(name) ?? '', { num: Number(row.numerator), den: Number(row.denominator) });
  }
  return out;
}

const sorted = (m: Map<string, { num: number; den: number }>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const CASES: { name: string; filters: Record<string, unknown>; keep: (e: Entry) => boolean }[] = [
  { name: 'every location', filters: {}, keep: () => true },
  { name: 'adult social care', filters: { sector: 'asc' }, keep: (e) => e.sector === 'asc' },
  { name: 'residential social care', filters: { category: 'Residential social care' }, keep: (e) => e.category === 'Residential social care' },
  { name: 'care homes', filters: { careHome: true }, keep: (e) => e.careHome === 1 },
  { name: 'not community based', filters: { category: { not: ['Community based adult social care services'] } }, keep: (e) => e.category !== 'Community based adult social care services' },
];

describe('rating figures count each location with its details as at their date', () => {
  it('groups and filters by the details in effect on each date, on the index and in SQL, as counted here', async () => {
    const ws = await fixture();
    const index = testFigureEngine(ws);
    const sql = testFigureEngine(ws, { useIndex: false });
    let moved = 0;
    for (const d of DATES) {
      for (const c of CASES) {
        const want = sorted(expected(ws, d, c.keep));
        expect(sorted(byLa(ws, index, d, c.filters)), `${c.name} as at ${d} (index)`).toEqual(want);
        expect(sorted(byLa(ws, sql, d, c.filters)), `${c.name} as at ${d} (SQL)`).toEqual(want);
      }
      if (JSON.stringify(sorted(expected(ws, d, () => true))) !== JSON.stringify(sorted(expected(ws, '9999-12-31', () => true)))) moved++;
    }
    // The histories matter: most dates give different groups from today's details.
    expect(moved).toBeGreaterThanOrEqual(4);
    index.dispose();
    sql.dispose();
  });

  it('groups movement between two dates by each location’s details at the later date, on the index and in SQL, as counted here', async () => {
    const ws = await fixture();
    const index = testFigureEngine(ws);
    const sql = testFigureEngine(ws, { useIndex: false });
    const rank = new Map([['Inadequate', 1], ['Requires improvement', 2], ['Good', 3], ['Outstanding', 4]]);
    const regionName = new Map(ws.all<{ id: string; name: string }>('SELECT id, name FROM regions').map((r) => [r.id, r.name]));
    for (const [from, to] of [['2015-05-31', '2018-07-31'], ['2016-06-01', '2017-03-31'], ['2017-03-31', '2021-01-01']] as const) {
      // Independent: each location's latest overall rating at both dates, grouped by its region as at `to`.
      const latestAt = (d: string) =>
        new Map(
          ws
            .all<{ location_id: string; rating: string }>(
              `SELECT location_id, rating FROM (SELECT location_id, rating, row_number() OVER (PARTITION BY location_id ORDER BY published_on DESC) AS k
               FROM ratings WHERE key_question_id = 'overall' AND service_group = 'Overall' AND published_on <= ?) WHERE k = 1`,
              [d],
            )
            .map((r) => [r.location_id, r.rating]),
        );
      const then = latestAt(from);
      const now = latestAt(to);
      const rows = new Map(ws.all<LocRow>('SELECT * FROM locations').map((l) => [l.id, l]));
      const hist = histories(ws);
      const want = new Map<string, { improved: number; held: number; deteriorated: number }>();
      for (const [id, b] of now) {
        const a = then.get(id);
        if (a === undefined || !rank.has(a) || !rank.has(b)) continue;
        const region = regionName.get(detailsOn(rows.get(id)!, hist.get(id) ?? [], to).region ?? '') ?? '';
        const t = want.get(region) ?? { improved: 0, held: 0, deteriorated: 0 };
        const d = rank.get(b)! - rank.get(a)!;
        if (d > 0) t.improved++;
        else if (d < 0) t.deteriorated++;
        else t.held++;
        want.set(region, t);
      }
      const got = (e: FigureEngine) => {
        const r = e.evaluate({ kind: 'table', spec: { measure: 'rating_movement', from, to, by: 'region' }, sql: null, format: {} }, {});
        if (r.error) throw new Error(r.error);
        return new Map((r.rows ?? []).map((row) => [String(row.region), { improved: Number(row.improved), held: Number(row.held), deteriorated: Number(row.deteriorated) }]));
      };
      const expectedRows = [...want].sort(([x], [y]) => (x < y ? -1 : 1));
      expect([...got(index)].sort(([x], [y]) => (x < y ? -1 : 1)), `${from} to ${to} (index)`).toEqual(expectedRows);
      expect([...got(sql)].sort(([x], [y]) => (x < y ? -1 : 1)), `${from} to ${to} (SQL)`).toEqual(expectedRows);
    }
    index.dispose();
    sql.dispose();
  });

  it('the store’s rule and its SQL give every location the same details on every date', async () => {
    const ws = await fixture();
    for (const d of DATES) {
      const js = locationDetailsAsAt(ws, d);
      const rows = ws.all<{ id: string; name: string; sector_id: string; location_type: string; category: string | null; care_home: number; local_authority_id: string | null; region_id: string | null }>(
        `SELECT * FROM ${locationsAsAtSql(':d')} l`,
        { ':d': d },
      );
      expect(rows.length).toBe(js.size);
      for (const r of rows) {
        const j = js.get(r.id)!;
        expect({ name: r.name, sector: r.sector_id, type: r.location_type, category: r.category, careHome: r.care_home === 1, la: r.local_authority_id, region: r.region_id }, `${r.id} on ${d}`).toEqual({
          name: j.name,
          sector: j.sectorId,
          type: j.locationType,
          category: j.category,
          careHome: j.careHome,
          la: j.localAuthorityId,
          region: j.regionId,
        });
      }
    }
  });

  it('offers SQL figures a location_periods view: one period per location on each date, the same details, and the same counts', async () => {
    const ws = await fixture();
    const engine = testFigureEngine(ws);
    const locations = Number(ws.value('SELECT count(*) FROM locations'));
    for (const d of DATES) {
      // TEMP, as the SQL worker makes it (sql.js reopens the database when it is copied for the worker, dropping it).
      ws.db.run(locationPeriodsViewSql());
      const periods = ws.all<{ location_id: string; n: number }>(
        'SELECT location_id, count(*) AS n FROM location_periods WHERE valid_from <= :d AND (valid_until IS NULL OR :d < valid_until) GROUP BY location_id',
        { ':d': d },
      );
      expect(periods.length, d).toBe(locations);
      expect(periods.every((p) => p.n === 1), d).toBe(true);
      const viaView = ws.all(
        `SELECT lp.location_id AS id, lp.name, lp.sector_id, lp.location_type, lp.category, lp.care_home, lp.local_authority_id, lp.region_id, lp.beds
         FROM location_periods lp WHERE lp.valid_from <= :d AND (lp.valid_until IS NULL OR :d < lp.valid_until) ORDER BY lp.location_id`,
        { ':d': d },
      );
      const viaSubquery = ws.all(
        `SELECT l.id, l.name, l.sector_id, l.location_type, l.category, l.care_home, l.local_authority_id, l.region_id, l.beds FROM ${locationsAsAtSql(':d')} l ORDER BY l.id`,
        { ':d': d },
      );
      expect(viaView, d).toEqual(viaSubquery);
      // A SQL figure written with the view, run by the SQL worker, counts what the structured figure and this test count.
      const sqlFigure = await engine.settle(() =>
        engine.evaluate(
          {
            kind: 'table',
            spec: null,
            sql: `WITH latest AS (
                SELECT r.location_id, r.rating, row_number() OVER (PARTITION BY r.location_id ORDER BY r.published_on DESC) AS k
                FROM ratings r WHERE r.key_question_id = 'overall' AND r.service_group = 'Overall' AND r.published_on <= :asAt)
              SELECT lp.local_authority_id AS la, sum(rating IN ('Good', 'Outstanding')) AS num, count(*) AS den
              FROM latest JOIN location_periods lp ON lp.location_id = latest.location_id AND lp.valid_from <= :asAt AND (lp.valid_until IS NULL OR :asAt < lp.valid_until)
              WHERE k = 1 AND lp.sector_id = 'asc' AND rating IN ('Outstanding', 'Good', 'Requires improvement', 'Inadequate')
              GROUP BY lp.local_authority_id`,
            format: {},
          },
          { asAt: d },
        ),
      );
      expect(sqlFigure.error, d).toBeUndefined();
      const got = new Map((sqlFigure.rows ?? []).map((r) => [String(r.la ?? ''), { num: Number(r.num), den: Number(r.den) }]));
      expect(sorted(got), d).toEqual(sorted(expected(ws, d, (e) => e.sector === 'asc')));
    }
    engine.dispose();
  });

  it('gives the earliest details known before the history starts, the entry in effect between entries, the row from the latest entry on', () => {
    const row = { name: 'Now', sectorId: 'asc', locationType: 'Social Care Org', category: 'Residential social care', careHome: true, localAuthorityId: 'LA1', regionId: 'R1', beds: 40 };
    const history = [
      { ...row, effectiveFrom: '2016-01-01', name: 'First', localAuthorityId: 'LA0', category: null, beds: null },
      { ...row, effectiveFrom: '2018-01-01', name: 'Second', localAuthorityId: null, category: 'Community based adult social care services', careHome: false, beds: null },
      { ...row, effectiveFrom: '2020-01-01', name: 'Stale copy of the row', localAuthorityId: 'LA9' },
    ];
    expect(detailsAt(history, row, '2010-01-01')).toMatchObject({ name: 'First', localAuthorityId: 'LA0', category: 'Community based adult social care services', beds: 40, before: true, effectiveFrom: '2016-01-01' });
    expect(detailsAt(history, row, '2018-06-30')).toMatchObject({ name: 'Second', localAuthorityId: 'LA0', careHome: false, before: false, effectiveFrom: '2018-01-01' });
    // From the latest entry on, the row: it holds the latest details, whatever the copy in the history says.
    expect(detailsAt(history, row, '2020-01-01')).toMatchObject({ name: 'Now', localAuthorityId: 'LA1', effectiveFrom: '2020-01-01' });
    expect(detailsAt([], row, '2010-01-01')).toMatchObject({ name: 'Now', effectiveFrom: null, before: false });
  });

  it('keeps the index right when a location with a history changes, when it is read back from the workspace, and after an outside edit of the history', async () => {
    const ws = await fixture();
    const engine = testFigureEngine(ws);
    const check = (e: FigureEngine, label: string) => {
      for (const d of ['2015-05-31', '2017-03-31', '2018-07-31', '2021-01-01']) {
        expect(sorted(byLa(ws, e, d, { sector: 'asc' })), `${label} as at ${d}`).toEqual(sorted(expected(ws, d, (x) => x.sector === 'asc')));
      }
    };
    check(engine, 'built');
    // A location with a history moves local authority in the row (its latest details): patched, not rebuilt.
    const moving = ws.value<string>('SELECT location_id FROM location_details GROUP BY location_id HAVING count(*) = 3 ORDER BY location_id LIMIT 1')!;
    const to = ws.value<string>('SELECT id FROM local_authorities WHERE id <> (SELECT local_authority_id FROM locations WHERE id = ?) ORDER BY id LIMIT 1', [moving])!;
    await ws.write('move', (tx) => tx.run('UPDATE locations SET local_authority_id = ?, region_id = (SELECT region_id FROM local_authorities WHERE id = ?) WHERE id = ?', [to, to, moving]));
    check(engine, 'patched');
    expect(engine.stats().indexBuilds).toBe(1);
    engine.dispose();
    // Stored with the workspace and read back.
    const saved = ws.export({ derived: true });
    const again = Workspace.open(SQL, saved).workspace;
    const cached = testFigureEngine(again);
    check(cached, 'read back');
    expect(cached.stats().indexSource).toBe('cache');
    cached.dispose();
    // The history edited by another tool (no generation bump: it is not a ratings or locations row): read afresh.
    const outside = Workspace.open(SQL, saved).workspace;
    outside.db.run("UPDATE location_details SET local_authority_id = (SELECT min(id) FROM local_authorities), region_id = (SELECT region_id FROM local_authorities ORDER BY id LIMIT 1) WHERE effective_from = '2016-06-01'");
    const fresh = testFigureEngine(outside);
    for (const d of ['2016-06-01', '2017-03-31']) {
      expect(sorted(byLa(outside, fresh, d, {})), `outside edit, as at ${d}`).toEqual(sorted(expected(outside, d, () => true)));
    }
    fresh.dispose();
  });
});
