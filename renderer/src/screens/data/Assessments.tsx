import { useMemo, useState } from 'react';
import type { AssessmentDetail, RequestOutputs } from '../../../../shared/ipc/contract';
import { call, toIpcError, useRequest } from '../../lib/api';
import { capitalise, formatDate, plural, todayIso } from '../../lib/format';
import { useFormErrors } from '../../lib/forms';
import { useReference } from '../../lib/reference';
import { useNav, useSession } from '../../lib/route';
import { Icon, RatingBadge, RequestPending, SensitivityTag, Tag } from '../../ui/bits';
import { Dialog, DialogForm, FormDialogFooter } from '../../ui/Dialog';
import { ErrorSummary, Field, FieldGroup, SelectField } from '../../ui/Field';
import { useToast } from '../../ui/Toast';
import { AttachmentLink } from '../../ui/AttachmentLink';
import { FindingBodyFields, JUDGEMENTS, SearchedSubjectPicker } from './Findings';
import { templateForAssessment } from '../../../../shared/document/templates';
import { councilInWords } from '../../../../shared/document/format';

/**
 * Inspections and assessments under an assessment framework: the "New inspection" dialog, the list, and one screen per
 * inspection with its status, score grid, draft ratings, findings, evidence and, once published, its published ratings.
 * The framework (statements, scores, rules) is data from the host; the ratings the rules give come back from the host
 * with every change of scores, so nothing here knows CQC's numbers.
 */

type Assessment = RequestOutputs['assessments.list']['rows'][number];
type Framework = RequestOutputs['framework.get']['frameworks'][number];
type SubjectType = Assessment['subjectType'];
type Status = Assessment['status'];

export const STATUSES: readonly Status[] = ['planned', 'in progress', 'draft report', 'in moderation', 'published'];
export const STATUS_TONE: Record<Status, 'neutral' | 'info' | 'success' | 'warning' | 'accent'> = {
  planned: 'neutral',
  'in progress': 'warning',
  'draft report': 'info',
  'in moderation': 'accent',
  published: 'success',
};
/** What the button that takes an inspection to each status says. */
const NEXT_LABEL: Record<Status, string> = {
  planned: 'Back to planned',
  'in progress': 'Start the inspection',
  'draft report': 'Move to draft report',
  'in moderation': 'Send to moderation',
  published: 'Publish…',
};
const KINDS: Record<SubjectType, string[]> = {
  location: ['Comprehensive assessment', 'Focused assessment', 'Responsive assessment'],
  provider: ['Provider assessment', 'Well-led provider assessment'],
  'local authority': ['Local authority assessment'],
  'integrated care system': ['Integrated care system assessment'],
};
const EVIDENCE_KINDS = ['document', 'interview', 'observation', 'dataset', 'survey', 'case file', 'meeting notes'] as const;
const SENSITIVITIES = ['public', 'official', 'official-sensitive', 'personal'] as const;

export function assessmentTitle(a: Pick<Assessment, 'title' | 'kind' | 'subjectName'>): string {
  return a.title ?? `${a.kind}: ${a.subjectName}`;
}

/** The version of a framework in force on a date. */
function versionOn(f: Framework | undefined, date: string): Framework['versions'][number] | undefined {
  return f?.versions.find((v) => v.effectiveFrom <= date && (!v.effectiveTo || date < v.effectiveTo));
}

/** Host field errors such as "siteVisits.1" or "team.0.name", placed on the top-level field they belong to. */
function topLevel(fields: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields ?? {})) {
    const key = k.split('.')[0]!;
    if (!(key in out)) out[key] = k.includes('.') ? `${k.split('.').slice(1).join(' ')}: ${v}` : v;
  }
  return out;
}

/** Ratings in the order the workspace lists its key questions, Overall last. */
function byKeyQuestion<T extends { keyQuestionId: string }>(rows: readonly T[], keyQuestions: readonly { id: string }[]): T[] {
  const at = (id: string) => (id === 'overall' ? 1e6 : (keyQuestions.findIndex((k) => k.id === id) + 1 || 1e5));
  return [...rows].sort((x, y) => at(x.keyQuestionId) - at(y.keyQuestionId));
}

// The list --------------------------------------------------------------------------------------------------------------

export function AssessmentsTable(props: { rows: readonly Assessment[]; onOpen: (id: string) => void; caption: string; showSubject?: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label={props.caption}>
        <thead>
          <tr>
            <th scope="col">Inspection</th>
            {props.showSubject !== false && <th scope="col">Subject</th>}
            <th scope="col">Status</th>
            {props.showSubject !== false && <th scope="col">Site visits</th>}
            <th scope="col">Published</th>
            {props.showSubject !== false && <th scope="col">Lead inspector</th>}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((a) => (
            <tr key={a.id}>
              <td>
                <button type="button" className="link-btn" onClick={() => props.onOpen(a.id)}>
                  {assessmentTitle(a)}
                </button>
                {props.showSubject === false && a.siteVisits.length > 0 && <div className="muted small">Visited {a.siteVisits.map((d) => formatDate(d, 'short')).join(', ')}</div>}
              </td>
              {props.showSubject !== false && (
                <td>
                  {a.subjectName}
                  <div className="muted small">{capitalise(a.subjectType)}</div>
                </td>
              )}
              <td>
                <Tag tone={STATUS_TONE[a.status]}>{capitalise(a.status)}</Tag>
              </td>
              {props.showSubject !== false && <td className="nowrap">{a.siteVisits.length ? a.siteVisits.map((d) => formatDate(d, 'short')).join(', ') : '–'}</td>}
              <td className="nowrap">{formatDate(a.publishedOn, 'short')}</td>
              {props.showSubject !== false && <td>{a.leadInspector ?? '–'}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// New inspection ----------------------------------------------------------------------------------------------------------

const NEW_LABELS: Record<string, string> = {
  subjectType: 'Subject type',
  subjectId: 'Subject',
  kind: 'Kind',
  siteVisits: 'Site visits',
  team: 'Team',
  leadInspector: 'Lead inspector',
  frameworkVersionId: 'Framework version',
  title: 'Title',
};

export function NewInspectionDialog(props: { subject?: { type: SubjectType; id: string; name: string }; onClose: () => void; onCreated: (id: string) => void }) {
  const toast = useToast();
  const session = useSession();
  const reference = useReference();
  const fw = useRequest('framework.get', {});
  const [subjectType, setSubjectType] = useState<SubjectType>(props.subject?.type ?? 'location');
  const [subjectId, setSubjectId] = useState(props.subject?.id ?? '');
  const [subjectLabel, setSubjectLabel] = useState(props.subject?.name ?? '');
  const [kind, setKind] = useState(KINDS[props.subject?.type ?? 'location'][0]!);
  const [title, setTitle] = useState('');
  const [visits, setVisits] = useState<string[]>(['']);
  const [team, setTeam] = useState<{ name: string; role: string }[]>([{ name: session.userName ?? '', role: 'Lead inspector' }]);
  const [lead, setLead] = useState(session.userName ?? '');
  const [versionId, setVersionId] = useState('');
  const { errors, setErrors, message, setMessage, busy, setBusy, clear } = useFormErrors();

  const framework = fw.data?.frameworks.find((f) => f.subjectTypes.includes(subjectType));
  const firstVisit = visits.filter(Boolean).sort()[0];
  const inForce = versionOn(framework, firstVisit ?? todayIso());

  const submit = async () => {
    const f: Record<string, string> = {};
    if (!subjectId) f.subjectId = `Choose the ${subjectType} to inspect`;
    if (!kind.trim()) f.kind = 'Choose the kind of inspection';
    const dates = visits.filter(Boolean);
    if (visits.some((v) => v && !/^\d{4}-\d{2}-\d{2}$/.test(v))) f.siteVisits = 'Enter each visit as a real date, for example 03/03/2025';
    if (new Set(dates).size !== dates.length) f.siteVisits = 'Each site visit date should appear once';
    const members = team.filter((m) => m.name.trim() || m.role.trim());
    if (members.some((m) => !m.name.trim())) f.team = 'Give each team member’s name, or remove the row';
    setErrors(f);
    setMessage(undefined);
    if (Object.keys(f).length) return;
    setBusy(true);
    try {
      const created = await call('assessments.create', {
        subjectType,
        subjectId,
        kind: kind.trim(),
        title: title.trim() || null,
        frameworkVersionId: versionId || undefined,
        siteVisits: dates,
        team: members.map((m) => ({ name: m.name.trim(), role: m.role.trim() || null })),
        leadInspector: lead.trim() || null,
      });
      toast(`Inspection created for ${created.subjectName}`);
      props.onCreated(created.id);
    } catch (e) {
      const err = toIpcError(e);
      const fields = topLevel(err.fields);
      setErrors(fields);
      setMessage(Object.keys(fields).length ? undefined : err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="New inspection"
      size="large"
      onClose={props.onClose}
      description={props.subject ? `Of ${props.subject.name}. It starts as planned; its ratings are drafts until it is published.` : 'It starts as planned; its ratings are drafts until it is published.'}
      footer={<FormDialogFooter form="new-inspection" onCancel={props.onClose} busy={busy} label="Create inspection" busyLabel="Creating…" />}
    >
      <DialogForm id="new-inspection" onSubmit={submit}>
        <ErrorSummary message={message} errors={errors} labels={NEW_LABELS} />
        {!props.subject && (
          <div className="form-grid">
            <SelectField
              label="Subject type"
              value={subjectType}
              onChange={(v) => {
                const t = v as SubjectType;
                setSubjectType(t);
                setSubjectId('');
                setSubjectLabel('');
                setKind(KINDS[t][0]!);
                setVersionId('');
              }}
              options={[
                { value: 'location', label: 'Location' },
                { value: 'provider', label: 'Provider' },
                { value: 'local authority', label: 'Local authority' },
              ]}
            />
            {subjectType === 'local authority' ? (
              <SelectField
                label="Local authority"
                error={errors.subjectId}
                value={subjectId}
                onChange={(v) => (setSubjectId(v), clear('subjectId'))}
                empty="Choose a local authority…"
                options={(reference.data?.localAuthorities ?? []).map((l) => ({ value: l.id, label: l.name }))}
              />
            ) : (
              <SearchedSubjectPicker
                type={subjectType === 'provider' ? 'provider' : 'location'}
                value={subjectId}
                label={subjectLabel}
                error={errors.subjectId}
                onChange={(id, label) => (setSubjectId(id), setSubjectLabel(label), clear('subjectId'))}
              />
            )}
          </div>
        )}
        <div className="form-grid">
          <Field label="Kind of inspection" error={errors.kind}>
            {(c) => (
              <select {...c} className="select" value={kind} onChange={(e) => (setKind(e.target.value), clear('kind'))}>
                {KINDS[subjectType].map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Title" optional hint="Left blank, the kind and the subject’s name." error={errors.title}>
            {(c) => <input {...c} className="input" value={title} onChange={(e) => setTitle(e.target.value)} />}
          </Field>
        </div>
        <FieldGroup legend="Site visits" hint="The days the team is on site; the first sets the framework version in force." error={errors.siteVisits}>
          <ul className="repeat-list">
            {visits.map((v, i) => (
              <li key={i} className="repeat-list__row">
                <label className="visually-hidden" htmlFor={`visit-${i}`}>
                  Site visit {i + 1}
                </label>
                <input
                  id={`visit-${i}`}
                  type="date"
                  className="input input--date"
                  value={v}
                  onChange={(e) => (setVisits((vs) => vs.map((x, j) => (j === i ? e.target.value : x))), clear('siteVisits'))}
                />
                {visits.length > 1 && (
                  <button type="button" className="btn btn--small btn--ghost" aria-label={`Remove site visit ${i + 1}`} onClick={() => setVisits((vs) => vs.filter((_, j) => j !== i))}>
                    Remove
                  </button>
                )}
              </li>
            ))}
          </ul>
          <button type="button" className="btn btn--small btn--secondary" onClick={() => setVisits((vs) => [...vs, ''])}>
            <Icon name="plus" size={14} /> Add a site visit
          </button>
        </FieldGroup>
        <FieldGroup legend="Team" error={errors.team}>
          <ul className="repeat-list">
            {team.map((m, i) => (
              <li key={i} className="repeat-list__row">
                <label className="visually-hidden" htmlFor={`member-${i}`}>
                  Team member {i + 1} name
                </label>
                <input id={`member-${i}`} className="input" placeholder="Name" value={m.name} onChange={(e) => (setTeam((t) => t.map((x, j) => (j === i ? { ...x, name: e.target.value } : x))), clear('team'))} />
                <label className="visually-hidden" htmlFor={`member-role-${i}`}>
                  Team member {i + 1} role
                </label>
                <input id={`member-role-${i}`} className="input" placeholder="Role, e.g. Specialist adviser" value={m.role} onChange={(e) => setTeam((t) => t.map((x, j) => (j === i ? { ...x, role: e.target.value } : x)))} />
                <button type="button" className="btn btn--small btn--ghost" aria-label={`Remove team member ${i + 1}`} onClick={() => setTeam((t) => t.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="btn btn--small btn--secondary" onClick={() => setTeam((t) => [...t, { name: '', role: '' }])}>
            <Icon name="plus" size={14} /> Add a team member
          </button>
        </FieldGroup>
        <div className="form-grid">
          <Field label="Lead inspector" optional error={errors.leadInspector}>
            {(c) => <input {...c} className="input" value={lead} onChange={(e) => setLead(e.target.value)} />}
          </Field>
          <SelectField
            label="Framework version"
            error={errors.frameworkVersionId}
            hint={framework ? framework.name : undefined}
            value={versionId}
            onChange={(v) => (setVersionId(v), clear('frameworkVersionId'))}
            empty={inForce ? `In force on ${firstVisit ? 'the first visit' : 'today'}: ${inForce.name}` : 'In force on the first visit'}
            options={(framework?.versions ?? []).map((v) => ({ value: v.id, label: `${v.name}` }))}
          />
        </div>
      </DialogForm>
    </Dialog>
  );
}

// One inspection ------------------------------------------------------------------------------------------------------------

export function AssessmentScreen(props: { id: string; onBack: () => void; onOpenLocation: (id: string) => void }) {
  const res = useRequest('assessments.get', { id: props.id });
  const fw = useRequest('framework.get', {});
  const reference = useReference();
  const toast = useToast();
  const { navigate } = useNav();
  const [publishing, setPublishing] = useState(false);
  const [stepError, setStepError] = useState<string>();
  const [busy, setBusy] = useState(false);

  if (!res.data || !fw.data || !reference.data) return <RequestPending req={!res.data ? res : fw.data ? reference : fw} />;
  const d = res.data;
  const a = d.assessment;
  const framework = fw.data.frameworks.find((f) => f.id === d.framework.id);
  const version = framework?.versions.find((v) => v.id === d.framework.version.id);
  const i = STATUSES.indexOf(a.status);
  const next = STATUSES[i + 1];
  const prev = i > 0 && a.status !== 'published' ? STATUSES[i - 1] : undefined;
  const editable = a.status !== 'published';
  const keyQuestions = reference.data.keyQuestions;
  const kqName = (id: string) => keyQuestions.find((k) => k.id === id)?.name ?? framework?.groups.find((g) => g.keyQuestionId === id)?.name ?? capitalise(id);

  const step = async (status: Exclude<Status, 'published'>) => {
    setBusy(true);
    setStepError(undefined);
    try {
      await call('assessments.setStatus', { id: a.id, status });
      toast(`Inspection moved to ${status}`);
    } catch (e) {
      const err = toIpcError(e);
      setStepError(Object.values(err.fields ?? {})[0] ?? err.message);
    } finally {
      setBusy(false);
    }
  };

  // The report on this assessment (an inspection report for a service, an assessment report for a council), made from
  // the template that says it reports on this kind of subject and filled from the assessment; opened in the editor.
  const reportTemplate = templateForAssessment(a.subjectType);
  const writeReport = async (templateId: string) => {
    setBusy(true);
    try {
      const title = `${a.subjectType === 'local authority' ? councilInWords(a.subjectName) : a.subjectName}: ${a.kind.toLowerCase()} report`;
      const asAt = a.publishedOn ?? [...a.siteVisits].sort().pop() ?? todayIso();
      const r = await call('reports.create', { templateId, title, params: { assessment: a.id, asAt } });
      toast(`Report “${title}” created from this ${a.subjectType === 'location' ? 'inspection' : 'assessment'}`);
      navigate({ screen: 'reports', reportId: r.id });
    } catch (e) {
      toast(toIpcError(e).message, 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="assessment">
      <div className="assessment__head">
        <button type="button" className="btn btn--small btn--ghost" onClick={props.onBack}>
          <Icon name="back" size={14} /> All inspections
        </button>
        <div className="assessment__eyebrow">
          {capitalise(a.subjectType)} ·{' '}
          {a.subjectType === 'location' ? (
            <button type="button" className="link-btn" onClick={() => props.onOpenLocation(a.subjectId)}>
              {a.subjectName}
            </button>
          ) : (
            a.subjectName
          )}
        </div>
        <h2 className="assessment__title" id="assessment-title">
          {assessmentTitle(a)}
        </h2>
        {reportTemplate?.assessment && (
          <button type="button" className="btn btn--small btn--secondary assessment__report" disabled={busy} onClick={() => void writeReport(reportTemplate.id)}>
            <Icon name="reports" size={14} /> {reportTemplate.assessment.action}
          </button>
        )}
      </div>

      <section className="card assessment__section" aria-labelledby="a-status">
        <div className="card__header">
          <h3 id="a-status" className="card__title">
            Status
          </h3>
          <div className="assessment__actions">
            {prev && (
              <button type="button" className="btn btn--small btn--secondary" disabled={busy} onClick={() => void step(prev as Exclude<Status, 'published'>)}>
                Back to {prev}
              </button>
            )}
            {next && next !== 'published' && (
              <button type="button" className="btn btn--small btn--primary" disabled={busy} onClick={() => void step(next as Exclude<Status, 'published'>)}>
                {NEXT_LABEL[next]}
              </button>
            )}
            {next === 'published' && (
              <button type="button" className="btn btn--small btn--primary" onClick={() => setPublishing(true)}>
                Publish…
              </button>
            )}
          </div>
        </div>
        <div className="assessment__body">
          <ol className="steps" aria-label="Progress">
            {STATUSES.map((s, j) => (
              <li key={s} className={`steps__item${j < i ? ' steps__item--done' : ''}${j === i ? ' steps__item--current' : ''}`} aria-current={j === i ? 'step' : undefined}>
                <span className="steps__dot" aria-hidden="true">
                  {j < i ? <Icon name="check" size={12} /> : j + 1}
                </span>
                {capitalise(s)}
                {j < i && <span className="visually-hidden"> (done)</span>}
              </li>
            ))}
          </ol>
          {stepError && (
            <p className="field__error" role="alert">
              {stepError}
            </p>
          )}
          <dl className="facts">
            <div>
              <dt>Kind</dt>
              <dd>{a.kind}</dd>
            </div>
            <div>
              <dt>Site visits</dt>
              <dd>{a.siteVisits.length ? a.siteVisits.map((v) => formatDate(v)).join(', ') : 'None yet'}</dd>
            </div>
            <div>
              <dt>Lead inspector</dt>
              <dd>{a.leadInspector ?? '–'}</dd>
            </div>
            <div>
              <dt>Team</dt>
              <dd>{a.team.length ? a.team.map((m) => (m.role ? `${m.name} (${m.role})` : m.name)).join(', ') : '–'}</dd>
            </div>
            <div>
              <dt>Framework</dt>
              <dd>
                {d.framework.version.name}
                {d.framework.version.sourceUrl && (
                  <div className="muted small">
                    Rules as published:{' '}
                    <a href={d.framework.version.sourceUrl} target="_blank" rel="noreferrer">
                      {new URL(d.framework.version.sourceUrl).hostname}
                    </a>
                  </div>
                )}
              </dd>
            </div>
            <div>
              <dt>Published</dt>
              <dd>{a.publishedOn ? formatDate(a.publishedOn) : 'Not yet'}</dd>
            </div>
          </dl>
        </div>
      </section>

      {framework && version && <ScoreGrid detail={d} framework={framework} version={version} editable={editable} />}
      <DraftRatings detail={d} kqName={kqName} editable={editable} />
      {d.publishedRatings.length > 0 && <PublishedRatings detail={d} kqName={kqName} />}
      <AssessmentFindings detail={d} framework={framework} kqName={kqName} />
      <AssessmentEvidence detail={d} />
      {publishing && <PublishDialog detail={d} kqName={kqName} onClose={() => setPublishing(false)} />}
    </div>
  );
}

/** Each key question's (or theme's) quality statements with a score and a note, and what the rules give beside it. */
function ScoreGrid(props: { detail: AssessmentDetail; framework: Framework; version: Framework['versions'][number]; editable: boolean }) {
  const { detail, framework, version } = props;
  const cats = useRequest('framework.get', {}).data?.evidenceCategories ?? [];
  const byCategory = detail.framework.version.statementBasis === 'evidence categories';
  const stored = new Map(detail.scores.map((s) => [s.statementId, s]));
  const catScores = new Map(detail.categoryScores.map((s) => [`${s.statementId}|${s.categoryId}`, s.score]));
  const scoreOptions = Object.entries(version.rules.scores).sort(([x], [y]) => Number(x) - Number(y));
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [error, setError] = useState<Record<string, string>>({});
  // The score just chosen, shown until the host's answer arrives (and kept: it is then the same as the stored one).
  const [pending, setPending] = useState<Record<string, number | null>>({});

  const save = async (statementId: string, patch: { score?: number | null; categories?: Record<string, number | null>; note?: string | null }) => {
    setError(({ [statementId]: _gone, ...rest }) => rest);
    if (patch.score !== undefined) setPending((p) => ({ ...p, [statementId]: patch.score ?? null }));
    try {
      await call('scores.set', { assessmentId: detail.assessment.id, scores: [{ statementId, ...patch }] });
    } catch (e) {
      setPending(({ [statementId]: _gone, ...rest }) => rest);
      const err = toIpcError(e);
      setError((x) => ({ ...x, [statementId]: Object.values(err.fields ?? {})[0] ?? err.message }));
    }
  };
  const noteOf = (id: string) => notes[id] ?? stored.get(id)?.note ?? '';

  return (
    <section className="card assessment__section" aria-labelledby="a-scores">
      <div className="card__header">
        <h3 id="a-scores" className="card__title">
          Scores
        </h3>
        <span className="muted small">
          {Object.entries(version.rules.scores)
            .map(([k, v]) => `${k} ${v}`)
            .join(' · ')}
        </span>
      </div>
      <div className="assessment__body">
        <div className="score-overall" aria-live="polite">
          <span>Overall from the rules</span>
          {detail.result.overall.percent !== null && <span className="score-pct">{Math.round(detail.result.overall.percent)}%</span>}
          <RatingBadge rating={detail.result.overall.rating} />
          {detail.result.overall.limitedBy.length > 0 && <span className="muted small">Limited: {detail.result.overall.limitedBy.join('; ')}</span>}
        </div>
        {framework.groups.map((g) => {
          const r = detail.result.groups.find((x) => x.id === g.id);
          return (
            <section key={g.id} className="score-group" aria-labelledby={`g-${g.id}`}>
              <div className="score-group__head">
                <h4 id={`g-${g.id}`}>{g.name}</h4>
                <div className="score-group__result" aria-live="polite" data-testid={`result-${g.id}`}>
                  <span className="muted small">
                    {r ? `${r.scored} of ${r.statements} scored · ${r.total} of ${r.max}` : ''}
                  </span>
                  {r?.percent !== null && r?.percent !== undefined && <span className="score-pct">{Math.round(r.percent)}%</span>}
                  {r?.rating ? <RatingBadge rating={r.rating} /> : <span className="muted small">{version.rules.group ? 'Not rated yet' : 'Scored, not rated'}</span>}
                </div>
              </div>
              {r && r.limitedBy.length > 0 && (
                <p className="notice notice--warning small">
                  The bands give {r.bandRating}; limited to {r.rating}: {r.limitedBy.join('; ')}
                </p>
              )}
              <table className="table table--compact score-table">
                <thead>
                  <tr>
                    <th scope="col">Quality statement</th>
                    {byCategory ? (
                      cats.map((c) => (
                        <th key={c.id} scope="col" className="score-table__cat">
                          {c.name}
                        </th>
                      ))
                    ) : (
                      <th scope="col">Score</th>
                    )}
                    {byCategory && <th scope="col">Statement score</th>}
                    <th scope="col">Note</th>
                  </tr>
                </thead>
                <tbody>
                  {g.statements.map((s) => {
                    const st = stored.get(s.id);
                    return (
                      <tr key={s.id}>
                        <th scope="row" className="score-table__statement">
                          {s.name}
                          {error[s.id] && (
                            <div className="field__error" role="alert">
                              {error[s.id]}
                            </div>
                          )}
                        </th>
                        {byCategory ? (
                          cats.map((c) => (
                            <td key={c.id}>
                              <select
                                className="select select--small"
                                aria-label={`${s.name}: ${c.name}`}
                                disabled={!props.editable}
                                value={catScores.get(`${s.id}|${c.id}`) ?? ''}
                                onChange={(e) => void save(s.id, { categories: { [c.id]: e.target.value ? Number(e.target.value) : null } })}
                              >
                                <option value="">–</option>
                                {scoreOptions.map(([k]) => (
                                  <option key={k} value={k}>
                                    {k}
                                  </option>
                                ))}
                              </select>
                            </td>
                          ))
                        ) : (
                          <td>
                            <select
                              className="select select--small"
                              aria-label={`Score: ${s.name}`}
                              disabled={!props.editable}
                              value={(s.id in pending ? pending[s.id] : st?.score) ?? ''}
                              onChange={(e) => void save(s.id, { score: e.target.value ? Number(e.target.value) : null, note: noteOf(s.id).trim() || null })}
                            >
                              <option value="">Not scored</option>
                              {scoreOptions.map(([k, label]) => (
                                <option key={k} value={k}>
                                  {k} – {label}
                                </option>
                              ))}
                            </select>
                          </td>
                        )}
                        {byCategory && <td className="num">{st?.score ?? '–'}</td>}
                        <td>
                          <input
                            className="input input--small"
                            aria-label={`Note: ${s.name}`}
                            disabled={!props.editable || (!st && !byCategory)}
                            placeholder={st ? 'Why this score' : 'Score first'}
                            value={noteOf(s.id)}
                            onChange={(e) => setNotes((n) => ({ ...n, [s.id]: e.target.value }))}
                            onBlur={() => {
                              if (st && !st.derived && notes[s.id] !== undefined && notes[s.id] !== (st.note ?? '')) void save(s.id, { score: st.score, note: notes[s.id]!.trim() || null });
                            }}
                          />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
          );
        })}
        {detail.result.notes.length > 0 && (
          <ul className="muted small">
            {detail.result.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

/** The team's draft ratings, prefilled from the rules; a different rating needs its reason. Never counted by figures. */
function DraftRatings(props: { detail: AssessmentDetail; kqName: (id: string) => string; editable: boolean }) {
  const { detail } = props;
  const toast = useToast();
  const [edits, setEdits] = useState<Record<string, { rating: string; reason: string }>>({});
  const { errors, setErrors, message, setMessage, busy, setBusy } = useFormErrors();
  const reference = useReference();
  const rows = useMemo(() => byKeyQuestion(detail.draftRatings, reference.data?.keyQuestions ?? []), [detail.draftRatings, reference.data]);
  const scale = reference.data?.ratingValues.filter((v) => v.onScale && v.scaleId === reference.data?.keyQuestions[0]?.scaleId) ?? [];
  const current = (id: string) => edits[id] ?? { rating: detail.draftRatings.find((r) => r.keyQuestionId === id)?.rating ?? '', reason: detail.draftRatings.find((r) => r.keyQuestionId === id)?.reason ?? '' };

  const save = async () => {
    const changed = rows.filter((r) => edits[r.keyQuestionId]);
    const f: Record<string, string> = {};
    for (const r of changed) {
      const e = edits[r.keyQuestionId]!;
      if (e.rating && e.rating !== r.computed && !e.reason.trim()) f[r.keyQuestionId] = `Say why the rating differs from ${r.computed ?? 'the scores'}`;
    }
    setErrors(f);
    setMessage(undefined);
    if (Object.keys(f).length || changed.length === 0) return;
    setBusy(true);
    try {
      await call('draftRatings.set', {
        assessmentId: detail.assessment.id,
        ratings: changed.map((r) => ({ keyQuestionId: r.keyQuestionId, rating: edits[r.keyQuestionId]!.rating || null, reason: edits[r.keyQuestionId]!.reason.trim() || null })),
      });
      setEdits({});
      toast('Draft ratings saved');
    } catch (e) {
      const err = toIpcError(e);
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries(err.fields ?? {})) {
        const m = /^ratings\.(\d+)\./.exec(k);
        const kq = m ? changed[Number(m[1])]?.keyQuestionId : undefined;
        fields[kq ?? k] = v;
      }
      setErrors(fields);
      setMessage(Object.keys(fields).length ? undefined : err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card assessment__section" aria-labelledby="a-drafts">
      <div className="card__header">
        <h3 id="a-drafts" className="card__title">
          Draft ratings
        </h3>
        <span className="muted small">Visible to this inspection only; never counted by figures until published.</span>
      </div>
      <div className="assessment__body">
        {rows.length === 0 ? (
          <p className="muted">Score quality statements and the rules’ ratings appear here, ready to accept or change.</p>
        ) : (
          <DialogForm id="draft-ratings" onSubmit={save}>
            <ErrorSummary message={message} errors={errors} labels={Object.fromEntries(rows.map((r) => [r.keyQuestionId, props.kqName(r.keyQuestionId)]))} />
            <table className="table table--compact draft-table" aria-label="Draft ratings">
              <thead>
                <tr>
                  <th scope="col">Key question</th>
                  <th scope="col">From the rules</th>
                  <th scope="col">Draft rating</th>
                  <th scope="col">Reason for a different rating</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const c = current(r.keyQuestionId);
                  const differs = !!c.rating && c.rating !== r.computed;
                  const name = props.kqName(r.keyQuestionId);
                  return (
                    <tr key={r.keyQuestionId} className={r.keyQuestionId === 'overall' ? 'draft-table__overall' : undefined}>
                      <th scope="row">{name}</th>
                      <td>
                        <RatingBadge rating={r.computed} />
                        {r.scorePercent !== null && <span className="muted small"> {Math.round(r.scorePercent)}%</span>}
                      </td>
                      <td>
                        <select
                          className="select select--small"
                          aria-label={`Draft rating: ${name}`}
                          disabled={!props.editable}
                          value={c.rating}
                          onChange={(e) => setEdits((x) => ({ ...x, [r.keyQuestionId]: { ...c, rating: e.target.value } }))}
                        >
                          {scale.map((v) => (
                            <option key={v.label} value={v.label}>
                              {v.label}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td className={errors[r.keyQuestionId] ? 'field--error' : undefined}>
                        {errors[r.keyQuestionId] && (
                          <div className="field__error" id={`reason-err-${r.keyQuestionId}`}>
                            <span className="visually-hidden">Error: </span>
                            {errors[r.keyQuestionId]}
                          </div>
                        )}
                        {differs || c.reason ? (
                          <input
                            className="input input--small"
                            aria-label={`Reason: ${name}`}
                            aria-invalid={errors[r.keyQuestionId] ? true : undefined}
                            aria-describedby={errors[r.keyQuestionId] ? `reason-err-${r.keyQuestionId}` : undefined}
                            disabled={!props.editable}
                            value={c.reason}
                            onChange={(e) => setEdits((x) => ({ ...x, [r.keyQuestionId]: { ...c, reason: e.target.value } }))}
                          />
                        ) : (
                          <span className="muted small">As the rules give</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {props.editable && (
              <div className="form-actions">
                <button type="submit" className="btn btn--primary btn--small" disabled={busy || Object.keys(edits).length === 0}>
                  {busy ? 'Saving…' : 'Save draft ratings'}
                </button>
              </div>
            )}
          </DialogForm>
        )}
      </div>
    </section>
  );
}

function PublishedRatings(props: { detail: AssessmentDetail; kqName: (id: string) => string }) {
  return (
    <section className="card assessment__section" aria-labelledby="a-published">
      <div className="card__header">
        <h3 id="a-published" className="card__title">
          Published ratings
        </h3>
        <span className="muted small">Counted by figures from their publication date.</span>
      </div>
      <div className="assessment__body">
        <table className="table table--compact" aria-label="Published ratings">
          <thead>
            <tr>
              <th scope="col">Key question</th>
              <th scope="col">Rating</th>
              <th scope="col">Published</th>
            </tr>
          </thead>
          <tbody>
            {props.detail.publishedRatings.map((r) => (
              <tr key={r.id}>
                <th scope="row">{r.keyQuestion || props.kqName(r.keyQuestionId)}</th>
                <td>
                  <RatingBadge rating={r.rating} />
                  {r.correctedAt && <div className="muted small">Corrected {formatDate(r.correctedAt.slice(0, 10))}: {r.correctionReason}</div>}
                </td>
                <td className="nowrap">{formatDate(r.publishedOn)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function PublishDialog(props: { detail: AssessmentDetail; kqName: (id: string) => string; onClose: () => void }) {
  const { detail } = props;
  const a = detail.assessment;
  const toast = useToast();
  const [date, setDate] = useState(todayIso());
  const { errors, setErrors, message, setMessage, busy, setBusy, fail } = useFormErrors();
  const reference = useReference();
  const ratings = byKeyQuestion(detail.draftRatings, reference.data?.keyQuestions ?? []);
  const submit = async () => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      setErrors({ publishedOn: 'Enter the publication date, for example 01/05/2025' });
      return;
    }
    setErrors({});
    setMessage(undefined);
    setBusy(true);
    try {
      await call('assessments.publish', { id: a.id, publishedOn: date, confirm: true });
      toast(`Published: ${assessmentTitle(a)}`);
      props.onClose();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title="Publish this inspection?"
      onClose={props.onClose}
      description={
        a.subjectType === 'location'
          ? `These ratings of ${a.subjectName} become published ratings, dated ${date ? formatDate(date) : 'the publication date'}, and figures count them from then on. Scores and draft ratings can no longer change; a published rating can only be corrected, with a reason.`
          : `${assessmentTitle(a)} becomes published. Scores and draft ratings can no longer change.`
      }
      footer={<FormDialogFooter form="publish-form" onCancel={props.onClose} busy={busy} label="Publish ratings" busyLabel="Publishing…" />}
    >
      <DialogForm id="publish-form" onSubmit={submit}>
        <ErrorSummary message={message} errors={errors} labels={{ publishedOn: 'Published on' }} />
        <table className="table table--compact" aria-label="Ratings to publish">
          <thead>
            <tr>
              <th scope="col">Key question</th>
              <th scope="col">Rating</th>
            </tr>
          </thead>
          <tbody>
            {ratings.map((r) => (
              <tr key={r.keyQuestionId}>
                <th scope="row">{props.kqName(r.keyQuestionId)}</th>
                <td>
                  <RatingBadge rating={r.rating} />
                  {r.reason && <div className="muted small">Differs from the rules: {r.reason}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Field label="Published on" className="field--spaced" error={errors.publishedOn} hint="Figures “as at” a date count these ratings from this date.">
          {(c) => <input {...c} type="date" className="input input--date" value={date} onChange={(e) => setDate(e.target.value)} />}
        </Field>
      </DialogForm>
    </Dialog>
  );
}

// Findings and evidence ---------------------------------------------------------------------------------------------------

const JUDGEMENT_TONE = { strength: 'success', concern: 'danger', recommendation: 'accent' } as const;

function AssessmentFindings(props: { detail: AssessmentDetail; framework: Framework | undefined; kqName: (id: string) => string }) {
  const a = props.detail.assessment;
  const res = useRequest('findings.list', { assessmentId: a.id });
  const [adding, setAdding] = useState(false);
  const statementName = (id: string | null) => (id ? props.framework?.groups.flatMap((g) => g.statements).find((s) => s.id === id)?.name : undefined);
  const rows = res.data?.rows ?? [];
  const groups = props.framework?.groups ?? [];
  const groupOf = (f: (typeof rows)[number]) =>
    groups.find((g) => (f.keyQuestionId && g.keyQuestionId === f.keyQuestionId) || g.statements.some((s) => s.id === f.qualityStatementId))?.id ?? '';
  const buckets = [...groups.map((g) => ({ id: g.id, name: g.name })), { id: '', name: 'Not linked to a key question' }]
    .map((g) => ({ ...g, rows: rows.filter((f) => groupOf(f) === g.id) }))
    .filter((g) => g.rows.length);
  return (
    <section className="card assessment__section" aria-labelledby="a-findings">
      <div className="card__header">
        <h3 id="a-findings" className="card__title">
          Findings
        </h3>
        <button type="button" className="btn btn--small btn--primary" onClick={() => setAdding(true)}>
          <Icon name="plus" size={14} /> Add finding
        </button>
      </div>
      <div className="assessment__body">
        {!res.data ? (
          <RequestPending req={res} />
        ) : rows.length === 0 ? (
          <p className="muted">No findings yet. Add each one under the key question and quality statement it is about, with its evidence.</p>
        ) : (
          buckets.map((b) => (
            <div key={b.id} className="finding-group">
              <h4 className="finding-group__title">{b.name}</h4>
              <ul className="finding-list" aria-label={`Findings: ${b.name}`}>
                {b.rows.map((f) => (
                  <li key={f.id} className="finding">
                    <div className="finding__meta">
                      <Tag tone={JUDGEMENT_TONE[f.judgement as keyof typeof JUDGEMENT_TONE] ?? 'neutral'}>{capitalise(f.judgement)}</Tag>
                      {statementName(f.qualityStatementId) && <span className="finding__theme">{statementName(f.qualityStatementId)}</span>}
                    </div>
                    <p className="finding__text">{f.text}</p>
                    <div className="finding__foot">
                      <span className="muted small">
                        {capitalise(f.status)} · {f.evidenceIds.length === 0 ? <strong className="warn-text">no evidence cited</strong> : plural(f.evidenceIds.length, 'evidence source')}
                        {f.author ? ` · ${f.author}` : ''}
                      </span>
                    </div>
                  </li>
                ))}
              </ul>
            </div>
          ))
        )}
      </div>
      {adding && <AssessmentFindingForm detail={props.detail} framework={props.framework} kqName={props.kqName} onClose={() => setAdding(false)} />}
    </section>
  );
}

function AssessmentFindingForm(props: { detail: AssessmentDetail; framework: Framework | undefined; kqName: (id: string) => string; onClose: () => void }) {
  const a = props.detail.assessment;
  const toast = useToast();
  const groups = props.framework?.groups ?? [];
  const [groupId, setGroupId] = useState('');
  const [statementId, setStatementId] = useState('');
  const [judgement, setJudgement] = useState<(typeof JUDGEMENTS)[number] | ''>('');
  const [text, setText] = useState('');
  const [evidenceIds, setEvidenceIds] = useState<string[]>([]);
  const { errors, setErrors, message, setMessage, busy, setBusy, clear, fail } = useFormErrors();
  const group = groups.find((g) => g.id === groupId);

  const submit = async () => {
    const f: Record<string, string> = {};
    if (!groupId) f.keyQuestionId = 'Choose the key question (or theme) this finding is about';
    if (!judgement) f.judgement = 'Choose whether this is a strength, a concern or a recommendation';
    if (!text.trim()) f.text = 'Write the finding';
    else if (text.trim().length < 10) f.text = 'Write the finding as a full sentence';
    setErrors(f);
    setMessage(undefined);
    if (Object.keys(f).length || !judgement) return;
    setBusy(true);
    try {
      const subject = a.subjectType === 'location' || a.subjectType === 'provider' ? { subjectType: a.subjectType, subjectId: a.subjectId } : { subjectType: 'national' as const, subjectId: null };
      await call('findings.save', {
        ...subject,
        judgement,
        status: 'draft',
        text: text.trim(),
        evidenceIds,
        assessmentId: a.id,
        keyQuestionId: group?.keyQuestionId ?? null,
        qualityStatementId: statementId || null,
      });
      toast('Finding added');
      props.onClose();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Add a finding"
      size="large"
      onClose={props.onClose}
      description={`For ${assessmentTitle(a)}.`}
      footer={<FormDialogFooter form="a-finding-form" onCancel={props.onClose} busy={busy} label="Add finding" />}
    >
      <DialogForm id="a-finding-form" onSubmit={submit}>
        <ErrorSummary message={message} errors={errors} labels={{ keyQuestionId: 'Key question', qualityStatementId: 'Quality statement', judgement: 'Judgement', text: 'Finding', evidenceIds: 'Evidence' }} />
        <div className="form-grid">
          <SelectField
            label={groups.some((g) => g.keyQuestionId) ? 'Key question' : 'Theme'}
            error={errors.keyQuestionId}
            value={groupId}
            onChange={(v) => (setGroupId(v), setStatementId(''), clear('keyQuestionId'))}
            empty="Choose…"
            options={groups.map((g) => ({ value: g.id, label: g.name }))}
          />
          <SelectField
            label="Quality statement"
            optional
            error={errors.qualityStatementId}
            value={statementId}
            disabled={!group}
            onChange={setStatementId}
            empty={group ? 'The key question as a whole' : 'Choose a key question first'}
            options={(group?.statements ?? []).map((s) => ({ value: s.id, label: s.name }))}
          />
        </div>
        <FindingBodyFields
          name="a-judgement"
          rows={3}
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

function AssessmentEvidence(props: { detail: AssessmentDetail }) {
  const ids = props.detail.evidenceIds;
  const all = useRequest('evidence.list', { limit: 10_000 });
  const [adding, setAdding] = useState(false);
  const rows = useMemo(() => {
    const wanted = new Set(ids);
    return (all.data?.rows ?? []).filter((e) => wanted.has(e.id));
  }, [all.data, ids]);
  return (
    <section className="card assessment__section" aria-labelledby="a-evidence">
      <div className="card__header">
        <h3 id="a-evidence" className="card__title">
          Evidence
        </h3>
        <button type="button" className="btn btn--small btn--primary" onClick={() => setAdding(true)}>
          <Icon name="plus" size={14} /> Add evidence
        </button>
      </div>
      <div className="assessment__body">
        {!all.data ? <RequestPending req={all} /> : <EvidenceTable rows={rows} label="Evidence of this inspection" empty="No evidence collected for this inspection yet." />}
      </div>
      {adding && <AssessmentEvidenceForm detail={props.detail} onClose={() => setAdding(false)} />}
    </section>
  );
}

export function EvidenceTable(props: { rows: RequestOutputs['evidence.list']['rows']; label: string; empty: string }) {
  if (props.rows.length === 0) return <p className="muted">{props.empty}</p>;
  return (
    <table className="table table--compact" aria-label={props.label}>
      <thead>
        <tr>
          <th scope="col">Evidence</th>
          <th scope="col">Kind</th>
          <th scope="col">Collected</th>
          <th scope="col">Sensitivity</th>
          <th scope="col">Attachment</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((e) => (
          <tr key={e.id}>
            <td>
              {e.title}
              {e.reference && <div className="muted small">{e.reference}</div>}
            </td>
            <td>{capitalise(e.kind)}</td>
            <td className="nowrap">
              {formatDate(e.collectedOn, 'short')}
              {e.collectedBy && <div className="muted small">{e.collectedBy}</div>}
            </td>
            <td>
              <SensitivityTag sensitivity={e.sensitivity} />
            </td>
            <td>
              {e.attachmentName ? (
                <AttachmentLink evidenceId={e.id} name={e.attachmentName} hash={e.attachmentHash} />
              ) : (
                <span className="muted">–</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AssessmentEvidenceForm(props: { detail: AssessmentDetail; onClose: () => void }) {
  const a = props.detail.assessment;
  const toast = useToast();
  const cats = useRequest('framework.get', {}).data?.evidenceCategories ?? [];
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<(typeof EVIDENCE_KINDS)[number]>('observation');
  const [category, setCategory] = useState('');
  const [collectedOn, setCollectedOn] = useState(a.siteVisits[0] ?? '');
  const [sensitivity, setSensitivity] = useState<(typeof SENSITIVITIES)[number]>('official');
  const [summary, setSummary] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const { errors, setErrors, message, setMessage, busy, setBusy, clear, fail } = useFormErrors();

  const submit = async () => {
    const f: Record<string, string> = {};
    if (!title.trim()) f.title = 'Give the evidence a title';
    setErrors(f);
    setMessage(undefined);
    if (Object.keys(f).length) return;
    setBusy(true);
    try {
      const attachment = file ? { name: file.name, mediaType: file.type || 'application/octet-stream', base64: await toBase64(file) } : undefined;
      await call('evidence.save', {
        kind,
        title: title.trim(),
        summary: summary.trim() || null,
        collectedOn: collectedOn || null,
        sensitivity,
        assessmentId: a.id,
        locationId: a.subjectType === 'location' ? a.subjectId : null,
        evidenceCategoryId: category || null,
        attachment,
      });
      toast('Evidence added');
      props.onClose();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Add evidence"
      size="large"
      onClose={props.onClose}
      description={`Collected for ${assessmentTitle(a)}.`}
      footer={<FormDialogFooter form="a-evidence-form" onCancel={props.onClose} busy={busy} label="Add evidence" />}
    >
      <DialogForm id="a-evidence-form" onSubmit={submit}>
        <ErrorSummary message={message} errors={errors} labels={{ title: 'Title', attachment: 'Attachment', evidenceCategoryId: 'Evidence category', collectedOn: 'Collected on' }} />
        <Field label="Title" error={errors.title}>
          {(c) => <input {...c} className="input" value={title} onChange={(e) => (setTitle(e.target.value), clear('title'))} />}
        </Field>
        <div className="form-grid">
          <SelectField label="Kind" value={kind} onChange={(v) => setKind(v as (typeof EVIDENCE_KINDS)[number])} options={EVIDENCE_KINDS.map((k) => ({ value: k, label: capitalise(k) }))} />
          <SelectField label="Evidence category" optional error={errors.evidenceCategoryId} value={category} onChange={setCategory} empty="None" options={cats.map((c) => ({ value: c.id, label: c.name }))} />
          <Field label="Collected on" optional error={errors.collectedOn}>
            {(c) => <input {...c} type="date" className="input input--date" value={collectedOn} onChange={(e) => setCollectedOn(e.target.value)} />}
          </Field>
          <SelectField label="Sensitivity" value={sensitivity} onChange={(v) => setSensitivity(v as (typeof SENSITIVITIES)[number])} options={SENSITIVITIES.map((s) => ({ value: s, label: capitalise(s) }))} />
        </div>
        <Field label="Summary" optional>
          {(c) => <textarea {...c} className="textarea" rows={2} value={summary} onChange={(e) => setSummary(e.target.value)} />}
        </Field>
        <Field label="Attachment" optional error={errors.attachment} hint="Stored in the workspace once per content hash.">
          {(c) => <input {...c} type="file" className="input" onChange={(e) => (setFile(e.target.files?.[0] ?? null), clear('attachment'))} />}
        </Field>
      </DialogForm>
    </Dialog>
  );
}

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('The file could not be read.'));
    r.readAsDataURL(file);
  });
}

/** Assessments of one subject (a location's page). */
export function useAssessmentsOf(subjectType: SubjectType, subjectId: string) {
  return useRequest('assessments.list', { subjectType, subjectId, limit: 200 });
}

