import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../../../electron/services/sqljs';
import { importIntoWorkspace } from '../../../../electron/services/import/index';
import { NATIONAL, OLDHAM } from '../../../../electron/services/import/test-helpers';
import { testFigureEngine } from '../../../../electron/services/testing/figure-engine';
import { Workspace } from '../../../store/workspace';
import { seedReference } from '../../../store/reference';
import { generateDemoData } from '../../../demo/data';
import { FigureSpecError, parseSpec, resolveSpec } from '../../spec';
import type { FigureDef, FigureFormat, FigureResult } from '../../types';

/**
 * rating_movement ("the tipping point") against counts made without the engine: straight from CQC's two real files
 * (csv-parse), and with plain SQL of a different shape on the demonstration data.
 */

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const draft = (spec: Record<string, unknown>, kind: FigureDef['kind'] = 'value', format: FigureFormat = {}) => ({ kind, spec, sql: null, format });
const ORDER = ['Inadequate', 'Requires improvement', 'Good', 'Outstanding'];

/** improved / held / deteriorated from (then, now) pairs, on CQC's four-point order, written here, not taken from the scale table. */
function tally(pairs: [string, string][]) {
  const out = { improved: 0, held: 0, deteriorated: 0 };
  for (const [a, b] of pairs) {
    const d = ORDER.indexOf(b) - ORDER.indexOf(a);
    if (d > 0) out.improved++;
    else if (d < 0) out.deteriorated++;
    else out.held++;
  }
  return out;
}

function transitionTotal(r: FigureResult): number {
  const labels = (r.columns ?? []).filter((c) => c.role === 'measure').map((c) => c.key);
  let sum = 0;
  for (const row of r.rows ?? []) {
    const cells = labels.reduce((a, k) => a + Number(row[k] ?? 0), 0);
    expect(row.rated).toBe(cells);
    sum += cells;
  }
  return sum;
}

const haveFiles = existsSync(NATIONAL) && existsSync(OLDHAM);

describe.skipIf(!haveFiles)('rating_movement on CQC’s real files (national February 2021, then Oldham March 2025)', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = Workspace.create(SQL);
    await ws.write('seed', (tx) => seedReference(tx), { unjournaled: true });
    expect((await importIntoWorkspace(ws, 'cqc-ratings', NATIONAL, { by: 'test', edition: 'February 2021' })).ok).toBe(true);
    expect((await importIntoWorkspace(ws, 'cqc-ratings', OLDHAM, { by: 'test' })).ok).toBe(true);
  }, 120_000);

  /**
   * The independent count, from the two CSV files alone: each location's Overall/Overall ratings from both files (a
   * rating is its publication date and label); its latest on or before each date; adult social care in Oldham by its
   * details in the newest file that lists it; both ratings on the four-point scale; on the register on a date unless
   * (i) the Oldham file says "Deregistered" and the date is on or after that file's extract date, or (ii) no file whose
   * extract date is on or before the date lists it, once the date is one some file answers (a latest ratings file lists
   * every rated location on the register at its extract date). A file's extract date is its latest publication date.
   */
  function independentOldham(from: string, to: string) {
    type Rec = Record<string, string>;
    const read = (p: string) => parse(readFileSync(p), { columns: true, bom: true, skip_empty_lines: true }) as Rec[];
    const iso = (d: string) => (d.includes('/') ? d.split('/').reverse().join('-') : d);
    const overall = (r: Rec) => r['Service / Population Group'] === 'Overall' && r['Domain'] === 'Overall';
    const nat = read(NATIONAL).filter(overall);
    const old = read(OLDHAM).filter(overall);
    const ratings = new Map<string, Map<string, string>>();
    const details = new Map<string, { type: string; la: string; status: string | null }>();
    for (const [rows, isOldham] of [
      [nat, false],
      [old, true],
    ] as const) {
      for (const r of rows) {
        const id = r['Location ID']!;
        details.set(id, { type: r['Location Type']!, la: r['Location Local Authority']!, status: isOldham ? r['Registration Status']! : (details.get(id)?.status ?? null) });
        const date = iso(r['Publication Date'] ?? '');
        if (!date || !r['Latest Rating']) continue;
        const m = ratings.get(id) ?? new Map<string, string>();
        m.set(date, r['Latest Rating']!);
        ratings.set(id, m);
      }
    }
    const extractOf = (rows: Rec[]) => rows.map((r) => iso(r['Publication Date'] ?? '')).filter(Boolean).sort().at(-1)!;
    const natExtract = extractOf(nat);
    const extract = extractOf(old);
    const inNat = new Set(nat.map((r) => r['Location ID']!));
    const inOld = new Set(old.map((r) => r['Location ID']!));
    const listedBy = (id: string, d: string) => (inNat.has(id) && natExtract <= d) || (inOld.has(id) && extract <= d);
    const registeredOn = (id: string, d: string) => !(details.get(id)!.status === 'Deregistered' && d >= extract) && !(d >= natExtract && !listedBy(id, d));
    const latest = (m: Map<string, string>, d: string) => {
      const dates = [...m.keys()].filter((x) => x <= d).sort();
      return dates.length ? m.get(dates[dates.length - 1]!)! : undefined;
    };
    const pairs: [string, string][] = [];
    let offScale = 0;
    let notRegistered = 0;
    for (const [id, m] of ratings) {
      const d = details.get(id)!;
      if (d.type !== 'Social Care Org' || d.la !== 'Oldham') continue;
      const a = latest(m, from);
      const b = latest(m, to);
      if (a === undefined || b === undefined) continue;
      if (!ORDER.includes(a) || !ORDER.includes(b)) offScale++;
      else if (!registeredOn(id, from) || !registeredOn(id, to)) notRegistered++;
      else pairs.push([a, b]);
    }
    return { ...tally(pairs), rated: pairs.length, offScale, notRegistered, pairs };
  }

  it('counts Oldham adult social care improved / held / deteriorated between 1 March 2021 and 31 March 2025 as the CSV files do', () => {
    const engine = testFigureEngine(ws);
    const t0 = performance.now();
    const r = engine.evaluate(draft({ measure: 'rating_movement', from: '$previousAsAt', to: '$asAt', filters: { sector: 'asc', localAuthority: 'Oldham' } }, 'table'), {
      previousAsAt: '2021-03-01',
      asAt: '2025-03-31',
    });
    const ms = performance.now() - t0;
    const want = independentOldham('2021-03-01', '2025-03-31');
    console.log(
      `Oldham adult social care, 1 March 2021 to 31 March 2025: engine improved ${r.parts?.improved} held ${r.parts?.held} deteriorated ${r.parts?.deteriorated} (rated at both ${r.parts?.rated}); ` +
        `from the CSV files improved ${want.improved} held ${want.held} deteriorated ${want.deteriorated} (rated at both ${want.rated}); ` +
        `left out: off the scale ${r.parts?.excludedOffScale} (CSV ${want.offScale}), not registered ${r.parts?.excludedNotRegistered} (CSV ${want.notRegistered}); ${ms.toFixed(0)} ms`,
    );
    expect(r.error).toBeUndefined();
    expect(want.rated).toBeGreaterThan(20);
    expect({ improved: r.parts?.improved, held: r.parts?.held, deteriorated: r.parts?.deteriorated, rated: r.parts?.rated }).toEqual({
      improved: want.improved,
      held: want.held,
      deteriorated: want.deteriorated,
      rated: want.rated,
    });
    expect(r.parts?.excludedNotRegistered).toBe(want.notRegistered);
    expect(r.parts?.excludedOffScale).toBe(want.offScale);
    // The full transition table: every (then, now) pair the files give, and its totals are the rated at both.
    const byPair = new Map<string, number>();
    for (const [a, b] of want.pairs) byPair.set(`${a}|${b}`, (byPair.get(`${a}|${b}`) ?? 0) + 1);
    for (const row of r.rows ?? []) for (const now of ORDER) expect(row[now], `${row.then} then, ${now} now`).toBe(byPair.get(`${row.then}|${now}`) ?? 0);
    expect(transitionTotal(r)).toBe(want.rated);
    expect(r.value).toBe(want.improved - want.deteriorated);
    expect(r.provenance.excluded?.find((e) => /off the 4-point scale/.test(e.reason))?.count).toBe(want.offScale);
    expect(r.provenance.tables).toContain('ratings');
    engine.dispose();
  });

  it('counts every location rated at both when asked, and gives England by local authority with Oldham’s row equal to Oldham’s figure', () => {
    const engine = testFigureEngine(ws);
    const params = { previousAsAt: '2021-03-01', asAt: '2025-03-31' };
    const all = engine.evaluate(draft({ measure: 'rating_movement', from: '$previousAsAt', to: '$asAt', registered: 'all', filters: { sector: 'asc', localAuthority: 'Oldham' } }), params);
    const want = independentOldham('2021-03-01', '2025-03-31');
    expect(all.parts?.rated).toBe(want.rated + want.notRegistered);
    const t0 = performance.now();
    const byLa = engine.evaluate(draft({ measure: 'rating_movement', from: '$previousAsAt', to: '$asAt', filters: { sector: 'asc' }, by: 'localAuthority' }, 'chart', { decimals: 1 }), params);
    const ms = performance.now() - t0;
    expect(byLa.error).toBeUndefined();
    expect(byLa.rows!.length).toBeGreaterThan(140);
    // Rows run from the most improving area to the most deteriorating.
    const nets = byLa.rows!.map((x) => ((x.improved as number) - (x.deteriorated as number)) / (x.rated as number));
    for (let i = 1; i < nets.length; i++) expect(nets[i]!).toBeLessThanOrEqual(nets[i - 1]! + 1e-12);
    const oldhamOnly = engine.evaluate(draft({ measure: 'rating_movement', from: '$previousAsAt', to: '$asAt', filters: { sector: 'asc', localAuthority: 'Oldham' } }), params);
    const row = byLa.rows!.find((x) => x.localAuthority === 'Oldham')!;
    expect([row.improved, row.held, row.deteriorated]).toEqual([oldhamOnly.parts?.improved, oldhamOnly.parts?.held, oldhamOnly.parts?.deteriorated]);
    // Only Oldham has ratings after the national file: every other area's latest rating is the same one at both dates.
    for (const x of byLa.rows!) if (x.localAuthority !== 'Oldham') expect([x.localAuthority, x.improved, x.deteriorated]).toEqual([x.localAuthority, 0, 0]);
    const sum = (k: string) => byLa.rows!.reduce((a, x) => a + (x[k] as number), 0);
    expect(sum('rated')).toBe(byLa.parts?.rated);
    expect(sum('held')).toBe(byLa.parts?.held);
    expect((byLa.parts?.groupsImproving as number) + (byLa.parts?.groupsDeteriorating as number) + (byLa.parts?.groupsLevel as number)).toBe(byLa.rows!.length);
    console.log(`England adult social care by local authority, 1 March 2021 to 31 March 2025 (national file then Oldham's): ${byLa.parts?.rated} rated at both in ${byLa.rows!.length} areas; ${ms.toFixed(0)} ms`);
    // A date the data cannot answer is marked: the national file knows only each location's rating as at January 2021.
    const early = engine.evaluate(draft({ measure: 'rating_movement', from: '2018-07-31', to: '2021-01-30', filters: { sector: 'asc' } }), {});
    expect(early.coverage?.ok).toBe(false);
    expect(early.coverage?.dates).toContain('2018-07-31');
    expect(early.provenance.notes?.join(' ')).toMatch(/outside what the data covers/);
    engine.dispose();
  });
});

describe('rating_movement on the demonstration data against plain SQL', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = Workspace.create(SQL, { now: '2018-10-01T09:00:00.000Z' });
    await ws.write('workspace.create', (tx) => seedReference(tx), { unjournaled: true, actor: 'test' });
    await generateDemoData(ws);
  }, 300_000);

  /** Latest rating per location as at :d, written with NOT EXISTS (the engine uses max() and a join). */
  const latest = (d: string) => `SELECT r.location_id, r.rating, r.published_on FROM ratings r
    WHERE r.key_question_id = :kq AND r.service_group = 'Overall' AND r.published_on <= ${d} AND NOT EXISTS (
      SELECT 1 FROM ratings r2 WHERE r2.location_id = r.location_id AND r2.service_group = 'Overall' AND r2.key_question_id = :kq
        AND r2.published_on <= ${d} AND r2.published_on > r.published_on)`;
  const rank = (alias: string) => `CASE ${alias}.rating WHEN 'Outstanding' THEN 4 WHEN 'Good' THEN 3 WHEN 'Requires improvement' THEN 2 WHEN 'Inadequate' THEN 1 END`;
  /** On the register on a date, from the demo's registration dates. */
  const onRegister = (d: string) => `(l.registered_on IS NULL OR l.registered_on <= ${d}) AND (l.deregistered_on IS NULL OR l.deregistered_on > ${d})`;

  it('two dates, by region: improved / held / deteriorated per region equal plain SQL, and the totals add up', () => {
    const engine = testFigureEngine(ws);
    const r = engine.evaluate(draft({ measure: 'rating_movement', keyQuestion: 'Safe', from: '$previousAsAt', to: '$asAt', filters: { sector: 'asc' }, by: 'region' }, 'chart'), {
      previousAsAt: '2017-07-31',
      asAt: '2018-07-31',
    });
    const want = ws.all<{ region: string; improved: number; held: number; deteriorated: number }>(
      `SELECT g.name AS region, sum(${rank('b')} > ${rank('a')}) AS improved, sum(${rank('b')} = ${rank('a')}) AS held, sum(${rank('b')} < ${rank('a')}) AS deteriorated
       FROM (${latest(':f')}) a JOIN (${latest(':t')}) b ON b.location_id = a.location_id
       JOIN locations l ON l.id = a.location_id JOIN regions g ON g.id = l.region_id
       WHERE l.sector_id = 'asc' AND ${rank('a')} IS NOT NULL AND ${rank('b')} IS NOT NULL AND ${onRegister(':f')} AND ${onRegister(':t')}
       GROUP BY g.name ORDER BY g.name`,
      { ':kq': 'safe', ':f': '2017-07-31', ':t': '2018-07-31' },
    );
    expect(r.error).toBeUndefined();
    expect(want.length).toBe(9);
    const got = [...(r.rows ?? [])].map((x) => ({ region: x.region, improved: x.improved, held: x.held, deteriorated: x.deteriorated })).sort((a, b) => String(a.region).localeCompare(String(b.region)));
    expect(got).toEqual([...want].sort((a, b) => a.region.localeCompare(b.region)));
    const improved = want.reduce((a, x) => a + x.improved, 0);
    const deteriorated = want.reduce((a, x) => a + x.deteriorated, 0);
    expect(r.parts?.improved).toBe(improved);
    expect(r.parts?.deteriorated).toBe(deteriorated);
    expect(r.value).toBe(improved - deteriorated);
    expect(improved).toBeGreaterThan(0);
    expect(deteriorated).toBeGreaterThan(0);
    // Net movement in points is the difference of the two shares as printed (whole percentages), row by row.
    for (const x of r.rows ?? []) {
      const pts = Math.round((x.improvedShare as number) * 100) - Math.round((x.deterioratedShare as number) * 100);
      expect(Math.round((x.netPoints as number) * 100)).toBe(pts);
    }
    engine.dispose();
  });

  it('on re-inspection: each latest rating against the previous one equals plain SQL, and the transition table adds up', () => {
    const engine = testFigureEngine(ws);
    const r = engine.evaluate(draft({ measure: 'rating_movement', compare: 'reinspection', from: '2017-07-31', to: '2018-07-31', filters: { sector: 'asc' } }, 'table'), {});
    const want = ws.get<{ improved: number; held: number; deteriorated: number; n: number }>(
      `WITH b AS (${latest(':t')}),
       p AS (SELECT b.location_id, b.rating AS now_rating, r.rating AS then_rating, r.published_on AS then_on FROM b JOIN ratings r
              ON r.location_id = b.location_id AND r.service_group = 'Overall' AND r.key_question_id = :kq AND r.published_on < b.published_on
              WHERE b.published_on > :f AND NOT EXISTS (SELECT 1 FROM ratings r3 WHERE r3.location_id = b.location_id AND r3.service_group = 'Overall'
                AND r3.key_question_id = :kq AND r3.published_on < b.published_on AND r3.published_on > r.published_on))
       SELECT sum(${rank('x2')} > ${rank('x1')}) AS improved, sum(${rank('x2')} = ${rank('x1')}) AS held, sum(${rank('x2')} < ${rank('x1')}) AS deteriorated, count(*) AS n
       FROM (SELECT location_id, then_rating AS rating, then_on FROM p) x1 JOIN (SELECT location_id, now_rating AS rating FROM p) x2 USING (location_id)
       JOIN locations l ON l.id = x1.location_id
       WHERE l.sector_id = 'asc' AND ${rank('x1')} IS NOT NULL AND ${rank('x2')} IS NOT NULL AND ${onRegister('x1.then_on')} AND ${onRegister(':t')}`,
      { ':kq': 'overall', ':f': '2017-07-31', ':t': '2018-07-31' },
    )!;
    expect(r.error).toBeUndefined();
    expect(want.n).toBeGreaterThan(100);
    expect([r.parts?.improved, r.parts?.held, r.parts?.deteriorated]).toEqual([want.improved, want.held, want.deteriorated]);
    expect(transitionTotal(r)).toBe(want.n);
    expect(r.parts?.rated).toBe(want.n);
    expect(r.parts?.notReinspected).toBe(0);
    engine.dispose();
  });

  it('suppresses small groups and small counts, and writes the net movement in words and points', () => {
    const engine = testFigureEngine(ws);
    const spec = { measure: 'rating_movement', from: '2017-07-31', to: '2018-07-31', filters: { sector: 'asc' }, by: 'localAuthority' };
    const r = engine.evaluate(draft(spec, 'table', { suppressBelow: 10 }), {});
    const hidden = (r.rows ?? []).filter((x) => x.rated === '[c]');
    const shown = (r.rows ?? []).filter((x) => x.rated !== '[c]');
    expect(hidden.length + shown.length).toBe(r.rows!.length);
    for (const x of shown) expect(x.rated as number).toBeGreaterThanOrEqual(10);
    expect(r.parts?.groupsSuppressed).toBe(hidden.length);
    // Suppressed rows come last, so their place in the order says nothing about their movement.
    expect(r.rows!.slice(shown.length).every((x) => x.rated === '[c]')).toBe(true);
    const whole = engine.evaluate(draft({ ...spec, by: undefined }, 'value', { style: 'points', decimals: 1 }), {});
    expect(whole.formatted).toMatch(/^\d+(\.\d)? percentage points?$/);
    expect(['more improved than deteriorated', 'more deteriorated than improved', 'as many improved as deteriorated']).toContain(whole.parts?.balance);
    const tiny = engine.evaluate(draft({ ...spec, by: undefined }, 'value', { suppressBelow: 1_000_000 }), {});
    expect(tiny.formatted).toBe('[c]');
    expect(tiny.parts?.improvedFormatted).toBe('[c]');
    expect(tiny.suppressed).toBe(true);
    engine.dispose();
  });

  it('names what is wrong with a spec, field by field', () => {
    const err = (s: Record<string, unknown>) => {
      try {
        parseSpec(s);
      } catch (e) {
        expect(e).toBeInstanceOf(FigureSpecError);
        return { message: (e as FigureSpecError).message, path: (e as FigureSpecError).path };
      }
      throw new Error('expected the spec to be refused');
    };
    expect(err({ measure: 'rating_movement', to: '2018-07-31' })).toEqual({ path: 'spec.from', message: expect.stringMatching(/^spec: from is required to compare two dates .*reinspection/) });
    expect(err({ measure: 'rating_movement', from: '2018-07-31', to: '2017-07-31' })).toEqual({ path: 'spec.to', message: 'spec: to must be later than from (2018-07-31); got 2017-07-31' });
    expect(err({ measure: 'rating_movement', from: '2017-07-31', to: '2018-07-31', by: 'rating' }).message).toMatch(/spec: by must be one of: region, localAuthority, .*careHome/);
    expect(err({ measure: 'rating_movement', from: '2017-07-31', to: '2018-07-31', keyQuestion: ['Safe', 'Caring'] })).toEqual({ path: 'spec.keyQuestion', message: expect.stringMatching(/one key question .* set by to "keyQuestion"/) });
    expect(err({ measure: 'rating_movement', compare: 'yearly', to: '2018-07-31' }).path).toBe('spec.compare');
    expect(err({ measure: 'rating_movement', from: '31/07/2017', to: '2018-07-31' }).message).toMatch(/from must be a date written yyyy-mm-dd/);
    expect(err({ measure: 'rating_movement', from: '2017-07-31', to: '2018-07-31', ratings: ['Good'] }).message).toMatch(/ratings/);
    // Parameters are checked once substituted.
    expect(() => resolveSpec(parseSpec({ measure: 'rating_movement', from: '$asAt', to: '$previousAsAt' }), { asAt: '2018-07-31', previousAsAt: '2017-07-31' })).toThrow(/to must be later than from/);
    expect(parseSpec({ measure: 'rating_movement', compare: 'reinspection', to: '$asAt' })).toMatchObject({ compare: 'reinspection' });
    // Names are checked against the workspace.
    const engine = testFigureEngine(ws);
    const r = engine.evaluate(draft({ measure: 'rating_movement', from: '2017-07-31', to: '2018-07-31', filters: { localAuthority: 'Atlantis' } }), {});
    expect(r.error).toMatch(/spec\.filters\.localAuthority: "Atlantis" is not a local authority/);
    expect(r.errorPath).toBe('spec.filters.localAuthority');
    engine.dispose();
  });
});
