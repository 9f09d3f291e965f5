import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../testing/fixtures';
import { ImportFiles, readImportFile } from './import-files';
import { AppError } from '../ipc/errors';

const bytes = (n: number) => new Uint8Array(n).fill(0x41);

describe('files held for import', () => {
  it('hands out a handle per file and gives the bytes back by it, with the name as a base name', () => {
    const files = new ImportFiles();
    const a = files.add('C:\\Users\\sam\\ratings.csv', bytes(10));
    const b = files.add('../../evidence.csv', bytes(5));
    expect(a.handle).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(a.handle).not.toBe(b.handle);
    expect(files.get(a.handle)).toMatchObject({ fileName: 'ratings.csv' });
    expect(files.get(b.handle).fileName).toBe('evidence.csv');
    files.release(a.handle);
    expect(() => files.get(a.handle)).toThrow(/no longer open/);
    files.clear();
  });

  it('refuses an empty file and one over the cap, and keeps the total under its cap by letting the oldest go', () => {
    const files = new ImportFiles({ maxFileBytes: 100, maxTotalBytes: 150 });
    expect(() => files.add('empty.csv', bytes(0))).toThrow(/empty/);
    const big = (() => {
      try {
        files.add('big.csv', bytes(101));
      } catch (e) {
        return e;
      }
    })();
    expect(big).toBeInstanceOf(AppError);
    expect((big as AppError).message).toMatch(/big\.csv is .* MB; the import wizard takes files up to/);
    const first = files.add('one.csv', bytes(60));
    const second = files.add('two.csv', bytes(60));
    files.get(first.handle); // used last: the second is now the oldest
    const third = files.add('three.csv', bytes(60));
    expect(files.size).toBe(2);
    expect(() => files.get(second.handle)).toThrow(/no longer open/);
    expect(files.get(first.handle).fileName).toBe('one.csv');
    expect(files.get(third.handle).fileName).toBe('three.csv');
    files.clear();
  });

  it('lets a file go once it has gone unused for the expiry time', () => {
    let now = 1_000_000;
    const files = new ImportFiles({ ttlMs: 60_000, now: () => now });
    const a = files.add('a.csv', bytes(3));
    now += 59_000;
    expect(files.get(a.handle).fileName).toBe('a.csv'); // using it starts the time again
    now += 59_000;
    expect(files.get(a.handle).fileName).toBe('a.csv');
    now += 60_001;
    expect(() => files.get(a.handle)).toThrow(/no longer open/);
    expect(files.size).toBe(0);
  });

  it('reads a file main’s dialog chose, refusing one over the cap before reading it', async () => {
    const dir = tempDir('assay-import-files-');
    const path = join(dir, 'ratings.csv');
    writeFileSync(path, 'a,b\n1,2\n');
    expect(await readImportFile(path)).toMatchObject({ fileName: 'ratings.csv', bytes: new Uint8Array(Buffer.from('a,b\n1,2\n')) });
    await expect(readImportFile(path, 4)).rejects.toThrow(/ratings\.csv is/);
  });
});
