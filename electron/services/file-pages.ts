import { closeSync, fstatSync, openSync, readSync, constants as fsc } from 'node:fs';
import { basename } from 'node:path';
import { WorkspaceError } from '../../shared/store/errors';
import type { PagedSource } from '../../shared/store/workspace';

/**
 * A workspace file read as SQLite asks for its pages, for read-only opens (the `assay` command in a pipeline): a
 * figure index, the register and a report's tables are read, and the rest of a 100 or 400 MB file (most of it the
 * ratings, which the stored index stands for) never is. Memory stays near what is used, not the file's size.
 *
 * How: sql.js keeps a database file in its in-memory file system, and that file system asks its file's contents for
 * `subarray(start, end)` on each read, `set(bytes, at)` on each write within the file and `length` to grow it. An
 * object answering those from the open file descriptor stands in for the bytes (handed over through `slice`, which
 * the file system calls on the bytes it is given). Writes (a journal replayed into the read-only copy) are kept in
 * memory: the first one reads the whole file once and from then on it is ordinary bytes. The file is never written.
 *
 * The snapshot: the descriptor stays open, so an Assay save (a new file renamed over this one) never shows through.
 * A program writing into the file in place (sqlite3) while it is read would: every read from the disk checks after
 * it that the file's size and modification time (and, before results are used, SQLite's change counter) are as they
 * were at the start, and otherwise fails the command with a message (what was read before the change was all from one
 * state). The change time is not compared: a save renaming a new file over this one changes the old file's.
 */

/** Pages are read in blocks of this size and the most recent kept, so a run of neighbouring pages is one read. */
const BLOCK = 16 * 1024;
const BLOCKS_KEPT = 64;
/** How often reads from the disk check that no other program has written to the file meanwhile. */
const CHECK_EVERY_MS = 5;

export interface FilePagesStats {
  /** Bytes read from the disk. */
  bytesRead: number;
  reads: number;
  /** True once a write made it read the whole file into memory. */
  materialised: boolean;
}

/** What says the file is as it was when opened (its size is `size`). */
interface Stamp {
  mtimeNs: bigint;
  counter: number;
}

export class FilePages implements PagedSource {
  readonly size: number;
  readonly sqlData: unknown;
  private fd: number | undefined;
  private readonly stamp: Stamp;
  private readonly blocks = new Map<number, Buffer>();
  private whole: Uint8Array | undefined;
  private readonly counters: FilePagesStats = { bytesRead: 0, reads: 0, materialised: false };
  private checkedAt = 0;
  /** The last block read from the disk, and how many blocks the next read of the one after it takes. */
  private lastMissed = -2;
  private run = 1;

  /** Opens `real` (a regular file, already checked) for reading; `path` names it in messages. */
  constructor(
    private readonly path: string,
    real: string,
  ) {
    this.fd = openSync(real, fsc.O_RDONLY);
    try {
      const st = fstatSync(this.fd, { bigint: true });
      this.size = Number(st.size);
      this.stamp = { mtimeNs: st.mtimeNs, counter: this.counterNow() };
    } catch (e) {
      this.close();
      throw e;
    }
    this.sqlData = this.contents();
  }

  /** The first `n` bytes (the header). */
  head(n: number): Uint8Array {
    return this.read(0, Math.min(n, this.size));
  }

  stats(): FilePagesStats {
    return { ...this.counters };
  }

  /**
   * Throws, naming the file, if another program has written to it since it was opened. `counter` also compares
   * SQLite's change counter (one more read); after reads from the disk, only the size and modification time are.
   */
  checkUnchanged(opts: { counter?: boolean } = { counter: true }): void {
    if (this.fd === undefined) return;
    const st = fstatSync(this.fd, { bigint: true });
    this.checkedAt = performance.now();
    const counter = opts.counter ? this.counterNow() : this.stamp.counter;
    if (Number(st.size) !== this.size || st.mtimeNs !== this.stamp.mtimeNs || counter !== this.stamp.counter) {
      throw new WorkspaceError(
        'io',
        `${basename(this.path)} was changed by another program while Assay was reading it, so what was read may not be from one state of the file. ` +
          'Nothing was written. Run the command again once the other program has finished.',
        this.path,
      );
    }
  }

  /**
   * After a read from the disk: the file's size and modification time compared with those at the start, at most
   * every few milliseconds (a check per page would double the reads). A write into the file between two checks is
   * still caught by the next one, or by the final check before anything read is used (WorkspaceFile.checkUnchanged).
   */
  private afterRead(): void {
    if (performance.now() - this.checkedAt >= CHECK_EVERY_MS) this.checkUnchanged({ counter: false });
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    this.blocks.clear();
  }

  /** SQLite's file change counter (header bytes 24 to 27), read from the disk, not the blocks kept. */
  private counterNow(): number {
    if (this.size < 28 || this.fd === undefined) return 0;
    const b = Buffer.alloc(4);
    readSync(this.fd, b, 0, 4, 24);
    return b.readUInt32BE(0);
  }

  private block(n: number): Buffer {
    const kept = this.blocks.get(n);
    if (kept) {
      // Most recently used last.
      this.blocks.delete(n);
      this.blocks.set(n, kept);
      return kept;
    }
    if (this.fd === undefined) throw new WorkspaceError('io', `${basename(this.path)} was read after it was closed.`, this.path);
    // A run of neighbouring blocks (a long value's overflow pages, a table scanned in order) is read ahead, doubling
    // up to a quarter of the blocks kept; a jump elsewhere starts again at one block.
    this.run = n === this.lastMissed + 1 ? Math.min(this.run * 2, BLOCKS_KEPT / 4) : 1;
    this.lastMissed = n;
    const start = n * BLOCK;
    const len = Math.min(BLOCK * this.run, this.size - start);
    const buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const r = readSync(this.fd, buf, got, len - got, start + got);
      if (r === 0) break;
      got += r;
    }
    this.counters.reads++;
    this.counters.bytesRead += got;
    if (got < len) {
      throw new WorkspaceError('io', `${basename(this.path)} could not be read: it became shorter while Assay was reading it.`, this.path);
    }
    this.afterRead();
    for (let k = 0; k * BLOCK < len; k++) {
      this.blocks.set(n + k, buf.subarray(k * BLOCK, Math.min(len, (k + 1) * BLOCK)));
      if (k > 0) this.lastMissed = n + k;
    }
    while (this.blocks.size > BLOCKS_KEPT) this.blocks.delete(this.blocks.keys().next().value!);
    return this.blocks.get(n)!;
  }

  /** Bytes [start, end) of the file (or of the copy in memory once written to). */
  private read(start: number, end: number): Uint8Array {
    if (this.whole) return this.whole.subarray(start, end);
    const e = Math.min(end, this.size);
    if (e <= start) return new Uint8Array(0);
    const first = Math.floor(start / BLOCK);
    const last = Math.floor((e - 1) / BLOCK);
    if (first === last) {
      const b = this.block(first);
      return b.subarray(start - first * BLOCK, e - first * BLOCK);
    }
    if (e - start > BLOCK * BLOCKS_KEPT) return this.readDirect(start, e);
    const out = new Uint8Array(e - start);
    for (let n = first; n <= last; n++) {
      const b = this.block(n);
      const from = Math.max(start, n * BLOCK);
      const to = Math.min(e, (n + 1) * BLOCK);
      out.set(b.subarray(from - n * BLOCK, to - n * BLOCK), from - start);
    }
    return out;
  }

  /** A long range (the whole file, for an export of the database) read straight into one buffer. */
  private readDirect(start: number, end: number): Uint8Array {
    if (this.fd === undefined) throw new WorkspaceError('io', `${basename(this.path)} was read after it was closed.`, this.path);
    const out = Buffer.allocUnsafe(end - start);
    let got = 0;
    while (got < out.length) {
      const r = readSync(this.fd, out, got, Math.min(out.length - got, 1 << 30), start + got);
      if (r === 0) throw new WorkspaceError('io', `${basename(this.path)} could not be read: it became shorter while Assay was reading it.`, this.path);
      got += r;
    }
    this.counters.reads++;
    this.counters.bytesRead += got;
    this.afterRead();
    return out;
  }

  /** From the first write on, the file lives in memory (the disk is never written). */
  private materialise(): Uint8Array {
    if (!this.whole) {
      this.whole = new Uint8Array(this.readDirect(0, this.size));
      this.counters.materialised = true;
      this.blocks.clear();
    }
    return this.whole;
  }

  /**
   * The object sql.js's in-memory file system takes for the file's bytes. It reads `length`, `subarray`, `set`, and
   * single bytes by index for reads of eight bytes or fewer; `slice` hands this object itself over when the file is
   * created from it (instead of a copy).
   */
  private contents(): unknown {
    const pages = this;
    const target = {
      get length() {
        return pages.whole ? pages.whole.length : pages.size;
      },
      subarray(start = 0, end = pages.whole ? pages.whole.length : pages.size) {
        return pages.read(start, end);
      },
      set(src: ArrayLike<number>, at = 0) {
        pages.materialise().set(src, at);
      },
      slice(start = 0, end = pages.size) {
        if (start === 0 && end === pages.size && !pages.whole) return proxy;
        return pages.read(start, end).slice();
      },
    };
    const proxy: unknown = new Proxy(target, {
      get(t, key, receiver) {
        if (typeof key === 'string' && key.length > 0 && key.length < 17 && key.charCodeAt(0) >= 48 && key.charCodeAt(0) <= 57) {
          const i = Number(key);
          if (Number.isInteger(i)) return pages.read(i, i + 1)[0];
        }
        return Reflect.get(t, key, receiver);
      },
      set(t, key, value, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) {
          pages.materialise()[Number(key)] = Number(value);
          return true;
        }
        return Reflect.set(t, key, value, receiver);
      },
    });
    return proxy;
  }
}
