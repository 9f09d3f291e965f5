import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceFile } from './workspace-file';
import { FaultyFs, type Fault } from './testing/faulty-fs';
import { tempDir, leaveAsIfCrashed } from './testing/fixtures';
import { isWorkspaceError } from '../../shared/store/errors';

/**
 * Faults injected into the real code at every step of a save and of a journal append. After each one: the operation
 * reports the error, the files on disk are exactly as before where the operation failed, and reopening the workspace
 * from disk (as after a crash) gives every acknowledged write and a database whose integrity check passes.
 */

const put = (wf: WorkspaceFile, key: string): Promise<unknown> =>
  wf.workspace.write(`put ${key}`, (tx) => tx.run('INSERT INTO meta(key, value) VALUES (?, ?)', [key, `value of ${key}`]));

/** A workspace open through `fs`, with three writes saved in the file and two more only in the journal. */
async function scenario(fs: FaultyFs): Promise<{ dir: string; path: string; wf: WorkspaceFile; acked: string[] }> {
  const dir = tempDir('assay-faults-');
  const path = join(dir, 'w.assay');
  await (await WorkspaceFile.create(path)).close();
  const wf = await WorkspaceFile.open(path, { fs });
  const acked: string[] = [];
  for (const k of ['k1', 'k2', 'k3']) {
    await put(wf, k);
    acked.push(k);
  }
  await wf.save();
  for (const k of ['k4', 'k5']) {
    await put(wf, k);
    acked.push(k);
  }
  return { dir, path, wf, acked };
}

/** Crash, then reopen from disk with the real file system: every acknowledged key is there and the file is sound. */
async function reopenHasEverything(path: string, acked: string[], absent: string[] = []): Promise<void> {
  leaveAsIfCrashed(path);
  const wf = await WorkspaceFile.open(path);
  try {
    for (const k of acked) expect(wf.workspace.metaValue(k), `acknowledged ${k}`).toBe(`value of ${k}`);
    for (const k of absent) expect(wf.workspace.metaValue(k), `never acknowledged ${k}`).toBeUndefined();
    expect(wf.workspace.value('PRAGMA integrity_check')).toBe('ok');
  } finally {
    await wf.close();
  }
}

const tempFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('a save that fails at any step', () => {
  const steps: Fault[] = [
    { step: 'open', kind: 'ENOSPC' },
    { step: 'open', kind: 'EIO' },
    { step: 'write', kind: 'ENOSPC' },
    { step: 'write', kind: 'EIO' },
    { step: 'write', kind: 'short-then-ENOSPC' },
    { step: 'write', kind: 'lie' },
    { step: 'sync', kind: 'ENOSPC' },
    { step: 'sync', kind: 'EIO' },
    { step: 'stat', kind: 'EIO' },
    { step: 'stat', kind: 'wrong-size' },
    { step: 'close', kind: 'EIO' },
    { step: 'rename', kind: 'ENOSPC' },
    { step: 'rename', kind: 'EIO' },
  ];
  for (const fault of steps) {
    it(`${fault.step} ${fault.kind}: reported, file and journal unchanged, nothing acknowledged lost`, async () => {
      const fs = new FaultyFs();
      const { dir, path, wf, acked } = await scenario(fs);
      const file = readFileSync(path);
      const journal = readFileSync(wf.journalPath);
      fs.arm({ ...fault, path: /w\.assay\.[0-9a-f]{8}\.\d+\.\d+\.[0-9a-f]+\.tmp$/ });
      const err = await wf.save().catch((e: unknown) => e);
      expect(fs.injected).toBe(1);
      expect(isWorkspaceError(err) && err.code).toBe('io');
      if (fault.kind === 'ENOSPC' || fault.kind === 'short-then-ENOSPC') {
        expect((err as Error).message).toBe(
          'The disk is full: w.assay could not be saved, and nothing already on disk was changed. ' +
            'Your changes are kept in w.assay.assay-journal; free some space and save again.',
        );
      } else {
        expect((err as Error).message).toMatch(/^w\.assay could not be saved .* Your changes are kept in w\.assay\.assay-journal/);
      }
      expect(Buffer.compare(readFileSync(path), file)).toBe(0);
      expect(Buffer.compare(readFileSync(wf.journalPath), journal)).toBe(0);
      expect(tempFiles(dir)).toEqual([]);
      expect(wf.workspace.isDirty).toBe(true);
      // The workspace carries on: the next write is acknowledged, and a later save succeeds.
      await put(wf, 'k6');
      acked.push('k6');
      await reopenHasEverything(path, acked);
    });
  }

  it('failing to start the new journal after a good save loses nothing, and appends go on', async () => {
    const fs = new FaultyFs();
    const { path, wf, acked } = await scenario(fs);
    fs.arm({ step: 'write', kind: 'ENOSPC', path: /assay-journal\..*\.tmp$/ });
    await wf.save(); // the file now holds everything; the old journal holds nothing it lacks
    expect(fs.injected).toBe(1);
    expect(wf.workspace.isDirty).toBe(false);
    await put(wf, 'k6');
    acked.push('k6');
    await reopenHasEverything(path, acked);
  });
});

describe('a journal append that fails at any step', () => {
  const steps: Fault[] = [
    { step: 'write', kind: 'ENOSPC' },
    { step: 'write', kind: 'EIO' },
    { step: 'write', kind: 'short-then-ENOSPC' },
    { step: 'datasync', kind: 'ENOSPC' },
    { step: 'datasync', kind: 'EIO' },
    { step: 'stat', kind: 'EIO' },
  ];
  for (const fault of steps) {
    it(`${fault.step} ${fault.kind}: the write is refused and rolled back, and the journal cut back to what it was`, async () => {
      const fs = new FaultyFs();
      const { path, wf, acked } = await scenario(fs);
      const journal = readFileSync(wf.journalPath);
      fs.arm({ ...fault, path: /\.assay-journal$/ });
      const err = await put(wf, 'lost').catch((e: unknown) => e);
      expect(fs.injected).toBe(1);
      expect(isWorkspaceError(err) && err.code).toBe('io');
      if (fault.kind === 'ENOSPC' || fault.kind === 'short-then-ENOSPC') {
        expect((err as Error).message).toBe(
          'The disk is full: the change could not be recorded in w.assay.assay-journal, so it was not made. ' +
            'Every change confirmed before it is safe; free some space and try again.',
        );
      }
      expect(wf.workspace.metaValue('lost')).toBeUndefined(); // the transaction was rolled back
      expect(Buffer.compare(readFileSync(wf.journalPath), journal)).toBe(0);
      await put(wf, 'k6');
      acked.push('k6');
      await reopenHasEverything(path, acked, ['lost']);
    });
  }

  it('a failure on the first append of a new journal (opening it) is reported and the next append starts it', async () => {
    const fs = new FaultyFs();
    const { path, wf, acked } = await scenario(fs);
    await wf.save();
    fs.arm({ step: 'open', kind: 'ENOSPC', path: /\.assay-journal$/ });
    await expect(put(wf, 'lost')).rejects.toThrow(/^The disk is full: the change could not be recorded/);
    await put(wf, 'k6');
    acked.push('k6');
    await reopenHasEverything(path, acked, ['lost']);
  });

  it('when the cut-back fails too, nothing is ever appended after the torn line until a save succeeds', async () => {
    const fs = new FaultyFs();
    const { path, wf, acked } = await scenario(fs);
    fs.arm({ step: 'write', kind: 'short-then-ENOSPC', path: /\.assay-journal$/ });
    fs.arm({ step: 'truncate', kind: 'EIO', path: /\.assay-journal$/ });
    await expect(put(wf, 'lost')).rejects.toThrow(/disk is full/);
    expect(fs.injected).toBe(2);
    const torn = readFileSync(wf.journalPath);
    expect(torn.at(-1)).not.toBe(10); // a partial line really was left behind
    const err = await put(wf, 'refused').catch((e: unknown) => e);
    expect((err as Error).message).toMatch(
      /^The change was not made: w\.assay\.assay-journal could not be put right after an earlier write to it failed \(EIO: i\/o error, ftruncate .*\)\. Every change confirmed before that is safe\. Save the workspace to carry on\.$/,
    );
    expect(Buffer.compare(readFileSync(wf.journalPath), torn)).toBe(0);
    // Crash now: the torn line is the last, so it is ignored, and everything acknowledged is there.
    const probe = join(tempDir(), 'probe.assay');
    writeFileSync(probe, readFileSync(path));
    writeFileSync(`${probe}.assay-journal`, torn);
    const peek = await WorkspaceFile.open(probe);
    expect(peek.openReport.damagedJournalTail).toBe(true);
    for (const k of acked) expect(peek.workspace.metaValue(k)).toBe(`value of ${k}`);
    await peek.close();
    // A save replaces the journal, and writes are acknowledged again.
    await wf.save();
    await put(wf, 'k6');
    acked.push('k6');
    await reopenHasEverything(path, acked, ['lost', 'refused']);
  });
});

describe('recovering on open when the disk is full', () => {
  it('opens with the replayed changes kept in the journal when they cannot be saved into the file yet', async () => {
    const dir = tempDir();
    const path = join(dir, 'w.assay');
    const first = await WorkspaceFile.create(path);
    await put(first, 'k1');
    await put(first, 'k2');
    leaveAsIfCrashed(path);
    // Tear a third, never acknowledged line onto the end, as a crash mid-append would.
    writeFileSync(first.journalPath, `${readFileSync(first.journalPath, 'utf8')}0badc0de {"seq":99,"lab`);
    const fs = new FaultyFs();
    fs.arm({ step: 'write', kind: 'short-then-ENOSPC', path: /\.tmp$/, persist: true });
    const wf = await WorkspaceFile.open(path, { fs });
    expect(wf.openReport.replayed).toBe(2);
    expect(wf.openReport.damagedJournalTail).toBe(true);
    expect(wf.openReport.foldInFailed).toMatch(/^The disk is full: w\.assay could not be saved/);
    expect(wf.openReport.messages.join('\n')).toContain('The recovered changes could not be saved into w.assay yet, and stay safe in w.assay.assay-journal');
    fs.disarm();
    // The torn line was cut off, so this append is a line of its own and comes back after a crash.
    await put(wf, 'k3');
    await reopenHasEverything(path, ['k1', 'k2', 'k3']);
  });
});
