/**
 * Runs the loopback host for a spec or the benchmark, in its own Node process under tsx: the same startWebHost the
 * `npm run web` command uses, in a loader that understands everything the host's modules import (Playwright's own
 * loader does not handle the JSON templates the exporters import).
 *
 *   tsx renderer/e2e/support/serve.ts template <out.assay>          makes the demo workspace, then exits
 *   tsx renderer/e2e/support/serve.ts serve <workspace> <exports> <settings>
 *
 * When serving, it prints one line `ASSAY_HOST {"url":…}` once ready, and saves and stops on SIGTERM or stdin EOF.
 */
import { rmSync } from 'node:fs';
import { createDemoWorkspace } from '../../../electron/services/demo/create';
import { startWebHost } from '../../../electron/web/server';

async function main(): Promise<void> {
  const [mode, a, b, c] = process.argv.slice(2);
  if (mode === 'template' && a) {
    rmSync(a, { force: true });
    // The whole demonstration workspace, reports and figure library included, as a new user gets it.
    await createDemoWorkspace(a);
    return;
  }
  if (mode === 'serve' && a && b && c) {
    const host = await startWebHost({ workspace: a, exportsDir: b, settingsDir: c, port: 0, log: (m, e) => process.stderr.write(`host: ${m} ${e ? String((e as Error).stack ?? e) : ''}\n`) });
    process.stdout.write(`ASSAY_HOST ${JSON.stringify({ url: host.url, origin: host.origin, exportsDir: host.exportsDir, workspace: host.workspace })}\n`);
    let closing = false;
    const stop = () => {
      if (closing) return;
      closing = true;
      host.close().then(
        () => process.exit(0),
        (e: unknown) => {
          process.stderr.write(`host: close failed ${String(e)}\n`);
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.stdin.on('end', stop);
    process.stdin.resume();
    return;
  }
  process.stderr.write('usage: serve.ts template <out> | serve <workspace> <exports> <settings>\n');
  process.exit(2);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
