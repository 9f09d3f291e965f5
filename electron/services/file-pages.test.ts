import { describe, it, expect, beforeAll } from 'vitest';
import { copyFileSync, openSync, writeSync, closeSync, statSync, truncateSync, utimesSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { WorkspaceFile } from './workspace-file';
import { Journal } from './journal';
import { tempDir, sha256File, hasSqlite3 } from './testing/fixtures';
import { isWorkspaceError } from '../../shared/store/errors';
import { currentRatings } from '../../shared/store/current-ratings';
import { countRatings } from '../../shared/store/ratings';
import { createFigureEngine } from '../../shared/figures/engine';
import { createWorkerSqlExecutor } from './sql-worker';
import { generateSynthetic, insertSyntheticAreas, outsideRatingChangeSql } from '../../shared/figures/testing';
import type { Workspace } from '../../shared/store/workspace';

// A read-only open reads the pages SQLite asks for (file-pages.ts). Attacked here: a file changed in place while it
// is read, shortened under the reader, replaced by a save, a journal replayed into the read-only copy; and whether
// every figure equals what the whole file read at once gives.

const SPECS = [
  { measure: 'rating_share', keyQuestion: 'safe', ratings: ['Good', 'Outstanding'], asAt: '2018-07-31' },
  { measure: 'rating_count', keyQuestion: 'overall', ratings: ['Inadequate'], asAt: '2018-07-31' },
  { measure: 'rating_share', keyQuestion: 'overall', ratings: ['Good', 'Outstanding'], asAt: '2017-07-31', by: 'region' },
] as const;

function figures(ws: Workspace): unknown[] {
  const engine = createFigureEngine(ws, { sql: createWorkerSqlExecutor(ws) });
  try {
    return SPECS.map((spec) => {
      const r = engine.evaluate({ kind: 'by' in spec ? 'table' : 'value', spec: spec as never, sql: null, format: {} }, {});
      expect(r.error).toBeUndefined();
      return { value: r.value, formatted: r.formatted, rows: r.rows };
    });
  } finally {
    engine.dispose();
  }
}

let base: string;
beforeAll(async () => {
  base = join(tempDir(), 'base.assay');
  const wf = await WorkspaceFile.create(base);
  wf.workspace.db.run('PRAGMA foreign_keys = OFF');
  await wf.workspace.write('seed', (tx) => {
    insertSyntheticAreas(tx);
    generateSynthetic(tx, { locations: 1500, perSeries: 5, seed: 7 });
  });
  wf.workspace.db.run('PRAGMA foreign_keys = ON');
  // Closing stores the rating index, as the app does.
  currentRatings(wf.workspace).get();
  await wf.close();
}, 120_000);

function copy(): string {
  const p = join(tempDir(), 'w.assay');
  copyFileSync(base, p);
  return p;
}

describe('read-only opens read pages, not the whole file', () => {
  it('gives every figure the whole file gives, having read a small part of it', async () => {
    const path = copy();
    const whole = await WorkspaceFile.open(path, { readOnly: true, paged: false });
    const expected = figures(whole.workspace);
    expect(whole.pagesRead).toBeUndefined();
    await whole.close();

    const paged = await WorkspaceFile.open(path, { readOnly: true });
    expect(figures(paged.workspace)).toEqual(expected);
    expect(currentRatings(paged.workspace).stats().indexSource).toBe('cache');
    const read = paged.pagesRead!;
    const size = statSync(path).size;
    expect(read.materialised).toBe(false);
    // The stored index and the register, not the ratings: well under half of the file.
    expect(read.bytesRead).toBeLessThan(size / 2);
    paged.checkUnchanged();
    await paged.close();
  });

  it('patches a stale stored index from the change log after a change made with sqlite3, reading only pages', async (ctx) => {
    if (!hasSqlite3()) ctx.skip();
    const path = copy();
    execFileSync('sqlite3', [path, outsideRatingChangeSql(3)]);
    const whole = await WorkspaceFile.open(path, { readOnly: true, paged: false });
    const expected = figures(whole.workspace);
    const n = countRatings(whole.workspace);
    await whole.close();
    const paged = await WorkspaceFile.open(path, { readOnly: true });
    expect(figures(paged.workspace)).toEqual(expected);
    expect(countRatings(paged.workspace)).toBe(n);
    expect(currentRatings(paged.workspace).stats().indexSource).toBe('patched');
    await paged.close();
  });

  it('never writes the file: a journal replayed into a read-only copy stays in memory', async () => {
    const path = copy();
    // A writer that stopped before saving (no save, no close): its change is only in the journal.
    const wf = await WorkspaceFile.open(path);
    await wf.workspace.write('rename', (tx) => tx.run("UPDATE meta SET value = 'Renamed in the journal' WHERE key = 'name'"));
    expect(readFileSync(Journal.pathFor(path)).length).toBeGreaterThan(0);
    const before = sha256File(path);
    const ro = await WorkspaceFile.open(path, { readOnly: true });
    expect(ro.openReport.replayed).toBe(1);
    wf.workspace.close();
    expect(ro.workspace.metaValue('name')).toBe('Renamed in the journal');
    expect(ro.pagesRead!.materialised).toBe(true);
    expect(figures(ro.workspace)).toHaveLength(SPECS.length);
    await ro.close();
    expect(sha256File(path)).toBe(before);
  });

  it('exports the same bytes as the file holds', async () => {
    const path = copy();
    const ro = await WorkspaceFile.open(path, { readOnly: true });
    const bytes = ro.workspace.db.export();
    expect(Buffer.compare(Buffer.from(bytes), readFileSync(path))).toBe(0);
    await ro.close();
  });

  it('keeps reading its own state when a save replaces the file (a new file renamed over it)', async () => {
    const path = copy();
    const ro = await WorkspaceFile.open(path, { readOnly: true });
    const expected = figures(ro.workspace);
    const writer = await WorkspaceFile.open(path);
    await writer.workspace.write('change', (tx) => tx.run("UPDATE ratings SET rating = 'Inadequate' WHERE key_question_id = 'safe'"));
    await writer.save();
    await writer.close();
    // The reader's descriptor still reads the file it opened: same figures, nothing flagged.
    currentRatings(ro.workspace).reset();
    expect(figures(ro.workspace)).toEqual(expected);
    expect(() => ro.checkUnchanged()).not.toThrow();
    await ro.close();
  });

  it('refuses what it read when another program writes into the file in place while it is open', async () => {
    const path = copy();
    const ro = await WorkspaceFile.open(path, { readOnly: true });
    figures(ro.workspace);
    // An in-place write (as sqlite3 makes one): the same bytes written back still change the file's times.
    const fd = openSync(path, 'r+');
    const page = Buffer.alloc(4096);
    writeSync(fd, page.fill(0, 0, 0), 0, 0, 0);
    closeSync(fd);
    utimesSync(path, new Date(), new Date(Date.now() + 60_000));
    let err: unknown;
    try {
      ro.checkUnchanged();
    } catch (e) {
      err = e;
    }
    expect(isWorkspaceError(err)).toBe(true);
    expect((err as Error).message).toMatch(/^w\.assay was changed by another program while Assay was reading it.*Nothing was written/);
    // Closing says so too, and still releases the file.
    await expect(ro.close()).rejects.toThrow(/changed by another program/);
  });

  it('stops with a message when the file is shortened under it, never a wrong figure', async () => {
    const path = copy();
    const ro = await WorkspaceFile.open(path, { readOnly: true });
    truncateSync(path, 8192);
    currentRatings(ro.workspace).reset();
    const engine = createFigureEngine(ro.workspace, { sql: createWorkerSqlExecutor(ro.workspace) });
    const r = engine.evaluate({ kind: 'value', spec: SPECS[0] as never, sql: null, format: {} }, {});
    engine.dispose();
    expect(r.value ?? null).toBeNull();
    expect(r.error).toMatch(/w\.assay (could not be read: it became shorter|was changed by another program)/);
    await ro.close().catch(() => undefined);
  });

  it('refuses a file that is not a workspace with the same messages as before', async () => {
    const dir = tempDir();
    const empty = join(dir, 'empty.assay');
    const text = join(dir, 'notes.assay');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(empty, '');
    writeFileSync(text, 'Not a database at all, but long enough to have a header of one hundred bytes or so, to be sure of it.');
    await expect(WorkspaceFile.open(empty, { readOnly: true })).rejects.toThrow(/empty \(0 bytes\)/);
    await expect(WorkspaceFile.open(text, { readOnly: true })).rejects.toThrow(/not a SQLite database/);
    const cut = copy();
    truncateSync(cut, statSync(cut).size - 4096);
    await expect(WorkspaceFile.open(cut, { readOnly: true })).rejects.toThrow(/shorter than its own header says/);
  });
});
