import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeAtomic } from '../services/workspace-file';

const Bounds = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(200).max(20000), height: z.number().int().min(200).max(20000) });
export type Bounds = z.infer<typeof Bounds>;
const WindowState = z.object({ bounds: Bounds, maximised: z.boolean() });
export type WindowState = z.infer<typeof WindowState>;
const StateFile = z.object({ windows: z.record(z.string(), WindowState).catch({}), last: WindowState.nullable().catch(null) });
type StateFile = z.infer<typeof StateFile>;

/**
 * Window positions, per workspace file and the last one used, so a workspace reopens where it was. A saved position
 * that no longer fits any display (a monitor was unplugged) is dropped rather than opening off screen.
 */
export class WindowStateStore {
  private data: StateFile;
  private writing: Promise<void> = Promise.resolve();
  readonly path: string;

  constructor(folder: string) {
    this.path = join(folder, 'window-state.json');
    this.data = { windows: {}, last: null };
    if (existsSync(this.path)) {
      try {
        const r = StateFile.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
        if (r.success) this.data = r.data;
      } catch {
        /* a damaged state file only costs the window positions */
      }
    }
  }

  get(workspace: string): WindowState | null {
    return this.data.windows[workspace] ?? this.data.last;
  }

  set(workspace: string, state: WindowState): Promise<void> {
    const parsed = WindowState.safeParse(state);
    if (!parsed.success) return this.writing;
    const windows = { ...this.data.windows };
    delete windows[workspace];
    windows[workspace] = parsed.data;
    // Keep the file small: the 30 most recently saved workspaces.
    const keys = Object.keys(windows);
    for (const k of keys.slice(0, Math.max(0, keys.length - 30))) delete windows[k];
    this.data = { windows, last: parsed.data };
    const text = JSON.stringify(this.data, null, 2);
    const run = () => writeAtomic(this.path, new TextEncoder().encode(text));
    this.writing = this.writing.then(run, run);
    return this.writing;
  }
}

/** A saved window position if at least a usable part of it is on one of the displays' work areas, else null. */
export function visibleBounds(bounds: Bounds, workAreas: readonly Bounds[]): Bounds | null {
  const MIN_VISIBLE = 100;
  for (const a of workAreas) {
    const w = Math.min(bounds.x + bounds.width, a.x + a.width) - Math.max(bounds.x, a.x);
    const h = Math.min(bounds.y + bounds.height, a.y + a.height) - Math.max(bounds.y, a.y);
    if (w >= MIN_VISIBLE && h >= MIN_VISIBLE) {
      return { ...bounds, width: Math.min(bounds.width, a.width), height: Math.min(bounds.height, a.height) };
    }
  }
  return null;
}
