import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, statfsSync, truncateSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceFile, writeAtomic } from './workspace-file';
import { tempDir, leaveAsIfCrashed } from './testing/fixtures';
import { isWorkspaceError } from '../../shared/store/errors';

/**
 * A real full disk: a 2 MB tmpfs mounted for this file, filled, then saved to and appended to. Unlike injected faults
 * this is what the kernel really does: a write that stores part of its bytes and says so, then ENOSPC.
 */

/** Mounts the tmpfs when the file is collected, so that `it.skipIf` knows whether it can run. */
function mountTmpfs(): { mnt: string; skipReason?: string } {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return { mnt: '', skipReason: 'mounting a small tmpfs needs Linux and root' };
  const dir = join(tempDir('assay-full-disk-'), 'mnt');
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { stdio: 'pipe' });
    return { mnt: dir };
  } catch (e) {
    return { mnt: '', skipReason: `mount -t tmpfs failed: ${String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).trim()}` };
  }
}

const { mnt, skipReason } = mountTmpfs();
if (skipReason) console.info(`full-disk tests skipped: ${skipReason}`);

afterAll(() => {
  // Lazy, so a failed test that left a descriptor open cannot leave the mount behind.
  if (mnt) execFileSync('umount', ['-l', mnt]);
});

const free = (): number => {
  const s = statfsSync(mnt);
  return s.bavail * s.bsize;
};

/** Fills the disk until only `leave` bytes are free; returns the filler's path (truncate it to free space again). */
function fill(name: string, leave: number): string {
  const p = join(mnt, name);
  writeFileSync(p, Buffer.alloc(Math.max(0, free() - leave), 0x5a));
  return p;
}

const put = (wf: WorkspaceFile, key: string): Promise<unknown> =>
  wf.workspace.write(`put ${key}`, (tx) => tx.run('INSERT INTO meta(key, value) VALUES (?, ?)', [key, `value of ${key} ${'x'.repeat(300)}`]));

describe('a real full disk', () => {
  it.skipIf(skipReason !== undefined)('never loses an acknowledged write, never tears the file, and says the disk is full', async () => {
    const dir = join(mnt, 'ws');
    mkdirSync(dir);
    const path = join(dir, 'w.assay');
    await (await WorkspaceFile.create(path)).close();
    const size = readFileSync(path).length;
    const wf = await WorkspaceFile.open(path);
    const acked: string[] = [];
    for (let i = 0; i < 5; i++) {
      await put(wf, `k${i}`);
      acked.push(`k${i}`);
    }
    // Room for journal lines but not for a second copy of the file: the save's write comes back short, then ENOSPC.
    const filler = fill('filler', Math.floor(size / 3));
    const before = readFileSync(path);
    const journalBefore = readFileSync(wf.journalPath);
    const err = await wf.save().catch((e: unknown) => e);
    expect(isWorkspaceError(err) && err.code).toBe('io');
    expect((err as Error).message).toBe(
      'The disk is full: w.assay could not be saved, and nothing already on disk was changed. ' +
        'Your changes are kept in w.assay.assay-journal; free some space and save again.',
    );
    expect(Buffer.compare(readFileSync(path), before)).toBe(0);
    expect(Buffer.compare(readFileSync(wf.journalPath), journalBefore)).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // Now fill the rest with acknowledged writes until the journal itself cannot take another line.
    let refused: unknown;
    for (let i = 5; i < 5000 && !refused; i++) {
      try {
        await put(wf, `k${i}`);
        acked.push(`k${i}`);
      } catch (e) {
        refused = e;
      }
    }
    expect((refused as Error).message).toBe(
      'The disk is full: the change could not be recorded in w.assay.assay-journal, so it was not made. ' +
        'Every change confirmed before it is safe; free some space and try again.',
    );
    expect(acked.length).toBeGreaterThan(20);
    const journalText = readFileSync(wf.journalPath, 'utf8');
    expect(journalText.endsWith('\n')).toBe(true); // the short line was cut back off
    expect(journalText.split('\n').filter((l) => l !== '')).toHaveLength(acked.length + 1); // the header, and one line per acknowledged write

    // Crash on the full disk; free a little (a lock file's worth, not a save's), and open: everything is there.
    leaveAsIfCrashed(path);
    truncateSync(filler, Math.max(0, readFileSync(filler).length - 64 * 1024));
    const reopened = await WorkspaceFile.open(path);
    expect(reopened.openReport.replayed).toBe(acked.length);
    expect(reopened.openReport.foldInFailed).toMatch(/^The disk is full: w\.assay could not be saved/);
    for (const k of acked) expect(reopened.workspace.metaValue(k), k).toBe(`value of ${k} ${'x'.repeat(300)}`);
    expect(reopened.workspace.value('PRAGMA integrity_check')).toBe('ok');
    // Free space, and the save that failed now succeeds.
    rmSync(filler);
    await reopened.close();
    const final = await WorkspaceFile.open(path, { readOnly: true });
    expect(final.workspace.value("SELECT count(*) FROM meta WHERE key GLOB 'k[0-9]*'")).toBe(acked.length);
    expect(final.workspace.value('PRAGMA integrity_check')).toBe('ok');
    await final.close();
  });

  it.skipIf(skipReason !== undefined)('leaves an export it cannot write whole untouched and says so', async () => {
    const out = join(mnt, 'report.html');
    writeFileSync(out, 'the previous export');
    const filler = fill('filler2', 16 * 1024);
    const err = await writeAtomic(out, Buffer.alloc(200 * 1024, 0x41)).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      'The disk is full: report.html could not be written, and nothing already on disk was changed. Free some space and try again.',
    );
    expect(readFileSync(out, 'utf8')).toBe('the previous export');
    expect(readdirSync(mnt).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    rmSync(filler);
  });
});
