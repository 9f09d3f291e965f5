import type { LocationFilters, LocationListRow, RequestParsed } from '../../../../shared/ipc/contract';
import type { ChangeEvent, Workspace } from '../../../../shared/store/workspace';
import { eachLocationListing } from '../../../../shared/store/locations';
import { overallScale } from '../../../../shared/store/ratings';
import { currentRatings } from '../../../../shared/store/current-ratings';

/**
 * The data browser's location list, held in memory: every location with its names resolved and its latest overall
 * rating. The ratings come from the workspace's one current-ratings service (shared/store/current-ratings.ts), the
 * same index the figure engine counts from, kept true row by row; this list keeps only names and sort keys, and a
 * write to ratings refreshes the locations it touched from that service.
 */

interface Entry {
  row: LocationListRow;
  /** Lower-cased sort keys, so sorting compares plain strings rather than calling a collator 500,000 times. */
  nameKey: string;
  providerKey: string | null;
  sectorId: string;
  regionId: string | null;
  localAuthorityId: string | null;
  search: string;
  sectorPosition: number;
  overallRank: number | null;
}

type Sort = NonNullable<RequestParsed<'locations.list'>['sort']>;

/** Tables whose change means names or memberships moved: the index is rebuilt on next use. */
const REBUILD_ON = new Set(['locations', 'providers', 'sectors', 'regions', 'local_authorities', 'key_questions', 'rating_values', 'rating_scales']);

function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class LocationIndex {
  private entries: Map<string, Entry> | undefined;
  /** Every entry in a given order, by sort key: scrolling asks for page after page of the same order. */
  private sorted = new Map<string, Entry[]>();
  private ranks = new Map<string, number | null>();
  private overallKqs: string[] = [];

  constructor(private readonly ws: Workspace) {}

  /** Keeps the index true after a write: patches the locations a ratings write touched, else rebuilds lazily. */
  changed(e: ChangeEvent): void {
    if (!this.entries) return;
    this.sorted.clear();
    if (e.tables.some((t) => REBUILD_ON.has(t))) {
      this.entries = undefined;
      return;
    }
    if (!e.tables.includes('ratings')) return;
    const touched = new Set<string>();
    for (const c of e.changes) {
      if (c.table !== 'ratings') continue;
      const loc = c.key?.location_id;
      if (typeof loc !== 'string') {
        // A ratings write that did not say which locations (a bulk import): start again.
        this.entries = undefined;
        return;
      }
      touched.add(loc);
    }
    if (touched.size === 0 || touched.size > 5000) {
      this.entries = undefined;
      return;
    }
    const latest = currentRatings(this.ws).latestByLocation(this.overallKqs, 'Overall', touched);
    for (const id of touched) {
      const entry = this.entries.get(id);
      if (!entry) continue;
      const o = latest.get(id);
      entry.row = { ...entry.row, overall: o?.rating ?? null, overallPublished: o?.published ?? null };
      entry.overallRank = o ? (this.ranks.get(o.rating) ?? null) : null;
    }
  }

  private build(): Map<string, Entry> {
    const ws = this.ws;
    const scale = overallScale(ws);
    this.overallKqs = scale.keyQuestionIds;
    this.ranks = scale.ranks;
    const latest = currentRatings(ws).latestByLocation(this.overallKqs, 'Overall');
    const entries = new Map<string, Entry>();
    eachLocationListing(ws, (l) => {
      const o = latest.get(l.id);
      entries.set(l.id, {
        row: {
          id: l.id,
          name: l.name,
          providerId: l.providerId,
          providerName: l.providerName,
          sector: l.sector,
          locationType: l.locationType,
          category: l.category,
          careHome: l.careHome,
          localAuthority: l.localAuthority,
          region: l.region,
          overall: o?.rating ?? null,
          overallPublished: o?.published ?? null,
        },
        sectorId: l.sectorId,
        regionId: l.regionId,
        localAuthorityId: l.localAuthorityId,
        nameKey: l.name.toLowerCase(),
        providerKey: l.providerName?.toLowerCase() ?? null,
        search: [l.name, l.id, l.postcode ?? '', l.providerName ?? ''].join('\u0000').toLowerCase(),
        sectorPosition: l.sectorPosition,
        overallRank: o ? (this.ranks.get(o.rating) ?? null) : null,
      });
    });
    return entries;
  }

  private all(): Map<string, Entry> {
    if (!this.entries) {
      this.sorted.clear();
      this.entries = this.build();
    }
    return this.entries;
  }

  /** Builds the list now (when a workspace opens) so the data browser's first page does not wait for it. */
  warm(): void {
    this.all();
  }

  private inOrder(sort: Sort | undefined): Entry[] {
    const all = this.all();
    const key = sort ? `${sort.column} ${sort.direction}` : '';
    let list = this.sorted.get(key);
    if (!list) {
      list = [...all.values()].sort(comparator(sort));
      this.sorted.set(key, list);
    }
    return list;
  }

  get(id: string): LocationListRow | undefined {
    return this.all().get(id)?.row;
  }

  list(filters: LocationFilters, sort: Sort | undefined, offset: number, limit: number): { total: number; rows: LocationListRow[] } {
    const q = filters.search?.trim().toLowerCase();
    const ordered = this.inOrder(sort);
    const filtered = !!(q || filters.sectorId || filters.regionId || filters.localAuthorityId || filters.providerId || filters.overallRating);
    if (!filtered) return { total: ordered.length, rows: ordered.slice(offset, offset + limit).map((e) => e.row) };
    const matches: Entry[] = [];
    for (const e of ordered) {
      if (q && !e.search.includes(q)) continue;
      if (filters.sectorId && e.sectorId !== filters.sectorId) continue;
      if (filters.regionId && e.regionId !== filters.regionId) continue;
      if (filters.localAuthorityId && e.localAuthorityId !== filters.localAuthorityId) continue;
      if (filters.providerId && e.row.providerId !== filters.providerId) continue;
      if (filters.overallRating) {
        // "Not rated" filters locations with no overall rating at all, which a label cannot express.
        if (filters.overallRating === 'Not rated' ? e.row.overall !== null : e.row.overall !== filters.overallRating) continue;
      }
      matches.push(e);
    }
    return { total: matches.length, rows: matches.slice(offset, offset + limit).map((e) => e.row) };
  }
}

/** Nulls last whichever the direction, as a reader expects; ties broken by name, then id, so paging is stable. */
function comparator(sort: Sort | undefined): (a: Entry, b: Entry) => number {
  const byName = (a: Entry, b: Entry) => cmp(a.nameKey, b.nameKey) || cmp(a.row.id, b.row.id);
  if (!sort) return byName;
  const dir = sort.direction === 'desc' ? -1 : 1;
  const pick: (e: Entry) => string | number | null = {
    name: (e: Entry) => e.nameKey,
    provider: (e: Entry) => e.providerKey,
    sector: (e: Entry) => e.sectorPosition,
    localAuthority: (e: Entry) => e.row.localAuthority,
    region: (e: Entry) => e.row.region,
    // Best first when ascending: rank 1 is the top of the scale.
    overall: (e: Entry) => e.overallRank,
    published: (e: Entry) => e.row.overallPublished,
  }[sort.column];
  return (a, b) => {
    const x = pick(a);
    const y = pick(b);
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
      return byName(a, b);
    }
    const c = cmp(x, y);
    return c !== 0 ? c * dir : byName(a, b);
  };
}
