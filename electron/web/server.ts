import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, createReadStream } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { handlers } from '../services/app/handlers';
import { createDispatch } from '../services/app/ipc/dispatch';
import { AppSession, type HostServices, type SessionEvent } from '../services/app/session/session';
import { SettingsStore } from '../services/app/session/settings';
import { CONTENT_SECURITY_POLICY, contentTypeOf, resolveInside } from '../services/http/static';
import { confineExportFolder } from '../services/app/files/export-folder';
import { ensureDemoWorkspace } from '../services/demo/ensure';
import { importFilesOf, tooLarge } from '../services/app/files/import-files';
import { toIpcError } from '../services/app/ipc/errors';
import { bridgeScript, LAUNCH_PAGE, LAUNCH_PATH, LAUNCH_SCRIPT_PATH, launchScript, MAX_TICKETS, RESUME_PATH, TICKET_PATH, UPLOAD_PATH } from './bridge';

export interface WebHostOptions {
  /** The workspace to open; without one, the demo workspace (created on first use) at `~/.assay/demo.assay`. */
  workspace?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Where export requests write; default `~/.assay/exports`. */
  exportsDir?: string;
  /** The built renderer; default `out/renderer` of this checkout. */
  rendererDir?: string;
  /** Where settings (the user's name) live; default `~/.assay`. */
  settingsDir?: string;
  /** Quiet time before an autosave. */
  autosaveMs?: number;
  /** Let "show in folder" open the system file manager (off by default: tests have none). */
  openFolders?: boolean;
  /** Open a workspace whose journal has a line that cannot be applied, keeping that line and the rest aside. */
  setAsideJournalRest?: boolean;
  log?: (message: string, error?: unknown) => void;
}

export interface WebHost {
  /** The page's address, the token in its fragment (never sent to any server): open this. */
  url: string;
  /** The address without the token. */
  origin: string;
  token: string;
  port: number;
  workspace: string;
  exportsDir: string;
  session: AppSession;
  /** Stops serving, then saves and closes the workspace. */
  close(): Promise<void>;
}

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..', '..');
export const DEFAULT_RENDERER_DIR = join(REPO_ROOT, 'out', 'renderer');
export const ASSAY_HOME = join(homedir(), '.assay');

const MAX_BODY_BYTES = 100 * 1024 * 1024;
const BRIDGE_PATH = '/assay-bridge.js';

/** Puts the bridge before the page's first script, so `window.assay` exists before the app's module runs. */
export function injectBridge(html: string): string {
  const tag = `<script src="${BRIDGE_PATH}"></script>`;
  const firstScript = html.search(/<script\b/i);
  const headEnd = html.search(/<\/head>/i);
  const at = firstScript >= 0 && (headEnd < 0 || firstScript < headEnd) ? firstScript : headEnd;
  if (at < 0) return tag + html;
  return html.slice(0, at) + tag + html.slice(at);
}

function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

class TooLarge extends Error {
  constructor(readonly size: number) {
    super('too large');
  }
}

function readBytes(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new TooLarge(size));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBytes(req, MAX_BODY_BYTES)).toString('utf8');
}

const FORBIDDEN_PAGE = `<!doctype html><html lang="en-GB"><meta charset="utf-8"><title>Assay: address needed</title>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto; line-height: 1.5">
<h1>Open Assay with its full address</h1>
<p>This local Assay host only answers the address it printed when it started, whose token comes after a
<code>#</code> (<code>…/open#token=…</code>) so that it never leaves your browser. Copy that address from the
terminal where you ran <code>npm run web</code>.</p></body></html>`;

/** Opens a folder in the system's file manager, without waiting for it or failing if there is none. */
function openInFileManager(path: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [path], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    /* no file manager: the path is in the export result anyway */
  }
}

/**
 * Starts the loopback host: the built renderer and the contract's requests over HTTP on 127.0.0.1, for a browser on
 * this machine (and for Playwright). Every API request, events included, needs the per-run token in the
 * `X-Assay-Token` header. There is no cookie: a browser sends a cookie for 127.0.0.1 to every port, so any other local
 * web service the user visits would receive it. The printed address is the launch page with the token in its fragment,
 * which browsers never send; it hands the token to the app page's bridge, which keeps it in a closure (see bridge.ts).
 */
export async function startWebHost(opts: WebHostOptions = {}): Promise<WebHost> {
  const log = opts.log ?? ((m: string, e?: unknown) => console.error(`assay web: ${m}`, e ?? ''));
  const rendererDir = resolve(opts.rendererDir ?? DEFAULT_RENDERER_DIR);
  const exportsDir = resolve(opts.exportsDir ?? join(ASSAY_HOME, 'exports'));
  const settingsDir = resolve(opts.settingsDir ?? ASSAY_HOME);
  const workspacePath = resolve(opts.workspace ?? (await ensureDemoWorkspace(join(ASSAY_HOME, 'demo.assay'), (step) => process.stdout.write(`${step}\n`))));
  const token = randomBytes(24).toString('base64url');

  const host: HostServices = {
    kind: 'web',
    // A browser page may only choose among folders under the export folder: it has no business writing elsewhere.
    exportFolder: async (_session, requested) => {
      const folder = requested === undefined ? exportsDir : confineExportFolder(requested, exportsDir, []);
      mkdirSync(folder, { recursive: true });
      return folder;
    },
    showInFolder: async (path) => {
      if (opts.openFolders) openInFileManager(dirname(path));
    },
  };
  const session = await AppSession.open(workspacePath, {
    settings: new SettingsStore(settingsDir),
    host,
    autosaveMs: opts.autosaveMs,
    log,
    ...(opts.setAsideJournalRest ? { setAsideJournalRest: true } : {}),
  });
  await session.settings.addRecent(workspacePath).catch(() => undefined);
  const dispatch = createDispatch(handlers, () => ({ session }), log);

  const streams = new Set<ServerResponse>();
  const offEvents = session.on((e: SessionEvent) => {
    const frame = `event: ${e.event}\ndata: ${JSON.stringify(e.payload)}\n\n`;
    for (const s of streams) s.write(frame);
  });
  const heartbeat = setInterval(() => {
    for (const s of streams) s.write(': keep-alive\n\n');
  }, 20_000);
  heartbeat.unref();

  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  /** Resume tickets handed to pages (see bridge.ts): each is good for one reload, then gone. */
  const tickets = new Set<string>();

  const authorised = (req: IncomingMessage): boolean => {
    const header = req.headers['x-assay-token'];
    return sameToken(typeof header === 'string' ? header : undefined, token);
  };

  /** A file to import, uploaded once as raw bytes (see UPLOAD_PATH); authorised like every /api call before this. */
  const receiveUpload = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Not a type a page on another site can send without a CORS preflight, which this host never grants.
    if (!/^application\/octet-stream\b/i.test(req.headers['content-type'] ?? '')) {
      sendJson(res, 415, { ok: false, error: { code: 'bad-request', message: 'Upload the file’s bytes as they are (Content-Type: application/octet-stream).' } });
      return;
    }
    let fileName = 'file.csv';
    try {
      const header = req.headers['x-assay-file-name'];
      if (typeof header === 'string' && header.trim()) fileName = decodeURIComponent(header).slice(0, 255);
    } catch {
      sendJson(res, 400, { ok: false, error: { code: 'bad-request', message: 'The file name is not valid: a “%” must be followed by two hexadecimal digits.' } });
      return;
    }
    const files = importFilesOf(session);
    const declared = Number(req.headers['content-length']);
    let bytes: Buffer;
    try {
      if (Number.isFinite(declared) && declared > files.maxBytes) throw new TooLarge(declared);
      bytes = await readBytes(req, files.maxBytes);
    } catch (e) {
      const error = e instanceof TooLarge ? toIpcError(tooLarge(fileName, e.size, files.maxBytes)) : { code: 'bad-request' as const, message: 'The upload did not arrive whole.' };
      res.setHeader('Connection', 'close');
      sendJson(res, e instanceof TooLarge ? 413 : 400, { ok: false, error });
      return;
    }
    try {
      const file = files.add(fileName, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
      sendJson(res, 200, { ok: true, value: { handle: file.handle, fileName: file.fileName, bytes: file.bytes.length } });
    } catch (e) {
      sendJson(res, 200, { ok: false, error: toIpcError(e, log) });
    }
  };

  const serveIndex = (res: ServerResponse): void => {
    const index = join(rendererDir, 'index.html');
    if (!existsSync(index)) {
      sendText(res, 503, `The renderer has not been built: ${index} is missing. Run \`npm run build\` and start again.`);
      return;
    }
    // The page holds no secret (the bridge reads the token from the address), so it needs no token to be served.
    const html = injectBridge(readFileSync(index, 'utf8'));
    sendText(res, 200, html, 'text/html; charset=utf-8');
  };

  const serveStatic = (res: ServerResponse, pathname: string): void => {
    const file = resolveInside(rendererDir, pathname);
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      sendText(res, 404, 'Not found.');
      return;
    }
    // Vite's hashed assets never change under the same name; everything else is re-read each time.
    const immutable = pathname.startsWith('/assets/');
    res.writeHead(200, {
      'Content-Type': contentTypeOf(file),
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'Content-Length': statSync(file).size,
    });
    createReadStream(file).pipe(res);
  };

  const server = createServer((req, res) => {
    void (async () => {
      securityHeaders(res);
      // DNS rebinding: a page on another site resolving its own name to 127.0.0.1 sends its own Host header.
      if (!allowedHosts().has(req.headers.host ?? '')) {
        sendText(res, 403, 'This host only answers requests addressed to 127.0.0.1 or localhost.');
        return;
      }
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      const path = url.pathname;

      if (path.startsWith('/api/')) {
        // A browser always says where a request comes from; only this host's own pages may call it.
        const from = req.headers.origin;
        if (from !== undefined && from !== `http://127.0.0.1:${port}` && from !== `http://localhost:${port}`) {
          sendJson(res, 403, { ok: false, error: { code: 'bad-sender', message: 'Requests are only answered for Assay’s own page.' } });
          return;
        }
        if (path === RESUME_PATH && req.method === 'POST') {
          // A reloaded page trades the ticket its bridge left for it for the token: once, and only this host's ticket.
          let ticket: unknown;
          try {
            ticket = (JSON.parse(await readBody(req)) as { ticket?: unknown }).ticket;
          } catch {
            ticket = undefined;
          }
          if (typeof ticket !== 'string' || !tickets.delete(ticket)) {
            sendJson(res, 403, { ok: false, error: { code: 'bad-sender', message: 'That resume ticket is not valid (each is used once).' } });
            return;
          }
          sendJson(res, 200, { ok: true, value: { token } });
          return;
        }
        if (!authorised(req)) {
          sendJson(res, 403, { ok: false, error: { code: 'bad-sender', message: 'The request did not carry this host’s token.' } });
          return;
        }
        if (path === TICKET_PATH && req.method === 'POST') {
          const ticket = randomBytes(24).toString('base64url');
          tickets.add(ticket);
          // Each page holds one; a host that has served many pages forgets the oldest.
          if (tickets.size > MAX_TICKETS) tickets.delete(tickets.values().next().value!);
          sendJson(res, 200, { ok: true, value: { ticket } });
          return;
        }
        if (path === '/api/events' && req.method === 'GET') {
          res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
          res.write('retry: 2000\n\n');
          streams.add(res);
          req.on('close', () => streams.delete(res));
          return;
        }
        if (req.method !== 'POST') {
          sendJson(res, 405, { ok: false, error: { code: 'bad-request', message: 'Requests are sent with POST.' } });
          return;
        }
        if (path === UPLOAD_PATH) {
          await receiveUpload(req, res);
          return;
        }
        // A JSON content type cannot be sent cross-site without a CORS preflight, which this host never grants.
        if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
          sendJson(res, 415, { ok: false, error: { code: 'bad-request', message: 'Requests must be JSON (Content-Type: application/json).' } });
          return;
        }
        let payload: unknown;
        try {
          const text = await readBody(req);
          payload = text.trim() === '' ? {} : JSON.parse(text);
        } catch {
          sendJson(res, 400, { ok: false, error: { code: 'bad-request', message: 'The request body is not valid JSON (or is larger than 100 MB).' } });
          return;
        }
        let name: string;
        try {
          name = decodeURIComponent(path.slice('/api/'.length));
        } catch {
          sendJson(res, 400, { ok: false, error: { code: 'bad-request', message: `The request name in ${path.slice(0, 200)} is not valid: a “%” must be followed by two hexadecimal digits.` } });
          return;
        }
        const response = await dispatch(name, payload);
        sendJson(res, 200, response);
        return;
      }

      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendText(res, 405, 'Method not allowed.');
        return;
      }
      if (path === BRIDGE_PATH) {
        sendText(res, 200, bridgeScript(), 'text/javascript; charset=utf-8');
        return;
      }
      if (path === LAUNCH_SCRIPT_PATH) {
        sendText(res, 200, launchScript(), 'text/javascript; charset=utf-8');
        return;
      }
      if (path === LAUNCH_PATH) {
        if (url.searchParams.has('token')) {
          sendText(res, 403, FORBIDDEN_PAGE, 'text/html; charset=utf-8');
          return;
        }
        sendText(res, 200, LAUNCH_PAGE, 'text/html; charset=utf-8');
        return;
      }
      if (path === '/' || path === '/index.html') {
        // A token in the query (an address from an older version, or typed by hand) would sit in the history and be
        // sent to this server in the clear: refuse it, and point to the address whose token stays in the browser.
        if (url.searchParams.has('token')) {
          sendText(res, 403, FORBIDDEN_PAGE, 'text/html; charset=utf-8');
          return;
        }
        serveIndex(res);
        return;
      }
      if (path === '/favicon.ico' && !existsSync(join(rendererDir, 'favicon.ico'))) {
        // Browsers ask for it unprompted; an empty answer keeps their consoles free of a meaningless 404.
        res.writeHead(204, { 'Cache-Control': 'public, max-age=86400' });
        res.end();
        return;
      }
      serveStatic(res, path);
    })().catch((e: unknown) => {
      log('request failed', e);
      if (!res.headersSent) sendText(res, 500, 'Assay’s local host could not answer this request.');
      else res.end();
    });
  });

  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(opts.port ?? 0, '127.0.0.1', () => {
        server.off('error', fail);
        ok();
      });
    });
  } catch (e) {
    // Nothing is served (the port is taken, say): let go of the workspace and its lock before saying so.
    clearInterval(heartbeat);
    offEvents();
    await session.close();
    throw e;
  }
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;
  session.warm();

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}${LAUNCH_PATH}#token=${token}`,
    origin,
    token,
    port,
    workspace: workspacePath,
    exportsDir,
    session,
    close: () =>
      (closing ??= (async () => {
        clearInterval(heartbeat);
        offEvents();
        for (const s of streams) s.end();
        streams.clear();
        server.closeAllConnections();
        await new Promise<void>((ok) => server.close(() => ok()));
        await session.close();
      })()),
  };
}
