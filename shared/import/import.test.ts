import { describe, expect, it } from 'vitest';
import { badDateMessage, parseDate } from './dates';
import { sniffUtf16, Utf8Validator } from './encoding';
import { parseColumnMap, parseNumber, resolveMapping } from './mapping';
import { INDICATOR_TARGETS } from './indicators';
import { CqcRatingsImporter, detectCqcLayout, sectorFor } from './cqc-ratings';
import { CqcFileRecords, CqcRowParser } from './cqc-parse';
import { planCqcImport, type CqcWorkspaceState } from './cqc-plan';
import type { ImportProblem } from './problems';
import { CQC_SCALE, REGIONS } from '../store/reference';

describe('dates', () => {
  it('reads British and ISO dates and refuses the rest', () => {
    expect(parseDate('20/11/2019')).toBe('2019-11-20');
    expect(parseDate('1/2/2020')).toBe('2020-02-01');
    expect(parseDate('2024-04-03')).toBe('2024-04-03');
    expect(parseDate('2024-04-03T10:00:00Z')).toBe('2024-04-03');
    expect(parseDate('29/02/2020')).toBe('2020-02-29');
    for (const bad of ['29/02/2019', '31/04/2020', '2020-13-01', '11/20/2019', '2019/11/20', '20-11-2019', '', 'soon']) expect(parseDate(bad)).toBeUndefined();
    expect(badDateMessage('2020-02-30')).toBe('"2020-02-30" is not a real calendar date');
    expect(badDateMessage('2019/11/20')).toBe('"2019/11/20" is not a date written dd/mm/yyyy or yyyy-mm-dd');
  });
});

describe('encoding checks', () => {
  const enc = new TextEncoder();
  it('accepts UTF-8 split anywhere across chunks', () => {
    const bytes = enc.encode('Location,Name\n1,Café Ŵelsh 😀\n2,Plain\n');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const v = new Utf8Validator();
      v.push(bytes.subarray(0, cut));
      v.push(bytes.subarray(cut));
      v.end();
      expect(v.count).toBe(0);
    }
  });
  it('finds invalid bytes with their line: Latin-1, overlong forms, surrogates, a sequence cut short', () => {
    const v = new Utf8Validator();
    v.push(new Uint8Array([0x61, 0x0a, 0x43, 0x61, 0x66, 0xe9, 0x0a, 0xc0, 0xaf, 0x0a, 0xed, 0xa0, 0x80, 0x0a, 0xe2, 0x82]));
    v.end();
    expect(v.invalid).toEqual([
      { offset: 5, line: 2 },
      { offset: 7, line: 3 },
      { offset: 10, line: 4 },
      { offset: 14, line: 5 },
    ]);
  });
  it('recognises UTF-16 with and without a byte order mark', () => {
    const le = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'));
    expect(sniffUtf16(new Uint8Array([0xff, 0xfe, 0x41, 0]))).toBe('utf-16le');
    expect(sniffUtf16(new Uint8Array([0xfe, 0xff, 0, 0x41]))).toBe('utf-16be');
    expect(sniffUtf16(le('Location ID,Location Name\n'))).toBe('utf-16le');
    expect(sniffUtf16(enc.encode('Location ID,Location Name\n'))).toBeUndefined();
  });
});

describe('column mapping and numbers', () => {
  it('parses --map, including an escaped comma, and names unknown targets', () => {
    expect(parseColumnMap('value=Rate per 100\\,000, area = LA code', INDICATOR_TARGETS)).toEqual({ map: { value: 'Rate per 100,000', area: 'LA code' }, problems: [] });
    expect(parseColumnMap('colour=Red', INDICATOR_TARGETS).problems[0]!.message).toContain('"colour" is not a field');
  });
  it('finds columns by name or alias and reports required ones missing', () => {
    const { index, problems } = resolveMapping(INDICATOR_TARGETS, ['Area code', 'Year', 'Indicator', 'Count']);
    expect(index).toEqual({ area: 0, period: 1, indicator: 2, numerator: 3 });
    expect(problems).toEqual([expect.objectContaining({ code: 'missing-column', row: 1, column: 'value' })]);
  });
  it('reads numbers as spreadsheets write them', () => {
    expect(parseNumber('1,234.5')).toBe(1234.5);
    expect(parseNumber('-0.25')).toBe(-0.25);
    expect(parseNumber('12%')).toBeUndefined();
    expect(parseNumber('1,23')).toBeUndefined();
  });
});

describe('CQC ratings importer (pure: rows fed directly)', () => {
  const ctx = { keyQuestions: CQC_SCALE.keyQuestions.map((k) => ({ id: k.id, name: k.name })), ratingLabels: CQC_SCALE.values.map((v) => v.label), regions: [...REGIONS] };
  const header = ['Location ID', 'Location Name', 'Registration Status', 'Care Home?', 'Location Type', 'Inspection Directorate', 'Location Primary Inspection Category', 'Location Local Authority', 'Location Region', 'Service / Population Group', 'Domain', 'Latest Rating', 'Publication Date', 'Report Type', 'Provider ID'];
  const row = (rating: string, date: string, domain = 'Safe') => ['1-1', 'Home', 'Registered', 'Y', 'Social Care Org', 'Adult social care', 'Residential social care', 'Oldham', 'North West', 'Overall', domain, rating, date, 'Location', '1-9'];
  const feed = (imp: CqcRatingsImporter, rows: string[][]) => {
    imp.header(header);
    rows.forEach((r, i) => imp.row(r, { row: i + 2, line: i + 2 }));
    imp.finish();
    return imp;
  };

  it('detects the layout from the header and maps sectors', () => {
    expect(detectCqcLayout(header).id).toBe('cqc-api-long');
    expect(detectCqcLayout(['Location ID', 'Provider Name']).id).toBe('cqc-latest-ratings');
    expect(sectorFor('Independent Healthcare Org', 'Primary medical services')).toBe('pms');
    expect(sectorFor('Primary Dental Care', 'Unspecified')).toBe('pms');
    expect(sectorFor('Social Care Org')).toBe('asc');
    expect(sectorFor('Spaceport')).toBeUndefined();
  });

  it('skips rows without a rating, keeps off-scale statuses, and finds dates in either form', () => {
    const imp = feed(new CqcRatingsImporter(ctx), [row('No published rating', ''), row('', ''), row('Inspected but not rated', '2023-05-01', 'Caring'), row('good', '01/06/2022', 'Well-led')]);
    expect(imp.ok).toBe(true);
    expect(imp.skippedNoRating).toBe(2);
    expect(imp.ratingCount).toBe(2);
    expect(imp.latestPublication).toBe('2023-05-01');
  });

  it('withholds conflicting duplicates by default, refuses them when strict, and names every row', () => {
    const rows = [row('Good', '2020-01-01'), row('Inadequate', '2020-01-01'), row('Good', '2020-01-01')];
    const lenient = feed(new CqcRatingsImporter(ctx), rows);
    expect(lenient.ok).toBe(true);
    expect(lenient.ratingCount).toBe(0);
    expect(lenient.warnings[0]).toMatchObject({ code: 'duplicate-key', rows: [2, 3, 4] });
    expect(lenient.warnings[0]!.message).toContain('Good, Location report on rows 2, 4; Inadequate, Location report on row 3');
    const strict = feed(new CqcRatingsImporter(ctx, { duplicates: 'error' }), rows);
    expect(strict.ok).toBe(false);
    expect(strict.problems[0]).toMatchObject({ code: 'duplicate-key', row: 4, column: 'Latest Rating' });
  });

  it('refuses unknown ratings, domains, location types and regions, each at its row and column', () => {
    const r1 = row('Excellent', '2020-01-01');
    const r2 = row('Good', '2020-01-01', 'Kind');
    const r3 = row('Good', '2020-01-01');
    r3[4] = 'Spaceport';
    r3[5] = 'Unspecified';
    const r4 = row('Good', '2020-01-02');
    r4[8] = 'Wales';
    const imp = feed(new CqcRatingsImporter(ctx), [r1, r2, r3, r4]);
    expect(imp.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [2, 'Latest Rating', 'unknown-rating'],
      [3, 'Domain', 'unknown-value'],
      [4, 'Location Type', 'unknown-value'],
      [5, 'Location Region', 'unknown-value'],
    ]);
  });

  it('parses a row to a typed record with its problems by row and column, and plans the writes as data', () => {
    const problems: ImportProblem[] = [];
    const parser = new CqcRowParser(ctx, detectCqcLayout(header), (c) => header.findIndex((h) => h.toLowerCase() === c.toLowerCase()));
    const file = new CqcFileRecords();
    const feedRow = (r: string[], n: number) => file.add(parser.parse(r, { row: n, line: n }, (p) => problems.push(p)), (p) => problems.push(p));
    const bad = row('Good', '31/02/2020');
    bad[3] = 'maybe';
    const parsed = parser.parse(bad, { row: 2, line: 2 }, (p) => problems.push(p));
    expect(parsed).toMatchObject({ sound: false, location: undefined, rating: null, laName: 'Oldham', regionId: 'E12000002' });
    expect(problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [2, 'Care Home?', 'unknown-value'],
      [2, 'Publication Date', 'bad-date'],
    ]);
    problems.length = 0;
    feedRow(row('Good', '2020-01-01'), 3);
    feedRow(row('Outstanding', '2020-01-01', 'Caring'), 4);
    expect(problems).toEqual([]);

    // The workspace already has the location under another name, and the Safe rating as Requires improvement.
    const at = '2024-01-01T00:00:00.000Z';
    const existing = { id: '1-1', name: 'Old name', providerId: '1-9', sectorId: 'asc', locationType: 'Social Care Org', category: 'Residential social care', careHome: true, localAuthorityId: 'oldham', regionId: 'E12000002', street: 'High St', city: null, postcode: null, latitude: null, longitude: null, registeredOn: null, deregisteredOn: null, beds: 12, importId: null, updatedAt: at };
    const safe = { id: 7, locationId: '1-1', serviceGroup: 'Overall', keyQuestionId: 'safe', rating: 'Requires improvement', publishedOn: '2020-01-01', reportType: 'Location', inherited: false, inspectionId: null, importId: null, updatedAt: at };
    const state: CqcWorkspaceState = {
      sectorIds: new Set(['asc', 'hosp', 'pms']),
      regionIds: new Set(REGIONS.map((r) => r.id)),
      localAuthorities: [{ id: 'oldham', name: 'Oldham', regionId: 'E12000002' }],
      providers: new Map(),
      locations: new Map([['1-1', existing]]),
      ratings: new Map([[['1-1', 'Overall', 'safe', '2020-01-01'].join('\u0001'), safe]]),
      details: new Map(),
      editions: new Map(),
    };
    const plan = planCqcImport(file, state, { importId: 'imp', at, locationColumns: [], hasReportType: true, hasInherited: false, regions: parser.regionByName.values(), asOf: '2020-01-01' });
    expect(plan.tables).toEqual({
      regions: { added: 0, updated: 0, unchanged: 0 },
      local_authorities: { added: 0, updated: 0, unchanged: 1 },
      providers: { added: 1, updated: 0, unchanged: 0 },
      locations: { added: 0, updated: 1, unchanged: 0 },
      // The location had no details history (a workspace from before version 6): this file's details start it.
      location_details: { added: 1, updated: 0, unchanged: 0 },
      ratings: { added: 1, updated: 1, unchanged: 0 },
    });
    expect(plan.changed).toBe(5);
    // The API layout carries no address, so the street stays; beds are never the import's to change.
    expect(plan.locations.update[0]!.after).toMatchObject({ name: 'Home', street: 'High St', beds: 12, importId: 'imp' });
    expect(plan.ratings.correct[0]!.after).toMatchObject({ id: 7, rating: 'Good', inherited: false });
    expect(plan.ratings.insert.map((r) => [r.keyQuestionId, r.rating])).toEqual([['caring', 'Outstanding']]);
    // The API layout has no provider names: the id stands in.
    expect(plan.providers.insert).toEqual([{ id: '1-9', name: '1-9', brandId: null, brandName: null, importId: 'imp', updatedAt: at }]);
  });
});
