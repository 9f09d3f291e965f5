import { useEffect, useState } from 'react';
import type { IpcError, RequestOutputs } from '../../../../shared/ipc/contract';
import { call, toIpcError, useRequest } from '../../lib/api';
import { capitalise, plural } from '../../lib/format';
import { useSession } from '../../lib/route';
import { Dialog, DialogForm, FormDialogFooter } from '../../ui/Dialog';
import { Field, FieldGroup } from '../../ui/Field';
import { ErrorNotice, RequestPending } from '../../ui/bits';

const CLEARANCES = [
  { id: 'public', label: 'Public only' },
  { id: 'official', label: 'Up to official' },
  { id: 'official-sensitive', label: 'Up to official-sensitive (no personal data)' },
  { id: 'personal', label: 'Everything, personal data included' },
] as const;
type Clearance = (typeof CLEARANCES)[number]['id'];

/**
 * File › Export for inspector…: a fresh workspace for one inspector's assignments, to work in offline and bring back
 * with Bring in a workspace. It holds the register, the reference data and the assessment frameworks, the chosen
 * assessments with what they need, and the evidence up to the sensitivity the inspector is cleared for.
 */
export default function ExportForInspectorDialog(props: { onClose: () => void }) {
  const options = useRequest('inspectorPack.options', {});
  const session = useSession();
  const [inspector, setInspector] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [clearance, setClearance] = useState<Clearance>('official-sensitive');
  const [errors, setErrors] = useState<{ inspector?: string; assessments?: string }>({});
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<RequestOutputs['inspectorPack.export'] | null>(null);

  const data = options.data;
  // Choosing an inspector ticks their assignments; the editor can add or take away any assessment not yet published.
  useEffect(() => {
    const own = data?.inspectors.find((i) => i.name === inspector);
    setChosen(new Set(own?.assignments.map((a) => a.id) ?? []));
  }, [inspector, data]);

  const submit = async () => {
    const e: typeof errors = {};
    if (!inspector) e.inspector = 'Choose the inspector the workspace is for.';
    if (!chosen.size) e.assessments = 'Choose at least one assessment to hand over.';
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    setError(null);
    try {
      setMade(await call('inspectorPack.export', { inspector, assessmentIds: [...chosen], clearance }));
    } catch (x) {
      setError(toIpcError(x));
    } finally {
      setBusy(false);
    }
  };

  const footer = made ? (
    <>
      {session.host === 'electron' && (
        <button type="button" className="btn btn--secondary" onClick={() => void call('export.showInFolder', { path: made.path })}>
          Show in folder
        </button>
      )}
      <button type="button" className="btn btn--primary" onClick={props.onClose}>
        Done
      </button>
    </>
  ) : (
    <FormDialogFooter form="inspector-pack" onCancel={props.onClose} busy={busy} disabled={!data} label="Make the workspace" busyLabel="Making the workspace…" />
  );

  return (
    <Dialog
      title="Export for inspector"
      size="large"
      onClose={props.onClose}
      description="Makes a new workspace for an inspector to work in offline: the register, the reference data and the assessment framework, their assessments, and the evidence they are cleared to see. Reports and figures stay here. Bring it back with Bring in a workspace."
      footer={footer}
    >
      {!data ? (
        <RequestPending req={options} label="Loading assessments" />
      ) : made ? (
        <div role="status" data-testid="inspector-pack-made">
          <p className="notice">{made.message}</p>
          <p className="muted small">
            Saved as <code>{made.path}</code>. Give this file to {inspector}; when they hand it back, bring it in with File › Bring in a workspace.
          </p>
        </div>
      ) : (
        <DialogForm id="inspector-pack" onSubmit={submit}>
          <Field label="Inspector" error={errors.inspector} hint="Everyone named on an assessment that is not yet published.">
            {(c) => (
              <select {...c} className="input" value={inspector} onChange={(e) => setInspector(e.target.value)}>
                <option value="">Choose an inspector</option>
                {data.inspectors.map((i) => (
                  <option key={i.name} value={i.name}>
                    {i.name} ({plural(i.assignments.length, 'assessment')})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <FieldGroup legend="Assessments to hand over" error={errors.assessments} hint="Their own are ticked when you choose the inspector.">
            <div className="checklist">
              {data.open.map((a) => (
                <label key={a.id} className="checklist__item">
                  <input
                    type="checkbox"
                    checked={chosen.has(a.id)}
                    onChange={(e) =>
                      setChosen((s) => {
                        const n = new Set(s);
                        if (e.target.checked) n.add(a.id);
                        else n.delete(a.id);
                        return n;
                      })
                    }
                  />
                  <span className="checklist__text">
                    <span>{a.title.startsWith(a.subjectName) ? a.title : `${a.subjectName}: ${a.title}`}</span>
                    <span className="muted small">
                      {capitalise(a.status)}
                      {a.lead ? ` · led by ${a.lead}` : ''}
                    </span>
                  </span>
                </label>
              ))}
            </div>
          </FieldGroup>
          <Field label="Evidence the inspector is cleared for" hint="Evidence more sensitive than this stays here; findings that cite it keep their text.">
            {(c) => (
              <select {...c} className="input" value={clearance} onChange={(e) => setClearance(e.target.value as Clearance)}>
                {CLEARANCES.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </DialogForm>
      )}
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}
