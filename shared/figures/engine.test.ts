import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../electron/services/sqljs';
import { Workspace } from '../store/workspace';
import { seedReference } from '../store/reference';
import { addRating, deleteRating, updateRating, saveEvidence, saveFinding } from '../store/repo';
import { TABLES } from '../store/schema';
import { deleteFigure, listFigures, saveFigure, figureRefsInReport } from './library';
import { approveFigure } from './approvals';
import { rng, seedSynthetic } from './testing';
import type { FigureDef, FigureResult } from './types';
import { testFigureEngine } from '../../electron/services/testing/figure-engine';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

async function fixture(locations = 400, perSeries = 4): Promise<Workspace> {
  const ws = Workspace.create(SQL);
  await ws.write('seed', (tx) => seedReference(tx), { unjournaled: true });
  await seedSynthetic(ws, { locations, perSeries, seed: 7 });
  return ws;
}

function dump(ws: Workspace): string {
  return TABLES.map((t) => JSON.stringify(ws.all(`SELECT * FROM "${t}" ORDER BY 1`))).join('\n');
}

const draft = (spec: Record<string, unknown>, kind: FigureDef['kind'] = 'value') => ({ kind, spec, sql: null, format: {} });

/** Independent SQL for "latest rating as at": NOT EXISTS a later row on or before the date (a different formulation from the engine's window function). */
const LATEST = `SELECT r.* FROM ratings r WHERE r.published_on <= :d AND NOT EXISTS (
  SELECT 1 FROM ratings r2 WHERE r2.location_id = r.location_id AND r2.service_group = r.service_group
   AND r2.key_question_id = r.key_question_id AND r2.published_on <= :d AND r2.published_on > r.published_on)`;

describe('structured figures against independent SQL', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await fixture();
  });

  it('rating_share: Safe, adult social care, good or outstanding, as at $asAt', () => {
    const engine = testFigureEngine(ws);
    const r = engine.evaluate(
      draft({ measure: 'rating_share', keyQuestion: 'Safe', ratings: ['Outstanding', 'Good'], filters: { sector: 'Adult social care' }, asAt: '$asAt' }),
      { asAt: '2018-07-31' },
    );
    const expected = ws.get<{ num: number; den: number }>(
      `SELECT sum(rating IN ('Outstanding','Good')) AS num, count(*) AS den FROM (${LATEST}) x JOIN locations l ON l.id = x.location_id
       WHERE x.key_question_id = 'safe' AND x.service_group = 'Overall' AND l.sector_id = 'asc' AND x.rating IN ('Outstanding','Good','Requires improvement','Inadequate')`,
      { ':d': '2018-07-31' },
    )!;
    expect(r.error).toBeUndefined();
    expect(r.numerator).toBe(expected.num);
    expect(r.denominator).toBe(expected.den);
    expect(r.value).toBeCloseTo(expected.num / expected.den, 12);
    expect(r.formatted).toBe(`${Math.round((100 * expected.num) / expected.den)}%`);
    expect(r.provenance.engine).toBe('index');
    expect(r.provenance.imports.map((i) => i.id)).toEqual(['imp-synth']);
    expect(r.provenance.figureParams).toEqual({ asAt: '2018-07-31' });
    // The equivalent SQL in the provenance really gives the same counts.
    const rows = ws.all<{ rating: string; n: number }>(r.provenance.sql, r.provenance.params as Record<string, string>);
    const den = rows.filter((x) => x.rating !== 'Insufficient evidence to rate').reduce((a, x) => a + x.n, 0);
    expect(den).toBe(expected.den);
    engine.dispose();
  });

  it('by region gives one row per region that matches a GROUP BY', () => {
    const engine = testFigureEngine(ws);
    const r = engine.evaluate(draft({ measure: 'rating_share', ratings: ['Good', 'Outstanding'], by: 'region', asAt: '2017-07-31' }, 'table'), {});
    const expected = ws.all<{ name: string; num: number; den: number }>(
      `SELECT g.name, sum(rating IN ('Outstanding','Good')) AS num, count(*) AS den FROM (${LATEST}) x JOIN locations l ON l.id = x.location_id JOIN regions g ON g.id = l.region_id
       WHERE x.key_question_id = 'overall' AND x.service_group = 'Overall' AND x.rating <> 'Insufficient evidence to rate' GROUP BY g.name ORDER BY g.name`,
      { ':d': '2017-07-31' },
    );
    expect(r.rows!.map((x) => [x.region, x.numerator, x.denominator])).toEqual(expected.map((e) => [e.name, e.num, e.den]));
    expect(r.columns!.map((c) => c.key)).toEqual(['region', 'share', 'numerator', 'denominator']);
    engine.dispose();
  });

  it('rating_change gives both shares, the change in points and a direction word', () => {
    const engine = testFigureEngine(ws);
    const r = engine.evaluate(draft({ measure: 'rating_change', ratings: ['Good', 'Outstanding'], from: '$previousAsAt', to: '$asAt', keyQuestion: 'safe' }), {
      asAt: '2018-07-31',
      previousAsAt: '2016-07-31',
    });
    const share = (d: string) => {
      const e = ws.get<{ num: number; den: number }>(
        `SELECT sum(rating IN ('Outstanding','Good')) AS num, count(*) AS den FROM (${LATEST}) x WHERE x.key_question_id = 'safe' AND x.service_group = 'Overall' AND x.rating <> 'Insufficient evidence to rate'`,
        { ':d': d },
      )!;
      return e.num / e.den;
    };
    const a = share('2016-07-31');
    const b = share('2018-07-31');
    expect(r.parts!.from).toBeCloseTo(a, 12);
    expect(r.parts!.to).toBeCloseTo(b, 12);
    // The default change rule: the difference of the printed (whole-number) levels, printed at their precision.
    const shown = Math.round(b * 100) - Math.round(a * 100);
    expect(r.value).toBeCloseTo(shown / 100, 12);
    expect(r.parts!.direction).toBe(shown > 0 ? 'rose' : shown < 0 ? 'fell' : 'was unchanged');
    expect(r.formatted).toBe(`${Math.abs(shown)} percentage point${Math.abs(shown) === 1 ? '' : 's'}`);
    expect(r.parts!.changeFormatted).toBe(r.formatted);
    // The alternative: from the unrounded shares, to one decimal (the publication then says so in its notes).
    const u = engine.evaluate(draft({ measure: 'rating_change', ratings: ['Good', 'Outstanding'], from: '$previousAsAt', to: '$asAt', keyQuestion: 'safe' }), { asAt: '2018-07-31', previousAsAt: '2016-07-31' }, { changes: 'unrounded' });
    expect(u.value).toBeCloseTo(b - a, 12);
    expect(u.formatted).toMatch(/^\d+\.\d percentage points?$/);
    engine.dispose();
  });

  it('rating_distribution and rating_count agree with SQL; off-scale statuses are excluded from shares', () => {
    const engine = testFigureEngine(ws);
    const d = engine.evaluate(draft({ measure: 'rating_distribution', asAt: '2018-07-31', filters: { locationType: 'Social Care Org', careHome: true } }, 'table'), {});
    const expected = ws.all<{ rating: string; n: number }>(
      `SELECT rating, count(*) AS n FROM (${LATEST}) x JOIN locations l ON l.id = x.location_id WHERE x.key_question_id = 'overall' AND x.service_group = 'Overall'
       AND l.location_type = 'Social Care Org' AND l.care_home = 1 GROUP BY rating`,
      { ':d': '2018-07-31' },
    );
    const n = (label: string) => expected.find((e) => e.rating === label)?.n ?? 0;
    const den = ['Outstanding', 'Good', 'Requires improvement', 'Inadequate'].reduce((a, l) => a + n(l), 0);
    expect(d.rows!.map((x) => [x.rating, x.count])).toEqual(['Outstanding', 'Good', 'Requires improvement', 'Inadequate'].map((l) => [l, n(l)]));
    expect(d.denominator).toBe(den);
    const c = engine.evaluate(draft({ measure: 'rating_count', ratings: ['Insufficient evidence to rate'], asAt: '2018-07-31', filters: { locationType: 'Social Care Org', careHome: true } }), {});
    expect(c.value).toBe(n('Insufficient evidence to rate'));
    engine.dispose();
  });

  it('the index and the SQL path give identical results', () => {
    const a = testFigureEngine(ws);
    const b = testFigureEngine(ws, { useIndex: false });
    for (const spec of [
      { measure: 'rating_share', ratings: ['Good'], by: 'localAuthority', asAt: '2017-01-01', filters: { region: { not: 'London' } } },
      { measure: 'rating_distribution', by: 'keyQuestion', asAt: '2018-07-31', filters: { sector: ['asc', 'pms'] } },
      { measure: 'rating_change', ratings: ['Inadequate'], from: '2015-01-01', to: '2019-01-01', by: 'sector' },
    ]) {
      const x = a.evaluate(draft(spec, 'table'), {});
      const y = b.evaluate(draft(spec, 'table'), {});
      expect(x.error).toBeUndefined();
      expect(x.rows).toEqual(y.rows);
      expect(x.value).toEqual(y.value);
      expect(x.provenance.rowsRead).toBe(y.provenance.rowsRead);
    }
    a.dispose();
    b.dispose();
  });
});

describe('asAt semantics (property)', () => {
  it('matches a brute-force latest-rating computation over random histories', async () => {
    const ws = Workspace.create(SQL);
    await ws.write('seed', (tx) => {
      seedReference(tx);
      tx.run("INSERT INTO local_authorities(id, name, region_id) VALUES ('LA1', 'Testshire', 'E12000001')");
      for (let i = 0; i < 6; i++) {
        tx.run("INSERT INTO locations(id, name, sector_id, location_type, region_id, local_authority_id, updated_at) VALUES (?, ?, 'asc', 'Social Care Org', 'E12000001', 'LA1', 'x')", [`P${i}`, `P${i}`]);
      }
    });
    const labels = ['Outstanding', 'Good', 'Requires improvement', 'Inadequate', 'Insufficient evidence to rate'];
    const history = fc.array(
      fc.record({ loc: fc.integer({ min: 0, max: 5 }), kq: fc.constantFrom('safe', 'overall'), day: fc.integer({ min: 0, max: 60 }), label: fc.integer({ min: 0, max: 4 }) }),
      { maxLength: 40 },
    );
    const engine = testFigureEngine(ws);
    await fc.assert(
      fc.asyncProperty(history, fc.integer({ min: 0, max: 61 }), async (rows, asDay) => {
        const day = (d: number) => new Date(Date.UTC(2018, 0, 1 + d)).toISOString().slice(0, 10);
        const uniq = new Map<string, (typeof rows)[number]>();
        for (const r of rows) uniq.set(`${r.loc}|${r.kq}|${r.day}`, r);
        await ws.write('reset', (tx) => {
          tx.run('DELETE FROM ratings');
          for (const r of uniq.values()) {
            tx.run("INSERT INTO ratings(location_id, key_question_id, rating, published_on, updated_at) VALUES (?, ?, ?, ?, 'x')", [`P${r.loc}`, r.kq, labels[r.label]!, day(r.day)]);
          }
        });
        // Brute force: for each location, the row with the greatest day <= asAt.
        const latest = new Map<number, (typeof rows)[number]>();
        for (const r of uniq.values()) {
          if (r.kq !== 'safe' || r.day > asDay) continue;
          const cur = latest.get(r.loc);
          if (!cur || cur.day < r.day) latest.set(r.loc, r);
        }
        const onScale = [...latest.values()].filter((r) => r.label < 4);
        const good = onScale.filter((r) => r.label <= 1).length;
        const res = engine.evaluate(draft({ measure: 'rating_share', keyQuestion: 'Safe', ratings: ['Outstanding', 'Good'], asAt: day(asDay) }), {});
        expect(res.denominator).toBe(onScale.length);
        expect(res.numerator).toBe(good);
        expect(res.value).toBe(onScale.length ? good / onScale.length : null);
      }),
      { numRuns: 60 },
    );
    engine.dispose();
  });
});

describe('bad specs and bad SQL', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await fixture(50, 2);
  });
  const cases: [string, Record<string, unknown>, Record<string, string>, RegExp][] = [
    ['unknown measure', { measure: 'rating_shares' }, {}, /spec\.measure must be one of: rating_share/],
    ['typo in a field', { measure: 'rating_share', ratings: ['Good'], keyquestion: 'Safe' }, {}, /keyquestion/],
    ['no ratings', { measure: 'rating_share', ratings: [] }, {}, /spec: ratings must list at least one rating/],
    ['a date that is not a date', { measure: 'rating_share', ratings: ['Good'], asAt: '31/07/2018' }, {}, /asAt/],
    ['a missing parameter', { measure: 'rating_share', ratings: ['Good'], asAt: '$asAt' }, {}, /spec\.asAt refers to \$asAt but no parameter "asAt" was given/],
    ['a parameter that is not a date', { measure: 'rating_share', ratings: ['Good'], asAt: '$asAt' }, { asAt: 'last July' }, /asAt.*after substituting parameters/],
    ['an unknown region', { measure: 'rating_share', ratings: ['Good'], filters: { region: 'Narnia' } }, {}, /spec\.filters\.region: "Narnia" is not a region/],
    ['an unknown rating', { measure: 'rating_share', ratings: ['Goood'] }, {}, /"Goood" is not a rating on the scale/],
    ['an off-scale rating in a share', { measure: 'rating_share', ratings: ['Insufficient evidence to rate'] }, {}, /not on the rating scale/],
    ['an unknown indicator', { measure: 'indicator_value', indicator: 'nope', period: '2017/18' }, {}, /"nope" is not an indicator/],
  ];
  for (const [what, spec, params, message] of cases) {
    it(`refuses ${what} with a clear message and no change`, () => {
      const before = dump(ws);
      const engine = testFigureEngine(ws);
      const r = engine.evaluate(draft(spec), params);
      expect(r.error).toMatch(message);
      expect(r.formatted).toBe('[error]');
      expect(r.value).toBeNull();
      engine.dispose();
      expect(dump(ws)).toBe(before);
    });
  }

  const sqlCases: [string, string, RegExp][] = [
    ['a write', "UPDATE ratings SET rating = 'Good'", /UPDATE/],
    ['a write in a CTE', "WITH x AS (SELECT 1) DELETE FROM ratings", /DELETE/],
    ['several statements', 'SELECT 1; SELECT 2', /several statements/],
    ['several statements hiding a write', "SELECT 1; DROP TABLE ratings", /several statements|DROP/],
    ['PRAGMA', 'PRAGMA query_only = 0', /PRAGMA/],
    ['ATTACH', "ATTACH DATABASE ':memory:' AS other", /ATTACH/],
    ['DETACH', 'DETACH other', /DETACH/],
    ['VACUUM', 'VACUUM', /VACUUM/],
    ['load_extension', "SELECT load_extension('x')", /LOAD_EXTENSION/],
    ['a syntax error', 'SELECT FROM WHERE', /could not be compiled/],
  ];
  for (const [what, sql, message] of sqlCases) {
    it(`refuses SQL with ${what}, leaving the workspace unchanged`, async () => {
      const before = dump(ws);
      const engine = testFigureEngine(ws);
      const r = await engine.settle(() => engine.evaluate({ kind: 'value', spec: null, sql, format: {} }, {}));
      expect(r.error).toMatch(message);
      engine.dispose();
      expect(dump(ws)).toBe(before);
    });
  }

  it('runs a good SQL figure with named parameters and a row limit', async () => {
    const engine = testFigureEngine(ws, { rowLimit: 5 });
    const draft = { kind: 'value' as const, spec: null, sql: 'SELECT count(*) FROM ratings WHERE published_on <= :asAt AND rating = $r', format: {} };
    const r = await engine.settle(() => engine.evaluate(draft, { asAt: '2018-07-31', r: 'Good' }));
    expect(r.value).toBe(ws.value("SELECT count(*) FROM ratings WHERE published_on <= '2018-07-31' AND rating = 'Good'"));
    expect(r.provenance.tables).toEqual(['ratings']);
    const many = await engine.settle(() => engine.evaluate({ kind: 'table', spec: null, sql: 'SELECT id FROM ratings', format: {} }, {}));
    expect(many.error).toMatch(/more than 5 rows/);
    engine.dispose();
  });
});

describe('incremental recompute', () => {
  it('equals a full recompute after random changes, and reports exactly the figures whose values changed', async () => {
    const ws = await fixture(300, 3);
    const specs = [
      { measure: 'rating_share', keyQuestion: 'Safe', ratings: ['Good', 'Outstanding'], asAt: '$asAt' },
      { measure: 'rating_share', ratings: ['Good', 'Outstanding'], asAt: '$asAt', filters: { sector: 'asc' }, by: 'region' },
      { measure: 'rating_distribution', asAt: '$asAt', by: 'sector' },
      { measure: 'rating_change', ratings: ['Requires improvement'], from: '$previousAsAt', to: '$asAt', keyQuestion: 'well-led' },
      { measure: 'rating_count', ratings: ['Inadequate'], asAt: '$asAt', filters: { region: 'London' } },
    ];
    const figs: FigureDef[] = [];
    for (const [i, spec] of specs.entries()) figs.push(await saveFigure(ws, { slug: `f${i}`, name: `Figure ${i}`, kind: 'table', spec }, 'test'));
    const params = { asAt: '2018-07-31', previousAsAt: '2017-07-31' };
    const engine = testFigureEngine(ws);
    for (const f of figs) engine.evaluateRef({ figureId: f.id }, params);
    const rand = rng(42);
    const ids = () => ws.all<{ id: number }>('SELECT id FROM ratings').map((r) => r.id);
    const labels = ['Outstanding', 'Good', 'Requires improvement', 'Inadequate'];
    let reported = 0;
    for (let step = 0; step < 25; step++) {
      const seen = (r: FigureResult) => JSON.stringify([r.value, r.rows, r.parts, r.formatted]);
      const before = figs.map((f) => seen(engine.evaluateRef({ figureId: f.id }, params)));
      const pick = Math.floor(rand() * 4);
      const all = ids();
      const id = all[Math.floor(rand() * all.length)]!;
      const res = await ws.write(
        'change',
        (tx) => {
          if (pick === 0) updateRating(tx, id, { rating: labels[Math.floor(rand() * 4)]! });
          else if (pick === 1) updateRating(tx, id, { publishedOn: `201${5 + Math.floor(rand() * 4)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}` });
          else if (pick === 2) deleteRating(tx, id);
          else if (pick === 3) {
            const loc = `L${String(Math.floor(rand() * 300)).padStart(7, '0')}`;
            if (rand() < 0.5) tx.run("UPDATE locations SET region_id = 'E12000007', local_authority_id = 'LA60' WHERE id = ?", [loc]);
            else addRating(tx, { locationId: loc, keyQuestionId: 'safe', rating: labels[Math.floor(rand() * 4)]!, publishedOn: `2018-0${1 + Math.floor(rand() * 6)}-2${Math.floor(rand() * 8)}` });
          }
        },
        { actor: 'test' },
      ).catch(() => undefined);
      if (!res) continue;
      const changed = engine.applyChange({ seq: res.seq, label: 'change', tables: res.tables, changes: res.changes });
      const fresh = testFigureEngine(ws);
      const expectChanged: string[] = [];
      figs.forEach((f, i) => {
        const inc = engine.evaluateRef({ figureId: f.id }, params);
        const full = fresh.evaluateRef({ figureId: f.id }, params);
        expect(inc.value).toEqual(full.value);
        expect(inc.rows).toEqual(full.rows);
        expect(inc.parts).toEqual(full.parts);
        expect([step, pick, i, inc.provenance.rowsRead, inc.provenance.fingerprint]).toEqual([step, pick, i, full.provenance.rowsRead, full.provenance.fingerprint]);
        if (seen(inc) !== before[i]) expectChanged.push(engine.keyOf({ figureId: f.id }, params));
      });
      fresh.dispose();
      expect(changed.sort()).toEqual(expectChanged.sort());
      reported += changed.length;
    }
    // The random changes must actually have moved some figures, or this test proves nothing.
    expect(reported).toBeGreaterThanOrEqual(3);
    engine.dispose();
  });
});

describe('library, approvals and staleness', () => {
  it('approve, change the value (stale), change data without changing the value (approved), re-approve', async () => {
    const ws = await fixture(60, 2);
    const fig = await saveFigure(ws, { slug: 'safe-share', name: 'Safe share', kind: 'value', spec: { measure: 'rating_count', keyQuestion: 'safe', ratings: ['Inadequate'], asAt: '$asAt' } }, 'editor');
    const params = { asAt: '2018-07-31' };
    const engine = testFigureEngine(ws);
    const state = () => engine.stateOf(fig.id, null, engine.evaluateRef({ figureId: fig.id }, params));
    expect(state().state).toBe('fresh');
    await approveFigure(ws, { figureId: fig.id, sectionId: null, params, by: 'reviewer' }, engine);
    expect(state().state).toBe('approved');
    // A new Inadequate Safe rating for a location whose latest Safe rating was not Inadequate changes the value.
    const loc = ws.get<{ location_id: string }>(
      `SELECT location_id FROM ratings r WHERE key_question_id = 'safe' AND published_on = (SELECT max(published_on) FROM ratings r2 WHERE r2.location_id = r.location_id AND r2.key_question_id = 'safe' AND published_on <= '2018-07-31') AND rating <> 'Inadequate' LIMIT 1`,
    )!.location_id;
    const w = await ws.write('r', (tx) => addRating(tx, { locationId: loc, keyQuestionId: 'safe', rating: 'Inadequate', publishedOn: '2018-07-30' }).id);
    engine.applyChange({ seq: w.seq, label: 'r', tables: w.tables, changes: w.changes });
    const s = state();
    expect(s.state).toBe('stale');
    expect(s.approved?.by).toBe('reviewer');
    // A change the figure cannot see (a rating for Caring) leaves it stale, not approved; re-approve, then such a change keeps it approved.
    await approveFigure(ws, { figureId: fig.id, sectionId: null, params, by: 'reviewer' }, engine);
    expect(state().state).toBe('approved');
    const w2 = await ws.write('r2', (tx) => addRating(tx, { locationId: loc, keyQuestionId: 'caring', rating: 'Inadequate', publishedOn: '2018-07-30' }));
    engine.applyChange({ seq: w2.seq, label: 'r2', tables: w2.tables, changes: w2.changes });
    expect(state().state).toBe('approved');
    // Data changed, value unchanged: a later rating after the as-at date.
    const w3 = await ws.write('r3', (tx) => addRating(tx, { locationId: loc, keyQuestionId: 'safe', rating: 'Good', publishedOn: '2019-01-01' }));
    engine.applyChange({ seq: w3.seq, label: 'r3', tables: w3.tables, changes: w3.changes });
    expect(state().state).toBe('approved');
    // Other parameters than those approved: unapproved.
    expect(engine.stateOf(fig.id, null, engine.evaluateRef({ figureId: fig.id }, { asAt: '2017-07-31' })).state).toBe('unapproved');
    engine.dispose();
  });

  it('saves, lists, refuses a clashing slug, and refuses to delete a figure a report uses', async () => {
    const ws = await fixture(20, 1);
    const ev = await ws.write('ev', (tx) => saveEvidence(tx, { kind: 'dataset', title: 'CQC ratings', sensitivity: 'public' }).id);
    const f = await saveFigure(ws, { slug: 'asc-good', name: 'ASC good', kind: 'value', spec: { measure: 'rating_share', ratings: ['Good'] }, evidenceIds: [ev.value] }, 'ed');
    expect(listFigures(ws).map((x) => x.slug)).toEqual(['asc-good']);
    expect(f.evidenceIds).toEqual([ev.value]);
    const engine = testFigureEngine(ws);
    expect(engine.evaluateRef({ figureId: f.id }, {}).provenance.evidenceIds).toEqual([ev.value]);
    await expect(saveFigure(ws, { slug: 'asc-good', name: 'Other', kind: 'value', sql: 'SELECT 1' }, 'ed')).rejects.toThrow(/slug "asc-good" is already used/);
    await expect(saveFigure(ws, { slug: 'bad', name: 'Bad', kind: 'value', spec: { measure: 'rating_share' } }, 'ed')).rejects.toThrow(/ratings/);
    await expect(saveFigure(ws, { slug: 'bad', name: 'Bad', kind: 'value', sql: 'DELETE FROM ratings' }, 'ed')).rejects.toThrow(/DELETE/);
    const content = JSON.stringify({ root: { type: 'root', children: [{ type: 'paragraph', children: [{ type: 'text', text: 'It was ' }, { type: 'live-figure', version: 1, figureId: f.id }] }] } });
    await ws.write('report', (tx) => {
      tx.run("INSERT INTO reports(id, slug, title, params, created_at, updated_at) VALUES ('r1', 'soc', 'State of Care', '{}', 'x', 'x')");
      tx.run("INSERT INTO sections(id, report_id, position, title, content, updated_at) VALUES ('s1', 'r1', 1, 'Adult social care', ?, 'x')", [content]);
    });
    expect(figureRefsInReport(ws, 'soc').map((u) => [u.sectionId, u.figureId, u.nodeType])).toEqual([['s1', f.id, 'live-figure']]);
    await expect(deleteFigure(ws, f.id, 'ed')).rejects.toThrow(/cannot be deleted: it is used 1 time, in "Adult social care" in "State of Care"/);
    await ws.write('clear', (tx) => tx.run("UPDATE sections SET content = '{}'"));
    await deleteFigure(ws, f.id, 'ed');
    expect(listFigures(ws)).toEqual([]);
    expect(ws.all<{ action: string }>("SELECT action FROM audit_log WHERE table_name = 'figures' ORDER BY id").map((a) => a.action)).toEqual(['figure.add', 'figure.delete']);
    engine.dispose();
  });

  it('counts findings and evidence with filters and by', async () => {
    const ws = await fixture(10, 1);
    await ws.write('data', (tx) => {
      tx.run("INSERT INTO area_reviews(id, local_authority_id, title, status, created_at, updated_at) VALUES ('ar1', 'LA00', 'Review 1', 'published', 'x', 'x'), ('ar2', 'LA10', 'Review 2', 'published', 'x', 'x')");
      const e1 = saveEvidence(tx, { kind: 'interview', title: 'Interview', sensitivity: 'official-sensitive', areaReviewId: 'ar1' }).id;
      saveEvidence(tx, { kind: 'document', title: 'Doc', sensitivity: 'public', areaReviewId: 'ar2' });
      saveFinding(tx, { subjectType: 'area review', subjectId: 'ar1', themeId: 'workforce', judgement: 'concern', text: 'a', evidenceIds: [e1] });
      saveFinding(tx, { subjectType: 'area review', subjectId: 'ar1', themeId: 'step-down', judgement: 'concern', text: 'b' });
      saveFinding(tx, { subjectType: 'area review', subjectId: 'ar2', themeId: 'workforce', judgement: 'strength', text: 'c' });
      saveFinding(tx, { subjectType: 'national', themeId: 'workforce', judgement: 'concern', text: 'd', status: 'withdrawn' });
    });
    const engine = testFigureEngine(ws);
    const byTheme = engine.evaluate(draft({ measure: 'finding_count', filters: { judgement: 'concern' }, by: 'theme' }, 'table'), {});
    expect(byTheme.value).toBe(2);
    expect(byTheme.rows).toEqual([
      { theme: 'Step down and return home', count: 1 },
      { theme: 'Workforce', count: 1 },
    ]);
    expect(engine.evaluate(draft({ measure: 'finding_count', filters: { areaReview: 'Review 1', sensitivity: 'official-sensitive' } }), {}).value).toBe(1);
    expect(engine.evaluate(draft({ measure: 'evidence_count', filters: { sensitivity: ['official-sensitive', 'personal'] } }), {}).value).toBe(1);
    expect(engine.evaluate(draft({ measure: 'evidence_count', filters: { theme: 'Workforce' } }), {}).value).toBe(1);
    engine.dispose();
  });

  it('computes indicator value, spread and rank', async () => {
    const ws = await fixture(10, 1);
    await ws.write('ind', (tx) => {
      tx.run("INSERT INTO indicators(id, name, unit, polarity, source) VALUES ('dtoc', 'Delayed transfers', 'per 100,000 aged 65+', 'lower is better', 'NHS England'), ('unmet', 'Older people with unmet needs', 'count', 'neutral', 'Age UK')");
      tx.run("INSERT INTO indicator_values(indicator_id, area_code, period, value, updated_at) VALUES ('dtoc', 'LA00', '2017/18', 10, 'x'), ('dtoc', 'LA10', '2017/18', 40, 'x'), ('dtoc', 'LA20', '2017/18', 20, 'x'), ('dtoc', 'LA30', '2017/18', 30, 'x'), ('unmet', 'E92000001', '2017/18', 1200000, 'x')");
    });
    const engine = testFigureEngine(ws);
    const v = engine.evaluate({ kind: 'value', spec: { measure: 'indicator_value', indicator: 'unmet', period: '$period' }, sql: null, format: { style: 'compact' } }, { period: '2017/18' });
    expect(v.formatted).toBe('1.2 million');
    const s = engine.evaluate(draft({ measure: 'indicator_spread', indicator: 'dtoc', period: '2017/18' }), {});
    expect(s.value).toBe(4);
    expect(s.parts).toMatchObject({ min: 10, max: 40, median: 25, best: 'North East authority 1', worst: 'North West authority 1' });
    const r = engine.evaluate(draft({ measure: 'indicator_rank', indicator: 'dtoc', period: '2017/18', area: 'LA30' }), {});
    expect(r.value).toBe(3);
    expect(r.formatted).toBe('3rd of 4');
    // A wrong id says which indicators there are, so the writer can pick one.
    expect(engine.evaluate(draft({ measure: 'indicator_value', indicator: 'dtco', period: '2017/18' }), {}).error).toMatch(/"dtco" is not an indicator in this workspace \(its indicators are dtoc, unmet\)/);
    engine.dispose();
  });
});
