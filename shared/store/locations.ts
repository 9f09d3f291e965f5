import type { SqlValue, Tx, Workspace } from './workspace';
import { audit } from './audit';
import { containsPattern, eachRow, insertRows, placeholders, read, type Db } from './query';

/**
 * Registration: regions, local authorities, sectors, providers and locations. The only module with SQL on them; every
 * other part of Assay reads and writes them through the functions here.
 */

export interface RegionRecord {
  id: string;
  name: string;
}

export interface LocalAuthorityRecord {
  id: string;
  name: string;
  regionId: string;
}

export interface SectorRecord {
  id: string;
  name: string;
  position: number;
}

export interface ProviderRecord {
  id: string;
  name: string;
  brandId: string | null;
  brandName: string | null;
  importId: string | null;
  updatedAt: string;
}

export interface LocationRecord {
  id: string;
  name: string;
  providerId: string | null;
  sectorId: string;
  locationType: string;
  category: string | null;
  careHome: boolean;
  localAuthorityId: string | null;
  regionId: string | null;
  street: string | null;
  city: string | null;
  postcode: string | null;
  latitude: number | null;
  longitude: number | null;
  registeredOn: string | null;
  deregisteredOn: string | null;
  beds: number | null;
  importId: string | null;
  updatedAt: string;
  /**
   * Whether the regulator lists the location as registered, as its source said on `registrationAsOf` (that source's
   * extract date); null (or absent) when no source has said. See {@link registrationAt}.
   */
  registrationStatus?: RegistrationStatus | null;
  registrationAsOf?: string | null;
}

export type RegistrationStatus = 'Registered' | 'Deregistered';

// Rows as stored ------------------------------------------------------------------------------------------------------
const LOCATION_COLUMNS = [
  'id',
  'name',
  'provider_id',
  'sector_id',
  'location_type',
  'category',
  'care_home',
  'local_authority_id',
  'region_id',
  'street',
  'city',
  'postcode',
  'latitude',
  'longitude',
  'registered_on',
  'deregistered_on',
  'beds',
  'import_id',
  'updated_at',
  'registration_status',
  'registration_as_of',
] as const;
type LocationRow = Record<(typeof LOCATION_COLUMNS)[number], SqlValue>;

function locationValues(l: LocationRecord): SqlValue[] {
  return [
    l.id,
    l.name,
    l.providerId,
    l.sectorId,
    l.locationType,
    l.category,
    l.careHome ? 1 : 0,
    l.localAuthorityId,
    l.regionId,
    l.street,
    l.city,
    l.postcode,
    l.latitude,
    l.longitude,
    l.registeredOn,
    l.deregisteredOn,
    l.beds,
    l.importId,
    l.updatedAt,
    l.registrationStatus ?? null,
    l.registrationAsOf ?? null,
  ];
}

/** The record as its row, column for column: what audit entries hold (a merge reads them back by column). */
function locationRow(l: LocationRecord): LocationRow {
  const v = locationValues(l);
  return Object.fromEntries(LOCATION_COLUMNS.map((c, i) => [c, v[i]!])) as LocationRow;
}

function toLocation(r: LocationRow): LocationRecord {
  return {
    id: r.id as string,
    name: r.name as string,
    providerId: r.provider_id as string | null,
    sectorId: r.sector_id as string,
    locationType: r.location_type as string,
    category: r.category as string | null,
    careHome: r.care_home === 1,
    localAuthorityId: r.local_authority_id as string | null,
    regionId: r.region_id as string | null,
    street: r.street as string | null,
    city: r.city as string | null,
    postcode: r.postcode as string | null,
    latitude: r.latitude as number | null,
    longitude: r.longitude as number | null,
    registeredOn: r.registered_on as string | null,
    deregisteredOn: r.deregistered_on as string | null,
    beds: r.beds as number | null,
    importId: r.import_id as string | null,
    updatedAt: r.updated_at as string,
    registrationStatus: (r.registration_status ?? null) as RegistrationStatus | null,
    registrationAsOf: (r.registration_as_of ?? null) as string | null,
  };
}

interface ProviderRow {
  id: string;
  name: string;
  brand_id: string | null;
  brand_name: string | null;
  import_id: string | null;
  updated_at: string;
}

function toProvider(r: ProviderRow): ProviderRecord {
  return { id: r.id, name: r.name, brandId: r.brand_id, brandName: r.brand_name, importId: r.import_id, updatedAt: r.updated_at };
}

// Reads -------------------------------------------------------------------------------------------------------------
export const listRegions = read(['regions'], (db: Db): RegionRecord[] => db.all<RegionRecord>('SELECT id, name FROM regions ORDER BY name'));

export const listLocalAuthorities = read(['local_authorities'], (db: Db): LocalAuthorityRecord[] =>
  db.all<LocalAuthorityRecord>('SELECT id, name, region_id AS regionId FROM local_authorities ORDER BY name'),
);

export const listSectors = read(['sectors'], (db: Db): SectorRecord[] => db.all<SectorRecord>('SELECT id, name, position FROM sectors ORDER BY position'));

export const getLocation = read(['locations'], (db: Db, id: string): LocationRecord | undefined => {
  const r = db.get<LocationRow>('SELECT * FROM locations WHERE id = ?', [id]);
  return r ? toLocation(r) : undefined;
});

/** Every location, for an importer's plan: one whole-table read, never one SELECT per file row. */
export const allLocations = read(['locations'], (db: Db): LocationRecord[] => db.all<LocationRow>('SELECT * FROM locations').map(toLocation));

export const allProviders = read(['providers'], (db: Db): ProviderRecord[] => db.all<ProviderRow>('SELECT * FROM providers').map(toProvider));

export const locationIds = read(['locations'], (db: Db): Set<string> => new Set(db.all<{ id: string }>('SELECT id FROM locations').map((r) => r.id)));

export const locationExists = read(['locations'], (db: Db, id: string): boolean => !!db.get('SELECT 1 FROM locations WHERE id = ?', [id]));

export const providerExists = read(['providers'], (db: Db, id: string): boolean => !!db.get('SELECT 1 FROM providers WHERE id = ?', [id]));

/** Names of some locations, by id (ids not found are left out). */
export const locationNames = read(['locations'], (db: Db, ids: readonly string[]): Map<string, string> =>
  namesOf(ids, (slice) => db.all<{ id: string; name: string }>(`SELECT id, name FROM locations WHERE id IN (${placeholders(slice.length)})`, slice)),
);

export const providerNames = read(['providers'], (db: Db, ids: readonly string[]): Map<string, string> =>
  namesOf(ids, (slice) => db.all<{ id: string; name: string }>(`SELECT id, name FROM providers WHERE id IN (${placeholders(slice.length)})`, slice)),
);

export const localAuthorityNames = read(['local_authorities'], (db: Db, ids: readonly string[]): Map<string, string> =>
  namesOf(ids, (slice) => db.all<{ id: string; name: string }>(`SELECT id, name FROM local_authorities WHERE id IN (${placeholders(slice.length)})`, slice)),
);

/** Looks names up in slices: SQLite allows 32,766 parameters, and a long list would pass that. */
function namesOf(ids: readonly string[], lookUp: (slice: string[]) => { id: string; name: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 10_000) for (const r of lookUp(unique.slice(i, i + 10_000))) out.set(r.id, r.name);
  return out;
}

export const localAuthorityIdByName = read(['local_authorities'], (db: Db, name: string): string | undefined =>
  db.get<{ id: string }>('SELECT id FROM local_authorities WHERE name = ?', [name])?.id,
);

/** Providers matching a search (name or id), by name, with how many locations each has. */
export const listProviders = read(
  ['providers', 'locations'],
  (db: Db, q: { search?: string | undefined; offset: number; limit: number }): { total: number; rows: { id: string; name: string; locations: number }[] } => {
    const search = q.search?.trim();
    const where = search ? "WHERE p.name LIKE ? ESCAPE '\\' OR p.id LIKE ? ESCAPE '\\'" : '';
    const params: SqlValue[] = search ? [containsPattern(search), containsPattern(search)] : [];
    const total = Number(db.get<{ n: number }>(`SELECT count(*) AS n FROM providers p ${where}`, params)?.n ?? 0);
    const rows = db.all<{ id: string; name: string; locations: number }>(
      `SELECT p.id AS id, p.name AS name, (SELECT count(*) FROM locations l WHERE l.provider_id = p.id) AS locations
       FROM providers p ${where} ORDER BY p.name COLLATE NOCASE, p.id LIMIT ? OFFSET ?`,
      [...params, q.limit, q.offset],
    );
    return { total, rows };
  },
);

/** A location as the data browser lists it: its names resolved through the registration tables. */
export interface LocationListing {
  id: string;
  name: string;
  providerId: string | null;
  providerName: string | null;
  sector: string;
  sectorId: string;
  sectorPosition: number;
  locationType: string;
  category: string | null;
  careHome: boolean;
  localAuthority: string | null;
  localAuthorityId: string | null;
  region: string | null;
  regionId: string | null;
  postcode: string | null;
}

/** Every location with its names, one row at a time: the data browser's list is built from one pass. */
export const eachLocationListing = read(
  ['locations', 'providers', 'sectors', 'local_authorities', 'regions'],
  (ws: Pick<Workspace, 'db'>, visit: (l: LocationListing) => void): void => {
    eachRow(
      ws,
      `SELECT l.id, l.name, l.provider_id, p.name, s.name, l.location_type, l.category, l.care_home, la.name, rg.name,
              l.sector_id, l.region_id, l.local_authority_id, l.postcode, s.position
       FROM locations l
       LEFT JOIN providers p ON p.id = l.provider_id
       JOIN sectors s ON s.id = l.sector_id
       LEFT JOIN local_authorities la ON la.id = l.local_authority_id
       LEFT JOIN regions rg ON rg.id = l.region_id`,
      [],
      (v) =>
        visit({
          id: v[0] as string,
          name: v[1] as string,
          providerId: v[2] as string | null,
          providerName: v[3] as string | null,
          sector: v[4] as string,
          locationType: v[5] as string,
          category: v[6] as string | null,
          careHome: v[7] === 1,
          localAuthority: v[8] as string | null,
          region: v[9] as string | null,
          sectorId: v[10] as string,
          regionId: v[11] as string | null,
          localAuthorityId: v[12] as string | null,
          postcode: v[13] as string | null,
          sectorPosition: v[14] as number,
        }),
    );
  },
);

/** Location counts the demo summary reports: all, and those matching simple column filters. */
export const countLocations = read(
  ['locations'],
  (db: Db, where: { sectorId?: string; careHome?: boolean; category?: string; locationType?: string } = {}): number => {
    const c: string[] = [];
    const p: SqlValue[] = [];
    const add = (clause: string, value: SqlValue) => {
      c.push(clause);
      p.push(value);
    };
    if (where.sectorId !== undefined) add('sector_id = ?', where.sectorId);
    if (where.careHome !== undefined) add('care_home = ?', where.careHome ? 1 : 0);
    if (where.category !== undefined) add('category = ?', where.category);
    if (where.locationType !== undefined) add('location_type = ?', where.locationType);
    return Number(db.get<{ n: number }>(`SELECT count(*) AS n FROM locations ${c.length ? `WHERE ${c.join(' AND ')}` : ''}`, p)?.n ?? 0);
  },
);

export const countProviders = read(['providers'], (db: Db): number => Number(db.get<{ n: number }>('SELECT count(*) AS n FROM providers')?.n ?? 0));

/** Each location's sector and category: what the demo's calibration check groups ratings by. */
export const locationClasses = read(['locations'], (ws: Pick<Workspace, 'db'>): Map<string, { sectorId: string; category: string }> => {
  const out = new Map<string, { sectorId: string; category: string }>();
  eachRow(ws, "SELECT id, sector_id, coalesce(category, '') FROM locations", [], (v) => out.set(v[0] as string, { sectorId: v[1] as string, category: v[2] as string }));
  return out;
});

// Writes --------------------------------------------------------------------------------------------------------------
export function insertRegions(tx: Tx, regions: readonly RegionRecord[]): number {
  return tx.runMany('INSERT INTO regions(id, name) VALUES (?, ?)', regions.map((r) => [r.id, r.name]));
}

/** Adds sectors after those there are (a position given in the record is kept when the table is empty of it). */
export function insertSectors(tx: Tx, sectors: readonly { id: string; name: string; position?: number }[]): number {
  if (!sectors.length) return 0;
  const last = Number(tx.get<{ n: number }>('SELECT coalesce(max(position), 0) AS n FROM sectors')?.n ?? 0);
  return tx.runMany(
    'INSERT INTO sectors(id, name, position) VALUES (?, ?, ?)',
    sectors.map((s, i) => [s.id, s.name, s.position ?? last + i + 1]),
  );
}

export function insertLocalAuthorities(tx: Tx, las: readonly LocalAuthorityRecord[]): number {
  return tx.runMany('INSERT INTO local_authorities(id, name, region_id) VALUES (?, ?, ?)', las.map((l) => [l.id, l.name, l.regionId]));
}

/** Moves local authorities to another region (a regulator's file says so), each change audited. */
export function setLocalAuthorityRegions(tx: Tx, changes: readonly { before: LocalAuthorityRecord; regionId: string }[]): void {
  for (const c of changes) {
    tx.run('UPDATE local_authorities SET region_id = ? WHERE id = ?', [c.regionId, c.before.id]);
    const before = { id: c.before.id, name: c.before.name, region_id: c.before.regionId };
    audit(tx, 'local_authority.update', 'local_authorities', c.before.id, before, { ...before, region_id: c.regionId });
  }
}

/** Every local authority, for an importer matching names to ids. */
export const allLocalAuthorities = read(['local_authorities'], (db: Db): LocalAuthorityRecord[] =>
  db.all<LocalAuthorityRecord>('SELECT id, name, region_id AS regionId FROM local_authorities'),
);

export const allRegions = read(['regions'], (db: Db): RegionRecord[] => db.all<RegionRecord>('SELECT id, name FROM regions ORDER BY id'));

export const sectorIds = read(['sectors'], (db: Db): Set<string> => new Set(db.all<{ id: string }>('SELECT id FROM sectors').map((r) => r.id)));

const PROVIDER_HEAD = 'INSERT INTO providers(id, name, brand_id, brand_name, import_id, updated_at)';

export function insertProviders(tx: Tx, providers: readonly ProviderRecord[]): number {
  return insertRows(tx, PROVIDER_HEAD, 6, providers.map((p) => [p.id, p.name, p.brandId, p.brandName, p.importId, p.updatedAt]));
}

/** Replaces providers' names and brands (the import that changed them is recorded on each). */
export function updateProviders(tx: Tx, providers: readonly ProviderRecord[]): number {
  return tx.runMany(
    'UPDATE providers SET name = ?, brand_id = ?, brand_name = ?, import_id = ?, updated_at = ? WHERE id = ?',
    providers.map((p) => [p.name, p.brandId, p.brandName, p.importId, p.updatedAt, p.id]),
  );
}

const LOCATION_HEAD = `INSERT INTO locations(${LOCATION_COLUMNS.join(', ')})`;

export function insertLocations(tx: Tx, locations: readonly LocationRecord[]): number {
  return insertRows(tx, LOCATION_HEAD, LOCATION_COLUMNS.length, locations.map(locationValues));
}

/** Replaces locations as the records give them, each change audited with the record before and after. */
export function updateLocations(tx: Tx, changes: readonly { before: LocationRecord; after: LocationRecord }[], action = 'location.update'): number {
  const set = LOCATION_COLUMNS.filter((c) => c !== 'id');
  const n = tx.runMany(
    `UPDATE locations SET ${set.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`,
    changes.map((c) => {
      const v = locationValues(c.after);
      return [...v.slice(1), v[0]!];
    }),
  );
  for (const c of changes) audit(tx, action, 'locations', c.after.id, locationRow(c.before), locationRow(c.after));
  return n;
}

// Registration ---------------------------------------------------------------------------------------------------------
/** A location's registration as the workspace knows it. */
export interface LocationRegistration {
  status: RegistrationStatus | null;
  /** The extract date of the source that last gave the status. */
  asOf: string | null;
  registeredOn: string | null;
  deregisteredOn: string | null;
}

/**
 * Whether a location was on the register on a date. Dates decide where the sources gave them (CQC's locations file):
 * registered from `registeredOn`, not from `deregisteredOn`. Where a source gave only a status (CQC's long ratings
 * layout), "Deregistered" answers dates from its extract date on and leaves earlier ones 'unknown' (the location was
 * deregistered on some date before it); "Registered" answers 'registered' (figures count locations rated by then, and
 * a location rated while registered and registered still was registered in between). Nothing known is 'unknown'.
 */
export function registrationAt(r: LocationRegistration, asAt: string): 'registered' | 'not registered' | 'unknown' {
  if (r.registeredOn && asAt < r.registeredOn) return 'not registered';
  if (r.deregisteredOn) return asAt >= r.deregisteredOn ? 'not registered' : 'registered';
  if (r.status === 'Deregistered') return r.asOf && asAt >= r.asOf ? 'not registered' : 'unknown';
  if (r.status === 'Registered' || r.registeredOn) return 'registered';
  return 'unknown';
}

/**
 * The same rule as a SQL condition on a locations row (alias `l`) for a date given as an SQL expression (a named
 * parameter such as `:asAt`, a literal or a column; it appears three times, so not a positional `?`): true unless the
 * location is known not to have been registered then ('unknown' counts as registered).
 */
export function registeredAtSql(l: string, asAt: string): string {
  return `NOT ((${l}.registered_on IS NOT NULL AND ${asAt} < ${l}.registered_on)
    OR (${l}.deregistered_on IS NOT NULL AND ${asAt} >= ${l}.deregistered_on)
    OR (${l}.deregistered_on IS NULL AND coalesce(${l}.registration_status, '') = 'Deregistered' AND ${l}.registration_as_of IS NOT NULL AND ${asAt} >= ${l}.registration_as_of))`;
}

/** Every location's registration, by id. */
export const locationRegistrations = read(['locations'], (ws: Pick<Workspace, 'db'>): Map<string, LocationRegistration> => {
  const out = new Map<string, LocationRegistration>();
  eachRow(ws, 'SELECT id, registration_status, registration_as_of, registered_on, deregistered_on FROM locations', [], (v) =>
    out.set(v[0] as string, {
      status: v[1] as RegistrationStatus | null,
      asOf: v[2] as string | null,
      registeredOn: v[3] as string | null,
      deregisteredOn: v[4] as string | null,
    }),
  );
  return out;
});

// Details history ----------------------------------------------------------------------------------------------------
/** The details of a location that figures count by. A null is a detail no source gave (or that CQC left empty). */
export interface LocationDetails {
  name: string;
  sectorId: string;
  locationType: string;
  category: string | null;
  careHome: boolean;
  localAuthorityId: string | null;
  regionId: string | null;
  beds: number | null;
}

export const LOCATION_DETAIL_FIELDS = ['name', 'sectorId', 'locationType', 'category', 'careHome', 'localAuthorityId', 'regionId', 'beds'] as const satisfies readonly (keyof LocationDetails)[];

/**
 * One entry of a location's details history: the details one or more dated extracts showed unchanged, from the
 * earliest (`effectiveFrom`: they had taken effect by then) to the latest (`observedTo`). Between one entry's
 * `observedTo` and the next one's `effectiveFrom` the details changed on a date no source gave.
 */
export interface LocationDetailsEntry extends LocationDetails {
  locationId: string;
  effectiveFrom: string;
  observedTo: string;
  importId: string | null;
}

interface DetailsRow {
  location_id: string;
  effective_from: string;
  observed_to: string;
  name: string;
  sector_id: string;
  location_type: string;
  category: string | null;
  care_home: number;
  local_authority_id: string | null;
  region_id: string | null;
  beds: number | null;
  import_id: string | null;
}

function toDetails(r: DetailsRow): LocationDetailsEntry {
  return {
    locationId: r.location_id,
    effectiveFrom: r.effective_from,
    observedTo: r.observed_to,
    name: r.name,
    sectorId: r.sector_id,
    locationType: r.location_type,
    category: r.category,
    careHome: r.care_home === 1,
    localAuthorityId: r.local_authority_id,
    regionId: r.region_id,
    beds: r.beds,
    importId: r.import_id,
  };
}

/** One location's details history, oldest first. */
export const locationDetailsHistory = read(['location_details'], (db: Db, locationId: string): LocationDetailsEntry[] =>
  db.all<DetailsRow>('SELECT * FROM location_details WHERE location_id = ? ORDER BY effective_from', [locationId]).map(toDetails),
);

/** Every location's details history, oldest entry first: an importer's plan and the figure index read it whole. */
export const allLocationDetails = read(['location_details'], (db: Db): Map<string, LocationDetailsEntry[]> => {
  const out = new Map<string, LocationDetailsEntry[]>();
  for (const r of db.all<DetailsRow>('SELECT * FROM location_details ORDER BY location_id, effective_from')) {
    const e = toDetails(r);
    const list = out.get(e.locationId);
    if (list) list.push(e);
    else out.set(e.locationId, [e]);
  }
  return out;
});

/**
 * The details of a location as at a date, from its history (oldest first): the entry in effect then (the latest that
 * had taken effect by the date; before the first, the first, the earliest known), with any detail it lacks taken from
 * the nearest entry that gives it, earlier ones first. `before` says the date precedes everything the history knows.
 */
export function detailsAt(history: readonly LocationDetailsEntry[], asAt: string): (LocationDetails & { effectiveFrom: string; before: boolean }) | undefined {
  if (history.length === 0) return undefined;
  let i = 0;
  while (i + 1 < history.length && history[i + 1]!.effectiveFrom <= asAt) i++;
  const e = history[i]!;
  const out: LocationDetails & { effectiveFrom: string; before: boolean } = {
    name: e.name,
    sectorId: e.sectorId,
    locationType: e.locationType,
    category: e.category,
    careHome: e.careHome,
    localAuthorityId: e.localAuthorityId,
    regionId: e.regionId,
    beds: e.beds,
    effectiveFrom: e.effectiveFrom,
    before: asAt < e.effectiveFrom,
  };
  for (const f of ['category', 'localAuthorityId', 'regionId', 'beds'] as const) {
    if (out[f] !== null) continue;
    for (let k = i - 1; k >= 0 && out[f] === null; k--) (out as unknown as Record<string, unknown>)[f] = history[k]![f];
    for (let k = i + 1; k < history.length && out[f] === null; k++) (out as unknown as Record<string, unknown>)[f] = history[k]![f];
  }
  return out;
}

/** Every location's details as at a date (see {@link detailsAt}); locations without a history are left out. */
export const locationDetailsAsAt = read(['location_details'], (db: Db, asAt: string): Map<string, LocationDetails & { effectiveFrom: string; before: boolean }> => {
  const out = new Map<string, LocationDetails & { effectiveFrom: string; before: boolean }>();
  for (const [id, history] of allLocationDetails(db)) {
    const d = detailsAt(history, asAt);
    if (d) out.set(id, d);
  }
  return out;
});

const DETAILS_COLUMNS = 'location_id, effective_from, observed_to, name, sector_id, location_type, category, care_home, local_authority_id, region_id, beds, import_id';

function detailsValues(e: LocationDetailsEntry): SqlValue[] {
  return [e.locationId, e.effectiveFrom, e.observedTo, e.name, e.sectorId, e.locationType, e.category, e.careHome ? 1 : 0, e.localAuthorityId, e.regionId, e.beds, e.importId];
}

/** Adds details history entries in bulk (imports, the demo). Not audited one by one: the import's entry says what it did. */
export function insertLocationDetails(tx: Tx, entries: readonly LocationDetailsEntry[]): number {
  const n = insertRows(tx, `INSERT INTO location_details(${DETAILS_COLUMNS})`, 12, entries.map(detailsValues));
  if (n > 0) tx.note({ table: 'location_details', op: 'insert' });
  return n;
}

/** Replaces the whole details history of these locations with the entries given (an import's plan rewrote it). */
export function replaceLocationDetails(tx: Tx, locationIds: readonly string[], entries: readonly LocationDetailsEntry[]): void {
  if (locationIds.length) tx.runMany('DELETE FROM location_details WHERE location_id = ?', locationIds.map((id) => [id]));
  insertLocationDetails(tx, entries);
  if (locationIds.length) tx.note({ table: 'location_details', op: 'update' });
}
