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
