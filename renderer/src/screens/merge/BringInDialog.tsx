import { useRef, useState } from 'react';
import { MAX_IMPORT_FILE_BYTES, type IpcError, type MergePreview } from '../../../../shared/ipc/contract';
import { api, call, toIpcError } from '../../lib/api';
import { formatBytes, formatNumber, plural } from '../../lib/format';
import { useNav } from '../../lib/route';
import { Dialog } from '../../ui/Dialog';
import { Field } from '../../ui/Field';
import { ErrorNotice, Icon } from '../../ui/bits';

/**
 * File › Bring in a workspace…: an inspector's workspace (or any other) merged into this one. The other file is
 * opened and the merge worked out first, writing nothing; the person sees what would be added, updated, kept and in
 * conflict, then brings it in. Records changed on both sides are never overwritten: they are listed on the Data
 * screen's Conflicts tab for a person to resolve.
 */
export default function BringInDialog(props: { onClose: () => void }) {
  const { navigate } = useNav();
  const [preview, setPreview] = useState<MergePreview | null>(null);
  const [done, setDone] = useState<MergePreview | null>(null);
  const [busy, setBusy] = useState<'opening' | 'merging' | null>(null);
  const [fileError, setFileError] = useState<string>();
  const [error, setError] = useState<IpcError | null>(null);
  const chooser = useRef<HTMLInputElement>(null);
  const upload = api().uploadImport;

  const open = async (run: () => Promise<MergePreview | null>) => {
    setFileError(undefined);
    setError(null);
    setPreview(null);
    setBusy('opening');
    try {
      const p = await run();
      if (p) setPreview(p);
    } catch (e) {
      setFileError(toIpcError(e).message);
    } finally {
      setBusy(null);
    }
  };

  const pick = (f: File | undefined) => {
    if (!f || !upload) return;
    if (f.size > MAX_IMPORT_FILE_BYTES) {
      setFileError(`${f.name} is ${formatBytes(f.size)}; workspaces up to ${formatBytes(MAX_IMPORT_FILE_BYTES)} can be brought in here. Use \`assay merge\` for larger ones.`);
      return;
    }
    void open(async () => call('merge.open', { upload: await upload(f, f.name) }));
  };

  const bringIn = async () => {
    if (!preview) return;
    setBusy('merging');
    setError(null);
    try {
      setDone(await call('merge.run', { handle: preview.handle }));
    } catch (e) {
      setError(toIpcError(e));
    } finally {
      setBusy(null);
    }
  };

  const shown = done ?? preview;
  const footer = done ? (
    <>
      {done.conflicts > 0 && (
        <button
          type="button"
          className="btn btn--primary"
          onClick={() => {
            props.onClose();
            navigate({ screen: 'data', tab: 'conflicts' });
          }}
        >
          Resolve {plural(done.conflicts, 'conflict')}
        </button>
      )}
      <button type="button" className={`btn ${done.conflicts > 0 ? 'btn--secondary' : 'btn--primary'}`} onClick={props.onClose}>
        Done
      </button>
    </>
  ) : (
    <>
      <button type="button" className="btn btn--secondary" onClick={props.onClose}>
        Cancel
      </button>
      <button type="button" className="btn btn--primary" disabled={!preview?.changed || busy !== null} onClick={() => void bringIn()}>
        {busy === 'merging' ? 'Bringing in…' : 'Bring in'}
      </button>
    </>
  );

  return (
    <Dialog
      title="Bring in a workspace"
      size="large"
      onClose={props.onClose}
      description="Adds an inspector’s work (inspections, scores, ratings, findings and evidence) to this workspace. You see what will change before anything does. A record changed in both workspaces is never overwritten: it is listed for you to resolve."
      footer={footer}
    >
      {!done && (
        <Field label="Workspace to bring in" error={fileError} hint="An Assay workspace (.assay), such as one made with Export for inspector. It is only read, never changed.">
          {(c) =>
            upload ? (
              <div className="file-picker">
                <input {...c} ref={chooser} type="file" accept=".assay" className="file-picker__input" onChange={(e) => pick(e.target.files?.[0])} />
                {busy === 'opening' && <span className="muted small">Opening the workspace and working out the changes…</span>}
              </div>
            ) : (
              <div className="file-picker">
                <button {...c} type="button" className="btn btn--secondary" disabled={busy !== null} onClick={() => void open(() => call('merge.open', {}))}>
                  <Icon name="import" size={16} /> {preview ? 'Choose another workspace…' : 'Choose a workspace…'}
                </button>
                {busy === 'opening' && <span className="muted small">Opening the workspace and working out the changes…</span>}
              </div>
            )
          }
        </Field>
      )}
      {error && <ErrorNotice error={error} />}
      {shown && (
        <section aria-labelledby="merge-summary-title" data-testid="merge-summary">
          <h3 id="merge-summary-title" className="section-title">
            {done ? 'Brought in' : 'What will change'}: {shown.peerName} <span className="muted small">({shown.fileName})</span>
          </h3>
          <p role="status" className={shown.conflicts ? 'notice notice--warning' : 'notice'}>
            {shown.message}
          </p>
          {shown.tables.length > 0 && (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Records by kind</caption>
                <thead>
                  <tr>
                    <th scope="col">Kind of record</th>
                    <th scope="col" className="num">
                      {done ? 'Added' : 'To add'}
                    </th>
                    <th scope="col" className="num">
                      {done ? 'Updated' : 'To update'}
                    </th>
                    <th scope="col" className="num">
                      Ours kept
                    </th>
                    <th scope="col" className="num">
                      In conflict
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.tables.map((t) => (
                    <tr key={t.table}>
                      <th scope="row">{t.label}</th>
                      <td className="num">{formatNumber(t.added)}</td>
                      <td className="num">{formatNumber(t.updated)}</td>
                      <td className="num">{formatNumber(t.keptOurs)}</td>
                      <td className="num">{t.conflicts ? <strong>{formatNumber(t.conflicts)}</strong> : '0'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p className="muted small">
            “Ours kept”: records changed only in this workspace since they were handed over, or reference data such as the register, which comes from CQC’s files rather than from inspectors.
          </p>
        </section>
      )}
    </Dialog>
  );
}
