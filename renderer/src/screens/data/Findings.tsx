import { useMemo, useState } from 'react';
import type { RequestOutputs } from '../../../../shared/ipc/contract';
import { call, useRequest } from '../../lib/api';
import { capitalise, formatRelative } from '../../lib/format';
import { useFormErrors } from '../../lib/forms';
import { useDebounced, useReference } from '../../lib/reference';
import { useSession } from '../../lib/route';
import { EditButton, EmptyState, Icon, LoadingBlock, RequestPending, SensitivityTag, Tag } from '../../ui/bits';
import { Dialog, DialogForm, FormDialogFooter } from '../../ui/Dialog';
import { FilterSelect } from '../../ui/Filters';
import { ErrorSummary, Field, FieldGroup } from '../../ui/Field';
import { useToast } from '../../ui/Toast';

type Finding = RequestOutputs['findings.list']['rows'][number];
type SubjectType = 'location' | 'provider' | 'area review' | 'national';
export const JUDGEMENTS = ['strength', 'concern', 'recommendation'] as const;
export type Judgement = (typeof JUDGEMENTS)[number];
const STATUSES = ['draft', 'agreed', 'published', 'withdrawn'] as const;
const JUDGEMENT_TONE = { strength: 'success', concern: 'danger', recommendation: 'accent' } as const;
const cap = capitalise;

export function FindingsPanel(props: { areaReviewId?: string; onClearAreaReview: () => void }) {
  const reference = useReference();
  const [themeId, setThemeId] = useState('');
  const [judgement, setJudgement] = useState('');
  const [status, setStatus] = useState('');
  const [form, setForm] = useState<{ existing?: Finding } | null>(null);
  const input = props.areaReviewId ? { subjectType: 'area review', subjectId: props.areaReviewId, themeId: themeId || undefined } : { themeId: themeId || undefined };
  const res = useRequest('findings.list', input);
  const reviews = useRequest('areaReviews.list', {});
  const rows = useMemo(() => (res.data?.rows ?? []).filter((f) => (!judgement || f.judgement === judgement) && (!status || f.status === status)), [res.data, judgement, status]);
  const reviewTitle = reviews.data?.rows.find((r) => r.id === props.areaReviewId)?.title;

  return (
    <div className="panel-stack">
      <div className="toolbar">
        <form className="filters filters--inline" aria-label="Filter findings" onSubmit={(e) => e.preventDefault()}>
          <FilterSelect id="f-theme" label="Theme" value={themeId} onChange={setThemeId} options={reference.data?.themes.map((t) => ({ value: t.id, label: t.name })) ?? []} all="All themes" />
          <FilterSelect id="f-judgement" label="Judgement" value={judgement} onChange={setJudgement} options={JUDGEMENTS.map((j) => ({ value: j, label: cap(j) }))} all="All judgements" />
          <FilterSelect id="f-status" label="Status" value={status} onChange={setStatus} options={STATUSES.map((s) => ({ value: s, label: cap(s) }))} all="Any status" />
        </form>
        <button type="button" className="btn btn--primary" onClick={() => setForm({})}>
          <Icon name="plus" size={16} /> Add finding
        </button>
      </div>
      {props.areaReviewId && (
        <div className="results-bar">
          <span className="chip">
            Area review: {reviewTitle ?? props.areaReviewId}
            <button type="button" className="chip__remove" aria-label="Show findings of every subject" onClick={props.onClearAreaReview}>
              <Icon name="close" size={12} />
            </button>
          </span>
        </div>
      )}
      {!res.data ? (
        <RequestPending req={res} />
      ) : rows.length === 0 ? (
        <EmptyState
          title={res.data.rows.length ? 'No findings match' : 'No findings yet'}
          action={
            <button type="button" className="btn btn--primary" onClick={() => setForm({})}>
              Add a finding
            </button>
          }
        >
          Findings are statements about a location, a provider, an area or the nation, each backed by evidence.
        </EmptyState>
      ) : (
        <ul className="finding-list" aria-label="Findings">
          {rows.map((f) => (
            <li key={f.id} className="finding">
              <div className="finding__meta">
                <Tag tone={JUDGEMENT_TONE[f.judgement as keyof typeof JUDGEMENT_TONE] ?? 'neutral'}>{cap(f.judgement)}</Tag>
                {f.theme && <span className="finding__theme">{f.theme}</span>}
                <span className="muted small">
                  {f.subjectType === 'national' ? 'National' : `${cap(f.subjectType)}: ${f.subjectName ?? f.subjectId ?? '–'}`}
                </span>
              </div>
              <p className="finding__text">{f.text}</p>
              <div className="finding__foot">
                <span className="muted small">
                  {cap(f.status)} · {f.evidenceIds.length === 0 ? <strong className="warn-text">no evidence cited</strong> : `${f.evidenceIds.length} evidence ${f.evidenceIds.length === 1 ? 'source' : 'sources'}`}
                  {f.author ? ` · ${f.author}` : ''} · updated {formatRelative(f.updatedAt)}
                </span>
                <EditButton onClick={() => setForm({ existing: f })} label={`Edit finding: ${f.text.slice(0, 60)}`} />
              </div>
            </li>
          ))}
        </ul>
      )}
      {form && <FindingForm existing={form.existing} defaultAreaReviewId={props.areaReviewId} onClose={() => setForm(null)} />}
    </div>
  );
}

const LABELS: Record<string, string> = { subjectType: 'Subject', subjectId: 'Subject', themeId: 'Theme', judgement: 'Judgement', status: 'Status', text: 'Finding', evidenceIds: 'Evidence' };

export function FindingForm(props: { existing?: Finding; defaultAreaReviewId?: string; onClose: () => void }) {
  const { existing } = props;
  const toast = useToast();
  const session = useSession();
  const reference = useReference();
  const [subjectType, setSubjectType] = useState<SubjectType>((existing?.subjectType as SubjectType) ?? (props.defaultAreaReviewId ? 'area review' : 'area review'));
  const [subjectId, setSubjectId] = useState(existing?.subjectId ?? props.defaultAreaReviewId ?? '');
  const [subjectLabel, setSubjectLabel] = useState(existing?.subjectName ?? '');
  const [themeId, setThemeId] = useState(() => reference.data?.themes.find((t) => t.name === existing?.theme)?.id ?? '');
  const [judgement, setJudgement] = useState<(typeof JUDGEMENTS)[number] | ''>((existing?.judgement as (typeof JUDGEMENTS)[number]) ?? '');
  const [status, setStatus] = useState<(typeof STATUSES)[number]>((existing?.status as (typeof STATUSES)[number]) ?? 'draft');
  const [text, setText] = useState(existing?.text ?? '');
  const [evidenceIds, setEvidenceIds] = useState<string[]>(existing?.evidenceIds ?? []);
  const { errors, setErrors, message, setMessage, busy, setBusy, clear, fail } = useFormErrors();

  // The theme arrives by name in the list; map it back to its id once the reference data is here.
  const themeFromName = reference.data?.themes.find((t) => t.name === existing?.theme)?.id;
  if (existing?.theme && !themeId && themeFromName) setThemeId(themeFromName);

  const submit = async () => {
    const f: Record<string, string> = {};
    if (subjectType !== 'national' && !subjectId) f.subjectId = `Choose the ${subjectType} this finding is about`;
    if (!judgement) f.judgement = 'Choose whether this is a strength, a concern or a recommendation';
    if (!text.trim()) f.text = 'Write the finding';
    else if (text.trim().length < 10) f.text = 'Write the finding as a full sentence';
    setErrors(f);
    setMessage(undefined);
    if (Object.keys(f).length || !judgement) return;
    setBusy(true);
    try {
      await call('findings.save', {
        id: existing?.id,
        subjectType,
        subjectId: subjectType === 'national' ? null : subjectId,
        themeId: themeId || null,
        judgement,
        status,
        text: text.trim(),
        evidenceIds,
      });
      toast(existing ? 'Finding updated' : 'Finding added');
      props.onClose();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={existing ? 'Edit finding' : 'Add a finding'}
      size="large"
      onClose={props.onClose}
      description={session.userName ? `Recorded as written by ${session.userName}.` : undefined}
      footer={<FormDialogFooter form="finding-form" onCancel={props.onClose} busy={busy} label={existing ? 'Save changes' : 'Add finding'} />}
    >
      <DialogForm id="finding-form" onSubmit={submit}>
        <ErrorSummary message={message} errors={errors} labels={LABELS} />
        <div className="form-grid">
          <Field label="Subject type" error={errors.subjectType}>
            {(c) => (
              <select
                {...c}
                className="select"
                value={subjectType}
                onChange={(e) => {
                  setSubjectType(e.target.value as SubjectType);
                  setSubjectId('');
                  setSubjectLabel('');
                }}
              >
                <option value="area review">Area review</option>
                <option value="location">Location</option>
                <option value="provider">Provider</option>
                <option value="national">National</option>
              </select>
            )}
          </Field>
          {subjectType !== 'national' ? (
            <SubjectPicker type={subjectType} value={subjectId} label={subjectLabel} error={errors.subjectId} onChange={(id, label) => (setSubjectId(id), setSubjectLabel(label), clear('subjectId'))} />
          ) : (
            <div className="field field--note">
              <span className="field__label">Subject</span>
              <p className="muted">A national finding is about the whole system, not one place.</p>
            </div>
          )}
          <Field label="Theme" optional error={errors.themeId}>
            {(c) => (
              <select {...c} className="select" value={themeId} onChange={(e) => setThemeId(e.target.value)}>
                <option value="">No theme</option>
                {reference.data?.themes.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Status" error={errors.status}>
            {(c) => (
              <select {...c} className="select" value={status} onChange={(e) => setStatus(e.target.value as (typeof STATUSES)[number])}>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {cap(s)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <FindingBodyFields
          name="judgement"
          rows={4}
          judgement={judgement}
          setJudgement={setJudgement}
          text={text}
          setText={setText}
          evidenceIds={evidenceIds}
          setEvidenceIds={setEvidenceIds}
          errors={errors}
          clear={clear}
        />
      </DialogForm>
    </Dialog>
  );
}

/** Picks a location, provider or area review; locations and providers are searched because there can be tens of thousands. */
function SubjectPicker(props: { type: Exclude<SubjectType, 'national'>; value: string; label: string; error?: string; onChange: (id: string, label: string) => void }) {
  return props.type === 'area review' ? <AreaReviewPicker {...props} /> : <SearchedSubjectPicker {...props} type={props.type} />;
}

function AreaReviewPicker(props: { value: string; error?: string; onChange: (id: string, label: string) => void }) {
  const reviews = useRequest('areaReviews.list', {});
  return (
    <Field label="Area review" error={props.error}>
      {(c) => (
        <select {...c} className="select" value={props.value} onChange={(e) => props.onChange(e.target.value, e.target.selectedOptions[0]?.text ?? '')}>
          <option value="">Choose an area review…</option>
          {reviews.data?.rows.map((r) => (
            <option key={r.id} value={r.id}>
              {r.title}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function SearchedSubjectPicker(props: { type: 'location' | 'provider'; value: string; label: string; error?: string; onChange: (id: string, label: string) => void }) {
  const [q, setQ] = useState('');
  const search = useDebounced(q.trim(), 250);
  const res = useRequest(props.type === 'location' ? 'locations.list' : 'providers.list', props.type === 'location' ? { filters: search ? { search } : {}, offset: 0, limit: 30 } : { search: search || undefined, offset: 0, limit: 30 });
  const rows = (res.data?.rows ?? []) as { id: string; name: string; localAuthority?: string | null }[];
  const options = rows.map((r) => ({ id: r.id, label: r.localAuthority ? `${r.name} (${r.localAuthority})` : r.name }));
  if (props.value && !options.some((o) => o.id === props.value)) options.unshift({ id: props.value, label: props.label || props.value });
  return (
    <div className="subject-picker">
      <Field label={`Find a ${props.type}`} hint="Type part of a name, postcode or ID">
        {(c) => <input {...c} type="search" className="input" value={q} onChange={(e) => setQ(e.target.value)} />}
      </Field>
      <Field label={props.type === 'location' ? 'Location' : 'Provider'} error={props.error}>
        {(c) => (
          <select {...c} className="select" value={props.value} onChange={(e) => props.onChange(e.target.value, e.target.selectedOptions[0]?.text ?? '')}>
            <option value="">{options.length ? `Choose a ${props.type}…` : 'No matches'}</option>
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}

/** A searchable checklist of evidence sources to cite. */
export function EvidenceChooser(props: { value: string[]; onChange: (ids: string[]) => void; error?: string }) {
  const [q, setQ] = useState('');
  const search = useDebounced(q.trim(), 250);
  const res = useRequest('evidence.list', { search: search || undefined, limit: 200 });
  const selected = new Set(props.value);
  return (
    <FieldGroup legend="Evidence" hint={`${props.value.length} selected. A finding without evidence is flagged in review.`} error={props.error} className="evidence-chooser">
      <label className="visually-hidden" htmlFor="ev-choose-search">
        Search evidence
      </label>
      <div className="input-icon">
        <Icon name="search" size={16} />
        <input id="ev-choose-search" type="search" className="input" placeholder="Search evidence by title or reference" value={q} onChange={(e) => setQ(e.target.value)} />
      </div>
      <div className="checklist" role="group" aria-label="Evidence sources">
        {!res.data ? (
          <LoadingBlock />
        ) : res.data.rows.length === 0 ? (
          <p className="muted small">No evidence matches.</p>
        ) : (
          res.data.rows.map((ev) => (
            <label key={ev.id} className="checklist__item">
              <input
                type="checkbox"
                checked={selected.has(ev.id)}
                onChange={(e) => props.onChange(e.target.checked ? [...props.value, ev.id] : props.value.filter((x) => x !== ev.id))}
              />
              <span className="checklist__text">
                <span>{ev.title}</span>
                <span className="muted small">
                  {cap(ev.kind)}
                  {ev.reference ? ` · ${ev.reference}` : ''}
                </span>
              </span>
              <SensitivityTag sensitivity={ev.sensitivity} />
            </label>
          ))
        )}
      </div>
    </FieldGroup>
  );
}

/**
 * What every finding says, whatever it is about: its judgement, its words and the evidence behind it. Shared by the
 * finding dialog of the Data screen and the one an inspection opens.
 */
export function FindingBodyFields(props: {
  name: string;
  rows: number;
  judgement: Judgement | '';
  setJudgement: (j: Judgement) => void;
  text: string;
  setText: (t: string) => void;
  evidenceIds: string[];
  setEvidenceIds: (ids: string[]) => void;
  errors: Record<string, string>;
  clear: (field: string) => void;
}) {
  const { errors, clear } = props;
  return (
    <>
      <FieldGroup legend="Judgement" error={errors.judgement}>
        <div className="radios radios--inline">
          {JUDGEMENTS.map((j) => (
            <label key={j} className="radio">
              <input type="radio" name={props.name} value={j} checked={props.judgement === j} onChange={() => (props.setJudgement(j), clear('judgement'))} />
              <span>{cap(j)}</span>
            </label>
          ))}
        </div>
      </FieldGroup>
      <Field label="Finding" error={errors.text} hint="One clear statement, as it would appear in the report.">
        {(c) => <textarea {...c} className="textarea" rows={props.rows} value={props.text} onChange={(e) => (props.setText(e.target.value), clear('text'))} />}
      </Field>
      <EvidenceChooser value={props.evidenceIds} onChange={props.setEvidenceIds} error={errors.evidenceIds} />
    </>
  );
}
