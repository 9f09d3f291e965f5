import { beforeEach, describe, expect, it, vi } from 'vitest';
import { REQUEST_NAMES, EVENT_NAMES } from '../../shared/ipc/contract';

/**
 * The preload runs only inside Electron, which cannot run here, so `electron` is replaced by a recorder of what the
 * preload asks of it: what it exposes to the page, which channels it invokes, what reaches a listener.
 */
const exposed: Record<string, unknown> = {};
const invoked: [string, unknown][] = [];
let answer: unknown = { ok: true, value: 'the value' };
let onEvent: ((event: unknown, message: unknown) => void) | undefined;

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    invoke: async (channel: string, payload: unknown) => {
      invoked.push([channel, payload]);
      if (answer instanceof Error) throw answer;
      return answer;
    },
    on: (channel: string, listener: (event: unknown, message: unknown) => void) => {
      if (channel === 'assay:event') onEvent = listener;
    },
  },
}));

type Api = Record<string, (input?: unknown) => Promise<unknown>> & { host: string; on: (e: string, l: (p: unknown) => void) => () => void };

describe('the preload bridge', () => {
  beforeEach(async () => {
    await import('./index');
    invoked.length = 0;
    answer = { ok: true, value: 'the value' };
  });

  it('exposes one function per request, the event subscription and the host, and nothing else', () => {
    const api = exposed.assay as Api;
    expect(Object.keys(api).sort()).toEqual([...REQUEST_NAMES, 'host', 'on'].sort());
    expect(api.host).toBe('electron');
    expect(Object.values(api).some((v) => v && typeof v === 'object')).toBe(false);
  });

  it('invokes the request’s channel and resolves with the value', async () => {
    const api = exposed.assay as Api;
    await expect(api['locations.list']!({ limit: 10 })).resolves.toBe('the value');
    await api['workspace.info']!();
    expect(invoked).toEqual([
      ['assay:locations.list', { limit: 10 }],
      ['assay:workspace.info', {}],
    ]);
  });

  it('rejects with the plain IpcError main sent, fields and all', async () => {
    const api = exposed.assay as Api;
    answer = { ok: false, error: { code: 'bad-request', message: 'The request was not valid.', fields: { title: 'must not be empty' } } };
    await expect(api['reports.create']!({})).rejects.toEqual({ code: 'bad-request', message: 'The request was not valid.', fields: { title: 'must not be empty' } });
    answer = new Error('No handler registered');
    await expect(api['workspace.info']!({})).rejects.toMatchObject({ code: 'internal' });
    answer = 'garbage';
    await expect(api['workspace.info']!({})).rejects.toMatchObject({ code: 'internal' });
  });

  it('delivers events by name with the payload only, never the IPC event, until unsubscribed', () => {
    const api = exposed.assay as Api;
    const got: unknown[][] = [];
    const off = api.on('workspace.changed', (...args: unknown[]) => got.push(args));
    const fakeIpcEvent = { sender: { send: () => undefined }, ports: [] };
    onEvent!(fakeIpcEvent, { event: 'workspace.changed', payload: { seq: 3, tables: ['ratings'], label: 'Change a rating' } });
    onEvent!(fakeIpcEvent, { event: 'figures.changed', payload: { keys: ['a'] } });
    onEvent!(fakeIpcEvent, { event: 'not-an-event', payload: {} });
    onEvent!(fakeIpcEvent, 'not even an object');
    expect(got).toEqual([[{ seq: 3, tables: ['ratings'], label: 'Change a rating' }]]);
    off();
    onEvent!(fakeIpcEvent, { event: 'workspace.changed', payload: { seq: 4, tables: [], label: 'x' } });
    expect(got).toHaveLength(1);
    expect(() => api.on('nonsense', () => undefined)).toThrow(TypeError);
    expect(EVENT_NAMES).toContain('menu.command');
  });
});
