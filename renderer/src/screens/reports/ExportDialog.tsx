import { useState } from 'react';
import type { RequestOutputs } from '../../../../shared/ipc/contract';
import { call, toIpcError, useEvent } from '../../lib/api';
import { formatBytes } from '../../lib/format';
import { useSession } from '../../lib/route';
import { Icon } from '../../ui/bits';
import { Dialog } from '../../ui/Dialog';
import { FieldGroup } from '../../ui/Field';

type Format = 'docx' | 'pdf' | 'html' | 'csv';
const FORMATS: { id: Format; label: string; hint: string }[] = [
  { id: 'docx', label: 'Word document (.docx)', hint: 'Real heading styles, captions and footnotes, for editing and review.' },
  { id: 'pdf', label: 'PDF (.pdf)', hint: 'Tagged, with bookmarks, for publication.' },
  { id: 'html', label: 'Web page (.html)', hint: 'One accessible page for the website.' },
  { id: 'csv', label: 'Figure data (.csv)', hint: 'The data behind every table and chart.' },
];
const FORMAT_NAMES: Record<string, string> = { docx: 'Word', pdf: 'PDF', html: 'Web page', csv: 'Data (CSV)' };

type Phase = { kind: 'choose' } | { kind: 'running'; step: string; done: number; total: number } | { kind: 'done'; result: RequestOutputs['export.run'] } | { kind: 'failed'; message: string };

export function ExportDialog(props: { reportId: string; reportTitle: string; onClose: () => void }) {
  const session = useSession();
  const [formats, setFormats] = useState<Set<Format>>(new Set(['docx', 'pdf']));
  const [audience, setAudience] = useState<'public' | 'internal'>('public');
  const [error, setError] = useState<string>();
  const [phase, setPhase] = useState<Phase>({ kind: 'choose' });
  const [shown, setShown] = useState<string>();

  useEvent('export.progress', (p) => {
    if (p.reportId !== props.reportId) return;
    setPhase((ph) => (ph.kind === 'running' ? { kind: 'running', step: p.step, done: p.done, total: p.total } : ph));
  });

  const run = async () => {
    if (formats.size === 0) return setError('Choose at least one format');
    setError(undefined);
    setPhase({ kind: 'running', step: 'Preparing the report', done: 0, total: 0 });
    try {
      // In Electron, leaving the folder out makes main ask with the system's folder picker; the loopback host writes
      // into its own export folder.
      const result = await call('export.run', { reportId: props.reportId, formats: FORMATS.map((f) => f.id).filter((f) => formats.has(f)), audience });
      setPhase({ kind: 'done', result });
    } catch (e) {
      setPhase({ kind: 'failed', message: toIpcError(e).message });
    }
  };

  const showInFolder = async (path: string) => {
    try {
      await call('export.showInFolder', { path });
      setShown(path);
    } catch (e) {
      setPhase({ kind: 'failed', message: toIpcError(e).message });
    }
  };

  const running = phase.kind === 'running';
  const pct = running && phase.total > 0 ? Math.round((phase.done / phase.total) * 100) : undefined;

  return (
    <Dialog
      title={`Export “${props.reportTitle}”`}
      onClose={props.onClose}
      dismissable={!running}
      footer={
        phase.kind === 'done' ? (
          <button type="button" className="btn btn--primary" onClick={props.onClose}>
            Done
          </button>
        ) : (
          <>
            <button type="button" className="btn btn--secondary" onClick={props.onClose} disabled={running}>
              Cancel
            </button>
            <button type="button" className="btn btn--primary" onClick={() => void run()} disabled={running}>
              <Icon name="export" size={16} /> {running ? 'Exporting…' : phase.kind === 'failed' ? 'Try again' : 'Export'}
            </button>
          </>
        )
      }
    >
      {(phase.kind === 'choose' || phase.kind === 'failed') && (
        <div className="export-form">
          {phase.kind === 'failed' && (
            <div className="notice notice--error" role="alert">
              <strong>The export did not finish.</strong> {phase.message}
            </div>
          )}
          <FieldGroup legend="Formats" error={error}>
            <div className="checks">
              {FORMATS.map((f) => (
                <label key={f.id} className="check-card">
                  <input
                    type="checkbox"
                    checked={formats.has(f.id)}
                    onChange={(e) => {
                      const next = new Set(formats);
                      if (e.target.checked) next.add(f.id);
                      else next.delete(f.id);
                      setFormats(next);
                    }}
                  />
                  <span>
                    <span className="check-card__label">{f.label}</span>
                    <span className="check-card__hint">{f.hint}</span>
                  </span>
                </label>
              ))}
            </div>
          </FieldGroup>
          <FieldGroup legend="Audience">
            <div className="radios">
              <label className="radio radio--block">
                <input type="radio" name="audience" checked={audience === 'public'} onChange={() => setAudience('public')} />
                <span>
                  <strong>Public</strong>
                  <span className="muted small block">Restricted evidence (official-sensitive and personal) is left out, and small numbers are suppressed.</span>
                </span>
              </label>
              <label className="radio radio--block">
                <input type="radio" name="audience" checked={audience === 'internal'} onChange={() => setAudience('internal')} />
                <span>
                  <strong>Internal</strong>
                  <span className="muted small block">Includes every evidence source. Handle the files as OFFICIAL-SENSITIVE.</span>
                </span>
              </label>
            </div>
          </FieldGroup>
          <div className="field">
            <span className="field__label">Destination</span>
            <p className="destination">
              <Icon name="folder" size={16} />
              {session.host === 'electron' ? 'You choose a folder when you press Export.' : 'The export folder of this Assay web session, on this computer.'}
            </p>
          </div>
        </div>
      )}
      {phase.kind === 'running' && (
        <div className="export-progress">
          <p className="export-progress__step" aria-live="polite">
            {phase.step}
            {phase.total > 0 ? ` (${phase.done} of ${phase.total})` : '…'}
          </p>
          <div className="progress" role="progressbar" aria-label="Export progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
            <div className={`progress__bar${pct === undefined ? ' progress__bar--indeterminate' : ''}`} style={pct === undefined ? undefined : { width: `${pct}%` }} />
          </div>
        </div>
      )}
      {phase.kind === 'done' && (
        <div className="export-result" role="status">
          <p className="export-result__lead">
            <Icon name="check" /> Exported {phase.result.files.length} {phase.result.files.length === 1 ? 'file' : 'files'} in {(phase.result.ms / 1000).toFixed(1)} s
            {audience === 'public' ? ' for the public.' : ' for internal use.'}
          </p>
          <ul className="file-list">
            {phase.result.files.map((f) => (
              <li key={f.path} className="file-list__item">
                <span className="file-list__format">{FORMAT_NAMES[f.format] ?? f.format}</span>
                <span className="file-list__path mono" title={f.path}>
                  {f.path.split(/[\\/]/).pop()}
                </span>
                <span className="muted small">{formatBytes(f.bytes)}</span>
                <button type="button" className="btn btn--small btn--secondary" onClick={() => void showInFolder(f.path)}>
                  <Icon name="folder" size={15} /> Show in folder
                </button>
              </li>
            ))}
          </ul>
          {shown && (
            <p className="muted small" aria-live="polite">
              {session.host === 'electron' ? 'Opened the folder.' : `The file is in ${shown.replace(/[\\/][^\\/]*$/, '')}`}
            </p>
          )}
        </div>
      )}
    </Dialog>
  );
}
