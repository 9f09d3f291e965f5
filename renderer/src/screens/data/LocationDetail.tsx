import { useMemo, useState } from 'react';
import type { RatingHistoryRow } from '../../../../shared/ipc/contract';
import { useRequest } from '../../lib/api';
import { formatDate, formatNumber } from '../../lib/format';
import { useReference } from '../../lib/reference';
import { EditButton, Icon, RatingBadge, RequestPending, Tag } from '../../ui/bits';
import { RatingForm } from './RatingForm';

export function LocationDetail(props: { id: string; onClose: () => void }) {
  const loc = useRequest('locations.get', { id: props.id });
  const reference = useReference();
  const [form, setForm] = useState<{ existing?: RatingHistoryRow } | null>(null);

  // The current rating per key question is the latest one published, for the location as a whole ("Overall" group).
  const current = useMemo(() => {
    const m = new Map<string, RatingHistoryRow>();
    for (const r of loc.data?.ratings ?? []) {
      if (r.serviceGroup !== 'Overall') continue;
      const prev = m.get(r.keyQuestionId);
      if (!prev || r.publishedOn > prev.publishedOn) m.set(r.keyQuestionId, r);
    }
    return m;
  }, [loc.data]);
  const history = useMemo(
    () => [...(loc.data?.ratings ?? [])].sort((a, b) => b.publishedOn.localeCompare(a.publishedOn) || a.keyQuestion.localeCompare(b.keyQuestion)),
    [loc.data],
  );

  return (
    <aside className="detail" aria-labelledby="detail-title">
      <div className="detail__header">
        <div>
          <div className="detail__eyebrow">Location {props.id}</div>
          <h2 id="detail-title" className="detail__title">
            {loc.data?.name ?? 'Loading…'}
          </h2>
        </div>
        <button type="button" className="icon-btn" onClick={props.onClose} aria-label="Close location details">
          <Icon name="close" />
        </button>
      </div>
      {!loc.data ? (
        <RequestPending req={loc} />
      ) : (
        <div className="detail__body">
          <dl className="facts">
            <div>
              <dt>Provider</dt>
              <dd>{loc.data.providerName ?? '–'}</dd>
            </div>
            <div>
              <dt>Sector</dt>
              <dd>{loc.data.sector}</dd>
            </div>
            <div>
              <dt>Type</dt>
              <dd>
                {loc.data.locationType}
                {loc.data.careHome && (
                  <>
                    {' '}
                    <Tag tone="info">Care home</Tag>
                  </>
                )}
              </dd>
            </div>
            <div>
              <dt>Inspection category</dt>
              <dd>{loc.data.category ?? '–'}</dd>
            </div>
            <div>
              <dt>Local authority</dt>
              <dd>{loc.data.localAuthority ?? '–'}</dd>
            </div>
            <div>
              <dt>Region</dt>
              <dd>{loc.data.region ?? '–'}</dd>
            </div>
            <div>
              <dt>Postcode</dt>
              <dd>{loc.data.postcode ?? '–'}</dd>
            </div>
            <div>
              <dt>Registered</dt>
              <dd>{formatDate(loc.data.registeredOn)}</dd>
            </div>
            {loc.data.beds !== null && (
              <div>
                <dt>Beds</dt>
                <dd>{formatNumber(loc.data.beds)}</dd>
              </div>
            )}
          </dl>

          <h3 className="detail__subtitle">Current ratings</h3>
          {current.size === 0 ? (
            <p className="muted">This location has no published ratings.</p>
          ) : (
            <ul className="kq-grid">
              {[...(reference.data?.keyQuestions ?? [])].sort((a, b) => Number(b.id === 'overall') - Number(a.id === 'overall')).map((k) => {
                const r = current.get(k.id);
                if (!r) return null;
                return (
                  <li key={k.id} className={`kq${k.id === 'overall' ? ' kq--overall' : ''}`}>
                    <span className="kq__name">{k.name}</span>
                    <RatingBadge rating={r.rating} />
                  </li>
                );
              })}
            </ul>
          )}

          <div className="detail__section-head">
            <h3 className="detail__subtitle">Rating history</h3>
            <button type="button" className="btn btn--small btn--primary" onClick={() => setForm({})} disabled={!reference.data}>
              <Icon name="plus" size={16} /> Add rating
            </button>
          </div>
          {history.length === 0 ? (
            <p className="muted">No ratings recorded.</p>
          ) : (
            <div className="table-wrap table-wrap--tight">
              <table className="table table--compact">
                <thead>
                  <tr>
                    <th scope="col">Published</th>
                    <th scope="col">Key question</th>
                    <th scope="col">Rating</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {history.map((r) => (
                    <tr key={r.id}>
                      <td className="nowrap">{formatDate(r.publishedOn, 'short')}</td>
                      <td>
                        {r.keyQuestion}
                        {r.serviceGroup !== 'Overall' && <div className="muted small">{r.serviceGroup}</div>}
                      </td>
                      <td>
                        <RatingBadge rating={r.rating} />
                        {!r.importId && <div className="muted small">Entered in Assay</div>}
                      </td>
                      <td className="actions">
                        <EditButton onClick={() => setForm({ existing: r })} disabled={!reference.data} label={`Edit ${r.keyQuestion} rating published ${formatDate(r.publishedOn)}`} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
      {form && loc.data && reference.data && (
        <RatingForm locationId={props.id} locationName={loc.data.name} reference={reference.data} existing={form.existing} onClose={() => setForm(null)} />
      )}
    </aside>
  );
}
