import type { Tx } from '../store/workspace';
import { REGIONS } from '../store/reference';
import { setImportCoverage, type ImportCoverage } from '../store/imports';
import { WorkspaceError } from '../store/errors';
import { problemAt, type ImportProblem, type ProblemCode, type RowPosition } from './problems';
import { auditImport, loose, recordImport, TableImporter, type ImportRecord } from './table';
import { badDateMessage, parseDate } from './dates';
import { CQC_LAYOUTS, CqcFileRecords, LOCATION_TYPE_SECTORS, detectCqcLayout, noDash, registrationStatusOf, sectorFor, yesNo, type CqcContext, type CqcLocation, type CqcRow } from './cqc-parse';
import { applyCqcPlan, planCqcImport, readCqcState, type CqcTables } from './cqc-plan';
import { LIMITS } from '../util/limits';
import type { RegistrationStatus } from '../store/locations';

/** What a CQC locations import brings, in the words a publication's source line prints. */
export const CQC_LOCATIONS_SOURCE = 'CQC register of locations';

/**
 * CQC's register as its API gives it: one row per location, with its registration status and dates, type, inspection
 * directorate, category, care home flag, beds, area and coordinates (and its current ratings as columns, which this
 * importer does not read: ratings come from the ratings layouts, with their publication dates). Each file is the
 * register as at its extract date (the edition date given, else the latest registration or deregistration date in
 * it), so it answers "which locations were registered, with which details" from that date on; the details join each
 * location's dated history, and an older extract imported after a newer one fills only what is missing (cqc-plan.ts).
 */

const LAYOUT = CQC_LAYOUTS['cqc-api-locations'];

/** The file's own column names. */
const C = {
  id: 'location_id',
  provider: 'provider_id',
  name: 'location_name',
  status: 'registration_status',
  registered: 'registration_date',
  deregistered: 'deregistration_date',
  type: 'location_type',
  directorate: 'inspection_directorate',
  category: 'primary_inspection_category',
  careHome: 'care_home',
  beds: 'number_of_beds',
  la: 'local_authority',
  region: 'region',
  postcode: 'postal_code',
  city: 'town_city',
  latitude: 'latitude',
  longitude: 'longitude',
  brand: 'brand_name',
} as const;

const NAMED = [C.name, C.la, C.city, C.brand] as const;

export interface CqcLocationsSummary {
  layout: 'cqc-api-locations';
  rowsRead: number;
  registered: number;
  deregistered: number;
  /** The extract date the file was read as at. */
  asOf: string | null;
  tables: CqcTables;
}

/** Reads one row of the locations layout into the records the CQC plan takes. */
class LocationRowParser {
  private readonly col = new Map<string, number>();
  readonly missing: string[] = [];
  readonly regionByName = new Map<string, { id: string; name: string; known: boolean }>();
  private pos: RowPosition = { row: 0, line: 0 };
  private report: (p: ImportProblem) => void = () => undefined;
  private sound = true;

  constructor(ctx: Pick<CqcContext, 'regions'>, indexOf: (column: string) => number) {
    for (const r of REGIONS) this.regionByName.set(loose(r.name), { ...r, known: false });
    for (const r of ctx.regions) this.regionByName.set(loose(r.name), { ...r, known: true });
    for (const name of LAYOUT.required) {
      const i = indexOf(name);
      if (i < 0) this.missing.push(name);
      this.col.set(name, i);
    }
    for (const name of Object.values(C)) if (!this.col.has(name)) this.col.set(name, indexOf(name));
  }

  indexOf(column: string): number {
    return this.col.get(column) ?? -1;
  }

  private f(fields: string[], name: string): string {
    const i = this.col.get(name) ?? -1;
    return i < 0 ? '' : (fields[i] ?? '').trim();
  }

  private bad(code: ProblemCode, column: string, message: string): void {
    this.sound = false;
    this.report(problemAt(code, this.pos, column, message));
  }

  private date(fields: string[], column: string): string | null {
    const t = this.f(fields, column);
    if (!t) return null;
    const d = parseDate(t);
    if (!d) this.bad('bad-date', column, badDateMessage(t));
    return d ?? null;
  }

  private num(fields: string[], column: string, lo: number, hi: number, integer = false): number | null {
    const t = this.f(fields, column);
    if (t === '') return null;
    const n = Number(t);
    if (!Number.isFinite(n) || n < lo || n > hi || (integer && !Number.isInteger(n))) {
      this.bad('bad-number', column, `"${t}" is not ${integer ? 'a whole number' : 'a number'} between ${lo} and ${hi}`);
      return null;
    }
    return n;
  }

  parse(fields: string[], pos: RowPosition, report: (p: ImportProblem) => void): CqcRow {
    this.pos = pos;
    this.report = report;
    this.sound = true;
    const id = this.f(fields, C.id);
    if (!id) this.bad('required', C.id, 'the location id is empty');
    const name = this.f(fields, C.name);
    if (!name) this.bad('required', C.name, 'the location name is empty');
    const locationType = this.f(fields, C.type);
    const sectorId = sectorFor(locationType, this.f(fields, C.directorate) || undefined);
    if (!sectorId) this.bad('unknown-value', C.type, `"${locationType}" is not a CQC location type (expected one of: ${Object.keys(LOCATION_TYPE_SECTORS).join(', ')})`);
    const careHomeText = this.f(fields, C.careHome);
    const careHome = yesNo(careHomeText);
    if (careHome === undefined) this.bad('unknown-value', C.careHome, `"${careHomeText}" is not Y or N`);
    const statusText = this.f(fields, C.status);
    let registrationStatus: RegistrationStatus | null = null;
    if (!statusText) this.bad('required', C.status, 'the registration status is empty');
    else {
      const st = registrationStatusOf(statusText);
      if (!st) this.bad('unknown-value', C.status, `"${statusText}" is not Registered or Deregistered`);
      else registrationStatus = st;
    }
    const registeredOn = this.date(fields, C.registered);
    const deregisteredOn = this.date(fields, C.deregistered);
    if (registrationStatus === 'Deregistered' && !deregisteredOn && this.sound) this.bad('required', C.deregistered, 'the location is deregistered but has no deregistration date');
    if (registrationStatus === 'Registered' && deregisteredOn) this.bad('conflicting-record', C.deregistered, `the location is registered but has a deregistration date (${deregisteredOn})`);
    if (registeredOn && deregisteredOn && deregisteredOn < registeredOn) this.bad('conflicting-record', C.deregistered, `the deregistration date ${deregisteredOn} is before the registration date ${registeredOn}`);
    const beds = this.num(fields, C.beds, 0, 100_000, true);
    const laName = this.f(fields, C.la) || null;
    const regionText = this.f(fields, C.region);
    let regionId: string | null = null;
    if (regionText) {
      const r = this.regionByName.get(loose(regionText));
      if (!r) this.bad('unknown-value', C.region, `"${regionText}" is not an English region (expected one of: ${REGIONS.map((x) => x.name).join(', ')})`);
      else regionId = r.id;
    } else if (laName) this.bad('required', C.region, `the region is empty, but the local authority "${laName}" needs one`);
    const latitude = this.num(fields, C.latitude, -90, 90);
    const longitude = this.num(fields, C.longitude, -180, 180);
    const providerId = this.f(fields, C.provider) || null;
    const brandName = providerId ? noDash(this.f(fields, C.brand)) : null;
    const base = { pos, laName, regionText, regionId, providerId, providerName: null, brandId: null, brandName, rating: null };
    if (!this.sound) return { ...base, sound: false, location: undefined };
    const location: CqcLocation = {
      id,
      name,
      providerId,
      sectorId: sectorId!,
      locationType,
      category: this.f(fields, C.category) || null,
      careHome: careHome!,
      laName,
      regionId,
      street: null,
      city: this.f(fields, C.city) || null,
      postcode: this.f(fields, C.postcode) || null,
      latitude,
      longitude,
      registrationStatus,
      registeredOn,
      deregisteredOn,
      beds,
      pos,
    };
    return { ...base, sound: true, location };
  }
}

export class CqcLocationsImporter extends TableImporter<CqcLocationsSummary> {
  readonly kind = 'cqc-locations';
  private parser: LocationRowParser | undefined;
  private readonly file = new CqcFileRecords({ locationId: C.id, region: C.region, provider: C.provider });
  /** The latest registration or deregistration date in the file: the extract is at least that recent. */
  private latestDate: string | null = null;
  private readonly report = (p: ImportProblem): void => this.problem(p);

  constructor(private readonly ctx: Pick<CqcContext, 'regions'>) {
    super();
  }

  protected onHeader(): void {
    const layout = detectCqcLayout(this.columns);
    if (layout.id !== 'cqc-api-locations') {
      this.problem(
        problemAt('missing-column', { row: 1, line: 1 }, undefined, `this is a ${layout.name}, not CQC's locations file: import it as CQC ratings (assay import cqc-ratings)`),
      );
      return;
    }
    this.parser = new LocationRowParser(this.ctx, (name) => this.indexOf(name));
    for (const name of this.parser.missing) this.problem(problemAt('missing-column', { row: 1, line: 1 }, name, `the ${LAYOUT.name} needs a column "${name}"; it is missing`));
  }

  protected override limitOf(index: number): { limit: number; what: string } {
    for (const name of NAMED) if (this.parser?.indexOf(name) === index) return { limit: LIMITS.organisation, what: name.replace(/_/g, ' ') };
    return super.limitOf(index);
  }

  protected onRow(fields: string[], pos: RowPosition): void {
    const parser = this.parser;
    if (!parser || parser.missing.length) return;
    const row = parser.parse(fields, pos, this.report);
    const l = row.location;
    for (const d of [l?.registeredOn, l?.deregisteredOn]) if (d && (this.latestDate === null || d > this.latestDate)) this.latestDate = d;
    this.file.add(row, this.report);
  }

  /** The register as at its extract date: the edition date given, else the latest date in the file. */
  private coverage(record: ImportRecord): ImportCoverage {
    if (record.edition && /^\d{4}-\d{2}-\d{2}$/.test(record.edition)) return { kind: 'latest', from: record.edition, to: null, basis: 'edition' };
    if (this.latestDate) return { kind: 'latest', from: this.latestDate, to: null, basis: 'latest date in the file' };
    throw new WorkspaceError('invalid', `${record.fileName} has no registration or deregistration dates to date the extract by: give its date as the edition (YYYY-MM-DD).`);
  }

  write(tx: Tx, record: ImportRecord): { summary: CqcLocationsSummary; changed: number } {
    if (!this.ok || !this.parser) throw new Error('An import with problems must not be written.');
    const coverage = this.coverage(record);
    const plan = planCqcImport(this.file, readCqcState(tx, { ratings: false }), {
      importId: record.id,
      at: tx.at,
      locationColumns: LAYOUT.locationColumns,
      hasReportType: false,
      hasInherited: false,
      regions: this.parser.regionByName.values(),
      asOf: coverage.from,
    });
    const locations = [...this.file.locations.values()];
    const summary: CqcLocationsSummary = {
      layout: 'cqc-api-locations',
      rowsRead: this.rowsRead,
      registered: locations.filter((l) => l.registrationStatus === 'Registered').length,
      deregistered: locations.filter((l) => l.registrationStatus === 'Deregistered').length,
      asOf: coverage.from,
      tables: plan.tables,
    };
    if (plan.changed === 0) return { summary, changed: 0 };
    recordImport(tx, { ...record, source: record.source ?? CQC_LOCATIONS_SOURCE, notes: record.notes ?? JSON.stringify({ layout: summary.layout, asOf: summary.asOf }) });
    setImportCoverage(tx, record.id, coverage);
    applyCqcPlan(tx, plan);
    auditImport(tx, record, summary);
    return { summary, changed: plan.changed };
  }
}
