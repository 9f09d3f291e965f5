import { REGIONS } from '../store/reference';
import type { RegistrationStatus } from '../store/locations';
import { CQC_SERVICE_GROUPS } from '../store/service-groups';
import { badDateMessage, parseDate } from './dates';
import { problemAt, type ImportProblem, type ImportWarning, type ProblemCode, type RowPosition } from './problems';
import { loose } from './table';

/**
 * The parse step of a CQC ratings import: the file's layout from its header, each row to a typed record with its
 * problems by row and column, and the records gathered into what the file says (each location, provider and local
 * authority once, each rating key once) with the problems only the whole file shows: records that disagree between
 * rows, and ratings given twice. Nothing here reads the workspace beyond the context it is given.
 */

export type CqcLayoutId = 'cqc-latest-ratings' | 'cqc-api-long' | 'cqc-api-locations';

export interface CqcLayout {
  id: CqcLayoutId;
  name: string;
  required: readonly string[];
  /** Location columns this layout carries; a location's other columns are left as the workspace has them. */
  locationColumns: readonly LocationColumn[];
}

/**
 * What a layout says about a location besides the details every CQC layout gives (name, type, category, care home,
 * area, provider): its address and coordinates, beds, registration status, and registration dates.
 */
export type LocationColumn = 'street' | 'city' | 'postcode' | 'latitude' | 'longitude' | 'beds' | 'registrationStatus' | 'registrationDates';

const COMMON = [
  'Location ID',
  'Location Name',
  'Care Home?',
  'Location Type',
  'Location Primary Inspection Category',
  'Location Local Authority',
  'Location Region',
  'Service / Population Group',
  'Domain',
  'Latest Rating',
  'Publication Date',
  'Provider ID',
] as const;

export const CQC_LAYOUTS: Record<CqcLayoutId, CqcLayout> = {
  'cqc-latest-ratings': {
    id: 'cqc-latest-ratings',
    name: 'CQC national "Latest ratings" file',
    required: [...COMMON, 'Provider Name'],
    locationColumns: ['street', 'city', 'postcode', 'latitude', 'longitude'],
  },
  'cqc-api-long': {
    id: 'cqc-api-long',
    name: 'CQC API-derived long ratings file',
    required: [...COMMON, 'Registration Status', 'Inspection Directorate'],
    locationColumns: ['registrationStatus'],
  },
  // CQC's register as its API gives it, one row per location (cqc-locations.ts reads it).
  'cqc-api-locations': {
    id: 'cqc-api-locations',
    name: 'CQC API-derived locations file',
    required: [
      'location_id',
      'provider_id',
      'location_name',
      'registration_status',
      'registration_date',
      'deregistration_date',
      'location_type',
      'primary_inspection_category',
      'care_home',
      'number_of_beds',
      'local_authority',
      'region',
    ],
    locationColumns: ['city', 'postcode', 'latitude', 'longitude', 'beds', 'registrationStatus', 'registrationDates'],
  },
};

/** Columns read when a layout has them; a layout without one leaves what it would set alone. */
const OPTIONAL_COLUMNS = [
  'Location Street Address',
  'Location Address Line 2',
  'Location City',
  'Location Post Code',
  'long',
  'lat',
  'Report Type',
  'Inherited Rating (Y/N)',
  'Brand ID',
  'Brand Name',
  'Provider Name',
] as const;

/**
 * Decides the layout from the header. The API layout is the only one with an inspection directorate or a registration
 * status; anything else is read as the national layout, so that a national file missing a column is reported as
 * exactly that rather than as "unknown layout".
 */
export function detectCqcLayout(header: readonly string[]): CqcLayout {
  const names = new Set(header.map(loose));
  if (names.has(loose('location_id')) && names.has(loose('registration_date')) && !names.has(loose('Domain'))) return CQC_LAYOUTS['cqc-api-locations'];
  if (names.has(loose('Inspection Directorate')) || names.has(loose('Registration Status'))) return CQC_LAYOUTS['cqc-api-long'];
  return CQC_LAYOUTS['cqc-latest-ratings'];
}

/** CQC's location types, by the sector (inspection directorate) whose figures they count in. */
export const LOCATION_TYPE_SECTORS: Readonly<Record<string, string>> = {
  'Social Care Org': 'asc',
  'Primary Medical Services': 'pms',
  'Primary Dental Care': 'pms',
  'NHS Healthcare Organisation': 'hosp',
  'Independent Healthcare Org': 'hosp',
  'Independent Ambulance': 'hosp',
};

/** CQC's inspection directorates. "Unspecified" (deregistered services, mostly) falls back to the location type. */
export const DIRECTORATE_SECTORS: Readonly<Record<string, string>> = {
  'Adult social care': 'asc',
  Hospitals: 'hosp',
  'Primary medical services': 'pms',
};

const TYPE_BY_LOOSE = new Map(Object.entries(LOCATION_TYPE_SECTORS).map(([k, v]) => [loose(k), v]));
const DIRECTORATE_BY_LOOSE = new Map(Object.entries(DIRECTORATE_SECTORS).map(([k, v]) => [loose(k), v]));

/** The sector for a location: its inspection directorate when the source gives one, else its location type. */
export function sectorFor(locationType: string, directorate?: string): string | undefined {
  if (directorate) {
    const s = DIRECTORATE_BY_LOOSE.get(loose(directorate));
    if (s) return s;
  }
  return TYPE_BY_LOOSE.get(loose(locationType));
}

/** Labels that mean "there is no rating here" when no publication date comes with them. */
const NO_RATING = loose('No published rating');

/** What the importer needs to know about the workspace before it reads a row: the scale is data, not code. */
export interface CqcContext {
  keyQuestions: { id: string; name: string }[];
  ratingLabels: string[];
  regions: { id: string; name: string }[];
  /**
   * The service group vocabulary: each spelling (a group's name, or another spelling such as the API layout's "old")
   * to the name ratings hold. A value it lacks is a group of its own. CQC's reference vocabulary is always used; the
   * workspace's own entries take precedence.
   */
  serviceGroups?: ReadonlyMap<string, string>;
}

/** The service group vocabulary by loose spelling: CQC's reference groups, then the workspace's own. */
export function serviceGroupLookup(workspace: ReadonlyMap<string, string> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const g of CQC_SERVICE_GROUPS) {
    out.set(loose(g.name), g.name);
    for (const s of g.spellings) out.set(loose(s), g.name);
  }
  if (workspace) for (const [spelling, name] of workspace) out.set(loose(spelling), name);
  return out;
}

/** "Registered" or "Deregistered" as CQC writes them; undefined for anything else. */
export function registrationStatusOf(text: string): RegistrationStatus | undefined {
  const l = loose(text);
  if (l === 'registered') return 'Registered';
  if (l === 'deregistered') return 'Deregistered';
  return undefined;
}

export type DuplicatePolicy = 'withhold' | 'error';

/** Where parse reports what it finds; rows keep being read, so a file's every problem is found in one pass. */
export type ProblemSink = (p: ImportProblem) => void;

/** A location as the file registers it. */
export interface CqcLocation {
  id: string;
  name: string;
  providerId: string | null;
  sectorId: string;
  locationType: string;
  category: string | null;
  careHome: number;
  laName: string | null;
  regionId: string | null;
  street: string | null;
  city: string | null;
  postcode: string | null;
  latitude: number | null;
  longitude: number | null;
  /** Where the layout carries them (see CqcLayout.locationColumns); null when its cell is empty. */
  registrationStatus?: RegistrationStatus | null;
  registeredOn?: string | null;
  deregisteredOn?: string | null;
  beds?: number | null;
  pos: RowPosition;
}

export interface CqcProvider {
  id: string;
  name: string | null;
  brandId: string | null;
  brandName: string | null;
  pos: RowPosition;
}

export interface CqcRating {
  locationId: string;
  serviceGroup: string;
  keyQuestionId: string;
  rating: string;
  publishedOn: string;
  reportType: string | null;
  inherited: number;
}

/**
 * One row, read. Its local authority and provider are given even when another cell is wrong, so that a disagreement
 * between rows is reported whichever of them also has other problems; its location and rating only when every cell
 * was sound.
 */
export interface CqcRow {
  pos: RowPosition;
  /** The local authority and the region this row puts it in (as written, and as the region's id). */
  laName: string | null;
  regionText: string;
  regionId: string | null;
  /** The provider as this row names and brands it; null when the row names none. */
  providerId: string | null;
  providerName: string | null;
  brandId: string | null;
  brandName: string | null;
  /** Every cell of the row was sound. */
  sound: boolean;
  location: CqcLocation | undefined;
  /**
   * The rating, when the row is sound and has one: null for an empty rating, or "No published rating" without a date
   * (counted as skipped).
   */
  rating: CqcRating | null;
}

/** Reads rows of one layout: column positions and the scale's lookups, built once for the whole file. */
export class CqcRowParser {
  private readonly kqByName = new Map<string, string>();
  private readonly labelByName: Map<string, string>;
  private readonly groupBySpelling: Map<string, string>;
  /** Regions CQC names, by loose name; the workspace's own names take precedence. */
  readonly regionByName = new Map<string, { id: string; name: string; known: boolean }>();
  private col: Record<string, number> = {};
  /** The required columns the header lacks; a file missing any is reported once, at the header, not once per row. */
  readonly missing: string[] = [];

  // The row being parsed: where problems go, and whether it has any yet. Fields rather than a closure per row, which
  // the national file's 74,000 rows would pay for.
  private pos: RowPosition = { row: 0, line: 0 };
  private report: ProblemSink = () => undefined;
  private sound = true;

  constructor(
    private readonly ctx: CqcContext,
    readonly layout: CqcLayout,
    indexOf: (column: string) => number,
  ) {
    for (const kq of ctx.keyQuestions) {
      this.kqByName.set(loose(kq.name), kq.id);
      this.kqByName.set(loose(kq.id), kq.id);
    }
    this.labelByName = new Map(ctx.ratingLabels.map((l) => [loose(l), l]));
    this.groupBySpelling = serviceGroupLookup(ctx.serviceGroups);
    // Regions the workspace lacks but CQC names are added on import.
    for (const r of REGIONS) this.regionByName.set(loose(r.name), { ...r, known: false });
    for (const r of ctx.regions) this.regionByName.set(loose(r.name), { ...r, known: true });
    for (const name of layout.required) {
      const i = indexOf(name);
      if (i < 0) this.missing.push(name);
      this.col[name] = i;
    }
    for (const name of OPTIONAL_COLUMNS) if (this.col[name] === undefined) this.col[name] = indexOf(name);
  }

  /** Whether the file has this column, so the plan knows which values it may change. */
  has(column: string): boolean {
    return (this.col[column] ?? -1) >= 0;
  }

  /** The position of a column in the file, or -1. */
  indexOf(column: string): number {
    return this.col[column] ?? -1;
  }

  private f(fields: string[], name: string): string {
    const i = this.col[name];
    return i === undefined || i < 0 ? '' : (fields[i] ?? '').trim();
  }

  /** loose() of the categorical values a file repeats thousands of times, computed once each. */
  private readonly looseCache = new Map<string, string>();
  private lz(s: string): string {
    let v = this.looseCache.get(s);
    if (v === undefined) {
      v = loose(s);
      this.looseCache.set(s, v);
    }
    return v;
  }

  private bad(code: ProblemCode, column: string, message: string): void {
    this.sound = false;
    this.report(problemAt(code, this.pos, column, message));
  }

  parse(fields: string[], pos: RowPosition, report: ProblemSink): CqcRow {
    this.pos = pos;
    this.report = report;
    this.sound = true;

    const locationId = this.f(fields, 'Location ID');
    if (!locationId) this.bad('required', 'Location ID', 'the location id is empty');
    const locationName = this.f(fields, 'Location Name');
    if (!locationName) this.bad('required', 'Location Name', 'the location name is empty');
    const locationType = this.f(fields, 'Location Type');
    const directorate = this.layout.id === 'cqc-api-long' ? this.f(fields, 'Inspection Directorate') : '';
    const sectorId = (directorate && DIRECTORATE_BY_LOOSE.get(this.lz(directorate))) || TYPE_BY_LOOSE.get(this.lz(locationType));
    if (!sectorId) {
      this.bad('unknown-value', 'Location Type', `"${locationType}" is not a CQC location type (expected one of: ${Object.keys(LOCATION_TYPE_SECTORS).join(', ')})`);
    }
    const careHomeText = this.f(fields, 'Care Home?');
    const careHome = yesNo(careHomeText);
    if (careHome === undefined) this.bad('unknown-value', 'Care Home?', `"${careHomeText}" is not Y or N`);

    const laName = this.f(fields, 'Location Local Authority') || null;
    const regionName = this.f(fields, 'Location Region');
    let regionId: string | null = null;
    if (regionName) {
      const r = this.regionByName.get(this.lz(regionName));
      if (!r) this.bad('unknown-value', 'Location Region', `"${regionName}" is not an English region (expected one of: ${REGIONS.map((x) => x.name).join(', ')})`);
      else regionId = r.id;
    } else if (laName) {
      this.bad('required', 'Location Region', `the region is empty, but the local authority "${laName}" needs one`);
    }

    const hasCoords = this.layout.locationColumns.includes('latitude');
    const latitude = hasCoords ? this.num(fields, 'lat', -90, 90) : null;
    const longitude = hasCoords ? this.num(fields, 'long', -180, 180) : null;
    const street1 = this.f(fields, 'Location Street Address');
    const street2 = this.f(fields, 'Location Address Line 2');
    const street = (street1 && street2 ? `${street1}, ${street2}` : street1 || street2) || null;

    const providerId = this.f(fields, 'Provider ID') || null;
    const providerName = providerId ? this.f(fields, 'Provider Name') || null : null;
    // CQC writes "-" for "no brand".
    const brandId = providerId ? noDash(this.f(fields, 'Brand ID')) : null;
    const brandName = providerId ? noDash(this.f(fields, 'Brand Name')) : null;

    // The rating itself.
    const domain = this.f(fields, 'Domain');
    const keyQuestionId = this.kqByName.get(this.lz(domain));
    if (!keyQuestionId) {
      this.bad('unknown-value', 'Domain', `"${domain}" is not a key question (expected one of: ${this.ctx.keyQuestions.map((k) => k.name).join(', ')})`);
    }
    const groupText = this.f(fields, 'Service / Population Group');
    if (!groupText) this.bad('required', 'Service / Population Group', 'the service or population group is empty');
    // One spelling per group, whichever layout the file has: the API layout's "old" is the national file's "Older people".
    const serviceGroup = this.groupBySpelling.get(this.lz(groupText)) ?? groupText;
    let registrationStatus: RegistrationStatus | null = null;
    if (this.layout.locationColumns.includes('registrationStatus')) {
      const t = this.f(fields, 'Registration Status');
      if (t) {
        const st = registrationStatusOf(t);
        if (!st) this.bad('unknown-value', 'Registration Status', `"${t}" is not Registered or Deregistered`);
        else registrationStatus = st;
      }
    }
    const ratingText = this.f(fields, 'Latest Rating');
    const dateText = this.f(fields, 'Publication Date');
    let rating: string | undefined;
    let publishedOn: string | undefined;
    const noRating = ratingText === '' || (dateText === '' && this.lz(ratingText) === NO_RATING);
    if (!noRating) {
      rating = this.labelByName.get(this.lz(ratingText));
      if (!rating) this.bad('unknown-rating', 'Latest Rating', `"${ratingText}" is not a rating on the scale (expected one of: ${this.ctx.ratingLabels.join(', ')})`);
      if (dateText === '') this.bad('bad-date', 'Publication Date', `the rating "${ratingText}" has no publication date`);
      else {
        publishedOn = parseDate(dateText);
        if (!publishedOn) this.bad('bad-date', 'Publication Date', badDateMessage(dateText));
      }
    }
    const inheritedText = this.f(fields, 'Inherited Rating (Y/N)');
    const inherited = yesNo(inheritedText);
    if (inherited === undefined) this.bad('unknown-value', 'Inherited Rating (Y/N)', `"${inheritedText}" is not Y or N`);

    // A sound row has its location id, sector, key question and, unless it has no rating, its rating and date: each
    // missing one is a problem above.
    if (!this.sound) return { pos, laName, regionText: regionName, regionId, providerId, providerName, brandId, brandName, sound: false, location: undefined, rating: null };
    const location: CqcLocation = {
      id: locationId,
      name: locationName,
      providerId,
      sectorId: sectorId!,
      locationType,
      category: this.f(fields, 'Location Primary Inspection Category') || null,
      careHome: careHome!,
      laName,
      regionId,
      street,
      city: this.f(fields, 'Location City') || null,
      postcode: this.f(fields, 'Location Post Code') || null,
      latitude,
      longitude,
      ...(this.layout.locationColumns.includes('registrationStatus') ? { registrationStatus } : {}),
      pos,
    };
    const ratingRec: CqcRating | null = noRating
      ? null
      : { locationId, serviceGroup, keyQuestionId: keyQuestionId!, rating: rating!, publishedOn: publishedOn!, reportType: this.f(fields, 'Report Type') || null, inherited: inherited ?? 0 };
    return { pos, laName, regionText: regionName, regionId, providerId, providerName, brandId, brandName, sound: true, location, rating: ratingRec };
  }

  private num(fields: string[], column: string, lo: number, hi: number): number | null {
    const t = this.f(fields, column);
    if (t === '') return null;
    const n = Number(t);
    if (!Number.isFinite(n) || n < lo || n > hi) {
      this.bad('bad-number', column, `"${t}" is not a number between ${lo} and ${hi}`);
      return null;
    }
    return n;
  }
}

export function noDash(t: string): string | null {
  return t === '' || t === '-' ? null : t;
}

/** Y/N columns: 1, 0, or undefined for anything else. Empty means no. */
export function yesNo(t: string): number | undefined {
  const l = t.toLowerCase();
  if (l === 'y' || l === 'yes') return 1;
  if (l === '' || l === 'n' || l === 'no') return 0;
  return undefined;
}

function sameLocation(a: CqcLocation, b: CqcLocation): boolean {
  return (
    a.name === b.name &&
    a.providerId === b.providerId &&
    a.sectorId === b.sectorId &&
    a.locationType === b.locationType &&
    a.category === b.category &&
    a.careHome === b.careHome &&
    a.laName === b.laName &&
    a.regionId === b.regionId &&
    a.street === b.street &&
    a.city === b.city &&
    a.postcode === b.postcode &&
    a.latitude === b.latitude &&
    a.longitude === b.longitude &&
    (a.registrationStatus ?? null) === (b.registrationStatus ?? null) &&
    (a.registeredOn ?? null) === (b.registeredOn ?? null) &&
    (a.deregisteredOn ?? null) === (b.deregisteredOn ?? null) &&
    (a.beds ?? null) === (b.beds ?? null)
  );
}

const SEP = '\u0001';

/** A rating key (location, service group, key question, publication date) as one string. */
export function ratingKey(r: Pick<CqcRating, 'locationId' | 'serviceGroup' | 'keyQuestionId' | 'publishedOn'>): string {
  return r.locationId + SEP + r.serviceGroup + SEP + r.keyQuestionId + SEP + r.publishedOn;
}

interface GatheredRating extends CqcRating {
  rows: number[];
  /** Set once a key is seen twice: each distinct (rating, report type, inherited) with the rows that give it. */
  variants: Map<string, number[]> | undefined;
}

/** What the whole file says, each record once, gathered row by row. */
export class CqcFileRecords {
  readonly locations = new Map<string, CqcLocation>();
  readonly providers = new Map<string, CqcProvider>();
  /** Local authorities by loose name, with the region the file puts each in. */
  readonly localAuthorities = new Map<string, { name: string; regionId: string; pos: RowPosition }>();
  private readonly ratings = new Map<string, GatheredRating>();
  skippedNoRating = 0;
  identicalDuplicates = 0;
  /** Keys withheld because the file gives conflicting ratings for them. */
  withheld = 0;
  latestPublication: string | null = null;
  earliestPublication: string | null = null;
  /** The first row giving the latest publication date, for a problem with an edition date before it. */
  latestPublicationRow: RowPosition | null = null;

  /** The file's names for the columns whole-file problems are about (the locations layout spells its own). */
  constructor(private readonly column: { locationId: string; region: string; provider: string } = { locationId: 'Location ID', region: 'Location Region', provider: 'Provider Name' }) {}

  add(row: CqcRow, report: ProblemSink): void {
    const { pos } = row;
    // A row that disagrees with an earlier one gives no location or rating: which of the two is right is not known.
    let sound = row.sound;
    if (row.laName && row.regionId) {
      const key = loose(row.laName);
      const la = this.localAuthorities.get(key);
      if (!la) this.localAuthorities.set(key, { name: row.laName, regionId: row.regionId, pos });
      else if (la.regionId !== row.regionId) {
        sound = false;
        report(problemAt('conflicting-record', pos, this.column.region, `local authority "${row.laName}" is in ${row.regionText} here but in another region on row ${la.pos.row}`));
      }
    }
    if (row.providerId) {
      const prev = this.providers.get(row.providerId);
      if (!prev) this.providers.set(row.providerId, { id: row.providerId, name: row.providerName, brandId: row.brandId, brandName: row.brandName, pos });
      else if (prev.name !== row.providerName || prev.brandId !== row.brandId || prev.brandName !== row.brandName) {
        sound = false;
        report(problemAt('conflicting-record', pos, this.column.provider, `provider ${row.providerId} is named or branded differently here than on row ${prev.pos.row}`));
      }
    }
    if (!sound || !row.location) return;
    const loc = row.location;
    const prevLoc = this.locations.get(loc.id);
    if (!prevLoc) this.locations.set(loc.id, loc);
    else if (!sameLocation(prevLoc, loc)) {
      report(
        problemAt('conflicting-record', pos, this.column.locationId, `location ${loc.id} has different registration details (name, type, address, area, provider or registration) here than on row ${prevLoc.pos.row}`),
      );
      return;
    }
    const r = row.rating;
    if (!r) {
      this.skippedNoRating++;
      return;
    }
    if (this.earliestPublication === null || r.publishedOn < this.earliestPublication) this.earliestPublication = r.publishedOn;
    if (this.latestPublication === null || r.publishedOn > this.latestPublication) {
      this.latestPublication = r.publishedOn;
      this.latestPublicationRow = pos;
    }
    const key = ratingKey(r);
    const prev = this.ratings.get(key);
    if (!prev) {
      const { locationId, serviceGroup, keyQuestionId, rating, publishedOn, reportType, inherited } = r;
      this.ratings.set(key, { locationId, serviceGroup, keyQuestionId, rating, publishedOn, reportType, inherited, rows: [pos.row], variants: undefined });
      return;
    }
    // Only keys seen twice pay for describing their variants.
    const variant = JSON.stringify([r.rating, r.reportType, r.inherited]);
    if (!prev.variants) prev.variants = new Map([[JSON.stringify([prev.rating, prev.reportType, prev.inherited]), [...prev.rows]]]);
    prev.rows.push(pos.row);
    const same = prev.variants.get(variant);
    if (same) {
      same.push(pos.row);
      this.identicalDuplicates++;
    } else prev.variants.set(variant, [pos.row]);
  }

  /**
   * Keys the file rates differently on different rows: refused ('error'), or withheld with a warning ('withhold'; see
   * CqcImportOptions.duplicates).
   */
  finish(duplicates: DuplicatePolicy, report: ProblemSink, warn: (w: ImportWarning) => void): void {
    for (const r of this.ratings.values()) {
      if (!r.variants || r.variants.size < 2) continue;
      const described = [...r.variants.entries()]
        .map(([v, rows]) => {
          const [rating, reportType, inherited] = JSON.parse(v) as [string, string | null, number];
          return `${rating}${reportType ? `, ${reportType} report` : ''}${inherited ? ', inherited' : ''} on row${rows.length > 1 ? 's' : ''} ${rows.join(', ')}`;
        })
        .join('; ');
      const what = `location ${r.locationId}, "${r.serviceGroup}", ${r.keyQuestionId}, published ${r.publishedOn}, appears ${r.rows.length} times with different ratings (${described})`;
      const last = r.rows[r.rows.length - 1]!;
      if (duplicates === 'error') {
        report({ code: 'duplicate-key', row: last, column: 'Latest Rating', message: `duplicate key within the file: ${what}` });
      } else {
        warn({ code: 'duplicate-key', row: last, rows: r.rows, column: 'Latest Rating', message: `${what}: neither is imported; ask CQC which is right` });
        this.withheld++;
      }
    }
  }

  /** The ratings to write: every key once, keys the file rates differently withheld; each with the rows giving it. */
  ratingsToWrite(): (CqcRating & { readonly rows: readonly number[] })[] {
    const out: (CqcRating & { readonly rows: readonly number[] })[] = [];
    for (const r of this.ratings.values()) if (!r.variants || r.variants.size === 1) out.push(r);
    return out;
  }
}
