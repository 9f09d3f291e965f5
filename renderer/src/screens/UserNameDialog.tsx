import { useState } from 'react';
import { call, toIpcError } from '../lib/api';
import { Dialog } from '../ui/Dialog';
import { Field } from '../ui/Field';

/**
 * Asked once, on first run: every change is recorded in the workspace's audit log against this name, so it matters
 * before the first edit. Stored in the app's settings, not in any workspace.
 */
export function UserNameDialog(props: { firstRun: boolean; current: string | null; onDone: (name: string | null) => void }) {
  const [name, setName] = useState(props.current ?? '');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const trimmed = name.trim();
    if (!trimmed) return setError('Enter your name');
    if (trimmed.length > 120) return setError('Name must be 120 characters or fewer');
    setBusy(true);
    try {
      const r = await call('settings.setUserName', { name: trimmed });
      props.onDone(r.userName);
    } catch (e) {
      const err = toIpcError(e);
      setError(err.fields?.name ?? err.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={props.firstRun ? 'Welcome to Assay' : 'Your name'}
      size="small"
      dismissable={!props.firstRun}
      onClose={() => props.onDone(null)}
      description={
        props.firstRun
          ? 'Before you start, tell us your name. Assay records who made each change in the workspace’s audit log, and signs findings and approvals with it.'
          : 'Assay records changes in the audit log under this name.'
      }
      footer={
        <>
          {!props.firstRun && (
            <button type="button" className="btn btn--secondary" onClick={() => props.onDone(null)}>
              Cancel
            </button>
          )}
          <button type="submit" form="user-name-form" className="btn btn--primary" disabled={busy}>
            {props.firstRun ? 'Continue' : 'Save name'}
          </button>
        </>
      }
    >
      <form
        id="user-name-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        noValidate
      >
        <Field label="Your full name" hint="For example, Priya Shah" error={error}>
          {(c) => <input {...c} className="input" autoFocus autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
      </form>
    </Dialog>
  );
}
