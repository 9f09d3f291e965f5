import type { Tx } from '../store/workspace';
import type { Db } from '../store/query';
import { WorkspaceError } from '../store/errors';
import { REGIONS, SECTORS, slugify } from '../store/reference';
import {
  allLocalAuthorities,
  allLocations,
  allProviders,
  allRegions,
  insertLocalAuthorities,
  insertLocations,
  insertProviders,
  insertRegions,
  insertSectors,
  sectorIds,
  setLocalAuthorityRegions,
  updateLocations,
  updateProviders,
  type LocalAuthorityRecord,
  type LocationRecord,
  type ProviderRecord,
} from '../store/locations';
import { allRatings, correctRatings, importScale, insertRatings, type NewRating, type RatingRecord } from '../store/ratings';
import { badDateMessage, parseDate } from './dates';
import { problemAt, type RowPosition } from './problems';
import { auditImport, emptyCounts, loose, recordImport, TableImporter, type ImportRecord, type TableCounts } from './table';
import { LIMITS } from '../util/limits';

/** Columns naming organisations and places, held to LIMITS.organisation; every other cell to LIMITS.importCell. */
const NAMED_COLUMNS = ['Location Name', 'Provider Name', 'Brand Name', 'Location Local Authority', 'Location Street Address', 'Location Address Line 2', 'Location City'] as const;

/**
 * CQC's "Latest ratings" data in its long layout: one row per location x service/population group x key question.
 * Two variants exist and the header decides which: the national file CQC publishes (with addresses, provider names,
 * brands and coordinates, dates dd/mm/yyyy) and the layout derived from CQC's API (with registration status and
 * inspection directorate, ISO dates, and statuses such as "No published rating").
 */

export type CqcLayoutId = 'cqc-latest-ratings' | 'cqc-api-long';

export interface CqcLayout {
  id: CqcLayoutId;
  name: string;
  required: readonly string[];
  /** Location columns this layout carries; a location's other columns are left as the workspace has them. */
  locationColumns: readonly LocationColumn[];
}

type LocationColumn = 'street' | 'city' | 'postcode' | 'latitude' | 'longitude';

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
    locationColumns: [],
  },
};

/**
 * Decides the layout from the header. The API layout is the only one with an inspection directorate or a registration
 * status; anything else is read as the national layout, so that a national file missing a column is reported as
 * exactly that rather than as "unknown layout".
 */
export function detectCqcLayout(header: readonly string[]): CqcLayout {
  const names = new Set(header.map(loose));
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

export type DuplicatePolicy = 'withhold' | 'error';

export interface CqcImportOptions {
  /**
   * Rows with the same location, service group, key question and publication date but different ratings. The national
   * file of February 2021 has one such pair (a GP practice's "People with long term conditions" rating, Good and
   * Requires improvement, both published 14/08/2018). CQC's file cannot be corrected by the person importing it, and
   * refusing 74,000 good rows over one ambiguous pair helps nobody, so by default ('withhold') neither row is imported,
   * the pair is reported as a warning with both row numbers and recorded in the import's notes for follow-up, and no
   * figure silently rests on a guess. 'error' refuses the file instead, for stewards who want that.
   * Rows repeated identically are always harmless and are imported once.
   */
  duplicates?: DuplicatePolicy;
}

interface LocationRec {
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
  pos: RowPosition;
}

function sameLocation(a: LocationRec, b: LocationRec): boolean {
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
    a.longitude === b.longitude
  );
}

interface ProviderRec {
  id: string;
  name: string | null;
  brandId: string | null;
  brandName: string | null;
  pos: RowPosition;
}

interface RatingRec {
  locationId: string;
  serviceGroup: string;
  keyQuestionId: string;
  rating: string;
  publishedOn: string;
  reportType: string | null;
  inherited: number;
  rows: number[];
  /** Set once a key is seen twice: each distinct (rating, report type, inherited) with the rows that give it. */
  variants: Map<string, number[]> | undefined;
}

export interface CqcImportSummary {
  layout: CqcLayoutId;
  rowsRead: number;
  /** Rows with no rating to import: an empty rating, or "No published rating" without a date. */
  skippedNoRating: number;
  /** Rows repeated identically, imported once. */
  identicalDuplicates: number;
  /** Keys withheld because the file gives conflicting ratings for them (see {@link CqcImportOptions.duplicates}). */
  withheld: number;
  latestPublication: string | null;
  tables: {
    regions: TableCounts;
    local_authorities: TableCounts;
    providers: TableCounts;
    locations: TableCounts;
    ratings: TableCounts;
  };
}

/** What the importer needs to know about the workspace before it reads a row: the scale is data, not code. */
export interface CqcContext {
  keyQuestions: { id: string; name: string }[];
  ratingLabels: string[];
  regions: { id: string; name: string }[];
}

/** Reads the key questions and labels of CQC's scale (or the default scale) and the regions from a workspace. */
export function cqcContext(db: Db): CqcContext {
  const scale = importScale(db);
  if (!scale) throw new WorkspaceError('invalid', 'The workspace has no rating scale to import CQC ratings against.');
  return { keyQuestions: scale.keyQuestions, ratingLabels: scale.ratingLabels, regions: allRegions(db) };
}

const SEP = '\u0001';

/** The location fields an import sets; the rest (registration dates, beds) keep what the workspace has. */
const LOCATION_FIELDS = ['name', 'providerId', 'sectorId', 'locationType', 'category', 'careHome', 'localAuthorityId', 'regionId', 'street', 'city', 'postcode', 'latitude', 'longitude'] as const;

export class CqcRatingsImporter extends TableImporter<CqcImportSummary> {
  readonly kind = 'cqc-ratings';
  layout: CqcLayout = CQC_LAYOUTS['cqc-latest-ratings'];
  skippedNoRating = 0;
  identicalDuplicates = 0;
  latestPublication: string | null = null;

  private readonly kqByName: Map<string, string>;
  private readonly labelByName: Map<string, string>;
  private readonly regionByName: Map<string, { id: string; name: string; known: boolean }>;
  private readonly duplicates: DuplicatePolicy;
  private col: Record<string, number> = {};
  private readonly locations = new Map<string, LocationRec>();
  private readonly providers = new Map<string, ProviderRec>();
  private readonly las = new Map<string, { name: string; regionId: string; pos: RowPosition }>();
  private readonly ratings = new Map<string, RatingRec>();
  private withheldKeys = 0;
  private missingColumns = false;

  constructor(private readonly ctx: CqcContext, opts: CqcImportOptions = {}) {
    super();
    this.duplicates = opts.duplicates ?? 'withhold';
    this.kqByName = new Map();
    for (const kq of ctx.keyQuestions) {
      this.kqByName.set(loose(kq.name), kq.id);
      this.kqByName.set(loose(kq.id), kq.id);
    }
    this.labelByName = new Map(ctx.ratingLabels.map((l) => [loose(l), l]));
    this.regionByName = new Map();
    // Regions the workspace lacks but CQC names are added on import; the workspace's own names take precedence.
    for (const r of REGIONS) this.regionByName.set(loose(r.name), { ...r, known: false });
    for (const r of ctx.regions) this.regionByName.set(loose(r.name), { ...r, known: true });
  }

  protected onHeader(): void {
    this.layout = detectCqcLayout(this.columns);
    for (const name of this.layout.required) {
      const i = this.indexOf(name);
      if (i < 0) this.missingColumns = true;
      if (i < 0) this.problem(problemAt('missing-column', { row: 1, line: 1 }, name, `the ${this.layout.name} needs a column "${name}"; it is missing`));
      this.col[name] = i;
    }
    for (const name of ['Location Street Address', 'Location Address Line 2', 'Location City', 'Location Post Code', 'long', 'lat', 'Report Type', 'Inherited Rating (Y/N)', 'Brand ID', 'Brand Name', 'Provider Name']) {
      if (this.col[name] === undefined) this.col[name] = this.indexOf(name);
    }
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

  protected override limitOf(index: number): { limit: number; what: string } {
    for (const name of NAMED_COLUMNS) if (this.col[name] === index) return { limit: LIMITS.organisation, what: name.toLowerCase() };
    return super.limitOf(index);
  }

  private bad(pos: RowPosition, code: Parameters<typeof problemAt>[0], column: string, message: string): void {
    this.problem(problemAt(code, pos, column, message));
  }

  private num(fields: string[], pos: RowPosition, column: string, lo: number, hi: number): number | null {
    const t = this.f(fields, column);
    if (t === '') return null;
    const n = Number(t);
    if (!Number.isFinite(n) || n < lo || n > hi) {
      this.bad(pos, 'bad-number', column, `"${t}" is not a number between ${lo} and ${hi}`);
      return null;
    }
    return n;
  }

  /** Y/N columns: 1, 0, or undefined for anything else. Empty means no. */
  private yesNo(t: string): number | undefined {
    const l = t.toLowerCase();
    if (l === 'y' || l === 'yes') return 1;
    if (l === '' || l === 'n' || l === 'no') return 0;
    return undefined;
  }

  protected onRow(fields: string[], pos: RowPosition): void {
    // A file with missing columns is reported once, at the header, not once per row.
    if (this.missingColumns) return;
    const before = this.problemCount;

    const locationId = this.f(fields, 'Location ID');
    if (!locationId) this.bad(pos, 'required', 'Location ID', 'the location id is empty');
    const locationName = this.f(fields, 'Location Name');
    if (!locationName) this.bad(pos, 'required', 'Location Name', 'the location name is empty');
    const locationType = this.f(fields, 'Location Type');
    const directorate = this.layout.id === 'cqc-api-long' ? this.f(fields, 'Inspection Directorate') : '';
    const sectorId = (directorate && DIRECTORATE_BY_LOOSE.get(this.lz(directorate))) || TYPE_BY_LOOSE.get(this.lz(locationType));
    if (!sectorId) {
      this.bad(pos, 'unknown-value', 'Location Type', `"${locationType}" is not a CQC location type (expected one of: ${Object.keys(LOCATION_TYPE_SECTORS).join(', ')})`);
    }
    const careHomeText = this.f(fields, 'Care Home?');
    const careHome = this.yesNo(careHomeText) ?? 0;
    if (this.yesNo(careHomeText) === undefined) this.bad(pos, 'unknown-value', 'Care Home?', `"${careHomeText}" is not Y or N`);

    const laName = this.f(fields, 'Location Local Authority') || null;
    const regionName = this.f(fields, 'Location Region');
    let regionId: string | null = null;
    if (regionName) {
      const r = this.regionByName.get(this.lz(regionName));
      if (!r) this.bad(pos, 'unknown-value', 'Location Region', `"${regionName}" is not an English region (expected one of: ${REGIONS.map((x) => x.name).join(', ')})`);
      else regionId = r.id;
    } else if (laName) {
      this.bad(pos, 'required', 'Location Region', `the region is empty, but the local authority "${laName}" needs one`);
    }
    if (laName && regionId) {
      const key = this.lz(laName);
      const la = this.las.get(key);
      if (!la) this.las.set(key, { name: laName, regionId, pos });
      else if (la.regionId !== regionId) {
        this.bad(pos, 'conflicting-record', 'Location Region', `local authority "${laName}" is in ${regionName} here but in another region on row ${la.pos.row}`);
      }
    }

    const hasCoords = this.layout.locationColumns.includes('latitude');
    const latitude = hasCoords ? this.num(fields, pos, 'lat', -90, 90) : null;
    const longitude = hasCoords ? this.num(fields, pos, 'long', -180, 180) : null;
    const street1 = this.f(fields, 'Location Street Address');
    const street2 = this.f(fields, 'Location Address Line 2');
    const street = (street1 && street2 ? `${street1}, ${street2}` : street1 || street2) || null;

    const providerId = this.f(fields, 'Provider ID') || null;
    if (providerId) {
      const brandId = this.f(fields, 'Brand ID');
      const brandName = this.f(fields, 'Brand Name');
      const name = this.f(fields, 'Provider Name') || null;
      const prev = this.providers.get(providerId);
      // CQC writes "-" for "no brand".
      const b = brandId === '' || brandId === '-' ? null : brandId;
      const bn = brandName === '' || brandName === '-' ? null : brandName;
      if (!prev) this.providers.set(providerId, { id: providerId, name, brandId: b, brandName: bn, pos });
      else if (prev.name !== name || prev.brandId !== b || prev.brandName !== bn) {
        this.bad(pos, 'conflicting-record', 'Provider Name', `provider ${providerId} is named or branded differently here than on row ${prev.pos.row}`);
      }
    }

    // The rating itself.
    const domain = this.f(fields, 'Domain');
    const keyQuestionId = this.kqByName.get(this.lz(domain));
    if (!keyQuestionId) {
      this.bad(pos, 'unknown-value', 'Domain', `"${domain}" is not a key question (expected one of: ${this.ctx.keyQuestions.map((k) => k.name).join(', ')})`);
    }
    const serviceGroup = this.f(fields, 'Service / Population Group');
    if (!serviceGroup) this.bad(pos, 'required', 'Service / Population Group', 'the service or population group is empty');
    const ratingText = this.f(fields, 'Latest Rating');
    const dateText = this.f(fields, 'Publication Date');
    let rating: string | undefined;
    let publishedOn: string | undefined;
    const noRating = ratingText === '' || (dateText === '' && this.lz(ratingText) === NO_RATING);
    if (!noRating) {
      rating = this.labelByName.get(this.lz(ratingText));
      if (!rating) this.bad(pos, 'unknown-rating', 'Latest Rating', `"${ratingText}" is not a rating on the scale (expected one of: ${this.ctx.ratingLabels.join(', ')})`);
      if (dateText === '') this.bad(pos, 'bad-date', 'Publication Date', `the rating "${ratingText}" has no publication date`);
      else {
        publishedOn = parseDate(dateText);
        if (!publishedOn) this.bad(pos, 'bad-date', 'Publication Date', badDateMessage(dateText));
      }
    }
    const inheritedText = this.f(fields, 'Inherited Rating (Y/N)');
    const inherited = this.yesNo(inheritedText);
    if (inherited === undefined) this.bad(pos, 'unknown-value', 'Inherited Rating (Y/N)', `"${inheritedText}" is not Y or N`);

    if (this.problemCount !== before || !locationId || !sectorId) return;

    const loc: LocationRec = {
      id: locationId,
      name: locationName,
      providerId,
      sectorId,
      locationType,
      category: this.f(fields, 'Location Primary Inspection Category') || null,
      careHome,
      laName,
      regionId,
      street,
      city: this.f(fields, 'Location City') || null,
      postcode: this.f(fields, 'Location Post Code') || null,
      latitude,
      longitude,
      pos,
    };
    const prevLoc = this.locations.get(locationId);
    if (!prevLoc) this.locations.set(locationId, loc);
    else if (!sameLocation(prevLoc, loc)) {
      this.bad(pos, 'conflicting-record', 'Location ID', `location ${locationId} has different registration details (name, type, address, area or provider) here than on row ${prevLoc.pos.row}`);
      return;
    }

    if (noRating || !rating || !publishedOn || !keyQuestionId) {
      if (noRating) this.skippedNoRating++;
      return;
    }
    if (this.latestPublication === null || publishedOn > this.latestPublication) this.latestPublication = publishedOn;
    const reportType = this.f(fields, 'Report Type') || null;
    const key = locationId + SEP + serviceGroup + SEP + keyQuestionId + SEP + publishedOn;
    const inh = inherited ?? 0;
    const prev = this.ratings.get(key);
    if (!prev) {
      this.ratings.set(key, { locationId, serviceGroup, keyQuestionId, rating, publishedOn, reportType, inherited: inh, rows: [pos.row], variants: undefined });
      return;
    }
    // Only keys seen twice pay for describing their variants.
    const variant = JSON.stringify([rating, reportType, inh]);
    if (!prev.variants) prev.variants = new Map([[JSON.stringify([prev.rating, prev.reportType, prev.inherited]), [...prev.rows]]]);
    prev.rows.push(pos.row);
    const same = prev.variants.get(variant);
    if (same) {
      same.push(pos.row);
      this.identicalDuplicates++;
    } else prev.variants.set(variant, [pos.row]);
  }

  protected override onFinish(): void {
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
      if (this.duplicates === 'error') {
        this.problem({ code: 'duplicate-key', row: last, column: 'Latest Rating', message: `duplicate key within the file: ${what}` });
      } else {
        this.warn({ code: 'duplicate-key', row: last, rows: r.rows, column: 'Latest Rating', message: `${what}: neither is imported; ask CQC which is right` });
        this.withheldKeys++;
      }
    }
  }

  /** The rating rows that will be written: every key once, conflicting keys withheld. */
  private ratingRows(): RatingRec[] {
    const out: RatingRec[] = [];
    for (const r of this.ratings.values()) if (!r.variants || r.variants.size === 1) out.push(r);
    return out;
  }

  get ratingCount(): number {
    return this.ratingRows().length;
  }

  write(tx: Tx, record: ImportRecord): { summary: CqcImportSummary; changed: number } {
    if (!this.ok) throw new Error('An import with problems must not be written.');
    const at = tx.at;
    const importId = record.id;
    const tables = {
      regions: emptyCounts(),
      local_authorities: emptyCounts(),
      providers: emptyCounts(),
      locations: emptyCounts(),
      ratings: emptyCounts(),
    };
    // Every decision below is made from a handful of whole-table reads, never one SELECT per row: the national
    // file has 74,000 rows and must import in seconds.
    const knownSectors = sectorIds(tx);
    const regionIds = new Set(allRegions(tx).map((r) => r.id));
    const laRows = allLocalAuthorities(tx);
    const laByName = new Map(laRows.map((r) => [loose(r.name), r]));
    const laIds = new Set(laRows.map((r) => r.id));
    const provRows = new Map(allProviders(tx).map((r) => [r.id, r]));
    const locRows = new Map(allLocations(tx).map((r) => [r.id, r]));
    const ratingRows = new Map(allRatings(tx).map((r) => [[r.locationId, r.serviceGroup, r.keyQuestionId, r.publishedOn].join(SEP), r]));

    // Plan -------------------------------------------------------------------------------------------------------
    const newSectors = SECTORS.filter((s) => !knownSectors.has(s.id) && [...this.locations.values()].some((l) => l.sectorId === s.id));
    const usedRegions = new Set<string>();
    for (const l of this.locations.values()) if (l.regionId) usedRegions.add(l.regionId);
    for (const l of this.las.values()) usedRegions.add(l.regionId);
    const newRegions = [...new Map([...this.regionByName.values()].map((r) => [r.id, r])).values()].filter((r) => !regionIds.has(r.id) && usedRegions.has(r.id));
    tables.regions.added = newRegions.length;
    const laIdByName = new Map<string, string>();
    const newLas: LocalAuthorityRecord[] = [];
    const laRegionUpdates: { before: LocalAuthorityRecord; regionId: string }[] = [];
    for (const [key, la] of this.las) {
      const existing = laByName.get(key);
      if (existing) {
        laIdByName.set(key, existing.id);
        if (existing.regionId !== la.regionId) laRegionUpdates.push({ before: existing, regionId: la.regionId });
        else tables.local_authorities.unchanged++;
        continue;
      }
      let id = slugify(la.name);
      // Keep the slug rule (the demo generator uses it too); a clash with a differently named authority is suffixed.
      for (let n = 2; laIds.has(id); n++) id = `${slugify(la.name)}-${n}`;
      laIds.add(id);
      laIdByName.set(key, id);
      newLas.push({ id, name: la.name, regionId: la.regionId });
    }
    tables.local_authorities.added = newLas.length;
    tables.local_authorities.updated = laRegionUpdates.length;

    const newProviders: ProviderRecord[] = [];
    const providerUpdates: ProviderRecord[] = [];
    for (const p of this.providers.values()) {
      const existing = provRows.get(p.id);
      if (!existing) {
        // The API layout has no provider names; the id stands in until a file with names is imported.
        newProviders.push({ id: p.id, name: p.name ?? p.id, brandId: p.brandId, brandName: p.brandName, importId, updatedAt: at });
      } else if (p.name !== null && (existing.name !== p.name || existing.brandId !== p.brandId || existing.brandName !== p.brandName)) {
        providerUpdates.push({ ...existing, name: p.name, brandId: p.brandId, brandName: p.brandName, importId, updatedAt: at });
      } else tables.providers.unchanged++;
    }
    tables.providers.added = newProviders.length;
    tables.providers.updated = providerUpdates.length;

    const own = new Set(this.layout.locationColumns);
    const newLocations: LocationRecord[] = [];
    const locationUpdates: { before: LocationRecord; after: LocationRecord }[] = [];
    for (const l of this.locations.values()) {
      const existing = locRows.get(l.id);
      // Columns this layout does not carry (the API layout has no addresses) keep what the workspace has.
      const take = <C extends LocationColumn>(c: C, v: LocationRecord[C]): LocationRecord[C] => (own.has(c) || !existing ? v : existing[c]);
      const fields: Pick<LocationRecord, (typeof LOCATION_FIELDS)[number]> = {
        name: l.name,
        providerId: l.providerId ?? existing?.providerId ?? null,
        sectorId: l.sectorId,
        locationType: l.locationType,
        category: l.category,
        careHome: l.careHome === 1,
        localAuthorityId: l.laName ? (laIdByName.get(loose(l.laName)) ?? null) : null,
        regionId: l.regionId,
        street: take('street', l.street),
        city: take('city', l.city),
        postcode: take('postcode', l.postcode),
        latitude: take('latitude', l.latitude),
        longitude: take('longitude', l.longitude),
      };
      if (!existing) {
        newLocations.push({ id: l.id, ...fields, registeredOn: null, deregisteredOn: null, beds: null, importId, updatedAt: at });
        continue;
      }
      if (LOCATION_FIELDS.some((f) => existing[f] !== fields[f])) locationUpdates.push({ before: existing, after: { ...existing, ...fields, importId, updatedAt: at } });
      else tables.locations.unchanged++;
    }
    tables.locations.added = newLocations.length;
    tables.locations.updated = locationUpdates.length;

    const hasReportType = (this.col['Report Type'] ?? -1) >= 0;
    const hasInherited = (this.col['Inherited Rating (Y/N)'] ?? -1) >= 0;
    const newRatings: NewRating[] = [];
    const ratingUpdates: { before: RatingRecord; after: RatingRecord }[] = [];
    for (const r of this.ratingRows()) {
      const existing = ratingRows.get([r.locationId, r.serviceGroup, r.keyQuestionId, r.publishedOn].join(SEP));
      if (!existing) {
        newRatings.push({
          locationId: r.locationId,
          serviceGroup: r.serviceGroup,
          keyQuestionId: r.keyQuestionId,
          rating: r.rating,
          publishedOn: r.publishedOn,
          reportType: r.reportType,
          inherited: r.inherited === 1,
          inspectionId: null,
          importId,
          updatedAt: at,
        });
        continue;
      }
      // A layout without the column (the API layout has no inherited flag) leaves the workspace's value alone.
      const reportType = hasReportType ? r.reportType : existing.reportType;
      const inherited = hasInherited ? r.inherited === 1 : existing.inherited;
      if (existing.rating !== r.rating || existing.reportType !== reportType || existing.inherited !== inherited) {
        // The same key with a different rating is CQC correcting what it published: take it, and keep the old value
        // in the audit log, because it may already have been quoted.
        ratingUpdates.push({ before: existing, after: { ...existing, rating: r.rating, reportType, inherited, importId, updatedAt: at } });
      } else tables.ratings.unchanged++;
    }
    tables.ratings.added = newRatings.length;
    tables.ratings.updated = ratingUpdates.length;

    const summary: CqcImportSummary = {
      layout: this.layout.id,
      rowsRead: this.rowsRead,
      skippedNoRating: this.skippedNoRating,
      identicalDuplicates: this.identicalDuplicates,
      withheld: this.withheldKeys,
      latestPublication: this.latestPublication,
      tables,
    };
    let changed = newSectors.length;
    for (const c of Object.values(tables)) changed += c.added + c.updated;
    if (changed === 0) return { summary, changed };

    // Write ------------------------------------------------------------------------------------------------------
    recordImport(tx, { ...record, notes: record.notes ?? JSON.stringify(this.notes(summary)) });
    insertSectors(tx, newSectors);
    insertRegions(tx, newRegions);
    insertLocalAuthorities(tx, newLas);
    setLocalAuthorityRegions(tx, laRegionUpdates);
    insertProviders(tx, newProviders);
    updateProviders(tx, providerUpdates);
    insertLocations(tx, newLocations);
    updateLocations(tx, locationUpdates);
    insertRatings(tx, newRatings);
    correctRatings(tx, ratingUpdates);
    for (const t of Object.keys(tables)) tx.note({ table: t, op: 'insert' });
    auditImport(tx, record, summary);
    return { summary, changed };
  }

  private notes(summary: CqcImportSummary): Record<string, unknown> {
    return {
      layout: summary.layout,
      latestPublication: summary.latestPublication,
      skippedNoRating: summary.skippedNoRating,
      identicalDuplicates: summary.identicalDuplicates,
      withheld: this.warnings.filter((w) => w.code === 'duplicate-key').map((w) => ({ rows: w.rows, message: w.message })),
    };
  }
}
