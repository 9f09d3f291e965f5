import { promises as fsp, constants as fsc, existsSync, openSync, closeSync, writeFileSync, linkSync, readFileSync, readSync, rmSync, unlinkSync, fsyncSync, fstatSync, statSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { hostname, userInfo } from 'node:os';
import type { SqlJsStatic } from 'sql.js';
import { Workspace } from '../../shared/store/workspace';
import { WorkspaceError, isWorkspaceError } from '../../shared/store/errors';
import { MIGRATIONS, type Migration } from '../../shared/store/schema';
import { seedReference } from '../../shared/store/reference';
import { FilePages, type FilePagesStats } from './file-pages';
import { Journal } from './journal';
import { nodeFs, removeStaleTempFiles, resolveTarget, syncFolder, tempPathFor, writeDurable, writeFailure, type DurableFs, type DurableWriteOptions } from './durable-write';
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
  /**
   * Read-only opens read the file a page at a time as SQLite asks (default); false reads it whole first, as writable
   * opens do.
   */
  paged?: boolean;
  /** Take over a lock left by a process on this machine that no longer runs (default true). */
  breakStaleLock?: boolean;
  migrations?: readonly Migration[];
  sql?: SqlJsStatic;
  /**
   * Open a workspace whose journal has a line that cannot be applied: the lines before it are applied, and that line
   * and everything after it are moved to a side file beside the journal (`<journal>.rest-<time>`) and kept. Without
   * this such a workspace is refused with a message naming the journal and the line.
   */
  setAsideJournalRest?: boolean;
  /** The file system saves and the journal go through; tests pass one that fails on purpose. */
  fs?: DurableFs;
  /**
   * The sqlite3 program that rolls back a SQLite journal (or folds in a write-ahead log) left beside the file by
   * another program; default `sqlite3` on the PATH; null when there is none.
   */
  sqlite3?: string | null;
}

/** What happened on open, for the user: every field has a plain-English line in `messages`. */
export interface OpenReport {
  /** Journal entries applied because the file did not hold them yet. */
  replayed: number;
  /** The journal's last line was torn (a crash mid-append): that write was never acknowledged and was left out. */
  damagedJournalTail: boolean;
  migratedFrom?: number;
  backup?: string;
  /** A journal that was not applied (or not all of it), and where it was kept. */
  journalSetAside?: { reason: 'foreign' | 'other-save' | 'bad-line'; keptAs: string; line?: number };
  /** The journal was found under its old name, `<file>-journal`, and renamed. */
  legacyJournalMigrated?: boolean;
  /** sqlite3 rolled back a SQLite journal, or folded in a write-ahead log, left by another program. */
  sqliteRecovered?: 'journal' | 'wal';
  /** Temporary files of interrupted saves that were removed. */
  staleTempFiles?: number;
  /** Replayed changes could not be saved into the file yet (a full disk): they stay in the journal. */
  foldInFailed?: string;
  messages: string[];
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
      createLockFile(lockPath, JSON.stringify(me));
      return me;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw writeFailure(e, lockPath);
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

/**
 * Creates the lock file with its content in one step: written beside it, then hard-linked into place, which fails if a
 * lock is already there. A lock created empty and filled afterwards would, after a crash in between, be a lock nobody
 * can tell is stale. File systems without hard links (FAT, some network shares) get an exclusive create instead.
 */
function createLockFile(lockPath: string, text: string): void {
  const tmp = tempPathFor(lockPath);
  try {
    writeSmallFile(tmp, text);
    try {
      linkSync(tmp, lockPath);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw e;
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  try {
    writeSmallFile(lockPath, text);
  } catch (e) {
    // An empty lock left by a failed write would look like someone else's lock for ever.
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(lockPath, { force: true });
    throw e;
  }
}

/** Creates a file that must not exist yet, with every byte written and flushed. */
function writeSmallFile(path: string, text: string): void {
  const fd = openSync(path, 'wx');
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
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
 * Writes bytes so that `path` holds either the old content or the new, never a mix and never short: see
 * {@link writeDurable}, which every file Assay writes goes through.
 */
export async function writeAtomic(path: string, bytes: Uint8Array, opts: DurableWriteOptions = {}): Promise<void> {
  await writeDurable(path, bytes, opts);
}

/** A time for side-file names: sortable, and legal on every file system (no colons). */
const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-');

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function errnoCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

function kindOf(st: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a file';
}

/**
 * Where the workspace really is (symbolic links followed), after checking, without reading a byte, that it is an
 * ordinary file: reading a pipe would wait for ever, and a device such as /dev/zero never ends.
 */
async function regularFile(path: string, readOnly: boolean): Promise<string> {
  try {
    await fsp.lstat(path);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') throw new WorkspaceError('not-found', `${path} does not exist.`, path);
    throw new WorkspaceError('io', `${path} could not be read: ${(e as Error).message}`, path);
  }
  const real = await resolveTarget(path);
  let st;
  try {
    st = await fsp.stat(real);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') throw new WorkspaceError('not-found', `${path} is a link to ${real}, which does not exist.`, path);
    throw new WorkspaceError('io', `${path} could not be read: ${(e as Error).message}`, path);
  }
  if (st.isDirectory()) throw new WorkspaceError('invalid', `${path} is a folder, not an Assay workspace file.`, path);
  if (!st.isFile()) {
    throw new WorkspaceError('invalid', `${path} is ${kindOf(st)}, not an ordinary file, so it is not an Assay workspace. Assay has not read from it.`, path);
  }
  if (!readOnly && (st.mode & 0o222) === 0) {
    throw new WorkspaceError('invalid', `${basename(path)} is read-only, so Assay could not save changes to it. Make it writable, or open a copy.`, path);
  }
  return real;
}

/** Reads the file through a descriptor checked to be an ordinary file, so nothing can swap a pipe in after the check. */
async function readRegular(path: string, real: string): Promise<Uint8Array> {
  let fh;
  try {
    fh = await fsp.open(real, fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0));
    const st = await fh.stat();
    if (!st.isFile()) throw new WorkspaceError('invalid', `${path} is ${kindOf(st)}, not an ordinary file, so it is not an Assay workspace.`, path);
    return await fh.readFile();
  } catch (e) {
    if (isWorkspaceError(e)) throw e;
    throw new WorkspaceError('io', `${path} could not be read: ${(e as Error).message}`, path);
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** The first bytes of a file, or undefined when there is no ordinary file there. Never reads more than asked. */
function headOf(path: string, length: number): { head: Buffer; size: number } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    const head = Buffer.alloc(Math.min(length, st.size));
    const n = readSync(fd, head, 0, head.length, 0);
    return { head: head.subarray(0, n), size: st.size };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** SQLite's own test for a journal it must roll back: there, not empty, and its header not zeroed. */
function hotSqliteJournal(real: string): boolean {
  const h = headOf(Journal.legacyPathFor(real), 8);
  return h !== undefined && Journal.isSqliteJournal(h.head);
}

function runSqlite3(bin: string, file: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    execFile(bin, ['-batch', '-bail', '-cmd', '.timeout 5000', file, 'PRAGMA integrity_check;'], { timeout: 120_000, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      if (err) fail(Object.assign(err, { stderr: String(stderr) }));
      else done({ stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/**
 * SQLite's files beside the workspace, before a byte of it is read. Assay's journal under its old name
 * (`<file>-journal`, recognised by its lines) is renamed, because SQLite deletes a `-journal` it does not recognise.
 * A real SQLite rollback journal, or a write-ahead log, means another program stopped part-way (or is still at work):
 * the file may be half-changed, or lack committed changes, until SQLite deals with it. sql.js has no file system and
 * cannot, so the sqlite3 program is run on the file; without it the open is refused. SQLite's files are never deleted
 * here: only SQLite knows whether they are needed. Returns the journal to read.
 */
async function prepareSidecars(path: string, real: string, readOnly: boolean, opts: OpenOptions, fs: DurableFs, report: OpenReport): Promise<string> {
  const name = basename(path);
  const journalPath = Journal.pathFor(real);
  const legacyPath = Journal.legacyPathFor(real);
  let readFrom = journalPath;
  const legacy = headOf(legacyPath, 8);
  const hot = legacy !== undefined && Journal.isSqliteJournal(legacy.head);
  if (legacy && !hot && legacy.size > 0 && Journal.isAssayJournal(readFileSync(legacyPath))) {
    const current = existsSync(journalPath) ? Journal.read(journalPath) : undefined;
    const currentHolds = current !== undefined && (current.entries.length > 0 || current.bad !== undefined || current.damagedTail);
    if (currentHolds) {
      throw new WorkspaceError(
        'conflict',
        `${name} has two journals: ${basename(legacyPath)}, from an earlier version of Assay, and ${basename(journalPath)}. ` +
          'Assay cannot tell which holds the latest changes. Move the one you do not need to another folder, then open the workspace again.',
        path,
      );
    }
    if (readOnly) {
      readFrom = legacyPath;
    } else {
      await fs.rename(legacyPath, journalPath);
      await syncFolder(fs, dirname(real));
      report.legacyJournalMigrated = true;
      report.messages.push(
        `The journal was renamed from ${basename(legacyPath)} (its name in earlier versions of Assay) to ${basename(journalPath)}, so that SQLite tools cannot mistake it for their own.`,
      );
    }
  }
  const wal = sizeOf(`${real}-wal`) > 0;
  if (!hot && !wal) return readFrom;

  const kind = hot ? 'journal' : 'wal';
  const sidecar = hot ? basename(legacyPath) : `${basename(real)}-wal`;
  const what = hot
    ? `a SQLite rollback journal (${sidecar}) left by a program that stopped in the middle of changing the file, so the file may be half-changed until SQLite rolls it back`
    : `a SQLite write-ahead log (${sidecar}) holding changes another program made that are not in the file itself yet`;
  const bin = opts.sqlite3 === undefined ? 'sqlite3' : opts.sqlite3;
  const cannot = (): WorkspaceError =>
    new WorkspaceError(
      'invalid',
      `${name} cannot be opened yet: beside it is ${what}. Assay cannot do that itself, and the sqlite3 program was not found. ` +
        `Open the file once with sqlite3 (for example: sqlite3 "${path}" "PRAGMA integrity_check"), which ${hot ? 'rolls the journal back' : 'brings those changes into the file'}, ` +
        `then open it in Assay again. Only if you know ${sidecar} is stale, move it to another folder instead. Nothing has been changed.`,
      path,
    );
  if (bin === null) throw cannot();
  let out: { stdout: string };
  try {
    out = await runSqlite3(bin, real);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') throw cannot();
    const said = String((e as { stderr?: string }).stderr ?? '').trim() || (e as Error).message;
    throw new WorkspaceError(
      'locked',
      `${name} cannot be opened yet: beside it is ${what}, and sqlite3 could not deal with it (${said}). ` +
        'If another program has the file open, close it and try again. Nothing has been changed.',
      path,
    );
  }
  const verdict = out.stdout.trim();
  if (verdict !== 'ok') {
    throw new WorkspaceError('corrupt', `${name} is damaged: after SQLite ${hot ? 'rolled back its journal' : 'read its write-ahead log'}, its integrity check said: ${verdict.split('\n')[0]}`, path);
  }
  // A journal still hot, or a log still there, means another program holds the file open and is changing it now.
  if ((hot && hotSqliteJournal(real)) || sizeOf(`${real}-wal`) > 0) {
    throw new WorkspaceError(
      'locked',
      `${name} is being changed by another program right now (${sidecar} is still in use). Close that program, then open the workspace again. Nothing has been changed.`,
      path,
    );
  }
  report.sqliteRecovered = kind;
  report.messages.push(
    hot
      ? `${name} had a SQLite rollback journal left by another program that stopped part-way; sqlite3 rolled its unfinished changes back before Assay read the file.`
      : `${name} had a SQLite write-ahead log from another program; sqlite3 brought its changes into the file before Assay read it.`,
  );
  return readFrom;
}

/**
 * Applies the journal's acknowledged writes that the file does not hold yet, after checking that the journal belongs
 * to this file. A journal of another workspace, or one that continues a later save than the file on disk, is renamed
 * aside (kept, never replayed). A line that cannot be applied stops the open, unless the caller asked to set the rest
 * aside. Returns whether the file needs saving to hold what was applied, and where a torn tail starts.
 */
async function recoverJournal(
  ws: Workspace,
  path: string,
  journalPath: string,
  readOnly: boolean,
  opts: OpenOptions,
  fs: DurableFs,
  report: OpenReport,
): Promise<{ fold: boolean; tornTailAt?: number }> {
  const name = basename(path);
  const jname = basename(journalPath);
  const c = Journal.read(journalPath);
  const fileSeq = ws.lastSeq;
  const setAside = async (reason: 'foreign' | 'other-save', why: string): Promise<void> => {
    const keptAs = readOnly ? journalPath : `${journalPath}.foreign-${stamp()}`;
    if (!readOnly) {
      await fs.rename(journalPath, keptAs);
      await syncFolder(fs, dirname(journalPath));
    }
    report.journalSetAside = { reason, keptAs };
    report.messages.push(`${jname} ${why}, so none of it was applied.${readOnly ? '' : ` It has been kept as ${basename(keptAs)}.`}`);
  };
  if (c.header && c.header.workspaceId !== ws.workspaceId) {
    await setAside('foreign', `belongs to another workspace (${c.header.workspaceId}), not to ${name}`);
    return { fold: false };
  }
  if (c.header && c.header.baseSeq > fileSeq) {
    await setAside(
      'other-save',
      `continues a later save of this workspace than the file on disk (change ${c.header.baseSeq}; the file holds up to ${fileSeq}): the file may have been replaced by an older copy`,
    );
    return { fold: false };
  }
  let applied = 0;
  let bad = c.bad;
  for (const l of c.entries) {
    try {
      if (ws.replay(l.entry)) applied++;
    } catch (e) {
      bad = { line: l.line, offset: l.offset, reason: `SQLite refused it: ${(e as Error).message}` };
      break;
    }
  }
  report.replayed = applied;
  report.damagedJournalTail = c.damagedTail && !bad;
  if (report.damagedJournalTail) {
    report.messages.push(`The last line of ${jname} was only partly written (Assay stopped while recording a change), so that change, which was never confirmed, was left out.`);
  }
  if (bad) {
    if (!opts.setAsideJournalRest) {
      throw new WorkspaceError(
        'journal-line',
        `${name} was not opened: line ${bad.line} of its journal, ${jname}, cannot be applied (${bad.reason}). ` +
          `The ${plural(applied, 'change')} before that line can be recovered. To open the workspace with ${applied === 1 ? 'it' : 'them'}, and keep line ${bad.line} ` +
          `and everything after it in a separate file beside the journal, open it with the rest of the journal set aside. Nothing has been changed.`,
        path,
      );
    }
    const keptAs = `${journalPath}.rest-${stamp()}`;
    if (!readOnly) {
      // The rest is kept before the journal loses it, so a crash in between leaves it in both places, not neither.
      await writeDurable(keptAs, c.bytes.subarray(bad.offset), { fs });
      await writeDurable(journalPath, c.bytes.subarray(0, bad.offset), { fs });
    }
    report.journalSetAside = { reason: 'bad-line', keptAs: readOnly ? journalPath : keptAs, line: bad.line };
    report.messages.push(
      `Line ${bad.line} of ${jname} could not be applied (${bad.reason}). The ${plural(applied, 'change')} before it ${applied === 1 ? 'was' : 'were'} recovered; ` +
        (readOnly ? 'that line and everything after it were left out.' : `that line and everything after it have been kept in ${basename(keptAs)}.`),
    );
  }
  if (applied > 0) report.messages.push(`${plural(applied, 'change')} that ${applied === 1 ? 'was' : 'were'} not saved in the file yet ${applied === 1 ? 'was' : 'were'} recovered from ${jname}.`);
  return { fold: applied > 0 || c.damagedTail || bad !== undefined, ...(c.damagedTail && !bad ? { tornTailAt: c.goodLength } : {}) };
}

export class WorkspaceFile {
  private closed = false;

  private constructor(
    /** The path the workspace was opened by (a symbolic link stays as given; saves go to its target). */
    readonly path: string,
    /** The file itself, links followed: the lock, the journal and temporary files sit beside it. */
    readonly realPath: string,
    readonly workspace: Workspace,
    private readonly journal: Journal | undefined,
    readonly readOnly: boolean,
    /** What happened on open, for the user: replayed writes, a migration and its backup, journals set aside. */
    readonly openReport: OpenReport,
    private readonly fs: DurableFs,
    /** A read-only workspace's file, read as SQLite asks for its pages; closed with the workspace. */
    private readonly pages?: FilePages,
  ) {}

  /**
   * For a read-only workspace read a page at a time: throws, naming the file, if another program has written to it
   * since it was opened (what was read might then mix two states). Commands call it before they print or write what
   * they computed; closing checks too.
   */
  checkUnchanged(): void {
    this.pages?.checkUnchanged();
  }

  /** How much of the file a read-only open has read so far (undefined when it read the whole file at once). */
  get pagesRead(): FilePagesStats | undefined {
    return this.pages?.stats();
  }

  get journalPath(): string {
    return Journal.pathFor(this.realPath);
  }

  /** Creates a new workspace file with reference data. Refuses to overwrite. */
  static async create(
    path: string,
    opts: { name?: string; sql?: SqlJsStatic; seed?: (ws: Workspace) => Promise<void>; fs?: DurableFs } = {},
  ): Promise<WorkspaceFile> {
    if (existsSync(path)) {
      throw new WorkspaceError('conflict', `${path} already exists. Choose another name, or delete it first.`, path);
    }
    const fs = opts.fs ?? nodeFs;
    const SQL = opts.sql ?? (await loadSqlJs());
    const ws = Workspace.create(SQL, { name: opts.name ?? basename(path).replace(/\.assay$/i, '') });
    await ws.write('workspace.create', (tx) => seedReference(tx), { unjournaled: true, actor: 'assay' });
    if (opts.seed) await opts.seed(ws);
    const real = await resolveTarget(path);
    const journalPath = Journal.pathFor(real);
    const report: OpenReport = { replayed: 0, damagedJournalTail: false, messages: [] };
    acquireLock(real);
    try {
      // A journal left by a deleted workspace of the same name is someone's data: kept aside, never overwritten.
      if (existsSync(journalPath) && sizeOf(journalPath) > 0) {
        const keptAs = `${journalPath}.foreign-${stamp()}`;
        await fs.rename(journalPath, keptAs);
        report.journalSetAside = { reason: 'foreign', keptAs };
        report.messages.push(`A journal left beside ${basename(path)} by an earlier workspace was kept as ${basename(keptAs)}.`);
      }
      await writeDurable(real, ws.export({ derived: true }), { fs });
      ws.markSaved();
    } catch (e) {
      releaseLock(real);
      throw e;
    }
    const journal = new Journal(journalPath, { workspaceId: ws.workspaceId, baseSeq: ws.lastSeq }, fs);
    // Without it the first append starts the journal, header and all; nothing is lost by trying.
    await journal.reset(ws.lastSeq).catch(() => undefined);
    ws.setDurability(journal);
    return new WorkspaceFile(path, real, ws, journal, false, report, fs);
  }

  /**
   * Opens a workspace file. Anything that is not an Assay workspace this version can read is refused with a
   * WorkspaceError and left byte-for-byte as it was. An older workspace is copied to a backup before migrating.
   */
  static async open(path: string, opts: OpenOptions = {}): Promise<WorkspaceFile> {
    const readOnly = opts.readOnly ?? false;
    const fs = opts.fs ?? nodeFs;
    const real = await regularFile(path, readOnly);
    const SQL = opts.sql ?? (await loadSqlJs());
    if (!readOnly) acquireLock(real, opts.breakStaleLock ?? true);
    let workspace: Workspace | undefined;
    let pages: FilePages | undefined;
    try {
      const report: OpenReport = { replayed: 0, damagedJournalTail: false, messages: [] };
      if (!readOnly) {
        const removed: string[] = [];
        for (const p of [real, Journal.pathFor(real), lockPathFor(real)]) removed.push(...(await removeStaleTempFiles(p)));
        if (removed.length > 0) {
          report.staleTempFiles = removed.length;
          report.messages.push(`${plural(removed.length, 'temporary file')} left by an interrupted save ${removed.length === 1 ? 'was' : 'were'} removed.`);
        }
      }
      const readFrom = await prepareSidecars(path, real, readOnly, opts, fs, report);
      // Read-only: SQLite reads the pages it needs from the file (see file-pages.ts); otherwise all of it, to save whole.
      let bytes: Uint8Array | undefined;
      if (readOnly && opts.paged !== false) pages = openPages(path, real);
      else bytes = await readRegular(path, real);
      const migrations = opts.migrations ?? MIGRATIONS;
      const opened = Workspace.open(SQL, pages ?? bytes!, { file: path, migrations });
      workspace = opened.workspace;
      const { foundVersion, needsMigration } = opened;
      const diskSeq = workspace.lastSeq;
      // Replay acknowledged writes the last save did not hold, before any migration, so they apply to the schema
      // they were written against.
      const recovered = await recoverJournal(workspace, path, readFrom, readOnly, opts, fs, report);
      if (needsMigration) {
        if (readOnly) {
          throw new WorkspaceError(
            'invalid',
            `${basename(path)} uses an older workspace format (${foundVersion}); open it in Assay to update it.`,
            path,
          );
        }
        const backup = `${path}.bak-v${foundVersion}-${stamp()}`;
        await writeDurable(backup, bytes!, { fs });
        workspace.migrate(migrations);
        report.migratedFrom = foundVersion;
        report.backup = backup;
      }
      let journal: Journal | undefined;
      if (!readOnly) {
        journal = new Journal(Journal.pathFor(real), { workspaceId: workspace.workspaceId, baseSeq: diskSeq }, fs);
        workspace.setDurability(journal);
      }
      const wf = new WorkspaceFile(path, real, workspace, journal, readOnly, report, fs, pages);
      // Fold what was replayed or migrated into the file now, so the journal starts empty.
      if (journal && (recovered.fold || needsMigration)) {
        try {
          await wf.save();
        } catch (e) {
          // Writes made after a migration could not be replayed onto the old format, so a migration must be saved.
          if (needsMigration || !isWorkspaceError(e) || e.code !== 'io') throw e;
          report.foldInFailed = e.message;
          report.messages.push(`The recovered changes could not be saved into ${basename(path)} yet, and stay safe in ${basename(journal.path)}: ${e.message}`);
          // The next append must not be glued to a torn line.
          if (recovered.tornTailAt !== undefined) await journal.dropTornTail(recovered.tornTailAt);
        }
      }
      return wf;
    } catch (e) {
      workspace?.close();
      pages?.close();
      if (!readOnly) releaseLock(real);
      throw e;
    }
  }

  /**
   * Writes the whole database durably, then starts a new journal, which the file now holds in full. `derived` stores
   * derived state (the figure index) too: closing and imports ask for it, autosaves do not. On any failure the file
   * on disk and the journal are left exactly as they were, so every acknowledged write is still in one of them.
   */
  async save(opts: { derived?: boolean } = {}): Promise<{ bytes: number; ms: number }> {
    if (this.readOnly) throw new WorkspaceError('invalid', `${basename(this.path)} was opened read-only.`, this.path);
    return this.workspace.exclusive(async () => {
      const t0 = performance.now();
      const bytes = this.workspace.export({ derived: opts.derived ?? false });
      const seq = this.workspace.lastSeq;
      await writeDurable(this.realPath, bytes, { fs: this.fs, ...(this.journal ? { keptIn: basename(this.journal.path) } : {}) });
      this.workspace.markSaved();
      try {
        await this.journal?.reset(seq);
      } catch {
        // The old journal holds nothing the file now lacks, and appends go on after it; the next save tries again.
      }
      return { bytes: bytes.length, ms: performance.now() - t0 };
    });
  }

  /** Saves a copy elsewhere without changing which file this workspace is. */
  async saveCopy(dest: string): Promise<void> {
    await this.workspace.exclusive(async () => {
      await writeDurable(dest, this.workspace.export({ derived: true }), { fs: this.fs });
    });
  }

  /**
   * Saves if anything changed, then releases the journal and the lock. A save that fails (a full disk) still releases
   * them, and the error is thrown after: every change is in the journal, which is kept.
   */
  async close(opts: { save?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    let failure: unknown;
    if (!this.readOnly) {
      try {
        // Derived state (the figure index) pending is saved too, so the next open is fast; it is not a user change.
        if ((opts.save ?? true) && (this.workspace.isDirty || this.workspace.hasDerivedPending)) await this.save({ derived: true });
        await this.workspace.idle();
      } catch (e) {
        failure = e;
      }
      try {
        if (!this.workspace.isDirty) await this.journal?.remove();
        else await this.journal?.close();
      } catch (e) {
        failure ??= e;
      }
      releaseLock(this.realPath);
    }
    try {
      this.pages?.checkUnchanged();
    } catch (e) {
      failure ??= e;
    }
    try {
      this.workspace.close();
    } finally {
      this.pages?.close();
    }
    if (failure) throw failure;
  }
}

/** Opens a read-only workspace's file for paged reading, with the same messages as reading it whole. */
function openPages(path: string, real: string): FilePages {
  try {
    return new FilePages(path, real);
  } catch (e) {
    if (isWorkspaceError(e)) throw e;
    throw new WorkspaceError('io', `${path} could not be read: ${(e as Error).message}`, path);
  }
}
