export { handlers } from './handlers';
export { createDispatch, isRequestName, type Dispatch } from './dispatch';
export { AppSession, type HostServices, type SessionEvent, type SessionListener, type SessionOptions } from './session';
export { SettingsStore, type Settings } from './settings';
export { AppError, toIpcError } from './errors';
export type { Handler, HandlerMap, HandlerContext } from './handler';
