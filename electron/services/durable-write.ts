import { promises as fsp, constants as fsc } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { WorkspaceError } from '../../shared/store/errors';

/**
 * The few file operations durable writing needs, so that tests can put a file system that fails (short writes,
 * ENOSPC, EIO) at any step underneath the real code. {@link nodeFs} is the real one.
 */
export interface DurableHandle {
  write(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  datasync(): Promise<void>;
  /** `nlink` 0 means the file has been deleted while open (absent when the file system cannot say). */
  stat(): Promise<{ size: number; nlink?: number }>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

export interface DurableFs {
  open(path: string, flags: string | number, mode?: number): Promise<DurableHandle>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; a file that is already gone is not an error. */
  rm(path: string): Promise<void>;
}

export const nodeFs: DurableFs = {
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  rename: (from, to) => fsp.rename(from, to),
  rm: (path) => fsp.rm(path, { force: true }),
};

export interface DurableWriteOptions {
  fs?: DurableFs;
  /**
   * Where the caller's data is still safe when this write fails, named in the message (a workspace save names its
   * journal: "your changes are kept in w.assay.assay-journal").
   */
  keptIn?: string;
}

const errnoCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

/** An error the kernel gives for a full disk or quota; Node reports both as ordinary errors with these codes. */
export function isDiskFull(e: unknown): boolean {
  const c = errnoCode(e);
  return c === 'ENOSPC' || c === 'EDQUOT';
}

/**
 * Turns a failed write into a WorkspaceError that says what happened, that the previous copy is untouched, and where
 * the user's changes still are.
 */
export function writeFailure(e: unknown, file: string, opts: { keptIn?: string | undefined } = {}): WorkspaceError {
  if (e instanceof WorkspaceError) return e;
  const name = basename(file);
  const verb = opts.keptIn ? 'saved' : 'written';
  const unchanged = 'and nothing already on disk was changed.';
  if (isDiskFull(e)) {
    const next = opts.keptIn ? `Your changes are kept in ${opts.keptIn}; free some space and save again.` : 'Free some space and try again.';
    return new WorkspaceError('io', `The disk is full: ${name} could not be ${verb}, ${unchanged} ${next}`, file);
  }
  const code = errnoCode(e);
  const what =
    code === 'EIO' ? 'the disk reported an input/output error' : code === 'EROFS' ? 'the disk is read-only' : (e as Error).message;
  const next = opts.keptIn ? `Your changes are kept in ${opts.keptIn}; check the disk and save again.` : 'Check the disk and try again.';
  return new WorkspaceError('io', `${name} could not be ${verb} (${what}), ${unchanged} ${next}`, file);
}

/** Writes every byte of `bytes` at `position` onwards (or at the end, for a file opened to append), however short each write is. */
export async function writeFully(h: DurableHandle, bytes: Uint8Array, position: number | null): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await h.write(bytes, done, bytes.length - done, position === null ? null : position + done);
    // A regular file that takes nothing has no room left: looping again would spin for ever.
    if (!(bytesWritten > 0)) throw Object.assign(new Error('no space left on device (a write stored nothing)'), { code: 'ENOSPC' });
    done += bytesWritten;
  }
}

/**
 * Where a write to `path` must really go: a symbolic link is followed, so saving through it updates the file it points
 * to and the link stays a link. A link whose target does not exist yet resolves to that target's path.
 */
export async function resolveTarget(path: string): Promise<string> {
  let p = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let st;
    try {
      st = await fsp.lstat(p);
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return join(await realDir(dirname(p)), basename(p));
      throw e;
    }
    if (!st.isSymbolicLink()) return fsp.realpath(p);
    p = resolve(dirname(p), await fsp.readlink(p));
  }
  throw new WorkspaceError('invalid', `${basename(path)} is a chain of symbolic links that never reaches a file.`, path);
}

async function realDir(dir: string): Promise<string> {
  try {
    return await fsp.realpath(dir);
  } catch {
    return dir;
  }
}

const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
/** Long names are cut so that the temporary name stays within the 255 bytes most file systems allow. */
const tempStem = (target: string): string => `.${basename(target).slice(0, 160)}.`;

/**
 * The temporary file a write goes through, beside its target (a rename only replaces atomically within one file
 * system). The host and pid in the name let a later open tell a crashed write's leftover from one in progress.
 */
export function tempPathFor(target: string): string {
  return join(dirname(target), `${tempStem(target)}${HOST_TAG}.${process.pid}.${Date.now()}.${randomBytes(3).toString('hex')}.tmp`);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoCode(e) === 'EPERM';
  }
}

/**
 * Removes temporary files that writes to `target` left behind when they were killed: those from a process on this host
 * that no longer runs, and any older than `maxAgeMs` (from another host, whose pid cannot be checked). Also matches the
 * older `.<name>.<pid>.<ms>.tmp` names. Returns the names removed.
 */
export async function removeStaleTempFiles(target: string, opts: { maxAgeMs?: number; now?: number } = {}): Promise<string[]> {
  const maxAge = opts.maxAgeMs ?? 10 * 60_000;
  const now = opts.now ?? Date.now();
  const stem = tempStem(target);
  const dir = dirname(target);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(stem) || !name.endsWith('.tmp')) continue;
    const m = /^(?:([0-9a-f]{8})\.)?(\d+)\.(\d+)(?:\.[0-9a-f]+)?\.tmp$/.exec(name.slice(stem.length));
    if (!m) continue;
    const [, host, pidText, msText] = m;
    const pid = Number(pidText);
    let stale = now - Number(msText) > maxAge;
    if (!stale && host === HOST_TAG && pid !== process.pid && !pidAlive(pid)) stale = true;
    if (!stale) continue;
    const p = join(dir, name);
    try {
      const st = await fsp.lstat(p);
      if (!st.isFile()) continue;
      await fsp.rm(p, { force: true });
      removed.push(name);
    } catch {
      /* another process cleaned it first */
    }
  }
  return removed;
}

/**
 * Replaces `path` with `bytes` so that it holds either the old content or the new, never a mix, and never less than
 * every byte: a temporary file beside the target, written in full however short each write is, flushed, its size
 * checked against what was meant, then renamed over the target and the folder flushed so the rename itself survives
 * a power cut. On any failure (a full disk, an I/O error) the temporary file is removed, the old file is left exactly
 * as it was, and a WorkspaceError says so. Every file Assay writes goes through here.
 */
export async function writeDurable(path: string, bytes: Uint8Array, opts: DurableWriteOptions = {}): Promise<void> {
  const fs = opts.fs ?? nodeFs;
  const target = await resolveTarget(path);
  let mode: number | undefined;
  try {
    const st = await fsp.stat(target);
    if (st.isDirectory()) throw new WorkspaceError('invalid', `${basename(path)} is a folder, so Assay cannot write a file there. Choose another name.`, path);
    if (!st.isFile()) throw new WorkspaceError('invalid', `${basename(path)} is not an ordinary file (it is a device, pipe or socket), so Assay will not write to it.`, path);
    // Root may write anything, so the permission bits, not access(), say whether the owner meant the file to change.
    if ((st.mode & 0o222) === 0) {
      throw new WorkspaceError(
        'invalid',
        `${basename(path)} is read-only, so Assay has not changed it.${opts.keptIn ? ` Your changes are kept in ${opts.keptIn}.` : ''} ` +
          'Make it writable, or save to another file.',
        path,
      );
    }
    mode = st.mode & 0o7777;
  } catch (e) {
    if (e instanceof WorkspaceError) throw e;
    if (errnoCode(e) !== 'ENOENT') throw writeFailure(e, path, { keptIn: opts.keptIn });
  }

  const tmp = tempPathFor(target);
  let handle: DurableHandle | undefined;
  let created = false;
  try {
    handle = await fs.open(tmp, 'wx', mode ?? 0o666);
    created = true;
    // The umask applies on create; a shared file's group-write bit must survive a save.
    if (mode !== undefined) await fsp.chmod(tmp, mode).catch(() => undefined);
    await writeFully(handle, bytes, 0);
    await handle.sync();
    // A file system that acknowledged bytes it did not keep is caught here, before the old file is replaced.
    const { size } = await handle.stat();
    if (size !== bytes.length) throw new Error(`the disk holds ${size} of its ${bytes.length} bytes`);
    const h = handle;
    handle = undefined;
    // Network file systems report deferred write errors at close, so close must succeed before the rename.
    await h.close();
    await fs.rename(tmp, target);
    created = false;
  } catch (e) {
    if (handle) await handle.close().catch(() => undefined);
    if (created) await fs.rm(tmp).catch(() => undefined);
    throw writeFailure(e, path, { keptIn: opts.keptIn });
  }
  await syncFolder(fs, dirname(target));
}

/**
 * Flushes a folder so a rename in it survives a power cut. The rename has already happened and cannot be undone, so a
 * failure here (some file systems cannot open or flush folders) is not reported as a failed write.
 */
export async function syncFolder(fs: DurableFs, dir: string): Promise<void> {
  let h: DurableHandle | undefined;
  try {
    h = await fs.open(dir, fsc.O_RDONLY);
    await h.sync();
  } catch {
    /* see above */
  } finally {
    await h?.close().catch(() => undefined);
  }
}
