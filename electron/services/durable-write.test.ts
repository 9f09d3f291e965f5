import { describe, it, expect } from 'vitest';
import { writeFileSync, readFileSync, readdirSync, symlinkSync, lstatSync, chmodSync, statSync, mkdirSync, existsSync, readlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeDurable, removeStaleTempFiles, tempPathFor } from './durable-write';
import { writeAtomic } from './workspace-file';
import { FaultyFs, type Fault } from './testing/faulty-fs';
import { tempDir } from './testing/fixtures';
import { isWorkspaceError } from '../../shared/store/errors';

const tempsIn = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('writeDurable', () => {
  it('replaces the file with every byte and leaves no temporary file', async () => {
    const dir = tempDir();
    const path = join(dir, 'x.bin');
    writeFileSync(path, 'old');
    chmodSync(path, 0o664); // group-writable, as on a shared drive: a umask of 022 must not take that away
    const bytes = randomBytes(300_000);
    await writeDurable(path, bytes);
    expect(Buffer.compare(readFileSync(path), bytes)).toBe(0);
    expect(statSync(path).mode & 0o777).toBe(0o664); // a save keeps the file's permissions
    expect(tempsIn(dir)).toEqual([]);
  });

  it('keeps writing after short writes until every byte is stored', async () => {
    const dir = tempDir();
    const path = join(dir, 'x.bin');
    const fs = new FaultyFs();
    fs.arm({ step: 'write', kind: 'short', persist: true });
    const bytes = randomBytes(100_000);
    await writeDurable(path, bytes, { fs });
    expect(fs.injected).toBeGreaterThan(10); // halves until one byte remains: many short writes really happened
    expect(Buffer.compare(readFileSync(path), bytes)).toBe(0);
  });

  const faults: Fault[] = [
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
  for (const fault of faults) {
    it(`leaves the old file byte for byte and no temporary file when ${fault.step} fails with ${fault.kind}`, async () => {
      const dir = tempDir();
      const path = join(dir, 'w.assay');
      const old = randomBytes(50_000);
      writeFileSync(path, old);
      const fs = new FaultyFs();
      fs.arm({ ...fault, path: /\.tmp$/ });
      const err = await writeDurable(path, randomBytes(80_000), { fs, keptIn: 'w.assay.assay-journal' }).catch((e: unknown) => e);
      expect(fs.injected).toBe(1);
      expect(isWorkspaceError(err) && err.code).toBe('io');
      const message = (err as Error).message;
      if (fault.kind === 'ENOSPC' || fault.kind === 'short-then-ENOSPC') {
        expect(message).toBe(
          'The disk is full: w.assay could not be saved, and nothing already on disk was changed. ' +
            'Your changes are kept in w.assay.assay-journal; free some space and save again.',
        );
      } else if (fault.kind === 'EIO') {
        expect(message).toMatch(/^w\.assay could not be saved \(the disk reported an input\/output error\), and nothing already on disk was changed\. Your changes are kept in w\.assay\.assay-journal/);
      } else {
        expect(message).toMatch(/the disk holds \d+ of its 80000 bytes/);
      }
      expect(Buffer.compare(readFileSync(path), old)).toBe(0);
      expect(tempsIn(dir)).toEqual([]);
    });
  }

  it('says the disk is full without promising a journal when the caller has none', async () => {
    const dir = tempDir();
    const fs = new FaultyFs();
    fs.arm({ step: 'write', kind: 'short-then-ENOSPC' });
    await expect(writeDurable(join(dir, 'report.docx'), randomBytes(1000), { fs })).rejects.toThrow(
      'The disk is full: report.docx could not be written, and nothing already on disk was changed. Free some space and try again.',
    );
    expect(existsSync(join(dir, 'report.docx'))).toBe(false);
  });

  it('writeAtomic, which the exporters and settings use, goes through the same checks', async () => {
    const dir = tempDir();
    const path = join(dir, 'settings.json');
    writeFileSync(path, '{}');
    chmodSync(path, 0o444);
    await expect(writeAtomic(path, new TextEncoder().encode('{"a":1}'))).rejects.toThrow(/read-only/);
    expect(readFileSync(path, 'utf8')).toBe('{}');
  });

  it('writes through a symbolic link to its target and leaves the link a link', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    const target = join(dir, 'real', 'w.assay');
    writeFileSync(target, 'old');
    symlinkSync('real/w.assay', join(dir, 'link.assay')); // relative, as `ln -s` makes them
    await writeDurable(join(dir, 'link.assay'), new TextEncoder().encode('new'));
    expect(lstatSync(join(dir, 'link.assay')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.assay'))).toBe('real/w.assay');
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(tempsIn(dir)).toEqual([]);
    expect(tempsIn(join(dir, 'real'))).toEqual([]);
    // A link to a file that does not exist yet creates that file.
    symlinkSync(join(dir, 'real', 'later.txt'), join(dir, 'dangling'));
    await writeDurable(join(dir, 'dangling'), new TextEncoder().encode('made'));
    expect(lstatSync(join(dir, 'dangling')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real', 'later.txt'), 'utf8')).toBe('made');
  });

  it('refuses a read-only file, even as root, and leaves it unchanged', async () => {
    const dir = tempDir();
    const path = join(dir, 'ro.assay');
    writeFileSync(path, 'old');
    chmodSync(path, 0o444);
    const err = await writeDurable(path, new TextEncoder().encode('new'), { keptIn: 'ro.assay.assay-journal' }).catch((e: unknown) => e);
    expect(isWorkspaceError(err) && err.code).toBe('invalid');
    expect((err as Error).message).toBe(
      'ro.assay is read-only, so Assay has not changed it. Your changes are kept in ro.assay.assay-journal. Make it writable, or save to another file.',
    );
    expect(readFileSync(path, 'utf8')).toBe('old');
  });

  it('refuses to write over a folder or a pipe', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'folder.assay'));
    await expect(writeDurable(join(dir, 'folder.assay'), new Uint8Array([1]))).rejects.toThrow(/is a folder/);
    execFileSync('mkfifo', [join(dir, 'pipe.assay')]);
    await expect(writeDurable(join(dir, 'pipe.assay'), new Uint8Array([1]))).rejects.toThrow(/not an ordinary file/);
    expect(lstatSync(join(dir, 'pipe.assay')).isFIFO()).toBe(true);
  });
});

describe('removeStaleTempFiles', () => {
  it("removes a killed write's leftovers and keeps live ones and other files", async () => {
    const dir = tempDir();
    const target = join(dir, 'w.assay');
    writeFileSync(target, 'x');
    const mine = tempPathFor(target); // this process: alive
    const host = /\.([0-9a-f]{8})\.\d+\.\d+\.[0-9a-f]+\.tmp$/.exec(mine)![1]!;
    const now = Date.now();
    const names = {
      deadPid: `.w.assay.${host}.999999999.${now}.abc123.tmp`,
      livePid: `.w.assay.${host}.${process.ppid}.${now}.abc123.tmp`,
      mine: mine.slice(dir.length + 1),
      oldOtherHost: `.w.assay.00000000.12.${now - 3_600_000}.abc123.tmp`,
      freshOtherHost: `.w.assay.00000000.12.${now}.abc123.tmp`,
      oldStyle: `.w.assay.999999999.${now - 3_600_000}.tmp`,
      journalTemp: `.w.assay.assay-journal.${host}.999999999.${now}.abc123.tmp`,
      otherWorkspace: `.other.assay.${host}.999999999.${now}.abc123.tmp`,
      notOurs: `.w.assay.notes.tmp`,
    };
    for (const n of Object.values(names)) writeFileSync(join(dir, n), 'partial');
    const removed = await removeStaleTempFiles(target);
    expect(removed.sort()).toEqual([names.deadPid, names.oldOtherHost, names.oldStyle].sort());
    const journalRemoved = await removeStaleTempFiles(`${target}.assay-journal`);
    expect(journalRemoved).toEqual([names.journalTemp]);
    const left = readdirSync(dir).sort();
    expect(left).toEqual(['w.assay', names.livePid, names.mine, names.freshOtherHost, names.otherWorkspace, names.notOurs].sort());
  });
});
