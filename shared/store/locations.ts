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

/** A version of a location's details: what applied from `from` until `until` (exclusive; the first also before `from`). */
export interface DetailsVersion {
  from: string;
  until: string;
  details: LocationDetails;
}

/** The details that may be missing from a history entry (a source that did not give them), filled from its neighbours. */
const FILLED_DETAILS = ['category', 'localAuthorityId', 'regionId', 'beds'] as const;

/** The details alone, from anything that carries them (a history entry, a location record). */
export function detailsOf(d: LocationDetails): LocationDetails {
  return {
    name: d.name,
    sectorId: d.sectorId,
    locationType: d.locationType,
    category: d.category,
    careHome: d.careHome,
    localAuthorityId: d.localAuthorityId,
    regionId: d.regionId,
    beds: d.beds,
  };
}

/**
 * A location's details over time, the one rule every figure "as at" a date counts by (the rating index, the SQL of
 * {@link locationsAsAtSql}, "Show the rows"). The locations row holds the latest details; the history (oldest first)
 * the earlier ones. One version per history entry before the latest: the entry's details, with any it lacks taken
 * from the nearest entry that gives it, earlier ones first, then later ones (the row standing for the latest entry).
 * A version applies from its entry's date until the next entry's, and the first also to any earlier date (the
 * earliest details known). From the latest entry's date on, and for a location with one entry or none, the row's
 * details apply, so "as at today" counts what the workspace holds now. Empty when the row applies on every date.
 */
export function detailsVersions(history: readonly (LocationDetails & { effectiveFrom: string })[], current: LocationDetails): DetailsVersion[] {
  const n = history.length;
  if (n < 2) return [];
  // The entries as figures see them: the latest one is the row.
  const entries: LocationDetails[] = history.map((e, i) => (i === n - 1 ? detailsOf(current) : detailsOf(e)));
  const out: DetailsVersion[] = [];
  for (let i = 0; i < n - 1; i++) {
    const d = { ...entries[i]! };
    for (const f of FILLED_DETAILS) {
      if (d[f] !== null) continue;
      for (let k = i - 1; k >= 0 && d[f] === null; k--) (d as Record<string, unknown>)[f] = entries[k]![f];
      for (let k = i + 1; k < n && d[f] === null; k++) (d as Record<string, unknown>)[f] = entries[k]![f];
    }
    out.push({ from: history[i]!.effectiveFrom, until: history[i + 1]!.effectiveFrom, details: d });
  }
  return out;
}

/**
 * The details of a location as at a date (see {@link detailsVersions}): `effectiveFrom` is the date of the history
 * entry they come from (null for a location without history), `before` whether the date precedes everything its
 * history knows (the earliest details known are given).
 */
export function detailsAt(history: readonly (LocationDetails & { effectiveFrom: string })[], current: LocationDetails, asAt: string): LocationDetails & { effectiveFrom: string | null; before: boolean } {
  const before = history.length > 0 && asAt < history[0]!.effectiveFrom;
  const versions = detailsVersions(history, current);
  const v = versions.find((x, i) => asAt < x.until && (i === 0 || x.from <= asAt));
  if (v) return { ...v.details, effectiveFrom: v.from, before };
  return { ...detailsOf(current), effectiveFrom: history.length ? history[history.length - 1]!.effectiveFrom : null, before };
}

/** Every location's details as at a date (see {@link detailsAt}). */
export const locationDetailsAsAt = read(['locations', 'location_details'], (db: Db, asAt: string): Map<string, LocationDetails & { effectiveFrom: string | null; before: boolean }> => {
  const histories = allLocationDetails(db);
  const out = new Map<string, LocationDetails & { effectiveFrom: string | null; before: boolean }>();
  for (const l of allLocations(db)) out.set(l.id, detailsAt(histories.get(l.id) ?? [], l, asAt));
  return out;
});

/**
 * The locations as at a date, as a subquery with the columns of the locations table that figures read (id, name,
 * provider_id, sector_id, location_type, category, care_home, local_authority_id, region_id, beds and the
 * registration columns): each location's details by the rule of {@link detailsVersions}, written in SQL. `asAt` is an
 * SQL expression (a named parameter such as `:asAt`, or a literal). Use it where `locations` would be: `FROM
 * ratings r JOIN ${locationsAsAtSql(':asAt')} l ON l.id = r.location_id`.
 */
export function locationsAsAtSql(asAt: string): string {
  return `(${locationsAsAtSelect(asAt)})`;
}

/** The SELECT of {@link locationsAsAtSql}, without its parentheses. */
function locationsAsAtSelect(asAt: string): string {
  const pick = (col: string, filled = false) => `CASE WHEN e.location_id IS NULL THEN l.${col} ELSE ${filled ? detailsFillSql(col) : `e.${col}`} END AS ${col}`;
  return `SELECT l.id AS id, l.provider_id AS provider_id, l.registered_on AS registered_on, l.deregistered_on AS deregistered_on,
    l.registration_status AS registration_status, l.registration_as_of AS registration_as_of,
    ${pick('name')}, ${pick('sector_id')}, ${pick('location_type')}, ${pick('care_home')},
    ${pick('category', true)}, ${pick('local_authority_id', true)}, ${pick('region_id', true)}, ${pick('beds', true)}
  FROM ${LOCATIONS_WITH_HISTORY_SQL} l
  LEFT JOIN location_details e ON e.location_id = l.id AND l.first_from < l.last_from AND e.effective_from < l.last_from
    AND e.effective_from = coalesce((SELECT max(x.effective_from) FROM location_details x WHERE x.location_id = l.id AND x.effective_from <= ${asAt}), l.first_from)`;
}

/**
 * The locations with the first and latest dates of their details history (`first_from`, `last_from`; NULL without
 * one): each an index seek on the history's key, so that a location's history is never scanned for another's. A
 * history has more than one entry exactly when first_from < last_from (the key is location and date).
 */
const LOCATIONS_WITH_HISTORY_SQL = `(SELECT l.*,
    (SELECT min(d.effective_from) FROM location_details d WHERE d.location_id = l.id) AS first_from,
    (SELECT max(d.effective_from) FROM location_details d WHERE d.location_id = l.id) AS last_from
  FROM locations l)`;

/**
 * A detail of the history entry `e` of a location `l` (with its `last_from`), filled by the rule of
 * {@link detailsVersions}: the nearest earlier entry that gives it, else the nearest later one before the latest,
 * else the row.
 */
function detailsFillSql(col: string): string {
  return `coalesce(e.${col},
      (SELECT p.${col} FROM location_details p WHERE p.location_id = e.location_id AND p.effective_from < e.effective_from AND p.${col} IS NOT NULL ORDER BY p.effective_from DESC LIMIT 1),
      (SELECT q.${col} FROM location_details q WHERE q.location_id = e.location_id AND q.effective_from > e.effective_from AND q.effective_from < l.last_from AND q.${col} IS NOT NULL ORDER BY q.effective_from LIMIT 1),
      l.${col})`;
}

/**
 * The view SQL figures use for a location's details as at a date, by the rule of {@link detailsVersions} (what the
 * structured rating figures count by): one row per period of a location's details, `valid_from` inclusive
 * ('0000-01-01' for its first period: the earliest details known stand for earlier dates) and `valid_until` exclusive
 * (NULL for the latest, the locations row's), so that, for a date :asAt,
 *
 *   JOIN location_periods lp ON lp.location_id = r.location_id
 *     AND lp.valid_from <= :asAt AND (lp.valid_until IS NULL OR :asAt < lp.valid_until)
 *
 * gives each location once, with the name, sector_id, location_type, category, care_home, local_authority_id,
 * region_id and beds it had then. A TEMP view: the SQL worker creates it on each copy it opens.
 */
export function locationPeriodsViewSql(): string {
  const filled = (col: string) => `${detailsFillSql(col)} AS ${col}`;
  return `CREATE TEMP VIEW IF NOT EXISTS location_periods AS
SELECT e.location_id AS location_id,
       CASE WHEN e.effective_from = l.first_from THEN '0000-01-01' ELSE e.effective_from END AS valid_from,
       (SELECT min(n.effective_from) FROM location_details n WHERE n.location_id = e.location_id AND n.effective_from > e.effective_from) AS valid_until,
       e.name AS name, e.sector_id AS sector_id, e.location_type AS location_type, e.care_home AS care_home,
       ${filled('category')}, ${filled('local_authority_id')}, ${filled('region_id')}, ${filled('beds')}
FROM ${LOCATIONS_WITH_HISTORY_SQL} l
JOIN location_details e ON e.location_id = l.id AND l.first_from < l.last_from AND e.effective_from < l.last_from
UNION ALL
SELECT l.id, CASE WHEN l.first_from < l.last_from THEN l.last_from ELSE '0000-01-01' END, NULL, l.name, l.sector_id, l.location_type, l.care_home, l.category, l.local_authority_id, l.region_id, l.beds
FROM ${LOCATIONS_WITH_HISTORY_SQL} l`;
}

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
