import { afterAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../run';
import { WorkspaceFile } from '../../services/workspace-file';
import { tempDir } from '../../services/testing/fixtures';

/**
 * Names reach the audit log from settings, from `--by` and from whoever a workspace was merged from. A name carrying
 * terminal escape codes must not act on the terminal of whoever runs `assay audit`: it is cleaned where it enters, and
 * anything already stored is printed with its control characters made visible.
 */
describe('names with terminal escape codes', () => {
  const dir = tempDir('assay-audit-esc-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), progress: () => undefined, cwd: dir } };
  };
  const ESC = '\u001b';
  const hostile = `Eve${ESC}[2J${ESC}]0;owned${ESC}\\\u202Eevil\u009b31m`;

  it('are cleaned when they enter through --by', async () => {
    expect(await runCli(['new', 'w.assay'], io().io)).toBe(0);
    writeFileSync(join(dir, 'i.csv'), 'area,period,indicator,value,unit,polarity,source\nE92000001,2017/18,Admissions,250,per 1000,lower is better,NHS Digital\n');
    expect(await runCli(['import', 'indicators', 'w.assay', 'i.csv', '--by', hostile], io().io)).toBe(0);
    const wf = await WorkspaceFile.open(join(dir, 'w.assay'), { readOnly: true });
    try {
      const names = [
        wf.workspace.value<string>('SELECT imported_by FROM imports'),
        ...wf.workspace.all<{ actor: string }>("SELECT actor FROM audit_log WHERE action LIKE 'import.%'").map((r) => r.actor),
      ];
      expect(names.length).toBeGreaterThan(1);
      for (const n of names) expect(n).toBe('Eve[2J]0;owned\\evil31m');
    } finally {
      await wf.close({ save: false });
    }
  });

  it('already stored are printed visibly by assay audit', async () => {
    const wf = await WorkspaceFile.open(join(dir, 'w.assay'));
    try {
      // As an older version, or another program, could have written them.
      await wf.workspace.write('raw', (tx) =>
        tx.run('INSERT INTO audit_log(at, actor, action, table_name, record_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)', [
          '2030-01-01T00:00:00.000Z',
          hostile,
          `evidence.update${ESC}[8m`,
          'evidence',
          `e1${ESC}[A`,
          JSON.stringify({ title: `a\u202Eb\u0085c` }),
          null,
        ]),
      );
      await wf.save();
    } finally {
      await wf.close();
    }
    const a = io();
    expect(await runCli(['audit', 'w.assay', '--limit', '1'], a.io)).toBe(0);
    const printed = a.out.join('\n');
    expect(printed).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(printed).toContain('Eve\\x1B[2J\\x1B]0;owned\\x1B\\\\u202Eevil\\x9B31m');
    expect(printed).toContain('evidence.update\\x1B[8m');
    expect(printed).toContain('e1\\x1B[A');
    expect(printed).toContain('a\\u202Eb\\x85c');
    const j = io();
    expect(await runCli(['audit', 'w.assay', '--limit', '1', '--json'], j.io)).toBe(0);
    // JSON escapes C0 controls itself; C1 controls and bidi overrides it leaves alone, so they are escaped too.
    expect(j.out.join('\n')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(JSON.parse(j.out.join('\n')).rows[0].actor).toBe(hostile);
  });
});
