import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { LocationFilters, LocationListRow, RequestInput } from '../../../../shared/ipc/contract';
import { changeAffects } from '../../../../shared/ipc/live';
import { call, toIpcError, useEvent } from '../../lib/api';
import { formatDate, formatNumber, plural } from '../../lib/format';
import { useDebounced, useReference } from '../../lib/reference';
import { EmptyState, ErrorNotice, Icon, RatingBadge } from '../../ui/bits';
import { FilterSearch, FilterSelect } from '../../ui/Filters';
import type { IpcError } from '../../../../shared/ipc/contract';

type SortColumn = NonNullable<RequestInput<'locations.list'>['sort']>['column'];
type Sort = { column: SortColumn; direction: 'asc' | 'desc' };

/** Rows come from the host in chunks as they scroll into view; 50,000 rows are never all in memory at once. */
const CHUNK = 200;
const ROW_HEIGHT = 44;
/** The sticky header sits inside the scroll box above the rows; the virtualizer must know it is there. */
const HEAD_HEIGHT = 42;

const COLUMNS: { key: SortColumn; label: string; className?: string }[] = [
  { key: 'name', label: 'Location' },
  { key: 'provider', label: 'Provider' },
  { key: 'sector', label: 'Sector' },
  { key: 'localAuthority', label: 'Local authority' },
  { key: 'region', label: 'Region' },
  { key: 'overall', label: 'Overall rating' },
  { key: 'published', label: 'Published' },
];

export function LocationsPanel(props: {
  selectedId: string | undefined;
  onSelect: (id: string) => void;
  providerId: string | undefined;
  providerName: string | undefined;
  onClearProvider: () => void;
}) {
  const reference = useReference();
  const [search, setSearch] = useState('');
  const [sectorId, setSectorId] = useState('');
  const [regionId, setRegionId] = useState('');
  const [localAuthorityId, setLocalAuthorityId] = useState('');
  const [overallRating, setOverallRating] = useState('');
  const [sort, setSort] = useState<Sort>({ column: 'name', direction: 'asc' });
  const debouncedSearch = useDebounced(search, 250);

  const filters: LocationFilters = useMemo(() => {
    const f: LocationFilters = {};
    if (debouncedSearch.trim()) f.search = debouncedSearch.trim();
    if (sectorId) f.sectorId = sectorId;
    if (regionId) f.regionId = regionId;
    if (localAuthorityId) f.localAuthorityId = localAuthorityId;
    if (overallRating) f.overallRating = overallRating;
    if (props.providerId) f.providerId = props.providerId;
    return f;
  }, [debouncedSearch, sectorId, regionId, localAuthorityId, overallRating, props.providerId]);

  const { total, current, rowAt, error, ensure, loading, reload, queryKey } = useChunkedLocations(filters, sort);
  const anyFilter = Object.keys(filters).length > 0;
  const ref = reference.data;
  const las = useMemo(() => (ref ? ref.localAuthorities.filter((la) => !regionId || la.regionId === regionId) : []), [ref, regionId]);
  const overallScale = ref?.keyQuestions.find((k) => k.id === 'overall')?.scaleId;
  const ratingOptions = ref ? ref.ratingValues.filter((v) => !overallScale || v.scaleId === overallScale) : [];

  const clearAll = () => {
    setSearch('');
    setSectorId('');
    setRegionId('');
    setLocalAuthorityId('');
    setOverallRating('');
    props.onClearProvider();
  };

  return (
    <div className="locations-panel">
      <form className="filters" role="search" aria-label="Filter locations" onSubmit={(e) => e.preventDefault()}>
        <FilterSearch id="loc-search" placeholder="Name, postcode or ID" value={search} onChange={setSearch} />
        <FilterSelect id="loc-sector" label="Sector" value={sectorId} onChange={setSectorId} options={ref?.sectors.map((s) => ({ value: s.id, label: s.name })) ?? []} all="All sectors" />
        <FilterSelect
          id="loc-region"
          label="Region"
          value={regionId}
          onChange={(v) => {
            setRegionId(v);
            setLocalAuthorityId('');
          }}
          options={ref?.regions.map((r) => ({ value: r.id, label: r.name })) ?? []}
          all="All regions"
        />
        <FilterSelect id="loc-la" label="Local authority" value={localAuthorityId} onChange={setLocalAuthorityId} options={las.map((l) => ({ value: l.id, label: l.name }))} all="All local authorities" />
        <FilterSelect
          id="loc-rating"
          label="Overall rating"
          value={overallRating}
          onChange={setOverallRating}
          options={ratingOptions.map((v) => ({ value: v.label, label: v.label }))}
          all="Any rating"
        />
      </form>
      <div className="results-bar">
        <span aria-live="polite" className="results-bar__count">
          {total === null || !current ? 'Loading locations…' : `${plural(total, 'location')}${anyFilter ? ' match' : ''}`}
        </span>
        {props.providerId && (
          <span className="chip">
            Provider: {props.providerName ?? props.providerId}
            <button type="button" className="chip__remove" aria-label="Remove provider filter" onClick={props.onClearProvider}>
              <Icon name="close" size={12} />
            </button>
          </span>
        )}
        {anyFilter && (
          <button type="button" className="btn btn--small btn--ghost" onClick={clearAll}>
            Clear filters
          </button>
        )}
        {loading && <span className="results-bar__loading">Loading rows…</span>}
      </div>
      {error ? (
        <ErrorNotice error={error} onRetry={reload} />
      ) : total === 0 && current ? (
        <EmptyState
          title="No locations match"
          action={
            anyFilter ? (
              <button type="button" className="btn btn--secondary" onClick={clearAll}>
                Clear filters
              </button>
            ) : undefined
          }
        >
          {anyFilter ? 'Try a shorter search or fewer filters.' : 'This workspace has no locations yet. Import a CQC ratings file to add them.'}
        </EmptyState>
      ) : (
        <VirtualTable queryKey={queryKey} total={total ?? 0} rowAt={rowAt} ensure={ensure} sort={sort} onSort={setSort} selectedId={props.selectedId} onSelect={props.onSelect} />
      )}
    </div>
  );
}

/**
 * A cache of row chunks for one (filters, sort). A new query starts a new generation so answers to an older one,
 * arriving late, are dropped instead of mixing rows of two queries.
 */
function useChunkedLocations(filters: LocationFilters, sort: Sort) {
  const [counted, setCounted] = useState<{ key: string; total: number } | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [, setVersion] = useState(0);
  const [pending, setPending] = useState(0);
  const chunks = useRef(new Map<number, LocationListRow[]>());
  const inflight = useRef(new Set<number>());
  const generation = useRef(0);
  const key = JSON.stringify({ filters, sort });
  const [refresh, setRefresh] = useState(0);

  const fetchChunk = useCallback(
    (index: number, gen: number) => {
      if (chunks.current.has(index) || inflight.current.has(index)) return;
      inflight.current.add(index);
      setPending((p) => p + 1);
      call('locations.list', { filters, sort, offset: index * CHUNK, limit: CHUNK })
        .then(
          (r) => {
            if (gen !== generation.current) return;
            chunks.current.set(index, r.rows);
            setCounted({ key, total: r.total });
            setError(null);
            setVersion((v) => v + 1);
          },
          (e: unknown) => {
            if (gen === generation.current) setError(toIpcError(e));
          },
        )
        .finally(() => {
          if (gen === generation.current) inflight.current.delete(index);
          setPending((p) => Math.max(0, p - 1));
        });
    },
    [key],
  );

  // A new query keeps the old total until the first answer arrives, so the table keeps its height (placeholder rows)
  // instead of collapsing and jumping while the host answers.
  useEffect(() => {
    generation.current += 1;
    chunks.current = new Map();
    inflight.current = new Set();
    setVersion((v) => v + 1);
    fetchChunk(0, generation.current);
  }, [fetchChunk, refresh]);

  // Ratings and locations edited anywhere change what this list shows; refetch the loaded chunks in place, without
  // clearing them first, so the table does not flash while the new answer arrives.
  useEvent('workspace.changed', (p) => {
    if (!changeAffects('locations.list', p.tables)) return;
    const loaded = [...chunks.current.keys()];
    generation.current += 1;
    const gen = generation.current;
    inflight.current = new Set();
    const keep = chunks.current;
    chunks.current = new Map();
    for (const i of loaded) {
      inflight.current.add(i);
      call('locations.list', { filters, sort, offset: i * CHUNK, limit: CHUNK }).then(
        (r) => {
          if (gen !== generation.current) return;
          chunks.current.set(i, r.rows);
          inflight.current.delete(i);
          setCounted({ key, total: r.total });
          setVersion((v) => v + 1);
        },
        () => inflight.current.delete(i),
      );
    }
    // Until the new rows arrive, show the old ones.
    for (const [i, rows] of keep) if (!chunks.current.has(i)) chunks.current.set(i, rows);
    inflight.current = new Set(loaded);
  });

  const rowAt = useCallback((i: number): LocationListRow | undefined => chunks.current.get(Math.floor(i / CHUNK))?.[i % CHUNK], []);
  const ensure = useCallback(
    (from: number, to: number) => {
      for (let c = Math.floor(from / CHUNK); c <= Math.floor(to / CHUNK); c++) fetchChunk(c, generation.current);
    },
    [fetchChunk],
  );
  return {
    // The last known total keeps the table's height while a new query is answered; `current` says whether it is this query's.
    total: counted?.total ?? null,
    current: counted?.key === key,
    rowAt,
    ensure,
    error,
    loading: pending > 0,
    reload: () => setRefresh((r) => r + 1),
    queryKey: key,
  };
}

const GRID = 'minmax(200px, 2fr) minmax(150px, 1.5fr) minmax(150px, 1fr) minmax(140px, 1fr) minmax(130px, 0.9fr) 214px 116px';

function VirtualTable(props: {
  queryKey: string;
  total: number;
  rowAt: (i: number) => LocationListRow | undefined;
  ensure: (from: number, to: number) => void;
  sort: Sort;
  onSort: (s: Sort) => void;
  selectedId: string | undefined;
  onSelect: (id: string) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: props.total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: HEAD_HEIGHT,
  });
  // A new filter or sort starts at the top of the new list.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [props.queryKey]);
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { ensure } = props;
  // Ask for the rows on screen and, ahead of the scroll, the next chunk in the direction of travel, so a steady
  // scroll finds its rows already here instead of showing placeholders while a request is on its way.
  const lastFirst = useRef(0);
  useEffect(() => {
    if (props.total <= 0) return;
    const down = first >= lastFirst.current;
    lastFirst.current = first;
    const from = Math.max(0, down ? first : first - CHUNK);
    const to = Math.min(props.total - 1, down ? last + CHUNK : last);
    ensure(first, Math.min(props.total - 1, last));
    ensure(from, to);
  }, [first, last, props.total, ensure]);

  // Up and Down move between rows like a spreadsheet; the virtualizer brings the next row into the DOM first.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'PageDown' && e.key !== 'PageUp' && e.key !== 'Home' && e.key !== 'End') return;
    const current = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!current) return;
    e.preventDefault();
    const i = Number(current.dataset.index);
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const next =
      e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : e.key === 'PageDown' ? i + page : e.key === 'PageUp' ? i - page : e.key === 'Home' ? 0 : props.total - 1;
    const j = Math.max(0, Math.min(props.total - 1, next));
    virtualizer.scrollToIndex(j, { align: 'auto' });
    requestAnimationFrame(() => requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${j}"] .vt__open`)?.focus()));
  };

  return (
    <div className="vt" role="table" aria-label="Locations" aria-rowcount={props.total + 1}>
      <div ref={scrollRef} className="vt__scroll" data-testid="locations-scroll" onKeyDown={onKeyDown}>
        <div className="vt__head" role="rowgroup">
          <div className="vt__row vt__row--head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: GRID }}>
            {COLUMNS.map((c) => {
              const active = props.sort.column === c.key;
              return (
                <div key={c.key} role="columnheader" className="vt__th" aria-sort={active ? (props.sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
                  <button
                    type="button"
                    className="sort-btn"
                    onClick={() => props.onSort({ column: c.key, direction: active && props.sort.direction === 'asc' ? 'desc' : 'asc' })}
                  >
                    {c.label}
                    <span className={`sort-btn__arrow${active ? ' sort-btn__arrow--active' : ''}`} aria-hidden="true">
                      {active ? (props.sort.direction === 'asc' ? '▲' : '▼') : '↕'}
                    </span>
                  </button>
                </div>
              );
            })}
          </div>
        </div>
        <div role="rowgroup" className="vt__body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((v) => {
            const row = props.rowAt(v.index);
            const selected = row && row.id === props.selectedId;
            return (
              <div
                key={v.key}
                role="row"
                aria-rowindex={v.index + 2}
                aria-selected={selected ? true : undefined}
                data-index={v.index}
                className={`vt__row${selected ? ' vt__row--selected' : ''}${v.index % 2 ? ' vt__row--alt' : ''}`}
                style={{ gridTemplateColumns: GRID, height: ROW_HEIGHT, transform: `translateY(${v.start - HEAD_HEIGHT}px)` }}
                onClick={() => row && props.onSelect(row.id)}
              >
                {row ? (
                  <>
                    <div role="cell" className="vt__td">
                      <button type="button" className="vt__open" onClick={(e) => (e.stopPropagation(), props.onSelect(row.id))} title={row.name}>
                        {row.name}
                      </button>
                    </div>
                    <div role="cell" className="vt__td vt__td--muted" title={row.providerName ?? undefined}>
                      {row.providerName ?? '–'}
                    </div>
                    <div role="cell" className="vt__td">
                      {row.sector}
                    </div>
                    <div role="cell" className="vt__td">
                      {row.localAuthority ?? '–'}
                    </div>
                    <div role="cell" className="vt__td">
                      {row.region ?? '–'}
                    </div>
                    <div role="cell" className="vt__td">
                      <RatingBadge rating={row.overall} />
                    </div>
                    <div role="cell" className="vt__td vt__td--muted">
                      {formatDate(row.overallPublished, 'short')}
                    </div>
                  </>
                ) : (
                  <div role="cell" className="vt__td vt__td--skeleton" style={{ gridColumn: '1 / -1' }}>
                    <span className="skeleton" />
                    <span className="visually-hidden">Loading row</span>
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
