import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { parseWebArgs, WEB_USAGE } from './args';
import { buildRenderer, rendererStaleness } from './build';
import { DEFAULT_RENDERER_DIR, REPO_ROOT, startWebHost, type WebHost } from './server';
import { isWorkspaceError } from '../../shared/store/errors';

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => process.stderr.write('Could not open a browser: open the address above yourself.\n'));
    child.unref();
  } catch {
    /* the address is printed; the user can open it */
  }
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseWebArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`assay web: ${(e as Error).message}\n\n${WEB_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${WEB_USAGE}\n`);
    return 0;
  }
  // A missing workspace is reported before a long build, not after it.
  if (args.workspace && !existsSync(resolve(args.workspace))) {
    process.stderr.write(`assay web: ${resolve(args.workspace)} does not exist. Create one with \`npm run assay -- new <file>\` or \`npm run assay -- demo <file>\`, or leave out --workspace to use the demonstration workspace.\n`);
    return 1;
  }
  const stale = rendererStaleness(REPO_ROOT, DEFAULT_RENDERER_DIR);
  if (stale && !args.build) {
    // --no-build serves whatever was built last; only a missing build stops it.
    if (!existsSync(resolve(DEFAULT_RENDERER_DIR, 'index.html'))) {
      process.stderr.write(`assay web: ${stale}. Run \`npm run build\` first (or leave out --no-build).\n`);
      return 1;
    }
    process.stderr.write(`assay web: note: ${stale}; serving the last build because of --no-build.\n`);
  } else if (stale) {
    process.stdout.write(`Building the renderer (${stale})…\n`);
    try {
      await buildRenderer(REPO_ROOT);
    } catch (e) {
      process.stderr.write(`assay web: the renderer could not be built: ${(e as Error).message}\nFix the error, or run \`npm run build\` to see it in full.\n`);
      return 1;
    }
  }
  let host: WebHost;
  try {
    host = await startWebHost({
      ...(args.workspace ? { workspace: args.workspace } : {}),
      ...(args.exportsDir ? { exportsDir: args.exportsDir } : {}),
      port: args.port,
      openFolders: true,
      ...(args.setAsideJournalRest ? { setAsideJournalRest: true } : {}),
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') process.stderr.write(`assay web: port ${args.port} is in use. Choose another with --port, or leave it out to pick a free one.\n`);
    else if (isWorkspaceError(err) && err.reason === 'journal-line') process.stderr.write(`assay web: ${err.message}\nTo do that, run again with --set-aside-journal-rest.\n`);
    else process.stderr.write(`assay web: ${err.message}\n`);
    return 1;
  }
  // What opening did on the user's behalf: changes recovered, a journal set aside, SQLite's journal rolled back.
  for (const m of host.session.file.openReport.messages) process.stdout.write(`${m}\n`);
  process.stdout.write(
    [
      `Assay is serving ${host.workspace}`,
      `Exports go to ${host.exportsDir}`,
      '',
      `  Open: ${host.url}`,
      '',
      'The token after # stays in your browser; only this machine can reach the host. A reloaded page forgets it:',
      'open this address again. Press Ctrl+C to save and stop.',
      '',
    ].join('\n'),
  );
  if (args.open) openBrowser(host.url);
  await new Promise<void>((resolveStop) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      process.stdout.write('\nSaving and stopping…\n');
      host.close().then(
        () => resolveStop(),
        (e: unknown) => {
          process.stderr.write(`assay web: could not save cleanly: ${(e as Error).message}\nEvery change is still in the workspace journal and comes back on next open.\n`);
          resolveStop();
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`assay web: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
