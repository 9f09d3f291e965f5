import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { WorkspaceFile } from '../workspace-file';
import { dumpWorkspace, tempDir } from '../testing/fixtures';
import { TABLES } from '../../../shared/store/schema';
import { workspaceInfo } from '../../../shared/store/info';
import type { Workspace } from '../../../shared/store/workspace';
import { importFile, type ImportOutcome, type ImportSuccess } from './index';
import { isoOf, NATIONAL, OLDHAM, readSimpleCsv } from './test-helpers';
import { testFigureEngine } from '../testing/figure-engine';

/** CQC's location types by sector, written out here again so the test does not lean on the importer's own table. */
const SECTOR_OF_TYPE: Record<string, string> = {
  'Social Care Org': 'asc',
  'Primary Medical Services': 'pms',
  'Primary Dental Care': 'pms',
  'NHS Healthcare Organisation': 'hosp',
  'Independent Healthcare Org': 'hosp',
  'Independent Ambulance': 'hosp',
};

const ON_SCALE = ['Outstanding', 'Good', 'Requires improvement', 'Inadequate'];

function ok(o: ImportOutcome): ImportSuccess {
  if (!o.ok) throw new Error(`import failed: ${JSON.stringify(o.problems.slice(0, 5))}`);
  return o;
}

/** Latest rating per location for one key question (service group Overall) as at a date, counted from the CSV. */
function latestFromCsv(rows: Record<string, string>[], domain: string, asAt: string, sectorOf: (r: Record<string, string>) => string) {
  const latest = new Map<string, { date: string; rating: string; sector: string }>();
  for (const r of rows) {
    if (r['Service / Population Group'] !== 'Overall' || r.Domain !== domain) continue;
    if (!r['Latest Rating'] || !r['Publication Date']) continue;
    const date = isoOf(r['Publication Date']!);
    if (date > asAt) continue;
    const prev = latest.get(r['Location ID']!);
    if (!prev || date > prev.date) latest.set(r['Location ID']!, { date, rating: r['Latest Rating']!, sector: sectorOf(r) });
  }
  return latest;
}

/** The same from the workspace, in SQL: the latest rating per location on or before the date. */
function latestFromWorkspace(ws: Workspace, kq: string, asAt: string) {
  return ws.all<{ sector_id: string; rating: string; n: number }>(
    `WITH latest AS (
       SELECT r.location_id, r.rating, ROW_NUMBER() OVER (PARTITION BY r.location_id ORDER BY r.published_on DESC) AS k
       FROM ratings r WHERE r.key_question_id = ? AND r.service_group = 'Overall' AND r.published_on <= ?)
     SELECT l.sector_id, latest.rating, count(*) AS n FROM latest JOIN locations l ON l.id = latest.location_id
     WHERE k = 1 GROUP BY 1, 2 ORDER BY 1, 2`,
    [kq, asAt],
  );
}

function shareGoodOrOutstanding(counts: { rating: string; n: number }[]): number {
  const on = counts.filter((c) => ON_SCALE.includes(c.rating));
  const good = on.filter((c) => c.rating === 'Good' || c.rating === 'Outstanding').reduce((s, c) => s + c.n, 0);
  return good / on.reduce((s, c) => s + c.n, 0);
}

function tableCounts(ws: Workspace): Record<string, number> {
  return Object.fromEntries(TABLES.map((t) => [t, Number(ws.value(`SELECT count(*) FROM "${t}"`))]));
}

describe('CQC national "Latest ratings" file', () => {
  const dir = tempDir('assay-import-national-');
  let wf: WorkspaceFile;
  let first: ImportSuccess;
  const csv = readSimpleCsv(NATIONAL);

  beforeAll(async () => {
    wf = await WorkspaceFile.create(join(dir, 'national.assay'));
    first = ok(await importFile(wf, 'cqc-ratings', NATIONAL, { by: 'test', edition: 'February 2021' }));
  });
  afterAll(async () => {
    await wf.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports every location, provider, authority and rating, and records the import', () => {
    const ws = wf.workspace;
    expect(first.rowsRead).toBe(csv.length);
    expect(ws.value('SELECT count(*) FROM locations')).toBe(new Set(csv.map((r) => r['Location ID'])).size);
    expect(ws.value('SELECT count(*) FROM providers')).toBe(new Set(csv.map((r) => r['Provider ID'])).size);
    expect(ws.value('SELECT count(*) FROM local_authorities')).toBe(151);
    // Every row but the conflicting pair (two rows, one key) becomes a rating.
    expect(ws.value('SELECT count(*) FROM ratings')).toBe(csv.length - 2);
    const imp = ws.get<Record<string, unknown>>('SELECT * FROM imports');
    expect(imp).toMatchObject({ kind: 'cqc-ratings', file_name: 'cqc_latest_ratings_overall_locations_england_2021.csv', edition: 'February 2021', rows: csv.length, imported_by: 'test' });
    expect(imp!.file_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(ws.value('SELECT count(*) FROM ratings WHERE import_id = ?', [imp!.id as string])).toBe(csv.length - 2);
    expect(ws.value("SELECT count(*) FROM audit_log WHERE action = 'import.cqc-ratings'")).toBe(1);
    // Local authority ids follow the slug rule; regions are matched to their ONS codes.
    expect(ws.get("SELECT id, region_id FROM local_authorities WHERE name = 'Newcastle upon Tyne'")).toEqual({ id: 'newcastle-upon-tyne', region_id: 'E12000001' });
    // The source's own type and care home flag are kept beside the sector.
    expect(ws.get("SELECT sector_id, location_type, category, care_home FROM locations WHERE id = '1-10000812939'")).toEqual({
      sector_id: 'asc',
      location_type: 'Social Care Org',
      category: 'Residential social care',
      care_home: 1,
    });
    expect(ws.value("SELECT count(*) FROM ratings WHERE rating = 'Insufficient evidence to rate'")).toBe(csv.filter((r) => r['Latest Rating'] === 'Insufficient evidence to rate').length);
  });

  it('saves the figure index with the import, so the file opens with it current', async () => {
    const saved = await WorkspaceFile.open(join(dir, 'national.assay'), { readOnly: true });
    try {
      expect(workspaceInfo(saved.workspace, { integrity: false }).derived).toEqual([expect.objectContaining({ name: 'rating-index', current: true })]);
      const spec = { kind: 'value' as const, spec: { measure: 'rating_share', ratings: ['Good', 'Outstanding'], keyQuestion: 'overall', asAt: '2021-02-01', filters: { sector: 'asc' } }, sql: null, format: {} };
      const viaIndex = testFigureEngine(saved.workspace);
      const viaSql = testFigureEngine(saved.workspace, { useIndex: false });
      expect(viaIndex.evaluate(spec, {}).value).toBe(viaSql.evaluate(spec, {}).value);
      expect(viaIndex.stats().indexSource).toBe('cache');
      viaIndex.dispose();
      viaSql.dispose();
    } finally {
      await saved.close();
    }
  });

  it('keeps both dated Overall ratings of the two locations listed twice, as history', () => {
    const ws = wf.workspace;
    expect(ws.all("SELECT published_on, rating, inherited FROM ratings WHERE location_id = 'RX601' AND service_group = 'Overall' AND key_question_id = 'overall' ORDER BY published_on")).toEqual([
      { published_on: '2016-11-01', rating: 'Good', inherited: 0 },
      { published_on: '2019-01-21', rating: 'Good', inherited: 0 },
    ]);
    expect(ws.value("SELECT count(*) FROM ratings WHERE location_id = '1-7453047569' AND service_group = 'Overall'")).toBe(2);
  });

  it('withholds the one key the file rates two ways, and says where', () => {
    expect(first.warnings).toHaveLength(1);
    expect(first.warnings[0]).toMatchObject({ code: 'duplicate-key', rows: [39114, 39115], column: 'Latest Rating' });
    expect(wf.workspace.value("SELECT count(*) FROM ratings WHERE location_id = '1-543895080' AND service_group = 'People with long term conditions'")).toBe(0);
    expect(JSON.parse(String(wf.workspace.value('SELECT notes FROM imports')))).toMatchObject({ withheld: [{ rows: [39114, 39115] }] });
  });

  it('counts locations by Overall rating and sector exactly as the CSV does', () => {
    const latest = latestFromCsv(csv, 'Overall', '2021-02-01', (r) => SECTOR_OF_TYPE[r['Location Type']!]!);
    const expected = new Map<string, number>();
    for (const v of latest.values()) expected.set(`${v.sector}|${v.rating}`, (expected.get(`${v.sector}|${v.rating}`) ?? 0) + 1);
    const got = new Map(latestFromWorkspace(wf.workspace, 'overall', '2021-02-01').map((r) => [`${r.sector_id}|${r.rating}`, r.n]));
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
    // Every location with an Overall rating in the file is counted once (seven have only population group ratings).
    expect([...got.values()].reduce((a, b) => a + b, 0)).toBe(latest.size);
    expect(latest.size).toBeGreaterThan(31900);
  });

  it('gives the share of adult social care rated good or outstanding overall that the CSV gives', () => {
    const latest = [...latestFromCsv(csv, 'Overall', '2021-02-01', (r) => SECTOR_OF_TYPE[r['Location Type']!]!).values()].filter((v) => v.sector === 'asc');
    const on = latest.filter((v) => ON_SCALE.includes(v.rating));
    const expected = on.filter((v) => v.rating === 'Good' || v.rating === 'Outstanding').length / on.length;
    const got = shareGoodOrOutstanding(latestFromWorkspace(wf.workspace, 'overall', '2021-02-01').filter((r) => r.sector_id === 'asc'));
    expect(got).toBe(expected);
    // A sanity anchor against the published picture (State of Care: around four in five).
    expect(got).toBeGreaterThan(0.8);
    expect(got).toBeLessThan(0.9);
    // And through the figure engine, as a report would quote it.
    const figure = testFigureEngine(wf.workspace).evaluate(
      { kind: 'value', spec: { measure: 'rating_share', keyQuestion: 'Overall', ratings: ['Outstanding', 'Good'], filters: { sector: 'Adult social care' }, asAt: '2021-02-01' }, sql: null, format: {} },
      {},
    );
    expect(figure.value).toBeCloseTo(expected, 12);
    expect(figure.denominator).toBe(on.length);
  });

  it('leaves every table exactly as it was when the same file is imported again', async () => {
    const counts = tableCounts(wf.workspace);
    const dump = dumpWorkspace(wf.workspace, { skip: ['meta'] });
    const again = ok(await importFile(wf, 'cqc-ratings', NATIONAL, { by: 'test' }));
    expect(again.import).toBeNull();
    expect(again.tables.ratings).toEqual({ added: 0, updated: 0, unchanged: csv.length - 2 });
    expect(again.tables.locations).toEqual({ added: 0, updated: 0, unchanged: 31966 });
    expect(tableCounts(wf.workspace)).toEqual(counts);
    expect(dumpWorkspace(wf.workspace, { skip: ['meta'] })).toBe(dump);
  });

  it('adds history when a later edition is imported, and corrects a rating republished under the same date', async () => {
    const lines = readFileSync(NATIONAL, 'utf8').split('\n');
    const header = lines[0]!;
    const rx = lines.find((l) => l.startsWith('RX601,') && l.includes('21/01/2019'))!;
    const tenter = lines.find((l) => l.startsWith('1-10000792582,'))!;
    const later = join(dir, 'later.csv');
    writeFileSync(
      later,
      [header, rx.replace('21/01/2019', '15/03/2021').replace(',Good,', ',Outstanding,'), tenter.replace(',Requires improvement,', ',Good,')].join('\n') + '\n',
    );
    const before = Number(wf.workspace.value('SELECT count(*) FROM ratings'));
    const o = ok(await importFile(wf, 'cqc-ratings', later, { by: 'test', edition: 'March 2021' }));
    expect(o.tables.ratings).toEqual({ added: 1, updated: 1, unchanged: 0 });
    expect(wf.workspace.value('SELECT count(*) FROM ratings')).toBe(before + 1);
    expect(wf.workspace.all("SELECT published_on, rating FROM ratings WHERE location_id = 'RX601' AND service_group = 'Overall' ORDER BY published_on").map((r) => r.rating)).toEqual(['Good', 'Good', 'Outstanding']);
    // As at the old edition's date the figures do not move; the correction is in the audit log with the old value.
    expect(latestFromWorkspace(wf.workspace, 'overall', '2021-02-01').find((r) => r.sector_id === 'hosp' && r.rating === 'Outstanding')?.n).toBe(
      [...latestFromCsv(csv, 'Overall', '2021-02-01', (r) => SECTOR_OF_TYPE[r['Location Type']!]!).values()].filter((v) => v.sector === 'hosp' && v.rating === 'Outstanding').length,
    );
    const correction = wf.workspace.get<{ before: string; after: string }>("SELECT before, after FROM audit_log WHERE action = 'rating.correct'");
    expect(JSON.parse(correction!.before)).toMatchObject({ rating: 'Requires improvement' });
    expect(JSON.parse(correction!.after)).toMatchObject({ rating: 'Good' });
    expect(wf.workspace.value('SELECT count(*) FROM imports')).toBe(2);
  });
});

describe('CQC API-derived long file (Oldham)', () => {
  const dir = tempDir('assay-import-oldham-');
  let wf: WorkspaceFile;
  let result: ImportSuccess;
  const csv = readSimpleCsv(OLDHAM);

  beforeAll(async () => {
    wf = await WorkspaceFile.create(join(dir, 'oldham.assay'));
    // A workspace without the North West: the import adds it from CQC's region names with its ONS code.
    await wf.workspace.write('drop region', (tx) => tx.run("DELETE FROM regions WHERE name = 'North West'"));
    result = ok(await importFile(wf, 'cqc-ratings', OLDHAM, { by: 'test' }));
  });
  afterAll(async () => {
    await wf.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('recognises the layout, skips rows with no published rating and keeps statuses outside the scale', () => {
    const ws = wf.workspace;
    expect(result.summary.layout).toBe('cqc-api-long');
    const noRating = csv.filter((r) => r['Latest Rating'] === '' || (r['Latest Rating'] === 'No published rating' && r['Publication Date'] === '')).length;
    expect(result.summary.skippedNoRating).toBe(noRating);
    expect(ws.value('SELECT count(*) FROM ratings')).toBe(csv.length - noRating);
    expect(ws.value("SELECT count(*) FROM ratings WHERE rating = 'Inspected but not rated'")).toBe(csv.filter((r) => r['Latest Rating'] === 'Inspected but not rated').length);
    // Every location is registered, rated or not.
    expect(ws.value('SELECT count(*) FROM locations')).toBe(new Set(csv.map((r) => r['Location ID'])).size);
    // The inspection directorate decides the sector; "Unspecified" falls back to the location type.
    const byDirectorate = csv.find((r) => r['Location Type'] === 'Independent Healthcare Org' && r['Inspection Directorate'] === 'Primary medical services')!;
    expect(ws.value('SELECT sector_id FROM locations WHERE id = ?', [byDirectorate['Location ID']!])).toBe('pms');
    const unspecified = csv.find((r) => r['Location Type'] === 'Social Care Org' && r['Inspection Directorate'] === 'Unspecified')!;
    expect(ws.value('SELECT sector_id FROM locations WHERE id = ?', [unspecified['Location ID']!])).toBe('asc');
    expect(ws.value("SELECT count(*) FROM local_authorities WHERE id = 'oldham' AND region_id = 'E12000002'")).toBe(1);
    expect(result.tables.regions).toEqual({ added: 1, updated: 0, unchanged: 0 });
    expect(ws.value("SELECT name FROM regions WHERE id = 'E12000002'")).toBe('North West');
  });

  it('gives the share of services rated good or outstanding for Safe that the CSV gives', () => {
    const directorate: Record<string, string> = { 'Adult social care': 'asc', Hospitals: 'hosp', 'Primary medical services': 'pms' };
    const latest = [...latestFromCsv(csv, 'Safe', '2025-03-31', (r) => directorate[r['Inspection Directorate']!] ?? SECTOR_OF_TYPE[r['Location Type']!]!).values()];
    const on = latest.filter((v) => ON_SCALE.includes(v.rating));
    const expected = on.filter((v) => v.rating === 'Good' || v.rating === 'Outstanding').length / on.length;
    const got = shareGoodOrOutstanding(latestFromWorkspace(wf.workspace, 'safe', '2025-03-31'));
    expect(on.length).toBeGreaterThan(100);
    expect(got).toBe(expected);
    const figure = testFigureEngine(wf.workspace).evaluate(
      // Every location ever rated, as the CSV count above (registered-only shares: as-at-register.test.ts).
      { kind: 'value', spec: { measure: 'rating_share', keyQuestion: 'Safe', ratings: ['Outstanding', 'Good'], asAt: '2025-03-31', registered: 'all' }, sql: null, format: {} },
      {},
    );
    expect(figure.value).toBeCloseTo(expected, 12);
    expect(figure.denominator).toBe(on.length);
    // And per sector, the counts agree row for row.
    const expectedCounts = new Map<string, number>();
    for (const v of latest) expectedCounts.set(`${v.sector}|${v.rating}`, (expectedCounts.get(`${v.sector}|${v.rating}`) ?? 0) + 1);
    expect(Object.fromEntries(latestFromWorkspace(wf.workspace, 'safe', '2025-03-31').map((r) => [`${r.sector_id}|${r.rating}`, r.n]))).toEqual(Object.fromEntries(expectedCounts));
  });

  it('changes nothing when imported twice', async () => {
    const dump = dumpWorkspace(wf.workspace, { skip: ['meta'] });
    const again = ok(await importFile(wf, 'cqc-ratings', OLDHAM, { by: 'test' }));
    expect(again.import).toBeNull();
    expect(dumpWorkspace(wf.workspace, { skip: ['meta'] })).toBe(dump);
  });
});
