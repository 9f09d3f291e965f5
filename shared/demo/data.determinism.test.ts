import { describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../electron/services/sqljs';
import { Workspace } from '../store/workspace';
import { seedReference } from '../store/reference';
import { generateDemoData } from './data';
import { dumpHash } from '../store/dump';

/** The same seed must give the same data, byte for byte; another seed must give other data. */

async function demo(seed: number): Promise<{ hash: string; rows: number; bytes: Uint8Array }> {
  const SQL = await loadSqlJs();
  // Workspace.create stamps its own creation time and the migrations ledger; fix it so only the generator varies.
  const ws = Workspace.create(SQL, { now: '2018-10-01T09:00:00.000Z' });
  try {
    await ws.write('workspace.create', (tx) => seedReference(tx), { unjournaled: true, actor: 'test' });
    await generateDemoData(ws, { seed });
    return { ...dumpHash(ws), bytes: ws.export() };
  } finally {
    ws.close();
  }
}

// Three full generations: generous time limits, because shared machines and CI runners are rarely idle.
const LIMIT = 900_000;

describe('demo determinism', () => {
  let a: Awaited<ReturnType<typeof demo>>;

  it('gives identical data, and an identical file, for the same seed', async () => {
    a = await demo(7);
    const b = await demo(7);
    expect(a.rows).toBeGreaterThan(300_000);
    expect(b.hash).toBe(a.hash);
    expect(b.rows).toBe(a.rows);
    // The same statements in the same order also give the same file bytes.
    expect(b.bytes.length).toBe(a.bytes.length);
    expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
  }, LIMIT);

  it('gives different data for another seed', async () => {
    const c = await demo(8);
    expect(c.rows).toBeGreaterThan(300_000);
    expect(c.hash).not.toBe(a.hash);
  }, LIMIT);
});
