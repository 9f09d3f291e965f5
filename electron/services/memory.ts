import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/**
 * A full garbage collection now. For a process that has just let go of something large (the workspace's database
 * bytes, over 100 MB, once an export no longer needs them): V8 frees an ArrayBuffer only when a major collection finds
 * its object unreachable, which may not happen before the work after it has grown the process further, so the peak
 * would hold both. Takes a few tens of milliseconds; never throws.
 */
export function collectGarbage(): void {
  try {
    if (!gc) {
      const own = (globalThis as { gc?: () => void }).gc;
      if (own) gc = own;
      else {
        setFlagsFromString('--expose-gc');
        gc = runInNewContext('gc') as () => void;
      }
    }
    gc();
  } catch {
    /* only memory is at stake */
  }
}
