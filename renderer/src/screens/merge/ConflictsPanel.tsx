import { useState } from 'react';
import type { IpcError, MergeConflictView } from '../../../../shared/ipc/contract';
import { call, toIpcError, useRequest } from '../../lib/api';
import { formatDateTime, plural } from '../../lib/format';
import { useToast } from '../../ui/Toast';
import { Field } from '../../ui/Field';
import { EmptyState, ErrorNotice, RequestPending, Tag } from '../../ui/bits';

const RESOLUTIONS: Record<string, string> = { ours: 'kept ours', theirs: 'took theirs', edited: 'edited' };

const text = (v: string | number | null) => (v === null || v === '' ? '—' : String(v));

/**
 * The Data screen's Conflicts tab: records that both this workspace and one brought in changed since they last
 * agreed. Ours stays in place until a person decides: keep ours, take theirs, or write the record from the two.
 */
export function ConflictsPanel() {
  const [showResolved, setShowResolved] = useState(false);
  const res = useRequest('merge.conflicts', { includeResolved: showResolved });
  const rows = res.data?.rows ?? [];
  const open = rows.filter((r) => !r.resolvedAt);
  return (
    <div className="conflicts">
      <div className="conflicts__bar">
        <p className="muted" role="status">
          {res.data ? (open.length ? `${plural(open.length, 'conflict')} to resolve.` : 'No conflicts to resolve.') : ''}
        </p>
        <label className="check">
          <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} /> Show resolved conflicts
        </label>
      </div>
      {!res.data ? (
        <RequestPending req={res} label="Loading conflicts" />
      ) : rows.length === 0 ? (
        <EmptyState title="No conflicts">When a workspace brought in has changed a record that was also changed here, it is listed here to resolve.</EmptyState>
      ) : (
        rows.map((c) => <ConflictCard key={c.id} conflict={c} />)
      )}
    </div>
  );
}

function ConflictCard(props: { conflict: MergeConflictView }) {
  const c = props.conflict;
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const differing = c.fields.filter((f) => f.differs);
  const headingId = `conflict-${c.id}`;

  const settle = async (choice: 'ours' | 'theirs' | 'edit') => {
    setBusy(true);
    setError(null);
    try {
      const edited = choice === 'edit' ? Object.fromEntries(differing.map((f) => [f.name, asValue(values[f.name] ?? '', f.ours ?? f.theirs)])) : undefined;
      await call('merge.resolve', { id: c.id, choice, ...(edited ? { values: edited } : {}) });
      toast(choice === 'ours' ? 'Kept this workspace’s version.' : choice === 'theirs' ? `Took ${c.peerName}’s version.` : 'Saved the edited record.');
    } catch (e) {
      setError(toIpcError(e));
    } finally {
      setBusy(false);
    }
  };

  const startEdit = () => {
    setValues(Object.fromEntries(differing.map((f) => [f.name, text(f.ours ?? f.theirs).replace(/^—$/, '')])));
    setEditing(true);
  };

  return (
    <section className="card conflict" aria-labelledby={headingId} data-testid="conflict">
      <div className="card__header">
        <h3 id={headingId} className="card__title">
          {c.label}: {c.describe}
        </h3>
        {c.resolvedAt ? <Tag tone="success">Resolved: {RESOLUTIONS[c.resolution ?? ''] ?? c.resolution}</Tag> : <Tag tone="warning">To resolve</Tag>}
      </div>
      <p className="muted small">
        Changed here and in {c.peerName}; found {formatDateTime(c.detectedAt)}.
        {c.deletedHere ? ' It had been deleted here since it was handed over.' : ''}
        {c.resolvedAt ? ` Resolved by ${c.resolvedBy ?? 'someone'} on ${formatDateTime(c.resolvedAt)}.` : ''}
      </p>
      <div className="table-wrap">
        <table className="table conflict__table">
          <caption className="visually-hidden">The fields that differ: this workspace’s value and the value brought in from {c.peerName}</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">This workspace</th>
              <th scope="col">Brought in</th>
            </tr>
          </thead>
          <tbody>
            {differing.map((f) => (
              <tr key={f.name}>
                <th scope="row">{f.label}</th>
                <td>{c.deletedHere ? <em>deleted</em> : text(f.ours)}</td>
                <td>{text(f.theirs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing && (
        <div className="conflict__edit">
          {differing.map((f) => (
            <Field key={f.name} label={`${f.label} (edited)`} hint="Starts from this workspace’s value.">
              {(ctl) => (
                <textarea
                  {...ctl}
                  className="input"
                  rows={Math.min(8, Math.max(2, Math.ceil((values[f.name] ?? '').length / 90)))}
                  value={values[f.name] ?? ''}
                  onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
                />
              )}
            </Field>
          ))}
        </div>
      )}
      {error && <ErrorNotice error={error} />}
      {!c.resolvedAt && (
        <div className="form-actions">
          {editing ? (
            <>
              <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void settle('edit')}>
                Save the edited record
              </button>
              <button type="button" className="btn btn--secondary" disabled={busy} onClick={() => setEditing(false)}>
                Cancel editing
              </button>
            </>
          ) : (
            <>
              <button type="button" className="btn btn--secondary" disabled={busy} onClick={() => void settle('ours')}>
                Keep ours
              </button>
              <button type="button" className="btn btn--secondary" disabled={busy} onClick={() => void settle('theirs')}>
                Take theirs
              </button>
              <button type="button" className="btn btn--secondary" disabled={busy} onClick={startEdit}>
                Edit…
              </button>
            </>
          )}
        </div>
      )}
    </section>
  );
}

/** An edited value in the type of the field it replaces: numbers stay numbers, an emptied field is empty. */
function asValue(input: string, was: string | number | null): string | number | null {
  if (input.trim() === '') return null;
  if (typeof was === 'number' && /^-?\d+(\.\d+)?$/.test(input.trim())) return Number(input.trim());
  return input;
}
