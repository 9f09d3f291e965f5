import type { ChangeEvent, Workspace } from './workspace';
import { onRowChange } from './row-hook';
import { RatingIndex, RATING_INDEX_FORMAT, type RatingAgg } from './rating-index';
import { RATINGS_LOG_CAP } from './schema';

/**
 * The workspace's current ratings: one service per workspace that everything asking "what is the latest rating" uses
 * (the figure engine's measures, the data browser's list of locations with their overall rating, the list of service
 * groups). It holds the rating index and everything that keeps it true: built from the rows or read back from the
 * workspace's derived cache, patched from the rows each write touched (the row-change hook), dropped when a bulk
 * change or a change of names or scales makes patching the wrong tool, and stored back into the derived cache by the
 * saves that ask.
 */

/** Where the rating index is kept in the workspace's derived cache, and the generation that says it is current. */
const INDEX_CACHE = 'rating-index';
const GENERATION_KEY = 'ratings_generation';
/** The generation the change log (derived_changes, migration 9) starts after: it holds every change since. */
const LOG_FROM_KEY = 'ratings_log_from';
/** Above this many changed rating rows in one go (an import), rebuilding beats patching row by row. */
const REBUILD_ROWS = 50_000;
/**
 * Changes to these mean names or scales moved, or (location_details) when locations were first listed on the register:
 * the rating index is rebuilt rather than patched. The details history is a WITHOUT ROWID table, so the row hook never
 * reports its rows; only imports and merges write it.
 */
export const RATING_REFERENCE = new Set(['key_questions', 'rating_values', 'rating_scales', 'regions', 'local_authorities', 'sectors', 'location_details']);

export class CurrentRatings {
  /** The last committed write absorbed: the service's own listener and the engine may both pass the same event. */
  private lastSeq = -1;
  private index: RatingIndex | undefined;
  /** Row ids the hook reported since the index last absorbed them. */
  private pendingRatings = new Set<number>();
  private pendingLocs = new Set<number>();
  /** Rows absorbed from inside a write (which may yet roll back): read again once the write has committed. */
  private recheck = new Set<number>();
  /** Whether the row hook reported anything since the last committed change. */
  private sawRows = false;
  /** Aggregates a patch changed since the results were last brought up to date. */
  private changedAggs = new Set<RatingAgg>();
  /** The generation of ratings and locations the index reflects; undefined when it must not be stored. */
  private indexGeneration: string | undefined;
  /** The generation the workspace's derived cache holds for the index (so a save does not rewrite it). */
  private storedGeneration: string | undefined;
  private source: 'none' | 'rows' | 'cache' | 'patched' = 'none';
  /** Why a stored index was not used as it was (for stats and `assay info`): undefined when it was, or none was stored. */
  private fallback: string | undefined;
  /** Rating and location rows the change log named when a stale stored index was patched. */
  private patched = { ratings: 0, locations: 0 };
  /** How many times the index was built or read back: a write after a save must not make it 2. */
  private builds = 0;
  private buildMs = 0;
  /** Set by reset(): the next build reads the rows, not the stored copy. */
  private fromRows = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly ws: Workspace) {
    // Row-level change capture: every rating or location row any write touches, whoever wrote it. The index re-reads
    // those rows, so a hook call for a row in a transaction that later rolled back is harmless.
    const unhook = onRowChange(ws.db, (table, rowid) => {
      if (!this.index) return;
      if (table === 'ratings' || table === 'locations') this.sawRows = true;
      if (table === 'ratings') this.pendingRatings.add(rowid);
      else if (table === 'locations') this.pendingLocs.add(rowid);
    });
    const underived = ws.addDerivedState({ pending: () => this.storePending(), store: () => this.store() });
    const unlisten = ws.onChange((e) => this.absorbEvent(e));
    this.unsubscribe = () => {
      unhook();
      underived();
      unlisten();
    };
  }

  /** Brings the index up to date with a committed write, once per write however many callers pass it. */
  absorbEvent(e: ChangeEvent): void {
    if (e.seq === this.lastSeq) {
      this.absorb([], true);
      return;
    }
    this.lastSeq = e.seq;
    this.absorb(e.tables, true);
  }

  /**
   * Each location's latest rating, on any date, for the given key questions (the first that has one wins when a
   * scale has several "overall" questions) and service group: the data browser's "current rating".
   */
  latestByLocation(keyQuestionIds: readonly string[], serviceGroup: string, only?: ReadonlySet<string>): Map<string, { rating: string; published: string }> {
    // As a read: rows are folded in but re-checked once the write that made them is absorbed (see absorb).
    this.absorb([], false);
    return this.get().latestByLocation(keyQuestionIds, serviceGroup, only);
  }

  /** The service groups ratings are recorded for ("Overall", core services, population groups). */
  serviceGroups(): string[] {
    this.absorb([], false);
    return this.get().serviceGroupNames();
  }

  /** The index as it stands, if one is built: aggregates are checked against it. */
  get current(): RatingIndex | undefined {
    return this.index;
  }

  private generation(): string | undefined {
    return this.ws.metaValue(GENERATION_KEY);
  }

  /** The index, read back from the derived cache when it matches the data, or else built from the rows. */
  get(): RatingIndex {
    if (this.index) return this.index;
    const t0 = performance.now();
    // Built inside a write, the index could hold rows that are then rolled back: usable now, never stored.
    const gen = this.ws.inWrite ? undefined : this.generation();
    let index: RatingIndex | undefined;
    this.fallback = undefined;
    if (this.fromRows) this.fallback = 'reset';
    else if (gen !== undefined) {
      try {
        const row = this.ws.get<{ generation: string; format: number; data: Uint8Array }>('SELECT generation, format, data FROM derived_cache WHERE name = ?', [INDEX_CACHE]);
        this.storedGeneration = row?.generation;
        if (!row) {
          this.fallback = 'no stored index';
        } else if (row.format !== RATING_INDEX_FORMAT) {
          this.fallback = `stored index of format ${row.format}`;
        } else if (row.generation === gen) {
          index = RatingIndex.fromBytes(this.ws, row.data);
          this.source = 'cache';
        } else {
          // Changed outside this process since it was stored (sqlite3, another tool, a journal replay): patched from
          // the rows the change log names, when the log covers every change since.
          const log = loggedChanges(this.ws, row.generation, gen);
          if (typeof log === 'string') {
            this.fallback = log;
          } else {
            index = RatingIndex.fromBytes(this.ws, row.data, { changedLocations: log.locations });
            index.applyRows(log.ratings, log.locations);
            this.source = 'patched';
            this.patched = { ratings: log.ratings.size, locations: log.locations.size };
          }
        }
      } catch (e) {
        // A cache that does not match, or is damaged, is only a cache: build from the rows instead.
        this.fallback = `stored index not usable: ${(e as Error).message}`;
        index = undefined;
      }
    }
    if (!index) {
      index = RatingIndex.build(this.ws);
      this.source = 'rows';
      this.fromRows = false;
    }
    this.index = index;
    this.builds++;
    this.indexGeneration = gen;
    this.buildMs = performance.now() - t0;
    return index;
  }

  /**
   * Folds pending row changes into the index. `committed` is false when called from a read that may sit inside a
   * write. `tables` are the tables a committed write changed (none from a read).
   */
  absorb(tables: readonly string[], committed: boolean): void {
    if (tables.some((t) => RATING_REFERENCE.has(t))) this.index = undefined;
    if (!this.index) {
      this.pendingRatings.clear();
      this.pendingLocs.clear();
      return;
    }
    if (committed) for (const id of this.recheck) this.pendingRatings.add(id);
    if (this.pendingRatings.size === 0 && this.pendingLocs.size === 0) {
      // A committed write that touched ratings or locations but left no row-level trace (someone replaced the
      // update hook, or a WITHOUT ROWID rewrite): rebuild rather than risk a wrong figure.
      if (committed && tables.some((t) => t === 'ratings' || t === 'locations') && !this.sawRows) this.index = undefined;
      if (committed) this.sawRows = false;
      return;
    }
    if (committed) this.sawRows = false;
    if (this.pendingRatings.size > REBUILD_ROWS && this.pendingRatings.size > this.index.rowCount / 10) {
      // Patching costs a few lookups per row; a bulk change is cheaper to read afresh on next use.
      this.index = undefined;
      this.pendingRatings.clear();
      this.pendingLocs.clear();
      this.recheck.clear();
      return;
    }
    const ids = [...this.pendingRatings];
    const locs = [...this.pendingLocs];
    this.pendingRatings.clear();
    this.pendingLocs.clear();
    if (committed) this.recheck.clear();
    else for (const id of ids) this.recheck.add(id);
    for (const a of this.index.applyRows(ids, locs)) this.changedAggs.add(a);
  }

  /** The aggregates patched since the last call, for bringing results up to date. */
  takeChangedAggs(): Set<RatingAgg> {
    const out = this.changedAggs;
    this.changedAggs = new Set();
    return out;
  }

  /** Whether a save should store the index: it reflects the data and the cache does not hold it yet. */
  private storePending(): boolean {
    if (!this.index || this.indexGeneration === undefined) return false;
    // The index follows every change, so what matters is whether the file's copy is of the current generation.
    return this.generation() !== this.storedGeneration;
  }

  /** Called before an export that stores derived state: folds pending row changes in, then stores the index if the cache is behind. */
  private store(): void {
    if (!this.index) return;
    this.absorb([], true);
    if (!this.index || this.indexGeneration === undefined) return;
    // Every change since the index was built has been applied (the row hook saw it), so the index now reflects the
    // current generation, whatever it is.
    const gen = this.generation();
    if (gen === undefined) return;
    this.indexGeneration = gen;
    if (gen === this.storedGeneration) return;
    const held = this.ws.value<string>('SELECT generation FROM derived_cache WHERE name = ?', [INDEX_CACHE]);
    if (held !== gen) {
      const bytes = this.index.toBytes();
      this.ws.db.run('INSERT OR REPLACE INTO derived_cache(name, generation, format, data) VALUES (?, ?, ?, ?)', [INDEX_CACHE, gen, RATING_INDEX_FORMAT, bytes]);
    }
    // The stored index covers every change up to gen: the log need only hold those after it.
    if (this.ws.metaValue(LOG_FROM_KEY) !== undefined) {
      this.ws.db.run('DELETE FROM derived_changes WHERE generation <= ?', [Number(gen)]);
      this.ws.db.run('UPDATE meta SET value = ? WHERE key = ?', [gen, LOG_FROM_KEY]);
    }
    this.storedGeneration = gen;
  }

  /**
   * Forgets the index and every pending row, so the next use rebuilds it from the rows (not from the stored copy):
   * the bench's baseline.
   */
  reset(): void {
    this.index = undefined;
    this.pendingRatings.clear();
    this.pendingLocs.clear();
    this.fromRows = true;
  }

  stats() {
    return {
      indexBuildMs: this.buildMs,
      indexSource: this.source,
      /** Why a stored index was not used as it was (it was rebuilt from the rows), if one was stored. */
      indexFallback: this.fallback,
      patchedRows: this.patched,
      indexBuilds: this.builds,
      ratingRows: this.index?.rowCount ?? 0,
      series: this.index?.seriesCount ?? 0,
      aggregates: this.index?.aggs.size ?? 0,
    };
  }

  dispose(): void {
    this.unsubscribe();
    this.index = undefined;
  }
}

/**
 * The rows changed between generation `from` (the stored index's) and `to` (the data's), from the change log; or
 * why the log cannot say (then the index is rebuilt): a log that does not reach back to `from` (trimmed, or a file
 * from before the log), one past its cap, or one that does not hold exactly one logged generation per change since
 * (rows deleted or added by hand, a generation set by hand).
 */
export function loggedChanges(ws: Workspace, from: string, to: string): { ratings: Set<number>; locations: Set<number> } | string {
  const g0 = Number(from);
  const g = Number(to);
  const base = Number(ws.metaValue(LOG_FROM_KEY) ?? NaN);
  if (!Number.isSafeInteger(g0) || !Number.isSafeInteger(g) || !Number.isSafeInteger(base)) return 'no change log';
  if (g0 > g) return 'stored index is newer than the data';
  if (g0 < base) return 'change log trimmed past the stored index';
  if (g - base > RATINGS_LOG_CAP) return 'change log full (a bulk change)';
  const span = ws.get<{ n: number; lo: number | null; hi: number | null }>(
    'SELECT count(DISTINCT generation) AS n, min(generation) AS lo, max(generation) AS hi FROM derived_changes WHERE generation > ?',
    [g0],
  );
  const n = Number(span?.n ?? 0);
  if (n !== g - g0 || (n > 0 && (Number(span?.lo) !== g0 + 1 || Number(span?.hi) !== g))) return 'change log does not match the generation';
  const ratings = new Set<number>();
  const locations = new Set<number>();
  for (const r of ws.all<{ tbl: string; row_id: number }>('SELECT tbl, row_id FROM derived_changes WHERE generation > ?', [g0])) {
    if (r.tbl === 'ratings') ratings.add(Number(r.row_id));
    else if (r.tbl === 'locations') locations.add(Number(r.row_id));
    else return 'change log names an unknown table';
  }
  if (ratings.size > REBUILD_ROWS) return 'too many changed rows to patch';
  return { ratings, locations };
}

const services = new WeakMap<Workspace, CurrentRatings>();

/** The workspace's one current-ratings service, made on first use and kept for the workspace's life. */
export function currentRatings(ws: Workspace): CurrentRatings {
  let c = services.get(ws);
  if (!c) {
    c = new CurrentRatings(ws);
    services.set(ws, c);
  }
  return c;
}
