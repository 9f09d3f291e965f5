import { contextBridge, ipcRenderer } from 'electron';
import type { EventName, IpcError, IpcResponse } from '../../shared/ipc/contract';
// Names only: the contract's schemas (zod) cannot be loaded in a sandboxed preload, and main checks payloads anyway.
import { CHANNEL_PREFIX as IPC_CHANNEL_PREFIX, EVENT_CHANNEL, EVENT_CHANNEL_NAMES as EVENT_NAMES, REQUEST_CHANNEL_NAMES as REQUEST_NAMES } from '../../shared/ipc/channels';

/**
 * The bridge between the sandboxed page and the main process. It exposes verbs only: one function per request of the
 * contract and an event subscription. `ipcRenderer` itself never crosses into the page, and neither does the
 * IpcRendererEvent, which would hand the page `sender` (an ipcRenderer).
 *
 * Requests resolve with the handler's value or reject with a plain IpcError object ({ code, message, fields }): plain
 * because contextBridge drops an Error's own properties, and the renderer needs `fields` for its forms.
 */

type Listener = (payload: unknown) => void;
const listeners = new Map<EventName, Set<Listener>>();

ipcRenderer.on(EVENT_CHANNEL, (_event, message: unknown) => {
  if (!message || typeof message !== 'object') return;
  const { event, payload } = message as { event?: unknown; payload?: unknown };
  if (typeof event !== 'string' || !(EVENT_NAMES as readonly string[]).includes(event)) return;
  for (const l of [...(listeners.get(event as EventName) ?? [])]) {
    try {
      l(payload);
    } catch (e) {
      console.error('assay: an event listener failed', e);
    }
  }
});

function unexpected(message: string): IpcError {
  return { code: 'internal', message };
}

async function call(name: string, input: unknown): Promise<unknown> {
  let response: IpcResponse<unknown>;
  try {
    response = (await ipcRenderer.invoke(`${IPC_CHANNEL_PREFIX}${name}`, input)) as IpcResponse<unknown>;
  } catch {
    throw unexpected('Assay’s main process did not answer. Save a copy of your work if you can, and restart Assay.');
  }
  if (response && response.ok === true) return response.value;
  if (response && response.ok === false && response.error) throw response.error;
  throw unexpected('Assay’s main process gave an answer that could not be read.');
}

const api: Record<string, unknown> = {
  host: 'electron',
  on(event: string, listener: Listener): () => void {
    if (!(EVENT_NAMES as readonly string[]).includes(event)) throw new TypeError(`Unknown Assay event: ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('An Assay event listener must be a function.');
    const set = listeners.get(event as EventName) ?? new Set<Listener>();
    // Wrapped, so that subscribing the same function twice gives two subscriptions with their own unsubscribe.
    const wrapped: Listener = (p) => listener(p);
    set.add(wrapped);
    listeners.set(event as EventName, set);
    return () => {
      set.delete(wrapped);
    };
  },
};
for (const name of REQUEST_NAMES) api[name] = (input?: unknown) => call(name, input === undefined ? {} : input);

contextBridge.exposeInMainWorld('assay', api);
