import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { WorkspaceFile } from '../workspace-file';
import { dumpWorkspace, tempDir } from '../testing/fixtures';
import { importFile, type ImportFailure, type ImportOutcome } from './index';
import { describeProblem, type ImportProblem } from '../../../shared/import/problems';
import { NATIONAL, splitLine } from './test-helpers';

/**
 * Every kind of bad file must import nothing (the workspace dump is identical before and after) and must say, for each
 * problem, the row and the column.
 */

const lines = readFileSync(NATIONAL, 'utf8').split(/\r?\n/).slice(0, 41);
const HEADER = splitLine(lines[0]!);
const col = (name: string) => HEADER.indexOf(name);

function joinLine(fields: string[]): string {
  return fields.map((x) => (/[",]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x)).join(',');
}

/** Rewrites one field of one data row (row numbers as a spreadsheet shows them: the header is row 1). */
function setField(rows: string[], row: number, column: string, value: string): string[] {
  const out = [...rows];
  const f = splitLine(out[row - 1]!);
  f[col(column)] = value;
  out[row - 1] = joinLine(f);
  return out;
}

describe('bad files import nothing and say where the problem is', () => {
  const dir = tempDir('assay-import-bad-');
  let wf: WorkspaceFile;
  let n = 0;
  const file = (content: string | Uint8Array) => {
    const p = join(dir, `bad${++n}.csv`);
    writeFileSync(p, content);
    return p;
  };

  beforeAll(async () => {
    wf = await WorkspaceFile.create(join(dir, 'w.assay'));
    // Real content first, so "unchanged" means something: the first 20 rows of the national file.
    const o = await importFile(wf, 'cqc-ratings', file(lines.slice(0, 21).join('\n') + '\n'), { by: 'test' });
    expect(o.ok).toBe(true);
    const ind = await importFile(wf, 'indicators', file('area,period,indicator,value,unit,polarity,source\nDoncaster,2017/18,Delayed transfers,12.5,per 100000,lower is better,NHS England\n'), { by: 'test' });
    expect(ind.ok).toBe(true);
  });
  afterAll(async () => {
    await wf.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function refused(kind: 'cqc-ratings' | 'indicators' | 'evidence', content: string | Uint8Array, opts = {}): Promise<ImportFailure> {
    const before = dumpWorkspace(wf.workspace);
    const o: ImportOutcome = await importFile(wf, kind, file(content), { by: 'test', ...opts });
    expect(dumpWorkspace(wf.workspace)).toBe(before);
    if (o.ok) throw new Error('the import should have been refused');
    expect(o.problemCount).toBeGreaterThan(0);
    // Every problem reads as a sentence naming where it is.
    for (const p of o.problems) expect(describeProblem(p).length).toBeGreaterThan(10);
    return o;
  }

  const has = (ps: ImportProblem[], want: Partial<ImportProblem>) => expect(ps).toContainEqual(expect.objectContaining(want));

  it('missing columns', async () => {
    const i = col('Publication Date');
    const cut = lines.slice(0, 10).map((l) => joinLine(splitLine(l).filter((_, j) => j !== i)));
    const o = await refused('cqc-ratings', cut.join('\n'));
    has(o.problems, { code: 'missing-column', row: 1, column: 'Publication Date' });
    // Reported once, not once per row.
    expect(o.problems).toHaveLength(1);
  });

  it('unknown ratings', async () => {
    const o = await refused('cqc-ratings', setField(lines.slice(0, 10), 3, 'Latest Rating', 'Very good').join('\n'));
    has(o.problems, { code: 'unknown-rating', row: 3, column: 'Latest Rating' });
    expect(o.problems[0]!.message).toContain('"Very good"');
  });

  it('bad dates, every one of them', async () => {
    let rows = setField(lines.slice(0, 10), 4, 'Publication Date', '31/02/2019');
    rows = setField(rows, 5, 'Publication Date', '2019/01/05');
    rows = setField(rows, 6, 'Publication Date', '');
    const o = await refused('cqc-ratings', rows.join('\n'));
    has(o.problems, { code: 'bad-date', row: 4, column: 'Publication Date' });
    has(o.problems, { code: 'bad-date', row: 5, column: 'Publication Date' });
    has(o.problems, { code: 'bad-date', row: 6, column: 'Publication Date' });
    expect(o.problemCount).toBe(3);
  });

  it('bytes that are not UTF-8 (a file saved in a Windows code page)', async () => {
    const text = lines.slice(0, 10).join('\n');
    const at = Buffer.from(text.slice(0, text.indexOf(lines[5]!))).length + lines[5]!.indexOf(',') + 3;
    const bytes = Buffer.from(text);
    const bad = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xe9]), bytes.subarray(at)]);
    const o = await refused('cqc-ratings', bad);
    has(o.problems, { code: 'encoding', row: 6, column: 'Location Name' });
  });

  it('UTF-16 unless told, and imports it when told', async () => {
    const text = '\uFEFF' + lines.slice(0, 10).join('\n') + '\n';
    const utf16 = Buffer.from(text, 'utf16le');
    const o = await refused('cqc-ratings', utf16);
    expect(o.problems).toEqual([expect.objectContaining({ code: 'encoding' })]);
    expect(o.problems[0]!.message).toContain('UTF-16');
    // Without a byte order mark too.
    const o2 = await refused('cqc-ratings', Buffer.from(lines.slice(0, 10).join('\n'), 'utf16le'));
    expect(o2.problems[0]!.message).toContain('UTF-16');
    const told = await importFile(wf, 'cqc-ratings', file(utf16), { by: 'test', encoding: 'utf-16le' });
    // These rows are already in the workspace: told the encoding, the file reads as the same data.
    expect(told.ok && told.import).toBeNull();
  });

  it('a workbook picked instead of a CSV', async () => {
    const o = await refused('cqc-ratings', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0x06, 0, 0, 0, 0x21, 0]));
    expect(o.problems).toEqual([expect.objectContaining({ code: 'encoding', message: expect.stringContaining('Excel workbook') })]);
  });

  it('ragged rows', async () => {
    const rows = lines.slice(0, 10);
    rows[6] = rows[6] + ',extra';
    rows[7] = joinLine(splitLine(rows[7]!).slice(0, 20));
    const o = await refused('cqc-ratings', rows.join('\n'));
    has(o.problems, { code: 'ragged-row', row: 7 });
    has(o.problems, { code: 'ragged-row', row: 8 });
    expect(o.problems.find((p) => p.row === 7)!.message).toContain('29 fields but the header has 28');
  });

  it('duplicate keys within the file that disagree (strict), and imports identical repeats once', async () => {
    const rows = lines.slice(0, 10);
    const dup = setField([rows[3]!], 1, 'Latest Rating', 'Inadequate')[0]!;
    const o = await refused('cqc-ratings', [...rows, dup].join('\n'), { duplicates: 'error' });
    has(o.problems, { code: 'duplicate-key', row: 11, column: 'Latest Rating' });
    expect(o.problems[0]!.message).toMatch(/rows? 4/);
    const same = await importFile(wf, 'cqc-ratings', file([...rows, rows[3]!].join('\n')), { by: 'test' });
    expect(same.ok && same.import).toBeNull();
    expect(same.ok && same.summary.identicalDuplicates).toBe(1);
  });

  it('a location described two ways in one file', async () => {
    const rows = lines.slice(0, 10);
    const other = setField([rows[2]!], 1, 'Location Name', 'Somewhere Else')[0]!;
    const o = await refused('cqc-ratings', [...rows, setField([other], 1, 'Service / Population Group', 'Older people')[0]!].join('\n'));
    has(o.problems, { code: 'conflicting-record', row: 11, column: 'Location ID' });
  });

  it('malformed CSV (an unclosed quote)', async () => {
    const rows = lines.slice(0, 10);
    rows[4] = rows[4]!.replace(/,Good,/, ',"Good,');
    const o = await refused('cqc-ratings', rows.join('\n'));
    has(o.problems, { code: 'csv-syntax' });
    // The quote opened on line 5 runs to the end of the file: the problem names where the broken row starts.
    expect(o.problems.find((p) => p.code === 'csv-syntax')).toMatchObject({ row: 5, line: 5 });
  });

  it('a cancelled import writes nothing', async () => {
    const before = dumpWorkspace(wf.workspace);
    const controller = new AbortController();
    const pending = importFile(wf, 'cqc-ratings', NATIONAL, {
      by: 'test',
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'reading' && (p.bytesRead ?? 0) > 2_000_000) controller.abort();
      },
    });
    await expect(pending).rejects.toThrow(/abort/i);
    expect(dumpWorkspace(wf.workspace)).toBe(before);
  });

  it('an empty file, and a header without rows', async () => {
    has((await refused('cqc-ratings', '')).problems, { code: 'empty-file' });
    has((await refused('cqc-ratings', lines[0]! + '\n')).problems, { code: 'empty-file' });
  });

  it('reports every problem of a thoroughly broken file, not just the first', async () => {
    let rows = lines.slice(0, 41);
    for (let r = 2; r <= 41; r++) rows = setField(rows, r, 'Latest Rating', 'Excellent');
    const o = await refused('cqc-ratings', rows.join('\n'));
    expect(o.problemCount).toBe(40);
    expect(o.problems.map((p) => p.row)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
  });

  it('indicators: duplicate keys, bad numbers, unknown areas and indicators, a mapping to a missing column', async () => {
    const o = await refused(
      'indicators',
      [
        'LA,Year,Measure,Rate',
        'Doncaster,2017/18,Delayed transfers,12.5',
        'Doncaster,2017/18,Delayed transfers,13',
        'Wirral,2017/18,Delayed transfers,twelve',
        'Atlantis,2017/18,Delayed transfers,1',
        'Wirral,2017/18,Unheard of,1',
      ].join('\n'),
      { map: { area: 'LA', period: 'Year', indicator: 'Measure', value: 'Rate' } },
    );
    has(o.problems, { code: 'duplicate-key', row: 3, column: 'Measure' });
    expect(o.problems.find((p) => p.code === 'duplicate-key')!.message).toContain('row 2');
    has(o.problems, { code: 'bad-number', row: 4, column: 'Rate' });
    has(o.problems, { code: 'unknown-value', row: 5, column: 'LA' });
    has(o.problems, { code: 'unknown-value', row: 6, column: 'Measure' });
    const m = await refused('indicators', 'LA,Year,Measure,Rate\nDoncaster,2017/18,Delayed transfers,1\n', { map: { area: 'Local authority' } });
    has(m.problems, { code: 'missing-column', row: 1, column: 'Local authority' });
  });

  it('evidence: unknown kinds and sensitivities, bad dates, unknown locations, duplicate references', async () => {
    const o = await refused(
      'evidence',
      [
        'Type,Title,Ref,Date collected,Collected by,Classification,Location',
        'Gossip,Corridor chat,E1,01/02/2018,A. Inspector,official,',
        'interview,Registered manager,E2,2018-02-30,A. Inspector,official,',
        'document,Rota,E3,2018-02-01,A. Inspector,secret,',
        'observation,Lunch,E4,2018-02-01,A. Inspector,official,1-nowhere',
        'document,Rota,E6,2018-02-01,A. Inspector,official,',
        'document,Rota again,E6,2018-02-01,A. Inspector,official,',
      ].join('\n'),
    );
    has(o.problems, { code: 'unknown-value', row: 2, column: 'Type' });
    has(o.problems, { code: 'bad-date', row: 3, column: 'Date collected' });
    has(o.problems, { code: 'unknown-value', row: 4, column: 'Classification' });
    has(o.problems, { code: 'unknown-value', row: 5, column: 'Location' });
    has(o.problems, { code: 'duplicate-key', row: 7, column: 'Ref' });
  });
});
