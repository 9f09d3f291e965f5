import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, shell, session as electronSession, type WebContents } from 'electron';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REQUEST_NAMES } from '../../shared/ipc/contract';
import { handlers } from '../services/app/handlers';
import { createDispatch, type Dispatch } from '../services/app/ipc/dispatch';
import { AppSession, type HostServices, type SessionEvent } from '../services/app/session/session';
import { SettingsStore } from '../services/app/session/settings';
import { CONTENT_SECURITY_POLICY, contentTypeOf } from '../services/http/static';
import { ensureDemoWorkspace } from '../services/demo/ensure';
import { ExportFolders } from '../services/app/files/export-folder';
import { WorkspaceFile } from '../services/workspace-file';
import { isWorkspaceError } from '../../shared/store/errors';
import { appFileFor, APP_ENTRY, APP_SCHEME, isAppUrl } from './protocol-path';
import { workspaceFromArgv } from './argv';
import { isAllowedExternalUrl } from './external-links';
import { createIpcGuard, EVENT_CHANNEL, requestChannel } from './ipc-guard';
import { buildMenuTemplate } from './menu-template';
import { windowOptions } from './window-options';
import { visibleBounds, WindowStateStore } from './window-state';
import { printHtmlToPdf } from './pdf';
import { chooseImportFile } from './import-dialog';

const HERE = dirname(fileURLToPath(import.meta.url));
const RENDERER_DIR = join(HERE, '..', 'renderer');
const PRELOAD = join(HERE, '..', 'preload', 'index.cjs');
/** out/main/ -> the project's resources/ (an unpackaged app) or the packaged app's resources beside it. */
const ICON = join(HERE, '..', '..', 'resources', 'icon.png');

// Must happen before `ready`: the app's pages come from assay://app, a standard, secure origin of their own, so they
// get a real origin for the CSP and the sender check, and never share one with file:// content.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
]);

interface OpenWindow {
  win: BrowserWindow;
  /** The window's WebContents id, kept because a destroyed window can no longer say it. */
  id: number;
  session: AppSession;
  dispatch: Dispatch;
  off: () => void;
}

const windows = new Map<number, OpenWindow>();
const byPath = new Map<string, OpenWindow>();
const pendingFiles: string[] = [];
let settings: SettingsStore;
let windowState: WindowStateStore;
let quitting = false;
let savedForQuit = false;

const log = (message: string, error?: unknown): void => console.error(`assay: ${message}`, error ?? '');

/**
 * `npm start` (electron-vite dev) serves the renderer from a local dev server with hot reloading and says where in
 * ELECTRON_RENDERER_URL. Only an unpackaged app honours it; a packaged one always uses assay://app.
 */
function devServer(): { url: string; origin: string } | undefined {
  const url = process.env.ELECTRON_RENDERER_URL;
  if (app.isPackaged || !url) return undefined;
  try {
    const u = new URL(url);
    if (u.hostname !== 'localhost' && u.hostname !== '127.0.0.1') return undefined;
    return { url, origin: u.origin };
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------------------------------- single instance -----
if (!app.requestSingleInstanceLock()) {
  // The first instance gets our argv through `second-instance` and opens the file there.
  app.quit();
} else {
  app.on('second-instance', (_event, argv, cwd) => {
    const file = workspaceFromArgv(argv, cwd);
    if (file) void openWorkspace(file);
    else focusAny();
  });
  // macOS hands files to a running app (double-click in Finder, drag onto the Dock icon) by event, not argv.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (app.isReady()) void openWorkspace(path);
    else pendingFiles.push(path);
  });
  app.whenReady().then(start, (e: unknown) => log('could not start', e));
}

function focusAny(): void {
  const w = BrowserWindow.getAllWindows()[0];
  if (w) {
    if (w.isMinimized()) w.restore();
    w.focus();
  }
}

function focused(): OpenWindow | undefined {
  const w = BrowserWindow.getFocusedWindow();
  return w ? windows.get(w.webContents.id) : undefined;
}

// ------------------------------------------------------------------------------------------------- startup -------
async function start(): Promise<void> {
  const userData = app.getPath('userData');
  settings = new SettingsStore(userData);
  windowState = new WindowStateStore(userData);
  registerProtocol();
  hardenSessions();
  registerIpc();
  refreshMenu();

  const fromArgv = workspaceFromArgv(process.argv, process.cwd());
  const first = pendingFiles.shift() ?? fromArgv;
  if (first) await openWorkspace(first);
  for (const f of pendingFiles.splice(0)) await openWorkspace(f);
  if (windows.size === 0) await openDemo();
  // Nothing could be opened and the user cancelled: outside macOS there is no menu bar without a window, so stop.
  if (windows.size === 0 && process.platform !== 'darwin') app.quit();
}

/**
 * A plain window saying what is happening while the demonstration workspace is generated on first run (a minute of
 * work the window would otherwise sit invisible through). Static text, no scripts, no bridge.
 */
async function showSplash(message: string): Promise<BrowserWindow> {
  const options = windowOptions({ title: 'Assay', print: true });
  const splash = new BrowserWindow({
    ...options,
    width: 460,
    height: 180,
    resizable: false,
    minimizable: false,
    maximizable: false,
    center: true,
    webPreferences: { ...options.webPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false, javascript: false, disableBlinkFeatures: 'Auxclick' },
  });
  const html =
    `<!doctype html><html lang="en-GB"><meta charset="utf-8"><title>Assay</title>` +
    `<body style="font: 15px/1.5 system-ui, sans-serif; margin: 32px; color: #1a1a1a"><strong>Assay</strong><p>${message}</p></body></html>`;
  splash.once('ready-to-show', () => splash.show());
  await splash.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
  return splash;
}

async function openDemo(): Promise<void> {
  try {
    const demo = join(app.getPath('userData'), 'Demonstration workspace.assay');
    const splash = existsSync(demo) ? undefined : await showSplash('Preparing the demonstration workspace. This takes a minute, and only happens once.');
    let path: string;
    try {
      path = await ensureDemoWorkspace(demo);
    } finally {
      splash?.destroy();
    }
    await openWorkspace(path);
  } catch (e) {
    log('the demonstration workspace could not be opened', e);
    await dialog.showMessageBox({ type: 'error', message: 'The demonstration workspace could not be opened.', detail: String((e as Error).message) });
    await openWorkspaceDialog();
  }
}

function registerProtocol(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = appFileFor(RENDERER_DIR, request.url);
    if (!file || !existsSync(file)) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    const body = await readFile(file);
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': contentTypeOf(file),
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Referrer-Policy': 'no-referrer',
      },
    });
  });
}

/**
 * Nothing the app shows needs the camera, notifications, location or the like: every permission is refused, except
 * writing (sanitised) text to the clipboard from the app's own pages, which "copy" buttons use.
 */
function hardenSessions(): void {
  const s = electronSession.defaultSession;
  const allowed = (permission: string, url: string | undefined): boolean => permission === 'clipboard-sanitized-write' && isAppUrl(url);
  s.setPermissionRequestHandler((wc, permission, callback) => callback(allowed(permission, wc.getURL())));
  s.setPermissionCheckHandler((_wc, permission, requestingOrigin) => allowed(permission, requestingOrigin));
  // Belt and braces: the CSP also arrives as a header on anything else the default session loads over http(s).
  // The dev server is left alone: its hot-reload client needs what the production policy forbids, and the page's own
  // meta tag still applies.
  const dev = devServer();
  s.webRequest.onHeadersReceived((details, callback) => {
    if (dev && details.url.startsWith(dev.origin)) {
      callback({});
      return;
    }
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

app.on('web-contents-created', (_event, contents) => {
  // The app never navigates: it is one page. Links to allowed sites open in the user's browser instead.
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternal(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
});

function openExternal(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
  else if (!isAppUrl(url)) log(`refused to open ${url.slice(0, 200)}: not on the list of allowed sites`);
}

// ----------------------------------------------------------------------------------------------------- IPC -------
function registerIpc(): void {
  const dev = devServer();
  const guard = createIpcGuard((id) => windows.get(id)?.dispatch, dev ? { devOrigin: dev.origin } : {});
  for (const name of REQUEST_NAMES) {
    const channel = requestChannel(name);
    ipcMain.handle(channel, (event, payload: unknown) =>
      guard(channel, { frameUrl: event.senderFrame?.url, topFrame: !!event.senderFrame && event.senderFrame.parent === null, webContentsId: event.sender.id }, payload),
    );
  }
}

function send(contents: WebContents, e: SessionEvent): void {
  if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, e);
}

// ------------------------------------------------------------------------------------------------- windows -------
/**
 * Folders exports may go to without a dialog: the app's own, and those the person picked in the native dialog this
 * session. A renderer naming any other folder is refused, as the loopback host refuses one outside its export folder.
 */
let exportFolders: ExportFolders | undefined;
function knownExportFolders(): ExportFolders {
  return (exportFolders ??= new ExportFolders(join(app.getPath('documents'), 'Assay exports')));
}

function hostFor(getWin: () => BrowserWindow | undefined): HostServices {
  return {
    kind: 'electron',
    exportFolder: async (_session, requested) => {
      const folders = knownExportFolders();
      if (requested !== undefined) {
        const folder = folders.confine(requested);
        mkdirSync(folder, { recursive: true });
        return folder;
      }
      const win = getWin();
      const opts = { title: 'Export to folder', buttonLabel: 'Export here', properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      const chosen = r.canceled ? null : (r.filePaths[0] ?? null);
      if (chosen) folders.remember(chosen);
      return chosen;
    },
    showInFolder: async (path) => shell.showItemInFolder(path),
    openFile: async (path) => {
      // openPath resolves with an error message rather than rejecting.
      const problem = await shell.openPath(path);
      if (problem) throw new Error(`The system could not open ${basename(path)}: ${problem}`);
    },
    printPdf: (html) => printHtmlToPdf(html),
    pickImportFile: () => chooseImportFile(getWin()),
    pickWorkspaceFile: async (title) => {
      const win = getWin();
      const opts = { title, buttonLabel: 'Open', filters: WORKSPACE_FILTERS, properties: ['openFile'] as 'openFile'[] };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  };
}

async function openWorkspace(requested: string): Promise<void> {
  // One window per file, however the path was spelt (relative from a command line, with `..`, from a dialog).
  const path = resolve(requested);
  const existing = byPath.get(path);
  if (existing) {
    if (existing.win.isMinimized()) existing.win.restore();
    existing.win.focus();
    return;
  }
  let win: BrowserWindow | undefined;
  let session: AppSession;
  try {
    session = await AppSession.open(path, { settings, host: hostFor(() => win), log });
  } catch (e) {
    const message = isWorkspaceError(e) ? e.message : `${basename(path)} could not be opened: ${(e as Error).message}`;
    if (isWorkspaceError(e) && e.reason === 'journal-line') {
      // The changes before the bad line can be recovered; the rest is kept in a side file, never deleted.
      const choice = await dialog.showMessageBox({
        type: 'warning',
        title: 'Assay',
        message: 'Part of the workspace’s journal cannot be applied.',
        detail: message,
        buttons: ['Open with the rest set aside', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
      });
      if (choice.response !== 0) return;
      try {
        session = await AppSession.open(path, { settings, host: hostFor(() => win), log, setAsideJournalRest: true });
      } catch (again) {
        await dialog.showMessageBox({ type: 'error', title: 'Assay', message: 'The workspace could not be opened.', detail: (again as Error).message });
        return;
      }
    } else {
      await dialog.showMessageBox({ type: 'error', title: 'Assay', message: 'The workspace could not be opened.', detail: message });
      return;
    }
  }
  if (session.file.openReport.messages.length) {
    // What opening did on the user's behalf (changes recovered, a journal set aside, SQLite's journal rolled back).
    void dialog.showMessageBox({ type: 'info', title: 'Assay', message: `${session.name} was opened.`, detail: session.file.openReport.messages.join('\n\n') });
  }
  const saved = windowState.get(path);
  const areas = screen.getAllDisplays().map((d) => d.workArea);
  const bounds = saved ? visibleBounds(saved.bounds, areas) : null;
  const options = windowOptions({ preload: PRELOAD, icon: ICON, title: `${session.name} – Assay`, ...(bounds ? { bounds } : {}) });
  // The security settings are restated literally where the window is made, so they hold whatever windowOptions
  // returns and a scanner (electronegativity) can see them.
  win = new BrowserWindow({
    ...options,
    webPreferences: {
      ...options.webPreferences,
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const w = win;
  const entry: OpenWindow = {
    win: w,
    id: w.webContents.id,
    session,
    dispatch: createDispatch(handlers, () => ({ session }), log),
    off: session.on((e) => send(w.webContents, e)),
  };
  windows.set(entry.id, entry);
  byPath.set(path, entry);
  if (saved?.maximised) w.maximize();
  w.once('ready-to-show', () => w.show());
  w.on('focus', refreshMenu);
  w.on('page-title-updated', (event) => event.preventDefault());
  // Remembered as the user moves the window too, not only on close, so a crash does not lose the position.
  let stateTimer: NodeJS.Timeout | undefined;
  const rememberState = (): void => {
    if (stateTimer) clearTimeout(stateTimer);
    stateTimer = setTimeout(() => {
      if (w.isDestroyed()) return;
      const b = w.getNormalBounds();
      void windowState.set(path, { bounds: { x: b.x, y: b.y, width: b.width, height: b.height }, maximised: w.isMaximized() }).catch(() => undefined);
    }, 1000);
  };
  w.on('resize', rememberState);
  w.on('move', rememberState);
  w.on('maximize', rememberState);
  w.on('unmaximize', rememberState);
  w.on('close', (event) => {
    // Save the workspace before the window goes: closeWindow destroys it (which does not come back here) once the
    // file is written.
    event.preventDefault();
    void closeWindow(entry);
  });
  // The workspace lives in this process, so a crashed page loses nothing: load it again.
  let lastCrash = 0;
  w.webContents.on('render-process-gone', (_event, details) => {
    log(`the window's page stopped (${details.reason})`);
    // Once: a page that keeps failing is left for the user to close rather than reloaded in a loop.
    const again = Date.now() - lastCrash < 30_000;
    lastCrash = Date.now();
    if (details.reason !== 'clean-exit' && !again && !w.isDestroyed()) w.webContents.reload();
  });
  await settings.addRecent(path).catch(() => undefined);
  app.addRecentDocument(path);
  refreshMenu();
  session.warm();
  try {
    await w.loadURL(devServer()?.url ?? APP_ENTRY);
  } catch (e) {
    log('the interface could not be loaded', e);
    await dialog.showMessageBox(w, {
      type: 'error',
      message: 'Assay’s interface could not be loaded.',
      detail: `${(e as Error).message}\n\nIf you are running Assay from its source, build it first with “npm run build”.`,
    });
    w.close();
  }
}

const closingWindows = new Set<OpenWindow>();

async function closeWindow(entry: OpenWindow): Promise<void> {
  if (closingWindows.has(entry)) return;
  closingWindows.add(entry);
  const { win, session } = entry;
  try {
    if (!win.isDestroyed()) {
      const b = win.getNormalBounds();
      await windowState.set(session.path, { bounds: { x: b.x, y: b.y, width: b.width, height: b.height }, maximised: win.isMaximized() });
    }
  } catch (e) {
    log('window position not saved', e);
  }
  try {
    await session.close();
  } catch (e) {
    log('the workspace could not be saved on close', e);
    const choice = await dialog.showMessageBox(win, {
      type: 'warning',
      message: 'The workspace file could not be saved.',
      detail: `${(e as Error).message}\n\nYour changes are kept in the workspace journal beside the file and come back when you open it again.`,
      buttons: ['Close anyway', 'Keep open'],
      defaultId: 1,
      cancelId: 1,
    });
    if (choice.response === 1) {
      closingWindows.delete(entry);
      return;
    }
  }
  entry.off();
  windows.delete(entry.id);
  byPath.delete(session.path);
  closingWindows.delete(entry);
  if (!win.isDestroyed()) win.destroy();
  refreshMenu();
  if (quitting && windows.size === 0) app.quit();
}

// Quitting never loses work: hold the quit until every workspace is saved and closed.
app.on('before-quit', (event) => {
  quitting = true;
  if (savedForQuit || windows.size === 0) return;
  event.preventDefault();
  void Promise.allSettled([...windows.values()].map((w) => closeWindow(w))).then(() => {
    if (windows.size === 0) {
      savedForQuit = true;
      app.quit();
    } else quitting = false;
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin' || quitting) app.quit();
});

app.on('activate', () => {
  if (app.isReady() && BrowserWindow.getAllWindows().length === 0) void openDemo();
});

// ---------------------------------------------------------------------------------------------------- menu -------
function refreshMenu(): void {
  if (!app.isReady()) return;
  const template = buildMenuTemplate(
    { platform: process.platform, appName: 'Assay', recent: settings.get().recentFiles, hasWorkspace: !!focused() || windows.size > 0, isDev: !app.isPackaged },
    {
      newWorkspace: () => void newWorkspaceDialog(),
      openWorkspace: () => void openWorkspaceDialog(),
      openRecent: (p) => void openWorkspace(p),
      clearRecent: () => void settings.clearRecent().then(refreshMenu),
      saveCopy: () => void saveCopyDialog(),
      rendererCommand: (command) => {
        const target = focused() ?? [...windows.values()][0];
        if (!target) return;
        // Import… too: the page's import wizard is the one import flow (it asks main for the file through import.open).
        send(target.win.webContents, { event: 'menu.command', payload: { command } });
      },
      closeWindow: () => BrowserWindow.getFocusedWindow()?.close(),
      openLink: (url) => openExternal(url),
      about: () =>
        void dialog.showMessageBox({
          type: 'info',
          title: 'About Assay',
          message: `Assay ${app.getVersion()}`,
          detail: 'Report authoring for health and social care regulators, with live figures bound to a local workspace.',
        }),
    },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

const WORKSPACE_FILTERS = [{ name: 'Assay workspaces', extensions: ['assay'] }];

async function openWorkspaceDialog(): Promise<void> {
  const win = BrowserWindow.getFocusedWindow();
  const opts = { title: 'Open a workspace', filters: WORKSPACE_FILTERS, properties: ['openFile', 'multiSelections'] as ('openFile' | 'multiSelections')[] };
  const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  if (r.canceled) return;
  for (const p of r.filePaths) await openWorkspace(p);
}

async function newWorkspaceDialog(): Promise<void> {
  const win = BrowserWindow.getFocusedWindow();
  const opts = { title: 'New workspace', defaultPath: join(app.getPath('documents'), 'New workspace.assay'), filters: WORKSPACE_FILTERS };
  const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
  if (r.canceled || !r.filePath) return;
  const path = /\.assay$/i.test(r.filePath) ? r.filePath : `${r.filePath}.assay`;
  try {
    const wf = await WorkspaceFile.create(path);
    await wf.close();
  } catch (e) {
    await dialog.showMessageBox({ type: 'error', message: 'The workspace could not be created.', detail: (e as Error).message });
    return;
  }
  await openWorkspace(path);
}

async function saveCopyDialog(): Promise<void> {
  const target = focused();
  if (!target) return;
  const r = await dialog.showSaveDialog(target.win, {
    title: 'Save a copy',
    defaultPath: join(dirname(target.session.path), `${basename(target.session.path, '.assay')} (copy).assay`),
    filters: WORKSPACE_FILTERS,
  });
  if (r.canceled || !r.filePath) return;
  if (r.filePath === target.session.path) {
    await dialog.showMessageBox(target.win, { type: 'info', message: 'Choose another name: a copy cannot replace the workspace itself.' });
    return;
  }
  try {
    await target.session.file.saveCopy(r.filePath);
  } catch (e) {
    await dialog.showMessageBox(target.win, { type: 'error', message: 'The copy could not be saved.', detail: (e as Error).message });
  }
}
