import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { WorkspaceFile } from './workspace-file';
import { tempDir } from './testing/fixtures';

const WRITER = resolve(__dirname, 'testing/crash-writer.ts');
const ROOT = resolve(__dirname, '../..');

/** Deterministic pseudo-random delays so a failure can be reproduced. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Starts the writer, lets it acknowledge writes for `ms`, then SIGKILLs it. Returns the acknowledged numbers. */
function runAndKill(path: string, start: number, ms: number): Promise<{ acked: number[]; stderr: string }> {
  return new Promise((done, fail) => {
    // `--import tsx` keeps the writer in this one process, so SIGKILL really kills the writer (the tsx CLI would
    // leave a grandchild running).
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, path, String(start), '5'], { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
    const acked: number[] = [];
    let stderr = '';
    let buf = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === 'ready' && !timer) timer = setTimeout(() => child.kill('SIGKILL'), ms);
        const m = /^ack (\d+)$/.exec(line);
        if (m) acked.push(Number(m[1]));
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') fail(new Error(`writer exited with ${code}: ${stderr}`));
      else done({ acked, stderr });
    });
  });
}

describe('crash safety', () => {
  it('keeps every acknowledged write across 50 SIGKILLs at random moments', async () => {
    const dir = tempDir('assay-crash-');
    const path = join(dir, 'crash.assay');
    const created = await WorkspaceFile.create(path);
    await created.close();

    const random = rng(20181010);
    const allAcked = new Set<number>();
    let next = 0;
    let totalAcked = 0;
    const kills = 50;
    for (let i = 0; i < kills; i++) {
      const { acked } = await runAndKill(path, next, 20 + Math.floor(random() * 150));
      for (const n of acked) allAcked.add(n);
      totalAcked += acked.length;
      // The writer may have committed one more write than it acknowledged; start numbering after both.
      next = Math.max(next, ...acked.map((n) => n + 1)) + 1000;

      const wf = await WorkspaceFile.open(path);
      const have = new Set(
        wf.workspace.all<{ key: string }>("SELECT key FROM meta WHERE key LIKE 'crash-%'").map((r) => Number(r.key.slice(6))),
      );
      const missing = [...allAcked].filter((n) => !have.has(n));
      expect(missing, `after kill ${i + 1}`).toEqual([]);
      expect(wf.workspace.value('PRAGMA integrity_check')).toBe('ok');
      await wf.close();
    }
    console.info(`crash test: ${kills} kills, ${totalAcked} acknowledged writes, all present after every reopen`);
    expect(totalAcked).toBeGreaterThan(kills); // the kills really landed among acknowledged writes
  }, 600_000);
});
