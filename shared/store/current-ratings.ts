import type { ChangeEvent, Workspace } from './workspace';
import { onRowChange } from './row-hook';
import { RatingIndex, RATING_INDEX_FORMAT, type RatingAgg } from './rating-index';

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
  private source: 'none' | 'rows' | 'cache' = 'none';
  /** How many times the index was built or read back: a write after a save must not make it 2. */
  private builds = 0;
  private buildMs = 0;
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
    if (gen !== undefined) {
      try {
        const row = this.ws.get<{ generation: string; format: number; data: Uint8Array }>('SELECT generation, format, data FROM derived_cache WHERE name = ?', [INDEX_CACHE]);
        if (row && row.generation === gen && row.format === RATING_INDEX_FORMAT) {
          index = RatingIndex.fromBytes(this.ws, row.data);
          this.storedGeneration = gen;
          this.source = 'cache';
        } else {
          this.storedGeneration = row?.generation;
        }
      } catch {
        // A cache that does not match, or is damaged, is only a cache: build from the rows instead.
        index = undefined;
      }
    }
    if (!index) {
      index = RatingIndex.build(this.ws);
      this.source = 'rows';
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
    this.storedGeneration = gen;
  }

  /** Forgets the index and every pending row, so the next use rebuilds it: the bench's baseline. */
  reset(): void {
    this.index = undefined;
    this.pendingRatings.clear();
    this.pendingLocs.clear();
  }

  stats() {
    return {
      indexBuildMs: this.buildMs,
      indexSource: this.source,
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
