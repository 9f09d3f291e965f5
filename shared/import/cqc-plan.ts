import type { Tx } from '../store/workspace';
import type { Db } from '../store/query';
import { SECTORS, slugify } from '../store/reference';
import {
  allLocalAuthorities,
  allLocationDetails,
  allLocations,
  allProviders,
  allRegions,
  insertLocalAuthorities,
  insertLocationDetails,
  insertLocations,
  insertProviders,
  insertRegions,
  insertSectors,
  replaceLocationDetails,
  sectorIds,
  setLocalAuthorityRegions,
  updateLocations,
  updateProviders,
  type LocalAuthorityRecord,
  type LocationDetails,
  type LocationDetailsEntry,
  type LocationRecord,
  type ProviderRecord,
  type RegionRecord,
} from '../store/locations';
import { allRatings, correctRatings, fillInheritedFlags, insertRatings, type NewRating, type RatingRecord } from '../store/ratings';
import { editionDate, importEditions } from '../store/imports';
import { jsonColumn } from '../store/query';
import type { ImportWarning } from './problems';
import { ratingKey, type CqcFileRecords, type CqcLocation, type LocationColumn } from './cqc-parse';
import { latestDetails, observe, sameHistory } from './details-history';
import { emptyCounts, loose, type TableCounts } from './table';

/**
 * The plan and apply steps of a CQC ratings import. The plan compares what the file says (cqc-parse.ts) with the
 * workspace as it is, and says as data what to insert, what to update and what is already there; apply writes the plan
 * through the store's bulk functions. Every decision is made from a handful of whole-table reads, never one SELECT per
 * row: the national file has 74,000 rows and must import in seconds.
 *
 * Imports never move history backwards. Each file is as at its extract date (`PlanOptions.asOf`). A location's details
 * are added to its dated history (details-history.ts) and its row holds the latest of them; its other columns and its
 * registration take a newer file's values and fill only what is missing from an older one's. A rating a newer edition
 * gave is kept when an older one gives the same key otherwise (a warning says so); an inherited flag a layout without
 * the column left unset is filled in without being recorded as a correction. So the same files imported in any order
 * give the same locations, details history and ratings.
 */

export interface CqcTables {
  regions: TableCounts;
  local_authorities: TableCounts;
  providers: TableCounts;
  locations: TableCounts;
  location_details: TableCounts;
  ratings: TableCounts;
}

/** What the plan needs to know of an import whose rows the workspace holds: when its data is as at, what it carried. */
interface ImportEdition {
  asOf: string;
  /** False for a layout without the inherited column (CQC's long API layout): its ratings' flags are unknown. */
  carriesInherited: boolean;
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
  /** Each location's details history, oldest first. */
  details: Map<string, LocationDetailsEntry[]>;
  /** The imports the workspace's rows came from that say what date they are as at. */
  editions: Map<string, ImportEdition>;
}

export function readCqcState(db: Db, opts: { ratings?: boolean } = {}): CqcWorkspaceState {
  const editions = new Map<string, ImportEdition>();
  for (const [id, e] of importEditions(db)) {
    const notes = jsonColumn<{ layout?: string; carries?: string[] } | null>(e.notes, null);
    const carriesInherited = notes?.carries ? notes.carries.includes('inherited') : notes?.layout !== 'cqc-api-long';
    editions.set(id, { asOf: editionDate(e.coverage), carriesInherited });
  }
  return {
    details: allLocationDetails(db),
    editions,
    sectorIds: sectorIds(db),
    regionIds: new Set(allRegions(db).map((r) => r.id)),
    localAuthorities: allLocalAuthorities(db),
    providers: new Map(allProviders(db).map((r) => [r.id, r])),
    locations: new Map(allLocations(db).map((r) => [r.id, r])),
    ratings: opts.ratings === false ? new Map() : new Map(allRatings(db).map((r) => [ratingKey(r), r])),
  };
}

export interface CqcPlan {
  sectors: { id: string; name: string }[];
  regions: RegionRecord[];
  localAuthorities: { insert: LocalAuthorityRecord[]; moveRegion: { before: LocalAuthorityRecord; regionId: string }[] };
  providers: { insert: ProviderRecord[]; update: ProviderRecord[] };
  locations: { insert: LocationRecord[]; update: { before: LocationRecord; after: LocationRecord }[] };
  /** Whole details histories to write: of new locations (insert) and of locations whose history changed (replace). */
  details: { insert: LocationDetailsEntry[]; replace: { locationIds: string[]; entries: LocationDetailsEntry[] } };
  ratings: {
    insert: NewRating[];
    correct: { before: RatingRecord; after: RatingRecord }[];
    /** Inherited flags a layout without the column left unset, filled in (not corrections). */
    fill: { id: number; inherited: boolean; updatedAt: string }[];
  };
  /** Ratings an older edition gives otherwise than the newer one already held: the newer is kept. */
  warnings: ImportWarning[];
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
  /** The date the file is as at: its extract date (the edition date given, else the latest date in the file). */
  asOf: string;
}

/** Every location field an import may set: a change to any of them is an update. */
const LOCATION_FIELDS = [
  'name',
  'providerId',
  'sectorId',
  'locationType',
  'category',
  'careHome',
  'localAuthorityId',
  'regionId',
  'street',
  'city',
  'postcode',
  'latitude',
  'longitude',
  'beds',
  'registrationStatus',
  'registrationAsOf',
  'registeredOn',
  'deregisteredOn',
] as const;

/** The location columns that are not details with a history: the newest file that gives one wins. */
const OTHER_COLUMNS = ['street', 'city', 'postcode', 'latitude', 'longitude'] as const satisfies readonly LocationColumn[];

export function planCqcImport(file: CqcFileRecords, state: CqcWorkspaceState, opts: PlanOptions): CqcPlan {
  const tables: CqcTables = {
    regions: emptyCounts(),
    local_authorities: emptyCounts(),
    providers: emptyCounts(),
    locations: emptyCounts(),
    location_details: emptyCounts(),
    ratings: emptyCounts(),
  };
  const sectors = SECTORS.filter((s) => !state.sectorIds.has(s.id) && [...file.locations.values()].some((l) => l.sectorId === s.id));
  const regions = planRegions(file, state, opts.regions);
  tables.regions.added = regions.length;
  const { laIdByName, ...localAuthorities } = planLocalAuthorities(file, state, tables.local_authorities);
  const providers = planProviders(file, state, opts, tables.providers);
  const { details, ...locations } = planLocations(file, state, laIdByName, opts, tables);
  const warnings: ImportWarning[] = [];
  const ratings = planRatings(file, state, opts, tables.ratings, warnings);
  let changed = sectors.length;
  for (const c of Object.values(tables)) changed += c.added + c.updated;
  return { sectors, regions, localAuthorities, providers, locations, details, ratings, warnings, tables, changed };
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

/** A value from two sources: the newer one's unless it has none. */
function newerFirst<T>(newer: T | null, older: T | null): T | null {
  return newer ?? older;
}

function planLocations(
  file: CqcFileRecords,
  state: CqcWorkspaceState,
  laIdByName: Map<string, string>,
  opts: PlanOptions,
  tables: CqcTables,
): { insert: LocationRecord[]; update: { before: LocationRecord; after: LocationRecord }[]; details: CqcPlan['details'] } {
  const { importId, at, asOf } = opts;
  const carries = new Set(opts.locationColumns);
  const insert: LocationRecord[] = [];
  const update: { before: LocationRecord; after: LocationRecord }[] = [];
  const details: CqcPlan['details'] = { insert: [], replace: { locationIds: [], entries: [] } };
  const dc = tables.location_details;
  for (const l of file.locations.values()) {
    const existing = state.locations.get(l.id);
    const history = state.details.get(l.id) ?? [];
    const observed: LocationDetails = {
      name: l.name,
      sectorId: l.sectorId,
      locationType: l.locationType,
      category: l.category,
      careHome: l.careHome === 1,
      localAuthorityId: l.laName ? (laIdByName.get(loose(l.laName)) ?? null) : null,
      regionId: l.regionId,
      beds: carries.has('beds') ? (l.beds ?? null) : null,
    };
    const next = observe(history, l.id, observed, asOf, importId);
    if (!existing || history.length === 0) {
      details.insert.push(...next);
      if (existing) details.replace.locationIds.push(l.id);
      dc.added += next.length;
    } else if (!sameHistory(history, next)) {
      details.replace.locationIds.push(l.id);
      details.replace.entries.push(...next);
      const kept = next.filter((e) => history.includes(e)).length;
      dc.unchanged += kept;
      dc.updated += Math.min(history.length - kept, next.length - kept);
      dc.added += Math.max(0, next.length - history.length);
    } else dc.unchanged += next.length;

    // The row: the latest details, and the newest file's other columns (an older file fills only what is missing).
    const latestSeen = history.length ? history.reduce((m, e) => (e.observedTo > m ? e.observedTo : m), history[0]!.observedTo) : null;
    const newer = !existing || latestSeen === null || asOf >= latestSeen;
    const latest = latestDetails(next)!;
    const pick = <T>(fileValue: T | null, held: T | null | undefined): T | null =>
      !existing ? fileValue : newer ? newerFirst(fileValue, held ?? null) : newerFirst(held ?? null, fileValue);
    const row: LocationRecord = {
      id: l.id,
      name: latest.name,
      providerId: pick(l.providerId, existing?.providerId),
      sectorId: latest.sectorId,
      locationType: latest.locationType,
      category: latest.category ?? existing?.category ?? null,
      careHome: latest.careHome,
      localAuthorityId: latest.localAuthorityId ?? existing?.localAuthorityId ?? null,
      regionId: latest.regionId ?? existing?.regionId ?? null,
      street: null,
      city: null,
      postcode: null,
      latitude: null,
      longitude: null,
      beds: latest.beds ?? existing?.beds ?? null,
      ...registration(l, existing, carries, asOf),
      importId,
      updatedAt: at,
    };
    // Columns this layout does not carry (the API layouts have no street) keep what the workspace has.
    for (const c of OTHER_COLUMNS) (row as unknown as Record<string, unknown>)[c] = carries.has(c) ? pick(l[c], existing?.[c]) : (existing?.[c] ?? null);
    if (!existing) {
      insert.push(row);
      continue;
    }
    if (LOCATION_FIELDS.some((f) => (existing[f] ?? null) !== (row[f] ?? null))) update.push({ before: existing, after: row });
    else tables.locations.unchanged++;
  }
  tables.locations.added = insert.length;
  tables.locations.updated = update.length;
  return { insert, update, details };
}

/**
 * A location's registration after this file. A file newer than the status held (or the first to give one) sets it,
 * as at its extract date, with its dates where its layout gives them (CQC's locations file); a status alone (the long
 * ratings layout) keeps the dates held, and "Registered" clears a deregistration date before it. An older file only
 * fills what is missing.
 */
function registration(
  l: CqcLocation,
  existing: LocationRecord | undefined,
  carries: ReadonlySet<LocationColumn>,
  asOf: string,
): Pick<LocationRecord, 'registrationStatus' | 'registrationAsOf' | 'registeredOn' | 'deregisteredOn'> {
  const held = {
    registrationStatus: existing?.registrationStatus ?? null,
    registrationAsOf: existing?.registrationAsOf ?? null,
    registeredOn: existing?.registeredOn ?? null,
    deregisteredOn: existing?.deregisteredOn ?? null,
  };
  const status = carries.has('registrationStatus') ? (l.registrationStatus ?? null) : null;
  const dates = carries.has('registrationDates');
  if (status === null) return held;
  if (held.registrationAsOf === null || held.registrationStatus === null || asOf >= held.registrationAsOf) {
    if (dates) return { registrationStatus: status, registrationAsOf: asOf, registeredOn: l.registeredOn ?? held.registeredOn, deregisteredOn: l.deregisteredOn ?? null };
    const deregisteredOn = status === 'Registered' && held.deregisteredOn !== null && held.deregisteredOn <= asOf ? null : held.deregisteredOn;
    return { registrationStatus: status, registrationAsOf: asOf, registeredOn: held.registeredOn, deregisteredOn };
  }
  return {
    ...held,
    registeredOn: held.registeredOn ?? (dates ? (l.registeredOn ?? null) : null),
    // A deregistration an older file gives is taken only where the newer status does not say the location is registered.
    deregisteredOn: held.deregisteredOn ?? (dates && held.registrationStatus !== 'Registered' ? (l.deregisteredOn ?? null) : null),
  };
}

function planRatings(file: CqcFileRecords, state: CqcWorkspaceState, opts: PlanOptions, counts: TableCounts, warnings: ImportWarning[]): CqcPlan['ratings'] {
  const { importId, at, asOf } = opts;
  const insert: NewRating[] = [];
  const correct: { before: RatingRecord; after: RatingRecord }[] = [];
  const fill: { id: number; inherited: boolean; updatedAt: string }[] = [];
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
    const edition = existing.importId ? state.editions.get(existing.importId) : undefined;
    // Ratings held from a layout without the inherited column (the API layout) hold "no" for "not said".
    const inheritedKnown = edition ? edition.carriesInherited : true;
    // A layout without the column leaves the workspace's value alone.
    const reportType = opts.hasReportType ? r.reportType : existing.reportType;
    const inherited = opts.hasInherited ? r.inherited === 1 : existing.inherited;
    const fillsFlag = inherited !== existing.inherited && !inheritedKnown;
    const differs = existing.rating !== r.rating || existing.reportType !== reportType || (inherited !== existing.inherited && inheritedKnown);
    if (differs && edition && asOf < edition.asOf) {
      // An older edition than the one the rating came from: the newer stands, and the difference is reported.
      warnings.push({
        code: 'conflicting-record',
        row: r.rows[r.rows.length - 1]!,
        rows: [...r.rows],
        column: 'Latest Rating',
        message:
          `location ${r.locationId}, "${r.serviceGroup}", ${r.keyQuestionId}, published ${r.publishedOn}: this file (as at ${asOf}) says ` +
          `${r.rating}${reportType ? `, ${reportType} report` : ''}, the edition as at ${edition.asOf} already imported says ` +
          `${existing.rating}${existing.reportType ? `, ${existing.reportType} report` : ''}; the newer edition's rating is kept`,
      });
      if (fillsFlag) fill.push({ id: existing.id, inherited, updatedAt: at });
      else counts.unchanged++;
    } else if (differs) {
      // The same key with a different rating is CQC correcting what it published: take it, and keep the old value
      // in the audit log, because it may already have been quoted.
      correct.push({ before: existing, after: { ...existing, rating: r.rating, reportType, inherited, importId, updatedAt: at } });
    } else if (fillsFlag) fill.push({ id: existing.id, inherited, updatedAt: at });
    else counts.unchanged++;
  }
  counts.added = insert.length;
  counts.updated = correct.length + fill.length;
  return { insert, correct, fill };
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
  replaceLocationDetails(tx, plan.details.replace.locationIds, plan.details.replace.entries);
  insertLocationDetails(tx, plan.details.insert);
  insertRatings(tx, plan.ratings.insert);
  correctRatings(tx, plan.ratings.correct);
  fillInheritedFlags(tx, plan.ratings.fill);
  for (const t of Object.keys(plan.tables)) tx.note({ table: t, op: 'insert' });
}
