import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { LexicalComposer, type InitialConfigType } from '@lexical/react/LexicalComposer';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary';
import { HistoryPlugin } from '@lexical/react/LexicalHistoryPlugin';
import { ListPlugin } from '@lexical/react/LexicalListPlugin';
import { LinkPlugin } from '@lexical/react/LexicalLinkPlugin';
import { TablePlugin } from '@lexical/react/LexicalTablePlugin';
import { COMMAND_PRIORITY_HIGH, createEditor, KEY_DOWN_COMMAND } from 'lexical';
import type { FigureDef } from '../../../shared/figures/types';
import type { RequestOutputs } from '../../../shared/ipc/contract';
import { changeAffects } from '../../../shared/ipc/live';
import { upgradeLegacyGuidance } from '../../../shared/document/lexical';
import { call, toIpcError, useEvent, useRequest } from '../lib/api';
import { formatDateTime } from '../lib/format';
import { EditorServices, EditorServicesContext, type EvidenceRow } from './store';
import { EDITOR_NODES, EDITOR_THEME } from './theme';
import { FindBar, NEW_FIND, type FindState, type ReplaceDone, type ReportFind } from './FindBar';
import { countInLexical, replaceInLexical } from '../../../shared/document/find-replace';
import { SectionOutline } from './SectionOutline';
import { SidePanel, type FigureMode, type PanelTab } from './SidePanel';
import { setBlockType, Toolbar, useToolbarState, validateUrl } from './Toolbar';
import { INSERT_PAGE_BREAK_COMMAND } from './commands';
import { AssayCommandsPlugin } from './plugins/AssayCommandsPlugin';
import { AutosavePlugin, type SaveStatus } from './plugins/AutosavePlugin';
import { CitationNumberingPlugin } from './plugins/CitationNumberingPlugin';
import { FigureEvaluationPlugin } from './plugins/FigureEvaluationPlugin';
import { $selectAssayNodeBeforeCaret, SelectionPlugin, type SelectedAssayNode } from './plugins/SelectionPlugin';
import { GuidanceKeysPlugin } from './plugins/GuidanceKeysPlugin';
import { CaretSyncPlugin } from './plugins/CaretSyncPlugin';
import { FocusFigurePlugin } from './plugins/FocusFigurePlugin';
import { FigureCard } from './views/FigureCard';
import { SectionComments, useSectionComments } from './comments/SectionComments';
import { CommentList, CommentSheet, useCommentsAttention } from './comments/CommentCards';
import { ApproveDialog } from '../screens/review/ApproveDialog';
import './editor.css';

type Report = RequestOutputs['reports.get'];

/**
 * The report editor: section outline, the Lexical editor for one section, and a side panel for figures, evidence and
 * the selected node. Each section gets its own editor (and undo history), keyed by section id.
 */
/** A figure to take the reader to: the section, and the figure's place among the section's figures (document order). */
export interface FigureFocus {
  sectionId: string;
  figureIndex: number;
  /** A new value for each request. */
  token: number;
}

const LAYOUT_KEY = 'assay:editor-layout';
const lastSectionKey = (reportId: string) => `assay:last-section:${reportId}`;

function readLayout(): { outline: boolean; side: boolean } {
  try {
    const v = JSON.parse(window.localStorage.getItem(LAYOUT_KEY) ?? 'null') as { outline?: unknown; side?: unknown } | null;
    return { outline: v?.outline !== false, side: v?.side !== false };
  } catch {
    return { outline: true, side: true };
  }
}

function readLastSection(reportId: string): string | null {
  try {
    return window.localStorage.getItem(lastSectionKey(reportId));
  } catch {
    return null;
  }
}

export function ReportEditor({
  reportId,
  focus,
  initialSectionId,
  focusComment,
  onSection,
}: {
  reportId: string;
  focus?: FigureFocus | undefined;
  /** A comment to show at its passage (in the section initialSectionId names). */
  focusComment?: string | undefined;
  /** The section to open first (a deep link); else the one last worked on; else the first. */
  initialSectionId?: string | undefined;
  onSection?: ((sectionId: string) => void) | undefined;
}) {
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<SaveStatus>({ state: 'saved', at: null });
  const [defs, setDefs] = useState<ReadonlyMap<string, FigureDef>>(new Map());
  const [evidence, setEvidence] = useState<ReadonlyMap<string, EvidenceRow>>(new Map());
  // The newest content of each section this editor has seen or written; newer than the workspace while a save is in
  // flight, so switching sections never shows an older text.
  const contents = useRef(new Map<string, string>());

  const load = useCallback(async () => {
    try {
      const r = await call('reports.get', { id: reportId });
      for (const [id, json] of Object.entries(r.sectionContents)) if (!contents.current.has(id)) contents.current.set(id, json);
      setReport(r);
      setError(null);
      setSelectedId((cur) => {
        if (cur && r.sections.some((s) => s.id === cur)) return cur;
        const wanted = initialSectionId ?? readLastSection(reportId);
        return wanted && r.sections.some((s) => s.id === wanted) ? wanted : (r.sections[0]?.id ?? null);
      });
    } catch (e) {
      setError(toIpcError(e).message);
    }
  }, [reportId, initialSectionId]);

  const loadDefs = useCallback(async () => {
    try {
      const r = await call('figures.list', {});
      setDefs(new Map(r.figures.map((f) => [f.id, f])));
    } catch {
      /* The picker says the library is loading; the next workspace change retries. */
    }
  }, []);
  const loadEvidence = useCallback(async () => {
    try {
      const r = await call('evidence.list', {});
      setEvidence(new Map(r.rows.map((e) => [e.id, e])));
    } catch {
      /* As above. */
    }
  }, []);

  useEffect(() => {
    contents.current.clear();
    setReport(null);
    void load();
    void loadDefs();
    void loadEvidence();
  }, [load, loadDefs, loadEvidence]);

  useEvent('workspace.changed', ({ tables, label }) => {
    // The pickers need the figures' definitions (what figures.get reads), not figures.list's usage counts, which
    // change with every autosave of a section.
    if (changeAffects('figures.get', tables)) void loadDefs();
    if (changeAffects('evidence.list', tables)) void loadEvidence();
    // Parameters or the outline changed elsewhere (another window). A section's own autosave, labelled 'Edit a
    // section', is not worth reloading every section for.
    if (changeAffects('reports.get', tables) && label !== 'Edit a section') void load();
  });

  const onContent = useCallback((sectionId: string, json: string) => contents.current.set(sectionId, json), []);

  // Room to write: the outline and the side panel can be hidden (both: focus mode); the choice is remembered.
  const [layout, setLayout] = useState<{ outline: boolean; side: boolean }>(() => readLayout());
  useEffect(() => {
    try {
      window.localStorage.setItem(LAYOUT_KEY, JSON.stringify(layout));
    } catch {
      /* Storage may be unavailable; the layout then lasts for this visit. */
    }
  }, [layout]);
  // The editor reopens at the section last worked on (and the route says which, so a reload comes back to it).
  useEffect(() => {
    if (!selectedId) return;
    try {
      window.localStorage.setItem(lastSectionKey(reportId), selectedId);
    } catch {
      /* As above. */
    }
    onSection?.(selectedId);
  }, [reportId, selectedId, onSection]);

  // Find and replace across the report: its state lives here so that it carries on into the next section.
  const [find, setFind] = useState<FindState | null>(null);
  const [lastReplace, setLastReplace] = useState<ReplaceDone | null>(null);
  const setFindState = useCallback((f: (s: FindState) => FindState) => setFind((s) => (s ? f(s) : s)), []);
  const saveOthers = useCallback(async (next: ReadonlyMap<string, string>) => {
    for (const [id, json] of next) {
      await call('sections.saveContent', { id, content: json });
      contents.current.set(id, json);
    }
  }, []);

  // Asked to show a figure (the blackline): open its section; the section editor selects the figure.
  useEffect(() => {
    if (focus) setSelectedId(focus.sectionId);
  }, [focus]);

  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
      await load();
    } finally {
      setBusy(false);
    }
  };

  if (error && !report) {
    return (
      <div className="re re--message" role="alert">
        <h1>This report could not be opened</h1>
        <p>{error}</p>
        <button type="button" className="re-btn" onClick={() => void load()}>
          Try again
        </button>
      </div>
    );
  }
  if (!report) {
    return (
      <div className="re re--message" aria-busy="true">
        <p>Opening the report…</p>
      </div>
    );
  }

  const section = report.sections.find((s) => s.id === selectedId) ?? null;
  const focusMode = !layout.outline && !layout.side;

  return (
    <div className={`re${layout.outline ? '' : ' re--no-outline'}${layout.side ? '' : ' re--no-side'}`} data-testid="report-editor">
      {/* Past the layout buttons, the outline and the toolbar, straight to the words. */}
      <a
        className="skip-link"
        href="#report-editor-content"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('report-editor-content')?.focus();
        }}
      >
        Skip to the section text
      </a>
      <div className="re__layout" role="toolbar" aria-label="Layout">
        <button type="button" className="re__layout-btn" aria-pressed={layout.outline} onClick={() => setLayout((l) => ({ ...l, outline: !l.outline }))}>
          Sections
        </button>
        <button type="button" className="re__layout-btn" aria-pressed={layout.side} onClick={() => setLayout((l) => ({ ...l, side: !l.side }))}>
          Side panel
        </button>
        <button type="button" className="re__layout-btn" aria-pressed={focusMode} onClick={() => setLayout(focusMode ? { outline: true, side: true } : { outline: false, side: false })}>
          Focus mode
        </button>
      </div>
      <div className="re__body">
        {layout.outline && (
        <SectionOutline
          sections={report.sections}
          selectedId={selectedId}
          busy={busy}
          onSelect={setSelectedId}
          onAdd={(title) =>
            act(async () => {
              const r = await call('sections.add', { reportId, title, ...(selectedId ? { afterSectionId: selectedId } : {}) });
              setSelectedId(r.id);
            })
          }
          onRename={(id, title) => act(async () => void (await call('sections.rename', { id, title })))}
          onMove={(id, toIndex) => act(async () => void (await call('sections.move', { id, toIndex })))}
          onDelete={(id) =>
            act(async () => {
              const i = report.sections.findIndex((s) => s.id === id);
              await call('sections.delete', { id });
              contents.current.delete(id);
              if (id === selectedId) setSelectedId(report.sections[i + 1]?.id ?? report.sections[i - 1]?.id ?? null);
            })
          }
        />
        )}
        {section ? (
          <SectionEditor
            sidePanel={layout.side}
            find={
              find
                ? {
                    state: find,
                    setState: setFindState,
                    close: () => setFind(null),
                    report: {
                      sections: report.sections,
                      sectionId: section.id,
                      countIn: (id, q, o) => countInLexical(contents.current.get(id) ?? '', q, o),
                      goTo: (id) => setSelectedId(id),
                      replaceInOthers: async (q, replacement, o) => {
                        const before = new Map<string, string>();
                        const next = new Map<string, string>();
                        let count = 0;
                        for (const s of report.sections) {
                          if (s.id === section.id) continue;
                          const json = contents.current.get(s.id) ?? '';
                          const r = replaceInLexical(json, q, replacement, o);
                          if (!r.count) continue;
                          before.set(s.id, json);
                          next.set(s.id, r.json);
                          count += r.count;
                        }
                        await saveOthers(next);
                        return { count, before };
                      },
                      restore: saveOthers,
                      lastReplace,
                      setLastReplace,
                    },
                  }
                : null
            }
            onOpenFind={() => setFind((f) => f ?? NEW_FIND)}
            key={section.id}
            reportId={report.id}
            sectionId={section.id}
            title={section.title}
            reportParams={report.params}
            // Parameters and settings (the change rule) both change what figures print: either re-evaluates them.
            paramsKey={JSON.stringify([report.params, report.settings])}
            initialContent={contents.current.get(section.id) ?? ''}
            defs={defs}
            evidence={evidence}
            onStatus={setStatus}
            onContent={onContent}
            saveIndicator={<SaveIndicator status={status} />}
            sectionStatus={section.status}
            onSectionStatus={(next) => act(async () => void (await call('sections.setStatus', { id: section.id, status: next })))}
            onApproved={() => void load()}
            focusFigure={focus && focus.sectionId === section.id ? { index: focus.figureIndex, token: focus.token } : undefined}
            focusComment={section.id === initialSectionId ? focusComment : undefined}
          />
        ) : (
          <div className="se se--empty">
            <p>This report has no sections yet. Add one to start writing.</p>
          </div>
        )}
      </div>
    </div>
  );
}

function SaveIndicator({ status }: { status: SaveStatus }) {
  const text =
    status.state === 'saved'
      ? status.at
        ? `Saved ${formatDateTime(status.at)}`
        : 'All changes saved'
      : status.state === 'pending'
        ? 'Unsaved changes'
        : status.state === 'saving'
          ? 'Saving…'
          : `Not saved: ${status.message} Retrying…`;
  return (
    <p className={`savestate savestate--${status.state}`} role="status" data-testid="save-status" data-state={status.state}>
      <span className="savestate__dot" aria-hidden="true" />
      {text}
    </p>
  );
}

/**
 * Content from disk is checked before the editor sees it: a section that cannot be read opens read-only, unharmed.
 * Guidance written before the guidance node is loaded as guidance nodes (the exporters read it the same way).
 */
function checkContent(stored: string): { ok: true; state: string | undefined } | { ok: false; message: string } {
  if (!stored.trim()) return { ok: true, state: undefined };
  try {
    const json = upgradeLegacyGuidance(stored);
    const probe = createEditor({ nodes: EDITOR_NODES, onError: (e) => { throw e; } });
    const state = probe.parseEditorState(json);
    return { ok: true, state: state.isEmpty() ? undefined : json };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

function SectionEditor(props: {
  reportId: string;
  sectionId: string;
  title: string;
  reportParams: Record<string, string>;
  paramsKey: string;
  initialContent: string;
  defs: ReadonlyMap<string, FigureDef>;
  evidence: ReadonlyMap<string, EvidenceRow>;
  onStatus: (s: SaveStatus) => void;
  onContent: (sectionId: string, json: string) => void;
  saveIndicator: React.ReactNode;
  sectionStatus: string;
  onSectionStatus: (status: SectionStatus) => Promise<void>;
  onApproved: () => void;
  focusFigure?: { index: number; token: number } | undefined;
  focusComment?: string | undefined;
  /** Find and replace, kept by the report so that it carries on from section to section. */
  find: { state: FindState; setState: (f: (s: FindState) => FindState) => void; report: ReportFind; close: () => void } | null;
  onOpenFind: () => void;
  /** The side panel is shown (hidden in focus mode or when collapsed). */
  sidePanel: boolean;
}) {
  const services = useMemo(() => new EditorServices(props.reportId, props.sectionId), [props.reportId, props.sectionId]);
  useEffect(() => () => services.dispose(), [services]);
  useEffect(() => services.defs.set(props.defs), [services, props.defs]);
  useEffect(() => services.evidence.set(props.evidence), [services, props.evidence]);

  // Read once per section: later prop changes must not reset a mounted editor.
  const [checked] = useState(() => checkContent(props.initialContent));
  const readOnly = !checked.ok;
  const initialConfig: InitialConfigType = useMemo(
    () => ({
      namespace: 'assay-report-section',
      nodes: EDITOR_NODES,
      theme: EDITOR_THEME,
      editable: !readOnly,
      onError: (e: Error) => console.error('Report editor error', e),
      ...(checked.ok && checked.state ? { editorState: checked.state } : {}),
    }),
    [checked, readOnly],
  );

  const [tab, setTab] = useState<PanelTab>('figures');
  const [figureMode, setFigureMode] = useState<FigureMode>('inline');
  const [selected, setSelected] = useState<SelectedAssayNode | null>(null);
  const openFind = props.onOpenFind;
  const [linkOpen, setLinkOpen] = useState(false);
  const [focusToken, setFocusToken] = useState(0);

  const onSelected = useCallback((n: SelectedAssayNode | null) => {
    setSelected(n);
    if (n) setTab('details');
  }, []);
  const openFigures = useCallback((mode: FigureMode) => {
    setFigureMode(mode);
    setTab('figures');
    setFocusToken((t) => t + 1);
  }, []);
  const openEvidence = useCallback(() => {
    setTab('evidence');
    setFocusToken((t) => t + 1);
  }, []);
  const onStatus = props.onStatus;
  useEffect(() => () => onStatus({ state: 'saved', at: null }), [onStatus]);

  return (
    <EditorServicesContext.Provider value={services}>
      <LexicalComposer initialConfig={initialConfig}>
        <SectionComments sectionId={props.sectionId} readOnly={readOnly} focusComment={props.focusComment}>
        <CommentsAttention sidePanel={props.sidePanel} open={() => setTab('comments')} />
        <div
          className="se"
          onKeyDown={(e) => {
            // Find works wherever focus is in the section editor (toolbar, side panel), not only in the text.
            if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'f') {
              e.preventDefault();
              openFind();
            }
          }}
        >
          <div className="se__main">
            <SectionToolbar
              onFind={openFind}
              onInsertFigure={(m) => openFigures(m)}
              onCiteEvidence={openEvidence}
              linkEditorOpen={linkOpen}
              setLinkEditorOpen={setLinkOpen}
              readOnly={readOnly}
            />
            {props.find && <FindBar state={props.find.state} setState={props.find.setState} report={props.find.report} onClose={props.find.close} readOnly={readOnly} />}
            {!checked.ok && (
              <div className="se__banner" role="alert">
                <strong>This section’s saved content could not be read, so it is shown read-only and left unchanged.</strong> {checked.message}
              </div>
            )}
            {/* Scrollable by keyboard too (WCAG 2.1.1): it takes focus, and arrow keys scroll it. */}
            <div className="se__scroll" tabIndex={0} role="region" aria-label={`${props.title}: the page`}>
              <CommentSheet sidePanel={props.sidePanel}>
              <article className="se__page" aria-labelledby={`se-title-${props.sectionId}`}>
                <h2 className="se__title" id={`se-title-${props.sectionId}`}>
                  {props.title}
                </h2>
                <RichTextPlugin
                  contentEditable={
                    <ContentEditable
                      id="report-editor-content"
                      className="se__content"
                      aria-label={`Text of the section “${props.title}”`}
                      aria-placeholder="Start writing. Insert live figures and cite evidence from the toolbar."
                      placeholder={<div className="se__placeholder">Start writing. Insert live figures and cite evidence from the toolbar.</div>}
                      spellCheck
                      lang="en-GB"
                    />
                  }
                  ErrorBoundary={LexicalErrorBoundary}
                />
              </article>
              </CommentSheet>
            </div>
            <StatusBar
              services={services}
              sectionId={props.sectionId}
              saveIndicator={props.saveIndicator}
              sectionStatus={props.sectionStatus}
              onSectionStatus={props.onSectionStatus}
              onApproved={props.onApproved}
            />
          </div>
          {props.sidePanel && (
          <SidePanelWithComments
            tab={tab}
            setTab={setTab}
            figureMode={figureMode}
            setFigureMode={setFigureMode}
            selected={selected}
            reportParams={props.reportParams}
            focusToken={focusToken}
            readOnly={readOnly}
          />
          )}
        </div>
        <HistoryPlugin />
        <ListPlugin />
        <LinkPlugin validateUrl={validateUrl} />
        <TablePlugin hasCellMerge={false} hasCellBackgroundColor={false} />
        <AssayCommandsPlugin />
        <FigureEvaluationPlugin services={services} paramsKey={props.paramsKey} />
        <FocusFigurePlugin target={props.focusFigure} />
        <SelectionPlugin services={services} onSelected={onSelected} />
        <CaretSyncPlugin />
        <GuidanceKeysPlugin />
        <CitationNumberingPlugin services={services} />
        <AutosavePlugin sectionId={props.sectionId} readOnly={readOnly} onStatus={props.onStatus} onContent={props.onContent} />
        <ShortcutsPlugin onFind={openFind} onLink={() => setLinkOpen(true)} onFigure={() => openFigures('inline')} onEvidence={openEvidence} />
        <FigureCard />
        </SectionComments>
      </LexicalComposer>
    </EditorServicesContext.Provider>
  );
}

/** The toolbar, with Comment working on the section's comments. */
function SectionToolbar(props: Omit<React.ComponentProps<typeof Toolbar>, 'onComment'>) {
  const c = useSectionComments();
  return <Toolbar {...props} onComment={c.startComment} />;
}

/** The side panel, with the section's comments as a tab when there is no room for a margin. */
function SidePanelWithComments(props: Omit<React.ComponentProps<typeof SidePanel>, 'comments'>) {
  const c = useSectionComments();
  return <SidePanel {...props} comments={c.wide ? undefined : <CommentList />} />;
}

function CommentsAttention(props: { sidePanel: boolean; open: () => void }) {
  useCommentsAttention(props.open, props.sidePanel);
  return null;
}

/**
 * Under the page, like a word processor's status bar: the save state, and how many figures are stale or failed, so a
 * writer sees at a glance whether the numbers in this section still stand.
 */
type SectionStatus = 'draft' | 'in review' | 'approved';
const SECTION_STATUSES: { id: SectionStatus; label: string }[] = [
  { id: 'draft', label: 'Draft' },
  { id: 'in review', label: 'In review' },
  { id: 'approved', label: 'Approved' },
];

function StatusBar(props: {
  services: EditorServices;
  sectionId: string;
  saveIndicator: React.ReactNode;
  sectionStatus: string;
  onSectionStatus: (status: SectionStatus) => Promise<void>;
  onApproved: () => void;
}) {
  const { services, saveIndicator } = props;
  const [statusError, setStatusError] = useState<string | null>(null);
  // Approving asks first, as on the Review screen: the dialog says what is signed off and who approves.
  const [approving, setApproving] = useState(false);
  const [editor] = useLexicalComposerContext();
  const [counts, setCounts] = useState({ figures: 0, stale: 0, errors: 0, citations: 0 });
  useEffect(() => {
    let t: ReturnType<typeof setTimeout> | undefined;
    // Counted from the DOM a moment after changes settle: cheap, and it reflects exactly what the writer sees.
    const count = () => {
      clearTimeout(t);
      t = setTimeout(() => {
        const root = editor.getRootElement();
        if (!root) return;
        const next = {
          figures: root.querySelectorAll('.lf, .fb').length,
          stale: root.querySelectorAll('.lf--stale, .fb--stale').length,
          errors: root.querySelectorAll('.lf--error, .fb--error').length,
          citations: root.querySelectorAll('.cite').length,
        };
        setCounts((c) => (c.figures === next.figures && c.stale === next.stale && c.errors === next.errors && c.citations === next.citations ? c : next));
      }, 400);
    };
    count();
    const observer = new MutationObserver(count);
    const root = editor.getRootElement();
    if (root) observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
    return () => {
      clearTimeout(t);
      observer.disconnect();
    };
  }, [editor, services]);
  return (
    <div className="sb">
      {saveIndicator}
      <span className="sb__item">{counts.figures === 1 ? '1 figure' : `${counts.figures} figures`}</span>
      <span className="sb__item">{counts.citations === 1 ? '1 citation' : `${counts.citations} citations`}</span>
      {counts.stale > 0 && <span className="sb__item sb__item--stale">{counts.stale} stale</span>}
      {counts.errors > 0 && <span className="sb__item sb__item--error">{counts.errors} could not be calculated</span>}
      {props.sectionStatus === 'approved' && <ChangedSinceApproval sectionId={props.sectionId} />}
      <label className="sb__status">
        Section status
        <select
          value={props.sectionStatus}
          onChange={(e) => {
            setStatusError(null);
            if (e.target.value === 'approved') {
              setApproving(true);
              return;
            }
            props.onSectionStatus(e.target.value as SectionStatus).catch((err: unknown) => setStatusError(toIpcError(err).message));
          }}
          aria-describedby={statusError ? 'sb-status-error' : undefined}
        >
          {SECTION_STATUSES.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      {statusError && (
        <span id="sb-status-error" className="sb__item sb__item--error" role="alert">
          {statusError}
        </span>
      )}
      {approving && <ApproveDialog sectionId={props.sectionId} onClose={() => setApproving(false)} onApproved={props.onApproved} />}
    </div>
  );
}

/**
 * For an approved section: whether what it says now differs from what was signed off (text, citations or figures), so a
 * writer editing an approved section sees at once that it will need approving again.
 */
function ChangedSinceApproval(props: { sectionId: string }) {
  const approval = useRequest('sections.approval', { id: props.sectionId });
  const last = approval.data?.lastApproval;
  const changed = approval.data && (!last || last.changes.changed);
  if (!changed) return null;
  return (
    <span
      className="sb__item sb__item--stale"
      data-testid="changed-since-approval"
      title={last ? `Approved by ${last.by}; its text, citations or figures have changed since. Approve it again on the Review screen.` : 'Approved before approvals recorded the text: approve it again.'}
    >
      Changed since approval
    </span>
  );
}

/** Keyboard shortcuts while typing, ahead of Lexical's own key handling (which would turn Ctrl+Enter into a new line). */
function ShortcutsPlugin(props: { onFind: () => void; onLink: () => void; onFigure: () => void; onEvidence: () => void }) {
  const [editor] = useLexicalComposerContext();
  const st = useToolbarState(editor);
  const blockRef = useRef(st.blockType);
  blockRef.current = st.blockType;
  const propsRef = useRef(props);
  propsRef.current = props;
  useEffect(
    () =>
      editor.registerCommand(
        KEY_DOWN_COMMAND,
        (e: KeyboardEvent) => {
          const mod = e.ctrlKey || e.metaKey;
          if (!mod && e.altKey && !e.shiftKey && e.key === 'Enter') {
            // Command listeners run inside an editor update, so the $ function can change the selection directly.
            const done = $selectAssayNodeBeforeCaret();
            if (done) e.preventDefault();
            return done;
          }
          if (!mod) return false;
          const p = propsRef.current;
          const run = (fn: () => void) => {
            e.preventDefault();
            fn();
            return true;
          };
          const key = e.key.toLowerCase();
          if (!e.shiftKey && !e.altKey && key === 'f') return run(p.onFind);
          if (!e.shiftKey && !e.altKey && key === 'k') return run(p.onLink);
          if (!e.shiftKey && !e.altKey && e.key === 'Enter') return run(() => editor.dispatchCommand(INSERT_PAGE_BREAK_COMMAND, undefined));
          if (e.shiftKey && !e.altKey && e.code === 'KeyL') return run(p.onFigure);
          if (e.shiftKey && !e.altKey && e.code === 'KeyE') return run(p.onEvidence);
          if (e.shiftKey && !e.altKey && e.code === 'Digit8') return run(() => setBlockType(editor, 'bullet', blockRef.current));
          if (e.shiftKey && !e.altKey && e.code === 'Digit7') return run(() => setBlockType(editor, 'number', blockRef.current));
          if (e.altKey && !e.shiftKey) {
            const map: Record<string, Parameters<typeof setBlockType>[1]> = { Digit0: 'paragraph', Digit1: 'h1', Digit2: 'h2', Digit3: 'h3', KeyQ: 'quote' };
            const t = map[e.code];
            if (t) return run(() => setBlockType(editor, t, blockRef.current));
          }
          return false;
        },
        COMMAND_PRIORITY_HIGH,
      ),
    [editor],
  );
  return null;
}
