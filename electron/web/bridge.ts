import { EVENT_NAMES, REQUEST_NAMES } from '../../shared/ipc/contract';

/** Marks the token the launch page leaves in `window.name` for the app page's bridge. */
const HANDOFF_PREFIX = 'assay-token:';

/** Where the printed address points: `/open#token=…`. */
export const LAUNCH_PATH = '/open';
export const LAUNCH_SCRIPT_PATH = '/assay-open.js';
/**
 * Where the page uploads a file to import, once, as the raw bytes (Content-Type application/octet-stream, the name in
 * `X-Assay-File-Name`, percent-encoded), with the token header as on every /api call. Answers `{ok:true,value:{handle}}`:
 * import.open takes the handle as `upload`. The bytes are held by electron/services/app/files/import-files.ts.
 */
export const UPLOAD_PATH = '/api/upload';

/**
 * Reloading without losing the key. A page's bridge asks for a resume ticket (POST TICKET_PATH, with the token) and
 * keeps it in memory; only as the page is being left (pagehide) is the ticket put in this tab's sessionStorage, which
 * no other origin can read, not even another port on 127.0.0.1. The next page in the tab (a reload) takes it out at
 * once and trades it for the token (POST RESUME_PATH); the host accepts each ticket once. The token itself is never
 * stored anywhere a page's scripts could read it back.
 */
export const TICKET_PATH = '/api/ticket';
export const RESUME_PATH = '/api/resume';
export const RESUME_KEY = 'assay-resume';
/** Tickets a host keeps at once (one per page that has loaded): past it, the oldest is forgotten. */
export const MAX_TICKETS = 64;

/**
 * The launch page: the address `npm run web` prints is `/open#token=…`. A fragment is never sent to a server, but the
 * page that loads with it keeps it in its address, its history entry and its navigation timing entry, all readable by
 * its scripts. So this page only hands the token to the app's page through `window.name` (kept across a navigation in
 * the same tab, and emptied by the bridge at once) and replaces itself with `/`, taking its timeline and its history
 * entry with it.
 */
export const LAUNCH_PAGE = `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Opening Assay…</title>
<script src="${LAUNCH_SCRIPT_PATH}"></script></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto; line-height: 1.5"><p>Opening Assay…</p></body></html>`;

export function launchScript(): string {
  return `(() => {
  'use strict';
  const m = /(?:^#|&)token=([A-Za-z0-9_-]+)(?:&|$)/.exec(window.location.hash);
  if (!m) {
    document.addEventListener('DOMContentLoaded', () => {
      document.body.textContent = 'This address has no token. Open the full address “npm run web” printed (it ends in #token=…).';
    });
    return;
  }
  window.name = ${JSON.stringify(HANDOFF_PREFIX)} + m[1];
  // A deep link may follow the token ("#token=…&to=/reports/…"): the app opens at that screen.
  const to = /(?:^#|&)to=([^&]*)/.exec(window.location.hash);
  let route = '';
  try { route = to ? decodeURIComponent(to[1]) : ''; } catch { route = ''; }
  const safe = route.charAt(0) === '/' && /^[A-Za-z0-9_%.-]*$/.test(route.split('/').join(''));
  window.location.replace(safe ? '/#' + route : '/');
})();
`;
}

/**
 * The script the loopback host serves at /assay-bridge.js and injects into index.html before the app's own scripts.
 * It gives the page the same `window.assay` the Electron preload gives: one function per request (POST /api/<name>),
 * `on(event, listener)` over the host's event stream, and `host: 'web'`. Requests reject with a plain IpcError object,
 * as they do under Electron.
 *
 * The token reaches it from the launch page (see {@link launchScript}) through `window.name`, which the bridge reads
 * and empties before any other script runs. From then on it lives only in this closure: not in a cookie (sent to every
 * port on 127.0.0.1), storage, the address, the history, the performance timeline or any global. It goes out in the
 * `X-Assay-Token` header, through the `fetch` captured at start, so a script that wraps `fetch` later never sees it.
 * Events come over a streamed fetch rather than EventSource, which cannot send a header.
 *
 * A reloaded page gets the token back with the resume ticket its predecessor left in the tab (see TICKET_PATH); a
 * page opened any other way (a new tab, a bookmark, after the host restarted) has none: it says so, and the printed
 * address opens the app again.
 */
export function bridgeScript(): string {
  return `(() => {
  'use strict';
  const REQUESTS = ${JSON.stringify(REQUEST_NAMES)};
  const EVENTS = ${JSON.stringify(EVENT_NAMES)};
  const nativeFetch = window.fetch.bind(window);
  const Decoder = window.TextDecoder;
  const wait = (ms) => new Promise((r) => window.setTimeout(r, ms));
  const listeners = new Map();
  let token = null;
  let streaming = false;
  let banner = null;

  function takeToken() {
    const name = window.name;
    if (!name.startsWith(${JSON.stringify(HANDOFF_PREFIX)})) return false;
    window.name = '';
    const t = name.slice(${HANDOFF_PREFIX.length});
    if (!/^[A-Za-z0-9_-]+$/.test(t)) return false;
    token = t;
    return true;
  }

  const LOST = 'This page has no access key: it was opened without the address “npm run web” printed, or in a new tab, or Assay was restarted. Open that address again (it is in the terminal where Assay is running).';

  function showLost() {
    if (banner || token) return;
    const put = () => {
      if (banner || token || !document.body) return;
      banner = document.createElement('div');
      banner.setAttribute('role', 'alert');
      banner.textContent = LOST;
      banner.style.cssText = 'position:fixed;z-index:2147483647;left:0;right:0;top:0;padding:12px 16px;background:#fff4ce;color:#1d1d1d;border-bottom:2px solid #b58100;font:15px/1.4 system-ui,sans-serif';
      document.body.prepend(banner);
    };
    if (document.body) put();
    else document.addEventListener('DOMContentLoaded', put, { once: true });
  }

  function deliver(event, data) {
    let payload;
    try { payload = JSON.parse(data); } catch { return; }
    for (const l of Array.from(listeners.get(event) || [])) {
      try { l(payload); } catch (e) { console.error('assay: an event listener failed', e); }
    }
  }

  /** One Server-Sent Events frame: "event:" and "data:" lines; comments (":") are keep-alives. */
  function frame(text) {
    let event = 'message';
    const data = [];
    for (const line of text.split('\\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length && EVENTS.includes(event)) deliver(event, data.join('\\n'));
  }

  async function stream() {
    if (streaming) return;
    streaming = true;
    await resuming;
    let delay = 2000;
    while (token) {
      try {
        const res = await nativeFetch('/api/events', { headers: { 'x-assay-token': token }, cache: 'no-store', credentials: 'omit' });
        if (res.status === 403) { token = null; showLost(); break; }
        if (!res.ok || !res.body) throw new Error('no event stream');
        delay = 2000;
        const reader = res.body.getReader();
        const decoder = new Decoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true }).replace(/\\r\\n?/g, '\\n');
          let end;
          while ((end = buffer.indexOf('\\n\\n')) >= 0) {
            frame(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
      } catch {
        /* the host restarted or the connection dropped: try again shortly */
      }
      await wait(delay);
      delay = Math.min(delay * 2, 30000);
    }
    streaming = false;
  }

  async function call(name, input) {
    await resuming;
    if (!token) {
      showLost();
      throw { code: 'bad-sender', message: LOST };
    }
    let res;
    try {
      res = await nativeFetch('/api/' + encodeURIComponent(name), {
        method: 'POST',
        credentials: 'omit',
        headers: { 'content-type': 'application/json', 'x-assay-token': token },
        body: JSON.stringify(input === undefined ? {} : input),
      });
    } catch (e) {
      throw { code: 'internal', message: 'Assay’s local host is not answering. Check that “npm run web” is still running.' };
    }
    let body = null;
    try { body = await res.json(); } catch { body = null; }
    if (body && body.ok === true) return body.value;
    if (body && body.error && typeof body.error.code === 'string') throw body.error;
    throw { code: 'internal', message: 'Assay’s local host answered ' + res.status + ' without a readable result.' };
  }

  /** A file to import, sent once as its raw bytes; resolves with the handle import.open takes as upload. */
  async function uploadImport(file, fileName) {
    await resuming;
    if (!token) {
      showLost();
      throw { code: 'bad-sender', message: LOST };
    }
    let res;
    try {
      res = await nativeFetch(${JSON.stringify(UPLOAD_PATH)}, {
        method: 'POST',
        credentials: 'omit',
        headers: { 'content-type': 'application/octet-stream', 'x-assay-token': token, 'x-assay-file-name': encodeURIComponent(String(fileName)) },
        body: file,
      });
    } catch (e) {
      throw { code: 'internal', message: 'The file could not be sent to Assay’s local host. Check that “npm run web” is still running.' };
    }
    let body = null;
    try { body = await res.json(); } catch { body = null; }
    if (body && body.ok === true && body.value && typeof body.value.handle === 'string') return body.value.handle;
    if (body && body.error && typeof body.error.code === 'string') throw body.error;
    throw { code: 'internal', message: 'Assay’s local host answered ' + res.status + ' without a readable result.' };
  }

  let ticket = null;

  /** A ticket for the next page in this tab, held in memory until the page is left. */
  async function fetchTicket() {
    try {
      const res = await nativeFetch(${JSON.stringify(TICKET_PATH)}, { method: 'POST', credentials: 'omit', headers: { 'content-type': 'application/json', 'x-assay-token': token }, body: '{}' });
      const body = await res.json();
      if (body && body.ok === true && typeof body.value.ticket === 'string') ticket = body.value.ticket;
    } catch {
      /* without a ticket a reload asks for the printed address, as before */
    }
  }

  /** After a reload: the ticket the page before left in this tab, traded once for the token. */
  async function resume() {
    let left = null;
    try {
      left = window.sessionStorage.getItem(${JSON.stringify(RESUME_KEY)});
      window.sessionStorage.removeItem(${JSON.stringify(RESUME_KEY)});
    } catch {
      left = null;
    }
    if (!left) return;
    try {
      const res = await nativeFetch(${JSON.stringify(RESUME_PATH)}, { method: 'POST', credentials: 'omit', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ticket: left }) });
      const body = await res.json();
      if (body && body.ok === true && typeof body.value.token === 'string' && /^[A-Za-z0-9_-]+$/.test(body.value.token)) token = body.value.token;
    } catch {
      /* the host is gone or the ticket was used: the page says what to do */
    }
  }

  window.addEventListener('pagehide', () => {
    if (!token || !ticket) return;
    try { window.sessionStorage.setItem(${JSON.stringify(RESUME_KEY)}, ticket); } catch { /* storage refused: a reload will ask for the address */ }
  });
  window.addEventListener('pageshow', (e) => {
    // Back to this very page from the cache: it still holds its token, so the ticket leaves storage again.
    if (e.persisted) { try { window.sessionStorage.removeItem(${JSON.stringify(RESUME_KEY)}); } catch { /* nothing to remove */ } }
  });

  const resuming = (takeToken() ? Promise.resolve() : resume()).then(() => {
    if (token) void fetchTicket();
    else showLost();
  });

  const api = {
    host: 'web',
    uploadImport,
    on(event, listener) {
      if (!EVENTS.includes(event) || typeof listener !== 'function') throw new TypeError('Unknown Assay event: ' + String(event));
      void stream();
      const set = listeners.get(event) || new Set();
      // Wrap so that the same function subscribed twice is two subscriptions, each with its own unsubscribe.
      const wrapped = (p) => listener(p);
      set.add(wrapped);
      listeners.set(event, set);
      return () => { set.delete(wrapped); };
    },
  };
  for (const name of REQUESTS) api[name] = (input) => call(name, input);
  Object.defineProperty(window, 'assay', { value: Object.freeze(api), enumerable: true, configurable: false, writable: false });
})();
`;
}
