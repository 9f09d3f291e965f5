import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { WorkspaceFile } from '../workspace-file';
import { dumpWorkspace, tempDir } from '../testing/fixtures';
import { importFile, previewCsv, type ImportFailure, type ImportOutcome, type ImportSuccess } from './index';
import { runCli } from '../../cli/run';
import { openTestSession } from '../app/testing/session';
import { importFilesOf } from '../app/files/import-files';
import { describeProblem } from '../../../shared/import/problems';
import { listAudit } from '../../../shared/review/audit-log';
import { NATIONAL } from './test-helpers';

/** Files built to break the importers: over-long cells, sensitivity quietly lowered, binary data named .csv. */

function ok(o: ImportOutcome): ImportSuccess {
  if (!o.ok) throw new Error(`import failed: ${JSON.stringify(o.problems.slice(0, 5))}`);
  return o;
}
function failed(o: ImportOutcome): ImportFailure {
  if (o.ok) throw new Error('the import should have been refused');
  return o;
}

describe('import hardening', () => {
  const dir = tempDir('assay-import-hard-');
  let wf: WorkspaceFile;
  let n = 0;
  const file = (content: string | Uint8Array, name = `f${++n}.csv`) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  async function refused(kind: 'cqc-ratings' | 'indicators' | 'evidence', path: string, opts = {}): Promise<ImportFailure> {
    const before = dumpWorkspace(wf.workspace);
    const o = failed(await importFile(wf, kind, path, { by: 'test', ...opts }));
    expect(dumpWorkspace(wf.workspace)).toBe(before);
    return o;
  }

  beforeAll(async () => {
    wf = await WorkspaceFile.create(join(dir, 'w.assay'));
  });
  afterAll(async () => {
    await wf.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('length limits', () => {
    it('an evidence cell over its limit is a problem at its row and column', async () => {
      const o = await refused(
        'evidence',
        file(
          [
            'kind,title,reference,summary,collected by,sensitivity',
            `document,${'T'.repeat(100_000)},R1,ok,A. Inspector,public`,
            `document,Fine,R2,${'s'.repeat(20_001)},A. Inspector,public`,
            `document,Fine,R3,ok,${'n'.repeat(201)},public`,
            `document,Fine,${'r'.repeat(501)},ok,A. Inspector,public`,
          ].join('\n'),
        ),
      );
      expect(o.problems).toEqual([
        expect.objectContaining({ code: 'too-long', row: 2, column: 'title', message: 'the title must be at most 300 characters (this one has 100,000)' }),
        expect.objectContaining({ code: 'too-long', row: 3, column: 'summary', message: 'the summary must be at most 20,000 characters (this one has 20,001)' }),
        expect.objectContaining({ code: 'too-long', row: 4, column: 'collected by', message: 'the collected by must be at most 200 characters (this one has 201)' }),
        expect.objectContaining({ code: 'too-long', row: 5, column: 'reference', message: 'the reference must be at most 500 characters (this one has 501)' }),
      ]);
      expect(describeProblem(o.problems[0]!)).toBe('row 2, column "title": the title must be at most 300 characters (this one has 100,000)');
    });

    it('a 30 MB cell in a CQC file or an indicator file is refused by row and column', async () => {
      const [header, row] = readFileSync(NATIONAL, 'utf8').split(/\r?\n/);
      const cols = header!.split(',');
      const nameAt = cols.indexOf('Location Name');
      const fields = row!.split(',');
      fields[nameAt] = 'x'.repeat(30 * 1024 * 1024);
      const cqc = await refused('cqc-ratings', file(`${header}\n${fields.join(',')}\n`));
      expect(cqc.problems).toEqual([expect.objectContaining({ code: 'too-long', row: 2, column: 'Location Name', message: expect.stringMatching(/at most 300 characters \(this one has 31,457,280\)/) })]);
      const ind = await refused('indicators', file(`area,period,indicator,value,unit,polarity,source\nE92000001,2017/18,${'i'.repeat(301)},1,per 1000,lower is better,NHS\n`));
      expect(ind.problems).toEqual([expect.objectContaining({ code: 'too-long', row: 2, column: 'indicator' })]);
      // Every other cell has a limit too, if a higher one.
      const other = await refused('indicators', file(`area,period,indicator,value,unit,polarity,source,notes\nE92000001,2017/18,X,1,per 1000,lower is better,NHS,${'z'.repeat(20_001)}\n`));
      expect(other.problems).toEqual([expect.objectContaining({ code: 'too-long', row: 2, column: 'notes', message: 'the cell must be at most 20,000 characters (this one has 20,001)' })]);
    });
  });

  describe('a register with citation columns', () => {
    it('fills the publisher, dates published and accessed, and the web address; a bad address or date is a problem at its cell', async () => {
      const head = 'kind,title,reference,sensitivity,publisher,date published,url,date accessed';
      ok(await importFile(wf, 'evidence', file([head, 'document,Beyond barriers,CIT-1,public,Care Quality Commission,02/07/2018,https://www.cqc.org.uk/publications,14/09/2018'].join('\n')), { by: 'test' }));
      expect(wf.workspace.all("SELECT publisher, published_on, url, accessed_on FROM evidence WHERE reference = 'CIT-1'")).toEqual([
        { publisher: 'Care Quality Commission', published_on: '2018-07-02', url: 'https://www.cqc.org.uk/publications', accessed_on: '2018-09-14' },
      ]);
      const o = await refused('evidence', file([head, 'document,Other,CIT-2,public,CQC,31/02/2018,www.cqc.org.uk,'].join('\n')));
      expect(o.problems.map((p) => p.column)).toEqual(['date published', 'url']);
    });
  });

  describe('sensitivity lowered by a re-import', () => {
    const register = (sensitivity: string) => ['kind,title,reference,collected on,sensitivity', `interview,Interview with Mrs A,LSR-1,2018-03-02,${sensitivity}`, 'document,Policy,LSR-2,2018-03-02,public'].join('\n');

    it('is listed as a problem and refused unless allowed; allowed, the audit log records it', async () => {
      ok(await importFile(wf, 'evidence', file(register('personal')), { by: 'test' }));
      const id = wf.workspace.value<string>("SELECT id FROM evidence WHERE reference = 'LSR-1'")!;

      const o = await refused('evidence', file(register('public')));
      expect(o.problems).toEqual([
        expect.objectContaining({
          code: 'lowers-sensitivity',
          row: 2,
          column: 'sensitivity',
          message: expect.stringContaining('would lower the sensitivity of “Interview with Mrs A” from personal to public'),
        }),
      ]);
      expect(o.problems[0]!.message).toContain('--allow-lower-sensitivity');
      // Raising it, or keeping it, is no problem.
      ok(await importFile(wf, 'evidence', file(register('personal')), { by: 'test' }));

      const allowed = ok(await importFile(wf, 'evidence', file(register('official')), { by: 'Ann Analyst', allowLowerSensitivity: true }));
      expect(allowed.warnings).toEqual([expect.objectContaining({ code: 'lowers-sensitivity', row: 2, column: 'sensitivity' })]);
      expect(wf.workspace.value("SELECT sensitivity FROM evidence WHERE reference = 'LSR-1'")).toBe('official');
      const entry = listAudit(wf.workspace, { action: 'evidence.sensitivity-lowered' }).rows;
      expect(entry).toHaveLength(1);
      expect(entry[0]).toMatchObject({ actor: 'Ann Analyst', recordId: id, before: { sensitivity: 'personal' }, after: { sensitivity: 'official', importId: allowed.import!.id } });
    });

    it('shows in the preview when a workspace is given', async () => {
      const p = await previewCsv('evidence', file(register('public')), { workspace: wf.workspace });
      expect(p.problems).toEqual([expect.objectContaining({ code: 'lowers-sensitivity', row: 2, column: 'sensitivity' })]);
    });

    it('assay import evidence refuses it without --allow-lower-sensitivity, and allows it with', async () => {
      const cli = tempDir('assay-import-cli-sens-');
      const io = () => {
        const out: string[] = [];
        const err: string[] = [];
        return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), progress: () => undefined, cwd: cli } };
      };
      expect(await runCli(['new', 'w.assay'], io().io)).toBe(0);
      writeFileSync(join(cli, 'a.csv'), register('personal'));
      writeFileSync(join(cli, 'b.csv'), register('public'));
      expect(await runCli(['import', 'evidence', 'w.assay', 'a.csv'], io().io)).toBe(0);
      const no = io();
      expect(await runCli(['import', 'evidence', 'w.assay', 'b.csv'], no.io)).toBe(1);
      expect(no.err.join('\n')).toContain('row 2, column "sensitivity": this would lower the sensitivity of “Interview with Mrs A” from personal to public');
      const yes = io();
      expect(await runCli(['import', 'evidence', 'w.assay', 'b.csv', '--allow-lower-sensitivity', '--by', 'Ann'], yes.io)).toBe(0);
      expect(yes.err.join('\n')).toContain('warning: row 2, column "sensitivity"');
      const wrongKind = io();
      expect(await runCli(['import', 'indicators', 'w.assay', 'b.csv', '--allow-lower-sensitivity'], wrongKind.io)).toBe(2);
      rmSync(cli, { recursive: true, force: true });
    });

    it('the app’s import.run refuses it unless its input allows it', async () => {
      const t = await openTestSession();
      try {
        const open = (csv: string) => importFilesOf(t.session).add('register.csv', Buffer.from(csv)).handle;
        const send = (csv: string, extra: Record<string, unknown> = {}) =>
          t.call<{ ok: boolean; problems: { code: string; row?: number }[]; warnings: { code: string }[] }>('import.run', {
            kind: 'evidence',
            handle: open(csv),
            ...extra,
          });
        expect((await send(register('personal'))).ok).toBe(true);
        const no = await send(register('public'));
        expect(no).toMatchObject({ ok: false, problems: [{ code: 'lowers-sensitivity', row: 2 }] });
        const yes = await send(register('public'), { allowLowerSensitivity: true });
        expect(yes).toMatchObject({ ok: true, warnings: [{ code: 'lowers-sensitivity' }] });
        const preview = await t.call<{ problems: { code: string }[] }>('import.preview', { kind: 'evidence', handle: open(register('personal')) });
        expect(preview.problems).toEqual([]);
      } finally {
        await t.session.close();
      }
    });
  });

  describe('binary files named .csv', () => {
    it('are refused with one message naming the file', async () => {
      const zipped = deflateRawSync(readFileSync(NATIONAL)).subarray(0, 200_000);
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), randomBytes(50_000)]);
      const controls = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i % 7 === 0 ? 0x01 : 0x41 + (i % 26))));
      for (const [name, bytes] of [
        ['ratings.csv', png],
        ['deflated.csv', zipped],
        ['controls.csv', controls],
      ] as const) {
        for (const kind of ['cqc-ratings', 'evidence'] as const) {
          const o = await refused(kind, file(bytes, name));
          expect(o.problemCount).toBe(1);
          expect(o.problems[0]!.message).toMatch(new RegExp(`^${name.replace('.', '\\.')} is not a text file: it looks like binary data \\(.+\\)\\.$`));
        }
        const p = await previewCsv('cqc-ratings', file(bytes, name), { fileName: name });
        expect(p.problems).toHaveLength(1);
        expect(p.rows).toEqual([]);
      }
    });

    it('while a CSV in a Windows code page is still read, with its bytes named by row and column', async () => {
      const latin1 = Buffer.from('kind,title,reference,sensitivity\ndocument,Caf\xe9 visit,C1,public\n', 'latin1');
      const o = await refused('evidence', file(latin1));
      expect(o.problems).toEqual([expect.objectContaining({ code: 'encoding', row: 2, column: 'title' })]);
    });
  });
});
