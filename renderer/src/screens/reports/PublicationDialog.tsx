import { useState } from 'react';
import type { RequestOutputs } from '../../../../shared/ipc/contract';
import { copyrightLine, EMPTY_PUBLICATION, PublicationInput, type PublicationDetails, type Signatory } from '../../../../shared/document/publication';
import { call, toIpcError } from '../../lib/api';
import { useFormErrors } from '../../lib/forms';
import { Dialog, DialogForm, FormDialogFooter } from '../../ui/Dialog';
import { ErrorSummary, Field } from '../../ui/Field';
import { useToast } from '../../ui/Toast';

type Publication = NonNullable<RequestOutputs['reports.get']['publication']>;

const LABELS: Record<keyof PublicationDetails, string> = {
  publishedOn: 'Date of publication',
  isbn: 'ISBN',
  hcNumber: 'HC number',
  presented: 'Presented to Parliament',
  copyrightHolder: 'Copyright holder',
  licence: 'Licence statement',
  contact: 'Contact details',
  alternativeFormats: 'Alternative formats statement',
  accessibility: 'Accessibility statement',
  signatories: 'Foreword signed by',
};

/** A field's error from a host path: "settings.publication.isbn" or "publication.signatories.0.name" → its field. */
function fieldOf(path: string): string {
  const parts = path.split('.');
  const at = parts.indexOf('publication');
  return parts[at + 1] ?? parts[parts.length - 1]!;
}

/**
 * Publication details: the furniture the edition notices page prints after the cover (and `check` asks of a public
 * edition), with the template's defaults filled in. Checked here as the host checks them (the same schema), with each
 * message beside its field: an ISBN-13's check digit, an HC number written "HC 1457", a real date.
 */
export function PublicationDialog(props: { reportId: string; reportTitle: string; publication: Publication | null; onClose: () => void; onSaved: () => void }) {
  const toast = useToast();
  const p = props.publication;
  const [values, setValues] = useState<PublicationDetails>(p?.details ?? EMPTY_PUBLICATION);
  const { errors, setErrors, message, setMessage, busy, setBusy, clear, check } = useFormErrors();
  const set = <K extends keyof PublicationDetails>(k: K, v: PublicationDetails[K]) => {
    setValues((x) => ({ ...x, [k]: v }));
    clear(k);
  };
  const setSignatory = (i: number, change: Partial<Signatory>) =>
    set(
      'signatories',
      values.signatories.map((s, j) => (j === i ? { ...s, ...change } : s)),
    );
  const laid = p?.laidBeforeParliament ?? false;

  const submit = async () => {
    const checked = check(PublicationInput, values);
    if (!checked) return;
    setBusy(true);
    try {
      // Signatories without a name or an office are dropped; the rest are kept as typed.
      const publication = { ...checked, signatories: (checked.signatories ?? []).filter((s) => s.name || s.office) };
      await call('reports.setSettings', { id: props.reportId, settings: { publication } });
      toast(`Publication details of “${props.reportTitle}” saved`, 'success');
      props.onSaved();
      props.onClose();
    } catch (e) {
      const err = toIpcError(e);
      const f: Record<string, string> = {};
      for (const [k, v] of Object.entries(err.fields ?? {})) f[fieldOf(k)] ??= v;
      setErrors(f);
      setMessage(Object.keys(f).length ? undefined : err.message);
    } finally {
      setBusy(false);
    }
  };

  const text = (k: Exclude<keyof PublicationDetails, 'signatories'>, hint?: string, rows?: number) => (
    <Field label={LABELS[k]} optional error={errors[k]} hint={hint}>
      {(c) =>
        rows ? (
          <textarea {...c} className="textarea" rows={rows} value={values[k]} onChange={(e) => set(k, e.target.value)} data-testid={`pub-${k}`} />
        ) : (
          <input {...c} className="input" value={values[k]} onChange={(e) => set(k, e.target.value)} data-testid={`pub-${k}`} />
        )
      }
    </Field>
  );
  const copyright = copyrightLine(values);

  return (
    <Dialog
      title="Publication details"
      size="large"
      onClose={props.onClose}
      footer={<FormDialogFooter form="publication-form" onCancel={props.onClose} busy={busy} label="Save details" busyLabel="Saving…" />}
    >
      <DialogForm id="publication-form" onSubmit={submit}>
        <p className="muted">
          Printed on the page after the cover of every edition (HTML, PDF and Word). A public edition is checked for each of them. Fields start with the template’s wording.
        </p>
        <ErrorSummary message={message} errors={errors} labels={LABELS} />
        <div className="form-grid">
          <Field label={LABELS.publishedOn} optional error={errors.publishedOn} hint="The day this edition is published">
            {(c) => <input {...c} type="date" className="input input--date" value={values.publishedOn} onChange={(e) => set('publishedOn', e.target.value)} data-testid="pub-publishedOn" />}
          </Field>
          {text('isbn', 'ISBN-13, for example 978-1-5286-0782-7')}
          {text('hcNumber', laid ? 'The House of Commons paper number, for example HC 1457' : 'Only for a publication laid before Parliament')}
          {text('copyrightHolder', copyright ? `Printed “${copyright}”. Write “Crown” for Crown copyright.` : 'Write “Crown” for Crown copyright')}
        </div>
        {laid && text('presented', 'The statement that the report is laid before Parliament; the date it was ordered to be printed is the date of publication.', 2)}
        {text('licence', undefined, 3)}
        {text('contact', 'Address, telephone and email for enquiries', 3)}
        {text('alternativeFormats', 'How to ask for large print, easy read, Braille or audio', 2)}
        {text('accessibility', 'How accessible the publication is, and who to tell about a problem', 3)}
        <fieldset className="fieldset" data-testid="pub-signatories">
          <legend className="field__label">{LABELS.signatories}</legend>
          <p className="field__hint">Printed under the foreword: each office holder’s name, and their office.</p>
          {errors.signatories && <p className="field__error">{errors.signatories}</p>}
          {values.signatories.map((s, i) => (
            <div className="form-grid" key={i}>
              <Field label={`Name ${i + 1}`} optional>
                {(c) => <input {...c} className="input" value={s.name} onChange={(e) => setSignatory(i, { name: e.target.value })} data-testid={`pub-signatory-name-${i}`} />}
              </Field>
              <Field label={`Office ${i + 1}`} optional>
                {(c) => <input {...c} className="input" value={s.office} onChange={(e) => setSignatory(i, { office: e.target.value })} />}
              </Field>
            </div>
          ))}
          <div className="form-actions">
            {values.signatories.length < 6 && (
              <button type="button" className="btn btn--ghost btn--small" onClick={() => set('signatories', [...values.signatories, { name: '', office: '' }])}>
                Add a signatory
              </button>
            )}
            {values.signatories.length > 0 && (
              <button type="button" className="btn btn--ghost btn--small" onClick={() => set('signatories', values.signatories.slice(0, -1))}>
                Remove the last
              </button>
            )}
          </div>
        </fieldset>
      </DialogForm>
    </Dialog>
  );
}
