import type { RequestName, RequestOutputs, RequestParsed } from '../../../../shared/ipc/contract';
import type { AppSession } from '../session/session';

/** What every handler gets besides its parsed input. */
export interface HandlerContext {
  session: AppSession;
}

export type Handler<N extends RequestName> = (input: RequestParsed<N>, ctx: HandlerContext) => Promise<RequestOutputs[N]> | RequestOutputs[N];

/** The handler map: one entry per request of the contract. The compiler refuses a map that misses one. */
export type HandlerMap = { [N in RequestName]: Handler<N> };

export type PartialHandlerMap<K extends RequestName> = { [N in K]: Handler<N> };
