import { basename } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuCallbacks {
  newWorkspace(): void;
  openWorkspace(): void;
  openRecent(path: string): void;
  clearRecent(): void;
  saveCopy(): void;
  /** Commands the focused window's UI carries out (it owns the dialogs for them): "import", "export", "new-report", "bring-in", "export-for-inspector". */
  rendererCommand(command: string): void;
  closeWindow(): void;
  /** Opens a web page in the user's browser (after the allow-list check). */
  openLink(url: string): void;
  about(): void;
}

export interface MenuInput {
  platform: NodeJS.Platform;
  appName: string;
  recent: readonly string[];
  /** Whether a workspace window is focused: commands about a workspace are disabled otherwise. */
  hasWorkspace: boolean;
  isDev: boolean;
}

export const HELP_LINKS = {
  cqc: 'https://www.cqc.org.uk/',
  stateOfCare: 'https://www.cqc.org.uk/publications/major-report/state-care',
  govukStyle: 'https://www.gov.uk/guidance/style-guide',
} as const;

/** The application menu as data: Electron's Menu.buildFromTemplate turns it into the real one. */
export function buildMenuTemplate(input: MenuInput, cb: MenuCallbacks): MenuItemConstructorOptions[] {
  const mac = input.platform === 'darwin';
  const ws = input.hasWorkspace;
  const recent: MenuItemConstructorOptions[] =
    input.recent.length === 0
      ? [{ label: 'No recent workspaces', enabled: false }]
      : [
          ...input.recent.map((p, i) => ({
            label: `${i < 9 ? `&${i + 1} ` : ''}${basename(p).replace(/&/g, '&&')}`,
            sublabel: p,
            click: () => cb.openRecent(p),
          })),
          { type: 'separator' as const },
          { label: 'Clear Recent', click: () => cb.clearRecent() },
        ];
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: '&New Workspace…', accelerator: 'CmdOrCtrl+Shift+N', click: () => cb.newWorkspace() },
      { label: 'New &Report…', accelerator: 'CmdOrCtrl+N', enabled: ws, click: () => cb.rendererCommand('new-report') },
      { label: '&Open…', accelerator: 'CmdOrCtrl+O', click: () => cb.openWorkspace() },
      { label: 'Open &Recent', submenu: recent },
      { type: 'separator' },
      { label: 'Save a &Copy…', accelerator: 'CmdOrCtrl+Shift+S', enabled: ws, click: () => cb.saveCopy() },
      { type: 'separator' },
      { label: '&Import…', accelerator: 'CmdOrCtrl+I', enabled: ws, click: () => cb.rendererCommand('import') },
      { label: '&Export…', accelerator: 'CmdOrCtrl+E', enabled: ws, click: () => cb.rendererCommand('export') },
      { type: 'separator' },
      { label: '&Bring in a Workspace…', enabled: ws, click: () => cb.rendererCommand('bring-in') },
      { label: 'Export for &Inspector…', enabled: ws, click: () => cb.rendererCommand('export-for-inspector') },
      { type: 'separator' },
      { label: '&Close', accelerator: 'CmdOrCtrl+W', click: () => cb.closeWindow() },
      ...(mac ? [] : [{ type: 'separator' as const }, { role: 'quit' as const, label: 'E&xit' }]),
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'pasteAndMatchStyle' },
      { role: 'delete' },
      { role: 'selectAll' },
      { type: 'separator' },
      { label: '&Find…', accelerator: 'CmdOrCtrl+F', enabled: ws, click: () => cb.rendererCommand('find') },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { label: 'Workspace &Home', accelerator: 'CmdOrCtrl+1', enabled: ws, click: () => cb.rendererCommand('view-home') },
      { label: '&Data', accelerator: 'CmdOrCtrl+2', enabled: ws, click: () => cb.rendererCommand('view-data') },
      { label: '&Reports', accelerator: 'CmdOrCtrl+3', enabled: ws, click: () => cb.rendererCommand('view-reports') },
      { label: '&Figures', accelerator: 'CmdOrCtrl+4', enabled: ws, click: () => cb.rendererCommand('view-figures') },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(input.isDev ? [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }] : []),
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      { label: 'Care Quality Commission', click: () => cb.openLink(HELP_LINKS.cqc) },
      { label: 'State of Care Reports', click: () => cb.openLink(HELP_LINKS.stateOfCare) },
      { label: 'GOV.UK Style Guide', click: () => cb.openLink(HELP_LINKS.govukStyle) },
      ...(mac ? [] : [{ type: 'separator' as const }, { label: `&About ${input.appName}`, click: () => cb.about() }]),
    ],
  };
  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: input.appName,
          submenu: [
            { role: 'about' },
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  const windowMenu: MenuItemConstructorOptions[] = mac ? [{ role: 'windowMenu' }] : [];
  return [...appMenu, file, edit, view, ...windowMenu, help];
}
