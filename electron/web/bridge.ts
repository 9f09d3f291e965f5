import { EVENT_NAMES, REQUEST_NAMES } from '../../shared/ipc/contract';

/**
 * The script the loopback host serves at /assay-bridge.js and injects into index.html before the app's own scripts.
 * It gives the page the same `window.assay` the Electron preload gives: one function per request (POST /api/<name>),
 * `on(event, listener)` over Server-Sent Events, and `host: 'web'`. Requests reject with a plain IpcError object, as
 * they do under Electron. The token travels in an HttpOnly cookie the host set when it served the page, so the script
 * itself holds no secret.
 */
export function bridgeScript(): string {
  return `(() => {
  'use strict';
  const REQUESTS = ${JSON.stringify(REQUEST_NAMES)};
  const EVENTS = ${JSON.stringify(EVENT_NAMES)};
  const listeners = new Map();
  let source = null;

  function deliver(event, data) {
    let payload;
    try { payload = JSON.parse(data); } catch { return; }
    for (const l of Array.from(listeners.get(event) || [])) {
      try { l(payload); } catch (e) { console.error('assay: an event listener failed', e); }
    }
  }

  function connect() {
    if (source) return;
    source = new EventSource('/api/events', { withCredentials: true });
    for (const name of EVENTS) source.addEventListener(name, (m) => deliver(name, m.data));
  }

  async function call(name, input) {
    let res;
    try {
      res = await fetch('/api/' + encodeURIComponent(name), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
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

  const api = {
    host: 'web',
    on(event, listener) {
      if (!EVENTS.includes(event) || typeof listener !== 'function') throw new TypeError('Unknown Assay event: ' + String(event));
      connect();
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
