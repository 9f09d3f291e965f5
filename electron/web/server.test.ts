import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { WorkspaceFile } from '../services/workspace-file';
import { tempDir } from '../services/testing/fixtures';
import { injectBridge, startWebHost, type WebHost } from './server';
import { SCHEMA_VERSION } from '../../shared/store/schema';

let host: WebHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function start(): Promise<{ host: WebHost; dir: string }> {
  const dir = tempDir('assay-web-');
  const workspace = join(dir, 'w.assay');
  const wf = await WorkspaceFile.create(workspace, { name: 'Web test' });
  await wf.close();
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><html><head><title>t</title><script type="module" src="./assets/app.js"></script></head><body></body></html>',
  );
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'window.appLoaded = true;');
  writeFileSync(join(dir, 'secret.txt'), 'not for the browser');
  host = await startWebHost({ workspace, rendererDir, exportsDir: join(dir, 'exports'), settingsDir: join(dir, 'settings') });
  return { host, dir };
}

const post = (h: WebHost, name: string, body: unknown, headers: Record<string, string> = { 'x-assay-token': h.token }) =>
  fetch(`${h.origin}/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** A raw request, so the Host header and the path are sent exactly as written. */
function raw(h: WebHost, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: h.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the loopback host', () => {
  it('listens on 127.0.0.1 with a per-run token', async () => {
    const { host: h } = await start();
    // The token travels in the fragment, which a browser never sends to any server.
    expect(h.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/open#token=[\w-]{32}$/);
    const other = await startWebHost({ workspace: join(tempDir(), 'x.assay'), rendererDir: '/nonexistent' }).catch((e: Error) => e);
    expect(other).toBeInstanceOf(Error); // no such workspace: refused, nothing served
    // A port already in use: refused, and the workspace is not left locked.
    const dir = tempDir();
    const ws = join(dir, 'y.assay');
    await (await WorkspaceFile.create(ws)).close();
    const taken = await startWebHost({ workspace: ws, port: h.port, settingsDir: join(dir, 's') }).catch((e: NodeJS.ErrnoException) => e);
    expect((taken as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
    expect(existsSync(`${ws}.lock`)).toBe(false);
  });

  it('refuses API calls without the token header, or with a wrong one, and answers with it', async () => {
    const { host: h } = await start();
    // A cookie is no credential, even with the right token: browsers send 127.0.0.1's cookies to every port, so any
    // local web service the user visits would have received it.
    for (const headers of <Record<string, string>[]>[
      {},
      { 'x-assay-token': 'wrong' },
      { cookie: `assay_token_${h.port}=wrong` },
      { cookie: `assay_token_${h.port}=${h.token}` },
      { cookie: `assay_token=${h.token}; token=${h.token}` },
    ]) {
      const r = await post(h, 'workspace.info', {}, headers);
      expect(r.status).toBe(403);
      expect(await r.json()).toMatchObject({ ok: false, error: { code: 'bad-sender' } });
    }
    const ok = await post(h, 'workspace.info', {});
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, value: { name: 'Web test', schemaVersion: SCHEMA_VERSION } });
    const otherSite = await post(h, 'workspace.info', {}, { 'x-assay-token': h.token, origin: 'https://evil.example' });
    expect(otherSite.status).toBe(403);
    const settings = await post(h, 'settings.get', {});
    expect(await settings.json()).toEqual({ ok: true, value: { userName: null } });
  });

  it('serves the page without setting a cookie, and refuses a token in the query', async () => {
    const { host: h } = await start();
    const launch = await fetch(h.url, { redirect: 'manual' });
    expect(launch.status).toBe(200);
    expect(launch.headers.get('set-cookie')).toBeNull();
    expect(await launch.text()).not.toContain(h.token);
    const page = await fetch(`${h.origin}/`, { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toBeNull();
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html.indexOf('/assay-bridge.js')).toBeLessThan(html.indexOf('./assets/app.js'));
    expect(html).not.toContain(h.token);
    const bridge = await (await fetch(`${h.origin}/assay-bridge.js`)).text();
    expect(bridge).not.toContain(h.token);
    // A token in the query would be sent to the server and kept in the history: refused, with the address to use.
    const query = await fetch(`${h.origin}/?token=${h.token}`);
    expect(query.status).toBe(403);
    expect(await query.text()).toContain('#token=');
    expect((await fetch(`${h.origin}/?token=nope`)).status).toBe(403);
  });

  it('answers a malformed % in an API path with 400 and a message', async () => {
    const { host: h } = await start();
    for (const path of ['/api/%E0%A4%A', '/api/workspace.info%', '/api/%zz']) {
      const r = await fetch(`${h.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-assay-token': h.token }, body: '{}' });
      expect(r.status).toBe(400);
      expect(await r.json()).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/“%” must be followed by two hexadecimal digits/) } });
    }
    // Still refused before anything else without the token.
    expect((await fetch(`${h.origin}/api/%zz`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(403);
  });

  it('writes exports inside the export folder, whatever the report slug or the folder asked for', async () => {
    const { host: h, dir } = await start();
    const created = (await (await post(h, 'reports.create', { templateId: 'blank', title: 'Climber' })).json()) as { value: { id: string } };
    const reportId = created.value.id;
    await h.session.ws.write('test', (tx) => tx.run('UPDATE reports SET slug = ? WHERE id = ?', ['../../../climbed', reportId]));
    const r = (await (await post(h, 'export.run', { reportId, formats: ['html', 'csv', 'xlsx'], draft: true })).json()) as { ok: boolean; value: { files: { path: string }[] } };
    expect(r.ok).toBe(true);
    expect(r.value.files.map((f) => f.path)).toEqual([join(h.exportsDir, 'climbed-draft.html'), join(h.exportsDir, 'climbed-draft.csv'), join(h.exportsDir, 'climbed-draft.xlsx')]);
    // The workbook is a real one (a zip package), not an empty file.
    expect(readFileSync(join(h.exportsDir, 'climbed-draft.xlsx')).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(readdirSync(dir).filter((f) => f.startsWith('climbed'))).toEqual([]);
    // A link planted inside the export folder does not lead the export out of it.
    mkdirSync(join(dir, 'outside'));
    symlinkSync(join(dir, 'outside'), join(h.exportsDir, 'link'));
    for (const folder of ['link', join(h.exportsDir, 'link'), '..', join(dir, 'outside')]) {
      const refused = await (await post(h, 'export.run', { reportId, formats: ['html'], folder })).json();
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid', fields: { folder: expect.any(String) } } });
    }
    expect(readdirSync(join(dir, 'outside'))).toEqual([]);
  });

  it('serves only files inside the renderer folder, and only to its own host name', async () => {
    const { host: h } = await start();
    expect((await raw(h, '/assets/app.js')).body).toContain('appLoaded');
    expect((await raw(h, '/../secret.txt')).status).toBe(404);
    expect((await raw(h, '/%2e%2e/secret.txt')).status).toBe(404);
    expect((await raw(h, '/assets/..%2f..%2fsecret.txt')).status).toBe(404);
    expect((await raw(h, '/assets/app.js', { host: 'evil.example' })).status).toBe(403);
  });

  it('answers a request round trip with the contract’s error shape', async () => {
    const { host: h } = await start();
    const bad = await (await post(h, 'ratings.add', { locationId: 'x', keyQuestionId: 'safe', rating: 'Good', publishedOn: 'soon' })).json();
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request', fields: { publishedOn: expect.any(String) } } });
    const unknown = await (await post(h, 'workspace.destroy', {})).json();
    expect(unknown).toMatchObject({ ok: false, error: { code: 'bad-channel' } });
    const notJson = await fetch(`${h.origin}/api/workspace.info`, { method: 'POST', headers: { 'x-assay-token': h.token, 'content-type': 'text/plain' }, body: '{}' });
    expect(notJson.status).toBe(415);
    const created = await (await post(h, 'reports.create', { templateId: 'blank', title: 'Web report' })).json();
    expect(created).toMatchObject({ ok: true, value: { id: expect.any(String) } });
  });

  it('takes a file to import once, as its raw bytes, with the token and the binary type only, and opens it by handle', async () => {
    const { host: h } = await start();
    const csv = 'Kind,Title,Sensitivity\nDocument,Discharge protocol,official\n';
    const up = (body: string, headers: Record<string, string>) => fetch(`${h.origin}/api/upload`, { method: 'POST', headers, body });
    const binary = { 'content-type': 'application/octet-stream', 'x-assay-token': h.token };
    expect((await up(csv, { 'content-type': 'application/octet-stream' })).status).toBe(403);
    expect((await up(csv, { ...binary, 'x-assay-token': 'wrong' })).status).toBe(403);
    expect((await up(csv, { ...binary, origin: 'https://evil.example' })).status).toBe(403);
    // A type a form on another site could send without asking first is refused.
    expect((await up(csv, { ...binary, 'content-type': 'text/plain' })).status).toBe(415);
    expect((await fetch(`${h.origin}/api/upload`, { headers: { 'x-assay-token': h.token } })).status).toBe(405);

    const r = await up(csv, { ...binary, 'x-assay-file-name': encodeURIComponent('register – March.csv') });
    const body = (await r.json()) as { ok: true; value: { handle: string; fileName: string; bytes: number } };
    expect(body).toMatchObject({ ok: true, value: { handle: expect.any(String), fileName: 'register – March.csv', bytes: Buffer.byteLength(csv) } });
    const opened = await (await post(h, 'import.open', { kind: 'evidence', upload: body.value.handle })).json();
    expect(opened).toMatchObject({ ok: true, value: { handle: body.value.handle, fileName: 'register – March.csv', preview: { header: ['Kind', 'Title', 'Sensitivity'] } } });
    expect(await (await up('', binary)).json()).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringContaining('empty') } });

    // Over the cap: refused on its declared length, before a byte of it is held.
    const tooBig = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: h.port, path: '/api/upload', method: 'POST', headers: { ...binary, 'content-length': String(300 * 1024 * 1024) } },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.write('Kind,Title\n');
    });
    expect(tooBig.status).toBe(413);
    expect(JSON.parse(tooBig.body)).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringContaining('the import wizard takes files up to 256 MB') } });
  });

  it('delivers events over Server-Sent Events, only with the token header', async () => {
    const { host: h } = await start();
    expect((await fetch(`${h.origin}/api/events`)).status).toBe(403);
    expect((await fetch(`${h.origin}/api/events`, { headers: { cookie: `assay_token_${h.port}=${h.token}` } })).status).toBe(403);
    const controller = new AbortController();
    const res = await fetch(`${h.origin}/api/events`, { headers: { 'x-assay-token': h.token }, signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    await post(h, 'reports.create', { templateId: 'blank', title: 'Evented' });
    let text = '';
    while (!text.includes('event: workspace.changed')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const data = /event: workspace\.changed\ndata: (.*)\n/.exec(text)?.[1];
    expect(JSON.parse(data!)).toMatchObject({ tables: expect.arrayContaining(['reports', 'sections']), label: 'Create a report' });
  });

  it('puts the bridge before the page’s first script', () => {
    expect(injectBridge('<html><head><script src="a.js"></script></head></html>')).toBe('<html><head><script src="/assay-bridge.js"></script><script src="a.js"></script></head></html>');
    expect(injectBridge('<html><head></head><body><script src="a.js"></script></body></html>')).toContain('<script src="/assay-bridge.js"></script></head>');
  });
});

const CHROMIUM = process.env.ASSAY_CHROMIUM ?? '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM))('the bridge in Chromium', () => {
  it('gives the page window.assay: requests, rejections with fields, and events', async () => {
    const { host: h } = await start();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'], headless: true });
    try {
      const page = await browser.newPage();
      await page.goto(h.url);
      expect(page.url()).toBe(`${h.origin}/`);
      const result = await page.evaluate(async () => {
        const api = (window as unknown as { assay: Record<string, (i?: unknown) => Promise<unknown>> & { host: string; on: (e: string, l: (p: unknown) => void) => () => void } }).assay;
        const events: unknown[] = [];
        const off = api.on('workspace.changed', (p) => events.push(p));
        await new Promise((r) => setTimeout(r, 300));
        const info = (await api['workspace.info']!({})) as { name: string };
        let error: unknown;
        try {
          await api['ratings.add']!({ locationId: 'x', keyQuestionId: 'safe', rating: 'Good', publishedOn: 'soon' });
        } catch (e) {
          error = e;
        }
        await api['reports.create']!({ templateId: 'blank', title: 'From the browser' });
        for (let i = 0; i < 50 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
        off();
        // A file to import goes up once, as bytes; requests then name it by handle.
        const upload = (api as unknown as { uploadImport: (f: Blob, n: string) => Promise<string> }).uploadImport;
        const handle = await upload(new Blob(['Area code,Period,Indicator,Value\nE06000001,2017/18,DToC,12.5\n']), 'dtoc.csv');
        const opened = (await api['import.open']!({ kind: 'indicators', upload: handle })) as { fileName: string; preview: { header: string[] } };
        return { host: api.host, name: info.name, error, events, frozen: Object.isFrozen(api), keys: Object.keys(api).length, opened };
      });
      expect(result.opened).toMatchObject({ fileName: 'dtoc.csv', preview: { header: ['Area code', 'Period', 'Indicator', 'Value'] } });
      expect(result.host).toBe('web');
      expect(result.name).toBe('Web test');
      expect(result.error).toMatchObject({ code: 'bad-request', fields: { publishedOn: expect.any(String) } });
      expect(result.events[0]).toMatchObject({ label: 'Create a report' });
      expect(result.frozen).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it('keeps the token where the page’s other scripts cannot read it, survives a reload with a one-use ticket, and says what to do in a tab that has none', async () => {
    const { host: h } = await start();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'], headless: true });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(h.url);
      const seen = await page.evaluate(async (token) => {
        type Api = Record<string, (i?: unknown) => Promise<unknown>> & { on: (e: string, l: (p: unknown) => void) => () => void };
        // A script that arrives after the bridge wraps fetch and XMLHttpRequest to catch the header.
        const caught: string[] = [];
        const original = window.fetch;
        window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
          caught.push(JSON.stringify([String(input), init?.headers ?? null]));
          return original(input, init);
        };
        const setHeader = XMLHttpRequest.prototype.setRequestHeader;
        XMLHttpRequest.prototype.setRequestHeader = function (n: string, v: string) {
          caught.push(`${n}: ${v}`);
          setHeader.call(this, n, v);
        };
        const api = (window as unknown as { assay: Api }).assay;
        const events: unknown[] = [];
        api.on('workspace.changed', (p) => events.push(p));
        await new Promise((r) => setTimeout(r, 300));
        const info = (await api['workspace.info']!({})) as { name: string };
        await api['reports.create']!({ templateId: 'blank', title: 'Secret-keeping' });
        for (let i = 0; i < 50 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
        const globals = Object.getOwnPropertyNames(window).filter((k) => {
          try {
            const v = (window as unknown as Record<string, unknown>)[k];
            return (typeof v === 'string' && v.includes(token)) || (typeof v === 'object' && v !== null && JSON.stringify(v)?.includes(token));
          } catch {
            return false;
          }
        });
        const everywhere = [
          document.cookie,
          location.href,
          document.URL,
          document.documentElement.outerHTML,
          JSON.stringify(history.state),
          JSON.stringify({ ...localStorage }),
          JSON.stringify({ ...sessionStorage }),
          ...performance.getEntries().map((e) => e.name),
        ];
        return { name: info.name, events: events.length, caught, globals, leaks: everywhere.filter((x) => x?.includes(token)), href: location.href };
      }, h.token);
      expect(seen.name).toBe('Web test');
      expect(seen.events).toBeGreaterThan(0);
      expect(seen.caught).toEqual([]);
      expect(seen.globals).toEqual([]);
      expect(seen.leaks).toEqual([]);
      expect(seen.href).toBe(`${h.origin}/`);
      expect(await context.cookies()).toEqual([]);

      // A reload keeps working: the ticket the page left in its tab is traded once for the key, and taken out of storage.
      const ticketsIssued: string[] = [];
      page.on('request', (r) => {
        if (r.url().endsWith('/api/resume')) ticketsIssued.push(String((JSON.parse(r.postData() ?? '{}') as { ticket?: string }).ticket));
      });
      await page.reload();
      const afterReload = await page.evaluate(async (token) => {
        const name = ((await (window as unknown as { assay: Record<string, (i?: unknown) => Promise<unknown>> }).assay['workspace.info']!({})) as { name: string }).name;
        return { name, stored: JSON.stringify({ ...sessionStorage }), leaks: [document.URL, JSON.stringify({ ...sessionStorage }), JSON.stringify({ ...localStorage }), window.name].filter((x) => x.includes(token)) };
      }, h.token);
      expect(afterReload).toEqual({ name: 'Web test', stored: '{}', leaks: [] });
      expect(ticketsIssued).toHaveLength(1);
      // A ticket is good once: replayed (by anything that saw it), it is refused.
      const replay = await fetch(`${h.origin}/api/resume`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ticket: ticketsIssued[0] }) });
      expect(replay.status).toBe(403);
      const guess = await fetch(`${h.origin}/api/resume`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://127.0.0.1:1' }, body: JSON.stringify({ ticket: 'x' }) });
      expect(guess.status).toBe(403);

      // A page opened any other way (a new tab: its own storage) has no key: it says what to do, and requests say why.
      const other = await context.newPage();
      await other.goto(`${h.origin}/`);
      await expect.poll(() => other.getByRole('alert').textContent()).toContain('Open that address again');
      const lost = await other.evaluate(async () => {
        try {
          await (window as unknown as { assay: Record<string, (i?: unknown) => Promise<unknown>> }).assay['workspace.info']!({});
          return null;
        } catch (e) {
          return e;
        }
      });
      expect(lost).toMatchObject({ code: 'bad-sender', message: expect.stringContaining('npm run web') });
      await other.close();
      // Opening the printed address again (in the same tab, only the fragment changes) gives the page its key back.
      await page.goto(h.url);
      const again = await page.evaluate(async () => ((await (window as unknown as { assay: Record<string, (i?: unknown) => Promise<unknown>> }).assay['workspace.info']!({})) as { name: string }).name);
      expect(again).toBe('Web test');
      expect(page.url()).toBe(`${h.origin}/`);
    } finally {
      await browser.close();
    }
  });
});
