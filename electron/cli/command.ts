import { isUserError, UserError } from '../../shared/util/errors';

/** What a command writes to: the terminal in real use, buffers in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** A progress line that overwrites itself on a terminal and is silent elsewhere. */
  progress(text: string): void;
  cwd: string;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** A command line the command cannot use: printed with the command's usage, and the exit code is 2. */
export class UsageError extends UserError {
  constructor(message: string) {
    super('bad-request', message);
    this.name = 'UsageError';
  }
}

/** A UserError's message is written for the person at the terminal; anything else is a fault in Assay, and says so. */
export function userMessage(e: unknown): string {
  if (isUserError(e)) return e.message;
  if (e instanceof Error) return `Unexpected error: ${e.message}`;
  return `Unexpected error: ${String(e)}`;
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
