import { parseArgs } from 'node:util';

export interface WebArgs {
  workspace?: string;
  port: number;
  exportsDir?: string;
  open: boolean;
  build: boolean;
  help: boolean;
  /** Open a workspace whose journal has a line that cannot be applied, keeping that line and the rest aside. */
  setAsideJournalRest: boolean;
}

export const WEB_USAGE = `Usage: npm run web -- [--workspace <file.assay>] [--port <n>] [--exports <folder>] [--no-open] [--no-build]

Serves Assay to a browser on this machine at http://127.0.0.1:<port>/ with a one-time token.
Without --workspace it opens the demonstration workspace (~/.assay/demo.assay), creating it on first use.
Exports are written to --exports (default ~/.assay/exports).
The renderer is built first when out/renderer is missing or older than its sources; --no-build serves the last build.
--set-aside-journal-rest opens a workspace whose journal has a line that cannot be applied: the changes before it are
recovered, and that line and the rest are kept in a file beside the journal.`;

/** Parses the loopback host's command line; throws an Error whose message is meant for the terminal. */
export function parseWebArgs(argv: string[]): WebArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      workspace: { type: 'string', short: 'w' },
      port: { type: 'string', short: 'p' },
      exports: { type: 'string' },
      'no-open': { type: 'boolean' },
      'no-build': { type: 'boolean' },
      'set-aside-journal-rest': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
    strict: true,
  });
  let port = 0;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a whole number from 0 to 65535, not “${values.port}”.`);
  }
  return {
    ...(values.workspace ? { workspace: values.workspace } : {}),
    ...(values.exports ? { exportsDir: values.exports } : {}),
    port,
    open: !values['no-open'],
    build: !values['no-build'],
    help: !!values.help,
    setAsideJournalRest: !!values['set-aside-journal-rest'],
  };
}
