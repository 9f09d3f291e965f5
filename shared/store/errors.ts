/** Why a workspace could not be opened or written. The message is meant for the person at the keyboard. */
export type WorkspaceErrorCode =
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

export class WorkspaceError extends Error {
  readonly code: WorkspaceErrorCode;
  readonly file: string | undefined;

  constructor(code: WorkspaceErrorCode, message: string, file?: string) {
    super(message);
    this.name = 'WorkspaceError';
    this.code = code;
    this.file = file;
  }
}

export function isWorkspaceError(e: unknown): e is WorkspaceError {
  return e instanceof Error && e.name === 'WorkspaceError' && typeof (e as WorkspaceError).code === 'string';
}
