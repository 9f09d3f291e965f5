import { useState } from 'react';
import type { RequestOutputs } from '../../../../shared/ipc/contract';
import { useRequest } from '../../lib/api';
import { capitalise, formatDate, formatNumber, plural } from '../../lib/format';
import { useDebounced } from '../../lib/reference';
import { EmptyState, Icon, RequestPending, Tag } from '../../ui/bits';
import { FilterSearch, FilterSelect } from '../../ui/Filters';
import { AssessmentsTable, NewInspectionDialog, STATUSES } from './Assessments';

const PAGE = 200;

export function ProvidersPanel(props: { onShowLocations: (id: string, name: string) => void }) {
  const [search, setSearch] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const q = useDebounced(search.trim(), 250);
  const res = useRequest('providers.list', { search: q || undefined, offset: 0, limit });
  return (
    <div className="panel-stack">
      <form className="filters" role="search" aria-label="Filter providers" onSubmit={(e) => e.preventDefault()}>
        <FilterSearch id="prov-search" label="Search providers" placeholder="Provider name or ID" value={search} onChange={(v) => (setSearch(v), setLimit(PAGE))} />
      </form>
      {!res.data ? (
        <RequestPending req={res} />
      ) : res.data.rows.length === 0 ? (
        <EmptyState title={q ? 'No providers match' : 'No providers yet'}>{q ? 'Try a shorter search.' : 'Providers arrive with a CQC ratings import.'}</EmptyState>
      ) : (
        <>
          <div className="results-bar">
            <span className="results-bar__count" aria-live="polite">
              {plural(res.data.total, 'provider')}
            </span>
          </div>
          <div className="table-wrap table-wrap--scroll">
            <table className="table table--sticky">
              <thead>
                <tr>
                  <th scope="col">Provider</th>
                  <th scope="col">Provider ID</th>
                  <th scope="col" className="num">
                    Locations
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {res.data.rows.map((p) => (
                  <tr key={p.id}>
                    <td>{p.name}</td>
                    <td className="mono muted">{p.id}</td>
                    <td className="num">{formatNumber(p.locations)}</td>
                    <td className="actions">
                      <button type="button" className="btn btn--small btn--ghost" onClick={() => props.onShowLocations(p.id, p.name)} aria-label={`Show locations of ${p.name}`}>
                        Show locations
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {res.data.rows.length < res.data.total && (
            <div className="load-more">
              <button type="button" className="btn btn--secondary" onClick={() => setLimit((l) => l + PAGE)} disabled={res.status === 'loading'}>
                Show more ({formatNumber(res.data.total - res.data.rows.length)} left)
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}

const INSPECTION_TONE: Record<string, 'neutral' | 'info' | 'success' | 'warning'> = { planned: 'neutral', 'in progress': 'warning', completed: 'info', published: 'success' };

export function InspectionsPanel(props: { onOpenLocation: (id: string) => void; onOpenAssessment: (id: string) => void }) {
  const res = useRequest('inspections.list', { limit: 2000 });
  const assessments = useRequest('assessments.list', { limit: 2000 });
  const [status, setStatus] = useState('');
  const [creating, setCreating] = useState(false);
  const shown = (assessments.data?.rows ?? []).filter((a) => !status || a.status === status);
  return (
    <div className="panel-stack">
      <div className="toolbar">
        <form className="filters filters--inline" aria-label="Filter inspections" onSubmit={(e) => e.preventDefault()}>
          <FilterSelect id="a-status" label="Status" value={status} onChange={setStatus} options={STATUSES.map((s) => ({ value: s, label: capitalise(s) }))} all="Any status" />
        </form>
        <button type="button" className="btn btn--primary" onClick={() => setCreating(true)}>
          <Icon name="plus" size={16} /> New inspection
        </button>
      </div>
      <section aria-labelledby="assessments-title">
        <h2 id="assessments-title" className="section-title">
          Inspections and assessments
        </h2>
        {!assessments.data ? (
          <RequestPending req={assessments} />
        ) : shown.length === 0 ? (
          <EmptyState title={assessments.data.rows.length ? 'None with this status' : 'No inspections under the assessment framework yet'}>
            Create one with New inspection: score quality statements, agree draft ratings, moderate and publish.
          </EmptyState>
        ) : (
          <AssessmentsTable rows={shown} onOpen={props.onOpenAssessment} caption="Inspections and assessments" />
        )}
      </section>
      <section aria-labelledby="historical-title">
        <h2 id="historical-title" className="section-title">
          Earlier inspections
        </h2>
        {!res.data ? (
          <RequestPending req={res} />
        ) : res.data.rows.length === 0 ? (
          <EmptyState title="No inspections recorded">Inspections recorded before the assessment framework appear here with their status and lead inspector.</EmptyState>
        ) : (
          <HistoricalInspections rows={res.data.rows} onOpenLocation={props.onOpenLocation} />
        )}
      </section>
      {creating && <NewInspectionDialog onClose={() => setCreating(false)} onCreated={(id) => (setCreating(false), props.onOpenAssessment(id))} />}
    </div>
  );
}

export function HistoricalInspections(props: { rows: RequestOutputs['inspections.list']['rows']; onOpenLocation?: (id: string) => void }) {
  return (
    <div className="table-wrap table-wrap--scroll">
      <table className="table table--sticky" aria-label="Earlier inspections">
        <thead>
          <tr>
            {props.onOpenLocation && <th scope="col">Location</th>}
            <th scope="col">Status</th>
            <th scope="col">Started</th>
            <th scope="col">Published</th>
            <th scope="col">Lead inspector</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((i) => (
            <tr key={i.id}>
              {props.onOpenLocation && (
                <td>
                  <button type="button" className="link-btn" onClick={() => props.onOpenLocation!(i.locationId)}>
                    {i.locationName}
                  </button>
                </td>
              )}
              <td>
                <Tag tone={INSPECTION_TONE[i.status] ?? 'neutral'}>{i.status.replace(/^./, (c) => c.toUpperCase())}</Tag>
              </td>
              <td className="nowrap">{formatDate(i.startedOn, 'short')}</td>
              <td className="nowrap">{formatDate(i.publishedOn, 'short')}</td>
              <td>{i.leadInspector ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AreaReviewsPanel(props: { onShowFindings: (id: string) => void }) {
  const res = useRequest('areaReviews.list', {});
  if (!res.data) return <RequestPending req={res} />;
  if (res.data.rows.length === 0) return <EmptyState title="No area reviews">Local system reviews of how older people move between health and social care appear here.</EmptyState>;
  return (
    <div className="table-wrap table-wrap--scroll">
      <table className="table table--sticky">
        <thead>
          <tr>
            <th scope="col">Review</th>
            <th scope="col">Local authority</th>
            <th scope="col">Status</th>
            <th scope="col">Published</th>
            <th scope="col" className="num">
              Findings
            </th>
            <th scope="col" className="num">
              Evidence
            </th>
          </tr>
        </thead>
        <tbody>
          {res.data.rows.map((r) => (
            <tr key={r.id}>
              <td>{r.title}</td>
              <td>{r.localAuthority}</td>
              <td>
                <Tag tone={r.status === 'published' ? 'success' : r.status === 'planned' ? 'neutral' : 'warning'}>{r.status.replace(/^./, (c) => c.toUpperCase())}</Tag>
              </td>
              <td className="nowrap">{formatDate(r.publishedOn, 'short')}</td>
              <td className="num">
                {r.findings > 0 ? (
                  <button type="button" className="link-btn" onClick={() => props.onShowFindings(r.id)} aria-label={`Show ${r.findings} findings of ${r.title}`}>
                    {formatNumber(r.findings)}
                  </button>
                ) : (
                  '0'
                )}
              </td>
              <td className="num">{formatNumber(r.evidence)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
