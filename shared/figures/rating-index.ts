import type { Workspace } from '../store/workspace';

/**
 * An in-memory index of every rating row, so that "the latest rating per location, service group and key question
 * as at a date" and the counts figures need can be kept up to date row by row rather than recomputed with a GROUP BY
 * over millions of rows after every edit.
 *
 * Layout: columnar arrays of rating rows (slots), series (one per location x service group x key question), and per
 * materialised as-at date the slot of each series' latest row on or before that date. Aggregates (RatingAgg) hold
 * counts per group and rating for one filter and date; a changed row moves its series' contribution from the old
 * latest row to the new one in every aggregate of every date, which costs O(dates x aggregates) per changed series.
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
}

/** Grows a typed array to at least n elements (doubling), keeping its contents. */
function grow<T extends Int32Array | Float64Array | Int16Array>(a: T, n: number, make: (n: number) => T, fill = 0): T {
  if (a.length >= n) return a;
  const b = make(Math.max(n, a.length * 2, 16));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

const NONE = -1;

/** 32-bit mixing (murmur3's finaliser): spreads row facts over the fingerprint lanes. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface LocationAttrs {
  sector: number;
  type: number;
  category: number;
  careHome: number;
  region: number;
  la: number;
  provider: number;
}

export type GroupDim = 'region' | 'localAuthority' | 'sector' | 'category' | 'keyQuestion' | 'rating' | 'serviceGroup' | 'locationType' | 'careHome' | undefined;

/** What an aggregate counts: rows of the given key questions and service groups whose location passes `locOk`. */
export interface AggDef {
  key: string;
  date: number;
  kq: Set<number>;
  sgOk: (sg: string) => boolean;
  locOk: (a: LocationAttrs) => boolean;
  by: GroupDim;
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
  locMatch: Uint8Array = new Uint8Array(0);
  sgMatch: number[] = [];
  constructor(readonly def: AggDef) {}

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
  /** onScale[kq][label] and rank[kq][label] (rank 0 when off the scale). */
  onScale: Uint8Array[] = [];
  rank: Int16Array[] = [];

  // Locations, indexed by rowid.
  locIds: (string | undefined)[] = [];
  locAttrs: (LocationAttrs | undefined)[] = [];
  locByid = new Map<string, number>();

  // Series.
  seriesCount = 0;
  sLoc = new Int32Array(0);
  sSg = new Int32Array(0);
  sKq = new Int32Array(0);
  private seriesByKey = new Map<number, number>();
  seriesByKq: number[][] = [];

  // Rating rows by slot.
  rowCount = 0;
  rSeries = new Int32Array(0);
  rDate = new Int32Array(0);
  rLabel = new Int16Array(0);
  rImport = new Int32Array(0);
  rId = new Float64Array(0);
  /** A hash of each row's id, date and label, computed once when the row is read: the fingerprint's unit. */
  rHash = new Int32Array(0);
  private slotById = new Int32Array(0);

  /** Per materialised date: slot of each series' latest row on or before it (NONE when it has none). */
  readonly best = new Map<number, Int32Array>();
  readonly aggs = new Map<string, RatingAgg>();
  readonly aggsByDate = new Map<number, RatingAgg[]>();

  constructor(private readonly ws: Workspace) {
    this.load();
  }

  /** An ISO date as a day number (days since 1970-01-01), the index's unit of time; as SQLite's julianday() would give it. */
  static dateInt(iso: string): number {
    const t = Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
    return Number.isNaN(t) ? 0 : Math.max(0, Math.min(65535, Math.floor(t / 86_400_000)));
  }

  private loadReference(): void {
    const kqs = this.ws.all<{ id: string; scale_id: string }>('SELECT id, scale_id FROM key_questions ORDER BY position, id');
    this.kqIds = kqs.map((k) => k.id);
    this.kqCodes = new Map(kqs.map((k, i) => [k.id, i]));
    const values = this.ws.all<{ scale_id: string; label: string; rank: number | null; on_scale: number }>('SELECT scale_id, label, rank, on_scale FROM rating_values ORDER BY scale_id, rank IS NULL, rank, label');
    for (const v of values) this.labels.code(v.label);
    this.onScale = kqs.map(() => new Uint8Array(256));
    this.rank = kqs.map(() => new Int16Array(256));
    kqs.forEach((k, i) => {
      for (const v of values) {
        if (v.scale_id !== k.scale_id) continue;
        const c = this.labels.code(v.label);
        this.onScale[i]![c] = v.on_scale === 1 && v.rank !== null ? 1 : 0;
        this.rank[i]![c] = v.rank ?? 0;
      }
    });
    this.seriesByKq = kqs.map(() => []);
  }

  private readLocation(row: (string | number | null)[]): void {
    const [rowid, id, sector, type, category, careHome, region, la, provider] = row as [number, string, string, string, string | null, number, string | null, string | null, string | null];
    const old = this.locIds[rowid];
    if (old !== undefined && old !== id) this.locByid.delete(old);
    this.locIds[rowid] = id;
    this.locByid.set(id, rowid);
    this.locAttrs[rowid] = {
      sector: this.sectors.code(sector),
      type: this.types.code(type),
      category: this.categories.code(category ?? ''),
      careHome: careHome ? 1 : 0,
      region: this.regions.code(region ?? ''),
      la: this.las.code(la ?? ''),
      provider: this.providers.code(provider ?? ''),
    };
  }

  static readonly LOCATION_SQL =
    'SELECT rowid, id, sector_id, location_type, category, care_home, region_id, local_authority_id, provider_id FROM locations';

  private load(): void {
    this.loadReference();
    const db = this.ws.db;
    const ls = db.prepare(RatingIndex.LOCATION_SQL);
    try {
      while (ls.step()) this.readLocation(ls.get() as (string | number | null)[]);
    } finally {
      ls.free();
    }
    // Service groups and imports get codes first so that the bulk read below can return three numbers per row:
    // strings are what makes reading millions of rows out of sql.js slow.
    for (const r of this.ws.all<{ g: string }>('SELECT DISTINCT service_group AS g FROM ratings')) this.sgs.code(r.g);
    for (const r of this.ws.all<{ id: string }>('SELECT id FROM imports ORDER BY rowid')) this.imports.code(r.id);
    const caseOf = (col: string, d: { values: string[] } | string[], orElse: number) => {
      const vals = Array.isArray(d) ? d : d.values;
      if (vals.length === 0) return String(orElse);
      return `CASE ${col} ${vals.map((v, i) => `WHEN '${v.replace(/'/g, "''")}' THEN ${i}`).join(' ')} ELSE ${orElse} END`;
    };
    const UNKNOWN_LABEL = 31;
    const maxId = Number(this.ws.value('SELECT max(id) FROM ratings') ?? 0);
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

  private seriesFor(loc: number, sg: number, kq: number): number {
    const key = loc * 1048576 + sg * 64 + kq;
    let s = this.seriesByKey.get(key);
    if (s === undefined) {
      s = this.seriesCount++;
      this.seriesByKey.set(key, s);
      this.sLoc = grow(this.sLoc, s + 1, (n) => new Int32Array(n));
      this.sSg = grow(this.sSg, s + 1, (n) => new Int32Array(n));
      this.sKq = grow(this.sKq, s + 1, (n) => new Int32Array(n));
      this.sLoc[s] = loc;
      this.sSg[s] = sg;
      this.sKq[s] = kq;
      this.seriesByKq[kq]?.push(s);
      for (const [d, arr] of this.best) {
        if (arr.length <= s) this.best.set(d, grow(arr, s + 1, (n) => new Int32Array(n), NONE));
      }
    }
    return s;
  }

  private putRow(id: number, series: number, date: number, label: number, imp: number): number {
    let slot = id < this.slotById.length ? this.slotById[id]! - 1 : NONE;
    if (slot < 0) {
      slot = this.rowCount++;
      if (this.rSeries.length <= slot) {
        this.rSeries = grow(this.rSeries, slot + 1, (n) => new Int32Array(n));
        this.rDate = grow(this.rDate, slot + 1, (n) => new Int32Array(n));
        this.rLabel = grow(this.rLabel, slot + 1, (n) => new Int16Array(n));
        this.rImport = grow(this.rImport, slot + 1, (n) => new Int32Array(n));
        this.rId = grow(this.rId, slot + 1, (n) => new Float64Array(n));
        this.rHash = grow(this.rHash, slot + 1, (n) => new Int32Array(n));
      }
      this.slotById = grow(this.slotById, id + 1, (n) => new Int32Array(n));
      this.slotById[id] = slot + 1;
    }
    this.rSeries[slot] = series;
    this.rDate[slot] = date;
    this.rLabel[slot] = label;
    this.rImport[slot] = imp;
    this.rId[slot] = id;
    this.rHash[slot] = mix(mix((id | 0) ^ mix(Math.floor(id / 4294967296) + 0x9e3779b9)) ^ mix(date ^ this.labels.hash(label)));
    return slot;
  }

  slotOf(id: number): number {
    return id < this.slotById.length ? this.slotById[id]! - 1 : NONE;
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

  groupOf(by: GroupDim, s: number, slot: number): number {
    if (by === undefined) return 0;
    if (by === 'keyQuestion') return this.sKq[s]!;
    if (by === 'rating') return this.rLabel[slot]!;
    if (by === 'serviceGroup') return this.sSg[s]!;
    const a = this.locAttrs[this.sLoc[s]!]!;
    switch (by) {
      case 'region':
        return a.region;
      case 'localAuthority':
        return a.la;
      case 'sector':
        return a.sector;
      case 'category':
        return a.category;
      case 'locationType':
        return a.type;
      case 'careHome':
        return a.careHome;
    }
    return 0;
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

  private matches(agg: RatingAgg, s: number): boolean {
    if (!agg.def.kq.has(this.sKq[s]!)) return false;
    const sg = this.sSg[s]!;
    let m = agg.sgMatch[sg];
    if (m === undefined) {
      m = agg.def.sgOk(this.sgs.values[sg]!) ? 1 : 0;
      agg.sgMatch[sg] = m;
    }
    if (!m) return false;
    const loc = this.sLoc[s]!;
    return agg.locMatch[loc] === 1;
  }

  private contribute(agg: RatingAgg, s: number, slot: number, sign: 1 | -1): void {
    const by = agg.def.by;
    const g = this.groupOf(by, s, slot);
    if (g >= agg.groupCap) {
      let cap = agg.groupCap;
      while (cap <= g) cap *= 2;
      const c = new Float64Array(cap * LABEL_CAP);
      c.set(agg.counts);
      agg.counts = c;
      agg.groupCap = cap;
    }
    const label = this.rLabel[slot]!;
    const at = g * LABEL_CAP + label;
    agg.counts[at] = agg.counts[at]! + sign;
    agg.rows += sign;
    const imp = this.rImport[slot]! + 1;
    if (imp >= agg.importCounts.length) {
      const c = new Float64Array(Math.max(imp + 1, agg.importCounts.length * 2));
      c.set(agg.importCounts);
      agg.importCounts = c;
    }
    agg.importCounts[imp] = agg.importCounts[imp]! + sign;
    const h1 = this.rHash[slot]! >>> 0;
    const h2 = by === undefined ? h1 : mix(h1 ^ this.groupHash(by, g));
    agg.lane1 = (agg.lane1 + sign * h2) >>> 0;
    // The second lane sums a different function of the same hash, so that two lanes give 64 bits between them.
    agg.lane2 = (agg.lane2 + sign * Math.imul(h2 ^ (h2 >>> 15), 0x2c1b3c6d)) >>> 0;
  }

  private fillLocMatch(agg: RatingAgg): void {
    const m = new Uint8Array(this.locAttrs.length + 1);
    for (let i = 0; i < this.locAttrs.length; i++) {
      const a = this.locAttrs[i];
      if (a && agg.def.locOk(a)) m[i] = 1;
    }
    agg.locMatch = m;
  }

  /** The aggregate for a definition, built on first use (one pass over the series of its key questions). */
  aggFor(def: AggDef): RatingAgg {
    const existing = this.aggs.get(def.key);
    if (existing) return existing;
    const agg = new RatingAgg(def);
    this.fillLocMatch(agg);
    const best = this.bestFor(def.date);
    for (let sg = 0; sg < this.sgs.values.length; sg++) agg.sgMatch[sg] = def.sgOk(this.sgs.values[sg]!) ? 1 : 0;
    const { sSg, sLoc } = this;
    const sgMatch = agg.sgMatch;
    const locMatch = agg.locMatch;
    for (const kq of def.kq) {
      const list = this.seriesByKq[kq] ?? [];
      for (let i = 0; i < list.length; i++) {
        const s = list[i]!;
        const slot = best[s]!;
        if (slot !== NONE && sgMatch[sSg[s]!] === 1 && locMatch[sLoc[s]!] === 1) this.contribute(agg, s, slot, 1);
      }
    }
    this.aggs.set(def.key, agg);
    const list = this.aggsByDate.get(def.date) ?? [];
    list.push(agg);
    this.aggsByDate.set(def.date, list);
    return agg;
  }

  /**
   * Brings the index up to date with changed rating rows (by rowid) and locations (by rowid), reading their current
   * state from the database. Idempotent: processing a row that did not change changes nothing. Returns the
   * aggregates whose contributions changed.
   */
  applyRows(ratingIds: Iterable<number>, locationRowids: Iterable<number>): Set<RatingAgg> {
    const changed = new Set<RatingAgg>();
    const series = new Set<number>();
    const locs = [...locationRowids];
    // Which series could be touched: those of the rows as the index knows them, and as the database now has them.
    const newState = new Map<number, { series: number; date: number; label: number; imp: number } | null>();
    const rowStmt = this.ws.db.prepare(
      'SELECT r.location_id, r.service_group, r.key_question_id, r.rating, r.published_on, r.import_id, l.rowid FROM ratings r JOIN locations l ON l.id = r.location_id WHERE r.id = ?',
    );
    // New locations must be known before their ratings are read.
    const locStmt = this.ws.db.prepare(`${RatingIndex.LOCATION_SQL} WHERE rowid = ?`);
    const newLocs = new Map<number, (string | number | null)[] | null>();
    try {
      for (const rowid of locs) {
        locStmt.bind([rowid]);
        newLocs.set(rowid, locStmt.step() ? (locStmt.get() as (string | number | null)[]) : null);
        locStmt.reset();
      }
      for (const [rowid, row] of newLocs) {
        if (this.locAttrs[rowid] === undefined && row) this.readLocation(row);
      }
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
    for (const loc of locs) {
      for (let s = 0; s < this.seriesCount; s++) if (this.sLoc[s] === loc) series.add(s);
    }
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
      else {
        this.locAttrs[rowid] = undefined;
        const old = this.locIds[rowid];
        if (old !== undefined) this.locByid.delete(old);
        this.locIds[rowid] = undefined;
      }
      for (const aggs of this.aggsByDate.values()) {
        for (const agg of aggs) {
          if (agg.locMatch.length <= rowid) {
            const m = new Uint8Array(Math.max(rowid + 1, agg.locMatch.length * 2));
            m.set(agg.locMatch);
            agg.locMatch = m;
          }
          const a = this.locAttrs[rowid];
          agg.locMatch[rowid] = a && agg.def.locOk(a) ? 1 : 0;
        }
      }
    }
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
}
