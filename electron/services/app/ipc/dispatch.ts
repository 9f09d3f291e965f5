import { requests, type IpcResponse, type RequestName } from '../../../../shared/ipc/contract';
import { toIpcError, zodFields, zodMessage, type ErrorLog } from './errors';
import type { HandlerContext, HandlerMap } from './handler';

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requests, name);
}

const fieldCache = new Map<RequestName, ReadonlySet<string>>();

/** The top-level field names of a request's input, so store errors can be pinned to a form field only when real. */
function fieldNames(name: RequestName): ReadonlySet<string> {
  let names = fieldCache.get(name);
  if (!names) {
    const schema = requests[name] as unknown as { shape?: Record<string, unknown> };
    names = new Set(schema.shape ? Object.keys(schema.shape) : []);
    fieldCache.set(name, names);
  }
  return names;
}

export type Dispatch = (name: unknown, payload: unknown) => Promise<IpcResponse<unknown>>;

/**
 * The one way a request reaches a handler, in Electron and in the loopback host alike: the name must be in the
 * contract, the payload must parse with the contract's schema, and whatever goes wrong comes back as an IpcError.
 * Handlers therefore only ever see parsed input, and never throw past this point.
 */
export function createDispatch(handlers: HandlerMap, context: () => HandlerContext | Promise<HandlerContext>, log?: ErrorLog): Dispatch {
  return async (name, payload) => {
    if (!isRequestName(name)) {
      return { ok: false, error: { code: 'bad-channel', message: `There is no request called ${JSON.stringify(String(name).slice(0, 100))}.` } };
    }
    // An absent payload is the same as an empty one: most read requests take no input.
    const parsed = requests[name].safeParse(payload === undefined || payload === null ? {} : payload);
    if (!parsed.success) {
      const fields = zodFields(parsed.error);
      return { ok: false, error: { code: 'bad-request', message: zodMessage(fields), fields } };
    }
    try {
      const ctx = await context();
      const handler = handlers[name] as (input: unknown, ctx: HandlerContext) => unknown;
      const value = await handler(parsed.data, ctx);
      return { ok: true, value };
    } catch (e) {
      return { ok: false, error: toIpcError(e, log, fieldNames(name)) };
    }
  };
}
