import { promises as fsp, existsSync, openSync, closeSync, writeSync, readFileSync, unlinkSync, fsyncSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { hostname, userInfo } from 'node:os';
import type { SqlJsStatic } from 'sql.js';
import { Workspace } from '../../shared/store/workspace';
import { WorkspaceError } from '../../shared/store/errors';
import { MIGRATIONS, type Migration } from '../../shared/store/schema';
import { seedReference } from '../../shared/store/reference';
import { Journal } from './journal';
import { loadSqlJs } from './sqljs';

export interface LockInfo {
  pid: number;
  host: string;
  user: string;
  since: string;
  app: 'assay';
}

export interface OpenOptions {
  /** Open without a lock and without a journal: for `assay info` and other read-only looks. */
  readOnly?: boolean;
  /** Take over a lock left by a process on this machine that no longer runs (default true). */
  breakStaleLock?: boolean;
  migrations?: readonly Migration[];
  sql?: SqlJsStatic;
}

export function lockPathFor(path: string): string {
  return `${path}.lock`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock file beside the workspace tells a second Assay, here or on a colleague's machine over a shared drive, that
 * the file is open. It is created with O_EXCL so two processes cannot both take it.
 */
export function acquireLock(path: string, breakStale = true): LockInfo {
  const lockPath = lockPathFor(path);
  const me: LockInfo = { pid: process.pid, host: hostname(), user: safeUser(), since: new Date().toISOString(), app: 'assay' };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, JSON.stringify(me));
      fsyncSync(fd);
      closeSync(fd);
      return me;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let other: Partial<LockInfo> = {};
      try {
        other = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockInfo>;
      } catch {
        /* an unreadable lock is still a lock */
      }
      const stale = other.host === me.host && typeof other.pid === 'number' && !pidAlive(other.pid);
      if (stale && breakStale && attempt === 0) {
        unlinkSync(lockPath);
        continue;
      }
      throw new WorkspaceError(
        'locked',
        `${basename(path)} is already open${other.user ? ` by ${other.user}` : ''}${other.host ? ` on ${other.host}` : ''}` +
          `${other.since ? ` since ${other.since}` : ''}. Close it there first, or open a copy. ` +
          `(If nobody has it open, delete ${basename(lockPath)}.)`,
        path,
      );
    }
  }
  throw new WorkspaceError('locked', `${basename(path)} is locked.`, path);
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function releaseLock(path: string): void {
  const lockPath = lockPathFor(path);
  try {
    const info = JSON.parse(readFileSync(lockPath, 'utf8')) as LockInfo;
    if (info.pid === process.pid && info.host === hostname()) unlinkSync(lockPath);
  } catch {
    /* nothing to release */
  }
}

/**
 * Writes bytes so that `path` holds either the old content or the new, never a mix: a temporary file in the same
 * folder, flushed, renamed over the old one, and the folder flushed so the rename itself survives a power cut.
 */
export async function writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fh = await fsp.open(tmp, 'w');
  try {
    await fh.write(bytes);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await fsp.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await fsp.rename(tmp, path);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
  try {
    const dir = await fsp.open(dirname(path), 'r');
    await dir.sync().catch(() => undefined);
    await dir.close();
  } catch {
    /* some file systems cannot open folders; the rename is still atomic */
  }
}

export class WorkspaceFile {
  private closed = false;

  private constructor(
    readonly path: string,
    readonly workspace: Workspace,
    private readonly journal: Journal | undefined,
    readonly readOnly: boolean,
    /** What happened on open, for the user: replayed writes, a migration and its backup. */
    readonly openReport: { replayed: number; damagedJournalTail: boolean; migratedFrom?: number; backup?: string },
  ) {}

  /** Creates a new workspace file with reference data. Refuses to overwrite. */
  static async create(path: string, opts: { name?: string; sql?: SqlJsStatic; seed?: (ws: Workspace) => Promise<void> } = {}): Promise<WorkspaceFile> {
    if (existsSync(path)) {
      throw new WorkspaceError('conflict', `${path} already exists. Choose another name, or delete it first.`, path);
    }
    const SQL = opts.sql ?? (await loadSqlJs());
    const ws = Workspace.create(SQL, { name: opts.name ?? basename(path).replace(/\.assay$/i, '') });
    await ws.write('workspace.create', (tx) => seedReference(tx), { unjournaled: true, actor: 'assay' });
    if (opts.seed) await opts.seed(ws);
    acquireLock(path);
    try {
      await writeAtomic(path, ws.export({ derived: true }));
      ws.markSaved();
    } catch (e) {
      releaseLock(path);
      throw e;
    }
    const journal = new Journal(Journal.pathFor(path));
    await journal.reset();
    ws.setDurability(journal);
    return new WorkspaceFile(path, ws, journal, false, { replayed: 0, damagedJournalTail: false });
  }

  /**
   * Opens a workspace file. Anything that is not an Assay workspace this version can read is refused with a
   * WorkspaceError and left byte-for-byte as it was. An older workspace is copied to a backup before migrating.
   */
  static async open(path: string, opts: OpenOptions = {}): Promise<WorkspaceFile> {
    if (!existsSync(path)) throw new WorkspaceError('not-found', `${path} does not exist.`, path);
    const SQL = opts.sql ?? (await loadSqlJs());
    const readOnly = opts.readOnly ?? false;
    if (!readOnly) acquireLock(path, opts.breakStaleLock ?? true);
    try {
      let bytes: Uint8Array;
      try {
        bytes = await fsp.readFile(path);
      } catch (e) {
        throw new WorkspaceError('io', `${path} could not be read: ${(e as Error).message}`, path);
      }
      const migrations = opts.migrations ?? MIGRATIONS;
      const { workspace, foundVersion, needsMigration } = Workspace.open(SQL, bytes, { file: path, migrations });
      const report: WorkspaceFile['openReport'] = { replayed: 0, damagedJournalTail: false };
      const journalPath = Journal.pathFor(path);
      if (!readOnly || existsSync(journalPath)) {
        // Replay acknowledged writes the last save did not hold, before any migration, so they apply to the schema
        // they were written against.
        const { entries, damagedTail } = Journal.read(journalPath);
        for (const e of entries) if (workspace.replay(e)) report.replayed++;
        report.damagedJournalTail = damagedTail;
      }
      if (needsMigration) {
        if (readOnly) {
          throw new WorkspaceError(
            'invalid',
            `${basename(path)} uses an older workspace format (${foundVersion}); open it in Assay to update it.`,
            path,
          );
        }
        const backup = `${path}.bak-v${foundVersion}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        await fsp.copyFile(path, backup);
        workspace.migrate(migrations);
        report.migratedFrom = foundVersion;
        report.backup = backup;
      }
      let journal: Journal | undefined;
      if (!readOnly) {
        journal = new Journal(journalPath);
        workspace.setDurability(journal);
      }
      const wf = new WorkspaceFile(path, workspace, journal, readOnly, report);
      // Fold what was replayed or migrated into the file now, so the journal starts empty.
      if (!readOnly && (report.replayed > 0 || needsMigration || report.damagedJournalTail)) await wf.save();
      return wf;
    } catch (e) {
      if (!readOnly) releaseLock(path);
      throw e;
    }
  }

  /**
   * Writes the whole database atomically, then empties the journal, which the file now holds in full. `derived`
   * stores derived state (the figure index) too: closing and imports ask for it, autosaves do not.
   */
  async save(opts: { derived?: boolean } = {}): Promise<{ bytes: number; ms: number }> {
    if (this.readOnly) throw new WorkspaceError('invalid', `${basename(this.path)} was opened read-only.`, this.path);
    return this.workspace.exclusive(async () => {
      const t0 = performance.now();
      const bytes = this.workspace.export({ derived: opts.derived ?? false });
      await writeAtomic(this.path, bytes);
      await this.journal?.reset();
      this.workspace.markSaved();
      return { bytes: bytes.length, ms: performance.now() - t0 };
    });
  }

  /** Saves a copy elsewhere without changing which file this workspace is. */
  async saveCopy(dest: string): Promise<void> {
    await this.workspace.exclusive(async () => {
      await writeAtomic(dest, this.workspace.export({ derived: true }));
    });
  }

  /** Saves if anything changed, then releases the journal and the lock. */
  async close(opts: { save?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.readOnly) {
      // Derived state (the figure index) pending is saved too, so the next open is fast; it is not a user change.
      if ((opts.save ?? true) && (this.workspace.isDirty || this.workspace.hasDerivedPending)) await this.save({ derived: true });
      await this.workspace.idle();
      if (!this.workspace.isDirty) await this.journal?.remove();
      else await this.journal?.close();
      releaseLock(this.path);
    }
    this.workspace.close();
  }
}
