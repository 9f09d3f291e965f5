import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { call, toIpcError, useEvent, useRequest } from './lib/api';
import { NavContext, routeFromHash, routeToHash, SessionContext, type Route, type Session } from './lib/route';
import { Icon, LoadingBlock, Spinner, Tag } from './ui/bits';
import { ToastProvider } from './ui/Toast';
import { UserNameDialog } from './screens/UserNameDialog';
import { ActivityMenu } from './screens/activity/ActivityMenu';
import { ImportWizardContext } from './lib/import-wizard';
import { TransferContext } from './lib/transfer';
import { formatDateTime } from './lib/format';

const Home = lazy(() => import('./screens/Home'));
const DataBrowser = lazy(() => import('./screens/data/DataBrowser'));
const Reports = lazy(() => import('./screens/reports/Reports'));
const Figures = lazy(() => import('./screens/figures/Figures'));
const EvidenceScreen = lazy(() => import('./screens/evidence/EvidenceScreen'));
const ReviewScreen = lazy(() => import('./screens/review/ReviewScreen'));
const ImportWizard = lazy(() => import('./screens/import/ImportWizard'));
const BringInDialog = lazy(() => import('./screens/merge/BringInDialog'));
const ExportForInspectorDialog = lazy(() => import('./screens/merge/ExportForInspectorDialog'));

const NAV: { screen: Route['screen']; label: string; icon: 'home' | 'data' | 'reports' | 'figures' | 'evidence' | 'check' }[] = [
  { screen: 'home', label: 'Home', icon: 'home' },
  { screen: 'data', label: 'Data', icon: 'data' },
  { screen: 'reports', label: 'Reports', icon: 'reports' },
  { screen: 'figures', label: 'Figures', icon: 'figures' },
  { screen: 'evidence', label: 'Evidence', icon: 'evidence' },
  { screen: 'review', label: 'Review', icon: 'check' },
];

/** The screen to show: this history entry's, else the one the address names (a deep link, or after a reload), else Home. */
function readRoute(): Route {
  const s = window.history.state as { route?: Route } | null;
  return s?.route ?? routeFromHash(window.location.hash) ?? { screen: 'home' };
}

export function App() {
  const [route, setRoute] = useState<Route>(readRoute);
  const navigate = useCallback((r: Route) => {
    window.history.pushState({ route: r }, '', routeToHash(r));
    setRoute(r);
  }, []);
  useEffect(() => {
    const first = readRoute();
    window.history.replaceState({ route: first }, '', routeToHash(first));
    const onPop = () => setRoute(readRoute());
    // A link to another screen pasted into the address bar changes only the fragment: no history state comes with it.
    const onHash = () => {
      const r = routeFromHash(window.location.hash);
      if (r && !(window.history.state as { route?: Route } | null)?.route) {
        window.history.replaceState({ route: r }, '', routeToHash(r));
        setRoute(r);
      }
    };
    window.addEventListener('popstate', onPop);
    window.addEventListener('hashchange', onHash);
    return () => {
      window.removeEventListener('popstate', onPop);
      window.removeEventListener('hashchange', onHash);
    };
  }, []);
  // Moving to another screen moves focus to its heading, so keyboard and screen reader users start at the top of it.
  // Not on first load: then focus stays at the start of the page, where the skip link is.
  const firstScreen = useRef(true);
  useEffect(() => {
    if (firstScreen.current) {
      firstScreen.current = false;
      return;
    }
    const t = window.setTimeout(() => document.querySelector<HTMLElement>('main [data-page-title]')?.focus({ preventScroll: true }), 60);
    return () => window.clearTimeout(t);
  }, [route.screen]);

  // The import wizard is one dialog for the whole shell: Home, the Data screen and the menu open it.
  const [importOpen, setImportOpen] = useState(false);
  const importWizard = useMemo(() => ({ open: () => setImportOpen(true) }), []);
  // Moving work between workspaces: bringing an inspector's in, and making one for an inspector.
  const [transferOpen, setTransferOpen] = useState<'bring-in' | 'export-for-inspector' | null>(null);
  const transfer = useMemo(() => ({ bringIn: () => setTransferOpen('bring-in'), exportForInspector: () => setTransferOpen('export-for-inspector') }), []);

  // The application menu (Electron) asks for screens and dialogs by name.
  const routeRef = useRef(route);
  routeRef.current = route;
  useEvent('menu.command', ({ command }) => {
    const r = routeRef.current;
    if (command === 'new-report') navigate({ screen: 'reports', create: true });
    else if (command === 'export') navigate(r.screen === 'reports' && r.reportId ? { ...r, exportRequest: Date.now() } : { screen: 'reports' });
    else if (command === 'view-home') navigate({ screen: 'home' });
    else if (command === 'view-data') navigate({ screen: 'data' });
    else if (command === 'view-reports') navigate({ screen: 'reports' });
    else if (command === 'view-figures') navigate({ screen: 'figures' });
    else if (command === 'view-evidence') navigate({ screen: 'evidence' });
    else if (command === 'import') setImportOpen(true);
    else if (command === 'bring-in' || command === 'export-for-inspector') setTransferOpen(command);
  });

  const info = useRequest('workspace.info', {});
  const settings = useRequest('settings.get', {});
  const [userName, setUserName] = useState<string | null>(null);
  const [askName, setAskName] = useState(false);
  useEffect(() => {
    if (settings.status === 'ready') setUserName(settings.data.userName);
  }, [settings.status, settings.data]);

  // The summary is read again after every write (it counts every table): the session and the screen below change only
  // when what they show does, so an autosave while typing re-renders the top bar, not the editor.
  const demonstration = info.data?.demonstration ?? false;
  const workspaceName = info.data?.name ?? '';
  const session: Session = useMemo(
    () => ({ userName, demonstration, workspaceName, host: window.assay?.host ?? 'web' }),
    [userName, demonstration, workspaceName],
  );
  const onHome = route.screen === 'home';
  const content = useMemo(
    () => (
      <Suspense fallback={<LoadingBlock />}>
        {route.screen === 'home' && <Home info={info} />}
        {route.screen === 'data' && <DataBrowser route={route} />}
        {route.screen === 'reports' && <Reports route={route} />}
        {route.screen === 'figures' && <Figures route={route} />}
        {route.screen === 'evidence' && <EvidenceScreen route={route} />}
        {route.screen === 'review' && <ReviewScreen route={route} />}
      </Suspense>
    ),
    // `info` is a new object each render; Home depends on what it holds.
    [route, onHome ? info.status : null, onHome ? info.data : null],
  );

  useEffect(() => {
    if (info.data?.name) document.title = `${info.data.name} – Assay`;
  }, [info.data?.name]);

  const firstRun = settings.status === 'ready' && !settings.data.userName && !userName;

  if (!window.assay) {
    return (
      <div className="fatal">
        <h1>Assay cannot reach its workspace</h1>
        <p>This page needs Assay’s bridge. Open it from the Assay app, or from the address that `npm run web` prints.</p>
      </div>
    );
  }

  return (
    <NavContext.Provider value={{ route, navigate }}>
      <SessionContext.Provider value={session}>
        <ImportWizardContext.Provider value={importWizard}>
        <TransferContext.Provider value={transfer}>
        <ToastProvider>
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <div className="shell">
            <aside className="sidebar">
              <div className="brand">
                <span className="brand__mark" aria-hidden="true">
                  <svg width="26" height="26" viewBox="0 0 26 26">
                    <rect width="26" height="26" rx="7" fill="currentColor" />
                    <path d="M7 18l4-10h.5L15.5 18M8.6 14.2h5.3" stroke="#fff" strokeWidth="2" fill="none" strokeLinecap="round" strokeLinejoin="round" />
                    <circle cx="19" cy="16.5" r="1.8" fill="#fff" />
                  </svg>
                </span>
                <span className="brand__name">Assay</span>
              </div>
              <nav aria-label="Main">
                <ul className="nav">
                  {NAV.map((n) => (
                    <li key={n.screen}>
                      <button
                        type="button"
                        className="nav__item"
                        aria-current={route.screen === n.screen ? 'page' : undefined}
                        onClick={() => navigate({ screen: n.screen } as Route)}
                      >
                        <Icon name={n.icon} />
                        <span>{n.label}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              </nav>
              <div className="sidebar__foot">
                {/* Its name is its visible text (WCAG 2.5.3), with the words a screen reader needs before it. */}
                <button type="button" className="user-chip" onClick={() => setAskName(true)}>
                  <span className="user-chip__avatar" aria-hidden="true">
                    {initials(userName)}
                  </span>
                  <span className="user-chip__text">
                    <span className="visually-hidden">{userName ? 'Signed in as ' : ''}</span>
                    <span className="user-chip__name">{userName ?? 'Set your name'}</span>
                    <span className="user-chip__hint">Change name</span>
                  </span>
                </button>
              </div>
            </aside>
            <div className="main-col">
              <header className="topbar">
                <div className="topbar__workspace">
                  <span className="topbar__label">Workspace</span>
                  <span className="topbar__name" title={info.data?.path}>
                    {info.data?.name ?? (info.status === 'error' ? 'Unavailable' : '…')}
                  </span>
                  {info.data?.demonstration && (
                    <span className="demo-badge" title="This workspace holds generated demonstration data, not real inspection results.">
                      Demonstration data
                    </span>
                  )}
                </div>
                <ActivityMenu key={userName ?? ''} />
                <SaveIndicator initialDirty={info.data?.dirty ?? false} ready={info.status === 'ready'} />
              </header>
              <main id="main" className="content" tabIndex={-1}>
                {content}
              </main>
            </div>
          </div>
          {(firstRun || askName) && (
            <UserNameDialog
              firstRun={firstRun}
              current={userName}
              onDone={(name) => {
                if (name) setUserName(name);
                setAskName(false);
              }}
            />
          )}
          {importOpen && (
            <Suspense fallback={null}>
              <ImportWizard onClose={() => setImportOpen(false)} />
            </Suspense>
          )}
          {transferOpen && (
            <Suspense fallback={null}>
              {transferOpen === 'bring-in' ? <BringInDialog onClose={() => setTransferOpen(null)} /> : <ExportForInspectorDialog onClose={() => setTransferOpen(null)} />}
            </Suspense>
          )}
        </ToastProvider>
        </TransferContext.Provider>
        </ImportWizardContext.Provider>
      </SessionContext.Provider>
    </NavContext.Provider>
  );
}

function initials(name: string | null): string {
  if (!name) return '?';
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase();
}

type SaveState = { kind: 'saved'; at?: string } | { kind: 'dirty' } | { kind: 'saving' } | { kind: 'failed'; message: string };

/**
 * Every change is already journalled beside the file when it is acknowledged, so "unsaved" here means "not yet folded
 * into the workspace file": saving rewrites the file atomically. Ctrl+S (Cmd+S) saves from anywhere.
 */
function SaveIndicator(props: { initialDirty: boolean; ready: boolean }) {
  const [state, setState] = useState<SaveState>({ kind: 'saved' });
  useEffect(() => {
    if (props.ready) setState(props.initialDirty ? { kind: 'dirty' } : { kind: 'saved' });
  }, [props.ready, props.initialDirty]);
  useEvent('workspace.changed', () => setState((s) => (s.kind === 'saving' ? s : { kind: 'dirty' })));
  // The host also saves on its own after a quiet spell (autosave) without telling us; while we show unsaved
  // changes, ask now and then so the indicator never claims work is unsaved when the file already holds it.
  useEffect(() => {
    if (state.kind !== 'dirty') return;
    const t = window.setInterval(() => {
      call('workspace.info', {}).then(
        (i) => {
          if (!i.dirty) setState((s) => (s.kind === 'dirty' ? { kind: 'saved' } : s));
        },
        () => undefined,
      );
    }, 5000);
    return () => window.clearInterval(t);
  }, [state.kind]);
  const save = useCallback(async () => {
    setState({ kind: 'saving' });
    try {
      const r = await call('workspace.save', {});
      setState({ kind: 'saved', at: r.savedAt });
    } catch (e) {
      setState({ kind: 'failed', message: toIpcError(e).message });
    }
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save]);
  return (
    <div className="save-state" aria-live="polite">
      {state.kind === 'saved' && (
        <span className="save-state__text save-state__text--ok" title={state.at ? `Saved ${formatDateTime(state.at)}` : undefined}>
          <Icon name="check" size={16} /> All changes saved
        </span>
      )}
      {state.kind === 'saving' && <Spinner inline label="Saving" />}
      {state.kind === 'saving' && <span className="save-state__text">Saving…</span>}
      {state.kind === 'dirty' && (
        <>
          <span className="save-state__text" title="Your changes are safe in the recovery journal beside the file. Saving writes them into the workspace file itself.">
            <span className="save-state__dot" aria-hidden="true" />
            Unsaved changes
          </span>
          <button type="button" className="btn btn--small btn--secondary" onClick={() => void save()} aria-keyshortcuts="Control+S">
            <Icon name="save" size={16} /> Save
          </button>
        </>
      )}
      {state.kind === 'failed' && (
        <>
          <Tag tone="danger" title={state.message}>
            Save failed
          </Tag>
          <button type="button" className="btn btn--small btn--secondary" onClick={() => void save()}>
            Try again
          </button>
        </>
      )}
    </div>
  );
}
