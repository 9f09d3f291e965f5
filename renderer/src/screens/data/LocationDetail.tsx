import { useMemo, useState } from 'react';
import type { RatingHistoryRow } from '../../../../shared/ipc/contract';
import { useRequest } from '../../lib/api';
import { capitalise, formatDate, formatNumber, plural } from '../../lib/format';
import { useReference } from '../../lib/reference';
import { EditButton, Icon, RatingBadge, RequestPending, Tag } from '../../ui/bits';
import { RatingForm } from './RatingForm';
import { AssessmentsTable, EvidenceTable, NewInspectionDialog } from './Assessments';
import { HistoricalInspections } from './SimplePanels';

export function LocationDetail(props: { id: string; onClose: () => void; onOpenAssessment: (id: string) => void }) {
  const loc = useRequest('locations.get', { id: props.id });
  const assessments = useRequest('assessments.list', { subjectType: 'location', subjectId: props.id, limit: 200 });
  const inspections = useRequest('inspections.list', { locationId: props.id, limit: 200 });
  const findings = useRequest('findings.list', { subjectType: 'location', subjectId: props.id, limit: 500 });
  const evidence = useRequest('evidence.list', { limit: 10_000 });
  const [creating, setCreating] = useState(false);
  // The evidence behind this location's findings and collected for its inspections.
  const evidenceRows = useMemo(() => {
    const ids = new Set((findings.data?.rows ?? []).flatMap((f) => f.evidenceIds));
    return (evidence.data?.rows ?? []).filter((e) => ids.has(e.id));
  }, [findings.data, evidence.data]);
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
            <h3 className="detail__subtitle">Inspections</h3>
            <button type="button" className="btn btn--small btn--primary" onClick={() => setCreating(true)}>
              <Icon name="plus" size={16} /> New inspection
            </button>
          </div>
          {!assessments.data || !inspections.data ? (
            <RequestPending req={!assessments.data ? assessments : inspections} />
          ) : assessments.data.rows.length === 0 && inspections.data.rows.length === 0 ? (
            <p className="muted">No inspections recorded for this location.</p>
          ) : (
            <>
              {assessments.data.rows.length > 0 && <AssessmentsTable rows={assessments.data.rows} onOpen={props.onOpenAssessment} caption={`Inspections of ${loc.data.name}`} showSubject={false} />}
              {inspections.data.rows.length > 0 && <HistoricalInspections rows={inspections.data.rows} />}
            </>
          )}

          <h3 className="detail__subtitle">Findings</h3>
          {!findings.data ? (
            <RequestPending req={findings} />
          ) : findings.data.rows.length === 0 ? (
            <p className="muted">No findings about this location.</p>
          ) : (
            <ul className="finding-list" aria-label={`Findings about ${loc.data.name}`}>
              {findings.data.rows.map((f) => (
                <li key={f.id} className="finding">
                  <div className="finding__meta">
                    <Tag tone={f.judgement === 'strength' ? 'success' : f.judgement === 'concern' ? 'danger' : 'accent'}>{capitalise(f.judgement)}</Tag>
                    {f.theme && <span className="finding__theme">{f.theme}</span>}
                    {f.keyQuestionId && <span className="finding__theme">{reference.data?.keyQuestions.find((k) => k.id === f.keyQuestionId)?.name ?? f.keyQuestionId}</span>}
                  </div>
                  <p className="finding__text">{f.text}</p>
                  <div className="finding__foot">
                    <span className="muted small">
                      {capitalise(f.status)} · {plural(f.evidenceIds.length, 'evidence source')}
                      {f.assessmentId && (
                        <>
                          {' · '}
                          <button type="button" className="link-btn" onClick={() => props.onOpenAssessment(f.assessmentId!)}>
                            Open its inspection
                          </button>
                        </>
                      )}
                    </span>
                  </div>
                </li>
              ))}
            </ul>
          )}

          <h3 className="detail__subtitle">Evidence</h3>
          {!evidence.data ? <RequestPending req={evidence} /> : <EvidenceTable rows={evidenceRows} label={`Evidence about ${loc.data.name}`} empty="No evidence cited by this location’s findings." />}

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
      {creating && loc.data && (
        <NewInspectionDialog subject={{ type: 'location', id: props.id, name: loc.data.name }} onClose={() => setCreating(false)} onCreated={(id) => (setCreating(false), props.onOpenAssessment(id))} />
      )}
      {form && loc.data && reference.data && (
        <RatingForm locationId={props.id} locationName={loc.data.name} reference={reference.data} existing={form.existing} onClose={() => setForm(null)} />
      )}
    </aside>
  );
}
