#!/usr/bin/env node
import { runCli } from './run';

// A reader that stops early (`assay info x | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

// The `assay` command. Exit codes: 0 success, 1 the command found a problem (a failed check, a refused file), 2 usage.
runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  progress: (t) => {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${t}`);
  },
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`assay: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
