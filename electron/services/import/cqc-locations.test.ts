import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceFile } from '../workspace-file';
import { tempDir } from '../testing/fixtures';
import { importFile, type ImportOutcome, type ImportSuccess } from './index';
import { OLDHAM, OLDHAM_LOCATIONS, readSimpleCsv } from './test-helpers';
import { registrationAt, locationRegistrations } from '../../../shared/store/locations';

/**
 * CQC's register of locations (the API-derived locations layout), imported on its own and beside the ratings of the
 * same extract. Every count is taken again here from the CSV with the tests' own reader, not from the importer.
 */

function ok(o: ImportOutcome): ImportSuccess {
  if (!o.ok) throw new Error(`import failed: ${JSON.stringify(o.problems.slice(0, 5))}`);
  return o;
}

const have = existsSync(OLDHAM_LOCATIONS) && existsSync(OLDHAM);

describe.skipIf(!have)('CQC register of locations (Oldham, March 2025)', () => {
  const dir = tempDir('assay-import-locations-');
  let wf: WorkspaceFile;
  let first: ImportSuccess;
  const csv = have ? readSimpleCsv(OLDHAM_LOCATIONS) : [];

  beforeAll(async () => {
    wf = await WorkspaceFile.create(join(dir, 'register.assay'));
    first = ok(await importFile(wf, 'cqc-locations', OLDHAM_LOCATIONS, { by: 'test' }));
  });
  afterAll(async () => {
    await wf.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports every location with its registration status, dates, beds and area, and dates the extract', () => {
    const ws = wf.workspace;
    expect(first.rowsRead).toBe(csv.length);
    expect(ws.value('SELECT count(*) FROM locations')).toBe(csv.length);
    const registered = csv.filter((r) => r.registration_status === 'Registered');
    expect(ws.value("SELECT count(*) FROM locations WHERE registration_status = 'Registered'")).toBe(registered.length);
    expect(ws.value("SELECT count(*) FROM locations WHERE registration_status = 'Deregistered'")).toBe(csv.length - registered.length);
    expect(ws.value('SELECT count(*) FROM locations WHERE deregistered_on IS NOT NULL')).toBe(csv.filter((r) => r.deregistration_date).length);
    // The extract is as at its latest registration or deregistration date (no edition date was given).
    const latest = csv.flatMap((r) => [r.registration_date, r.deregistration_date]).filter((d): d is string => !!d).sort().at(-1)!;
    expect(ws.get('SELECT kind, coverage, covers_from, covers_to, covers_basis, source FROM imports')).toEqual({
      kind: 'cqc-locations',
      coverage: 'latest',
      covers_from: latest,
      covers_to: null,
      covers_basis: 'latest date in the file',
      source: 'CQC register of locations',
    });
    const row = csv.find((r) => r.registration_status === 'Deregistered' && r.number_of_beds !== '0')!;
    expect(ws.get('SELECT name, registration_status, registered_on, deregistered_on, beds, postcode, registration_as_of FROM locations WHERE id = ?', [row.location_id!])).toEqual({
      name: row.location_name,
      registration_status: 'Deregistered',
      registered_on: row.registration_date,
      deregistered_on: row.deregistration_date,
      beds: Number(row.number_of_beds),
      postcode: row.postal_code,
      registration_as_of: latest,
    });
    // Each location's details start a dated history.
    expect(ws.value('SELECT count(*) FROM location_details')).toBe(csv.length);
  });

  it('says which locations were registered on a date, as the CSV does', () => {
    const regs = locationRegistrations(wf.workspace);
    for (const date of ['2015-06-30', '2021-03-01', '2025-03-31']) {
      const expected = csv.filter((r) => r.registration_date! <= date && (!r.deregistration_date || r.deregistration_date > date)).length;
      const got = [...regs.values()].filter((r) => registrationAt(r, date) === 'registered').length;
      expect(got, date).toBe(expected);
    }
  });

  it('imports the same file again as nothing new, and the ratings of the same extract beside it', async () => {
    const again = ok(await importFile(wf, 'cqc-locations', OLDHAM_LOCATIONS, { by: 'test' }));
    expect(again.import).toBeNull();
    const ratings = ok(await importFile(wf, 'cqc-ratings', OLDHAM, { by: 'test' }));
    expect(ratings.import).not.toBeNull();
    // The ratings file names locations the register already holds; its status agrees, so no registration moves.
    const ws = wf.workspace;
    expect(ws.value("SELECT count(*) FROM locations WHERE registration_status = 'Registered'")).toBe(csv.filter((r) => r.registration_status === 'Registered').length);
    expect(ws.value('SELECT count(*) FROM locations WHERE deregistered_on IS NOT NULL')).toBe(csv.filter((r) => r.deregistration_date).length);
  });

  it('refuses a ratings file given as the register, and the register given as ratings, naming the right import', async () => {
    const wrong = await importFile(wf, 'cqc-locations', OLDHAM, { by: 'test' });
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.problems[0]!.message).toMatch(/not CQC's locations file: import it as CQC ratings/);
    const wrong2 = await importFile(wf, 'cqc-ratings', OLDHAM_LOCATIONS, { by: 'test' });
    expect(wrong2.ok).toBe(false);
    expect(!wrong2.ok && wrong2.problems[0]!.message).toMatch(/assay import cqc-locations/);
  });

  it('names the row and column of a bad status, a bad date and a deregistration before registration, and writes nothing', async () => {
    const header = 'location_id,provider_id,location_name,registration_status,registration_date,deregistration_date,location_type,inspection_directorate,primary_inspection_category,care_home,number_of_beds,local_authority,region';
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      [
        header,
        '1-X1,1-P1,Good Home,Closed,2019-01-01,,Social Care Org,Adult social care,Residential social care,Y,10,Oldham,North West',
        '1-X2,1-P1,Other Home,Deregistered,2019-01-01,2018-01-01,Social Care Org,Adult social care,Residential social care,Y,10,Oldham,North West',
        '1-X3,1-P1,Third Home,Registered,31/13/2019,,Social Care Org,Adult social care,Residential social care,Y,ten,Oldham,North West',
      ].join('\n'),
    );
    const before = wf.workspace.value('SELECT count(*) FROM locations');
    const o = await importFile(wf, 'cqc-locations', bad, { by: 'test' });
    expect(o.ok).toBe(false);
    expect(!o.ok && o.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [2, 'registration_status', 'unknown-value'],
      [3, 'deregistration_date', 'conflicting-record'],
      [4, 'registration_date', 'bad-date'],
      [4, 'number_of_beds', 'bad-number'],
    ]);
    expect(wf.workspace.value('SELECT count(*) FROM locations')).toBe(before);
  });
});
