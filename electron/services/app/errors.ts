import { z } from 'zod';
import type { IpcError } from '../../../shared/ipc/contract';
import { isWorkspaceError, type WorkspaceErrorCode } from '../../../shared/store/errors';

/**
 * A failure a handler means the user to see, with the contract's error code. Handlers throw it for problems with the
 * request itself (a record that does not exist, a field that is wrong) so the renderer can show it beside the form.
 */
export class AppError extends Error {
  constructor(
    readonly code: IpcError['code'],
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function notFound(what: string, id: string | number): AppError {
  return new AppError('not-found', `${what} ${id} does not exist in this workspace.`);
}

const WORKSPACE_CODES: Record<WorkspaceErrorCode, IpcError['code']> = {
  empty: 'invalid',
  'not-sqlite': 'invalid',
  truncated: 'invalid',
  corrupt: 'invalid',
  'not-assay': 'invalid',
  'too-new': 'invalid',
  locked: 'locked',
  'not-found': 'not-found',
  'not-found-record': 'not-found',
  io: 'internal',
  'journal-line': 'invalid',
  invalid: 'invalid',
  conflict: 'conflict',
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

/**
 * Store messages name the field first ("rating: publishedOn must be…"): pull that field out so forms can show it.
 */
function fieldsFromStoreMessage(message: string, known: ReadonlySet<string>): Record<string, string> | undefined {
  const m = /^(\w+): ([a-z][\w.]*|"[^"]*") (.+)$/.exec(message);
  if (!m) return undefined;
  // 'rating: "Excellent" is not a rating…' is about the field named like the record; otherwise the field comes first.
  // Only names the request really has count, so "figure: the slug…" does not invent a field called "the".
  const [field, text] = m[2]!.startsWith('"') ? [m[1]!, `${m[2]} ${m[3]}`] : [m[2]!, m[3]!];
  return known.has(field.split('.')[0]!) ? { [field]: text } : undefined;
}

export interface ErrorLog {
  (message: string, error: unknown): void;
}

/**
 * Every failure that crosses the boundary comes out in the one IpcError shape. Unexpected errors are logged in full
 * here and reach the renderer only as a safe sentence: stack traces and file paths of the machine stay on this side.
 */
export function toIpcError(e: unknown, log?: ErrorLog, knownFields: ReadonlySet<string> = new Set()): IpcError {
  if (e instanceof AppError) return e.fields ? { code: e.code, message: e.message, fields: e.fields } : { code: e.code, message: e.message };
  if (e instanceof z.ZodError) {
    const fields = zodFields(e);
    return { code: 'bad-request', message: zodMessage(fields), fields };
  }
  if (isWorkspaceError(e)) {
    const code = WORKSPACE_CODES[e.code] ?? 'internal';
    if (code === 'internal') {
      log?.('workspace input/output failed', e);
      // Written for the user (a full disk says where the changes are kept and what to do), so it is passed on.
      return { code, message: e.message || 'Assay could not read or write the workspace file. Check the disk and try again.' };
    }
    const fields = code === 'invalid' || code === 'conflict' ? fieldsFromStoreMessage(e.message, knownFields) : undefined;
    return fields ? { code, message: e.message, fields } : { code, message: e.message };
  }
  log?.('unexpected failure in a request handler', e);
  return { code: 'internal', message: 'Something went wrong inside Assay. Your work is saved; try again, and report the problem if it persists.' };
}
