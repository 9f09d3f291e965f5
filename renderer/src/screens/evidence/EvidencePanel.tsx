import { useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import type { EvidenceRecord, RequestOutputs } from '../../../../shared/ipc/contract';
import { MAX_ATTACHMENT_BYTES } from '../../../../shared/review/evidence';
import { call, toIpcError, useRequest } from '../../lib/api';
import { capitalise, formatBytes, formatDate, todayIso } from '../../lib/format';
import { issuesByField, useFormErrors } from '../../lib/forms';
import { useDebounced } from '../../lib/reference';
import { useSession } from '../../lib/route';
import { EditButton, EmptyState, Icon, RequestPending, SensitivityTag, Tag } from '../../ui/bits';
import { Dialog, DialogForm, FormDialogFooter } from '../../ui/Dialog';
import { FilterSearch, FilterSelect } from '../../ui/Filters';
import { ErrorSummary, Field, SelectField } from '../../ui/Field';
import { useToast } from '../../ui/Toast';
import { AttachmentLink } from '../../ui/AttachmentLink';

type Evidence = RequestOutputs['evidence.list']['rows'][number];
const KINDS = ['document', 'interview', 'observation', 'dataset', 'survey', 'case file', 'meeting notes'] as const;
const SENSITIVITIES = ['public', 'official', 'official-sensitive', 'personal'] as const;
const SENSITIVITY_HINT: Record<(typeof SENSITIVITIES)[number], string> = {
  public: 'Can be quoted in a public report.',
  official: 'Routine government business; not for publication as is.',
  'official-sensitive': 'Restricted: never appears in a public export.',
  personal: 'About an identifiable person: never appears in a public export.',
};
/** The host’s limit too: large files make the workspace slow to save and to share, so they stay outside it. */
const cap = capitalise;
const KIND_OPTIONS = KINDS.map((k) => ({ value: k, label: cap(k) }));
const SENSITIVITY_OPTIONS = SENSITIVITIES.map((s) => ({ value: s, label: cap(s) }));

export function EvidencePanel(props: { startWithForm?: boolean }) {
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState('');
  const [sensitivity, setSensitivity] = useState('');
  const [form, setForm] = useState<{ existing?: Evidence } | null>(props.startWithForm ? {} : null);
  const q = useDebounced(search.trim(), 250);
  const res = useRequest('evidence.list', { search: q || undefined, kind: kind || undefined, sensitivity: sensitivity || undefined, limit: 2000 });
  const toast = useToast();
  const session = useSession();
  const verify = async (ev: Evidence) => {
    try {
      await call('evidence.verify', { id: ev.id });
      toast(`“${ev.title}” marked as verified`);
    } catch (e) {
      toast(toIpcError(e).message, 'error');
    }
  };

  return (
    <div className="panel-stack">
      <div className="toolbar">
        <form className="filters filters--inline" role="search" aria-label="Filter evidence" onSubmit={(e) => e.preventDefault()}>
          <FilterSearch id="ev-search" placeholder="Title, reference or collector" value={search} onChange={setSearch} />
          <FilterSelect id="ev-kind" label="Kind" value={kind} onChange={setKind} options={KIND_OPTIONS} all="All kinds" />
          <FilterSelect id="ev-sens" label="Sensitivity" value={sensitivity} onChange={setSensitivity} options={SENSITIVITY_OPTIONS} all="Any sensitivity" />
        </form>
        <button type="button" className="btn btn--primary" onClick={() => setForm({})}>
          <Icon name="plus" size={16} /> Add evidence
        </button>
      </div>
      {!res.data ? (
        <RequestPending req={res} />
      ) : res.data.rows.length === 0 ? (
        <EmptyState
          title={q || kind || sensitivity ? 'No evidence matches' : 'No evidence yet'}
          action={
            <button type="button" className="btn btn--primary" onClick={() => setForm({})}>
              Add evidence
            </button>
          }
        >
          Record the documents, interviews, observations and data your findings rest on.
        </EmptyState>
      ) : (
        <div className="table-wrap table-wrap--scroll">
          <table className="table table--sticky evidence-table">
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Kind</th>
                <th scope="col">Collected</th>
                <th scope="col">Sensitivity</th>
                <th scope="col">Attachment</th>
                <th scope="col">Verified</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {res.data.rows.map((ev) => (
                <tr key={ev.id}>
                  <td>
                    <div className="strong">{ev.title}</div>
                    {ev.reference && <div className="muted small mono">{ev.reference}</div>}
                  </td>
                  <td>{cap(ev.kind)}</td>
                  <td className="nowrap">
                    {formatDate(ev.collectedOn, 'short')}
                    {ev.collectedBy && <div className="muted small">{ev.collectedBy}</div>}
                  </td>
                  <td>
                    <SensitivityTag sensitivity={ev.sensitivity} />
                  </td>
                  <td>
                    {ev.attachmentName ? (
                      <AttachmentLink evidenceId={ev.id} name={ev.attachmentName} hash={ev.attachmentHash} />
                    ) : (
                      <span className="muted">None</span>
                    )}
                  </td>
                  <td>
                    {ev.verifiedBy ? (
                      <Tag tone="success" title={`Verified by ${ev.verifiedBy} on ${formatDate(ev.verifiedAt)}`}>
                        <Icon name="check" size={13} /> {ev.verifiedBy}
                      </Tag>
                    ) : (
                      <button type="button" className="btn btn--small btn--secondary" onClick={() => void verify(ev)} aria-label={`Mark verified: “${ev.title}”, by ${session.userName ?? 'you'}`}>
                        Mark verified
                      </button>
                    )}
                  </td>
                  <td className="actions">
                    <EditButton onClick={() => setForm({ existing: ev })} label={`Edit “${ev.title}”`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {form && <EvidenceForm existing={form.existing} onClose={() => setForm(null)} />}
    </div>
  );
}

const EvidenceChecks = z.object({
  title: z.string().trim().min(1, 'Enter a title').max(500, 'Title must be 500 characters or fewer'),
  kind: z.enum(KINDS, { message: 'Choose the kind of evidence' }),
  sensitivity: z.enum(SENSITIVITIES, { message: 'Choose how sensitive this evidence is' }),
  collectedOn: z
    .string()
    .refine((d) => d === '' || /^\d{4}-\d{2}-\d{2}$/.test(d), 'Enter a real date, for example 14/03/2018')
    .refine((d) => d === '' || d <= todayIso(), 'The date collected must be today or in the past'),
  publishedOn: z.string().refine((d) => d === '' || /^\d{4}-\d{2}-\d{2}$/.test(d), 'Enter a real date, for example 02/07/2018'),
  url: z
    .string()
    .trim()
    .refine((u) => u === '' || /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(u), 'Enter a web address starting https://, for example https://www.cqc.org.uk/publications'),
  accessedOn: z
    .string()
    .refine((d) => d === '' || /^\d{4}-\d{2}-\d{2}$/.test(d), 'Enter a real date, for example 14/09/2018')
    .refine((d) => d === '' || d <= todayIso(), 'The date accessed must be today or in the past'),
});
const LABELS: Record<string, string> = {
  title: 'Title',
  kind: 'Kind',
  sensitivity: 'Sensitivity',
  collectedOn: 'Date collected',
  collectedBy: 'Collected by',
  reference: 'Reference',
  summary: 'Summary',
  attachment: 'Attachment',
  publisher: 'Publisher or author',
  publishedOn: 'Date published',
  url: 'Web address',
  accessedOn: 'Date accessed',
};

interface PickedFile {
  name: string;
  mediaType: string;
  size: number;
  base64: string;
}

/** Reads a file to base64 in the page; the host stores it in the workspace by content hash. */
function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onerror = () => reject(r.error ?? new Error('The file could not be read'));
    r.onload = () => {
      const url = String(r.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    r.readAsDataURL(file);
  });
}

export function EvidenceForm(props: { existing?: Evidence; onClose: () => void }) {
  const { existing } = props;
  const toast = useToast();
  const session = useSession();
  const [title, setTitle] = useState(existing?.title ?? '');
  const [kind, setKind] = useState<string>(existing?.kind ?? '');
  const [reference, setReference] = useState(existing?.reference ?? '');
  const [summary, setSummary] = useState(existing?.summary ?? '');
  // Saving replaces the whole record, so an edit starts from the stored one: its summary, and the area review and
  // location it belongs to, which this form does not show but must write back unchanged.
  const [record, setRecord] = useState<EvidenceRecord | null>(null);
  const [recordError, setRecordError] = useState<string>();
  useEffect(() => {
    if (!existing) return;
    let live = true;
    call('evidence.get', { id: existing.id }).then(
      (r) => {
        if (!live) return;
        setRecord(r);
        setSummary((cur) => cur || r.summary || '');
        setPublisher((cur) => cur || r.publisher || '');
        setPublishedOn((cur) => cur || r.publishedOn || '');
        setUrl((cur) => cur || r.url || '');
        setAccessedOn((cur) => cur || r.accessedOn || '');
      },
      (e: unknown) => live && setRecordError(toIpcError(e).message),
    );
    return () => {
      live = false;
    };
  }, [existing]);
  const [collectedOn, setCollectedOn] = useState(existing?.collectedOn ?? '');
  const [collectedBy, setCollectedBy] = useState(existing?.collectedBy ?? session.userName ?? '');
  const [sensitivity, setSensitivity] = useState<string>(existing?.sensitivity ?? '');
  // The source as a reference: what a public edition's note prints (the collection and reference stay internal).
  const [publisher, setPublisher] = useState('');
  const [publishedOn, setPublishedOn] = useState('');
  const [url, setUrl] = useState('');
  const [accessedOn, setAccessedOn] = useState('');
  const [file, setFile] = useState<PickedFile | null>(null);
  const [reading, setReading] = useState(false);
  const { errors, setErrors, message, setMessage, busy, setBusy, clear } = useFormErrors();
  const fileInput = useRef<HTMLInputElement>(null);

  const pick = async (f: File | undefined) => {
    setErrors(({ attachment: _drop, ...rest }) => rest);
    if (!f) return setFile(null);
    if (f.size > MAX_ATTACHMENT_BYTES) {
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
      setErrors((e) => ({ ...e, attachment: `The file is ${formatBytes(f.size)}; attachments must be ${formatBytes(MAX_ATTACHMENT_BYTES)} or smaller. Keep larger files elsewhere and give their location as the reference.` }));
      return;
    }
    setReading(true);
    try {
      setFile({ name: f.name, mediaType: f.type || 'application/octet-stream', size: f.size, base64: await readAsBase64(f) });
    } catch (e) {
      setErrors((x) => ({ ...x, attachment: `The file could not be read: ${toIpcError(e).message}` }));
    } finally {
      setReading(false);
    }
  };

  const submit = async () => {
    // Without the stored record an edit would clear what the form does not show.
    if (existing && !record) return;
    const checked = EvidenceChecks.safeParse({ title, kind, sensitivity, collectedOn, publishedOn, url, accessedOn });
    if (!checked.success) {
      setErrors(issuesByField(checked.error.issues));
      setMessage(undefined);
      return;
    }
    setErrors({});
    setMessage(undefined);
    setBusy(true);
    try {
      await call('evidence.save', {
        id: existing?.id,
        title: checked.data.title,
        kind: checked.data.kind,
        sensitivity: checked.data.sensitivity,
        reference: reference.trim() || null,
        summary: summary.trim() || null,
        collectedOn: collectedOn || null,
        collectedBy: collectedBy.trim() || null,
        publisher: publisher.trim() || null,
        publishedOn: publishedOn || null,
        url: checked.data.url || null,
        accessedOn: accessedOn || null,
        attachment: file ? { name: file.name, mediaType: file.mediaType, base64: file.base64 } : undefined,
        ...(record ? { areaReviewId: record.areaReviewId, locationId: record.locationId } : {}),
      });
      toast(existing ? 'Evidence updated' : `Evidence “${checked.data.title}” added`);
      props.onClose();
    } catch (e) {
      const err = toIpcError(e);
      const f: Record<string, string> = {};
      for (const [k, v] of Object.entries(err.fields ?? {})) f[k.split('.')[0]!] = v;
      setErrors(f);
      setMessage(Object.keys(f).length ? undefined : err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={existing ? 'Edit evidence' : 'Add evidence'}
      size="large"
      onClose={props.onClose}
      footer={<FormDialogFooter form="evidence-form" onCancel={props.onClose} busy={busy} disabled={reading || (!!existing && !record)} label={existing ? 'Save changes' : 'Add evidence'} />}
    >
      <DialogForm id="evidence-form" onSubmit={submit}>
        <ErrorSummary message={message ?? (recordError ? `This evidence source could not be read: ${recordError}` : undefined)} errors={errors} labels={LABELS} />
        <Field label="Title" error={errors.title}>
          {(c) => <input {...c} className="input" value={title} onChange={(e) => (setTitle(e.target.value), clear('title'))} />}
        </Field>
        <div className="form-grid">
          <SelectField label="Kind" error={errors.kind} value={kind} onChange={(v) => (setKind(v), clear('kind'))} empty="Choose…" options={KIND_OPTIONS} />
          <SelectField
            label="Sensitivity"
            error={errors.sensitivity}
            hint={sensitivity ? SENSITIVITY_HINT[sensitivity as (typeof SENSITIVITIES)[number]] : 'Restricted evidence never appears in a public export.'}
            value={sensitivity}
            onChange={(v) => (setSensitivity(v), clear('sensitivity'))}
            empty="Choose…"
            options={SENSITIVITY_OPTIONS}
          />
          <Field label="Reference" optional error={errors.reference} hint="A document number, file path or URL">
            {(c) => <input {...c} className="input" value={reference} onChange={(e) => setReference(e.target.value)} />}
          </Field>
          <Field label="Date collected" optional error={errors.collectedOn}>
            {(c) => <input {...c} type="date" className="input input--date" value={collectedOn} max={todayIso()} onChange={(e) => (setCollectedOn(e.target.value), clear('collectedOn'))} />}
          </Field>
          <Field label="Collected by" optional error={errors.collectedBy}>
            {(c) => <input {...c} className="input" value={collectedBy} onChange={(e) => setCollectedBy(e.target.value)} />}
          </Field>
        </div>
        <fieldset className="fieldset" data-testid="citation-fields">
          <legend className="field__label">As a reference in a report</legend>
          <p className="field__hint">
            A report’s notes cite this source as: Publisher, ‘Title’, date published, web address (accessed date). A public edition never prints the reference or the date collected.
          </p>
          <div className="form-grid">
            <Field label="Publisher or author" optional error={errors.publisher} hint="For example, Care Quality Commission or NHS Digital">
              {(c) => <input {...c} className="input" value={publisher} onChange={(e) => (setPublisher(e.target.value), clear('publisher'))} />}
            </Field>
            <Field label="Date published" optional error={errors.publishedOn}>
              {(c) => <input {...c} type="date" className="input input--date" value={publishedOn} onChange={(e) => (setPublishedOn(e.target.value), clear('publishedOn'))} />}
            </Field>
            <Field label="Web address" optional error={errors.url} hint="Where a reader can find it: https://…">
              {(c) => <input {...c} type="url" className="input" value={url} onChange={(e) => (setUrl(e.target.value), clear('url'))} />}
            </Field>
            <Field label="Date accessed" optional error={errors.accessedOn} hint="When the web address was last checked">
              {(c) => <input {...c} type="date" className="input input--date" value={accessedOn} max={todayIso()} onChange={(e) => (setAccessedOn(e.target.value), clear('accessedOn'))} />}
            </Field>
          </div>
        </fieldset>
        <Field label="Summary" optional error={errors.summary} hint="What this evidence shows, in a sentence or two.">
          {(c) => <textarea {...c} className="textarea" rows={3} value={summary} onChange={(e) => setSummary(e.target.value)} />}
        </Field>
        <Field
          label="Attachment"
          optional
          error={errors.attachment}
          hint={existing?.attachmentName ? `Currently attached: ${existing.attachmentName}. Choosing a file replaces it.` : `Up to ${formatBytes(MAX_ATTACHMENT_BYTES)}. Stored inside the workspace file.`}
        >
          {(c) => (
            <div className="file-picker">
              <input {...c} ref={fileInput} type="file" className="file-picker__input" onChange={(e) => void pick(e.target.files?.[0])} />
              {reading && <span className="muted small">Reading file…</span>}
              {file && (
                <span className="attachment" data-testid="picked-file">
                  <Icon name="paperclip" size={15} /> {file.name} <span className="muted">({formatBytes(file.size)})</span>
                </span>
              )}
            </div>
          )}
        </Field>
      </DialogForm>
    </Dialog>
  );
}
