/**
 * The one kind of failure that is meant for the person at the keyboard. Every layer throws it (or a subclass) for a
 * problem the person can understand and act on: a workspace that cannot be opened, a field that is wrong, a figure
 * whose SQL would write, a public export that would show restricted data. Anything else that is thrown is a fault in
 * Assay, and is reported as one.
 *
 * It is turned into what the person sees in two places, once each: the IPC boundary (electron/services/app/ipc/errors.ts
 * `toIpcError`) maps it to the contract's IpcError, and the CLI (electron/cli/command.ts `userMessage`) prints its
 * message without a stack. Neither looks inside the message: what a form needs to show beside a field is in `fields`,
 * set by the code that knew which field was at fault.
 */

/**
 * What kind of problem it is, as a small closed set so the boundary can map each to one IpcError code:
 * - 'bad-request': the request itself is malformed (a missing argument, an upload that is not what was promised);
 * - 'invalid': the input is well formed but not acceptable (a date that does not exist, a damaged file);
 * - 'not-found': what it names does not exist;
 * - 'conflict': it clashes with the workspace's current state (a slug in use, a section already approved);
 * - 'locked': another process holds the workspace;
 * - 'io': the disk or file system failed; the message says what happened and where the work is kept.
 */
export type UserErrorCode = 'bad-request' | 'invalid' | 'not-found' | 'conflict' | 'locked' | 'io';

/** Field path ("publishedOn", "spec.filters.region") to what is wrong with it, in words a form shows beside it. */
export type FieldProblems = Readonly<Record<string, string>>;

export interface UserErrorDetails {
  /** The fields at fault, when the code that threw knew them. */
  fields?: FieldProblems | undefined;
  /** The file the problem is about (a workspace, a journal, an export target), when there is one. */
  file?: string | undefined;
  cause?: unknown;
}

export class UserError extends Error {
  readonly code: UserErrorCode;
  readonly fields: FieldProblems | undefined;
  readonly file: string | undefined;

  constructor(code: UserErrorCode, message: string, details: UserErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'UserError';
    this.code = code;
    // Only when there are some: an empty object would tell a form "the problem is beside a field" and then show none.
    this.fields = details.fields && Object.keys(details.fields).length > 0 ? details.fields : undefined;
    this.file = details.file;
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
