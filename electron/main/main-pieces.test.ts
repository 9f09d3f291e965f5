import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { tempDir } from '../services/testing/fixtures';
import { resolveInside, CONTENT_SECURITY_POLICY } from '../services/http/static';
import { appFileFor, isAppUrl, APP_ENTRY } from './protocol-path';
import { isAllowedExternalUrl } from './external-links';
import { workspaceFromArgv } from './argv';
import { windowOptions } from './window-options';
import { buildMenuTemplate, type MenuCallbacks } from './menu-template';
import { createIpcGuard, requestChannel } from './ipc-guard';
import { visibleBounds, WindowStateStore } from './window-state';
import type { Dispatch } from '../services/app/ipc/dispatch';
import type { MenuItemConstructorOptions } from 'electron';
import { REQUEST_NAMES, EVENT_NAMES } from '../../shared/ipc/contract';
import { REQUEST_CHANNEL_NAMES, EVENT_CHANNEL_NAMES } from '../../shared/ipc/channels';

describe('path containment for the app protocol and the loopback host', () => {
  const root = resolve('/srv/assay/out/renderer');
  it('maps ordinary paths inside the folder', () => {
    expect(resolveInside(root, '/index.html')).toBe(join(root, 'index.html'));
    expect(resolveInside(root, '/assets/index-abc.js')).toBe(join(root, 'assets', 'index-abc.js'));
    expect(resolveInside(root, '/assets/a%20b.css')).toBe(join(root, 'assets', 'a b.css'));
    expect(resolveInside(root, '/./assets//x.js')).toBe(join(root, 'assets', 'x.js'));
  });
  it('refuses every way out of the folder', () => {
    for (const p of [
      '/../secret.txt',
      '/assets/../../etc/passwd',
      '/%2e%2e/etc/passwd',
      '/%2E%2E%2Fetc%2Fpasswd',
      '/assets/..%2f..%2fetc/passwd',
      '/..\\..\\windows\\win.ini',
      '/C:/Windows/win.ini',
      '/c:%5cwindows',
      '/index.html%00.png',
      '/%E0%A4%A',
    ]) {
      expect(resolveInside(root, p), p).toBeNull();
    }
  });
  it('serves assay://app/ URLs from the folder and nothing else', () => {
    expect(appFileFor(root, APP_ENTRY)).toBe(join(root, 'index.html'));
    expect(appFileFor(root, 'assay://app/')).toBe(join(root, 'index.html'));
    expect(appFileFor(root, 'assay://app/assets/x.js?v=1#top')).toBe(join(root, 'assets', 'x.js'));
    expect(appFileFor(root, 'assay://app/../../etc/passwd')).toBeNull();
    expect(appFileFor(root, 'assay://app/assets/%2e%2e/%2e%2e/etc/passwd')).toBeNull();
    expect(appFileFor(root, 'assay://other/index.html')).toBeNull();
    expect(appFileFor(root, 'assay://user:pw@app/index.html')).toBeNull();
    expect(appFileFor(root, 'file:///etc/passwd')).toBeNull();
    expect(appFileFor(root, 'not a url')).toBeNull();
    const got = appFileFor(root, 'assay://app/assets/deep/file.woff2');
    expect(got?.startsWith(root + sep)).toBe(true);
  });
  it('knows the app origin', () => {
    expect(isAppUrl('assay://app/index.html')).toBe(true);
    expect(isAppUrl('assay://app/index.html#/reports')).toBe(true);
    for (const u of ['assay://evil/index.html', 'https://app/', 'file:///index.html', 'assay://app:8080/', '', null, undefined, 'about:blank']) {
      expect(isAppUrl(u), String(u)).toBe(false);
    }
  });
});

describe('external links', () => {
  it('allows https links to government and regulator sites', () => {
    for (const u of [
      'https://www.gov.uk/government/statistics',
      'https://gov.uk/',
      'https://www.cqc.org.uk/publications/major-report/state-care',
      'https://cqc.org.uk',
      'https://webarchive.nationalarchives.gov.uk/2018/https://www.cqc.org.uk/',
      'https://assets.publishing.service.gov.uk/x.pdf',
      'https://WWW.CQC.ORG.UK/',
    ]) {
      expect(isAllowedExternalUrl(u), u).toBe(true);
    }
  });
  it('refuses anything else', () => {
    for (const u of [
      'http://www.gov.uk/',
      'https://gov.uk.evil.com/',
      'https://evilgov.uk/',
      'https://notcqc.org.uk/',
      'https://www.cqc.org.uk@evil.com/',
      'https://user:pass@www.gov.uk/',
      'https://www.gov.uk:8443/',
      'file:///C:/Windows/system32/calc.exe',
      'smb://server/share',
      'javascript:alert(1)',
      'ms-msdt:/id',
      'assay://app/index.html',
      'not a url',
      `https://www.gov.uk/${'a'.repeat(3000)}`,
    ]) {
      expect(isAllowedExternalUrl(u), u).toBe(false);
    }
  });
});

describe('command line', () => {
  it('finds the workspace a double-click or a second instance passes', () => {
    expect(workspaceFromArgv(['/opt/Assay/assay', '/home/p/Reports/soc.assay'], '/home/p')).toBe('/home/p/Reports/soc.assay');
    expect(workspaceFromArgv(['electron', '.', '--no-sandbox', 'work/soc.ASSAY'], '/home/p')).toBe(resolve('/home/p', 'work/soc.ASSAY'));
    expect(workspaceFromArgv(['/opt/Assay/assay', '--allow-file-access-from-files=x.assay', 'notes.txt'], '/tmp')).toBeNull();
    expect(workspaceFromArgv(['/opt/Assay/assay'], '/tmp')).toBeNull();
  });
});

describe('window options', () => {
  it('every app window is isolated, sandboxed and without Node', () => {
    const o = windowOptions({ preload: '/app/out/preload/index.cjs', title: 'Assay' });
    expect(o.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      preload: '/app/out/preload/index.cjs',
    });
    expect(o.show).toBe(false);
  });
  it('the print window runs no scripts and has no bridge', () => {
    const o = windowOptions({ preload: '/x.cjs', title: 'Printing', print: true });
    expect(o.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, javascript: false });
    expect(o.webPreferences?.preload).toBeUndefined();
  });
  it('restores saved bounds', () => {
    const o = windowOptions({ preload: '/x.cjs', title: 'A', bounds: { x: 10, y: 20, width: 1000, height: 700 } });
    expect(o).toMatchObject({ x: 10, y: 20, width: 1000, height: 700 });
  });
  it('the CSP allows only the app’s own scripts', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });
});

describe('window state', () => {
  it('keeps a position that is on a display and drops one that is not', () => {
    const screenArea = { x: 0, y: 0, width: 1920, height: 1080 };
    expect(visibleBounds({ x: 100, y: 100, width: 1200, height: 800 }, [screenArea])).toEqual({ x: 100, y: 100, width: 1200, height: 800 });
    expect(visibleBounds({ x: 2500, y: 100, width: 1200, height: 800 }, [screenArea])).toBeNull();
    expect(visibleBounds({ x: 0, y: 0, width: 3000, height: 2000 }, [screenArea])).toMatchObject({ width: 1920, height: 1080 });
  });
  it('remembers per workspace, in a file, and survives a damaged file', async () => {
    const dir = tempDir();
    const s = new WindowStateStore(dir);
    await s.set('/w/a.assay', { bounds: { x: 1, y: 2, width: 900, height: 700 }, maximised: true });
    expect(new WindowStateStore(dir).get('/w/a.assay')).toEqual({ bounds: { x: 1, y: 2, width: 900, height: 700 }, maximised: true });
    expect(new WindowStateStore(dir).get('/w/other.assay')?.maximised).toBe(true);
    writeFileSync(join(dir, 'window-state.json'), '{not json');
    expect(new WindowStateStore(dir).get('/w/a.assay')).toBeNull();
  });
});

describe('application menu', () => {
  const calls: string[] = [];
  const cb: MenuCallbacks = {
    newWorkspace: () => calls.push('new'),
    openWorkspace: () => calls.push('open'),
    openRecent: (p) => calls.push(`recent:${p}`),
    clearRecent: () => calls.push('clear'),
    saveCopy: () => calls.push('copy'),
    rendererCommand: (c) => calls.push(`cmd:${c}`),
    closeWindow: () => calls.push('close'),
    openLink: (u) => calls.push(`ext:${u}`),
    about: () => calls.push('about'),
  };
  const find = (items: MenuItemConstructorOptions[], label: string) => items.find((i) => i.label?.replace(/&/g, '') === label);
  const sub = (i: MenuItemConstructorOptions | undefined) => (i?.submenu ?? []) as MenuItemConstructorOptions[];

  it('has File, Edit, View and Help with the commands the app needs', () => {
    const t = buildMenuTemplate({ platform: 'linux', appName: 'Assay', recent: ['/w/one.assay'], hasWorkspace: true, isDev: false }, cb);
    expect(t.map((i) => i.label?.replace(/&/g, ''))).toEqual(['File', 'Edit', 'View', 'Help']);
    const file = sub(find(t, 'File'));
    const labels = file.filter((i) => i.label).map((i) => i.label!.replace(/&/g, ''));
    expect(labels).toEqual(expect.arrayContaining(['New Workspace…', 'Open…', 'Open Recent', 'Save a Copy…', 'Import…', 'Export…', 'Close']));
    const recent = sub(find(file, 'Open Recent'));
    (recent[0]!.click as () => void)();
    (find(file, 'Export…')!.click as () => void)();
    (find(file, 'Save a Copy…')!.click as () => void)();
    expect(calls).toEqual(['recent:/w/one.assay', 'cmd:export', 'copy']);
    expect(sub(find(t, 'View')).some((i) => i.role === 'toggleDevTools')).toBe(false);
  });

  it('disables workspace commands with no workspace, and follows macOS conventions', () => {
    const t = buildMenuTemplate({ platform: 'darwin', appName: 'Assay', recent: [], hasWorkspace: false, isDev: true }, cb);
    expect(t[0]!.label).toBe('Assay');
    const file = sub(find(t, 'File'));
    expect(find(file, 'Export…')!.enabled).toBe(false);
    expect(find(file, 'Open…')!.enabled).toBeUndefined();
    expect(sub(find(file, 'Open Recent'))[0]).toMatchObject({ label: 'No recent workspaces', enabled: false });
    expect(file.some((i) => i.role === 'quit')).toBe(false);
    expect(sub(find(t, 'View')).some((i) => i.role === 'toggleDevTools')).toBe(true);
  });
});

describe('the IPC wrapper', () => {
  const seen: unknown[] = [];
  const dispatch: Dispatch = async (name, payload) => {
    seen.push([name, payload]);
    return { ok: true, value: 'answered' };
  };
  const guard = createIpcGuard((id) => (id === 1 ? dispatch : undefined));
  const app = { frameUrl: 'assay://app/index.html', topFrame: true, webContentsId: 1 };

  it('passes a request from the app’s own top frame to the dispatcher', async () => {
    expect(await guard(requestChannel('workspace.info'), app, {})).toEqual({ ok: true, value: 'answered' });
    expect(seen).toEqual([['workspace.info', {}]]);
  });

  it('refuses a channel that is not in the contract', async () => {
    for (const c of ['assay:workspace.delete', 'workspace.info', 'assay:', 'other:workspace.info', 'assay:__proto__']) {
      expect(await guard(c, app, {}), c).toMatchObject({ ok: false, error: { code: 'bad-channel' } });
    }
  });

  it('refuses a sender that is not the app’s top frame', async () => {
    for (const s of [
      { ...app, topFrame: false },
      { ...app, frameUrl: 'https://evil.example/' },
      { ...app, frameUrl: 'file:///tmp/report.html' },
      { ...app, frameUrl: 'assay://elsewhere/index.html' },
      { ...app, frameUrl: null },
      { ...app, webContentsId: 2 },
    ]) {
      expect(await guard(requestChannel('workspace.info'), s, {})).toMatchObject({ ok: false, error: { code: 'bad-sender' } });
    }
  });
});

describe('the preload’s name lists', () => {
  it('match the contract exactly', () => {
    expect([...REQUEST_CHANNEL_NAMES].sort()).toEqual([...REQUEST_NAMES].sort());
    expect([...EVENT_CHANNEL_NAMES].sort()).toEqual([...EVENT_NAMES].sort());
  });
});

