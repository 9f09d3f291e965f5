/**
 * A child process for the crash test: it opens a workspace and makes acknowledged writes as fast as it can, printing
 * "ack <n>" only after each write's promise has resolved (that is, after the journal was flushed). Every few writes it
 * also does a full save, so kills land in the middle of saves too. The parent kills it with SIGKILL at random moments.
 */
import { WorkspaceFile } from '../workspace-file';

const [path, startArg, saveEveryArg] = process.argv.slice(2);
const start = Number(startArg ?? 0);
const saveEvery = Number(saveEveryArg ?? 7);

async function main(): Promise<void> {
  const wf = await WorkspaceFile.open(path!);
  process.stdout.write('ready\n');
  for (let n = start; ; n++) {
    await wf.workspace.write('crash-test.write', (tx) => {
      tx.run('INSERT INTO meta(key, value) VALUES (?, ?)', [`crash-${n}`, `value-${n}-${'x'.repeat(n % 50)}`]);
    }, { actor: 'crash-writer' });
    process.stdout.write(`ack ${n}\n`);
    if (n % saveEvery === saveEvery - 1) await wf.save();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(3);
});
