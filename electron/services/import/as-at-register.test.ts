import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceFile } from '../workspace-file';
import { tempDir } from '../testing/fixtures';
import { testFigureEngine } from '../testing/figure-engine';
import { importFile, type ImportOutcome } from './index';
import { isoOf, NATIONAL, OLDHAM, readSimpleCsv } from './test-helpers';
import type { FigureEngine } from '../../../shared/figures/engine';
import type { FigureResult } from '../../../shared/figures/types';
import type { Workspace } from '../../../shared/store/workspace';
import { registeredLocationsViewSql } from '../../../shared/store/rating-index';
import { importKindsOf } from '../../../shared/store/imports';
import { resultJson } from '../../cli/commands/figure';
import { figureService } from '../../../shared/figures/service';
import { reviewReport } from '../../../shared/review/report';
import { lxFigure, lxParagraph, lxText, setContent } from '../../../shared/review/testing/fixtures';
import { saveFigure } from '../../../shared/figures/library';
import { figureRows } from '../../../shared/figures/drill';

/**
 * "As at" means the register on that date (issue 14), on CQC's real files. Every expected count is computed here from
 * the CSV with the tests' own reader (or plain SQL over the workspace), never through the figure engine.
 */

const HAVE = existsSync(NATIONAL) && existsSync(OLDHAM);
const ON_SCALE = new Set(['Outstanding', 'Good', 'Requires improvement', 'Inadequate']);
const GOOD = new Set(['Outstanding', 'Good']);
const DOMAINS = ['Overall', 'Safe', 'Effective', 'Caring', 'Responsive', 'Well-led'];
const MARCH_2021 = '2021-03-01';
const MARCH_2025 = '2025-03-31';

function ok(o: ImportOutcome): void {
  if (!o.ok) throw new Error(`import failed: ${JSON.stringify(o.problems.slice(0, 5))}`);
}

type Row = Record<string, string>;
interface Latest {
  date: string;
  rating: string;
  row: Row;
}

/** Latest row per location for one domain (service group Overall) on or before a date, straight from CSV rows. */
function latestByLocation(rows: readonly Row[], domain: string, asAt: string): Map<string, Latest> {
  const out = new Map<string, Latest>();
  for (const r of rows) {
    if (r['Service / Population Group'] !== 'Overall' || r.Domain !== domain || !r['Publication Date'] || !r['Latest Rating']) continue;
    const date = isoOf(r['Publication Date']!);
    if (date > asAt) continue;
    const prev = out.get(r['Location ID']!);
    if (!prev || date > prev.date) out.set(r['Location ID']!, { date, rating: r['Latest Rating']!, row: r });
  }
  return out;
}

/** Good or outstanding, of those rated on the four-point scale. */
function tally(latest: Iterable<Latest>): { num: number; den: number } {
  let num = 0;
  let den = 0;
  for (const l of latest) {
    if (!ON_SCALE.has(l.rating)) continue;
    den++;
    if (GOOD.has(l.rating)) num++;
  }
  return { num, den };
}

const isAsc = (r: Row) => r['Location Type'] === 'Social Care Org';
const inOldham = (r: Row) => r['Location Local Authority'] === 'Oldham';

function shareSpec(domain: string, asAt: string | undefined, extra: Record<string, unknown> = {}, filters: Record<string, unknown> = { sector: 'asc', localAuthority: 'Oldham' }) {
  return { measure: 'rating_share', ratings: ['Good', 'Outstanding'], keyQuestion: domain, filters, ...(asAt ? { asAt } : {}), ...extra };
}

function share(engine: FigureEngine, spec: Record<string, unknown>): FigureResult {
  const r = engine.evaluate({ kind: 'value', spec, sql: null, format: { style: 'percent' } }, {});
  if (r.error) throw new Error(r.error);
  return r;
}

/** numerator/denominator of a share, from the engine on both paths (the rating index and its SQL equivalent), which must agree. */
function both(engines: { index: FigureEngine; sql: FigureEngine }, spec: Record<string, unknown>): { num: number; den: number } {
  const a = share(engines.index, spec);
  const b = share(engines.sql, spec);
  expect({ num: b.numerator, den: b.denominator }).toEqual({ num: a.numerator, den: a.denominator });
  return { num: a.numerator!, den: a.denominator! };
}

function enginesFor(ws: Workspace) {
  return { index: testFigureEngine(ws), sql: testFigureEngine(ws, { useIndex: false }) };
}

const national = HAVE ? readSimpleCsv(NATIONAL) : [];
const oldham = HAVE ? readSimpleCsv(OLDHAM) : [];

/** What the 2021 file alone says as at 1 March 2021 (it has no registration column: every location in it was listed then). */
function nationalAlone(filter: (r: Row) => boolean) {
  return tally([...latestByLocation(national, 'Overall', MARCH_2021).values()].filter((l) => filter(l.row)));
}

/** Figures of one workspace, for comparing import orders. */
function snapshot(engines: { index: FigureEngine; sql: FigureEngine }) {
  return {
    oldham2021: both(engines, shareSpec('Overall', MARCH_2021)),
    oldham2025: both(engines, shareSpec('Overall', MARCH_2025)),
    england2021: both(engines, shareSpec('Overall', MARCH_2021, {}, { sector: 'asc' })),
    oldhamSafe2025: both(engines, shareSpec('Safe', MARCH_2025)),
    oldhamByLa2021: share(engines.index, { ...shareSpec('Overall', MARCH_2021), by: 'region' }).rows,
  };
}

let nationalThenOldham: ReturnType<typeof snapshot> | undefined;

describe.skipIf(!HAVE)('as at means the register on that date: the Oldham 2025 file alone', () => {
  const dir = tempDir('assay-register-oldham-');
  let wf: WorkspaceFile;
  let engines: ReturnType<typeof enginesFor>;

  beforeAll(async () => {
    wf = await WorkspaceFile.create(join(dir, 'oldham.assay'));
    ok(await importFile(wf, 'cqc-ratings', OLDHAM, { by: 'test' }));
    engines = enginesFor(wf.workspace);
  }, 120_000);
  afterAll(async () => {
    engines.index.dispose();
    engines.sql.dispose();
    await wf.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts only registered adult social care locations per key question by default, as the CSV does', () => {
    for (const domain of DOMAINS) {
      const latest = [...latestByLocation(oldham, domain, '9999-12-31').values()].filter((l) => isAsc(l.row));
      const registered = tally(latest.filter((l) => l.row['Registration Status'] === 'Registered'));
      const all = tally(latest);
      expect(both(engines, shareSpec(domain, undefined)), domain).toEqual(registered);
      expect(both(engines, shareSpec(domain, undefined, { registered: 'on-date' })), domain).toEqual(registered);
      expect(both(engines, shareSpec(domain, undefined, { registered: 'all' })), domain).toEqual(all);
    }
  });

  it('gives the issue’s figures: overall 61 of 72 registered against 88 of 113 ever rated, safe 59 of 72 against 84 of 113', () => {
    expect(both(engines, shareSpec('Overall', undefined))).toEqual({ num: 61, den: 72 });
    expect(both(engines, shareSpec('Overall', undefined, { registered: 'all' }))).toEqual({ num: 88, den: 113 });
    expect(both(engines, shareSpec('Safe', undefined))).toEqual({ num: 59, den: 72 });
    expect(both(engines, shareSpec('Safe', undefined, { registered: 'all' }))).toEqual({ num: 84, den: 113 });
  });

  it('says in provenance which locations it counted', () => {
    expect(share(engines.index, shareSpec('Overall', MARCH_2025)).provenance.notes).toContain('counting locations registered on 31 March 2025');
    expect(share(engines.index, shareSpec('Overall', MARCH_2025, { registered: 'all' })).provenance.notes).toContain('counting every location ever rated, registered or not');
  });

  it('refuses a registered option other than on-date or all, naming the field', () => {
    const r = engines.index.evaluate({ kind: 'value', spec: shareSpec('Overall', MARCH_2025, { registered: 'current' }), sql: null, format: {} }, {});
    expect(r.error).toMatch(/registered/);
    expect(r.errorPath).toBe('spec.registered');
  });

  it('offers SQL figures a registered_locations view that applies the same rule', async () => {
    const sql = `WITH latest AS (
        SELECT r.location_id, r.rating, row_number() OVER (PARTITION BY r.location_id ORDER BY r.published_on DESC) AS k
        FROM ratings r WHERE r.key_question_id = 'overall' AND r.service_group = 'Overall' AND r.published_on <= :asAt)
      SELECT sum(rating IN ('Good', 'Outstanding')) AS num, count(*) AS den
      FROM latest JOIN locations l ON l.id = latest.location_id
      JOIN registered_locations rl ON rl.location_id = l.id AND rl.registered_from <= :asAt AND (rl.registered_until IS NULL OR :asAt < rl.registered_until)
      WHERE k = 1 AND l.sector_id = 'asc' AND latest.rating IN ('Outstanding', 'Good', 'Requires improvement', 'Inadequate')`;
    const r = await engines.index.settle(() => engines.index.evaluate({ kind: 'table', spec: null, sql, format: {} }, { asAt: MARCH_2025 }));
    expect(r.error).toBeUndefined();
    const registered = tally([...latestByLocation(oldham, 'Overall', MARCH_2025).values()].filter((l) => isAsc(l.row) && l.row['Registration Status'] === 'Registered'));
    expect(r.rows?.[0]).toMatchObject({ num: registered.num, den: registered.den });
    // The view's definition, run on the workspace itself, gives each location at most one period containing a date.
    wf.workspace.db.run(registeredLocationsViewSql(importKindsOf('locations')));
    for (const d of ['2010-01-01', MARCH_2021, MARCH_2025, '9999-12-31']) {
      const most = wf.workspace.value<number>(
        'SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM registered_locations WHERE registered_from <= ? AND (registered_until IS NULL OR ? < registered_until) GROUP BY location_id)',
        [d, d],
      );
      expect(most, d).toBeLessThanOrEqual(1);
    }
  });
});

describe.skipIf(!HAVE)('importing the 2021 national file, then the Oldham 2025 file', () => {
  const dir = tempDir('assay-register-n-then-o-');
  let wf: WorkspaceFile;
  let engines: ReturnType<typeof enginesFor>;
  let alone: { oldham2021: { num: number; den: number }; england2021: { num: number; den: number } };

  beforeAll(async () => {
    wf = await WorkspaceFile.create(join(dir, 'both.assay'));
    ok(await importFile(wf, 'cqc-ratings', NATIONAL, { by: 'test', edition: 'February 2021' }));
    engines = enginesFor(wf.workspace);
    alone = { oldham2021: both(engines, shareSpec('Overall', MARCH_2021)), england2021: both(engines, shareSpec('Overall', MARCH_2021, {}, { sector: 'asc' })) };
  }, 300_000);
  afterAll(async () => {
    engines.index.dispose();
    engines.sql.dispose();
    await wf.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('over the 2021 file alone, gives what the file says for 1 March 2021 (Oldham 59 of 70)', () => {
    expect(alone.oldham2021).toEqual(nationalAlone((r) => isAsc(r) && inOldham(r)));
    expect(alone.oldham2021).toEqual({ num: 59, den: 70 });
    expect(alone.england2021).toEqual(nationalAlone(isAsc));
  });

  it('flags "as at 31 July 2018" over the 2021 file as outside what the data covers, in the result and its JSON', () => {
    const r = share(engines.index, shareSpec('Overall', '2018-07-31', {}, { sector: 'asc' }));
    expect(r.coverage?.ok).toBe(false);
    expect(r.coverage?.dates).toEqual(['2018-07-31']);
    expect(r.coverage?.message).toMatch(/^As at 31 July 2018 is outside what the data covers: .*the CQC latest ratings file of 30 January 2021, which answers dates from 30 January 2021/);
    expect(resultJson(r).coverage).toEqual(r.coverage);
    expect(r.provenance.notes).toContain(r.coverage!.message);
    // A date the file answers carries no flag.
    expect(share(engines.index, shareSpec('Overall', MARCH_2021)).coverage).toBeUndefined();
  });

  it('makes a report quoting that figure fail `check` with a figure-outside-coverage blocker', async () => {
    const ws = wf.workspace;
    await ws.write('test report', (tx) => {
      const t = tx.at;
      tx.run("INSERT INTO figures(id, slug, name, kind, spec, format, created_at, updated_at) VALUES ('fig-asc', 'asc-good', 'Adult social care rated good or outstanding', 'value', ?, ?, ?, ?)", [
        JSON.stringify(shareSpec('Overall', '$asAt', {}, { sector: 'asc' })),
        JSON.stringify({ style: 'percent' }),
        t,
        t,
      ]);
      tx.run("INSERT INTO reports(id, slug, title, params, created_at, updated_at) VALUES ('rep-2018', 'soc-2018', 'State of Care 2017/18', ?, ?, ?)", [JSON.stringify({ asAt: '2018-07-31' }), t, t]);
      tx.run("INSERT INTO sections(id, report_id, position, title, content, updated_at) VALUES ('sec-2018', 'rep-2018', 1, 'Adult social care', '{}', ?)", [t]);
    });
    await setContent(ws, 'sec-2018', [lxParagraph([lxText('At 31 July 2018, '), lxFigure('fig-asc'), lxText(' of adult social care services were rated good or outstanding.')])]);
    const figures = figureService(ws);
    const review = await figures.settle(() => reviewReport(ws, figures, 'rep-2018', { audience: 'internal' }));
    const outside = review.problems.filter((p) => p.code === 'figure-outside-coverage');
    expect(outside).toHaveLength(1);
    expect(outside[0]).toMatchObject({ severity: 'blocking', figureId: 'fig-asc' });
    expect(outside[0]!.message).toContain('30 January 2021');
    expect(review.blocking).toBeGreaterThan(0);
  });

  it('after the Oldham 2025 file, keeps 1 March 2021 at what the 2021 file gave and counts 2025 by the register (63 of 74)', async () => {
    ok(await importFile(wf, 'cqc-ratings', OLDHAM, { by: 'test' }));
    const now = snapshot(engines);
    expect(now.oldham2021).toEqual(alone.oldham2021);
    expect(now.england2021).toEqual(alone.england2021);
    expect(now.england2021).toEqual({ num: 19_500, den: 23_075 });
    // Without the register, locations deregistered before 2021 bring their old ratings back (the 80 of 98).
    expect(both(engines, shareSpec('Overall', MARCH_2021, { registered: 'all' }))).toEqual({ num: 80, den: 98 });
    // 2025: the Oldham file's registered locations, and those of the 2021 file it does not list (nothing says they left).
    const listed2025 = new Set(oldham.map((r) => r['Location ID']));
    const from2025 = [...latestByLocation(oldham, 'Overall', MARCH_2025).values()].filter((l) => isAsc(l.row) && l.row['Registration Status'] === 'Registered');
    const onlyIn2021 = [...latestByLocation(national, 'Overall', MARCH_2025).values()].filter((l) => isAsc(l.row) && inOldham(l.row) && !listed2025.has(l.row['Location ID']!));
    expect(now.oldham2025).toEqual(tally([...from2025, ...onlyIn2021]));
    expect(now.oldham2025).toEqual({ num: 63, den: 74 });
    nationalThenOldham = now;
  }, 120_000);

  it('lists each location under its details as at the date: 2021 names as at 1 March 2021, the 2025 file’s as at 31 March 2025', async () => {
    const f = await saveFigure(
      wf.workspace,
      { slug: 'oldham-asc', name: 'Oldham adult social care rated good or outstanding', kind: 'value', spec: shareSpec('Overall', '$asAt'), format: {} } as never,
      'test',
    );
    const names2021 = new Map(national.map((r) => [r['Location ID']!, r['Location Name']!]));
    const names2025 = new Map(oldham.map((r) => [r['Location ID']!, r['Location Name']!]));
    const then = figureRows(wf.workspace, { figureId: f.id }, { asAt: MARCH_2021 });
    const now = figureRows(wf.workspace, { figureId: f.id }, { asAt: MARCH_2025 });
    expect({ num: then.numerator, den: then.denominator }).toEqual(alone.oldham2021);
    for (const row of then.rows) expect(row[1], String(row[0])).toBe(names2021.get(String(row[0])));
    for (const row of now.rows) expect(row[1], String(row[0])).toBe(names2025.get(String(row[0])) ?? names2021.get(String(row[0])));
    // Renamed between the files and counted at both dates: the change is seen, not just assumed.
    const renamed = then.rows.filter((r) => now.rows.some((x) => x[0] === r[0] && x[1] !== r[1]));
    expect(renamed.map((r) => r[0]).sort()).toEqual(
      [...names2025].filter(([id, name]) => names2021.has(id) && names2021.get(id) !== name && then.rows.some((r) => r[0] === id) && now.rows.some((r) => r[0] === id)).map(([id]) => id).sort(),
    );
    expect(renamed.length).toBeGreaterThan(0);
  }, 60_000);
});

describe.skipIf(!HAVE)('importing the Oldham 2025 file, then the 2021 national file', () => {
  const dir = tempDir('assay-register-o-then-n-');
  let wf: WorkspaceFile;
  let engines: ReturnType<typeof enginesFor>;

  beforeAll(async () => {
    wf = await WorkspaceFile.create(join(dir, 'both.assay'));
    ok(await importFile(wf, 'cqc-ratings', OLDHAM, { by: 'test' }));
    ok(await importFile(wf, 'cqc-ratings', NATIONAL, { by: 'test', edition: 'February 2021' }));
    engines = enginesFor(wf.workspace);
  }, 300_000);
  afterAll(async () => {
    engines.index.dispose();
    engines.sql.dispose();
    await wf.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same figures for both dates as the other order', () => {
    const now = snapshot(engines);
    expect(now.oldham2021).toEqual({ num: 59, den: 70 });
    expect(now.oldham2021).toEqual(nationalAlone((r) => isAsc(r) && inOldham(r)));
    expect(now.england2021).toEqual(nationalAlone(isAsc));
    expect(now.oldham2025).toEqual({ num: 63, den: 74 });
    if (nationalThenOldham) expect(now).toEqual(nationalThenOldham);
  });
});
