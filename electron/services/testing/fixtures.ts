import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Workspace } from '../../../shared/store/workspace';
import { TABLES } from '../../../shared/store/schema';

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
