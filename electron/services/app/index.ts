export { handlers } from './handlers';
export { createDispatch, isRequestName, type Dispatch } from './ipc/dispatch';
export { AppSession, type HostServices, type SessionEvent, type SessionListener, type SessionOptions } from './session/session';
export { SettingsStore, type Settings } from './session/settings';
export { AppError, toIpcError } from './ipc/errors';
export type { Handler, HandlerMap, HandlerContext } from './ipc/handler';
