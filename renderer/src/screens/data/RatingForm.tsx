import { useMemo, useState } from 'react';
import { z } from 'zod';
import type { RatingHistoryRow, RequestOutputs } from '../../../../shared/ipc/contract';
import { call, toIpcError } from '../../lib/api';
import { todayIso } from '../../lib/format';
import { issuesByField, useFormErrors } from '../../lib/forms';
import { Dialog, DialogForm, FormDialogFooter } from '../../ui/Dialog';
import { ErrorSummary, Field, SelectField } from '../../ui/Field';
import { useToast } from '../../ui/Toast';

type Reference = RequestOutputs['reference.get'];

/**
 * Checks we can make before asking the host, with messages written for the person filling the form. The host checks
 * again (and knows things we do not, such as a rating already published for that date) and its field errors land in
 * the same places.
 */
const RatingChecks = z.object({
  keyQuestionId: z.string().min(1, 'Choose a key question'),
  serviceGroup: z.string().min(1, 'Choose a service or population group'),
  rating: z.string().min(1, 'Choose a rating'),
  publishedOn: z
    .string()
    .min(1, 'Enter the date the rating was published')
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a real date, for example 31/07/2018')
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'Enter a real date, for example 31/07/2018')
    .refine((d) => d <= todayIso(), 'The publication date must be today or in the past'),
});

const LABELS: Record<string, string> = { keyQuestionId: 'Key question', serviceGroup: 'Service group', rating: 'Rating', publishedOn: 'Published on' };

export function RatingForm(props: { locationId: string; locationName: string; reference: Reference; existing?: RatingHistoryRow; onClose: () => void }) {
  const { reference, existing } = props;
  const toast = useToast();
  const [keyQuestionId, setKeyQuestionId] = useState(existing?.keyQuestionId ?? '');
  const [serviceGroup, setServiceGroup] = useState(existing?.serviceGroup ?? 'Overall');
  const [rating, setRating] = useState(existing?.rating ?? '');
  const [publishedOn, setPublishedOn] = useState(existing?.publishedOn ?? '');
  const { errors, setErrors, message, setMessage, busy, setBusy, clear } = useFormErrors();

  const scaleId = reference.keyQuestions.find((k) => k.id === keyQuestionId)?.scaleId ?? reference.keyQuestions[0]?.scaleId;
  const values = useMemo(() => reference.ratingValues.filter((v) => v.scaleId === scaleId), [reference, scaleId]);
  const groups = reference.serviceGroups.length ? reference.serviceGroups : ['Overall'];

  const submit = async () => {
    const checked = RatingChecks.safeParse({ keyQuestionId, serviceGroup, rating, publishedOn });
    if (!checked.success) {
      setErrors(issuesByField(checked.error.issues));
      setMessage(undefined);
      return;
    }
    setErrors({});
    setMessage(undefined);
    setBusy(true);
    try {
      if (existing) {
        await call('ratings.update', { id: existing.id, rating, publishedOn });
        toast(`Rating updated for ${props.locationName}`);
      } else {
        await call('ratings.add', { locationId: props.locationId, keyQuestionId, serviceGroup, rating, publishedOn });
        toast(`Rating added for ${props.locationName}`);
      }
      props.onClose();
    } catch (e) {
      const err = toIpcError(e);
      const f: Record<string, string> = {};
      for (const [k, v] of Object.entries(err.fields ?? {})) f[k in LABELS ? k : '(form)'] = v;
      const formLevel = f['(form)'];
      delete f['(form)'];
      setErrors(f);
      setMessage(Object.keys(f).length ? undefined : (formLevel ?? err.message));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={existing ? 'Edit rating' : 'Add a rating'}
      description={props.locationName}
      onClose={props.onClose}
      footer={<FormDialogFooter form="rating-form" onCancel={props.onClose} busy={busy} label={existing ? 'Save changes' : 'Add rating'} />}
    >
      <DialogForm id="rating-form" onSubmit={submit}>
        <ErrorSummary message={message} errors={errors} labels={LABELS} />
        <div className="form-grid">
          <SelectField
            label="Key question"
            error={errors.keyQuestionId}
            hint={existing ? 'The key question of a published rating cannot change; add a new rating instead.' : undefined}
            value={keyQuestionId}
            disabled={!!existing}
            onChange={(v) => (setKeyQuestionId(v), clear('keyQuestionId'))}
            empty="Choose…"
            options={reference.keyQuestions.map((k) => ({ value: k.id, label: k.name }))}
          />
          <SelectField label="Service or population group" error={errors.serviceGroup} value={serviceGroup} disabled={!!existing} onChange={setServiceGroup} options={groups.map((g) => ({ value: g, label: g }))} />
          <Field label="Rating" error={errors.rating} hint="Statuses outside the scale are kept but left out of shares.">
            {(c) => (
              <select {...c} className="select" value={rating} onChange={(e) => (setRating(e.target.value), clear('rating'))}>
                <option value="">Choose…</option>
                <optgroup label="On the scale">
                  {values
                    .filter((v) => v.onScale)
                    .map((v) => (
                      <option key={v.label} value={v.label}>
                        {v.label}
                      </option>
                    ))}
                </optgroup>
                <optgroup label="Outside the scale">
                  {values
                    .filter((v) => !v.onScale)
                    .map((v) => (
                      <option key={v.label} value={v.label}>
                        {v.label}
                      </option>
                    ))}
                </optgroup>
              </select>
            )}
          </Field>
          <Field label="Published on" error={errors.publishedOn} hint="The date CQC published the rating. Figures “as at” a date use the latest rating published on or before it.">
            {(c) => <input {...c} type="date" className="input input--date" value={publishedOn} max={todayIso()} onChange={(e) => (setPublishedOn(e.target.value), clear('publishedOn'))} />}
          </Field>
        </div>
      </DialogForm>
    </Dialog>
  );
}
