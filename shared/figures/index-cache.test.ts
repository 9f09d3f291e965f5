import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../electron/services/sqljs';
import { Workspace } from '../store/workspace';
import { seedReference } from '../store/reference';
import { addRating, deleteRating, updateRating } from '../store/repo';
import { MIGRATIONS, SCHEMA_VERSION } from '../store/schema';
import type { FigureEngine } from './engine';
import { saveFigure } from './library';
import { RatingIndex } from '../store/rating-index';
import { rng, seedSynthetic } from './testing';
import type { FigureDef, FigureResult } from './types';
import { testFigureEngine } from '../../electron/services/testing/figure-engine';

/**
 * The rating index kept in the workspace's derived cache: read back, it must give exactly what reading the rows
 * gives; and it must never be used for data it was not built from.
 */

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const PARAMS = { asAt: '2018-07-31', previousAsAt: '2017-07-31' };
const SPECS = [
  { measure: 'rating_share', keyQuestion: 'Safe', ratings: ['Good', 'Outstanding'], asAt: '$asAt' },
  { measure: 'rating_share', ratings: ['Good', 'Outstanding'], asAt: '$asAt', filters: { sector: 'asc' }, by: 'region' },
  { measure: 'rating_distribution', asAt: '$asAt', by: 'sector' },
  { measure: 'rating_distribution', keyQuestion: 'Caring', asAt: '$asAt', by: 'localAuthority', filters: { careHome: true } },
  { measure: 'rating_change', ratings: ['Requires improvement'], from: '$previousAsAt', to: '$asAt', keyQuestion: 'well-led' },
  { measure: 'rating_count', ratings: ['Inadequate'], asAt: '$asAt', filters: { region: 'London', locationType: 'social care org' } },
  { measure: 'rating_count', ratings: ['Good'], keyQuestion: 'effective', asAt: '$previousAsAt', by: 'category', filters: { sector: { not: ['hosp'] } } },
];

async function fixture(locations = 300, perSeries = 3): Promise<{ ws: Workspace; figs: FigureDef[] }> {
  const ws = Workspace.create(SQL);
  await ws.write('seed', (tx) => seedReference(tx), { unjournaled: true });
  await seedSynthetic(ws, { locations, perSeries, seed: 5 });
  const figs: FigureDef[] = [];
  for (const [i, spec] of SPECS.entries()) figs.push(await saveFigure(ws, { slug: `f${i}`, name: `Figure ${i}`, kind: 'table', spec }, 'test'));
  return { ws, figs };
}

const evaluateAll = (engine: FigureEngine, figs: FigureDef[]) => figs.map((f) => engine.evaluateRef({ figureId: f.id }, PARAMS));
const essence = (r: FigureResult) => [r.value, r.rows, r.parts, r.formatted, r.error, r.provenance.rowsRead, r.provenance.fingerprint, r.provenance.imports];
const generation = (ws: Workspace) => ws.metaValue('ratings_generation');
/** Results computed from the rows, never from a cache: the reference every cached result is compared with. */
function fromRows(ws: Workspace, figs: FigureDef[]): unknown[] {
  // A copy without the stored index: the current ratings belong to a workspace, so the workspace itself would answer
  // from the index it already holds.
  const copy = reopen(ws);
  copy.db.run('DELETE FROM derived_cache');
  const engine = testFigureEngine(copy);
  try {
    const out = evaluateAll(engine, figs).map(essence);
    expect(engine.stats().indexSource).toBe('rows');
    return out;
  } finally {
    engine.dispose();
    copy.close();
  }
}
const reopen = (ws: Workspace) => Workspace.open(SQL, ws.export({ derived: true })).workspace;

describe('the rating index in the derived cache', () => {
  it('is stored by an export that asks for it (closing, importing; not autosaves), read back on open, and gives exactly the same results', async () => {
    const { ws, figs } = await fixture();
    const a = testFigureEngine(ws);
    const first = evaluateAll(a, figs).map(essence);
    expect(a.stats().indexSource).toBe('rows');
    expect(ws.hasDerivedPending).toBe(true);
    // An autosave's export leaves it out.
    expect(Workspace.open(SQL, ws.export()).workspace.value('SELECT count(*) FROM derived_cache')).toBe(0);
    expect(ws.hasDerivedPending).toBe(true);
    const again = reopen(ws);
    expect(ws.hasDerivedPending).toBe(false);
    expect(again.value("SELECT generation FROM derived_cache WHERE name = 'rating-index'")).toBe(generation(again));
    const b = testFigureEngine(again);
    expect(evaluateAll(b, figs).map(essence)).toEqual(first);
    expect(b.stats().indexSource).toBe('cache');
    expect(b.stats().ratingRows).toBe(Number(again.value('SELECT count(*) FROM ratings')));
    // Nothing changed since: a second export does not rewrite it.
    expect(again.hasDerivedPending).toBe(false);
    // Any change to the ratings, even one made without a write (no dirty flag), makes the file's copy due again.
    again.db.run("UPDATE ratings SET rating = 'Inadequate' WHERE id = (SELECT min(id) FROM ratings)");
    expect(again.hasDerivedPending).toBe(true);
    a.dispose();
    b.dispose();
  });

  it('after incremental changes, the index stored at the next save equals one built from the rows', async () => {
    const { ws, figs } = await fixture();
    const engine = testFigureEngine(ws);
    evaluateAll(engine, figs);
    const rand = rng(9);
    const labels = ['Outstanding', 'Good', 'Requires improvement', 'Inadequate'];
    const ids = () => ws.all<{ id: number }>('SELECT id FROM ratings').map((r) => r.id);
    for (let step = 0; step < 30; step++) {
      const all = ids();
      const id = all[Math.floor(rand() * all.length)]!;
      const pick = step % 5;
      const res = await ws
        .write('change', (tx) => {
          if (pick === 0) updateRating(tx, id, { rating: labels[Math.floor(rand() * 4)]! });
          else if (pick === 1) updateRating(tx, id, { publishedOn: `201${5 + Math.floor(rand() * 4)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}` });
          else if (pick === 2) deleteRating(tx, id);
          else if (pick === 3) tx.run("UPDATE locations SET region_id = 'E12000007', local_authority_id = 'LA60', care_home = 1 - care_home WHERE id = ?", [`L${String(Math.floor(rand() * 300)).padStart(7, '0')}`]);
          else addRating(tx, { locationId: `L${String(Math.floor(rand() * 300)).padStart(7, '0')}`, keyQuestionId: 'caring', rating: labels[Math.floor(rand() * 4)]!, publishedOn: `2018-0${1 + Math.floor(rand() * 6)}-2${Math.floor(rand() * 8)}` });
        })
        .catch(() => undefined);
      if (res) engine.applyChange({ seq: res.seq, label: 'change', tables: res.tables, changes: res.changes });
      // Save part-way too: each save stores the index as it then is.
      if (step === 10 || step === 20) ws.export({ derived: true });
    }
    const current = evaluateAll(engine, figs).map(essence);
    const again = reopen(ws);
    const cached = testFigureEngine(again);
    const viaCache = evaluateAll(cached, figs).map(essence);
    expect(cached.stats().indexSource).toBe('cache');
    const expected = fromRows(again, figs);
    expect(viaCache).toEqual(expected);
    expect(current).toEqual(expected);
    engine.dispose();
    cached.dispose();
  });

  it('is not used as it was once ratings or locations change, whoever changes them (here plain SQL, as the sqlite3 shell would): it is patched from the logged rows', async () => {
    const { ws, figs } = await fixture(120, 2);
    const engine = testFigureEngine(ws);
    evaluateAll(engine, figs);
    const again = reopen(ws);
    const before = Number(generation(again));
    // The triggers bump the generation on every kind of change to either table.
    again.db.run("UPDATE ratings SET rating = 'Inadequate' WHERE id IN (SELECT id FROM ratings WHERE key_question_id = 'safe' ORDER BY published_on DESC LIMIT 40)");
    expect(Number(generation(again))).toBeGreaterThan(before);
    const b = testFigureEngine(again);
    const viaEngine = evaluateAll(b, figs).map(essence);
    expect(b.stats().indexSource).toBe('patched');
    expect(b.stats().patchedRows).toEqual({ ratings: 40, locations: 0 });
    expect(viaEngine).toEqual(fromRows(again, figs));
    b.dispose();
    for (const sql of [
      "INSERT INTO ratings(location_id, key_question_id, rating, published_on, updated_at) VALUES ('L0000001', 'safe', 'Good', '2018-07-01', 'x')",
      "DELETE FROM ratings WHERE id = (SELECT max(id) FROM ratings)",
      "UPDATE locations SET category = 'Something else' WHERE id = 'L0000002'",
      "INSERT INTO locations(id, name, sector_id, location_type, updated_at) VALUES ('NEW1', 'New', 'asc', 'Social Care Org', 'x')",
      "DELETE FROM locations WHERE id = 'NEW1'",
    ]) {
      const g = Number(generation(again));
      again.db.run(sql);
      expect(Number(generation(again)), sql).toBe(g + 1);
      // ...and log the row, under the generation the change made.
      expect(again.value('SELECT count(*) FROM derived_changes WHERE generation = ?', [g + 1]), sql).toBe(1);
    }
    engine.dispose();
  });

  it('is ignored, and rebuilt from the rows, when its bytes are damaged or of another format', async () => {
    const { ws, figs } = await fixture(120, 2);
    const engine = testFigureEngine(ws);
    const expected = evaluateAll(engine, figs).map(essence);
    const saved = reopen(ws);
    const data = saved.value<Uint8Array>("SELECT data FROM derived_cache WHERE name = 'rating-index'")!;
    // One byte changed in the middle of the arrays: the values would still be "valid" codes, so only the check can tell.
    const flipped = data.slice();
    const mid = Math.floor(flipped.length / 2);
    flipped[mid] = flipped[mid]! ^ 0x01;
    const cases: [string, (w: Workspace) => void][] = [
      ['truncated', (w) => w.db.run("UPDATE derived_cache SET data = substr(data, 1, length(data) / 2) WHERE name = 'rating-index'")],
      ['not an index', (w) => w.db.run("UPDATE derived_cache SET data = randomblob(5000) WHERE name = 'rating-index'")],
      ['another format', (w) => w.db.run("UPDATE derived_cache SET format = format + 1 WHERE name = 'rating-index'")],
      ['damaged arrays', (w) => w.db.run("UPDATE derived_cache SET data = ? WHERE name = 'rating-index'", [flipped])],
    ];
    for (const [name, damage] of cases) {
      const w = Workspace.open(SQL, saved.export({ derived: true })).workspace;
      damage(w);
      const e = testFigureEngine(w);
      expect(evaluateAll(e, figs).map(essence), name).toEqual(expected);
      expect(e.stats().indexSource, name).toBe('rows');
      e.dispose();
    }
    engine.dispose();
  });

  it('is refused when location rowids no longer match (a renumbering no trigger saw)', async () => {
    const { ws, figs } = await fixture(120, 2);
    const engine = testFigureEngine(ws);
    evaluateAll(engine, figs);
    const again = reopen(ws);
    const g = generation(again);
    // What VACUUM may do to a table without an INTEGER PRIMARY KEY, done by hand with the triggers out of the way.
    const triggers = again.all<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'locations'");
    for (const t of triggers) again.db.run(`DROP TRIGGER ${t.name}`);
    again.db.run("UPDATE locations SET rowid = rowid + 100000 WHERE id IN ('L0000003', 'L0000004')");
    for (const t of triggers) again.db.run(t.sql);
    expect(generation(again)).toBe(g);
    expect(() => RatingIndex.fromBytes(again, again.value<Uint8Array>("SELECT data FROM derived_cache WHERE name = 'rating-index'")!)).toThrow(/locations changed/);
    const b = testFigureEngine(again);
    expect(evaluateAll(b, figs).map(essence)).toEqual(fromRows(again, figs));
    expect(b.stats().indexSource).toBe('rows');
    b.dispose();
    engine.dispose();
  });

  it('handles rating ids far beyond the row count (rowids need not be dense), from the rows and from the cache', async () => {
    const { ws, figs } = await fixture(60, 2);
    await ws.write('big ids', (tx) => {
      tx.run("INSERT INTO ratings(id, location_id, key_question_id, rating, published_on, updated_at) VALUES (5000000000, 'L0000001', 'safe', 'Inadequate', '2018-07-30', 'x')");
      tx.run("INSERT INTO ratings(id, location_id, key_question_id, rating, published_on, updated_at) VALUES (70000000, 'L0000002', 'safe', 'Inadequate', '2018-07-30', 'x')");
    });
    const engine = testFigureEngine(ws);
    const first = evaluateAll(engine, figs).map(essence);
    expect(first).toEqual(fromRows(ws, figs));
    const again = reopen(ws);
    const b = testFigureEngine(again);
    expect(evaluateAll(b, figs).map(essence)).toEqual(first);
    expect(b.stats().indexSource).toBe('cache');
    // And a change to one of them is followed.
    const w = await again.write('change', (tx) => updateRating(tx, 5000000000, { rating: 'Good' }));
    b.applyChange({ seq: w.seq, label: 'change', tables: w.tables, changes: w.changes });
    expect(evaluateAll(b, figs).map(essence)).toEqual(fromRows(again, figs));
    engine.dispose();
    b.dispose();
  });

  it('is not stored when it was built inside a write (it might hold rows that are rolled back)', async () => {
    const { ws, figs } = await fixture(60, 2);
    const engine = testFigureEngine(ws);
    await ws.write('inside', () => {
      engine.evaluateRef({ figureId: figs[0]!.id }, PARAMS);
    });
    expect(ws.hasDerivedPending).toBe(false);
    ws.export({ derived: true });
    expect(ws.value('SELECT count(*) FROM derived_cache')).toBe(0);
    engine.dispose();
  });

  it('keeps following changes after a save (sql.js reopens the database on export, dropping its update hook)', async () => {
    const { ws, figs } = await fixture(120, 2);
    const engine = testFigureEngine(ws);
    evaluateAll(engine, figs);
    ws.export();
    // A location whose latest Safe rating as at the report date is Good and earlier than the day added below.
    const loc = ws.value<string>(
      `SELECT location_id FROM ratings r WHERE key_question_id = 'safe' AND rating = 'Good' AND published_on < '2018-07-30' AND published_on = (
         SELECT max(published_on) FROM ratings r2 WHERE r2.location_id = r.location_id AND r2.key_question_id = 'safe' AND r2.published_on <= '2018-07-31') LIMIT 1`,
    )!;
    const w = await ws.write('r', (tx) => addRating(tx, { locationId: loc, keyQuestionId: 'safe', rating: 'Inadequate', publishedOn: '2018-07-30' }));
    const changed = engine.applyChange({ seq: w.seq, label: 'r', tables: w.tables, changes: w.changes });
    expect(changed.length).toBeGreaterThan(0);
    // Patched in place, not rebuilt.
    expect(engine.stats().indexBuilds).toBe(1);
    expect(evaluateAll(engine, figs).map(essence)).toEqual(fromRows(ws, figs));
    engine.dispose();
  });

  it('rebuilds rather than patches after a bulk change such as an import', async () => {
    const { ws, figs } = await fixture(5000, 2);
    const engine = testFigureEngine(ws);
    evaluateAll(engine, figs);
    // 60,000 rows changed at once: more than patching row by row is worth.
    const w = await ws.write('bulk', (tx) => tx.run("UPDATE ratings SET rating = CASE WHEN id % 3 = 0 THEN 'Good' ELSE rating END, updated_at = 'bulk'"));
    engine.applyChange({ seq: w.seq, label: 'bulk', tables: w.tables, changes: w.changes });
    expect(evaluateAll(engine, figs).map(essence)).toEqual(fromRows(ws, figs));
    expect(engine.stats().indexBuilds).toBe(2);
    engine.dispose();
  });
});

describe('schema v2', () => {
  it('migrates a v1 workspace: the cache table, the generation and its triggers', async () => {
    const old = Workspace.create(SQL, { migrations: MIGRATIONS.slice(0, 1) });
    await old.write('seed', (tx) => seedReference(tx), { unjournaled: true });
    await seedSynthetic(old, { locations: 30, perSeries: 2, seed: 1 });
    const opened = Workspace.open(SQL, old.export());
    expect(opened.foundVersion).toBe(1);
    expect(opened.needsMigration).toBe(true);
    const ws = opened.workspace;
    expect(ws.migrate()).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
    expect(ws.schemaVersion).toBe(SCHEMA_VERSION);
    expect(generation(ws)).toBe('1');
    await ws.write('r', (tx) => updateRating(tx, Number(ws.value('SELECT min(id) FROM ratings')), { rating: 'Inadequate' }));
    expect(generation(ws)).toBe('2');
    const engine = testFigureEngine(ws);
    expect(engine.evaluate({ kind: 'value', spec: { measure: 'rating_count', ratings: ['Inadequate'], asAt: '2030-01-01' }, sql: null, format: {} }, {}).error).toBeUndefined();
    expect(ws.hasDerivedPending).toBe(true);
    engine.dispose();
  });
});
