import { IPC_CHANNEL_PREFIX, type IpcResponse } from '../../shared/ipc/contract';
import { isRequestName, type Dispatch } from '../services/app/ipc/dispatch';
import { isAppUrl } from './protocol-path';

/** What the guard needs to know about who sent a message: taken from Electron's IPC event by the thin glue. */
export interface IpcSender {
  /** The URL of the frame that sent the message (event.senderFrame.url). */
  frameUrl: string | null | undefined;
  /** True when the sending frame is its window's top frame (senderFrame === sender.mainFrame). */
  topFrame: boolean;
  /** The sending WebContents' id, to find the workspace its window shows. */
  webContentsId: number;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export const requestChannel = (name: string): string => `${IPC_CHANNEL_PREFIX}${name}`;
export const EVENT_CHANNEL = `${IPC_CHANNEL_PREFIX}event`;

/**
 * The one wrapper every IPC request passes through. In order: the channel must name a request in the contract; the
 * sender must be the top frame of a page served from the app's own origin (not an iframe, not a page the window was
 * somehow navigated to); the window must have a workspace; then the dispatcher parses the payload with the
 * contract's schema and runs the handler. Every failure is an IpcError in the contract's one shape.
 *
 * `devOrigin` is electron-vite's dev server (development only, never in a packaged app), which serves the renderer
 * with hot reloading instead of the app's own protocol.
 */
export function createIpcGuard(dispatchFor: (webContentsId: number) => Dispatch | undefined, opts: { devOrigin?: string } = {}) {
  const fromApp = (url: string | null | undefined): boolean => isAppUrl(url) || (!!opts.devOrigin && !!url && originOf(url) === opts.devOrigin);
  return async (channel: string, sender: IpcSender, payload: unknown): Promise<IpcResponse<unknown>> => {
    if (typeof channel !== 'string' || !channel.startsWith(IPC_CHANNEL_PREFIX) || !isRequestName(channel.slice(IPC_CHANNEL_PREFIX.length))) {
      return { ok: false, error: { code: 'bad-channel', message: `There is no request on channel ${JSON.stringify(String(channel).slice(0, 100))}.` } };
    }
    if (!sender.topFrame || !fromApp(sender.frameUrl)) {
      return { ok: false, error: { code: 'bad-sender', message: 'Requests are only answered for Assay’s own pages.' } };
    }
    const dispatch = dispatchFor(sender.webContentsId);
    if (!dispatch) {
      return { ok: false, error: { code: 'bad-sender', message: 'This window has no workspace open.' } };
    }
    return dispatch(channel.slice(IPC_CHANNEL_PREFIX.length), payload);
  };
}
