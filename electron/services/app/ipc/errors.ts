import { z } from 'zod';
import type { IpcError } from '../../../../shared/ipc/contract';
import { isUserError, UserError, type FieldProblems, type UserErrorCode } from '../../../../shared/util/errors';

/**
 * A UserError a handler raises about its own request (a record that does not exist, a field that is wrong), so its
 * fields are the request's own and the renderer can show them beside the form. Errors from below the handlers (the
 * store, the figure engine, the exporters) are UserErrors too, naming their own input's fields.
 */
export class AppError extends UserError {
  constructor(code: UserErrorCode, message: string, fields?: Record<string, string>) {
    super(code, message, { fields });
    this.name = 'AppError';
  }
}

export function notFound(what: string, id: string | number): AppError {
  return new AppError('not-found', `${what} ${id} does not exist in this workspace.`);
}

/** Each kind of UserError as the contract's code. A disk failure is 'internal' to the renderer, but its message is passed on. */
const IPC_CODES: Record<UserErrorCode, IpcError['code']> = {
  'bad-request': 'bad-request',
  invalid: 'invalid',
  'not-found': 'not-found',
  conflict: 'conflict',
  locked: 'locked',
  io: 'internal',
};

/** Zod issues as path -> message, the shape forms show beside each field. */
export function zodFields(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '(input)';
    // The first problem per field is the one worth showing; the rest are usually consequences of it.
    if (!(path in fields)) fields[path] = issue.message;
  }
  return fields;
}

export function zodMessage(fields: Record<string, string>): string {
  const parts = Object.entries(fields).map(([k, v]) => (k === '(input)' ? v : `${k} ${v}`));
  return `The request was not valid: ${parts.join('; ')}.`;
}

export interface ErrorLog {
  (message: string, error: unknown): void;
}

/**
 * Every failure that crosses the boundary comes out in the one IpcError shape. Unexpected errors are logged in full
 * here and reach the renderer only as a safe sentence: stack traces and file paths of the machine stay on this side.
 *
 * `knownFields` are the request's top-level field names. A handler's own AppError names the request's fields, so its
 * fields pass as they are; an error from below names the fields of its own input (a store record, a figure spec), and
 * only those the request also has are passed on, so a form is never told a problem sits beside a field it lacks.
 */
export function toIpcError(e: unknown, log?: ErrorLog, knownFields: ReadonlySet<string> = new Set()): IpcError {
  if (isUserError(e)) {
    const code = IPC_CODES[e.code];
    let message = e.message;
    if (code === 'internal') {
      log?.('workspace input/output failed', e);
      // Written for the user (a full disk says where the changes are kept and what to do), so it is passed on.
      message ||= 'Assay could not read or write the workspace file. Check the disk and try again.';
    }
    const fields = e instanceof AppError ? e.fields : onlyKnown(e.fields, knownFields);
    return fields ? { code, message, fields: { ...fields } } : { code, message };
  }
  if (e instanceof z.ZodError) {
    const fields = zodFields(e);
    return { code: 'bad-request', message: zodMessage(fields), fields };
  }
  log?.('unexpected failure in a request handler', e);
  return { code: 'internal', message: 'Something went wrong inside Assay. Your work is saved; try again, and report the problem if it persists.' };
}

function onlyKnown(fields: FieldProblems | undefined, known: ReadonlySet<string>): Record<string, string> | undefined {
  if (!fields) return undefined;
  const out = Object.entries(fields).filter(([path]) => known.has(path.split('.')[0]!));
  return out.length ? Object.fromEntries(out) : undefined;
}
