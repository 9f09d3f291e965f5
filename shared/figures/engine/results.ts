import type { RatingAgg, RatingIndex } from '../../store/rating-index';
import type { SqlView } from '../sql';
import type { ChangeRule } from '../format';
import type { FigureParams, FigureRef } from '../types';
import { RATING_REFERENCE } from '../../store/current-ratings';
import type { Computed } from './types';

/**
 * The results the engine has computed, by reference key, and the rules for when one is still true:
 * - a result from the rating index is true while every aggregate it used is the index's current one, at the version it
 *   read (a patch bumps the version; a rebuilt index has new aggregates);
 * - any other result is true while none of the tables it read has changed since (tables changed since the last
 *   applyChange are remembered, so a read between a write and applyChange recomputes);
 * - a pending SQL figure is never true: it is asked again each time.
 */

export interface Entry {
  key: string;
  ref: FigureRef;
  reportParams: FigureParams;
  view: SqlView;
  changes: ChangeRule;
  computed: Computed;
}

export class ResultCache {
  readonly entries = new Map<string, Entry>();
  /** Tables changed since results were last brought up to date. */
  private dirty = new Set<string>();

  markChanged(tables: readonly string[]): void {
    for (const t of tables) this.dirty.add(t);
  }

  /** The tables changed since the last call, which the caller now brings results up to date for. */
  takeChanged(): Set<string> {
    const out = this.dirty;
    this.dirty = new Set();
    return out;
  }

  upToDate(c: Computed, index: RatingIndex | undefined): boolean {
    if (c.result.pending) return false;
    if (this.dirty.size && [...c.tables].some((t) => this.dirty.has(t))) return false;
    return c.aggs.every((a) => a.agg.version === a.version && index?.aggs.get(a.agg.def.key) === a.agg);
  }

  /** Whether a write that changed `tables` and patched `aggs` may have changed this result. */
  static affected(c: Computed, tables: Set<string>, aggs: Set<RatingAgg>, index: RatingIndex | undefined): boolean {
    if (tables.has('figures') || tables.has('figure_evidence')) return true;
    if (c.aggs.length > 0 && c.aggs.some((a) => aggs.has(a.agg) || a.agg.version !== a.version || !index?.aggs.has(a.agg.def.key))) return true;
    // A rating figure also reads the imports: what period the data answers (its coverage flag, and from when register
    // data lists every location; see RegisterTest in store/rating-index.ts).
    return c.aggs.length === 0 ? [...c.tables].some((t) => tables.has(t)) : [...tables].some((t) => RATING_REFERENCE.has(t) || t === 'imports');
  }

  clear(): void {
    this.entries.clear();
  }
}
