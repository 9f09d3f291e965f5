import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../run';
import type { CliIo } from '../command';
import { WorkspaceFile } from '../../services/workspace-file';
import { tempDir } from '../../services/testing/fixtures';
import { seedSynthetic } from '../../../shared/figures/testing';
import { saveFigure } from '../../../shared/figures/library';
import { sha256File } from '../../services/testing/fixtures';

let dir: string;
let path: string;
beforeAll(async () => {
  dir = tempDir('assay-figure-cli-');
  path = join(dir, 'w.assay');
  const wf = await WorkspaceFile.create(path, {
    seed: async (ws) => {
      await seedSynthetic(ws, { locations: 40, perSeries: 2 });
      const f = await saveFigure(ws, { slug: 'safe-good', name: 'Safe good', kind: 'value', spec: { measure: 'rating_share', keyQuestion: 'Safe', ratings: ['Good', 'Outstanding'], asAt: '$asAt' } }, 'test');
      await ws.write('report', (tx) => {
        tx.run("INSERT INTO reports(id, slug, title, params, created_at, updated_at) VALUES ('r1', 'soc', 'State of Care', '{\"asAt\":\"2018-07-31\"}', 'x', 'x')");
        tx.run("INSERT INTO sections(id, report_id, position, title, content, updated_at) VALUES ('s1', 'r1', 1, 'Safety', ?, 'x')", [
          JSON.stringify({ root: { children: [{ type: 'paragraph', children: [{ type: 'live-figure', version: 1, figureId: f.id }] }] } }),
        ]);
      });
    },
  });
  await wf.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(): CliIo & { text: () => string } {
  const out: string[] = [];
  return { out: (t) => out.push(t), err: (t) => out.push(t), progress: () => undefined, cwd: dir, text: () => out.join('\n') };
}

describe('assay figure / figures', () => {
  it('computes a spec figure as JSON with value, numerator, denominator and provenance, leaving the file untouched', async () => {
    const before = sha256File(path);
    const o = io();
    writeFileSync(join(dir, 'spec.json'), JSON.stringify({ measure: 'rating_share', ratings: ['Good'], asAt: '$asAt', by: 'region' }));
    expect(await runCli(['figure', path, '--spec', '@spec.json', '--param', 'asAt=2018-07-31', '--json'], o)).toBe(0);
    const r = JSON.parse(o.text()) as { value: number; numerator: number; denominator: number; rows: unknown[]; provenance: { tables: string[]; fingerprint: string } };
    expect(r.value).toBeCloseTo(r.numerator / r.denominator, 12);
    expect(r.rows.length).toBeGreaterThan(0);
    expect(r.provenance.tables).toContain('ratings');
    expect(sha256File(path)).toBe(before);
  });

  it('refuses a write in --sql with a clear message and exit code 1', async () => {
    const o = io();
    expect(await runCli(['figure', path, '--sql', 'DELETE FROM ratings'], o)).toBe(1);
    expect(o.text()).toMatch(/refused: it uses DELETE/);
  });

  it('lists the figures of a report with value and state', async () => {
    const o = io();
    expect(await runCli(['figures', path, '--report', 'soc'], o)).toBe(0);
    expect(o.text()).toMatch(/Safety\n {2}safe-good\s+fresh\s+\d+%/);
    expect(o.text()).toMatch(/1 figure: 1 fresh/);
  });
});
