import { useState } from 'react';
import type { RequestOutputs } from '../../../../shared/ipc/contract';
import { call, toIpcError, useEvent } from '../../lib/api';
import { formatBytes } from '../../lib/format';
import { useSession } from '../../lib/route';
import { Icon } from '../../ui/bits';
import { Dialog } from '../../ui/Dialog';
import { FieldGroup } from '../../ui/Field';

type Format = 'docx' | 'pdf' | 'html' | 'csv' | 'xlsx';
const FORMATS: { id: Format; label: string; hint: string }[] = [
  { id: 'docx', label: 'Word document (.docx)', hint: 'Real heading styles, captions and footnotes, for editing and review.' },
  { id: 'pdf', label: 'PDF (.pdf)', hint: 'Tagged, with bookmarks, for publication.' },
  { id: 'html', label: 'Web page (.html)', hint: 'One accessible page for the website.' },
  { id: 'csv', label: 'Data download (.csv)', hint: 'Tidy data: one row for each figure value, with its dimensions, unit and source.' },
  { id: 'xlsx', label: 'Data workbook (XLSX)', hint: 'The same data as a spreadsheet: cover, contents and notes sheets, then one table per sheet.' },
];
const FORMAT_NAMES: Record<string, string> = { docx: 'Word', pdf: 'PDF', html: 'Web page', csv: 'Data (CSV)', xlsx: 'Data (XLSX)' };

type Refusal = NonNullable<RequestOutputs['export.run']['refused']>;
type Phase =
  | { kind: 'choose' }
  | { kind: 'running'; step: string; done: number; total: number; draft: boolean }
  | { kind: 'done'; result: RequestOutputs['export.run'] }
  | { kind: 'refused'; refusal: Refusal }
  | { kind: 'failed'; message: string };

/** Where a problem is, as a reader finds it: the section, the paragraph and the sentence. */
function place(p: Refusal['problems'][number]): string {
  return [p.section ? `“${p.section}”` : '', p.paragraph ? `paragraph ${p.paragraph}` : '', p.sentence ? `sentence ${p.sentence}` : ''].filter(Boolean).join(', ');
}

/**
 * The problems that stopped a public export, one per line with where it is, the figure it is about and the start of
 * the sentence, in a list that scrolls: a report early in review has over a hundred.
 */
function RefusalList(props: { refusal: Refusal }) {
  const { problems } = props.refusal;
  return (
    <div className="export-refusal">
      <div className="notice notice--error" role="alert">
        <strong>The public edition was not exported.</strong> {props.refusal.message.replace(/^The public edition of “.*?” was not exported: /, '')}
      </div>
      <p id="export-refusal-h" className="field__label">
        {problems.length} {problems.length === 1 ? 'problem blocks' : 'problems block'} publication
      </p>
      <ol className="checklist export-refusal__list" aria-labelledby="export-refusal-h" tabIndex={0} style={{ maxHeight: 280, paddingLeft: 0, listStyle: 'none' }}>
        {problems.map((p, i) => (
          <li key={i} className="checklist__item" style={{ display: 'block' }}>
            <span className="small block">
              <strong>{place(p) || 'The report'}</strong>
              {p.figure ? <> · figure “{p.figure}”</> : null}
            </span>
            <span className="block">{p.message}</span>
            {p.excerpt && <span className="muted small block">“{p.excerpt}”</span>}
          </li>
        ))}
      </ol>
      <p className="muted small">
        Resolve these and approve the sections for the public edition, or export a draft: every page of it says DRAFT, and its files are named “…-draft”.
      </p>
    </div>
  );
}

export function ExportDialog(props: { reportId: string; reportTitle: string; onClose: () => void }) {
  const session = useSession();
  const [formats, setFormats] = useState<Set<Format>>(new Set(['docx', 'pdf']));
  const [audience, setAudience] = useState<'public' | 'internal'>('public');
  const [error, setError] = useState<string>();
  const [phase, setPhase] = useState<Phase>({ kind: 'choose' });
  const [shown, setShown] = useState<string>();

  useEvent('export.progress', (p) => {
    if (p.reportId !== props.reportId) return;
    setPhase((ph) => (ph.kind === 'running' ? { ...ph, step: p.step, done: p.done, total: p.total } : ph));
  });

  const run = async (draft: boolean) => {
    if (formats.size === 0) return setError('Choose at least one format');
    setError(undefined);
    setPhase({ kind: 'running', step: draft ? 'Preparing the draft' : 'Checking the report for publication', done: 0, total: 0, draft });
    try {
      // In Electron, leaving the folder out makes main ask with the system's folder picker; the loopback host writes
      // into its own export folder.
      const result = await call('export.run', { reportId: props.reportId, formats: FORMATS.map((f) => f.id).filter((f) => formats.has(f)), audience, draft });
      setPhase(result.refused ? { kind: 'refused', refusal: result.refused } : { kind: 'done', result });
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
            <button type="button" className="btn btn--secondary" onClick={() => void run(true)} disabled={running}>
              Export draft
            </button>
            {phase.kind !== 'refused' && (
              <button type="button" className="btn btn--primary" onClick={() => void run(false)} disabled={running}>
                <Icon name="export" size={16} /> {running ? 'Exporting…' : phase.kind === 'failed' ? 'Try again' : 'Export'}
              </button>
            )}
          </>
        )
      }
    >
      {phase.kind === 'refused' && <RefusalList refusal={phase.refusal} />}
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
            {phase.result.edition === 'draft' ? ': a DRAFT, marked as one on every page, not for publication.' : audience === 'public' ? ' for the public.' : ' for internal use.'}
          </p>
          <ul className="file-list">
            {phase.result.files.map((f) => (
              <li key={f.path} className="file-list__item">
                <span className="file-list__format">{FORMAT_NAMES[f.format] ?? f.format}</span>
                <span className="file-list__path mono" title={f.path}>
                  {f.path.split(/[\\/]/).pop()}
                </span>
                <span className="muted small">{formatBytes(f.bytes)}</span>
                {f.note && <span className="muted small file-list__note">{f.note.charAt(0).toUpperCase() + f.note.slice(1)}.</span>}
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
