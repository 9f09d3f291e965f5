import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { WorkspaceFile } from '../workspace-file';
import { dumpWorkspace, tempDir } from '../testing/fixtures';
import { importFile, previewCsv, type ImportOutcome, type ImportSuccess } from './index';
import { runCli } from '../../cli/run';
import { OLDHAM } from './test-helpers';

function ok(o: ImportOutcome): ImportSuccess {
  if (!o.ok) throw new Error(`import failed: ${JSON.stringify(o.problems.slice(0, 5))}`);
  return o;
}

describe('indicator and evidence imports', () => {
  const dir = tempDir('assay-import-ind-');
  let wf: WorkspaceFile;
  let n = 0;
  const file = (content: string) => {
    const p = join(dir, `f${++n}.csv`);
    writeFileSync(p, content);
    return p;
  };

  beforeAll(async () => {
    wf = await WorkspaceFile.create(join(dir, 'w.assay'));
    await wf.workspace.write('la', (tx) => {
      tx.run("INSERT INTO local_authorities(id, name, region_id) VALUES ('oldham', 'Oldham', 'E12000002'), ('york', 'York', 'E12000003')");
    });
  });
  afterAll(async () => {
    await wf.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const DTOC = [
    'LA name,Financial year,Measure,Rate per 100k,Delayed days,Population 65+,Unit,Polarity,Source',
    'Oldham,2017/18,Delayed transfers of care,"1,234.5",456,"36,900","per 100,000 aged 65+",lower is better,NHS England',
    'York,2017/18,Delayed transfers of care,987.1,,,"per 100,000 aged 65+",lower is better,NHS England',
    'England,2017/18,Delayed transfers of care,[c],,,"per 100,000 aged 65+",lower is better,NHS England',
    'E12000002,2017/18,Delayed transfers of care,1100,,,"per 100,000 aged 65+",lower is better,NHS England',
  ].join('\n');
  const MAP = { area: 'LA name', period: 'Financial year', indicator: 'Measure', value: 'Rate per 100k', numerator: 'Delayed days', denominator: 'Population 65+' };

  it('maps columns, resolves areas by name or code, defines a new indicator and skips suppressed values', async () => {
    const o = ok(await importFile(wf, 'indicators', file(DTOC), { by: 'analyst', map: MAP }));
    expect(o.tables).toEqual({ indicators: { added: 1, updated: 0, unchanged: 0 }, indicator_values: { added: 3, updated: 0, unchanged: 0 } });
    expect(o.summary.suppressed).toBe(1);
    expect(wf.workspace.all('SELECT indicator_id, area_code, period, value, numerator, denominator FROM indicator_values ORDER BY area_code')).toEqual([
      { indicator_id: 'delayed-transfers-of-care', area_code: 'E12000002', period: '2017/18', value: 1100, numerator: null, denominator: null },
      { indicator_id: 'delayed-transfers-of-care', area_code: 'oldham', period: '2017/18', value: 1234.5, numerator: 456, denominator: 36900 },
      { indicator_id: 'delayed-transfers-of-care', area_code: 'york', period: '2017/18', value: 987.1, numerator: null, denominator: null },
    ]);
    expect(wf.workspace.get("SELECT unit, polarity, source FROM indicators WHERE id = 'delayed-transfers-of-care'")).toEqual({
      unit: 'per 100,000 aged 65+',
      polarity: 'lower is better',
      source: 'NHS England',
    });
    expect(wf.workspace.value("SELECT count(*) FROM indicator_values WHERE import_id = (SELECT id FROM imports WHERE kind = 'indicators')")).toBe(3);
  });

  it('changes nothing on a second import, and updates a corrected value in place', async () => {
    const dump = dumpWorkspace(wf.workspace, { skip: ['meta'] });
    const again = ok(await importFile(wf, 'indicators', file(DTOC), { map: MAP }));
    expect(again.import).toBeNull();
    expect(dumpWorkspace(wf.workspace, { skip: ['meta'] })).toBe(dump);
    const corrected = ok(await importFile(wf, 'indicators', file(DTOC.replace('987.1', '990.0')), { map: MAP }));
    expect(corrected.tables.indicator_values).toEqual({ added: 0, updated: 1, unchanged: 2 });
    expect(wf.workspace.value("SELECT value FROM indicator_values WHERE area_code = 'york'")).toBe(990);
    expect(JSON.parse(String(wf.workspace.value("SELECT before FROM audit_log WHERE action = 'indicator_value.update'")))).toMatchObject({ value: 987.1 });
  });

  it('imports an evidence register, keyed by reference, and updates it in place on re-import', async () => {
    const register = [
      'Ref,Type,Title,Date collected,Collected by,Classification,Notes',
      'OLD-01,Interview,Registered manager,12/03/2018,A. Inspector,Official-Sensitive,Discharge delays at weekends',
      'OLD-02,document,Home care rota,2018-03-13,A. Inspector,official,',
      'OLD-03,meeting notes,System leaders meeting,2018-03-14,B. Inspector,personal,',
    ].join('\n');
    const o = ok(await importFile(wf, 'evidence', file(register), { by: 'inspector', map: { reference: 'Ref', summary: 'Notes' } }));
    expect(o.tables.evidence).toEqual({ added: 3, updated: 0, unchanged: 0 });
    expect(wf.workspace.get("SELECT kind, sensitivity, collected_on, summary FROM evidence WHERE reference = 'OLD-01'")).toEqual({
      kind: 'interview',
      sensitivity: 'official-sensitive',
      collected_on: '2018-03-12',
      summary: 'Discharge delays at weekends',
    });
    expect(wf.workspace.value("SELECT count(*) FROM audit_log WHERE action = 'evidence.add'")).toBe(3);
    const dump = dumpWorkspace(wf.workspace, { skip: ['meta'] });
    expect(ok(await importFile(wf, 'evidence', file(register), { map: { reference: 'Ref', summary: 'Notes' } })).import).toBeNull();
    expect(dumpWorkspace(wf.workspace, { skip: ['meta'] })).toBe(dump);
    const id = wf.workspace.value("SELECT id FROM evidence WHERE reference = 'OLD-02'");
    const edited = ok(await importFile(wf, 'evidence', file(register.replace("Home care rota", "\"Home care rota, March\"")), { map: { reference: 'Ref', summary: 'Notes' } }));
    expect(edited.tables.evidence).toEqual({ added: 0, updated: 1, unchanged: 2 });
    expect(wf.workspace.get("SELECT id, title FROM evidence WHERE reference = 'OLD-02'")).toEqual({ id, title: 'Home care rota, March' });
  });

  it('previews a file for the wizard: header, first rows, proposed mapping', async () => {
    const p = await previewCsv('indicators', file(DTOC), { rows: 2 });
    expect(p.header[0]).toBe('LA name');
    expect(p.rows).toHaveLength(2);
    expect(p.suggestedMap).toMatchObject({ unit: 'Unit', polarity: 'Polarity', source: 'Source' });
    const q = await previewCsv('cqc-ratings', OLDHAM, { rows: 3 });
    expect(q.layout).toMatchObject({ id: 'cqc-api-long', missingColumns: [] });
    expect(q.rows).toHaveLength(3);
  });
});

describe('assay import and its errors', () => {
  const dir = tempDir('assay-import-cli-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function io() {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), progress: () => undefined, cwd: dir } };
  }

  it('imports, reports JSON, and fails with exit code 1 and problems on stderr for a bad file', async () => {
    expect(await runCli(['new', 'w.assay'], io().io)).toBe(0);
    writeFileSync(join(dir, 'good.csv'), 'area,period,indicator,value,unit,polarity,source\nE92000001,2017/18,Emergency admissions 65+,250,per 1000,lower is better,NHS Digital\n');
    const a = io();
    expect(await runCli(['import', 'indicators', 'w.assay', 'good.csv', '--json', '--by', 'cli'], a.io)).toBe(0);
    const result = JSON.parse(a.out.join('\n'));
    expect(result).toMatchObject({ ok: true, kind: 'indicators', import: { importedBy: 'cli' }, tables: { indicator_values: { added: 1 } } });
    writeFileSync(join(dir, 'bad.csv'), 'Area,Year,Ind,Val\nE92000001,2017/18,Emergency admissions 65+,lots\n');
    const b = io();
    expect(await runCli(['import', 'indicators', 'w.assay', 'bad.csv', '--map', 'area=Area,period=Year,indicator=Ind,value=Val'], b.io)).toBe(1);
    expect(b.err.join('\n')).toContain('row 2, column "Val": "lots" is not a number');
    expect(b.err.join('\n')).toContain('nothing was imported');
    const c = io();
    expect(await runCli(['import', 'ratings', 'w.assay', 'bad.csv'], c.io)).toBe(2);
    expect(c.err.join('\n')).toContain('unknown import "ratings"');
  });
});
