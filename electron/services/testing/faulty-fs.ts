import { nodeFs, type DurableFs, type DurableHandle } from '../durable-write';

/** A step of durable writing at which a fault can be injected. */
export type FaultStep = 'open' | 'write' | 'sync' | 'datasync' | 'stat' | 'truncate' | 'close' | 'rename' | 'rm';

export interface Fault {
  step: FaultStep;
  /**
   * What goes wrong: an error with this errno code ('ENOSPC', 'EIO'); 'short' (a write stores only half of what it was
   * given and says so, as the kernel does when a disk fills mid-write); 'short-then-ENOSPC' (a short write, then
   * ENOSPC on the next, which is what Node really does on a full disk); 'lie' (a write says it stored everything but
   * stored half, which only the size check can catch); 'wrong-size' (fstat reports one byte fewer).
   */
  kind: 'ENOSPC' | 'EIO' | 'short' | 'short-then-ENOSPC' | 'lie' | 'wrong-size';
  /** Only operations on paths matching this; all paths when absent. */
  path?: RegExp;
  /** Which matching operation fails, counting from 1 after the fault is armed (default: the first). */
  nth?: number;
  /** Keep failing every matching operation from the nth on (default: fail once). */
  persist?: boolean;
}

function errno(code: string, step: string, path: string): NodeJS.ErrnoException {
  const text = code === 'ENOSPC' ? 'no space left on device' : code === 'EIO' ? 'i/o error' : code;
  return Object.assign(new Error(`${code}: ${text}, ${step} '${path}'`), { code, syscall: step, path });
}

/**
 * A real file system (every operation really happens on disk) that fails where it is told to, so the code under test
 * meets short writes, a full disk and I/O errors at each step. `log` records every operation, for tests that check
 * what happened in what order.
 */
export class FaultyFs implements DurableFs {
  private armed: (Fault & { seen: number })[] = [];
  /** Operations that failed because of an injected fault. */
  injected = 0;
  readonly log: string[] = [];

  arm(fault: Fault): void {
    this.armed.push({ ...fault, seen: 0 });
  }

  disarm(): void {
    this.armed = [];
  }

  /** The fault that applies to this operation, if any (and counts it). */
  private hit(step: FaultStep, path: string): Fault | undefined {
    this.log.push(`${step} ${path}`);
    for (const f of this.armed) {
      if (f.step !== step || (f.path && !f.path.test(path))) continue;
      f.seen++;
      const nth = f.nth ?? 1;
      if (f.seen === nth || (f.persist && f.seen > nth)) {
        this.injected++;
        if (!f.persist) this.armed = this.armed.filter((x) => x !== f);
        return f;
      }
    }
    return undefined;
  }

  async open(path: string, flags: string | number, mode?: number): Promise<DurableHandle> {
    const f = this.hit('open', path);
    if (f) throw errno(f.kind === 'EIO' ? 'EIO' : 'ENOSPC', 'open', path);
    const real = await nodeFs.open(path, flags, mode);
    return this.wrap(real, path);
  }

  async rename(from: string, to: string): Promise<void> {
    const f = this.hit('rename', from);
    if (f) throw errno(f.kind === 'EIO' ? 'EIO' : 'ENOSPC', 'rename', to);
    await nodeFs.rename(from, to);
  }

  async rm(path: string): Promise<void> {
    const f = this.hit('rm', path);
    if (f) throw errno(f.kind === 'EIO' ? 'EIO' : 'ENOSPC', 'unlink', path);
    await nodeFs.rm(path);
  }

  private wrap(real: DurableHandle, path: string): DurableHandle {
    let pendingEnospc = false;
    return {
      write: async (buffer, offset, length, position) => {
        if (pendingEnospc) {
          pendingEnospc = false;
          throw errno('ENOSPC', 'write', path);
        }
        const f = this.hit('write', path);
        if (!f) return real.write(buffer, offset, length, position);
        if (f.kind === 'ENOSPC' || f.kind === 'EIO') throw errno(f.kind, 'write', path);
        const half = Math.max(1, Math.floor(length / 2));
        const r = await real.write(buffer, offset, Math.min(half, length), position);
        if (f.kind === 'short-then-ENOSPC') pendingEnospc = true;
        if (f.kind === 'lie') return { bytesWritten: length };
        return r;
      },
      sync: async () => {
        const f = this.hit('sync', path);
        if (f) throw errno(f.kind === 'EIO' ? 'EIO' : 'ENOSPC', 'fsync', path);
        await real.sync();
      },
      datasync: async () => {
        const f = this.hit('datasync', path);
        if (f) throw errno(f.kind === 'EIO' ? 'EIO' : 'ENOSPC', 'fdatasync', path);
        await real.datasync();
      },
      stat: async () => {
        const f = this.hit('stat', path);
        if (f && f.kind === 'wrong-size') {
          const s = await real.stat();
          return { size: s.size - 1 };
        }
        if (f) throw errno(f.kind === 'EIO' ? 'EIO' : 'ENOSPC', 'fstat', path);
        return real.stat();
      },
      truncate: async (length) => {
        const f = this.hit('truncate', path);
        if (f) throw errno(f.kind === 'EIO' ? 'EIO' : 'ENOSPC', 'ftruncate', path);
        await real.truncate(length);
      },
      close: async () => {
        const f = this.hit('close', path);
        // The descriptor is released even when close reports an error, as close(2) does.
        await real.close();
        if (f) throw errno(f.kind === 'EIO' ? 'EIO' : 'ENOSPC', 'close', path);
      },
    };
  }
}
