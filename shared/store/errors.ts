import { UserError, type UserErrorCode, type UserErrorDetails } from '../util/errors';

/**
 * Why a workspace could not be opened or written, or a record could not be read or changed, exactly. Code that handles
 * one case reads it (a journal line that cannot be applied is offered a recovery; a failed save of recovered changes
 * is retried later only when the disk failed). Everything else reads the broad `code` every UserError has.
 */
export type WorkspaceErrorReason =
  | 'empty'
  | 'not-sqlite'
  | 'truncated'
  | 'corrupt'
  | 'not-assay'
  | 'too-new'
  | 'locked'
  | 'not-found'
  | 'io'
  /** A line of the journal cannot be applied: the workspace can be opened with that line and the rest set aside. */
  | 'journal-line'
  | 'invalid'
  | 'conflict'
  | 'not-found-record';

/** Each reason's kind: a file Assay cannot read as a workspace is input that is not acceptable, so 'invalid'. */
const CODE_OF: Record<WorkspaceErrorReason, UserErrorCode> = {
  empty: 'invalid',
  'not-sqlite': 'invalid',
  truncated: 'invalid',
  corrupt: 'invalid',
  'not-assay': 'invalid',
  'too-new': 'invalid',
  locked: 'locked',
  'not-found': 'not-found',
  'not-found-record': 'not-found',
  io: 'io',
  'journal-line': 'invalid',
  invalid: 'invalid',
  conflict: 'conflict',
};

/** A UserError from the store or the workspace file, with the exact reason beside the broad code. */
export class WorkspaceError extends UserError {
  readonly reason: WorkspaceErrorReason;

  /** `where` is the file the problem is about (most errors about a file on disk give only that), or the details. */
  constructor(reason: WorkspaceErrorReason, message: string, where?: string | UserErrorDetails) {
    super(CODE_OF[reason], message, typeof where === 'string' ? { file: where } : where);
    this.name = 'WorkspaceError';
    this.reason = reason;
  }
}

export function isWorkspaceError(e: unknown): e is WorkspaceError {
  return e instanceof WorkspaceError;
}

/**
 * An input the person can correct, pinned to the field at fault: the message reads "rating: publishedOn must be …"
 * (the CLI prints it as it is) and `fields` carries the same problem for a form to show beside the field.
 */
export function invalidField(record: string, field: string, problem: string, reason: 'invalid' | 'conflict' = 'invalid'): WorkspaceError {
  return new WorkspaceError(reason, `${record}: ${field} ${problem}`, { fields: { [field]: problem } });
}
