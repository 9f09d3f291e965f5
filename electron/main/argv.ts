import { isAbsolute, resolve } from 'node:path';

/**
 * The workspace a command line asks to open, if any. Windows and Linux pass a double-clicked `.assay` file as an
 * argument (after the executable, and in development after the app path and Chromium's own switches); macOS uses the
 * `open-file` event instead.
 */
export function workspaceFromArgv(argv: readonly string[], cwd: string): string | null {
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue;
    if (!/\.assay$/i.test(arg)) continue;
    return isAbsolute(arg) ? arg : resolve(cwd, arg);
  }
  return null;
}
