import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync, lstatSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Chart pictures kept between processes: a content-addressed folder under the user's cache folder, shared by the
 * command line and the app. A pipeline that exports a report again after a data change redraws only the charts whose
 * pictures changed; the rest are read back here instead of rasterised again (resvg, about 50 ms a chart).
 *
 * - The key is a hash of everything that makes the picture (the SVG, its size and the rasteriser's version), so an
 *   entry is never out of date; it can only be missing.
 * - Each file holds a checksum of its bytes: a file that does not match (truncated, edited, half-written by a crash
 *   elsewhere) is ignored and written again.
 * - Written atomically (a private temporary file renamed into place), so readers never see part of a file.
 * - The folder is made 0700 and used only when it is a real folder of this user's that no one else can write to: the
 *   pictures go into published documents.
 * - Bounded: past `maxBytes`, the least recently used files (oldest modification time; a hit touches its file) go first.
 * - Never fails an export: a folder that cannot be made, read or written means the picture is simply drawn.
 */

const MAGIC = Buffer.from('assay-chart-1\n', 'latin1');
const SUM = 32;
/** Default bound on the folder's size. */
export const CHART_CACHE_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Where chart pictures are kept: `ASSAY_CHART_CACHE` (a folder, or `off`), else the platform's cache folder:
 * `$XDG_CACHE_HOME/assay/charts` or `~/.cache/assay/charts` on Linux, `~/Library/Caches/assay/charts` on macOS,
 * `%LOCALAPPDATA%\assay\cache\charts` on Windows. Undefined when switched off or no home folder is known.
 */
export function chartCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: () => string = homedir): string | undefined {
  const given = env.ASSAY_CHART_CACHE;
  if (given !== undefined && given !== '') return given === 'off' ? undefined : given;
  let h = '';
  try {
    h = home();
  } catch {
    h = '';
  }
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA || (h && join(h, 'AppData', 'Local'));
    return local ? join(local, 'assay', 'cache', 'charts') : undefined;
  }
  if (platform === 'darwin') return h ? join(h, 'Library', 'Caches', 'assay', 'charts') : undefined;
  const xdg = env.XDG_CACHE_HOME;
  // The XDG specification ignores a relative path.
  if (xdg && xdg.startsWith('/')) return join(xdg, 'assay', 'charts');
  return h ? join(h, '.cache', 'assay', 'charts') : undefined;
}

/** The key of a picture: a SHA-256 of the parts that make it, each length-prefixed so no two lists of parts collide. */
export function chartKey(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${Buffer.byteLength(p)}:`).update(p);
  return h.digest('hex');
}

const KEY = /^[0-9a-f]{64}$/;
const ENTRY = /^[0-9a-f]{64}\.png$/;

export interface ChartCacheStats {
  hits: number;
  misses: number;
  writes: number;
  /** Files found damaged (and ignored). */
  corrupt: number;
  evicted: number;
  /** Why the folder is not used, when it is not. */
  disabled?: string;
}

export class ChartCache {
  readonly stats: ChartCacheStats = { hits: 0, misses: 0, writes: 0, corrupt: 0, evicted: 0 };
  private ready: boolean | undefined;
  /** The folder's size as last counted plus what this process wrote since; counted again when past the bound. */
  private total: number | undefined;

  constructor(
    readonly dir: string | undefined,
    readonly maxBytes: number = CHART_CACHE_MAX_BYTES,
  ) {
    if (!dir) this.stats.disabled = 'switched off';
  }

  /** Makes the folder (0700) on first use, and uses it only when it is this user's own and closed to others. */
  private usable(): boolean {
    if (this.ready !== undefined) return this.ready;
    const dir = this.dir;
    if (!dir) return (this.ready = false);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const st = lstatSync(dir);
      if (!st.isDirectory()) throw new Error('not a folder');
      const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
      if (uid !== undefined && st.uid !== uid) throw new Error('owned by another user');
      if (process.platform !== 'win32' && (st.mode & 0o022) !== 0) throw new Error('others can write to it');
      this.ready = true;
    } catch (e) {
      this.stats.disabled = `${dir}: ${(e as Error).message}`;
      this.ready = false;
    }
    return this.ready;
  }

  /** The picture stored under `key`, checked against its checksum; undefined when absent, damaged or unreadable. */
  get(key: string): Uint8Array | undefined {
    if (!KEY.test(key) || !this.usable()) return undefined;
    const path = join(this.dir!, `${key}.png`);
    let fd: number | undefined;
    try {
      fd = openSync(path, 'r');
      const st = fstatSync(fd);
      if (!st.isFile() || st.size < MAGIC.length + SUM || st.size > this.maxBytes) throw Object.assign(new Error('bad size'), { corrupt: true });
      const buf = Buffer.allocUnsafe(st.size);
      let off = 0;
      while (off < buf.length) {
        const n = readSync(fd, buf, off, buf.length - off, off);
        if (n === 0) break;
        off += n;
      }
      const body = buf.subarray(MAGIC.length + SUM, off);
      const ok =
        off === buf.length &&
        buf.subarray(0, MAGIC.length).equals(MAGIC) &&
        createHash('sha256').update(body).digest().equals(buf.subarray(MAGIC.length, MAGIC.length + SUM));
      if (!ok) throw Object.assign(new Error('checksum'), { corrupt: true });
      this.stats.hits++;
      // Recently used: eviction takes the oldest first.
      const now = new Date();
      try {
        utimesSync(path, now, now);
      } catch {
        /* a read-only folder still serves its pictures */
      }
      return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    } catch (e) {
      if ((e as { corrupt?: boolean }).corrupt) this.stats.corrupt++;
      this.stats.misses++;
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** Stores a picture under `key`, atomically; never throws. A damaged file under that key is replaced. */
  put(key: string, png: Uint8Array): void {
    if (!KEY.test(key) || !this.usable()) return;
    const size = MAGIC.length + SUM + png.byteLength;
    if (size > this.maxBytes) return;
    const dir = this.dir!;
    const tmp = join(dir, `.${key}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const sum = createHash('sha256').update(png).digest();
      writeFileSync(tmp, Buffer.concat([MAGIC, sum, png]), { mode: 0o600, flag: 'wx' });
      renameSync(tmp, join(dir, `${key}.png`));
      this.stats.writes++;
    } catch {
      try {
        unlinkSync(tmp);
      } catch {
        /* never made */
      }
      return;
    }
    if (this.total === undefined || (this.total += size) > this.maxBytes) this.evict();
  }

  /** Removes the least recently used pictures until the folder is within its bound (and stray temporary files). */
  evict(): void {
    if (!this.usable()) return;
    const dir = this.dir!;
    try {
      const entries: { path: string; size: number; mtime: number }[] = [];
      let total = 0;
      const hour = Date.now() - 3_600_000;
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        let st;
        try {
          st = statSync(path);
        } catch {
          continue;
        }
        if (!st.isFile()) continue;
        if (ENTRY.test(name)) {
          entries.push({ path, size: st.size, mtime: st.mtimeMs });
          total += st.size;
        } else if (name.endsWith('.tmp') && st.mtimeMs < hour) {
          // Left by a process that stopped between writing and renaming.
          try {
            unlinkSync(path);
          } catch {
            /* another process's, or gone */
          }
        }
      }
      this.total = total;
      if (total <= this.maxBytes) return;
      entries.sort((a, b) => a.mtime - b.mtime);
      for (const e of entries) {
        if (total <= this.maxBytes) break;
        try {
          unlinkSync(e.path);
          total -= e.size;
          this.total = total;
          this.stats.evicted++;
        } catch {
          /* removed by another process */
        }
      }
    } catch {
      /* an unreadable folder is not the export's problem */
    }
  }
}

let shared: ChartCache | undefined;

/** The process's chart cache, in chartCacheDir() (ASSAY_CHART_CACHE read on first use). */
export function chartCache(): ChartCache {
  return (shared ??= new ChartCache(chartCacheDir()));
}

/** For tests: forget the process's cache, so the next use reads ASSAY_CHART_CACHE again. */
export function resetChartCache(): void {
  shared = undefined;
}
