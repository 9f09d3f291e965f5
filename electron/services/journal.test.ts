import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, existsSync, readdirSync, renameSync, copyFileSync, rmSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { join, basename } from 'node:path';
import { WorkspaceFile } from './workspace-file';
import { Journal } from './journal';
import { crc32 } from './crc32';
import { tempDir, sha256File, leaveAsIfCrashed, hasSqlite3 } from './testing/fixtures';
import { isWorkspaceError } from '../../shared/store/errors';

const SQLITE3 = hasSqlite3();
if (!SQLITE3) console.info('journal.test: the sqlite3 program is not installed, so the tests that need SQLite itself are skipped');

const sum = (json: string): string => crc32(json).toString(16).padStart(8, '0');

async function workspaceWith(dir: string, name: string, keys: string[]): Promise<{ path: string; wf: WorkspaceFile }> {
  const path = join(dir, name);
  const wf = await WorkspaceFile.create(path);
  for (const k of keys) await wf.workspace.write(`put ${k}`, (tx) => tx.run('INSERT INTO meta(key, value) VALUES (?, ?)', [k, `value of ${k}`]));
  return { path, wf };
}

const lines = (path: string): string[] => readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');

/** Runs SQL in the real sqlite3 program and SIGKILLs it once `marker` is printed, with stdin still open. */
function sqlite3KilledAfter(file: string, sql: string, marker: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn('sqlite3', ['-batch', file], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(marker)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? done() : fail(new Error(`sqlite3 exited with ${code}: ${err}`))));
    // stdin stays open: the transaction is still open when the kill lands.
    child.stdin.write(`${sql}\nSELECT '${marker}';\n`);
  });
}

describe('the journal has a name and a header of its own', () => {
  it('is <file>.assay-journal, starts with a header naming the workspace, and Assay makes no SQLite-named file', async () => {
    const dir = tempDir();
    const { path, wf } = await workspaceWith(dir, 'w.assay', ['a', 'b']);
    const jp = `${path}.assay-journal`;
    expect(wf.journalPath).toBe(jp);
    const [header, ...entries] = lines(jp);
    const m = /^#assay-journal ([0-9a-f]{8}) (\{.*\})$/.exec(header!);
    expect(m).not.toBeNull();
    expect(sum(m![2]!)).toBe(m![1]);
    const h = JSON.parse(m![2]!) as { format: number; workspaceId: string; baseSeq: number };
    expect(h).toMatchObject({ format: 1, workspaceId: wf.workspace.workspaceId, baseSeq: wf.workspace.lastSeq - 2 });
    expect(wf.workspace.workspaceId).toMatch(/\S/);
    expect(entries).toHaveLength(2);
    expect(readdirSync(dir).filter((f) => /^w\.assay-(journal|wal|shm)$/.test(f))).toEqual([]);
    // A save starts a new journal at the saved generation.
    await wf.save();
    const after = lines(jp);
    expect(after).toHaveLength(1);
    expect((JSON.parse(after[0]!.slice(24)) as { baseSeq: number }).baseSeq).toBe(wf.workspace.lastSeq);
    await wf.close();
    expect(existsSync(jp)).toBe(false);
  });

  it('starts the journal again when it is deleted under an open workspace, rather than writing to a deleted file', async () => {
    const dir = tempDir();
    const { path, wf } = await workspaceWith(dir, 'w.assay', ['saved']);
    await wf.save();
    await wf.workspace.write('first', (tx) => tx.run("INSERT INTO meta(key, value) VALUES ('first', '1')")); // the journal is open now
    rmSync(wf.journalPath); // a clean-up tool, or a person tidying the folder: 'first' goes with it
    await wf.workspace.write('after', (tx) => tx.run("INSERT INTO meta(key, value) VALUES ('after-delete', 'x')"));
    expect(lines(wf.journalPath)[0]).toMatch(/^#assay-journal /);
    leaveAsIfCrashed(path);
    const reopened = await WorkspaceFile.open(path);
    expect(reopened.workspace.metaValue('after-delete')).toBe('x');
    await reopened.close();
  });

  it.skipIf(!SQLITE3)('loses nothing when sqlite3 reads the file between two acknowledged writes and Assay then crashes', async () => {
    const dir = tempDir();
    const { path, wf } = await workspaceWith(dir, 'w.assay', ['before-sqlite3']);
    // sqlite3 deletes a `<file>-journal` it does not recognise as its own: the old name lost this write.
    expect(execFileSync('sqlite3', [path, 'SELECT count(*) FROM meta']).toString().trim()).toMatch(/^\d+$/);
    await wf.workspace.write('after', (tx) => tx.run("INSERT INTO meta(key, value) VALUES ('after-sqlite3', 'x')"));
    leaveAsIfCrashed(path);
    const reopened = await WorkspaceFile.open(path);
    expect(reopened.openReport.replayed).toBe(2);
    expect(reopened.workspace.metaValue('before-sqlite3')).toBe('value of before-sqlite3');
    expect(reopened.workspace.metaValue('after-sqlite3')).toBe('x');
    expect(reopened.workspace.value('PRAGMA integrity_check')).toBe('ok');
    await reopened.close();
  });
});

describe('a journal from earlier versions of Assay', () => {
  it('is recognised by its lines under the old name <file>-journal, renamed, and replayed', async () => {
    const dir = tempDir();
    const { path, wf } = await workspaceWith(dir, 'w.assay', ['one', 'two']);
    leaveAsIfCrashed(path);
    // What an earlier Assay left: the same entry lines, no header, under SQLite's name.
    const old = `${lines(wf.journalPath).slice(1).join('\n')}\n`;
    renameSync(wf.journalPath, `${path}-journal`);
    writeFileSync(`${path}-journal`, old);
    const reopened = await WorkspaceFile.open(path);
    expect(reopened.openReport.legacyJournalMigrated).toBe(true);
    expect(reopened.openReport.replayed).toBe(2);
    expect(reopened.openReport.messages.join(' ')).toContain('renamed from w.assay-journal (its name in earlier versions of Assay) to w.assay.assay-journal');
    expect(reopened.workspace.metaValue('one')).toBe('value of one');
    expect(reopened.workspace.metaValue('two')).toBe('value of two');
    expect(existsSync(`${path}-journal`)).toBe(false);
    await reopened.close();
  });

  it('is refused, with both named, when a current journal holds changes too', async () => {
    const dir = tempDir();
    const { path, wf } = await workspaceWith(dir, 'w.assay', ['one']);
    leaveAsIfCrashed(path);
    writeFileSync(`${path}-journal`, `${lines(wf.journalPath).slice(1).join('\n')}\n`);
    const hashes = [sha256File(path), sha256File(wf.journalPath), sha256File(`${path}-journal`)];
    const err = await WorkspaceFile.open(path).catch((e: unknown) => e);
    expect(isWorkspaceError(err) && err.code).toBe('conflict');
    expect((err as Error).message).toMatch(/has two journals: w\.assay-journal, from an earlier version of Assay, and w\.assay\.assay-journal/);
    expect([sha256File(path), sha256File(wf.journalPath), sha256File(`${path}-journal`)]).toEqual(hashes);
  });
});

describe('a journal belongs to its workspace', () => {
  it('sets aside a journal that names another workspace: kept on disk, never replayed', async () => {
    const dir = tempDir();
    const a = await workspaceWith(dir, 'a.assay', ['from-a']);
    const b = await workspaceWith(dir, 'b.assay', []);
    await b.wf.close();
    leaveAsIfCrashed(a.path);
    const foreign = readFileSync(a.wf.journalPath);
    writeFileSync(`${b.path}.assay-journal`, foreign); // copied beside the wrong file
    const bHash = sha256File(b.path);

    const opened = await WorkspaceFile.open(b.path);
    expect(opened.openReport.replayed).toBe(0);
    expect(opened.openReport.journalSetAside?.reason).toBe('foreign');
    expect(opened.workspace.metaValue('from-a')).toBeUndefined();
    const keptAs = opened.openReport.journalSetAside!.keptAs;
    expect(basename(keptAs)).toMatch(/^b\.assay\.assay-journal\.foreign-\d{4}-\d\d-\d\dT[\d-]+Z$/);
    expect(Buffer.compare(readFileSync(keptAs), foreign)).toBe(0);
    expect(opened.openReport.messages[0]).toBe(
      `b.assay.assay-journal belongs to another workspace (${a.wf.workspace.workspaceId}), not to b.assay, so none of it was applied. It has been kept as ${basename(keptAs)}.`,
    );
    expect(sha256File(b.path)).toBe(bHash);
    // New writes start a journal of b's own.
    await opened.workspace.write('b1', (tx) => tx.run("INSERT INTO meta(key, value) VALUES ('b1', '1')"));
    expect(lines(opened.journalPath)[0]).toContain(opened.workspace.workspaceId);
    await opened.close();
    // a's own journal was never touched and still brings its write back.
    const aAgain = await WorkspaceFile.open(a.path);
    expect(aAgain.workspace.metaValue('from-a')).toBe('value of from-a');
    await aAgain.close();
  });

  it('sets aside a journal that continues a later save than the file (an older copy put in its place)', async () => {
    const dir = tempDir();
    const { path, wf } = await workspaceWith(dir, 'w.assay', ['k1']);
    await wf.save();
    const older = join(dir, 'older-copy.assay');
    copyFileSync(path, older);
    await wf.workspace.write('k2', (tx) => tx.run("INSERT INTO meta(key, value) VALUES ('k2', '2')"));
    await wf.save();
    await wf.workspace.write('k3', (tx) => tx.run("INSERT INTO meta(key, value) VALUES ('k3', '3')"));
    leaveAsIfCrashed(path);
    copyFileSync(older, path); // k2 is not in this file: replaying k3 alone would make a state that never was
    const journalBytes = readFileSync(wf.journalPath);
    const opened = await WorkspaceFile.open(path);
    expect(opened.openReport.journalSetAside?.reason).toBe('other-save');
    expect(opened.openReport.replayed).toBe(0);
    expect(opened.workspace.metaValue('k3')).toBeUndefined();
    expect(Buffer.compare(readFileSync(opened.openReport.journalSetAside!.keptAs), journalBytes)).toBe(0);
    expect(opened.openReport.messages[0]).toMatch(/continues a later save of this workspace than the file on disk .* It has been kept as w\.assay\.assay-journal\.foreign-/);
    await opened.close();
  });
});

describe('a journal line that cannot be applied', () => {
  /** Five acknowledged writes, the workspace then "crashed": the journal has a header and lines 2 to 6. */
  async function fiveWrites(dir: string): Promise<{ path: string; jp: string }> {
    const { path, wf } = await workspaceWith(dir, 'w.assay', ['k1', 'k2', 'k3', 'k4', 'k5']);
    leaveAsIfCrashed(path);
    return { path, jp: wf.journalPath };
  }

  /** Replaces line `n` (1-based) with `text`, given a correct checksum unless told otherwise. */
  function replaceLine(jp: string, n: number, json: string, checksum = sum(json)): void {
    const all = lines(jp);
    all[n - 1] = `${checksum} ${json}`;
    writeFileSync(jp, `${all.join('\n')}\n`);
  }

  const cases = [
    { what: 'SQL that fails', json: (orig: string) => orig.replace('INSERT INTO meta', 'INSERT INTO no_such_table'), reason: /SQLite refused it: no such table: no_such_table/ },
    { what: 'a line that is not JSON', json: () => 'this is not json', reason: /it is not valid JSON/ },
    { what: 'a line whose checksum is wrong, with good lines after it', json: (orig: string) => orig, checksum: '00000000', reason: /its checksum does not match its content/ },
  ];

  for (const c of cases) {
    it(`refuses by default, naming the journal and the line: ${c.what}`, async () => {
      const dir = tempDir();
      const { path, jp } = await fiveWrites(dir);
      const orig = lines(jp)[3]!.slice(9);
      replaceLine(jp, 4, c.json(orig), c.checksum);
      const hashes = [sha256File(path), sha256File(jp)];
      const err = await WorkspaceFile.open(path).catch((e: unknown) => e);
      expect(isWorkspaceError(err) && err.reason).toBe('journal-line');
      const message = (err as Error).message;
      expect(message).toMatch(/^w\.assay was not opened: line 4 of its journal, w\.assay\.assay-journal, cannot be applied \(/);
      expect(message).toMatch(c.reason);
      expect(message).toContain('The 2 changes before that line can be recovered.');
      expect(message).toContain('open it with the rest of the journal set aside. Nothing has been changed.');
      expect([sha256File(path), sha256File(jp)]).toEqual(hashes);
      expect(existsSync(`${path}.lock`)).toBe(false); // the stale lock was taken over, then released
    });
  }

  it('opens with the lines before it applied and the rest kept in a side file, when asked', async () => {
    const dir = tempDir();
    const { path, jp } = await fiveWrites(dir);
    const orig = lines(jp)[3]!.slice(9);
    replaceLine(jp, 4, orig.replace('INSERT INTO meta', 'INSERT INTO no_such_table'));
    const rest = `${lines(jp).slice(3).join('\n')}\n`;
    const opened = await WorkspaceFile.open(path, { setAsideJournalRest: true });
    expect(opened.openReport.replayed).toBe(2);
    expect(opened.workspace.metaValue('k1')).toBe('value of k1');
    expect(opened.workspace.metaValue('k2')).toBe('value of k2');
    for (const k of ['k3', 'k4', 'k5']) expect(opened.workspace.metaValue(k)).toBeUndefined();
    const aside = opened.openReport.journalSetAside!;
    expect(aside.reason).toBe('bad-line');
    expect(aside.line).toBe(4);
    expect(basename(aside.keptAs)).toMatch(/^w\.assay\.assay-journal\.rest-/);
    expect(readFileSync(aside.keptAs, 'utf8')).toBe(rest);
    expect(opened.openReport.messages.join('\n')).toContain(
      `Line 4 of w.assay.assay-journal could not be applied (SQLite refused it: no such table: no_such_table). The 2 changes before it were recovered; that line and everything after it have been kept in ${basename(aside.keptAs)}.`,
    );
    expect(opened.workspace.value('PRAGMA integrity_check')).toBe('ok');
    await opened.close();
    const again = await WorkspaceFile.open(path);
    expect(again.workspace.metaValue('k2')).toBe('value of k2');
    expect(again.openReport.journalSetAside).toBeUndefined();
    await again.close();
  });

  it('assay recover does the same from the command line, after assay info has refused it with the way out', async () => {
    const dir = tempDir();
    const { path, jp } = await fiveWrites(dir);
    replaceLine(jp, 4, 'this is not json');
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t), progress: () => undefined, cwd: dir };
    const { runCli } = await import('../cli/run');
    // Refused by the command that only reads, with the way out in the message.
    expect(await runCli(['info', path], io)).not.toBe(0);
    expect(out.join('\n')).toMatch(/line 4 of its journal, w\.assay\.assay-journal, cannot be applied/);
    out.length = 0;
    expect(await runCli(['recover', path], io)).toBe(0);
    expect(out.join('\n')).toMatch(/The 2 changes before it were recovered; that line and everything after it have been kept in w\.assay\.assay-journal\.rest-/);
    const again = await WorkspaceFile.open(path);
    expect(again.workspace.metaValue('k2')).toBe('value of k2');
    expect(again.workspace.metaValue('k3')).toBeUndefined();
    await again.close();
    expect(readdirSync(dir).filter((f) => f.includes('.rest-'))).toHaveLength(1);
  });

  it('still treats a torn last line as a write never acknowledged', async () => {
    const dir = tempDir();
    const { path, jp } = await fiveWrites(dir);
    const text = readFileSync(jp, 'utf8');
    writeFileSync(jp, text.slice(0, text.length - 10));
    const opened = await WorkspaceFile.open(path);
    expect(opened.openReport.damagedJournalTail).toBe(true);
    expect(opened.openReport.replayed).toBe(4);
    expect(opened.workspace.metaValue('k4')).toBe('value of k4');
    expect(opened.workspace.metaValue('k5')).toBeUndefined();
    await opened.close();
  });
});

describe('SQLite files beside the workspace', () => {
  /** A saved workspace big enough that a large update spills pages into the file before it commits. */
  async function bigWorkspace(dir: string): Promise<string> {
    const path = join(dir, 'big.assay');
    const wf = await WorkspaceFile.create(path);
    await wf.workspace.write(
      'bulk',
      (tx) => {
        for (let i = 0; i < 12_000; i++) tx.run('INSERT INTO meta(key, value) VALUES (?, ?)', [`bulk-${i}`, 'v'.repeat(200)]);
      },
      { unjournaled: true },
    );
    await wf.close();
    return path;
  }

  it.skipIf(!SQLITE3)('has sqlite3 roll back a hot journal from a killed writer, then opens without its half-made changes', async () => {
    const dir = tempDir();
    const path = await bigWorkspace(dir);
    await sqlite3KilledAfter(
      path,
      "PRAGMA journal_mode=DELETE; PRAGMA cache_size=5; BEGIN; UPDATE meta SET value = 'half-' || value WHERE key LIKE 'bulk-%';",
      'updated',
    );
    const hot = `${path}-journal`;
    expect(readFileSync(hot).subarray(0, 8).toString('hex')).toBe('d9d505f920a163d7'); // SQLite's, and hot
    const fileHash = sha256File(path);
    const journalHash = sha256File(hot);

    // Without sqlite3 Assay cannot roll it back: it refuses, and touches neither file.
    const err = await WorkspaceFile.open(path, { sqlite3: null }).catch((e: unknown) => e);
    expect(isWorkspaceError(err) && err.code).toBe('invalid');
    expect((err as Error).message).toMatch(
      /^big\.assay cannot be opened yet: beside it is a SQLite rollback journal \(big\.assay-journal\) left by a program that stopped in the middle of changing the file.*the sqlite3 program was not found\. Open the file once with sqlite3 \(for example: sqlite3 ".*big\.assay" "PRAGMA integrity_check"\).*Only if you know big\.assay-journal is stale, move it to another folder instead\. Nothing has been changed\.$/,
    );
    expect([sha256File(path), sha256File(hot)]).toEqual([fileHash, journalHash]);
    await expect(WorkspaceFile.open(path, { sqlite3: join(dir, 'no-such-sqlite3') })).rejects.toThrow(/the sqlite3 program was not found/);

    const opened = await WorkspaceFile.open(path);
    expect(opened.openReport.sqliteRecovered).toBe('journal');
    expect(opened.openReport.messages[0]).toMatch(/sqlite3 rolled its unfinished changes back before Assay read the file/);
    expect(opened.workspace.value('PRAGMA integrity_check')).toBe('ok');
    expect(opened.workspace.value("SELECT count(*) FROM meta WHERE value LIKE 'half-%'")).toBe(0);
    expect(opened.workspace.value("SELECT count(*) FROM meta WHERE key LIKE 'bulk-%'")).toBe(12_000);
    expect(existsSync(hot)).toBe(false); // rolled back and removed by SQLite itself
    await opened.close();
  });

  it.skipIf(!SQLITE3)("has sqlite3 bring a write-ahead log's committed changes into the file before reading it", async () => {
    const dir = tempDir();
    const path = join(dir, 'w.assay');
    await (await WorkspaceFile.create(path)).close();
    await sqlite3KilledAfter(path, "PRAGMA journal_mode=WAL; INSERT INTO meta(key, value) VALUES ('via-wal', 'committed');", 'inserted');
    expect(readFileSync(`${path}-wal`).length).toBeGreaterThan(0);
    const opened = await WorkspaceFile.open(path);
    expect(opened.openReport.sqliteRecovered).toBe('wal');
    expect(opened.workspace.metaValue('via-wal')).toBe('committed');
    expect(opened.workspace.value('PRAGMA integrity_check')).toBe('ok');
    await opened.close();
  });
});
