import type { Workspace } from '../store/workspace';
import { detailsVersions, type LocationDetails } from './locations';

/**
 * An in-memory index of every rating row, so that "the latest rating per location, service group and key question
 * as at a date" and the counts figures need can be kept up to date row by row rather than recomputed with a GROUP BY
 * over millions of rows after every edit.
 *
 * Layout: columnar arrays of rating rows (slots), series (one per location x service group x key question),
 * locations (attribute codes by rowid), and per materialised as-at date the slot of each series' latest row on or
 * before that date. Aggregates (RatingAgg) hold counts per group and rating for one filter and date; a changed row
 * moves its series' contribution from the old latest row to the new one in every aggregate of every date, which
 * costs O(dates x aggregates) per changed series.
 *
 * Reading millions of rows out of sql.js costs seconds (every value handed to JavaScript, every string compared), so
 * the index can also be written to bytes ({@link RatingIndex.toBytes}) and read back ({@link RatingIndex.fromBytes});
 * the engine keeps those bytes in the workspace's derived cache, valid while the ratings generation is unchanged.
 */

/** FNV-1a: a stable 32-bit hash of a string, so fingerprints never depend on the order codes were handed out. */
export function strHash(v: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < v.length; i++) {
    h ^= v.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Dict {
  readonly codes = new Map<string, number>();
  readonly values: string[] = [];
  private hashes: number[] = [];
  hash(code: number): number {
    let h = this.hashes[code];
    if (h === undefined) {
      h = strHash(this.values[code] ?? '');
      this.hashes[code] = h;
    }
    return h;
  }
  code(v: string): number {
    let c = this.codes.get(v);
    if (c === undefined) {
      c = this.values.length;
      this.codes.set(v, c);
      this.values.push(v);
    }
    return c;
  }
  /** Refills an empty dictionary with values in code order (reading an index back). */
  restore(values: readonly string[]): void {
    if (this.values.length) throw new Error('Dict.restore needs an empty dictionary');
    for (const v of values) {
      if (typeof v !== 'string') throw new Error('dictionary value is not a string');
      this.code(v);
    }
    if (this.values.length !== values.length) throw new Error('dictionary has duplicate values');
  }
}

type Growable = Int32Array | Float64Array | Int16Array | Uint16Array | Uint8Array;

/** Grows a typed array to at least n elements (doubling), keeping its contents. */
function grow<T extends Growable>(a: T, n: number, make: (n: number) => T, fill = 0): T {
  if (a.length >= n) return a;
  const b = make(Math.max(n, a.length * 2, 16));
  b.set(a as never);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

const NONE = -1;
/** Rating ids below this are looked up in a typed array (64 MB at most); larger ones in a map. */
const DENSE_IDS = 1 << 24;

/**
 * A 32-bit check over 4-byte words (two multiply-rotate lanes): cheap enough for tens of megabytes, and enough to
 * notice bytes damaged on disk, which SQLite itself does not check inside a blob.
 */
function wordCheck(words: Int32Array): number {
  let a = 0x9747b28c;
  let b = 0x12345678;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    a = Math.imul(a ^ w, 0x85ebca6b);
    a = (a << 13) | (a >>> 19);
    b = Math.imul(b + w, 0xc2b2ae35);
    b = (b << 17) | (b >>> 15);
  }
  return mix(a ^ mix(b ^ words.length)) >>> 0;
}

/** 32-bit mixing (murmur3's finaliser): spreads row facts over the fingerprint lanes. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export type GroupDim = 'region' | 'localAuthority' | 'sector' | 'category' | 'keyQuestion' | 'rating' | 'serviceGroup' | 'locationType' | 'careHome' | undefined;

/** A filter on one attribute: the values kept (or, negated, excluded). */
export interface ValueFilter {
  values: string[];
  negate: boolean;
}

/** Which locations an aggregate counts; every part given must match. */
export interface LocFilterSpec {
  sector?: ValueFilter | undefined;
  region?: ValueFilter | undefined;
  localAuthority?: ValueFilter | undefined;
  /** Compared without regard to case, as the source's own types are. */
  locationType?: ValueFilter | undefined;
  /** Compared without regard to case. */
  category?: ValueFilter | undefined;
  providerId?: ValueFilter | undefined;
  careHome?: boolean | undefined;
  /** Only locations on the register on this day (see {@link RegisterTest}); absent: every location ever rated. */
  registered?: RegisterTest | undefined;
}

/**
 * "On the register on `day`" (day numbers, see RatingIndex.dateInt), the rule of shared/store/locations.ts
 * registrationAt (registered on or before the day, not deregistered before it; a status "Deregistered" known only
 * from an extract counts from that extract's date; nothing known counts as registered), plus one more: where
 * register data answers the day (an import of locations data covers it: `coveredFrom` is the earliest date any such
 * import answers, and it is on or before the day), a location first listed after the day (its details history
 * starts later) was not on the register then, since an extract answering the day would have listed it.
 */
export interface RegisterTest {
  day: number;
  /** Day number from which register data answers dates; REGISTER_OPEN when no import says. */
  coveredFrom: number;
}

/** A day after every day the index holds: an open end of an interval. */
export const REGISTER_OPEN = 65536;

/** What an aggregate counts: rows of the given key questions and service groups whose location passes the filter. */
export interface AggDef {
  key: string;
  date: number;
  kq: Set<number>;
  sgOk: (sg: string) => boolean;
  loc: LocFilterSpec;
  by: GroupDim;
}

/** A location filter evaluated once per location and shared by every aggregate with the same filter. */
export class LocFilter {
  match: Uint8Array = new Uint8Array(0);
  constructor(
    readonly key: string,
    readonly ok: (loc: number) => boolean,
  ) {}
}

/** Labels per group in an aggregate's dense count table: rating labels are coded below this. */
export const LABEL_CAP = 256;

export class RatingAgg {
  /** counts[group * LABEL_CAP + label]: dense, so the hot loop does no Map or string work. */
  counts = new Float64Array(LABEL_CAP);
  groupCap = 1;
  /** Rows per import code + 1 (0 = no import). */
  importCounts = new Float64Array(8);
  rows = 0;
  lane1 = 0;
  lane2 = 0;
  /** Bumped whenever a contribution changes, so results derived from it know to recompute. */
  version = 0;
  sgMatch: number[] = [];
  constructor(
    readonly def: AggDef,
    readonly lf: LocFilter,
  ) {}

  /** Group code → counts by label, for groups with any rows. */
  get groups(): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (let g = 0; g < this.groupCap; g++) {
      const base = g * LABEL_CAP;
      let any = false;
      const arr: number[] = [];
      for (let l = 0; l < LABEL_CAP; l++) {
        const n = this.counts[base + l]!;
        if (n) {
          arr[l] = n;
          any = true;
        }
      }
      if (any) out.set(g, arr);
    }
    return out;
  }

  get imports(): Map<number, number> {
    const out = new Map<number, number>();
    this.importCounts.forEach((n, i) => {
      if (n) out.set(i - 1, n);
    });
    return out;
  }

  /** Room for group codes below `groups` and import codes below `imports`. */
  reserve(groups: number, imports: number): void {
    if (groups > this.groupCap) {
      let cap = this.groupCap;
      while (cap < groups) cap *= 2;
      const c = new Float64Array(cap * LABEL_CAP);
      c.set(this.counts);
      this.counts = c;
      this.groupCap = cap;
    }
    if (imports + 1 > this.importCounts.length) {
      const c = new Float64Array(Math.max(imports + 1, this.importCounts.length * 2));
      c.set(this.importCounts);
      this.importCounts = c;
    }
  }
}

/** See RatingIndex.viewFor. */
interface SeriesView {
  n: number;
  loc: Int32Array;
  sg: Int32Array;
  label: Int16Array;
  imp: Int32Array;
  hash: Int32Array;
}

/** The location attributes figures filter and group by, by rowid, as dictionary codes: as the row holds them, or as at a date. */
interface LocCols {
  sector: Int32Array;
  type: Int32Array;
  category: Int32Array;
  careHome: Uint8Array;
  region: Int32Array;
  la: Int32Array;
}

/** A version of a location's details before its latest (see detailsVersions in ./locations.ts), as day numbers and codes. */
interface CodedVersion {
  from: number;
  until: number;
  sector: number;
  type: number;
  category: number;
  careHome: number;
  region: number;
  la: number;
}

/** Location attributes by rowid, as dictionary codes. */
class LocTable implements LocCols {
  present = new Uint8Array(0);
  sector = new Int32Array(0);
  type = new Int32Array(0);
  category = new Int32Array(0);
  careHome = new Uint8Array(0);
  region = new Int32Array(0);
  la = new Int32Array(0);
  provider = new Int32Array(0);
  /** Registration as day numbers: on the register from regFrom (0: no date known) until regTo (exclusive; REGISTER_OPEN: not deregistered). */
  regFrom = new Int32Array(0);
  regTo = new Int32Array(0);
  /** The day the location's details history starts (its first listing in register data); 0 without history (never left out by it). */
  listedFrom = new Int32Array(0);
  /** Slots in use: every array has at least this many elements. */
  cap = 0;
  ensure(n: number): void {
    if (n <= this.cap) return;
    this.present = grow(this.present, n, (k) => new Uint8Array(k));
    this.sector = grow(this.sector, n, (k) => new Int32Array(k));
    this.type = grow(this.type, n, (k) => new Int32Array(k));
    this.category = grow(this.category, n, (k) => new Int32Array(k));
    this.careHome = grow(this.careHome, n, (k) => new Uint8Array(k));
    this.region = grow(this.region, n, (k) => new Int32Array(k));
    this.la = grow(this.la, n, (k) => new Int32Array(k));
    this.provider = grow(this.provider, n, (k) => new Int32Array(k));
    this.regFrom = grow(this.regFrom, n, (k) => new Int32Array(k));
    this.regTo = grow(this.regTo, n, (k) => new Int32Array(k), REGISTER_OPEN);
    this.listedFrom = grow(this.listedFrom, n, (k) => new Int32Array(k));
    this.cap = this.present.length;
  }
}

/**
 * The byte layout written by toBytes(); a different number means "rebuild". 2: locations carry their registration
 * interval (an index of format 1 has none, so it is rebuilt from the rows).
 */
export const RATING_INDEX_FORMAT = 2;
const MAGIC = 0x49525341; // "ASRI" little-endian
const ENDIAN = 0x01020304;
/** Fixed header: magic, format, byte-order mark, header length, check over everything after it, reserved. */
const HEAD = 24;

interface IndexHeader {
  format: number;
  rows: number;
  series: number;
  locCap: number;
  locCount: number;
  locMaxRowid: number;
  kqIds: string[];
  dicts: Record<'sectors' | 'types' | 'categories' | 'regions' | 'las' | 'providers' | 'sgs' | 'labels' | 'imports', string[]>;
  locIds: (string | null)[];
  /** Bytes per stored row id (4 when every id fits 31 bits) and per import code (2 when there are few imports). */
  idBytes: 4 | 8;
  importBytes: 2 | 4;
}

export class RatingIndex {
  // Dictionaries.
  readonly sectors = new Dict();
  readonly types = new Dict();
  readonly categories = new Dict();
  readonly regions = new Dict();
  readonly las = new Dict();
  readonly providers = new Dict();
  readonly sgs = new Dict();
  readonly labels = new Dict();
  readonly imports = new Dict();
  kqIds: string[] = [];
  kqCodes = new Map<string, number>();

  // Locations, indexed by rowid.
  locIds: (string | undefined)[] = [];
  readonly loc = new LocTable();
  locByid = new Map<string, number>();
  /** Series of each location rowid (built on first use). */
  private locSeriesList: number[][] | undefined;

  // Series.
  seriesCount = 0;
  sLoc = new Int32Array(0);
  sSg = new Int32Array(0);
  sKq = new Int32Array(0);
  seriesByKq: number[][] = [];

  // Rating rows by slot.
  rowCount = 0;
  rSeries = new Int32Array(0);
  /** Day numbers (days since 1970-01-01, clamped to 16 bits). */
  rDate = new Uint16Array(0);
  rLabel = new Int16Array(0);
  rImport = new Int32Array(0);
  rId = new Float64Array(0);
  /** A hash of each row's id, date and label, computed once when the row is read: the fingerprint's unit. */
  rHash = new Int32Array(0);
  /** Slot + 1 by rating id, dense for ids below DENSE_IDS; rarer larger ids (rowids need not be dense) go in a map. */
  private slotById = new Int32Array(0);
  private slotByBigId = new Map<number, number>();

  /** Per materialised date: slot of each series' latest row on or before it (NONE when it has none). */
  readonly best = new Map<number, Int32Array>();
  readonly aggs = new Map<string, RatingAgg>();
  readonly aggsByDate = new Map<number, RatingAgg[]>();
  private readonly locFilters = new Map<string, LocFilter>();
  /**
   * Locations whose details history has earlier details than the row (rowid → versions, oldest first), and whether
   * any location has more than one history entry (then filters and groups depend on the date). Read with the rows;
   * a change to the history rebuilds the index (current-ratings.ts).
   */
  private versions = new Map<number, CodedVersion[]>();
  private dated = false;
  /** Per as-at day, the location attributes as at it; null where they are the row's for every location. */
  private colsByDay = new Map<number, LocCols | null>();

  private constructor(private readonly ws: Workspace) {}

  /** Builds the index by reading every rating and location row. */
  static build(ws: Workspace): RatingIndex {
    const ix = new RatingIndex(ws);
    ix.loadReference();
    ix.codeScaleLabels();
    ix.loadFromSql();
    ix.loadVersions();
    return ix;
  }

  /** An ISO date as a day number (days since 1970-01-01), the index's unit of time; as SQLite's julianday() would give it. */
  static dateInt(iso: string): number {
    const t = Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
    return Number.isNaN(t) ? 0 : Math.max(0, Math.min(65535, Math.floor(t / 86_400_000)));
  }

  /** Key questions (their order gives their codes) and the rating labels of every scale. */
  private loadReference(): void {
    const kqs = this.ws.all<{ id: string }>('SELECT id FROM key_questions ORDER BY position, id');
    this.kqIds = kqs.map((k) => k.id);
    this.kqCodes = new Map(kqs.map((k, i) => [k.id, i]));
    this.seriesByKq = kqs.map(() => []);
  }

  /** Codes for every label of every scale (after any restored from bytes, whose codes rows already use). */
  private codeScaleLabels(): void {
    for (const v of this.ws.all<{ label: string }>('SELECT label FROM rating_values ORDER BY scale_id, rank IS NULL, rank, label')) this.labels.code(v.label);
  }

  private readLocation(row: (string | number | null)[]): void {
    const [rowid, id, sector, type, category, careHome, region, la, provider, regOn, deregOn, status, asOf, listed] = row as [
      number,
      string,
      string,
      string,
      string | null,
      number,
      string | null,
      string | null,
      string | null,
      string | null,
      string | null,
      string | null,
      string | null,
      string | null,
    ];
    const old = this.locIds[rowid];
    if (old !== undefined && old !== id) this.locByid.delete(old);
    this.locIds[rowid] = id;
    this.locByid.set(id, rowid);
    const t = this.loc;
    t.ensure(rowid + 1);
    t.present[rowid] = 1;
    t.sector[rowid] = this.sectors.code(sector);
    t.type[rowid] = this.types.code(type);
    t.category[rowid] = this.categories.code(category ?? '');
    t.careHome[rowid] = careHome ? 1 : 0;
    t.region[rowid] = this.regions.code(region ?? '');
    t.la[rowid] = this.las.code(la ?? '');
    t.provider[rowid] = this.providers.code(provider ?? '');
    // The rule of registrationAt as an interval: from the registration date, until the deregistration date or, when
    // only a status "Deregistered" is known, the extract date that gave it.
    t.regFrom[rowid] = regOn ? RatingIndex.dateInt(regOn) : 0;
    t.regTo[rowid] = deregOn ? RatingIndex.dateInt(deregOn) : status === 'Deregistered' && asOf ? RatingIndex.dateInt(asOf) : REGISTER_OPEN;
    t.listedFrom[rowid] = listed ? RatingIndex.dateInt(listed) : 0;
  }

  private dropLocation(rowid: number): void {
    const old = this.locIds[rowid];
    if (old !== undefined) this.locByid.delete(old);
    this.locIds[rowid] = undefined;
    if (rowid < this.loc.cap) this.loc.present[rowid] = 0;
  }

  /**
   * Reads the details histories of locations with more than one entry (all of them, or those given by rowid) and keeps
   * the versions that differ from the row, by the rule of detailsVersions. The history is read afresh, never stored
   * with the index: it is a WITHOUT ROWID table, so the row hook cannot report its changes.
   */
  private loadVersions(rowids?: readonly number[]): void {
    const where = rowids ? `l.rowid IN (${rowids.map((r) => Number(r)).join(', ') || 'NULL'})` : '1';
    const rows = this.ws.all<{ rowid: number; f: string; s: string; t: string; c: string | null; h: number; r: string | null; a: string | null; ls: string; lt: string; lc: string | null; lh: number; lr: string | null; la: string | null }>(
      `SELECT l.rowid AS rowid, d.effective_from AS f, d.sector_id AS s, d.location_type AS t, d.category AS c, d.care_home AS h, d.region_id AS r, d.local_authority_id AS a,
              l.sector_id AS ls, l.location_type AS lt, l.category AS lc, l.care_home AS lh, l.region_id AS lr, l.local_authority_id AS la
       FROM location_details d JOIN locations l ON l.id = d.location_id
       WHERE ${where} AND d.location_id IN (SELECT location_id FROM location_details GROUP BY location_id HAVING count(*) > 1)
       ORDER BY l.rowid, d.effective_from`,
    );
    if (rowids) for (const r of rowids) this.versions.delete(r);
    const details = (sectorId: string, locationType: string, category: string | null, careHome: number, regionId: string | null, localAuthorityId: string | null): LocationDetails => ({
      name: '',
      sectorId,
      locationType,
      category,
      careHome: careHome === 1,
      regionId,
      localAuthorityId,
      beds: null,
    });
    const flush = (rowid: number, history: (LocationDetails & { effectiveFrom: string })[], current: LocationDetails) => {
      this.dated = true;
      const t = this.loc;
      if (rowid >= t.cap || t.present[rowid] !== 1) return;
      const coded: CodedVersion[] = detailsVersions(history, current).map((v) => ({
        from: RatingIndex.dateInt(v.from),
        until: RatingIndex.dateInt(v.until),
        sector: this.sectors.code(v.details.sectorId),
        type: this.types.code(v.details.locationType),
        category: this.categories.code(v.details.category ?? ''),
        careHome: v.details.careHome ? 1 : 0,
        region: this.regions.code(v.details.regionId ?? ''),
        la: this.las.code(v.details.localAuthorityId ?? ''),
      }));
      const differs = coded.some((v) => v.sector !== t.sector[rowid] || v.type !== t.type[rowid] || v.category !== t.category[rowid] || v.careHome !== t.careHome[rowid] || v.region !== t.region[rowid] || v.la !== t.la[rowid]);
      if (differs) this.versions.set(rowid, coded);
    };
    let at = -1;
    let history: (LocationDetails & { effectiveFrom: string })[] = [];
    let current: LocationDetails | undefined;
    for (const r of rows) {
      if (r.rowid !== at) {
        if (current) flush(at, history, current);
        at = r.rowid;
        history = [];
        current = details(r.ls, r.lt, r.lc, r.lh, r.lr, r.la);
      }
      history.push({ ...details(r.s, r.t, r.c, r.h, r.r, r.a), effectiveFrom: r.f });
    }
    if (current) flush(at, history, current);
    this.colsByDay.clear();
  }

  /** The version of a location's details in effect on a day, or undefined where the row's apply. */
  private static versionAt(vs: readonly CodedVersion[], day: number): CodedVersion | undefined {
    for (let i = 0; i < vs.length; i++) if (day < vs[i]!.until) return vs[i];
    return undefined;
  }

  /**
   * The location attributes as at a day: the row's, with each location whose details were different then given its
   * details of that day. Built once per day and kept up to date as locations change.
   */
  locColsAt(day: number | undefined): LocCols {
    if (day === undefined || this.versions.size === 0) return this.loc;
    const memo = this.colsByDay.get(day);
    if (memo !== undefined) return memo ?? this.loc;
    const t = this.loc;
    let cols: LocCols | null = null;
    for (const [rowid, vs] of this.versions) {
      const v = RatingIndex.versionAt(vs, day);
      if (!v || rowid >= t.cap || t.present[rowid] !== 1) continue;
      if (v.sector === t.sector[rowid] && v.type === t.type[rowid] && v.category === t.category[rowid] && v.careHome === t.careHome[rowid] && v.region === t.region[rowid] && v.la === t.la[rowid]) continue;
      cols ??= { sector: t.sector.slice(), type: t.type.slice(), category: t.category.slice(), careHome: t.careHome.slice(), region: t.region.slice(), la: t.la.slice() };
      cols.sector[rowid] = v.sector;
      cols.type[rowid] = v.type;
      cols.category[rowid] = v.category;
      cols.careHome[rowid] = v.careHome;
      cols.region[rowid] = v.region;
      cols.la[rowid] = v.la;
    }
    this.colsByDay.set(day, cols);
    return cols ?? this.loc;
  }

  static readonly LOCATION_SQL =
    'SELECT l.rowid, l.id, l.sector_id, l.location_type, l.category, l.care_home, l.region_id, l.local_authority_id, l.provider_id, l.registered_on, l.deregistered_on, l.registration_status, l.registration_as_of, (SELECT min(d.effective_from) FROM location_details d WHERE d.location_id = l.id) FROM locations l';

  private reserveRows(n: number, maxId: number): void {
    this.rSeries = grow(this.rSeries, n, (k) => new Int32Array(k));
    this.rDate = grow(this.rDate, n, (k) => new Uint16Array(k));
    this.rLabel = grow(this.rLabel, n, (k) => new Int16Array(k));
    this.rImport = grow(this.rImport, n, (k) => new Int32Array(k));
    this.rId = grow(this.rId, n, (k) => new Float64Array(k));
    this.rHash = grow(this.rHash, n, (k) => new Int32Array(k));
    this.slotById = grow(this.slotById, Math.min(maxId, DENSE_IDS) + 1, (k) => new Int32Array(k));
  }

  private loadFromSql(): void {
    const db = this.ws.db;
    const ls = db.prepare(RatingIndex.LOCATION_SQL);
    try {
      while (ls.step()) this.readLocation(ls.get() as (string | number | null)[]);
    } finally {
      ls.free();
    }
    // Service groups and imports get codes first so that the bulk read below can return two numbers per row:
    // strings are what makes reading millions of rows out of sql.js slow.
    // Sorted here, not in SQL: ORDER BY on the DISTINCT costs a second pass over every row.
    for (const g of this.ws.all<{ g: string }>('SELECT DISTINCT service_group AS g FROM ratings').map((r) => r.g).sort()) this.sgs.code(g);
    for (const r of this.ws.all<{ id: string }>('SELECT id FROM imports ORDER BY rowid')) this.imports.code(r.id);
    const caseOf = (col: string, d: { values: string[] } | string[], orElse: number) => {
      const vals = Array.isArray(d) ? d : d.values;
      if (vals.length === 0) return String(orElse);
      return `CASE ${col} ${vals.map((v, i) => `WHEN '${v.replace(/'/g, "''")}' THEN ${i}`).join(' ')} ELSE ${orElse} END`;
    };
    const UNKNOWN_LABEL = 31;
    // max(id) is one step down the table's b-tree (count(*) would read every page); ids are mostly dense.
    const maxId = Number(this.ws.value('SELECT max(id) FROM ratings') ?? 0);
    this.reserveRows(Math.min(maxId, 4_000_000), Math.min(maxId, 4_000_000));
    // Every value sql.js hands to JavaScript costs about a microsecond, so each row comes as two numbers: the series
    // (location rowid, service group, key question) and the row (id, day, label, import). Day numbers (days since
    // 1970) keep dates to 16 bits; a workspace that does not fit the packing is read three numbers a row instead.
    const packed = maxId < 2 ** 26 && this.imports.values.length < 63 && this.labels.values.length < UNKNOWN_LABEL;
    const seriesExpr = `l.rowid * 1048576 + (${caseOf('r.service_group', this.sgs, 16383)}) * 64 + (${caseOf('r.key_question_id', this.kqIds, 63)})`;
    const dayExpr = `max(0, min(65535, coalesce(CAST(julianday(r.published_on) - 2440587.5 AS INTEGER), 0)))`;
    const labelExpr = `(${caseOf('r.rating', this.labels, UNKNOWN_LABEL)})`;
    const importExpr = `(${this.imports.values.length ? caseOf('r.import_id', this.imports, -1) : '-1'}) + 1`;
    const sql = packed
      ? `SELECT ${seriesExpr}, r.id * 134217728 + ${dayExpr} * 2048 + ${labelExpr} * 64 + ${importExpr}
         FROM ratings r JOIN locations l ON l.id = r.location_id`
      : `SELECT ${seriesExpr}, ${dayExpr} * 256 + ${labelExpr}, r.id * 65536 + ${importExpr}
         FROM ratings r JOIN locations l ON l.id = r.location_id`;
    const st = db.prepare(sql);
    let lastA = -1;
    let lastS = NONE;
    try {
      while (st.step()) {
        const row = st.get() as number[];
        const a = row[0]!;
        const b = row[1]!;
        let s = lastS;
        if (a !== lastA) {
          const loc = Math.floor(a / 1048576);
          const rem = a - loc * 1048576;
          const sg = rem >>> 6;
          const kq = rem & 63;
          if (kq === 63 || sg === 16383) continue;
          s = this.seriesFor(loc, sg, kq);
          lastA = a;
          lastS = s;
        }
        let id: number;
        let day: number;
        let label: number;
        let imp: number;
        if (packed) {
          id = Math.floor(b / 134217728);
          const rest = b - id * 134217728;
          day = rest >>> 11;
          label = (rest >>> 6) & 31;
          imp = (rest & 63) - 1;
        } else {
          const c = row[2]!;
          id = Math.floor(c / 65536);
          imp = c - id * 65536 - 1;
          day = Math.floor(b / 256);
          label = b - day * 256;
        }
        if (label === UNKNOWN_LABEL) label = this.labels.code('(not on any scale)');
        this.putRow(id, s, day, label, imp);
      }
    } finally {
      st.free();
    }
  }

  /** The series of each location (built on first use: loading does not need it when rows arrive series by series). */
  private seriesOfLoc(loc: number): number[] {
    if (!this.locSeriesList) {
      const list: number[][] = [];
      for (let s = 0; s < this.seriesCount; s++) (list[this.sLoc[s]!] ??= []).push(s);
      this.locSeriesList = list;
    }
    return (this.locSeriesList[loc] ??= []);
  }

  private seriesFor(loc: number, sg: number, kq: number): number {
    const mine = this.seriesOfLoc(loc);
    for (let i = 0; i < mine.length; i++) {
      const s = mine[i]!;
      if (this.sSg[s] === sg && this.sKq[s] === kq) return s;
    }
    const s = this.seriesCount++;
    this.sLoc = grow(this.sLoc, s + 1, (n) => new Int32Array(n));
    this.sSg = grow(this.sSg, s + 1, (n) => new Int32Array(n));
    this.sKq = grow(this.sKq, s + 1, (n) => new Int32Array(n));
    this.sLoc[s] = loc;
    this.sSg[s] = sg;
    this.sKq[s] = kq;
    mine.push(s);
    this.seriesByKq[kq]?.push(s);
    this.views.clear();
    for (const [d, arr] of this.best) {
      if (arr.length <= s) this.best.set(d, grow(arr, s + 1, (n) => new Int32Array(n), NONE));
    }
    return s;
  }

  private rowHash(id: number, date: number, label: number): number {
    return mix(mix((id | 0) ^ mix(Math.floor(id / 4294967296) + 0x9e3779b9)) ^ mix(date ^ this.labels.hash(label)));
  }

  private setSlot(id: number, slot: number): void {
    if (id < DENSE_IDS) {
      this.slotById = grow(this.slotById, id + 1, (n) => new Int32Array(n));
      this.slotById[id] = slot + 1;
    } else {
      this.slotByBigId.set(id, slot + 1);
    }
  }

  private putRow(id: number, series: number, date: number, label: number, imp: number): number {
    let slot = this.slotOf(id);
    if (slot < 0) {
      slot = this.rowCount++;
      if (this.rSeries.length <= slot) this.reserveRows(slot + 1, Math.min(id, DENSE_IDS));
      this.setSlot(id, slot);
    }
    this.rSeries[slot] = series;
    this.rDate[slot] = date;
    this.rLabel[slot] = label;
    this.rImport[slot] = imp;
    this.rId[slot] = id;
    this.rHash[slot] = this.rowHash(id, date, label);
    return slot;
  }

  slotOf(id: number): number {
    if (id < this.slotById.length) return this.slotById[id]! - 1;
    return id < DENSE_IDS ? NONE : (this.slotByBigId.get(id) ?? 0) - 1;
  }

  /** The latest-row table for an as-at date, built on first use with one pass over all rows. */
  bestFor(date: number): Int32Array {
    let arr = this.best.get(date);
    if (arr) return arr;
    arr = new Int32Array(Math.max(this.seriesCount, 16)).fill(NONE);
    const { rSeries, rDate } = this;
    for (let slot = 0; slot < this.rowCount; slot++) {
      const s = rSeries[slot]!;
      if (s < 0) continue;
      const d = rDate[slot]!;
      if (d > date) continue;
      const cur = arr[s]!;
      if (cur === NONE || rDate[cur]! < d) arr[s] = slot;
    }
    this.best.set(date, arr);
    return arr;
  }

  /** The last day the index can hold: "as at" this is "the latest on any date". */
  static readonly LAST_DAY = 65535;

  /**
   * Each location's latest rating, on any date, for the given key questions and service group (the latest across the
   * key questions when there are several), optionally for some locations only. Uses the materialised table of the last
   * day, which patches keep true like any other date.
   */
  latestByLocation(keyQuestionIds: readonly string[], serviceGroup: string, only?: ReadonlySet<string>): Map<string, { rating: string; published: string }> {
    const out = new Map<string, { rating: string; published: string }>();
    const sg = this.sgs.codes.get(serviceGroup);
    if (sg === undefined) return out;
    const best = this.bestFor(RatingIndex.LAST_DAY);
    const days = new Map<string, number>();
    for (const kqId of keyQuestionIds) {
      const kq = this.kqCodes.get(kqId);
      if (kq === undefined) continue;
      for (const s of this.seriesByKq[kq] ?? []) {
        if (this.sSg[s] !== sg) continue;
        const slot = best[s] ?? NONE;
        if (slot === NONE) continue;
        const loc = this.locIds[this.sLoc[s]!];
        if (loc === undefined || (only && !only.has(loc))) continue;
        const day = this.rDate[slot]!;
        if ((days.get(loc) ?? -1) >= day) continue;
        days.set(loc, day);
        out.set(loc, { rating: this.labels.values[this.rLabel[slot]!]!, published: new Date(day * 86_400_000).toISOString().slice(0, 10) });
      }
    }
    return out;
  }

  /** The service groups of every series that still has a rating. */
  serviceGroupNames(): string[] {
    const best = this.bestFor(RatingIndex.LAST_DAY);
    const used = new Set<number>();
    for (let s = 0; s < this.seriesCount; s++) if ((best[s] ?? NONE) !== NONE) used.add(this.sSg[s]!);
    return [...used].map((c) => this.sgs.values[c]!).sort();
  }

  /** The column a location dimension is grouped or filtered by. */
  private locColumn(by: GroupDim, day: number | undefined): Int32Array | Uint8Array | undefined {
    const c = this.locColsAt(day);
    switch (by) {
      case 'region':
        return c.region;
      case 'localAuthority':
        return c.la;
      case 'sector':
        return c.sector;
      case 'category':
        return c.category;
      case 'locationType':
        return c.type;
      case 'careHome':
        return c.careHome;
    }
    return undefined;
  }

  /** A series' group code for a row of it, its location's details taken as at `day` (undefined: as the row holds them). */
  groupOf(by: GroupDim, s: number, slot: number, day: number | undefined): number {
    if (by === undefined) return 0;
    if (by === 'keyQuestion') return this.sKq[s]!;
    if (by === 'rating') return this.rLabel[slot]!;
    if (by === 'serviceGroup') return this.sSg[s]!;
    return this.locColumn(by, day)![this.sLoc[s]!]!;
  }

  /** How many group codes a dimension has now. */
  private groupSpan(by: GroupDim): number {
    switch (by) {
      case undefined:
        return 1;
      case 'region':
        return this.regions.values.length;
      case 'localAuthority':
        return this.las.values.length;
      case 'sector':
        return this.sectors.values.length;
      case 'category':
        return this.categories.values.length;
      case 'locationType':
        return this.types.values.length;
      case 'careHome':
        return 2;
      case 'keyQuestion':
        return this.kqIds.length;
      case 'rating':
        return this.labels.values.length;
      case 'serviceGroup':
        return this.sgs.values.length;
    }
  }

  /** Per dimension, the hash of each group code's name (codes differ between index builds; names do not). */
  private groupHashes = new Map<GroupDim, number[]>();
  private groupHash(by: GroupDim, code: number): number {
    let arr = this.groupHashes.get(by);
    if (!arr) {
      arr = [];
      this.groupHashes.set(by, arr);
    }
    let h = arr[code];
    if (h === undefined) {
      h = strHash(this.groupName(by, code));
      arr[code] = h;
    }
    return h;
  }

  groupName(by: GroupDim, code: number): string {
    switch (by) {
      case 'region':
        return this.regions.values[code] ?? '';
      case 'localAuthority':
        return this.las.values[code] ?? '';
      case 'sector':
        return this.sectors.values[code] ?? '';
      case 'category':
        return this.categories.values[code] ?? '';
      case 'locationType':
        return this.types.values[code] ?? '';
      case 'careHome':
        return String(code);
      case 'keyQuestion':
        return this.kqIds[code] ?? '';
      case 'rating':
        return this.labels.values[code] ?? '';
      case 'serviceGroup':
        return this.sgs.values[code] ?? '';
    }
    return '';
  }

  // ------------------------------------------------------------------------------------------- location filters --
  /** A test on dictionary codes, memoised per code (new codes appear as locations are added). */
  private codeTest(dict: Dict, f: ValueFilter, ci: boolean): (code: number) => boolean {
    const want = new Set(ci ? f.values.map((v) => v.toLowerCase()) : f.values);
    const memo: number[] = [];
    return (code) => {
      let m = memo[code];
      if (m === undefined) {
        const v = dict.values[code] ?? '';
        m = want.has(ci ? v.toLowerCase() : v) !== f.negate ? 1 : 0;
        memo[code] = m;
      }
      return m === 1;
    };
  }

  /**
   * The shared filter for a spec, the locations' details taken as at `day` (undefined: as the rows hold them):
   * evaluated once per location, kept up to date as locations change.
   */
  locFilter(spec: LocFilterSpec, day?: number): LocFilter {
    const byDetails = spec.sector || spec.region || spec.localAuthority || spec.locationType || spec.category || spec.careHome !== undefined;
    // Details as at a date matter only when some location's history has more than one entry.
    const detailsDay = byDetails && this.dated ? day : undefined;
    const key = JSON.stringify([spec.sector, spec.region, spec.localAuthority, spec.locationType, spec.category, spec.providerId, spec.careHome, spec.registered ?? null, detailsDay ?? null]);
    let lf = this.locFilters.get(key);
    if (lf) return lf;
    const t = this.loc;
    const c = () => this.locColsAt(detailsDay);
    const tests: ((loc: number) => boolean)[] = [];
    const add = (f: ValueFilter | undefined, dict: Dict, col: () => Int32Array, ci = false) => {
      if (!f) return;
      const test = this.codeTest(dict, f, ci);
      tests.push((loc) => test(col()[loc]!));
    };
    add(spec.sector, this.sectors, () => c().sector);
    add(spec.region, this.regions, () => c().region);
    add(spec.localAuthority, this.las, () => c().la);
    add(spec.locationType, this.types, () => c().type, true);
    add(spec.category, this.categories, () => c().category, true);
    add(spec.providerId, this.providers, () => t.provider);
    if (spec.careHome !== undefined) {
      const want = spec.careHome ? 1 : 0;
      tests.push((loc) => c().careHome[loc] === want);
    }
    if (spec.registered) {
      const { day, coveredFrom } = spec.registered;
      tests.push((loc) => this.onRegister(loc, day, coveredFrom));
    }
    lf = new LocFilter(key, (loc) => {
      if (loc >= t.cap || t.present[loc] !== 1) return false;
      for (let i = 0; i < tests.length; i++) if (!tests[i]!(loc)) return false;
      return true;
    });
    const m = new Uint8Array(t.cap + 1);
    for (let i = 0; i < t.cap; i++) if (lf.ok(i)) m[i] = 1;
    lf.match = m;
    this.locFilters.set(key, lf);
    return lf;
  }

  /** Whether a location (rowid) was on the register on a day: the rule of {@link RegisterTest}, the one place it is written. */
  onRegister(loc: number, day: number, coveredFrom: number): boolean {
    const t = this.loc;
    return t.regFrom[loc]! <= day && day < t.regTo[loc]! && !(coveredFrom <= day && day < t.listedFrom[loc]!);
  }

  private refreshLocation(rowid: number): void {
    for (const lf of this.locFilters.values()) {
      if (lf.match.length <= rowid) lf.match = grow(lf.match, rowid + 1, (n) => new Uint8Array(n));
      lf.match[rowid] = lf.ok(rowid) ? 1 : 0;
    }
  }

  // ------------------------------------------------------------------------------------------------ aggregates --
  private matches(agg: RatingAgg, s: number): boolean {
    if (!agg.def.kq.has(this.sKq[s]!)) return false;
    const sg = this.sSg[s]!;
    let m = agg.sgMatch[sg];
    if (m === undefined) {
      m = agg.def.sgOk(this.sgs.values[sg]!) ? 1 : 0;
      agg.sgMatch[sg] = m;
    }
    if (!m) return false;
    return agg.lf.match[this.sLoc[s]!] === 1;
  }

  private contribute(agg: RatingAgg, s: number, slot: number, sign: 1 | -1): void {
    const by = agg.def.by;
    const g = this.groupOf(by, s, slot, agg.def.date);
    const imp = this.rImport[slot]! + 1;
    agg.reserve(g + 1, imp);
    const label = this.rLabel[slot]!;
    const at = g * LABEL_CAP + label;
    agg.counts[at] = agg.counts[at]! + sign;
    agg.rows += sign;
    agg.importCounts[imp] = agg.importCounts[imp]! + sign;
    const h1 = this.rHash[slot]! >>> 0;
    const h2 = by === undefined ? h1 : mix(h1 ^ this.groupHash(by, g));
    agg.lane1 = (agg.lane1 + sign * h2) >>> 0;
    // The second lane sums a different function of the same hash, so that two lanes give 64 bits between them.
    agg.lane2 = (agg.lane2 + sign * Math.imul(h2 ^ (h2 >>> 15), 0x2c1b3c6d)) >>> 0;
  }

  /**
   * Per as-at date and key question, the series with a latest row, laid out side by side with that row's facts, so
   * that building an aggregate reads memory in order instead of jumping between two million row slots. Dropped
   * whenever rows change: only cold builds use them.
   */
  private views = new Map<string, SeriesView>();
  private viewFor(date: number, kq: number): SeriesView {
    const key = `${date}:${kq}`;
    let v = this.views.get(key);
    if (v) return v;
    const best = this.bestFor(date);
    const list = this.seriesByKq[kq] ?? [];
    let n = 0;
    for (let i = 0; i < list.length; i++) if (best[list[i]!]! !== NONE) n++;
    v = { n, loc: new Int32Array(n), sg: new Int32Array(n), label: new Int16Array(n), imp: new Int32Array(n), hash: new Int32Array(n) };
    let j = 0;
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      const slot = best[s]!;
      if (slot === NONE) continue;
      v.loc[j] = this.sLoc[s]!;
      v.sg[j] = this.sSg[s]!;
      v.label[j] = this.rLabel[slot]!;
      v.imp[j] = this.rImport[slot]!;
      v.hash[j] = this.rHash[slot]!;
      j++;
    }
    this.views.set(key, v);
    return v;
  }

  /** The aggregate for a definition, built on first use (one pass over the series of its key questions). */
  aggFor(def: AggDef): RatingAgg {
    const existing = this.aggs.get(def.key);
    if (existing) return existing;
    const agg = new RatingAgg(def, this.locFilter(def.loc, def.date));
    for (let sg = 0; sg < this.sgs.values.length; sg++) agg.sgMatch[sg] = def.sgOk(this.sgs.values[sg]!) ? 1 : 0;
    const by = def.by;
    agg.reserve(this.groupSpan(by), this.imports.values.length);
    // The same work as contribute(), specialised: this loop runs once per series for every aggregate built cold.
    const sgMatch = agg.sgMatch;
    const locMatch = agg.lf.match;
    const locCol = this.locColumn(by, def.date);
    const kind = locCol ? 1 : by === 'keyQuestion' ? 2 : by === 'rating' ? 3 : by === 'serviceGroup' ? 4 : 0;
    const span = this.groupSpan(by);
    const gh = new Int32Array(Math.max(span, 1));
    for (let g = 0; g < span; g++) gh[g] = by === undefined ? 0 : this.groupHash(by, g);
    const grouped = by !== undefined;
    const counts = agg.counts;
    const importCounts = agg.importCounts;
    let rows = 0;
    let lane1 = 0;
    let lane2 = 0;
    for (const kq of def.kq) {
      const v = this.viewFor(def.date, kq);
      const { loc: vLoc, sg: vSg, label: vLabel, imp: vImp, hash: vHash } = v;
      for (let i = 0; i < v.n; i++) {
        if (sgMatch[vSg[i]!] !== 1) continue;
        const loc = vLoc[i]!;
        if (locMatch[loc] !== 1) continue;
        const label = vLabel[i]!;
        const g = kind === 1 ? locCol![loc]! : kind === 2 ? kq : kind === 3 ? label : kind === 4 ? vSg[i]! : 0;
        counts[g * LABEL_CAP + label]!++;
        importCounts[vImp[i]! + 1]!++;
        rows++;
        const h1 = vHash[i]! >>> 0;
        const h2 = grouped ? mix(h1 ^ gh[g]!) : h1;
        lane1 = (lane1 + h2) >>> 0;
        lane2 = (lane2 + Math.imul(h2 ^ (h2 >>> 15), 0x2c1b3c6d)) >>> 0;
      }
    }
    agg.rows = rows;
    agg.lane1 = lane1;
    agg.lane2 = lane2;
    this.aggs.set(def.key, agg);
    const list = this.aggsByDate.get(def.date) ?? [];
    list.push(agg);
    this.aggsByDate.set(def.date, list);
    return agg;
  }

  // ---------------------------------------------------------------------------------------------------- changes --
  /**
   * Brings the index up to date with changed rating rows (by rowid) and locations (by rowid), reading their current
   * state from the database. Idempotent: processing a row that did not change changes nothing. Returns the
   * aggregates whose contributions changed.
   */
  applyRows(ratingIds: Iterable<number>, locationRowids: Iterable<number>): Set<RatingAgg> {
    this.views.clear();
    const changed = new Set<RatingAgg>();
    const series = new Set<number>();
    const locs = [...locationRowids];
    // Which series could be touched: those of the rows as the index knows them, and as the database now has them.
    const newState = new Map<number, { series: number; date: number; label: number; imp: number } | null>();
    const rowStmt = this.ws.db.prepare(
      'SELECT r.location_id, r.service_group, r.key_question_id, r.rating, r.published_on, r.import_id, l.rowid FROM ratings r JOIN locations l ON l.id = r.location_id WHERE r.id = ?',
    );
    // New locations must be known before their ratings are read.
    const locStmt = this.ws.db.prepare(`${RatingIndex.LOCATION_SQL} WHERE l.rowid = ?`);
    const newLocs = new Map<number, (string | number | null)[] | null>();
    try {
      for (const rowid of locs) {
        locStmt.bind([rowid]);
        newLocs.set(rowid, locStmt.step() ? (locStmt.get() as (string | number | null)[]) : null);
        locStmt.reset();
      }
      const added: number[] = [];
      for (const [rowid, row] of newLocs) {
        if (this.locIds[rowid] === undefined && row) {
          this.readLocation(row);
          added.push(rowid);
        }
      }
      // The columns as at each date are copies: rebuilt to include the new rows (the others are as they were).
      if (added.length) this.colsByDay.clear();
      for (const rowid of added) this.refreshLocation(rowid);
      for (const id of ratingIds) {
        const slot = this.slotOf(id);
        if (slot !== NONE && this.rSeries[slot]! >= 0) series.add(this.rSeries[slot]!);
        rowStmt.bind([id]);
        if (rowStmt.step()) {
          const [, sg, kqId, rating, published, imp, locRowid] = rowStmt.get() as [string, string, string, string, string, string | null, number];
          const kq = this.kqCodes.get(kqId);
          if (kq === undefined) {
            newState.set(id, null);
          } else {
            const s = this.seriesFor(locRowid, this.sgs.code(sg), kq);
            series.add(s);
            newState.set(id, { series: s, date: RatingIndex.dateInt(published), label: this.labels.code(rating), imp: imp === null ? -1 : this.imports.code(imp) });
          }
        } else {
          newState.set(id, null);
        }
        rowStmt.reset();
      }
    } finally {
      rowStmt.free();
      locStmt.free();
    }
    for (const loc of locs) for (const s of this.seriesOfLoc(loc)) series.add(s);
    // 1. Take every touched series out of every aggregate it counts in, as the index has it now.
    for (const [date, aggs] of this.aggsByDate) {
      const best = this.bestFor(date);
      for (const s of series) {
        const slot = best[s]!;
        if (slot === NONE) continue;
        for (const agg of aggs) {
          if (this.matches(agg, s)) {
            this.contribute(agg, s, slot, -1);
            changed.add(agg);
          }
        }
      }
    }
    // 2. Update rows and locations.
    for (const [id, st] of newState) {
      if (st) {
        this.putRow(id, st.series, st.date, st.label, st.imp);
      } else {
        const slot = this.slotOf(id);
        if (slot !== NONE) this.rSeries[slot] = NONE;
      }
    }
    for (const [rowid, row] of newLocs) {
      if (row) this.readLocation(row);
      else this.dropLocation(rowid);
    }
    // Their details as at each date follow the row (the latest details) and the history.
    if (newLocs.size) {
      if (this.dated) this.loadVersions([...newLocs.keys()]);
      this.colsByDay.clear();
    }
    for (const rowid of newLocs.keys()) this.refreshLocation(rowid);
    // 3. Recompute each touched series' latest row per date from its rows in the database (an indexed lookup).
    const histStmt = this.ws.db.prepare('SELECT id FROM ratings WHERE location_id = ? AND service_group = ? AND key_question_id = ?');
    const slotsOf = new Map<number, number[]>();
    try {
      for (const s of series) {
        const slots: number[] = [];
        const locId = this.locIds[this.sLoc[s]!];
        if (locId !== undefined) {
          histStmt.bind([locId, this.sgs.values[this.sSg[s]!]!, this.kqIds[this.sKq[s]!]!]);
          while (histStmt.step()) {
            const slot = this.slotOf(histStmt.get()[0] as number);
            if (slot !== NONE && this.rSeries[slot] === s) slots.push(slot);
          }
          histStmt.reset();
        }
        slotsOf.set(s, slots);
      }
    } finally {
      histStmt.free();
    }
    for (const [date, best] of this.best) {
      for (const s of series) {
        let top = NONE;
        for (const slot of slotsOf.get(s)!) {
          const d = this.rDate[slot]!;
          if (d <= date && (top === NONE || this.rDate[top]! < d)) top = slot;
        }
        best[s] = top;
      }
    }
    // 4. Put them back in with their new latest rows.
    for (const [date, aggs] of this.aggsByDate) {
      const best = this.best.get(date)!;
      for (const s of series) {
        const slot = best[s]!;
        if (slot === NONE) continue;
        for (const agg of aggs) {
          if (this.matches(agg, s)) {
            this.contribute(agg, s, slot, 1);
            changed.add(agg);
          }
        }
      }
    }
    for (const agg of changed) agg.version++;
    return changed;
  }

  // ------------------------------------------------------------------------------------------ bytes (the cache) --
  /**
   * The index as bytes: a small JSON header (dictionaries, location ids, counts) and the typed arrays. Materialised
   * dates and aggregates are not kept: they are cheap to rebuild from rows.
   */
  toBytes(): Uint8Array {
    const n = this.rowCount;
    const sc = this.seriesCount;
    const lc = this.loc.cap;
    let locCount = 0;
    let locMaxRowid = 0;
    const locIds: (string | null)[] = [];
    for (let i = 0; i < this.locIds.length; i++) {
      const id = this.locIds[i];
      locIds.push(id ?? null);
      if (id !== undefined) {
        locCount++;
        locMaxRowid = i;
      }
    }
    const header: IndexHeader = {
      format: RATING_INDEX_FORMAT,
      rows: n,
      series: sc,
      locCap: lc,
      locCount,
      locMaxRowid,
      kqIds: this.kqIds,
      dicts: {
        sectors: this.sectors.values,
        types: this.types.values,
        categories: this.categories.values,
        regions: this.regions.values,
        las: this.las.values,
        providers: this.providers.values,
        sgs: this.sgs.values,
        labels: this.labels.values,
        imports: this.imports.values,
      },
      locIds,
      idBytes: 8,
      importBytes: this.imports.values.length < 32_000 ? 2 : 4,
    };
    let maxId = 0;
    for (let i = 0; i < n; i++) if (this.rId[i]! > maxId) maxId = this.rId[i]!;
    if (maxId < 2 ** 31) header.idBytes = 4;
    const json = new TextEncoder().encode(JSON.stringify(header));
    const t = this.loc;
    const parts: ArrayBufferView[] = [
      this.sLoc.subarray(0, sc),
      this.sSg.subarray(0, sc),
      this.sKq.subarray(0, sc),
      this.rSeries.subarray(0, n),
      this.rDate.subarray(0, n),
      this.rLabel.subarray(0, n),
      header.importBytes === 2 ? new Int16Array(this.rImport.subarray(0, n)) : this.rImport.subarray(0, n),
      header.idBytes === 4 ? new Int32Array(this.rId.subarray(0, n)) : this.rId.subarray(0, n),
      t.present.subarray(0, lc),
      t.sector.subarray(0, lc),
      t.type.subarray(0, lc),
      t.category.subarray(0, lc),
      t.careHome.subarray(0, lc),
      t.region.subarray(0, lc),
      t.la.subarray(0, lc),
      t.provider.subarray(0, lc),
      t.regFrom.subarray(0, lc),
      t.regTo.subarray(0, lc),
    ];
    const pad = (x: number) => (x + 7) & ~7;
    let size = pad(HEAD + json.length);
    for (const p of parts) size += pad(p.byteLength);
    const out = new Uint8Array(size);
    const head = new DataView(out.buffer);
    head.setUint32(0, MAGIC, true);
    head.setUint32(4, RATING_INDEX_FORMAT, true);
    new Uint32Array(out.buffer, 8, 1)[0] = ENDIAN;
    head.setUint32(12, json.length, true);
    out.set(json, HEAD);
    let at = pad(HEAD + json.length);
    for (const p of parts) {
      out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
      at += pad(p.byteLength);
    }
    head.setUint32(16, wordCheck(new Int32Array(out.buffer, HEAD, (size - HEAD) / 4)), true);
    return out;
  }

  /**
   * Reads an index back from toBytes() output. Throws (the caller rebuilds) when the bytes are not a well-formed
   * index of this format, or no longer match the workspace's key questions or locations. `changedLocations` are
   * location rowids the change log says changed since the bytes were written: they are left out of the comparison,
   * and the caller must pass them to {@link applyRows} before using the index.
   */
  static fromBytes(ws: Workspace, bytes: Uint8Array, opts: { changedLocations?: ReadonlySet<number> } = {}): RatingIndex {
    const changedLocs = opts.changedLocations ?? new Set<number>();
    const buf = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    if (buf.byteLength < HEAD || view.getUint32(0, true) !== MAGIC) throw new Error('not a rating index');
    if (view.getUint32(4, true) !== RATING_INDEX_FORMAT) throw new Error('a different rating index format');
    if (new Uint32Array(buf.buffer, buf.byteOffset + 8, 1)[0] !== ENDIAN) throw new Error('written with a different byte order');
    const jsonLen = view.getUint32(12, true);
    if (HEAD + jsonLen > buf.byteLength || buf.byteLength % 8 !== 0) throw new Error('truncated');
    if (wordCheck(new Int32Array(buf.buffer, buf.byteOffset + HEAD, (buf.byteLength - HEAD) / 4)) !== view.getUint32(16, true)) throw new Error('damaged (check failed)');
    const h = JSON.parse(new TextDecoder().decode(buf.subarray(HEAD, HEAD + jsonLen))) as IndexHeader;
    const count = (v: unknown) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error('bad count in header');
      return v;
    };
    const n = count(h.rows);
    const sc = count(h.series);
    const lc = count(h.locCap);
    if (!Array.isArray(h.locIds) || !Array.isArray(h.kqIds) || typeof h.dicts !== 'object' || h.dicts === null) throw new Error('bad header');

    const ix = new RatingIndex(ws);
    ix.loadReference();
    // The key questions (their codes) and the locations (their rowids) must be as they were when the index was written.
    if (JSON.stringify(ix.kqIds) !== JSON.stringify(h.kqIds)) throw new Error('key questions changed');
    // Locations the change log names (patched by the caller, see applyRows) may have been added, removed or renumbered.
    if (changedLocs.size === 0) {
      const locs = ws.get<{ n: number; m: number | null }>('SELECT count(*) AS n, max(rowid) AS m FROM locations');
      if (Number(locs?.n ?? 0) !== h.locCount || Number(locs?.m ?? 0) !== h.locMaxRowid) throw new Error('locations changed');
    }
    ix.labels.restore(h.dicts.labels);
    ix.codeScaleLabels();
    ix.sectors.restore(h.dicts.sectors);
    ix.types.restore(h.dicts.types);
    ix.categories.restore(h.dicts.categories);
    ix.regions.restore(h.dicts.regions);
    ix.las.restore(h.dicts.las);
    ix.providers.restore(h.dicts.providers);
    ix.sgs.restore(h.dicts.sgs);
    ix.imports.restore(h.dicts.imports);

    const pad = (x: number) => (x + 7) & ~7;
    let at = pad(HEAD + jsonLen);
    const take = <T extends ArrayBufferView>(make: (b: ArrayBuffer, off: number, len: number) => T, bytesPer: number, len: number): T => {
      const end = at + len * bytesPer;
      if (end > buf.byteLength) throw new Error('truncated arrays');
      const arr = make(buf.buffer as ArrayBuffer, buf.byteOffset + at, len);
      at = pad(end);
      return arr;
    };
    const i32 = (len: number) => take((b, o, l) => new Int32Array(b, o, l), 4, len);
    ix.sLoc = i32(sc);
    ix.sSg = i32(sc);
    ix.sKq = i32(sc);
    ix.rSeries = i32(n);
    ix.rDate = take((b, o, l) => new Uint16Array(b, o, l), 2, n);
    ix.rLabel = take((b, o, l) => new Int16Array(b, o, l), 2, n);
    ix.rImport = h.importBytes === 2 ? new Int32Array(take((b, o, l) => new Int16Array(b, o, l), 2, n)) : i32(n);
    ix.rId = h.idBytes === 4 ? new Float64Array(i32(n)) : take((b, o, l) => new Float64Array(b, o, l), 8, n);
    const u8 = (len: number) => take((b, o, l) => new Uint8Array(b, o, l), 1, len);
    const t = ix.loc;
    t.present = u8(lc);
    t.sector = i32(lc);
    t.type = i32(lc);
    t.category = i32(lc);
    t.careHome = u8(lc);
    t.region = i32(lc);
    t.la = i32(lc);
    t.provider = i32(lc);
    t.regFrom = i32(lc);
    t.regTo = i32(lc);
    // When each location was first listed is read afresh, not stored: the details history has no rowids for the row
    // hook to report and no trigger that bumps the ratings generation, so a stored copy could be out of date.
    t.listedFrom = new Int32Array(lc);
    t.cap = lc;
    ix.seriesCount = sc;
    ix.rowCount = n;

    const codesOk = (col: Int32Array, d: Dict) => {
      for (let i = 0; i < lc; i++) if (t.present[i] === 1 && (col[i]! < 0 || col[i]! >= d.values.length)) throw new Error('bad location codes');
    };
    codesOk(t.sector, ix.sectors);
    codesOk(t.type, ix.types);
    codesOk(t.category, ix.categories);
    codesOk(t.region, ix.regions);
    codesOk(t.la, ix.las);
    codesOk(t.provider, ix.providers);
    // Locations: ids by rowid, checked against the workspace so that renumbered rowids are never trusted.
    if (h.locIds.length > lc) throw new Error('bad location table');
    // One string from SQLite costs far less than a row per location.
    let now = ws.value<string>("SELECT group_concat(rowid || char(9) || id, char(10) ORDER BY rowid) FROM locations") ?? '';
    if (changedLocs.size) now = now.split('\n').filter((line) => line !== '' && !changedLocs.has(Number(line.slice(0, line.indexOf('\t'))))).join('\n');
    const then: string[] = [];
    h.locIds.forEach((id, r) => {
      if (id === null) return;
      if (typeof id !== 'string' || t.present[r] !== 1) throw new Error('bad location table');
      if (!changedLocs.has(r)) then.push(`${r}\t${id}`);
      ix.locIds[r] = id;
      ix.locByid.set(id, r);
    });
    if (then.join('\n') !== now) throw new Error('locations changed');
    const listed = ws.value<string>(
      `SELECT group_concat(l.rowid || ':' || CAST(julianday(d.f) - 2440587.5 AS INTEGER), ',')
       FROM (SELECT location_id, min(effective_from) AS f FROM location_details GROUP BY location_id) d JOIN locations l ON l.id = d.location_id`,
    );
    if (listed) {
      for (const part of listed.split(',')) {
        const i = part.indexOf(':');
        const r = Number(part.slice(0, i));
        const day = Number(part.slice(i + 1));
        if (r >= 0 && r < lc && Number.isFinite(day)) t.listedFrom[r] = Math.max(0, Math.min(65535, day));
      }
    }
    // The details each location had before its latest, read afresh like the listing dates (see loadVersions).
    ix.loadVersions();

    // Derived structures, with every code checked so that damaged bytes fail here rather than index out of range.
    const nk = ix.kqIds.length;
    const nsg = ix.sgs.values.length;
    for (let s = 0; s < sc; s++) {
      const loc = ix.sLoc[s]!;
      const kq = ix.sKq[s]!;
      const sg = ix.sSg[s]!;
      if (loc < 0 || loc >= lc || kq < 0 || kq >= nk || sg < 0 || sg >= nsg) throw new Error('bad series');
      ix.seriesByKq[kq]!.push(s);
    }
    const nl = Math.min(ix.labels.values.length, LABEL_CAP);
    const ni = ix.imports.values.length;
    const { rId, rSeries, rLabel, rImport, rDate } = ix;
    const rHash = new Int32Array(n);
    let maxId = 0;
    for (let i = 0; i < n; i++) {
      const id = rId[i]!;
      const s = rSeries[i]!;
      const label = rLabel[i]!;
      const imp = rImport[i]!;
      if (!(id >= 0 && Number.isSafeInteger(id)) || s < NONE || s >= sc || label < 0 || label >= nl || imp < -1 || imp >= ni) throw new Error('bad row');
      if (id > maxId) maxId = id;
      rHash[i] = ix.rowHash(id, rDate[i]!, label);
    }
    ix.rHash = rHash;
    ix.slotById = new Int32Array(Math.min(maxId, DENSE_IDS) + 1);
    for (let i = 0; i < n; i++) ix.setSlot(rId[i]!, i);
    return ix;
  }
}

/**
 * The view SQL figures use to count locations on the register on a date, by the same rule as the rating index's
 * {@link RegisterTest} (and the structured specs' default, `registered: 'on-date'`). One row per period a location was
 * on the register (at most two: a location first listed after register data began is off the register from then until
 * it was listed), `registered_from` inclusive ('0000-01-01' when no date is known) and `registered_until` exclusive
 * (NULL while still registered), so that, for a date :asAt,
 *
 *   JOIN registered_locations rl ON rl.location_id = l.id
 *     AND rl.registered_from <= :asAt AND (rl.registered_until IS NULL OR :asAt < rl.registered_until)
 *
 * keeps each location registered on :asAt once and drops the others. A TEMP view: the SQL worker creates it on each
 * copy it opens (the workspace file itself does not hold it). `kinds` are the kinds of import that bring register data.
 */
export function registeredLocationsViewSql(kinds: readonly string[]): string {
  const list = kinds.map((k) => `'${k.replace(/'/g, "''")}'`).join(', ') || "''";
  return `CREATE TEMP VIEW IF NOT EXISTS registered_locations AS
WITH f AS (SELECT min(covers_from) AS fl FROM imports WHERE coverage IS NOT NULL AND covers_from IS NOT NULL AND kind IN (${list})),
r AS (
  SELECT l.id AS location_id,
         coalesce(l.registered_on, '0000-01-01') AS rf,
         coalesce(l.deregistered_on, CASE WHEN l.registration_status = 'Deregistered' THEN l.registration_as_of END, '9999-99-99') AS ru,
         CASE WHEN f.fl IS NOT NULL THEN (SELECT min(d.effective_from) FROM location_details d WHERE d.location_id = l.id) END AS lf,
         f.fl AS fl
  FROM locations l, f
),
p AS (
  SELECT location_id, rf AS a, ru AS b FROM r WHERE lf IS NULL OR lf <= fl
  UNION ALL SELECT location_id, rf, min(ru, fl) FROM r WHERE lf > fl
  UNION ALL SELECT location_id, max(rf, lf), ru FROM r WHERE lf > fl
)
SELECT location_id, a AS registered_from, nullif(b, '9999-99-99') AS registered_until FROM p WHERE a < b`;
}
