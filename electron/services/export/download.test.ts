import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import { runCli } from '../../cli/run';
import { WorkspaceFile } from '../workspace-file';
import { tempDir } from '../testing/fixtures';
import { readWorkbook } from '../testing/xlsx';
import { createDemoWorkspace } from '../demo/create';
import { approveReport } from '../../../shared/review/workflow';
import { figureService } from '../../../shared/figures/service';
import { DATA_COLUMNS } from '../../../shared/export/data';
import { findLibreOffice, libreOfficePdf } from './docx-pages';

/**
 * Issue 17's acceptance checks of "Word as Word writes it" and "a real data download", on the approved demo State of
 * Care report exported with `assay export --format all`, read back with the real outside tools: pandoc reads the
 * captions' numbers, python-docx finds the table style and the column widths, exceljs opens the workbook and finds the
 * sheets the Government Analysis Function's guidance asks for, the tidy CSV holds every value `assay figures --json`
 * gives, and LibreOffice lays each heading on the page the contents says. Each test skips, saying why, without its tool.
 */

const REPORT = 'state-of-care-2017-18';
const PY = '/usr/bin/python3';

function has(cmd: string, args: string[]): boolean {
  try {
    return spawnSync(cmd, args, { stdio: 'ignore', timeout: 60_000 }).status === 0;
  } catch {
    return false;
  }
}
const tools = {
  pandoc: has('pandoc', ['--version']),
  pythonDocx: existsSync(PY) && has(PY, ['-c', 'import docx']),
  libreoffice: !!findLibreOffice(),
  poppler: has('pdftotext', ['-v']) && has('pdfinfo', ['-v']),
};

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), progress: () => undefined, cwd });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let dir: string;
let file: string;
let out: string;
let exported: { code: number; out: string; err: string };
const path = (ext: string) => join(out, `${REPORT}.${ext}`);

beforeAll(async () => {
  dir = tempDir('assay-download-');
  file = join(dir, 'demo.assay');
  await createDemoWorkspace(file);
  const wf = await WorkspaceFile.open(file);
  try {
    await approveReport(wf.workspace, figureService(wf.workspace), { report: REPORT, by: 'Test Reviewer', clearRestricted: true });
    await wf.save();
  } finally {
    await wf.close();
  }
  out = join(dir, 'public');
  // The PDF is not read here (publication.test.ts reads it); the other formats are written as `--format all` writes them.
  exported = await cli(dir, 'export', file, '--report', REPORT, '--format', 'docx,html,csv,xlsx', '--out', out);
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Word as Word writes it', () => {
  it('the export says where the contents page numbers came from', () => {
    expect(exported.code, exported.err).toBe(0);
    expect(exported.out).toMatch(tools.libreoffice ? /docx .*: contents page numbers from LibreOffice’s layout/ : /docx .*: contents without page numbers: LibreOffice is not installed/);
  });

  it.skipIf(!tools.pandoc)('pandoc reads every caption with its number: "Figure 1:", "Table 1:" and on (needs pandoc; skipped without it)', () => {
    const text = execFileSync('pandoc', ['-t', 'plain', '--wrap=none', path('docx')], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const html = readFileSync(path('html'), 'utf8');
    const count = (label: string) => new Set([...html.matchAll(new RegExp(`${label} (\\d+):`, 'g'))].map((m) => m[1])).size;
    const figures = count('Figure');
    const tables = count('Table');
    expect(figures).toBeGreaterThanOrEqual(5);
    expect(tables).toBeGreaterThanOrEqual(5);
    for (let n = 1; n <= figures; n++) expect(text).toContain(`Figure ${n}:`);
    for (let n = 1; n <= tables; n++) expect(text).toContain(`Table ${n}:`);
    expect(text).not.toMatch(/(Figure|Table) :/);
  });

  it.skipIf(!tools.pythonDocx)('python-docx finds the "Assay table" style on every table, no table before the first heading, and widths from the content (needs /usr/bin/python3 with python-docx; skipped without it)', () => {
    const script = `
import sys, json, docx, docx.table, docx.text.paragraph, docx.enum.style
from docx.oxml.ns import qn
d = docx.Document(sys.argv[1])
style = [s for s in d.styles if s.name == 'Assay table']
out = {'style': [(s.type == docx.enum.style.WD_STYLE_TYPE.TABLE) for s in style], 'tables': [], 'before_heading': 0}
seen_heading = False
for el in d.element.body.iterchildren():
  if el.tag == qn('w:p'):
    p = docx.text.paragraph.Paragraph(el, d)
    if p.style is not None and p.style.name.startswith('Heading'): seen_heading = True
  elif el.tag == qn('w:tbl'):
    if not seen_heading: out['before_heading'] += 1
    t = docx.table.Table(el, d)
    grid = [int(c.get(qn('w:w'))) for c in el.find(qn('w:tblGrid')).findall(qn('w:gridCol'))]
    head = [c.text for c in t.rows[0].cells]
    body = [[c.text for c in r.cells] for r in t.rows[1:]]
    out['tables'].append({'style': t.style.name if t.style is not None else None, 'grid': grid, 'head': head, 'body': body})
size = None
for s in style:
  sz = s.element.find(qn('w:rPr'))
  if sz is not None and sz.find(qn('w:sz')) is not None: size = int(sz.find(qn('w:sz')).get(qn('w:val'))) / 2
out['size'] = size
print(json.dumps(out))
`;
    const r = JSON.parse(execFileSync(PY, ['-c', script, path('docx')], { encoding: 'utf8', maxBuffer: 64 << 20 })) as {
      style: boolean[];
      tables: { style: string | null; grid: number[]; head: string[]; body: string[][] }[];
      before_heading: number;
      size: number | null;
    };
    // One table style, a table style, in styles.xml; every table uses it.
    expect(r.style).toEqual([true]);
    expect(r.tables.length).toBeGreaterThanOrEqual(8);
    expect(r.tables.filter((t) => t.style !== 'Assay table').map((t) => t.head.join(' | '))).toEqual([]);
    // The cover is paragraphs, not a layout table.
    expect(r.before_heading).toBe(0);
    const numeric = (s: string) => /^[\s£$€+\-–−]*[\d.,]+\s*(%|pp)?$|^\[[cxz]\]$/.test(s.trim());
    let checked = 0;
    for (const t of r.tables) {
      const cols = t.grid.length;
      const isNumber = Array.from({ length: cols }, (_, j) => t.body.length > 0 && t.body.every((row) => numeric(row[j] ?? '')));
      if (isNumber[0] || !isNumber.slice(1).some(Boolean)) continue;
      checked++;
      // The label column is wider than every number column; the number columns share one width.
      for (let j = 1; j < cols; j++) if (isNumber[j]) expect(t.grid[0], `${t.head.join(' | ')}: column ${j + 1}`).toBeGreaterThan(t.grid[j]!);
      const numberWidths = new Set(t.grid.filter((_, j) => isNumber[j]));
      expect(numberWidths.size, t.head.join(' | ')).toBeLessThanOrEqual(2);
      // A header wraps only at its spaces: each number column is wide enough for its header's longest word in bold at
      // the table style's size (Arial bold averages under 0.62 em a character), with the cell's margins (2 × 90 twips).
      const size = r.size ?? 9.5;
      for (let j = 1; j < cols; j++) {
        if (!isNumber[j]) continue;
        const longest = Math.max(...t.head[j]!.split(/\s+/).map((w) => w.length));
        expect(t.grid[j], `${t.head[j]} in ${t.head.join(' | ')}`).toBeGreaterThanOrEqual(longest * size * 20 * 0.62 + 180);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  it.skipIf(!tools.libreoffice || !tools.poppler)('each contents entry gives the page LibreOffice lays its heading on (needs LibreOffice and poppler-utils; skipped without them)', async () => {
    const pdf = join(dir, 'render.pdf');
    writeFileSync(pdf, await libreOfficePdf(findLibreOffice()!, new Uint8Array(readFileSync(path('docx')))));
    const count = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    const pages = Array.from({ length: count }, (_, i) => execFileSync('pdftotext', ['-layout', '-f', String(i + 1), '-l', String(i + 1), pdf, '-'], { encoding: 'utf8' }));
    const contentsAt = pages.findIndex((p) => /^\s*Contents\s*$/m.test(p));
    expect(contentsAt).toBeGreaterThanOrEqual(0);
    // "2.1 Key findings........5": the number, the heading and its page.
    const entries = [...pages[contentsAt]!.matchAll(/^\s*(\d+(?:\.\d+)*)\s+(.+?)\s*\.{3,}\s*(\d+)\s*$/gm)].map((m) => ({ number: m[1]!, title: m[2]!, page: Number(m[3]) }));
    const html = readFileSync(path('html'), 'utf8');
    // As many as the numbered headings the HTML edition's contents lists.
    const toc = /<nav class="toc"[\s\S]*?<\/nav>/.exec(html)![0];
    expect(entries.length).toBe([...toc.matchAll(/<span class="hnum">/g)].length);
    expect(entries.length).toBeGreaterThanOrEqual(15);
    const wrong: string[] = [];
    let from = contentsAt + 1;
    for (const e of entries) {
      // The heading as LibreOffice sets it: its number, then its text, on a line of their own.
      const re = new RegExp(`^\\s*${e.number.replace(/\./g, '\\.')}\\s+${e.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')}\\s*$`, 'm');
      const at = pages.findIndex((p, i) => i >= from && re.test(p));
      if (at < 0) wrong.push(`${e.number} ${e.title}: not found after page ${from + 1}`);
      else {
        if (at + 1 !== e.page) wrong.push(`${e.number} ${e.title}: contents says ${e.page}, LibreOffice lays it on ${at + 1}`);
        from = at;
      }
    }
    expect(wrong).toEqual([]);
    // And "Page n of m" counts the pages LibreOffice laid out.
    expect(pages[contentsAt]).toMatch(new RegExp(`Page ${contentsAt + 1} of ${count}`));
  }, 180_000);
});

describe('a real data download', () => {
  type Row = Record<(typeof DATA_COLUMNS)[number], string>;
  const csvRows = (): Row[] => parseCsv(readFileSync(path('csv'), 'utf8').replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true }) as Row[];

  it('the tidy CSV: the documented columns, one value a row as a number with its unit, nothing internal', () => {
    const text = readFileSync(path('csv'), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(DATA_COLUMNS.join(','));
    const rows = csvRows();
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) {
      expect(r.Value === '' || /^-?\d+(\.\d{1,2})?$/.test(r.Value), `${r.Figure}: ${r.Value}`).toBe(true);
      expect(['percent', 'percentage points', 'number', 'rank'].includes(r.Unit) || /per |aged|days|weeks|£|ratio/.test(r.Unit), `${r.Figure}: unit ${r.Unit}`).toBe(true);
      expect(r.Source, r.Figure).not.toBe('');
      expect(`${r.Figure} ${r.Measure} ${r.Notes}`).not.toMatch(/[{}]|SELECT|\n/);
      // Notes are sentences: never a doubled full stop where two are joined.
      expect(r.Notes, r.Figure).not.toMatch(/\.\./);
    }
  });

  it('the tidy CSV holds every value `assay figures --json` gives for the report, at the documented precision (two decimal places; shares as percentages)', async () => {
    const r = await cli(dir, 'figures', file, '--report', REPORT, '--json');
    expect(r.code, r.err).toBe(0);
    type Col = { key: string; numeric?: boolean; role?: string; format?: { style?: string } };
    type Item = { name: string; part?: string; result: { value: unknown; formatted: string; parts?: Record<string, unknown>; columns?: Col[]; rows?: Record<string, unknown>[]; error?: string } };
    const figures = (JSON.parse(r.out) as { figures: Item[] }).figures;
    expect(figures.length).toBeGreaterThan(50);
    expect(figures.filter((f) => f.result.error).map((f) => f.name)).toEqual([]);

    const rows = csvRows();
    // Two decimal places, shares and changes in shares in percent (points): what the CSV's notes and README document.
    const at = (v: number, style?: string) => Math.round((style === 'percent' || style === 'points' ? v * 100 : v) * 100) / 100;
    const styleOf = (formatted: string) => (/percentage points?$/.test(formatted) ? 'points' : /%$/.test(formatted) ? 'percent' : undefined);
    // A figure's name may hold placeholders the report fills in ("{asAt:year}"): they match any words.
    const named = (name: string) => new RegExp(`^${name.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('.+')}$`);
    const byFigure = new Map<string, number[]>();
    for (const row of rows) byFigure.set(row.Figure, [...(byFigure.get(row.Figure) ?? []), Number(row.Value)]);
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const missing: string[] = [];
    const hasValue = (name: string, value: number) => rows.some((row) => named(name).test(row.Figure) && Number(row.Value) === value);

    let compared = 0;
    for (const f of figures) {
      const res = f.result;
      const parts = res.parts ?? {};
      if (res.columns?.length && res.rows) {
        // A table or chart: its numeric cells, all of them, are the values of one table of the download (the table's or
        // chart's own, or the figure's when it is quoted only in the text).
        const measures = res.columns.filter((c) => c.numeric && c.role !== 'detail');
        const want = sorted(res.rows.flatMap((row) => measures.flatMap((c) => (typeof row[c.key] === 'number' ? [at(row[c.key] as number, c.format?.style)] : []))));
        const match = [...byFigure.entries()].some(([, vs]) => JSON.stringify(sorted(vs.filter((v) => !Number.isNaN(v)))) === JSON.stringify(want)) ||
          [...byFigure.entries()].some(([k, vs]) => named(f.name).test(k) && want.every((v) => vs.includes(v)));
        if (!match) missing.push(`${f.name}: table of ${want.length} values`);
        compared += want.length;
        if (f.part && typeof parts[f.part] === 'number') {
          compared++;
          if (!hasValue(f.name, at(parts[f.part] as number))) missing.push(`${f.name} (${f.part}) = ${String(parts[f.part])}`);
        }
        continue;
      }
      if (typeof res.value === 'number') {
        compared++;
        const v = at(res.value, styleOf(res.formatted));
        if (!hasValue(f.name, v)) missing.push(`${f.name} = ${res.value} (${res.formatted}), looked for ${v}`);
      }
      for (const k of ['from', 'to'] as const) {
        if (typeof parts[k] !== 'number') continue;
        compared++;
        if (!hasValue(f.name, at(parts[k] as number, 'percent'))) missing.push(`${f.name} (${k}) = ${String(parts[k])}`);
      }
    }
    expect(missing).toEqual([]);
    expect(compared).toBeGreaterThan(300);
  });

  it('the workbook opens with a reader library: cover, contents and notes sheets, then one table a sheet with one header row, no merged cells, values as numbers', async () => {
    const wb = await readWorkbook(new Uint8Array(readFileSync(path('xlsx'))));
    const names = wb.sheets.map((s) => s.name);
    expect(names.slice(0, 3)).toEqual(['Cover_sheet', 'Contents', 'Notes']);
    expect(wb.sheets.flatMap((s) => s.merges.map((m) => `${s.name}!${m}`))).toEqual([]);
    for (const s of wb.sheets) {
      expect(s.name.length, s.name).toBeLessThanOrEqual(31);
      expect(s.name).toMatch(/^[A-Za-z0-9_]+$/);
      // The title in A1, in words.
      expect(s.rows[0]?.[0], s.name).toMatch(/\w{3,}/);
    }
    expect(wb.sheets[0]!.tables).toEqual([]);
    const cover = wb.sheets[0]!.rows.map((r) => r.join(' ')).join('\n');
    expect(cover).toMatch(/State of Care/);
    expect(cover).toMatch(/\[c\]/);
    expect(cover).toMatch(/\[x\]/);
    // The publication's notices travel with the data: date, copyright, licence, ISBN, contact.
    expect(cover).toMatch(/Published \d{1,2} \w+ \d{4}\./);
    expect(cover).toMatch(/© .+ \d{4}/);
    expect(cover).toMatch(/Open Government Licence/);
    expect(cover).toMatch(/ISBN 978-/);
    expect(cover).toMatch(/Contact us/);

    const data = wb.sheets.slice(3);
    expect(data.length).toBeGreaterThanOrEqual(10);
    // The contents lists every data sheet, each once, with its title and its number of rows.
    const contents = wb.sheets[1]!;
    expect(contents.tables).toHaveLength(1);
    const listed = contents.rows.slice(3).filter((r) => r.some(Boolean));
    expect(listed.map((r) => r[0])).toEqual(data.map((s) => s.name));
    expect(listed.map((r) => r[1])).toEqual(data.map((s) => s.rows[0]![0]));
    // The notes are one table of numbered notes.
    const notes = wb.sheets[2]!;
    expect(notes.tables).toHaveLength(1);
    expect(notes.tables[0]!.columns[0]).toBe('Note number');
    expect(notes.rows.slice(3).filter((r) => r.some(Boolean)).every((r) => /^\[note \d+\]$/.test(r[0]!))).toBe(true);

    const csv = csvRows();
    let values = 0;
    for (const [i, s] of data.entries()) {
      // One table, its single header row right after the title and the line about the sheet, then its rows.
      expect(s.tables, s.name).toHaveLength(1);
      const t = s.tables[0]!;
      expect(t.ref, s.name).toMatch(/^A3:/);
      expect(s.rows[2], s.name).toEqual(t.columns);
      expect(t.columns).toContain('Value');
      expect(t.columns).toContain('Unit');
      const body = s.values.slice(3);
      expect(body.length, s.name).toBe(t.rows);
      const v = t.columns.indexOf('Value');
      for (const row of body) {
        expect(typeof row[v] === 'number' || ['[x]', '[c]'].includes(String(row[v])), `${s.name}: ${String(row[v])}`).toBe(true);
        expect(row.every((c) => c !== null && c !== undefined && c !== ''), `${s.name}: a blank cell`).toBe(true);
      }
      values += body.length;
      // The same values as the CSV's rows of that table, in order.
      const title = String(contents.rows[3 + i]![1]);
      const fromCsv = csv.filter((r) => r.Figure === title || (title === 'Figures quoted in the text' && !/^(Figure|Table) \d+:/.test(r.Figure))).map((r) => (r.Value === '' ? '[x]' : Number(r.Value)));
      expect(body.map((row) => row[v]), s.name).toEqual(fromCsv);
    }
    expect(values).toBe(csv.length);
  });

  it('the HTML links to both files of the data download, beside it', () => {
    const html = readFileSync(path('html'), 'utf8');
    expect(html).toContain(`href="${REPORT}.xlsx"`);
    expect(html).toContain(`href="${REPORT}.csv"`);
    expect(existsSync(path('xlsx')) && existsSync(path('csv'))).toBe(true);
  });
});

