import type { HandlerMap } from '../ipc/handler';
import { dataHandlers } from './data';
import { assessmentHandlers } from './assessments';
import { exportHandlers } from './export';
import { attachmentHandlers } from './attachments';
import { importHandlers } from './import';
import { figureHandlers } from './figures';
import { reportHandlers } from './reports';
import { readHandlers } from './reads';
import { workspaceHandlers } from './workspace';
import { reviewHandlers } from './review';
import { mergeHandlers } from './merge';

/** Every request of the contract, answered over an open workspace. Shared by Electron's main process and the loopback host. */
export const handlers: HandlerMap = {
  ...workspaceHandlers,
  ...dataHandlers,
  ...assessmentHandlers,
  ...reportHandlers,
  ...figureHandlers,
  ...exportHandlers,
  ...attachmentHandlers,
  ...importHandlers,
  ...mergeHandlers,
  ...reviewHandlers,
  ...readHandlers,
};
