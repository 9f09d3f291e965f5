import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { MAX_IMPORT_FILE_BYTES, type EventPayloads, type ImportPreview, type IpcError, type RequestOutputs } from '../../../../shared/ipc/contract';
import { tableWords } from '../../../../shared/ipc/tables';
import { api, call, toIpcError, useEvent } from '../../lib/api';
import { formatBytes, formatDateTime, formatNumber, plural } from '../../lib/format';
import { useNav } from '../../lib/route';
import { Dialog } from '../../ui/Dialog';
import { Field, FieldGroup } from '../../ui/Field';
import { ErrorNotice, Icon, Tag } from '../../ui/bits';
import './import.css';

type Kind = 'cqc-ratings' | 'cqc-locations' | 'indicators' | 'evidence';
type Preview = ImportPreview;
type Outcome = RequestOutputs['import.run'];
type Progress = EventPayloads['import.progress'];

const KINDS: { id: Kind; label: string; hint: string }[] = [
  {
    id: 'cqc-ratings',
    label: 'CQC ratings',
    hint: 'CQC’s “Latest ratings” file or the API-derived long layout. Adds providers, locations and ratings with their history.',
  },
  {
    id: 'cqc-locations',
    label: 'CQC register of locations',
    hint: 'CQC’s API-derived locations file: registration status and dates, type, area and beds, as at the extract date. Figures as at a date count locations registered then.',
  },
  {
    id: 'indicators',
    label: 'Indicators',
    hint: 'Area-level measures over periods: area, period, indicator and value, with optional numerator and denominator.',
  },
  { id: 'evidence', label: 'Evidence register', hint: 'A list of evidence sources: kind, title, reference, date collected, sensitivity.' },
];

const PHASES: Record<Progress['phase'], string> = {
  reading: 'Reading the file',
  checking: 'Checking every row',
  writing: 'Writing to the workspace',
  saving: 'Saving the workspace file',
  done: 'Finishing',
};

const PREVIEW_ROWS = 10;

/** A file opened for import: the host holds its bytes under `handle`; the page never sends them through a request. */
interface Opened {
  handle: string;
  name: string;
  size: number;
  /** The preview import.open answered with, for the kind chosen then. */
  preview: { kind: Kind; preview: Preview };
}

type Phase =
  | { kind: 'choose' }
  | { kind: 'previewing' }
  | { kind: 'preview'; preview: Preview }
  | { kind: 'running'; progress?: Progress }
  | { kind: 'done'; outcome: Outcome };

const cap = (s: string) => (s === 'id' ? 'ID' : s.charAt(0).toUpperCase() + s.slice(1));

/** How far along an import is, 0–100: reading is measured in bytes; the phases after it are steps. */
function percent(p: Progress | undefined): number | undefined {
  if (!p) return undefined;
  if (p.phase === 'reading') return p.total > 0 ? Math.round((p.done / p.total) * 70) : undefined;
  return { checking: 75, writing: 85, saving: 95, done: 100 }[p.phase];
}

/**
 * Brings a CSV into the workspace in four steps: choose what and which file, check the preview and the columns,
 * import (every row is checked first; a file with any problem imports nothing), and see what changed.
 */
export default function ImportWizard(props: { onClose: () => void }) {
  const { navigate } = useNav();
  const [kind, setKind] = useState<Kind>('cqc-ratings');
  const [file, setFile] = useState<Opened | null>(null);
  const [opening, setOpening] = useState(false);
  const [edition, setEdition] = useState('');
  const [map, setMap] = useState<Record<string, string>>({});
  const [phase, setPhase] = useState<Phase>({ kind: 'choose' });
  const [error, setError] = useState<IpcError | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const [mapErrors, setMapErrors] = useState<Record<string, string>>({});
  const fileInput = useRef<HTMLInputElement>(null);
  const fileButton = useRef<HTMLButtonElement>(null);
  const focusTarget = useRef<HTMLHeadingElement>(null);

  // Each later step starts at its heading, so keyboard and screen reader users hear where they are. On opening, the
  // dialog's own focus (its first control) stands.
  const opened = useRef(false);
  useEffect(() => {
    if (!opened.current) {
      opened.current = true;
      return;
    }
    focusTarget.current?.focus();
  }, [phase.kind]);

  useEvent('import.progress', (p) => {
    if (!file || p.fileName !== file.name) return;
    setPhase((ph) => (ph.kind === 'running' ? { kind: 'running', progress: p } : ph));
  });

  const keepOpened = (o: RequestOutputs['import.open']) => {
    if (o) setFile({ handle: o.handle, name: o.fileName, size: o.bytes, preview: { kind, preview: o.preview } });
  };

  /**
   * The loopback host: the file the person picked is uploaded once, as its bytes, and opened by the handle that
   * returns. (Electron's main process opens files itself: see chooseWithDialog.)
   */
  const pick = async (f: File | undefined) => {
    setFileError(undefined);
    setError(null);
    if (!f) {
      setFile(null);
      return;
    }
    if (f.size === 0) {
      setFile(null);
      setFileError('The file is empty.');
      return;
    }
    if (f.size > MAX_IMPORT_FILE_BYTES) {
      setFile(null);
      setFileError(`The file is ${formatBytes(f.size)}; the import wizard takes files up to ${formatBytes(MAX_IMPORT_FILE_BYTES)}. Import larger files with \`assay import\`.`);
      return;
    }
    const upload = api().uploadImport;
    if (!upload) return;
    setOpening(true);
    try {
      const handle = await upload(f, f.name);
      keepOpened(await call('import.open', { kind, rows: PREVIEW_ROWS, upload: handle }));
    } catch (e) {
      setFile(null);
      setFileError(toIpcError(e).message);
    } finally {
      setOpening(false);
    }
  };

  /** Electron: main asks with its native open dialog and reads the file; null back means the person cancelled. */
  const chooseWithDialog = async () => {
    setFileError(undefined);
    setError(null);
    setOpening(true);
    try {
      keepOpened(await call('import.open', { kind, rows: PREVIEW_ROWS }));
    } catch (e) {
      setFileError(toIpcError(e).message);
    } finally {
      setOpening(false);
    }
  };

  const preview = async () => {
    if (!file) {
      setFileError('Choose a CSV file to import.');
      (fileInput.current ?? fileButton.current)?.focus();
      return;
    }
    setError(null);
    setPhase({ kind: 'previewing' });
    try {
      // Opening previewed the file as the kind chosen then; another kind reads its header again.
      const p = file.preview.kind === kind ? file.preview.preview : await call('import.preview', { handle: file.handle, kind, rows: PREVIEW_ROWS });
      setFile({ ...file, preview: { kind, preview: p } });
      setMap(p.suggestedMap ?? {});
      setMapErrors({});
      setPhase({ kind: 'preview', preview: p });
    } catch (e) {
      setError(toIpcError(e));
      setPhase({ kind: 'choose' });
    }
  };

  const run = async (p: Preview) => {
    if (!file) return;
    if (p.targets) {
      const missing: Record<string, string> = {};
      for (const t of p.targets) if (t.required && !map[t.target]) missing[t.target] = `Choose the column that holds the ${t.label}.`;
      setMapErrors(missing);
      if (Object.keys(missing).length > 0) return;
    }
    setError(null);
    setPhase({ kind: 'running' });
    const chosen = Object.fromEntries(Object.entries(map).filter(([, v]) => v));
    try {
      const outcome = await call('import.run', {
        handle: file.handle,
        kind,
        ...(edition.trim() ? { edition: edition.trim() } : {}),
        ...(p.targets ? { map: chosen } : {}),
      });
      setPhase({ kind: 'done', outcome });
    } catch (e) {
      setError(toIpcError(e));
      setPhase({ kind: 'preview', preview: p });
    }
  };

  const startAgain = () => {
    setFile(null);
    setPhase({ kind: 'choose' });
    setError(null);
  };

  const kindLabel = KINDS.find((k) => k.id === kind)?.label ?? kind;
  const step = phase.kind === 'choose' || phase.kind === 'previewing' ? 1 : phase.kind === 'preview' ? 2 : phase.kind === 'running' ? 3 : 4;

  let footer: ReactNode = null;
  if (phase.kind === 'choose' || phase.kind === 'previewing') {
    footer = (
      <>
        <button type="button" className="btn btn--secondary" onClick={props.onClose}>
          Cancel
        </button>
        <button type="button" className="btn btn--primary" onClick={() => void preview()} disabled={opening || phase.kind === 'previewing'}>
          {phase.kind === 'previewing' ? 'Reading…' : 'Preview the file'}
        </button>
      </>
    );
  } else if (phase.kind === 'preview') {
    const blocked = phase.preview.layout ? phase.preview.layout.missingColumns.length > 0 : false;
    footer = (
      <>
        <button type="button" className="btn btn--secondary" onClick={() => setPhase({ kind: 'choose' })}>
          Back
        </button>
        <button type="button" className="btn btn--primary" onClick={() => void run(phase.preview)} disabled={blocked}>
          <Icon name="import" size={16} /> Check and import
        </button>
      </>
    );
  } else if (phase.kind === 'done') {
    footer = phase.outcome.ok ? (
      <>
        <button type="button" className="btn btn--secondary" onClick={startAgain}>
          Import another file
        </button>
        {(kind === 'cqc-ratings' || kind === 'cqc-locations') && (
          <button
            type="button"
            className="btn btn--secondary"
            onClick={() => {
              props.onClose();
              navigate({ screen: 'data', tab: 'locations' });
            }}
          >
            Browse locations
          </button>
        )}
        <button type="button" className="btn btn--primary" onClick={props.onClose}>
          Done
        </button>
      </>
    ) : (
      <>
        <button type="button" className="btn btn--secondary" onClick={props.onClose}>
          Close
        </button>
        <button type="button" className="btn btn--primary" onClick={startAgain}>
          Choose another file
        </button>
      </>
    );
  }

  return (
    <Dialog
      title="Import data"
      size="large"
      onClose={props.onClose}
      dismissable={phase.kind !== 'running'}
      description={
        <ol className="import-steps" aria-label="Steps">
          {['Choose a file', 'Check the columns', 'Import', 'Result'].map((s, i) => (
            <li key={s} className={`import-steps__step${i + 1 === step ? ' import-steps__step--current' : ''}${i + 1 < step ? ' import-steps__step--done' : ''}`} aria-current={i + 1 === step ? 'step' : undefined}>
              <span className="import-steps__num" aria-hidden="true">
                {i + 1 < step ? '✓' : i + 1}
              </span>
              {s}
            </li>
          ))}
        </ol>
      }
      footer={footer}
    >
      <div className="import-wizard">
        {error && <ErrorNotice error={error} />}

        {(phase.kind === 'choose' || phase.kind === 'previewing') && (
          <>
            <h3 className="visually-hidden" tabIndex={-1} ref={focusTarget}>
              Step 1: choose a file
            </h3>
            <FieldGroup legend="What are you importing?">
              <div className="radios import-kinds">
                {KINDS.map((k) => (
                  <label key={k.id} className="radio radio--block">
                    <input type="radio" name="import-kind" value={k.id} checked={kind === k.id} onChange={() => setKind(k.id)} />
                    <span>
                      <strong>{k.label}</strong>
                      <span className="muted small block">{k.hint}</span>
                    </span>
                  </label>
                ))}
              </div>
            </FieldGroup>
            {api().uploadImport ? (
              <Field label="CSV file" error={fileError} hint="Comma-separated, saved as UTF-8. The header is row 1.">
                {(c) => (
                  <div className="file-picker">
                    <input {...c} ref={fileInput} type="file" accept=".csv,text/csv" className="file-picker__input" onChange={(e) => void pick(e.target.files?.[0])} />
                    {opening && <span className="muted small">Opening the file…</span>}
                    {file && !opening && <PickedFile file={file} />}
                  </div>
                )}
              </Field>
            ) : (
              <Field label="CSV file" error={fileError} hint="Comma-separated, saved as UTF-8. The header is row 1.">
                {(c) => (
                  <div className="file-picker">
                    <button {...c} ref={fileButton} type="button" className="btn btn--secondary" onClick={() => void chooseWithDialog()} disabled={opening}>
                      <Icon name="import" size={16} /> {file ? 'Choose another file…' : 'Choose a file…'}
                    </button>
                    {opening && <span className="muted small">Opening the file…</span>}
                    {file && !opening && <PickedFile file={file} />}
                  </div>
                )}
              </Field>
            )}
            <Field label="Edition" optional hint="Which release of the dataset this is, for example “March 2025”. Kept with the import record.">
              {(c) => <input {...c} className="input import-wizard__edition" value={edition} maxLength={100} onChange={(e) => setEdition(e.target.value)} />}
            </Field>
          </>
        )}

        {phase.kind === 'preview' && (
          <PreviewStep
            preview={phase.preview}
            kindLabel={kindLabel}
            map={map}
            setMap={setMap}
            mapErrors={mapErrors}
            clearMapError={(target) => setMapErrors((m) => Object.fromEntries(Object.entries(m).filter(([k]) => k !== target)))}
            headingRef={focusTarget}
          />
        )}

        {phase.kind === 'running' && <RunningStep progress={phase.progress} fileName={file?.name ?? ''} headingRef={focusTarget} />}

        {phase.kind === 'done' && <ResultStep outcome={phase.outcome} headingRef={focusTarget} />}
      </div>
    </Dialog>
  );
}

function PreviewStep(props: {
  preview: Preview;
  kindLabel: string;
  map: Record<string, string>;
  setMap: (m: Record<string, string>) => void;
  mapErrors: Record<string, string>;
  clearMapError: (target: string) => void;
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  const { preview: p, map } = props;
  const mapped = new Set(Object.values(map));
  return (
    <>
      <section aria-labelledby="import-preview-h" className="import-section">
        <h3 id="import-preview-h" className="import-section__title" tabIndex={-1} ref={props.headingRef}>
          Preview of {p.fileName}
        </h3>
        <p className="import-section__lead">
          {props.kindLabel}: {plural(p.header.length, 'column')}; the first {plural(p.rows.length, 'row')} below. Every row is checked when you import.
        </p>
        {p.layout && (
          <p className="import-layout">
            <span className="muted">Layout</span>{' '}
            {p.layout.missingColumns.length === 0 ? <Tag tone="success">Recognised</Tag> : <Tag tone="danger">Columns missing</Tag>} <strong>{p.layout.name}</strong>
          </p>
        )}
        {p.layout && p.layout.missingColumns.length > 0 && (
          <div className="notice notice--error" role="alert">
            This file cannot be imported as CQC ratings: it has no {p.layout.missingColumns.map((c) => `“${c}”`).join(', ')}{' '}
            {p.layout.missingColumns.length === 1 ? 'column' : 'columns'}. Check you chose the right kind and file.
          </div>
        )}
        {p.problems.length > 0 && <ProblemList problems={p.problems} count={p.problems.length} label="Problems in the first rows" />}
        <div className="table-wrap table-wrap--preview import-preview" tabIndex={0} role="region" aria-label={`First rows of ${p.fileName}`}>
          <table className="table table--compact table--sticky">
            <thead>
              <tr>
                <th scope="col" className="import-preview__rownum">
                  Row
                </th>
                {p.header.map((h, i) => (
                  <th key={i} scope="col" className={p.targets && mapped.has(h) ? 'import-preview__mapped' : undefined}>
                    {h || <span className="muted">(blank)</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {p.rows.map((r, i) => (
                <tr key={i}>
                  <td className="import-preview__rownum">{i + 2}</td>
                  {p.header.map((_, j) => (
                    <td key={j}>{r[j] ?? ''}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {p.targets && (
        <section aria-labelledby="import-map-h" className="import-section">
          <h3 id="import-map-h" className="import-section__title">
            Columns
          </h3>
          <p className="import-section__lead">Which of the file’s columns holds each field. Assay suggested these from the header; change any that are wrong.</p>
          <div className="form-grid import-map">
            {p.targets.map((t) => (
              <Field key={t.target} label={cap(t.label)} optional={!t.required} error={props.mapErrors[t.target]}>
                {(c) => (
                  <select
                    {...c}
                    className="select"
                    value={map[t.target] ?? ''}
                    onChange={(e) => {
                      props.setMap({ ...map, [t.target]: e.target.value });
                      if (e.target.value) props.clearMapError(t.target);
                    }}
                  >
                    <option value="">{t.required ? 'Choose a column' : 'Not in this file'}</option>
                    {p.header
                      .filter((h) => h)
                      .map((h) => (
                        <option key={h} value={h}>
                          {h}
                        </option>
                      ))}
                  </select>
                )}
              </Field>
            ))}
          </div>
        </section>
      )}
    </>
  );
}

function RunningStep(props: { progress: Progress | undefined; fileName: string; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const pct = percent(props.progress);
  const p = props.progress;
  return (
    <div className="import-running">
      <h3 className="import-section__title" tabIndex={-1} ref={props.headingRef}>
        Importing {props.fileName}
      </h3>
      <p className="import-running__step" aria-live="polite">
        {p ? PHASES[p.phase] : 'Starting'}
        {p?.phase === 'reading' && p.total > 0 ? ` (${formatBytes(p.done)} of ${formatBytes(p.total)})` : '…'}
      </p>
      <div className="progress" role="progressbar" aria-label="Import progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className={`progress__bar${pct === undefined ? ' progress__bar--indeterminate' : ''}`} style={pct === undefined ? undefined : { width: `${pct}%` }} />
      </div>
      <p className="muted small">Every row is checked before anything is written: either the whole file goes in, or none of it does.</p>
    </div>
  );
}

function ResultStep(props: { outcome: Outcome; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const o = props.outcome;
  if (!o.ok) {
    return (
      <div className="import-result">
        <h3 className="import-section__title import-result__title import-result__title--bad" tabIndex={-1} ref={props.headingRef}>
          Nothing was imported
        </h3>
        <div className="notice notice--error" role="alert">
          <span>
            <strong>
              {o.fileName} has {plural(o.problemCount, 'problem')}, so nothing was imported and the workspace is unchanged.
            </strong>{' '}
            Correct the file and import it again.
          </span>
        </div>
        <ProblemList problems={o.problems} count={o.problemCount} label="Problems found" />
      </div>
    );
  }
  const tables = Object.entries(o.tables);
  const rec = o.import;
  return (
    <div className="import-result">
      <h3 className="import-section__title import-result__title" tabIndex={-1} ref={props.headingRef}>
        <Icon name="check" /> {rec ? 'Imported' : 'Nothing new to import'}
      </h3>
      <p className="import-section__lead" role="status">
        {o.message} {o.detail}
      </p>
      {tables.length > 0 && (
        <div className="table-wrap import-counts-wrap">
          <table className="table table--compact import-counts">
            <caption className="visually-hidden">Rows added, updated and unchanged per table</caption>
            <thead>
              <tr>
                <th scope="col">Table</th>
                <th scope="col" className="num">
                  Added
                </th>
                <th scope="col" className="num">
                  Updated
                </th>
                <th scope="col" className="num">
                  Unchanged
                </th>
              </tr>
            </thead>
            <tbody>
              {tables.map(([t, c]) => (
                <tr key={t}>
                  <th scope="row">{cap(tableWords(t))}</th>
                  <td className="num">{formatNumber(c.added)}</td>
                  <td className="num">{formatNumber(c.updated)}</td>
                  <td className="num">{formatNumber(c.unchanged)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rec && (
        <section aria-labelledby="import-record-h" className="import-section">
          <h4 id="import-record-h" className="import-section__subtitle">
            Import record
          </h4>
          <dl className="facts">
            <div>
              <dt>File</dt>
              <dd>{rec.fileName}</dd>
            </div>
            <div>
              <dt>Rows read</dt>
              <dd>{formatNumber(rec.rows)}</dd>
            </div>
            <div>
              <dt>Imported by</dt>
              <dd>{rec.importedBy}</dd>
            </div>
            <div>
              <dt>When</dt>
              <dd>{formatDateTime(rec.importedAt)}</dd>
            </div>
            <div>
              <dt>Edition</dt>
              <dd>{rec.edition ?? '—'}</dd>
            </div>
            <div>
              <dt>Record</dt>
              <dd className="mono small">{rec.id}</dd>
            </div>
          </dl>
        </section>
      )}
      {o.warnings.length > 0 && <ProblemList problems={o.warnings} count={o.warnings.length} label="Warnings (imported, but worth a look)" tone="warning" />}
    </div>
  );
}

function ProblemList(props: { problems: readonly { row?: number; line?: number; column?: string; message: string }[]; count: number; label: string; tone?: 'danger' | 'warning' }) {
  const shown = props.problems.length;
  return (
    <section className={`import-problems import-problems--${props.tone ?? 'danger'}`} aria-label={props.label}>
      <h4 className="import-section__subtitle">
        {props.label} <span className="muted">({formatNumber(props.count)})</span>
      </h4>
      <ul className="import-problems__list" tabIndex={0} aria-label={`${props.label}: ${plural(props.count, 'problem')}`}>
        {props.problems.map((p, i) => (
          <li key={i} className="import-problems__item">
            <span className="import-problems__where">
              {p.row !== undefined ? `Row ${p.row}` : 'File'}
              {p.line !== undefined && p.line !== p.row ? ` (line ${p.line})` : ''}
              {p.column !== undefined && <span className="import-problems__column"> · {p.column}</span>}
            </span>
            <span className="import-problems__message">{cap(p.message)}</span>
          </li>
        ))}
      </ul>
      {props.count > shown && <p className="muted small">Showing the first {formatNumber(shown)} of {formatNumber(props.count)}.</p>}
    </section>
  );
}

function PickedFile(props: { file: Opened }) {
  return (
    <span className="attachment" data-testid="import-file">
      <Icon name="reports" size={15} /> {props.file.name} <span className="muted">({formatBytes(props.file.size)})</span>
    </span>
  );
}
