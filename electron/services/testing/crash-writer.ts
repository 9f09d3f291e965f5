/**
 * A child process for the crash test and `assay bench crash`. It loads everything first and says "warm", so the parent
 * can start the next one while the current one runs; on "go <n>" it opens the workspace (recovering whatever the last
 * killed writer left) and makes acknowledged writes as fast as it can, printing "ack <n>" only after each write's
 * promise has resolved (that is, after its journal line reached the disk). Every few writes it saves, between "save"
 * and "saved", so kills land inside saves and appends alike. The parent kills it with SIGKILL at a random moment.
 * stdout is a pipe, which Node writes synchronously on Linux: a line printed is in the pipe before the next step.
 */
import { WorkspaceFile } from '../workspace-file';
import { loadSqlJs } from '../sqljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';

const [path, saveEveryArg] = process.argv.slice(2);
const saveEvery = Number(saveEveryArg ?? 5);

function nextLine(): Promise<string> {
  return new Promise((done) => {
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      process.stdin.off('data', onData);
      process.stdin.pause();
      done(buf.slice(0, nl));
    };
    process.stdin.on('data', onData);
  });
}

/**
 * Runs the whole cycle once on a scratch workspace first: the first open, write and save in a process are several
 * times slower than later ones (code being compiled), and kills should land in the real work, not in a cold start.
 */
async function warmUp(sql: SqlJsStatic): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-crash-warm-'));
  try {
    const scratch = join(dir, 'warm.assay');
    await (await WorkspaceFile.create(scratch, { sql })).close();
    const wf = await WorkspaceFile.open(scratch, { sql });
    for (let i = 0; i < 3; i++) await wf.workspace.write('warm', (tx) => tx.run('INSERT INTO meta(key, value) VALUES (?, ?)', [`warm-${i}`, 'x']));
    await wf.save();
    await wf.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sql = await loadSqlJs();
  await warmUp(sql);
  process.stdout.write('warm\n');
  const go = /^go (\d+)$/.exec(await nextLine());
  if (!go) throw new Error('expected "go <n>"');
  const wf = await WorkspaceFile.open(path!, { sql });
  process.stdout.write('ready\n');
  for (let n = Number(go[1]); ; n++) {
    await wf.workspace.write('crash-test.write', (tx) => {
      tx.run('INSERT INTO meta(key, value) VALUES (?, ?)', [`crash-${n}`, `value-${n}-${'x'.repeat(n % 50)}`]);
    }, { actor: 'crash-writer' });
    process.stdout.write(`ack ${n}\n`);
    if (n % saveEvery === saveEvery - 1) {
      process.stdout.write('save\n');
      await wf.save();
      process.stdout.write('saved\n');
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(3);
});
