import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { MAX_IMPORT_FILE_BYTES } from '../../../../shared/ipc/contract';
import { AppError } from '../ipc/errors';
import type { AppSession } from '../session/session';

/**
 * Files opened for import, held by handle between the import wizard's steps (open, preview, run), so their bytes
 * cross into the host once: read by main from the path its own dialog chose, or uploaded once by the loopback host's
 * page. Never sent through the contract. Held in memory, so bounded: a size cap per file and in all, and an expiry.
 */

export { MAX_IMPORT_FILE_BYTES };
/** A file unused this long is let go; the wizard then asks for it again. */
export const IMPORT_FILE_TTL_MS = 30 * 60 * 1000;

export interface ImportFile {
  readonly handle: string;
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

interface Held extends ImportFile {
  usedAt: number;
}

export interface ImportFilesOptions {
  maxFileBytes?: number;
  /** All files held together; opening one evicts the least recently used until it fits. */
  maxTotalBytes?: number;
  ttlMs?: number;
  now?: () => number;
}

function mb(n: number): string {
  return `${(n / (1024 * 1024)).toLocaleString('en-GB', { maximumFractionDigits: 1 })} MB`;
}

export function tooLarge(fileName: string, size: number, max = MAX_IMPORT_FILE_BYTES): AppError {
  return new AppError('invalid', `${fileName} is ${mb(size)}; the import wizard takes files up to ${mb(max)}. Import larger files with \`assay import\`.`, {
    file: 'is too large',
  });
}

export class ImportFiles {
  private files = new Map<string, Held>();
  private timer: NodeJS.Timeout | undefined;
  private readonly maxFileBytes: number;
  private readonly maxTotalBytes: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(opts: ImportFilesOptions = {}) {
    this.maxFileBytes = opts.maxFileBytes ?? MAX_IMPORT_FILE_BYTES;
    this.maxTotalBytes = opts.maxTotalBytes ?? this.maxFileBytes;
    this.ttlMs = opts.ttlMs ?? IMPORT_FILE_TTL_MS;
    this.now = opts.now ?? Date.now;
  }

  get maxBytes(): number {
    return this.maxFileBytes;
  }

  /** Holds a file's bytes and returns its handle. */
  add(fileName: string, bytes: Uint8Array): ImportFile {
    const name = basename(fileName.replace(/\\/g, '/')).trim() || 'file.csv';
    if (bytes.length === 0) throw new AppError('invalid', `${name} is empty.`, { file: 'is empty' });
    if (bytes.length > this.maxFileBytes) throw tooLarge(name, bytes.length, this.maxFileBytes);
    this.sweep();
    // Least recently used first (a Map keeps insertion order, and get() re-inserts).
    for (const h of [...this.files.keys()]) {
      if (this.total() + bytes.length <= this.maxTotalBytes) break;
      this.files.delete(h);
    }
    const file: Held = { handle: randomBytes(18).toString('base64url'), fileName: name, bytes, usedAt: this.now() };
    this.files.set(file.handle, file);
    this.arm();
    return file;
  }

  /** The file a handle names; refused when it was never opened, has expired, or was imported. */
  get(handle: string): ImportFile {
    this.sweep();
    const f = this.files.get(handle);
    if (!f) {
      throw new AppError('not-found', 'The file is no longer open for import (files are let go after an import, or after 30 minutes unused): choose it again.', {
        handle: 'is not open',
      });
    }
    f.usedAt = this.now();
    this.files.delete(handle);
    this.files.set(handle, f);
    return f;
  }

  release(handle: string): void {
    this.files.delete(handle);
    if (this.files.size === 0) this.disarm();
  }

  clear(): void {
    this.files.clear();
    this.disarm();
  }

  get size(): number {
    return this.files.size;
  }

  private total(): number {
    let n = 0;
    for (const f of this.files.values()) n += f.bytes.length;
    return n;
  }

  private sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [h, f] of this.files) if (f.usedAt <= cutoff) this.files.delete(h);
  }

  /** One timer for the earliest expiry, so memory goes back even if the wizard is never used again. */
  private arm(): void {
    this.disarm();
    if (this.files.size === 0) return;
    const first = Math.min(...[...this.files.values()].map((f) => f.usedAt));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sweep();
      this.arm();
    }, Math.max(1000, first + this.ttlMs - this.now() + 1000));
    this.timer.unref?.();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

const stores = new WeakMap<AppSession, ImportFiles>();

/** The open workspace's files held for import (one store per session, gone with it). */
export function importFilesOf(session: AppSession): ImportFiles {
  let s = stores.get(session);
  if (!s) stores.set(session, (s = new ImportFiles()));
  return s;
}

/** Reads a file the host's own dialog chose, refusing one over the cap before reading any of it. */
export async function readImportFile(path: string, max = MAX_IMPORT_FILE_BYTES): Promise<{ fileName: string; bytes: Uint8Array }> {
  const fileName = basename(path);
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size > max) throw tooLarge(fileName, size, max);
    const bytes = new Uint8Array(size);
    let read = 0;
    while (read < size) {
      const r = await fh.read(bytes, read, size - read, read);
      if (r.bytesRead === 0) break;
      read += r.bytesRead;
    }
    return { fileName, bytes: read === size ? bytes : bytes.subarray(0, read) };
  } finally {
    await fh.close();
  }
}
