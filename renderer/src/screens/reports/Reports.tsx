import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type ComponentType } from 'react';
import type { ReportSummary } from '../../../../shared/ipc/contract';
import { call, toIpcError, useRequest } from '../../lib/api';
import { formatDate, formatRelative, plural } from '../../lib/format';
import { routeToHash, useNav, type Route } from '../../lib/route';
import { useFormErrors } from '../../lib/forms';
import { EmptyState, Icon, LoadingBlock, PageHeader, RequestPending, Tag } from '../../ui/bits';
import { Dialog, DialogForm, FormDialogFooter } from '../../ui/Dialog';
import { ErrorSummary, Field } from '../../ui/Field';
import { useToast } from '../../ui/Toast';
import { ExportDialog } from './ExportDialog';
import { BlacklinePanel } from './BlacklinePanel';
import { PublicationDialog } from './PublicationDialog';
import { nextEditionParams, nextEditionTitle } from '../../../../shared/document/editions';

/** What the editor is asked to show (its own type lives with the lazily loaded editor). */
export interface FigureFocus {
  sectionId: string;
  figureIndex: number;
  token: number;
}

/**
 * The report editor is built separately; a glob import resolves to nothing when its module is absent, so the shell
 * builds either way and shows the section outline instead of failing.
 */
const editorModules = import.meta.glob<{
  ReportEditor: ComponentType<{
    reportId: string;
    focus?: FigureFocus | undefined;
    initialSectionId?: string | undefined;
    focusComment?: string | undefined;
    onSection?: ((sectionId: string) => void) | undefined;
  }>;
}>('../../editor/ReportEditor.tsx');
const editorLoader = Object.values(editorModules)[0];
const ReportEditor = editorLoader ? lazy(async () => ({ default: (await editorLoader()).ReportEditor })) : null;

type ReportsRoute = Extract<Route, { screen: 'reports' }>;

export default function Reports(props: { route: ReportsRoute }) {
  const { navigate } = useNav();
  const { route } = props;
  const [creating, setCreating] = useState(!!route.create);
  // Asked again (menu, home) while this screen is already showing: the route object is new each time.
  useEffect(() => {
    if (route.create) setCreating(true);
  }, [route]);
  if (route.reportId) return <OpenReport key={route.reportId} reportId={route.reportId} sectionId={route.sectionId} commentId={route.commentId} exportOpen={!!route.exportOpen} exportRequest={route.exportRequest} />;
  return (
    <>
      <ReportList onCreate={() => setCreating(true)} onOpen={(id) => navigate({ screen: 'reports', reportId: id })} />
      {creating && (
        <NewReportDialog
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            navigate({ screen: 'reports', reportId: id });
          }}
        />
      )}
    </>
  );
}

const STATUS_TONE = { draft: 'neutral', 'in review': 'warning', approved: 'success' } as const;

function statusSummary(r: ReportSummary): string {
  const approved = r.sections.filter((s) => s.status === 'approved').length;
  const review = r.sections.filter((s) => s.status === 'in review').length;
  return [plural(r.sections.length, 'section'), approved ? `${approved} approved` : '', review ? `${review} in review` : ''].filter(Boolean).join(' · ');
}

function ReportList(props: { onCreate: () => void; onOpen: (id: string) => void }) {
  const res = useRequest('reports.list', {});
  return (
    <div className="page">
      <PageHeader
        title="Reports"
        description="Reports whose numbers are live figures bound to the data. Next year’s edition is the same report with new parameters."
        actions={
          <button type="button" className="btn btn--primary" onClick={props.onCreate}>
            <Icon name="plus" size={16} /> New report
          </button>
        }
      />
      {!res.data ? (
        <RequestPending req={res} />
      ) : res.data.reports.length === 0 ? (
        <EmptyState
          title="No reports yet"
          action={
            <button type="button" className="btn btn--primary" onClick={props.onCreate}>
              Create a report from a template
            </button>
          }
        >
          Templates give you the sections, suggested figures and house style of a State of Care report, a local system review or an inspection report.
        </EmptyState>
      ) : (
        <ul className="report-grid">
          {res.data.reports.map((r) => (
            <li key={r.id}>
              <button type="button" className="report-card" onClick={() => props.onOpen(r.id)}>
                <span className="report-card__title">{r.title}</span>
                {r.subtitle && <span className="report-card__subtitle">{r.subtitle}</span>}
                <span className="report-card__params">
                  {Object.entries(r.params).map(([k, v]) => (
                    <Tag key={k}>
                      {paramLabel(k)}: {/^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDate(v) : v}
                    </Tag>
                  ))}
                </span>
                <span className="report-card__meta">
                  {statusSummary(r)} · updated {formatRelative(r.updatedAt)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function paramLabel(k: string): string {
  if (k === 'asAt') return 'As at';
  if (k === 'previousAsAt') return 'Compared with';
  return k.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());
}

/** A report on one inspection (or a council's assessment) says which, by its subject, not its id. */
function AssessmentParam(props: { id: string }) {
  const a = useRequest('assessments.get', { id: props.id });
  const rec = a.data?.assessment;
  return <Tag>{rec && rec.subjectType !== 'location' ? 'Assessment' : 'Inspection'}: {rec ? `${rec.subjectName}, ${rec.status === 'published' && rec.publishedOn ? `published ${formatDate(rec.publishedOn)}` : rec.status}` : a.status === 'error' ? 'not found' : '…'}</Tag>;
}

function NewReportDialog(props: { onClose: () => void; onCreated: (id: string) => void }) {
  const templates = useRequest('templates.list', {});
  const toast = useToast();
  const [templateId, setTemplateId] = useState('');
  const [title, setTitle] = useState('');
  const [asAt, setAsAt] = useState('');
  const [previousAsAt, setPreviousAsAt] = useState('');
  const { errors, setErrors, message, setMessage, busy, setBusy, clear, fail } = useFormErrors();
  const chosen = templates.data?.templates.find((t) => t.id === templateId);

  const submit = async () => {
    const f: Record<string, string> = {};
    if (!templateId) f.templateId = 'Choose a template';
    if (!title.trim()) f.title = 'Enter a title for the report';
    if (previousAsAt && asAt && previousAsAt >= asAt) f.previousAsAt = 'The comparison date must be before the “as at” date';
    setErrors(f);
    setMessage(undefined);
    if (Object.keys(f).length) return;
    const params: Record<string, string> = {};
    if (asAt) params.asAt = asAt;
    if (previousAsAt) params.previousAsAt = previousAsAt;
    setBusy(true);
    try {
      const r = await call('reports.create', { templateId, title: title.trim(), params: Object.keys(params).length ? params : undefined });
      toast(`Report “${title.trim()}” created`);
      props.onCreated(r.id);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="New report"
      size="large"
      onClose={props.onClose}
      footer={<FormDialogFooter form="new-report-form" onCancel={props.onClose} busy={busy} label="Create report" busyLabel="Creating…" />}
    >
      <DialogForm id="new-report-form" onSubmit={submit}>
        <ErrorSummary message={message} errors={errors} labels={{ templateId: 'Template', title: 'Title', asAt: 'As at', previousAsAt: 'Compared with' }} />
        <fieldset className={`field fieldset${errors.templateId ? ' field--error' : ''}`}>
          <legend className="field__label">Template</legend>
          {errors.templateId && <div className="field__error">{errors.templateId}</div>}
          {!templates.data ? (
            <RequestPending req={templates} />
          ) : (
            <div className="template-grid">
              {templates.data.templates.map((t) => (
                <label key={t.id} className={`template-option${templateId === t.id ? ' template-option--selected' : ''}`}>
                  <input
                    type="radio"
                    name="template"
                    value={t.id}
                    checked={templateId === t.id}
                    onChange={() => {
                      setTemplateId(t.id);
                      clear('templateId');
                      clear('title');
                      if (!title.trim()) setTitle(t.name);
                    }}
                  />
                  <span className="template-option__name">{t.name}</span>
                  <span className="template-option__desc">{t.description}</span>
                  <span className="template-option__meta">{plural(t.sections.length, 'section')}</span>
                </label>
              ))}
            </div>
          )}
        </fieldset>
        {chosen && (
          <details className="template-sections">
            <summary>Sections in “{chosen.name}”</summary>
            <ol>
              {chosen.sections.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ol>
          </details>
        )}
        <Field label="Title" error={errors.title}>
          {(c) => <input {...c} className="input" value={title} onChange={(e) => (setTitle(e.target.value), clear('title'))} />}
        </Field>
        <div className="form-grid">
          <Field label="As at" optional error={errors.asAt} hint="Figures use the latest ratings published on or before this date.">
            {(c) => <input {...c} type="date" className="input input--date" value={asAt} onChange={(e) => setAsAt(e.target.value)} />}
          </Field>
          <Field label="Compared with" optional error={errors.previousAsAt} hint="For year-on-year figures, usually a year earlier.">
            {(c) => <input {...c} type="date" className="input input--date" value={previousAsAt} onChange={(e) => (setPreviousAsAt(e.target.value), clear('previousAsAt'))} />}
          </Field>
        </div>
      </DialogForm>
    </Dialog>
  );
}

function OpenReport(props: { reportId: string; sectionId?: string | undefined; commentId?: string | undefined; exportOpen: boolean; exportRequest?: number }) {
  const { navigate } = useNav();
  const [exporting, setExporting] = useState(props.exportOpen);
  const [editingParams, setEditingParams] = useState(false);
  const [makingEdition, setMakingEdition] = useState(false);
  const [editingPublication, setEditingPublication] = useState(false);
  const [focus, setFocus] = useState<FigureFocus | undefined>(undefined);
  // The open section goes into this history entry's route, so a reload or Back comes back to it.
  const rememberSection = useCallback((sectionId: string) => {
    const state = window.history.state as { route?: Route } | null;
    if (state?.route?.screen === 'reports' && state.route.reportId === props.reportId && state.route.sectionId !== sectionId) {
      const route: Route = { ...state.route, sectionId };
      window.history.replaceState({ ...state, route }, '', routeToHash(route));
    }
  }, [props.reportId]);
  useEffect(() => {
    if (props.exportRequest) setExporting(true);
  }, [props.exportRequest]);
  const res = useRequest('reports.get', { id: props.reportId });
  const report = res.data;
  const params = useMemo(() => Object.entries(report?.params ?? {}), [report]);
  return (
    <div className={`page page--wide${ReportEditor ? ' page--fill' : ''}`}>
      <div className="report-bar">
        <button type="button" className="btn btn--ghost btn--small" onClick={() => navigate({ screen: 'reports' })}>
          <Icon name="back" size={16} /> All reports
        </button>
        <div className="report-bar__title">
          <h1 className="report-bar__h1" tabIndex={-1} data-page-title>
            {report?.title ?? 'Report'}
          </h1>
          <span className="report-bar__params">
            {params.map(([k, v]) =>
              k === 'assessment' ? (
                <AssessmentParam key={k} id={v} />
              ) : (
                <Tag key={k}>
                  {paramLabel(k)}: {/^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDate(v) : v}
                </Tag>
              ),
            )}
            {report && (
              <button type="button" className="btn btn--ghost btn--small" onClick={() => setEditingParams(true)} data-testid="edit-params">
                {params.length ? 'Change…' : 'Set parameters…'}
              </button>
            )}
          </span>
        </div>
        {report && (
          <button type="button" className="btn btn--secondary" onClick={() => setMakingEdition(true)} data-testid="new-edition">
            New edition…
          </button>
        )}
        {report && (
          <button type="button" className="btn btn--secondary" onClick={() => setEditingPublication(true)} data-testid="publication-details">
            Publication details…
          </button>
        )}
        {report && <ChangeRuleSetting reportId={report.id} value={report.settings.changes} onChanged={res.reload} />}
        <button type="button" className="btn btn--primary" onClick={() => setExporting(true)} disabled={!report}>
          <Icon name="export" size={16} /> Export…
        </button>
      </div>
      {!report ? (
        <RequestPending req={res} label="Opening report…" />
      ) : ReportEditor ? (
        <Suspense fallback={<LoadingBlock label="Loading the editor…" />}>
          <div className="editor-host">
            {report.previousEdition && (
              <BlacklinePanel reportId={report.id} previousTitle={report.previousEdition.title} onShow={(sectionId, figureIndex) => setFocus({ sectionId, figureIndex, token: Date.now() })} />
            )}
            <ReportEditor reportId={props.reportId} focus={focus} initialSectionId={props.sectionId} focusComment={props.commentId} onSection={rememberSection} />
          </div>
        </Suspense>
      ) : (
        <section className="card" aria-labelledby="outline-h">
          <div className="card__header">
            <h2 id="outline-h" className="card__title">
              Sections
            </h2>
          </div>
          <ol className="outline">
            {report.sections.map((s, i) => (
              <li key={s.id} className="outline__item">
                <span className="outline__pos">{i + 1}</span>
                <span className="outline__title">{s.title}</span>
                <Tag tone={STATUS_TONE[s.status as keyof typeof STATUS_TONE] ?? 'neutral'}>{s.status.replace(/^./, (c) => c.toUpperCase())}</Tag>
                <span className="muted small">{s.owner ?? 'No owner'}</span>
              </li>
            ))}
          </ol>
        </section>
      )}
      {makingEdition && report && (
        <NewEditionDialog
          reportId={report.id}
          reportTitle={report.title}
          params={report.params}
          onClose={() => setMakingEdition(false)}
          onCreated={(id) => {
            setMakingEdition(false);
            navigate({ screen: 'reports', reportId: id });
          }}
        />
      )}
      {editingParams && report && <ParamsDialog reportId={report.id} reportTitle={report.title} params={report.params} onClose={() => setEditingParams(false)} onSaved={res.reload} />}
      {editingPublication && report && (
        <PublicationDialog reportId={report.id} reportTitle={report.title} publication={report.publication} onClose={() => setEditingPublication(false)} onSaved={res.reload} />
      )}
      {exporting && report && <ExportDialog reportId={report.id} reportTitle={report.title} onClose={() => setExporting(false)} />}
    </div>
  );
}

/**
 * How the report prints a change between two shares (a report setting): by default the difference of the two figures as
 * printed, so a reader's subtraction always agrees; or from the unrounded data, which the publication then says in a
 * note on its figures. Every figure and the consistency check follow it at once.
 */
function ChangeRuleSetting(props: { reportId: string; value: 'rounded' | 'unrounded'; onChanged: () => void }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const change = async (changes: 'rounded' | 'unrounded') => {
    setBusy(true);
    try {
      await call('reports.setSettings', { id: props.reportId, settings: { changes } });
      toast(changes === 'rounded' ? 'Changes are now the difference of the figures printed' : 'Changes are now calculated from unrounded figures, and the report says so', 'success');
      props.onChanged();
    } catch (e) {
      toast(toIpcError(e).message, 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <label className="report-bar__setting">
      <span className="report-bar__setting-label">Changes</span>
      <select className="input" value={props.value} disabled={busy} onChange={(e) => void change(e.target.value as 'rounded' | 'unrounded')} data-testid="change-rule">
        <option value="rounded">from the figures printed</option>
        <option value="unrounded">from unrounded data</option>
      </select>
    </label>
  );
}

/**
 * A report's parameters, changed in place: every figure that reads them follows at once (the editor re-evaluates on
 * the new parameters). Dates are checked here and again by the host, whose messages show beside their fields.
 */
function ParamsDialog(props: { reportId: string; reportTitle: string; params: Record<string, string>; onClose: () => void; onSaved: () => void }) {
  const toast = useToast();
  const keys = useMemo(() => {
    const k = Object.keys(props.params);
    for (const d of ['asAt', 'previousAsAt']) if (!k.includes(d)) k.push(d);
    return k;
  }, [props.params]);
  const [values, setValues] = useState<Record<string, string>>({ ...props.params });
  const { errors, setErrors, message, setMessage, busy, setBusy, clear, fail } = useFormErrors();
  const isDate = (k: string) => /At$/.test(k);
  const submit = async () => {
    const f: Record<string, string> = {};
    for (const k of keys) if (isDate(k) && values[k] && !/^\d{4}-\d{2}-\d{2}$/.test(values[k]!)) f[k] = 'Enter a date';
    if (values.asAt && values.previousAsAt && values.previousAsAt >= values.asAt) f.previousAsAt = 'The comparison date must be before the “as at” date';
    setErrors(f);
    setMessage(undefined);
    if (Object.keys(f).length) return;
    const params = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
    setBusy(true);
    try {
      await call('reports.setParams', { id: props.reportId, params });
      toast(`Parameters of “${props.reportTitle}” changed: its figures now use them`, 'success');
      props.onSaved();
      props.onClose();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  const hints: Record<string, string> = {
    asAt: 'Figures use the latest ratings published on or before this date.',
    previousAsAt: 'For year-on-year figures, usually a year earlier.',
  };
  return (
    <Dialog
      title="Report parameters"
      size="medium"
      onClose={props.onClose}
      footer={<FormDialogFooter form="params-form" onCancel={props.onClose} busy={busy} label="Apply" busyLabel="Applying…" />}
    >
      <DialogForm id="params-form" onSubmit={submit}>
        <ErrorSummary message={message} errors={errors} labels={Object.fromEntries(keys.map((k) => [k, paramLabel(k)]))} />
        <div className="form-grid">
          {keys.map((k) => (
            <Field key={k} label={paramLabel(k)} optional={!(k in props.params)} error={errors[k]} hint={hints[k]}>
              {(c) => (
                <input
                  {...c}
                  type={isDate(k) ? 'date' : 'text'}
                  className={`input${isDate(k) ? ' input--date' : ''}`}
                  value={values[k] ?? ''}
                  onChange={(e) => {
                    setValues((v) => ({ ...v, [k]: e.target.value }));
                    clear(k);
                  }}
                />
              )}
            </Field>
          ))}
        </div>
      </DialogForm>
    </Dialog>
  );
}

/**
 * "New edition…": next year's report, made from this one with its sections, figures and citations, under parameters a
 * year on (this year's as-at date becomes the comparison date) and the title's years moved on; every section starts as
 * a draft. It opens with the blackline of numbers that moved.
 */
function NewEditionDialog(props: { reportId: string; reportTitle: string; params: Record<string, string>; onClose: () => void; onCreated: (id: string) => void }) {
  const toast = useToast();
  const proposed = useMemo(() => nextEditionParams(props.params) as Record<string, string>, [props.params]);
  const [title, setTitle] = useState(() => nextEditionTitle(props.reportTitle));
  const [values, setValues] = useState<Record<string, string>>(proposed);
  const { errors, setErrors, message, setMessage, busy, setBusy, clear, fail } = useFormErrors();
  const dateKeys = Object.keys(values).filter((k) => /At$/.test(k));
  const submit = async () => {
    const f: Record<string, string> = {};
    if (!title.trim()) f.title = 'Enter a title for the new edition';
    if (values.asAt && values.previousAsAt && values.previousAsAt >= values.asAt) f.previousAsAt = 'The comparison date must be before the “as at” date';
    setErrors(f);
    setMessage(undefined);
    if (Object.keys(f).length) return;
    setBusy(true);
    try {
      const r = await call('reports.newEdition', { id: props.reportId, title: title.trim(), params: values });
      toast(`“${r.title}” made from “${props.reportTitle}”: its sections are drafts`, 'success');
      props.onCreated(r.id);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title="New edition"
      size="medium"
      onClose={props.onClose}
      footer={<FormDialogFooter form="edition-form" onCancel={props.onClose} busy={busy} label="Make the new edition" busyLabel="Making…" />}
    >
      <DialogForm id="edition-form" onSubmit={submit}>
        <p>
          A copy of “{props.reportTitle}” with its sections, figures and citations, under the dates below. Every section starts as a draft: nothing approved
          for this edition carries over. The new edition opens with the numbers that moved.
        </p>
        <ErrorSummary message={message} errors={errors} labels={{ title: 'Title', ...Object.fromEntries(dateKeys.map((k) => [k, paramLabel(k)])) }} />
        <Field label="Title" error={errors.title}>
          {(c) => <input {...c} className="input" value={title} onChange={(e) => (setTitle(e.target.value), clear('title'))} />}
        </Field>
        <div className="form-grid">
          {dateKeys.map((k) => (
            <Field key={k} label={paramLabel(k)} error={errors[k]}>
              {(c) => <input {...c} type="date" className="input input--date" value={values[k] ?? ''} onChange={(e) => (setValues((v) => ({ ...v, [k]: e.target.value })), clear(k))} />}
            </Field>
          ))}
        </div>
      </DialogForm>
    </Dialog>
  );
}
