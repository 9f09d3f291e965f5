import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Workspace } from '../../../shared/store/workspace';
import { TABLES } from '../../../shared/store/schema';
import { WorkspaceFile } from '../workspace-file';

/** A fresh temporary folder for one test. */
export function tempDir(prefix = 'assay-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A stable text dump of every table, for "nothing changed" assertions. */
export function dumpWorkspace(ws: Workspace, opts: { skip?: string[] } = {}): string {
  const out: string[] = [];
  for (const t of TABLES) {
    if (opts.skip?.includes(t)) continue;
    const rows = ws.all(`SELECT * FROM "${t}" ORDER BY 1, 2`);
    out.push(`# ${t} ${rows.length}`);
    for (const r of rows) out.push(JSON.stringify(r, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)));
  }
  return out.join('\n');
}

/**
 * What a crash leaves: the workspace is abandoned without saving or closing, and its lock names a process on this
 * host that no longer runs, so the next open takes the lock over as it would after a real crash.
 */
export function leaveAsIfCrashed(path: string): void {
  writeFileSync(`${path}.lock`, JSON.stringify({ pid: 999_999_999, host: hostname(), user: 'crashed', since: '', app: 'assay' }));
}

/** Whether the sqlite3 command-line program is on the PATH (the tests that need SQLite itself say so when it is not). */
export function hasSqlite3(): boolean {
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs `fn` on the workspace file at `path`, opened (and its lock taken) for the call only. */
export async function withWorkspaceFile<T>(path: string, fn: (ws: Workspace, wf: WorkspaceFile) => Promise<T> | T): Promise<T> {
  const wf = await WorkspaceFile.open(path);
  try {
    return await fn(wf.workspace, wf);
  } finally {
    await wf.close();
  }
}
