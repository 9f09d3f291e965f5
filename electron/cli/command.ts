import { isWorkspaceError } from '../../shared/store/errors';

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

/** An error whose message is for the user; the CLI prints it without a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function userMessage(e: unknown): string {
  if (isWorkspaceError(e) || (e instanceof Error && e.name === 'UsageError')) return (e as Error).message;
  if (e instanceof Error && (e as { userFacing?: boolean }).userFacing) return e.message;
  if (e instanceof Error) return `Unexpected error: ${e.message}`;
  return `Unexpected error: ${String(e)}`;
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
