import { useCallback, useEffect, useRef, useState } from 'react';
import type { AssayApi, EventName, EventPayloads, IpcError, RequestInput, RequestName, RequestOutputs } from '../../../shared/ipc/contract';
import { changeAffects, type ReadName } from '../../../shared/ipc/live';

declare global {
  interface Window {
    assay?: AssayApi;
  }
}

/** The bridge is injected before our script runs (preload or the loopback host's bridge script). */
export function api(): AssayApi {
  const a = window.assay;
  if (!a) throw new Error('Assay’s bridge to the workspace is missing. Open Assay from the app or the loopback host.');
  return a;
}

export function call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutputs[N]> {
  // The mapped type cannot be indexed generically without widening, so the cast stays here, in one place.
  const fn = api()[name] as unknown as (i: RequestInput<N>) => Promise<RequestOutputs[N]>;
  return fn(input);
}

const CODES: readonly IpcError['code'][] = ['bad-request', 'bad-channel', 'bad-sender', 'not-found', 'invalid', 'conflict', 'locked', 'internal'];

/**
 * Whatever a rejected request throws, brought to the one IpcError shape. Bridges may reject with an Error carrying
 * `code`/`fields`, with the plain object, or (across a structured-clone boundary) with an Error whose message is JSON.
 */
export function toIpcError(e: unknown): IpcError {
  if (e && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    const inner = o.error && typeof o.error === 'object' ? (o.error as Record<string, unknown>) : o;
    const code = typeof inner.code === 'string' && (CODES as string[]).includes(inner.code) ? (inner.code as IpcError['code']) : undefined;
    const message = typeof inner.message === 'string' ? inner.message : String(e);
    const fields = inner.fields && typeof inner.fields === 'object' ? (inner.fields as Record<string, string>) : undefined;
    if (code) return fields ? { code, message, fields } : { code, message };
    if (typeof message === 'string' && message.trim().startsWith('{')) {
      try {
        return toIpcError(JSON.parse(message));
      } catch {
        /* not JSON after all: fall through */
      }
    }
    return { code: 'internal', message };
  }
  return { code: 'internal', message: String(e) };
}

export function useEvent<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): void {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => api().on(event, (p) => ref.current(p)), [event]);
}

export type Loadable<T> = { status: 'loading'; data?: T } | { status: 'ready'; data: T } | { status: 'error'; error: IpcError; data?: T };

/**
 * Runs a read, and runs it again when its input changes or when a write touches a table the read depends on (so lists
 * stay true after edits made anywhere: another screen, another window, an import). Which tables a read depends on is
 * declared once, in shared/ipc/live.ts; no screen names one. While an answer is on its way, changes only mark it
 * stale, and one more run follows it: a burst of writes costs two requests, not one each.
 */
export function useRequest<N extends ReadName>(name: N, input: RequestInput<N>): Loadable<RequestOutputs[N]> & { reload: () => void } {
  const key = JSON.stringify(input);
  const [state, setState] = useState<Loadable<RequestOutputs[N]>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const inFlight = useRef(false);
  const stale = useRef(false);
  useEffect(() => {
    let live = true;
    inFlight.current = true;
    stale.current = false;
    setState((s) => ({ status: 'loading', data: s.data }));
    call(name, JSON.parse(key) as RequestInput<N>)
      .then(
        (data) => live && setState({ status: 'ready', data }),
        (e: unknown) => live && setState((s) => ({ status: 'error', error: toIpcError(e), data: s.data })),
      )
      .finally(() => {
        if (!live) return;
        inFlight.current = false;
        if (stale.current) reload();
      });
    return () => {
      live = false;
    };
  }, [name, key, tick, reload]);
  useEvent('workspace.changed', (p) => {
    if (!changeAffects(name, p.tables)) return;
    if (inFlight.current) stale.current = true;
    else reload();
  });
  return { ...state, reload };
}
