import { describe, it, expect, beforeAll } from 'vitest';
import { writeFileSync, readFileSync, existsSync, readdirSync, symlinkSync, lstatSync, chmodSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { SqlJsStatic } from 'sql.js';
import { WorkspaceFile, lockPathFor, writeAtomic } from './workspace-file';
import { Journal } from './journal';
import { loadSqlJs } from './sqljs';
import { tempDir, sha256File, dumpWorkspace } from './testing/fixtures';
import { tempPathFor } from './durable-write';
import { MIGRATIONS, SCHEMA_VERSION, ASSAY_APPLICATION_ID, type Migration } from '../../shared/store/schema';
import { isWorkspaceError } from '../../shared/store/errors';
import { addRating } from '../../shared/store/ratings';
import { runCli } from '../cli/run';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

async function newWorkspace(dir: string, name = 'w.assay'): Promise<string> {
  const path = join(dir, name);
  const wf = await WorkspaceFile.create(path);
  await wf.workspace.write('seed', (tx) => {
    tx.run("INSERT INTO providers(id, name, updated_at) VALUES ('P1', 'Test provider', '2018-01-01')");
    tx.run(
      "INSERT INTO locations(id, name, provider_id, sector_id, location_type, local_authority_id, region_id, updated_at) VALUES ('L1', 'Test home', 'P1', 'asc', 'Social Care Org', NULL, 'E12000002', '2018-01-01')",
    );
  });
  await wf.close();
  return path;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), progress: () => undefined, cwd: process.cwd() });
  return { code, out, err };
}

describe('workspace file', () => {
  it('creates a workspace with reference data, application id and schema version', async () => {
    const dir = tempDir();
    const path = await newWorkspace(dir);
    const wf = await WorkspaceFile.open(path, { readOnly: true });
    expect(wf.workspace.value('PRAGMA application_id')).toBe(ASSAY_APPLICATION_ID);
    expect(wf.workspace.schemaVersion).toBe(SCHEMA_VERSION);
    expect(wf.workspace.value('SELECT count(*) FROM key_questions')).toBe(6);
    expect(wf.workspace.value('SELECT count(*) FROM regions')).toBe(9);
    expect(wf.workspace.value('SELECT count(*) FROM migrations')).toBe(MIGRATIONS.length);
    await wf.close();
    expect(existsSync(lockPathFor(path))).toBe(false);
  });

  it('refuses to overwrite an existing file on create', async () => {
    const dir = tempDir();
    const path = await newWorkspace(dir);
    const before = sha256File(path);
    await expect(WorkspaceFile.create(path)).rejects.toThrow(/already exists/);
    expect(sha256File(path)).toBe(before);
  });

  it('keeps acknowledged writes that were never saved (journal replay)', async () => {
    const dir = tempDir();
    const path = await newWorkspace(dir);
    const wf = await WorkspaceFile.open(path);
    const r = await wf.workspace.write('add rating', (tx) =>
      addRating(tx, { locationId: 'L1', keyQuestionId: 'safe', rating: 'Good', publishedOn: '2018-03-01' }),
    );
    expect(r.tables).toContain('ratings');
    expect(r.tables).toContain('audit_log');
    // Simulate a crash: no save, no close; the lock is left behind by a process that is "gone".
    const savedBytes = sha256File(path);
    writeFileSync(lockPathFor(path), JSON.stringify({ pid: 999_999_999, host: (await import('node:os')).hostname(), user: 'x', since: '', app: 'assay' }));
    expect(sha256File(path)).toBe(savedBytes);
    const reopened = await WorkspaceFile.open(path);
    expect(reopened.openReport.replayed).toBe(1);
    expect(reopened.workspace.value("SELECT rating FROM ratings WHERE location_id = 'L1' AND key_question_id = 'safe'")).toBe('Good');
    expect(reopened.workspace.value("SELECT count(*) FROM audit_log WHERE action = 'rating.add'")).toBe(1);
    await reopened.close();
  });

  it('ignores a torn last journal line (a write that was never acknowledged)', async () => {
    const dir = tempDir();
    const path = await newWorkspace(dir);
    const wf = await WorkspaceFile.open(path);
    await wf.workspace.write('one', (tx) => tx.run("INSERT INTO meta(key, value) VALUES ('a', '1')"));
    await wf.workspace.write('two', (tx) => tx.run("INSERT INTO meta(key, value) VALUES ('b', '2')"));
    const jp = Journal.pathFor(path);
    const text = readFileSync(jp, 'utf8');
    writeFileSync(jp, text.slice(0, text.length - 15)); // tear the second entry
    writeFileSync(lockPathFor(path), JSON.stringify({ pid: 999_999_999, host: (await import('node:os')).hostname() }));
    const reopened = await WorkspaceFile.open(path);
    expect(reopened.openReport.damagedJournalTail).toBe(true);
    expect(reopened.workspace.metaValue('a')).toBe('1');
    expect(reopened.workspace.metaValue('b')).toBeUndefined();
    await reopened.close();
  });

  it('rolls back a write whose function throws, and the queue goes on', async () => {
    const dir = tempDir();
    const path = await newWorkspace(dir);
    const wf = await WorkspaceFile.open(path);
    const before = dumpWorkspace(wf.workspace);
    await expect(
      wf.workspace.write('bad', (tx) => {
        tx.run("INSERT INTO meta(key, value) VALUES ('half', 'done')");
        addRating(tx, { locationId: 'L1', keyQuestionId: 'safe', rating: 'Brilliant', publishedOn: '2018-03-01' });
      }),
    ).rejects.toThrow(/"Brilliant" is not a rating on the cqc scale/);
    expect(dumpWorkspace(wf.workspace)).toBe(before);
    await wf.workspace.write('good', (tx) => tx.run("INSERT INTO meta(key, value) VALUES ('after', 'ok')"));
    expect(wf.workspace.metaValue('after')).toBe('ok');
    await wf.close();
  });

  it('runs writes one after another in the order they were queued', async () => {
    const dir = tempDir();
    const path = await newWorkspace(dir);
    const wf = await WorkspaceFile.open(path);
    const seqs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => wf.workspace.write(`w${i}`, (tx) => tx.run('INSERT INTO meta(key, value) VALUES (?, ?)', [`k${i}`, String(i)]))),
    );
    expect(seqs.map((s) => s.seq)).toEqual([...seqs.map((s) => s.seq)].sort((a, b) => a - b));
    await wf.close();
  });

  it('tells a second writer that the file is open elsewhere', async () => {
    const dir = tempDir();
    const path = await newWorkspace(dir);
    const first = await WorkspaceFile.open(path);
    const err = await WorkspaceFile.open(path).catch((e: unknown) => e);
    expect(isWorkspaceError(err) && err.code).toBe('locked');
    expect((err as Error).message).toMatch(/already open/);
    await first.close();
    const second = await WorkspaceFile.open(path);
    await second.close();
  });

  it('writes atomically: a failed save leaves the old file intact', async () => {
    const dir = tempDir();
    const path = join(dir, 'x.bin');
    writeFileSync(path, 'old');
    await expect(writeAtomic(join(dir, 'missing-folder', 'x.bin'), new Uint8Array([1]))).rejects.toThrow();
    await writeAtomic(path, new TextEncoder().encode('new'));
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('bad files are refused, with a clear message, and left byte-for-byte untouched', () => {
  const cases: { name: string; make: (dir: string) => Promise<string> | string; code: string; message: RegExp }[] = [
    {
      name: 'an empty file',
      make: (dir) => {
        const p = join(dir, 'empty.assay');
        writeFileSync(p, '');
        return p;
      },
      code: 'empty',
      message: /is empty/,
    },
    {
      name: 'random bytes',
      make: (dir) => {
        const p = join(dir, 'random.assay');
        writeFileSync(p, randomBytes(8192));
        return p;
      },
      code: 'not-sqlite',
      message: /not a SQLite database/,
    },
    {
      name: 'a truncated database',
      make: async (dir) => {
        const good = await newWorkspace(dir, 'good.assay');
        const bytes = readFileSync(good);
        const p = join(dir, 'truncated.assay');
        writeFileSync(p, bytes.subarray(0, Math.floor(bytes.length / 2) + 100));
        return p;
      },
      code: 'truncated',
      message: /damaged/,
    },
    {
      name: 'a SQLite database that is not an Assay workspace',
      make: (dir) => {
        const p = join(dir, 'other.sqlite');
        const db = new SQL.Database();
        db.run('CREATE TABLE t(x); INSERT INTO t VALUES (1);');
        writeFileSync(p, db.export());
        db.close();
        return p;
      },
      code: 'not-assay',
      message: /not an Assay workspace/,
    },
    {
      name: 'a workspace from a newer schema version',
      make: async (dir) => {
        const good = await newWorkspace(dir, 'good2.assay');
        const db = new SQL.Database(readFileSync(good));
        db.run(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
        const p = join(dir, 'newer.assay');
        writeFileSync(p, db.export());
        db.close();
        return p;
      },
      code: 'too-new',
      message: /newer version of Assay/,
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name}`, async () => {
      const dir = tempDir();
      const path = await c.make(dir);
      const hash = sha256File(path);
      const err = await WorkspaceFile.open(path).catch((e: unknown) => e);
      expect(isWorkspaceError(err) && err.reason).toBe(c.code);
      expect((err as Error).message).toMatch(c.message);
      expect(sha256File(path)).toBe(hash);
      expect(existsSync(lockPathFor(path))).toBe(false);
      expect(existsSync(Journal.pathFor(path))).toBe(false);

      const r = await cli(['info', path]);
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(c.message);
      expect(sha256File(path)).toBe(hash);
    });
  }
});

describe('migrations', () => {
  it('backs up an older workspace before migrating it, and records the migration', async () => {
    const dir = tempDir();
    const path = await newWorkspace(dir);
    const original = readFileSync(path);
    const next: Migration = { version: SCHEMA_VERSION + 1, name: 'test: add a column', sql: 'ALTER TABLE findings ADD COLUMN test_note TEXT;' };
    const wf = await WorkspaceFile.open(path, { migrations: [...MIGRATIONS, next] });
    expect(wf.openReport.migratedFrom).toBe(SCHEMA_VERSION);
    expect(wf.workspace.schemaVersion).toBe(SCHEMA_VERSION + 1);
    expect(wf.workspace.value('SELECT name FROM migrations WHERE version = ?', [SCHEMA_VERSION + 1])).toBe('test: add a column');
    expect(Buffer.compare(readFileSync(wf.openReport.backup!), original)).toBe(0);
    await wf.close();
    // The migrated file is now too new for an app that only knows the original ledger.
    await expect(WorkspaceFile.open(path)).rejects.toThrow(/newer version/);
  });

  it('rolls back a failing migration and leaves the file as it was', async () => {
    const dir = tempDir();
    const path = await newWorkspace(dir);
    const hash = sha256File(path);
    const broken: Migration = { version: SCHEMA_VERSION + 1, name: 'broken', sql: 'ALTER TABLE no_such_table ADD COLUMN x;' };
    await expect(WorkspaceFile.open(path, { migrations: [...MIGRATIONS, broken] })).rejects.toThrow();
    expect(sha256File(path)).toBe(hash);
    const wf = await WorkspaceFile.open(path, { readOnly: true });
    expect(wf.workspace.schemaVersion).toBe(SCHEMA_VERSION);
    await wf.close();
  });
});

describe('assay new / info', () => {
  it('creates a workspace and reports it as JSON', async () => {
    const dir = tempDir();
    const path = join(dir, 'n.assay');
    expect((await cli(['new', path])).code).toBe(0);
    const r = await cli(['info', path, '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.out) as { schemaVersion: number; integrity: string; tables: Record<string, number>; fileSize: number };
    expect(info.schemaVersion).toBe(SCHEMA_VERSION);
    expect(info.integrity).toBe('ok');
    expect(info.tables.key_questions).toBe(6);
    expect(info.fileSize).toBeGreaterThan(0);
  });

  it('explains a missing file', async () => {
    const r = await cli(['info', '/nonexistent/x.assay']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/does not exist/);
  });
});

/** Fails the test if `p` does not settle within `ms`: a refusal must come at once, not after a hang. */
function within<T>(ms: number, p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`still waiting after ${ms} ms`)), ms))]);
}

describe('only ordinary files are opened, and nothing is read before checking', () => {
  it('refuses a named pipe at once (reading it would wait for ever)', async () => {
    const dir = tempDir();
    const path = join(dir, 'pipe.assay');
    execFileSync('mkfifo', [path]);
    const err = await within(2000, WorkspaceFile.open(path).catch((e: unknown) => e));
    expect(isWorkspaceError(err) && err.code).toBe('invalid');
    expect((err as Error).message).toBe(`${path} is a named pipe, not an ordinary file, so it is not an Assay workspace. Assay has not read from it.`);
    expect(existsSync(lockPathFor(path))).toBe(false);
  });

  it('refuses a folder', async () => {
    const dir = tempDir();
    const path = join(dir, 'folder.assay');
    mkdirSync(path);
    await expect(within(2000, WorkspaceFile.open(path))).rejects.toThrow(`${path} is a folder, not an Assay workspace file.`);
  });

  it('refuses a symbolic link to /dev/zero (a device that never ends) at once', async () => {
    const dir = tempDir();
    const path = join(dir, 'zero.assay');
    symlinkSync('/dev/zero', path);
    await expect(within(2000, WorkspaceFile.open(path))).rejects.toThrow(`${path} is a device, not an ordinary file, so it is not an Assay workspace. Assay has not read from it.`);
    await expect(within(2000, WorkspaceFile.open(path, { readOnly: true }))).rejects.toThrow(/is a device/);
  });

  it('refuses to open a read-only file for editing, and opens it to look at', async () => {
    const dir = tempDir();
    const path = await newWorkspace(dir);
    chmodSync(path, 0o444);
    const hash = sha256File(path);
    await expect(WorkspaceFile.open(path)).rejects.toThrow('w.assay is read-only, so Assay could not save changes to it. Make it writable, or open a copy.');
    const look = await WorkspaceFile.open(path, { readOnly: true });
    expect(look.workspace.value('SELECT count(*) FROM key_questions')).toBe(6);
    await look.close();
    expect(sha256File(path)).toBe(hash);
  });
});

describe('a workspace opened through a symbolic link', () => {
  it('saves to the target, keeps the link a link, and keeps the journal beside the target', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'store'));
    const target = await newWorkspace(join(dir, 'store'));
    const link = join(dir, 'link.assay');
    symlinkSync('store/w.assay', link);
    const wf = await WorkspaceFile.open(link);
    expect(wf.realPath).toBe(target);
    await wf.workspace.write('via link', (tx) => tx.run("INSERT INTO meta(key, value) VALUES ('via', 'link')"));
    expect(existsSync(join(dir, 'store', 'w.assay.assay-journal'))).toBe(true);
    await wf.save();
    await wf.close();
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['link.assay', 'store']);
    const direct = await WorkspaceFile.open(target, { readOnly: true });
    expect(direct.workspace.metaValue('via')).toBe('link');
    await direct.close();
  });
});

describe('temporary files of interrupted saves', () => {
  it('are removed on open when their writer is dead or they are old; a live one is left alone', async () => {
    const dir = tempDir();
    const path = await newWorkspace(dir);
    const host = /\.([0-9a-f]{8})\.\d+\.\d+\.[0-9a-f]+\.tmp$/.exec(tempPathFor(path))![1]!;
    const dead = join(dir, `.w.assay.${host}.999999999.${Date.now()}.aaaaaa.tmp`);
    const old = join(dir, `.w.assay.0badbeef.4242.${Date.now() - 3_600_000}.bbbbbb.tmp`);
    const live = join(dir, `.w.assay.${host}.${process.ppid}.${Date.now()}.cccccc.tmp`);
    const deadJournal = join(dir, `.w.assay.assay-journal.${host}.999999999.${Date.now()}.dddddd.tmp`);
    for (const p of [dead, old, live, deadJournal]) writeFileSync(p, 'half a save');
    const wf = await WorkspaceFile.open(path);
    expect(wf.openReport.staleTempFiles).toBe(3);
    expect(wf.openReport.messages).toContain('3 temporary files left by an interrupted save were removed.');
    await wf.close();
    expect([dead, old, live, deadJournal].map((p) => existsSync(p))).toEqual([false, false, true, false]);
  });
});

describe('a workspace with Assay\'s application id but missing tables', () => {
  it('is refused with the missing tables named, not "no such table"', async () => {
    const dir = tempDir();
    const good = await newWorkspace(dir);
    const db = new SQL.Database(readFileSync(good));
    db.run('DROP TABLE meta; DROP TABLE figure_approvals;');
    const path = join(dir, 'gutted.assay');
    writeFileSync(path, db.export());
    db.close();
    const hash = sha256File(path);
    const err = await WorkspaceFile.open(path).catch((e: unknown) => e);
    expect(isWorkspaceError(err) && err.reason).toBe('corrupt');
    expect((err as Error).message).toBe(
      `${path} is marked as an Assay workspace but is missing the tables meta, figure_approvals: another program may have changed it. ` +
        'Open a backup or an earlier copy. The file has not been changed.',
    );
    expect(sha256File(path)).toBe(hash);
  });
});
