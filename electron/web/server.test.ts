import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
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
    expect(h.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
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

  it('refuses API calls without the token, or with a wrong one, and answers with it', async () => {
    const { host: h } = await start();
    for (const headers of <Record<string, string>[]>[{}, { 'x-assay-token': 'wrong' }, { cookie: `assay_token_${h.port}=wrong` }]) {
      const r = await post(h, 'workspace.info', {}, headers);
      expect(r.status).toBe(403);
      expect(await r.json()).toMatchObject({ ok: false, error: { code: 'bad-sender' } });
    }
    const ok = await post(h, 'workspace.info', {});
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, value: { name: 'Web test', schemaVersion: SCHEMA_VERSION } });
    const otherSite = await post(h, 'workspace.info', {}, { 'x-assay-token': h.token, origin: 'https://evil.example' });
    expect(otherSite.status).toBe(403);
    const viaCookie = await post(h, 'settings.get', {}, { cookie: `assay_token_${h.port}=${h.token}` });
    expect(await viaCookie.json()).toEqual({ ok: true, value: { userName: null } });
  });

  it('trades the token in the address for a cookie, and refuses the page without it', async () => {
    const { host: h } = await start();
    const first = await fetch(h.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(`${h.origin}/`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html.indexOf('/assay-bridge.js')).toBeLessThan(html.indexOf('./assets/app.js'));
    expect((await fetch(`${h.origin}/`)).status).toBe(403);
    expect((await fetch(`${h.origin}/?token=nope`)).status).toBe(403);
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

  it('delivers events over Server-Sent Events', async () => {
    const { host: h } = await start();
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
        return { host: api.host, name: info.name, error, events, frozen: Object.isFrozen(api), keys: Object.keys(api).length };
      });
      expect(result.host).toBe('web');
      expect(result.name).toBe('Web test');
      expect(result.error).toMatchObject({ code: 'bad-request', fields: { publishedOn: expect.any(String) } });
      expect(result.events[0]).toMatchObject({ label: 'Create a report' });
      expect(result.frozen).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
