import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../../../electron/services/sqljs';
import { testFigureEngine } from '../../../../electron/services/testing/figure-engine';
import { Workspace } from '../../../store/workspace';
import { seedReference } from '../../../store/reference';
import { seedSynthetic } from '../../testing';
import type { FigureFormat, FigureResult } from '../../types';

/**
 * rating_movement from the rating index gives exactly what its SQL gives (the engine with `useIndex: false` runs the
 * SQL): every count, share, row and the fingerprint of the grouped rows, for both comparisons, every grouping, the
 * location filters and the register rule at both points, before and after rows change.
 */

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const draft = (spec: Record<string, unknown>, kind: 'value' | 'table' = 'table', format: FigureFormat = {}) => ({ kind, spec, sql: null, format });
const essence = (r: FigureResult) => [r.error, r.value, r.formatted, r.denominator, r.parts, r.columns, r.rows, r.provenance.rowsRead, r.provenance.fingerprint, r.provenance.imports, r.provenance.excluded];

const SPECS: Record<string, unknown>[] = [
  { measure: 'rating_movement', from: '2016-07-31', to: '2018-07-31' },
  { measure: 'rating_movement', from: '2016-07-31', to: '2018-07-31', registered: 'all' },
  { measure: 'rating_movement', from: '2015-01-01', to: '2018-07-31', by: 'region', filters: { sector: 'asc' } },
  { measure: 'rating_movement', from: '2015-01-01', to: '2019-07-31', by: 'localAuthority', keyQuestion: 'safe' },
  { measure: 'rating_movement', from: '2016-07-31', to: '2018-07-31', by: 'keyQuestion' },
  { measure: 'rating_movement', from: '2016-07-31', to: '2018-07-31', by: 'careHome', filters: { sector: { not: ['hosp'] } } },
  { measure: 'rating_movement', from: '2016-07-31', to: '2018-07-31', by: 'category', filters: { locationType: 'social care org', careHome: true } },
  { measure: 'rating_movement', from: '2016-07-31', to: '2018-07-31', by: 'sector', filters: { region: 'London' } },
  { measure: 'rating_movement', compare: 'reinspection', to: '2018-07-31' },
  { measure: 'rating_movement', compare: 'reinspection', from: '2016-01-01', to: '2018-07-31', by: 'region' },
  { measure: 'rating_movement', compare: 'reinspection', to: '2019-12-31', by: 'serviceGroup', registered: 'all' },
];

async function fixture(): Promise<Workspace> {
  const ws = Workspace.create(SQL);
  await ws.write('seed', (tx) => seedReference(tx), { unjournaled: true });
  await seedSynthetic(ws, { locations: 400, perSeries: 4, seed: 17 });
  // Registration facts of every kind the register rule reads: dates, a status known only from an extract, and a
  // details history that starts late, with register data answering from a date.
  ws.db.run(`UPDATE locations SET registered_on = '2016-03-01' WHERE rowid % 7 = 0`);
  ws.db.run(`UPDATE locations SET deregistered_on = '2017-11-15' WHERE rowid % 11 = 0`);
  ws.db.run(`UPDATE locations SET registration_status = 'Deregistered', registration_as_of = '2018-01-01' WHERE rowid % 13 = 0 AND deregistered_on IS NULL`);
  ws.db.run(`INSERT INTO imports(id, kind, file_name, file_hash, rows, imported_at, imported_by, coverage, covers_from, covers_basis)
             VALUES ('reg', 'cqc-locations', 'x.csv', 'h', 0, '2019-01-01T00:00:00Z', 't', 'latest', '2016-06-01', 'edition')`);
  ws.db.run(`INSERT INTO location_details(location_id, effective_from, observed_to, name, sector_id, location_type, care_home, import_id)
             SELECT id, '2017-05-01', '2017-05-01', name, sector_id, location_type, care_home, 'reg' FROM locations WHERE rowid % 5 = 0`);
  ws.db.run(`UPDATE ratings SET service_group = 'Surgery' WHERE id % 9 = 0`);
  return ws;
}

function both(ws: Workspace): { index: unknown[][]; sql: unknown[][] } {
  const a = testFigureEngine(ws);
  const b = testFigureEngine(ws, { useIndex: false });
  try {
    const index = SPECS.map((s) => a.evaluate(draft(s), {}));
    const sql = SPECS.map((s) => b.evaluate(draft(s), {}));
    for (const r of index) expect(r.provenance.engine).toBe('index');
    for (const r of sql) expect(r.provenance.engine).toBe('sql');
    return { index: index.map(essence), sql: sql.map(essence) };
  } finally {
    a.dispose();
    b.dispose();
  }
}

describe('rating_movement from the rating index', () => {
  it('equals the SQL for every comparison, grouping, filter and the register rule', async () => {
    const ws = await fixture();
    const { index, sql } = both(ws);
    for (const [i, r] of index.entries()) expect(r, JSON.stringify(SPECS[i])).toEqual(sql[i]);
    // Not vacuous: something moved, something was left out by the register, and groups exist.
    const first = index[0]![4] as Record<string, number>;
    expect(first.improved! + first.deteriorated!).toBeGreaterThan(0);
    expect(first.excludedNotRegistered).toBeGreaterThan(0);
    expect((index[2]![6] as unknown[]).length).toBeGreaterThan(1);
  });

  it('still equals the SQL after ratings and locations change (the index patched row by row)', async () => {
    const ws = await fixture();
    const engine = testFigureEngine(ws);
    engine.evaluate(draft(SPECS[0]!), {});
    await ws.write('change', (tx) => {
      tx.run("UPDATE ratings SET rating = 'Inadequate' WHERE id IN (SELECT id FROM ratings WHERE rating = 'Good' ORDER BY id LIMIT 60)");
      tx.run("UPDATE ratings SET published_on = '2018-07-30' WHERE id IN (SELECT max(id) FROM ratings GROUP BY location_id, service_group, key_question_id LIMIT 30)");
      tx.run("UPDATE locations SET region_id = 'E12000007', care_home = 1 - care_home WHERE rowid % 17 = 0");
      tx.run('DELETE FROM ratings WHERE id % 53 = 0');
    });
    engine.dispose();
    const { index, sql } = both(ws);
    for (const [i, r] of index.entries()) expect(r, JSON.stringify(SPECS[i])).toEqual(sql[i]);
  });
});
