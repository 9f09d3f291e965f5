import type { Tx } from '../store/workspace';
import type { Db } from '../store/query';
import { SECTORS, slugify } from '../store/reference';
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
  type RegionRecord,
} from '../store/locations';
import { allRatings, correctRatings, insertRatings, type NewRating, type RatingRecord } from '../store/ratings';
import { ratingKey, type CqcFileRecords, type LocationColumn } from './cqc-parse';
import { emptyCounts, loose, type TableCounts } from './table';

/**
 * The plan and apply steps of a CQC ratings import. The plan compares what the file says (cqc-parse.ts) with the
 * workspace as it is, and says as data what to insert, what to update and what is already there; apply writes the plan
 * through the store's bulk functions. Every decision is made from a handful of whole-table reads, never one SELECT per
 * row: the national file has 74,000 rows and must import in seconds.
 */

export interface CqcTables {
  regions: TableCounts;
  local_authorities: TableCounts;
  providers: TableCounts;
  locations: TableCounts;
  ratings: TableCounts;
}

/** The rows of the tables an import touches, as the workspace holds them now. */
export interface CqcWorkspaceState {
  sectorIds: Set<string>;
  regionIds: Set<string>;
  localAuthorities: LocalAuthorityRecord[];
  providers: Map<string, ProviderRecord>;
  locations: Map<string, LocationRecord>;
  /** By rating key (see ratingKey). */
  ratings: Map<string, RatingRecord>;
}

export function readCqcState(db: Db): CqcWorkspaceState {
  return {
    sectorIds: sectorIds(db),
    regionIds: new Set(allRegions(db).map((r) => r.id)),
    localAuthorities: allLocalAuthorities(db),
    providers: new Map(allProviders(db).map((r) => [r.id, r])),
    locations: new Map(allLocations(db).map((r) => [r.id, r])),
    ratings: new Map(allRatings(db).map((r) => [ratingKey(r), r])),
  };
}

export interface CqcPlan {
  sectors: { id: string; name: string }[];
  regions: RegionRecord[];
  localAuthorities: { insert: LocalAuthorityRecord[]; moveRegion: { before: LocalAuthorityRecord; regionId: string }[] };
  providers: { insert: ProviderRecord[]; update: ProviderRecord[] };
  locations: { insert: LocationRecord[]; update: { before: LocationRecord; after: LocationRecord }[] };
  ratings: { insert: NewRating[]; correct: { before: RatingRecord; after: RatingRecord }[] };
  /** Per table: added, updated and already as the file has them. */
  tables: CqcTables;
  /** Records added or changed: none means the workspace already holds the file, and nothing is written. */
  changed: number;
}

export interface PlanOptions {
  importId: string;
  /** The time written as each record's updated_at: the transaction's. */
  at: string;
  /** Location columns the file's layout carries; the rest keep what the workspace has. */
  locationColumns: readonly LocationColumn[];
  /** Whether the file has these columns; without one, an existing rating keeps its value. */
  hasReportType: boolean;
  hasInherited: boolean;
  /** The regions rows may name (CQC's, and the workspace's own): those used and missing from the workspace are added. */
  regions: Iterable<RegionRecord>;
}

/** The location fields an import sets; the rest (registration dates, beds) keep what the workspace has. */
const LOCATION_FIELDS = ['name', 'providerId', 'sectorId', 'locationType', 'category', 'careHome', 'localAuthorityId', 'regionId', 'street', 'city', 'postcode', 'latitude', 'longitude'] as const;

export function planCqcImport(file: CqcFileRecords, state: CqcWorkspaceState, opts: PlanOptions): CqcPlan {
  const tables: CqcTables = { regions: emptyCounts(), local_authorities: emptyCounts(), providers: emptyCounts(), locations: emptyCounts(), ratings: emptyCounts() };
  const sectors = SECTORS.filter((s) => !state.sectorIds.has(s.id) && [...file.locations.values()].some((l) => l.sectorId === s.id));
  const regions = planRegions(file, state, opts.regions);
  tables.regions.added = regions.length;
  const { laIdByName, ...localAuthorities } = planLocalAuthorities(file, state, tables.local_authorities);
  const providers = planProviders(file, state, opts, tables.providers);
  const locations = planLocations(file, state, laIdByName, opts, tables.locations);
  const ratings = planRatings(file, state, opts, tables.ratings);
  let changed = sectors.length;
  for (const c of Object.values(tables)) changed += c.added + c.updated;
  return { sectors, regions, localAuthorities, providers, locations, ratings, tables, changed };
}

function planRegions(file: CqcFileRecords, state: CqcWorkspaceState, candidates: Iterable<RegionRecord>): RegionRecord[] {
  const used = new Set<string>();
  for (const l of file.locations.values()) if (l.regionId) used.add(l.regionId);
  for (const l of file.localAuthorities.values()) used.add(l.regionId);
  // One per id, in the candidates' order.
  const byId = new Map<string, RegionRecord>();
  for (const r of candidates) byId.set(r.id, { id: r.id, name: r.name });
  return [...byId.values()].filter((r) => !state.regionIds.has(r.id) && used.has(r.id));
}

function planLocalAuthorities(file: CqcFileRecords, state: CqcWorkspaceState, counts: TableCounts) {
  const byName = new Map(state.localAuthorities.map((r) => [loose(r.name), r]));
  const ids = new Set(state.localAuthorities.map((r) => r.id));
  const laIdByName = new Map<string, string>();
  const insert: LocalAuthorityRecord[] = [];
  const moveRegion: { before: LocalAuthorityRecord; regionId: string }[] = [];
  for (const [key, la] of file.localAuthorities) {
    const existing = byName.get(key);
    if (existing) {
      laIdByName.set(key, existing.id);
      if (existing.regionId !== la.regionId) moveRegion.push({ before: existing, regionId: la.regionId });
      else counts.unchanged++;
      continue;
    }
    let id = slugify(la.name);
    // Keep the slug rule (the demo generator uses it too); a clash with a differently named authority is suffixed.
    for (let n = 2; ids.has(id); n++) id = `${slugify(la.name)}-${n}`;
    ids.add(id);
    laIdByName.set(key, id);
    insert.push({ id, name: la.name, regionId: la.regionId });
  }
  counts.added = insert.length;
  counts.updated = moveRegion.length;
  return { insert, moveRegion, laIdByName };
}

function planProviders(file: CqcFileRecords, state: CqcWorkspaceState, opts: PlanOptions, counts: TableCounts): CqcPlan['providers'] {
  const { importId, at } = opts;
  const insert: ProviderRecord[] = [];
  const update: ProviderRecord[] = [];
  for (const p of file.providers.values()) {
    const existing = state.providers.get(p.id);
    if (!existing) {
      // The API layout has no provider names; the id stands in until a file with names is imported.
      insert.push({ id: p.id, name: p.name ?? p.id, brandId: p.brandId, brandName: p.brandName, importId, updatedAt: at });
    } else if (p.name !== null && (existing.name !== p.name || existing.brandId !== p.brandId || existing.brandName !== p.brandName)) {
      update.push({ ...existing, name: p.name, brandId: p.brandId, brandName: p.brandName, importId, updatedAt: at });
    } else counts.unchanged++;
  }
  counts.added = insert.length;
  counts.updated = update.length;
  return { insert, update };
}

function planLocations(file: CqcFileRecords, state: CqcWorkspaceState, laIdByName: Map<string, string>, opts: PlanOptions, counts: TableCounts): CqcPlan['locations'] {
  const { importId, at } = opts;
  const own = new Set(opts.locationColumns);
  const insert: LocationRecord[] = [];
  const update: { before: LocationRecord; after: LocationRecord }[] = [];
  for (const l of file.locations.values()) {
    const existing = state.locations.get(l.id);
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
      insert.push({ id: l.id, ...fields, registeredOn: null, deregisteredOn: null, beds: null, importId, updatedAt: at });
      continue;
    }
    if (LOCATION_FIELDS.some((f) => existing[f] !== fields[f])) update.push({ before: existing, after: { ...existing, ...fields, importId, updatedAt: at } });
    else counts.unchanged++;
  }
  counts.added = insert.length;
  counts.updated = update.length;
  return { insert, update };
}

function planRatings(file: CqcFileRecords, state: CqcWorkspaceState, opts: PlanOptions, counts: TableCounts): CqcPlan['ratings'] {
  const { importId, at } = opts;
  const insert: NewRating[] = [];
  const correct: { before: RatingRecord; after: RatingRecord }[] = [];
  for (const r of file.ratingsToWrite()) {
    const existing = state.ratings.get(ratingKey(r));
    if (!existing) {
      insert.push({
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
    const reportType = opts.hasReportType ? r.reportType : existing.reportType;
    const inherited = opts.hasInherited ? r.inherited === 1 : existing.inherited;
    if (existing.rating !== r.rating || existing.reportType !== reportType || existing.inherited !== inherited) {
      // The same key with a different rating is CQC correcting what it published: take it, and keep the old value
      // in the audit log, because it may already have been quoted.
      correct.push({ before: existing, after: { ...existing, rating: r.rating, reportType, inherited, importId, updatedAt: at } });
    } else counts.unchanged++;
  }
  counts.added = insert.length;
  counts.updated = correct.length;
  return { insert, correct };
}

/** Writes a plan, parents before the rows that refer to them, and notes each table as changed for live readers. */
export function applyCqcPlan(tx: Tx, plan: CqcPlan): void {
  insertSectors(tx, plan.sectors);
  insertRegions(tx, plan.regions);
  insertLocalAuthorities(tx, plan.localAuthorities.insert);
  setLocalAuthorityRegions(tx, plan.localAuthorities.moveRegion);
  insertProviders(tx, plan.providers.insert);
  updateProviders(tx, plan.providers.update);
  insertLocations(tx, plan.locations.insert);
  updateLocations(tx, plan.locations.update);
  insertRatings(tx, plan.ratings.insert);
  correctRatings(tx, plan.ratings.correct);
  for (const t of Object.keys(plan.tables)) tx.note({ table: t, op: 'insert' });
}
