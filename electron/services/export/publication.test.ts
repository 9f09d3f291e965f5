import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run';
import { WorkspaceFile } from '../workspace-file';
import { tempDir } from '../testing/fixtures';
import { readWorkbook, workbookText } from '../testing/xlsx';
import { createDemoWorkspace } from '../demo/create';
import { listFigures } from '../../../shared/figures';
import { TABLES } from '../../../shared/store/tables';
import { CQC_PUBLICATION_LABELS } from '../../../shared/store/reference';

/**
 * Issue 13's acceptance test on the demonstration workspace, with real files and the real outside tools: the public
 * edition of the State of Care report is refused while `assay check` has blockers (nothing written, every blocker
 * listed where it is); `--draft` writes every format marked DRAFT (every PDF page, the Word header and properties, the
 * HTML banner, the CSV's first line); once the report is approved the public edition is written, and no format of it
 * prints a slug, a table name, "(chart)" or a data file's own spelling of a category.
 *
 * The steps share one demo workspace (about 20 s to generate) and run in order.
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
  chromium: existsSync('/usr/bin/chromium') || !!process.env.ASSAY_CHROMIUM,
  poppler: has('pdfinfo', ['-v']) && has('pdftotext', ['-v']),
  pythonDocx: has(PY, ['-c', 'import docx']),
};
const NEEDS = '(needs Chromium, poppler-utils and python3-docx; skipped without them)';
const allTools = tools.chromium && tools.poppler && tools.pythonDocx;

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), progress: () => undefined, cwd });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The text of each page of a PDF, as pdftotext reads it page by page. */
function pdfPages(pdf: string): string[] {
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
  return Array.from({ length: pages }, (_, i) => execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), pdf, '-'], { encoding: 'utf8' }));
}

/** What python-docx reads of a Word file: body and table text, headers (default and first page), footnotes, properties. */
const READ_DOCX = `
import sys, json, zipfile, re, docx
d = docx.Document(sys.argv[1]); z = zipfile.ZipFile(sys.argv[1])
def cells(t):
  return [c.text for r in t.rows for c in r.cells]
s = d.sections[0]
foot = z.read('word/footnotes.xml').decode() if 'word/footnotes.xml' in z.namelist() else ''
custom = z.read('docProps/custom.xml').decode() if 'docProps/custom.xml' in z.namelist() else ''
cp = d.core_properties
print(json.dumps({
  'body': [p.text for p in d.paragraphs] + [x for t in d.tables for x in cells(t)],
  'header': [p.text for p in s.header.paragraphs],
  'firstHeader': [p.text for p in s.first_page_header.paragraphs],
  'differentFirst': s.different_first_page_header_footer,
  'footnotes': re.findall(r'<w:t[^>]*>([^<]*)</w:t>', foot),
  'title': cp.title, 'subject': cp.subject, 'keywords': cp.keywords, 'comments': cp.comments,
  'custom': re.findall(r'name="([^"]+)"[^>]*>\\s*<vt:lpwstr>([^<]*)</vt:lpwstr>', custom),
}))`;
interface DocxRead {
  body: string[];
  header: string[];
  firstHeader: string[];
  differentFirst: boolean;
  footnotes: string[];
  title: string;
  subject: string;
  keywords: string;
  comments: string;
  custom: [string, string][];
}
const readDocx = (p: string) => JSON.parse(execFileSync(PY, ['-c', READ_DOCX, p], { encoding: 'utf8', maxBuffer: 64 << 20 })) as DocxRead;

let dir = '';
let file = '';
let blocking = 0;

beforeAll(async () => {
  dir = tempDir('assay-publication-');
  file = join(dir, 'demo.assay');
  await createDemoWorkspace(file);
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!allTools)(`publishing the demo State of Care report ${NEEDS}`, () => {
  it('refuses the public edition while check has blockers: exits non-zero, lists every blocker where it is, writes nothing', async () => {
    const check = await cli(dir, 'check', file, '--report', REPORT, '--json');
    expect(check.code).toBe(1);
    const r = JSON.parse(check.out) as { blocking: number; problems: { severity: string; message: string; location?: { sectionTitle: string; paragraph?: number; sentence?: number } }[] };
    blocking = r.blocking;
    expect(blocking).toBeGreaterThan(0);

    const out = join(dir, 'public-refused');
    const t0 = performance.now();
    const refused = await cli(dir, 'export', file, '--report', REPORT, '--format', 'all', '--out', out);
    console.log(`public export refused in ${Math.round(performance.now() - t0)} ms with ${blocking} blockers`);
    expect(refused.code).not.toBe(0);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    expect(refused.out).toBe('');
    expect(refused.err).toContain(`${blocking} problems block publication, and nothing was written`);
    // Every blocker, numbered, with its section, paragraph and sentence where it has them.
    const listed = refused.err.split('\n').filter((l) => /^ {2}\d+\. /.test(l));
    expect(listed).toHaveLength(blocking);
    const blockers = r.problems.filter((p) => p.severity === 'blocking');
    blockers.forEach((p, i) => {
      const line = listed[i]!;
      expect(line).toContain(p.message);
      if (p.location) expect(line).toContain(`“${p.location.sectionTitle}”`);
      if (p.location?.paragraph) expect(line).toContain(`paragraph ${p.location.paragraph}`);
      if (p.location?.sentence) expect(line).toContain(`sentence ${p.location.sentence}`);
    });
    console.log(`first blockers as listed:\n${listed.slice(0, 3).join('\n')}`);
    expect(refused.err).toMatch(/--draft/);
  }, 300_000);

  it('--draft writes every format marked DRAFT: every PDF page, the Word header and properties, the HTML banner, the CSV first line and every row, the workbook\'s cover, every sheet\'s title and every row', async () => {
    const out = join(dir, 'draft');
    const r = await cli(dir, 'export', file, '--report', REPORT, '--format', 'all', '--out', out, '--draft');
    expect(r.code, r.err).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['docx', 'pdf', 'html', 'csv', 'xlsx'].map((f) => `${REPORT}-draft.${f}`).sort());
    expect(r.out).toMatch(/DRAFT – not for publication/);

    const pages = pdfPages(join(out, `${REPORT}-draft.pdf`));
    expect(pages.length).toBeGreaterThanOrEqual(20);
    const unmarked = pages.map((t, i) => ({ page: i + 1, t })).filter((p) => !/DRAFT/.test(p.t)).map((p) => p.page);
    expect(unmarked).toEqual([]);
    // The running head (every page after the cover) and the cover's own mark.
    expect(pages.slice(1).every((t) => t.includes('DRAFT – NOT FOR PUBLICATION'))).toBe(true);
    expect(pages[0]).toMatch(/DRAFT – not for publication/i);

    const w = readDocx(join(out, `${REPORT}-draft.docx`));
    expect(w.header.join(' ')).toMatch(/^DRAFT – NOT FOR PUBLICATION · State of Care/);
    expect(w.differentFirst).toBe(true);
    expect(w.firstHeader.join(' ')).toMatch(/DRAFT/);
    expect(w.title).toMatch(/^DRAFT: /);
    expect(w.subject).toMatch(/^DRAFT – not for publication/);
    expect(w.keywords).toMatch(/^DRAFT; /);
    expect(w.custom).toContainEqual(['Edition', 'DRAFT – not for publication']);
    expect(w.body.some((t) => /DRAFT – NOT FOR PUBLICATION/.test(t))).toBe(true);

    const html = readFileSync(join(out, `${REPORT}-draft.html`), 'utf8');
    expect(html).toMatch(/<aside class="edition-banner edition-banner--draft" aria-label="Edition">DRAFT – not for publication<\/aside>/);
    expect(html).toMatch(/<title>DRAFT: State of Care/);

    const csv = readFileSync(join(out, `${REPORT}-draft.csv`), 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.split('\r\n');
    expect(lines[0]).toMatch(/^DRAFT – not for publication: State of Care/);
    expect(lines[1]).toMatch(/^Edition,Figure,Measure,/);
    expect(lines.slice(2).filter(Boolean).length).toBeGreaterThan(100);
    expect(lines.slice(2).filter(Boolean).every((l) => l.startsWith('DRAFT – not for publication,'))).toBe(true);

    // The workbook, read back: its properties, its cover, the title (A1) of every sheet, and an Edition column in every
    // data table, so that neither the file, a sheet nor a row copied out of it passes for final.
    const wb = await readWorkbook(new Uint8Array(readFileSync(join(out, `${REPORT}-draft.xlsx`))));
    expect(String(wb.properties.title)).toMatch(/^DRAFT/);
    const cover = wb.sheets[0]!;
    expect(cover.name).toBe('Cover_sheet');
    expect(cover.rows.map((x) => x.join(' ')).join('\n')).toMatch(/DRAFT – not for publication/);
    const untitled = wb.sheets.filter((x) => !/^DRAFT – not for publication/.test(x.rows[0]?.[0] ?? '')).map((x) => x.name);
    expect(untitled).toEqual([]);
    const data = wb.sheets.filter((x) => !['Cover_sheet', 'Contents', 'Notes'].includes(x.name));
    expect(data.length).toBeGreaterThan(5);
    for (const x of data) {
      expect(x.tables[0]!.columns[0], x.name).toBe('Edition');
      const body = x.rows.slice(3).filter((row) => row.some(Boolean));
      expect(body.length, x.name).toBe(x.tables[0]!.rows);
      expect(body.every((row) => row[0] === 'DRAFT – not for publication'), x.name).toBe(true);
    }
  }, 300_000);

  it('once every section is approved through the approve workflow, the public edition is exported as before', async () => {
    type CheckJson = { blocking: number; problems: { severity: string; code: string; message: string }[] };
    let approved = await cli(dir, 'approve', file, '--report', REPORT, '--by', 'Test Reviewer');
    expect(approved.code, approved.err).toBe(0);
    let check = await cli(dir, 'check', file, '--report', REPORT, '--json');
    // Approval alone does not clear a sentence citing restricted evidence for the public edition: that is a decision
    // of its own (a disclosure check), which the reviewer makes explicitly.
    const left = (JSON.parse(check.out) as CheckJson).problems.filter((p) => p.severity === 'blocking');
    expect(left.length).toBeGreaterThan(0);
    expect(new Set(left.map((p) => p.code))).toEqual(new Set(['restricted-evidence-in-text']));
    expect(check.code).not.toBe(0);

    approved = await cli(dir, 'approve', file, '--report', REPORT, '--by', 'Test Reviewer', '--clear-restricted');
    expect(approved.code, approved.err).toBe(0);
    expect(approved.out).toMatch(/sentences? citing restricted evidence cleared for publication/);
    check = await cli(dir, 'check', file, '--report', REPORT, '--json');
    const after = JSON.parse(check.out) as CheckJson;
    expect(after.problems.filter((p) => p.severity === 'blocking')).toEqual([]);
    // Each cleared sentence is still listed, as a warning naming who cleared it.
    expect(after.problems.filter((p) => p.code === 'restricted-evidence-in-text').every((p) => p.severity === 'warning' && /Test Reviewer cleared it for publication/.test(p.message))).toBe(true);
    expect(check.code).toBe(0);

    const out = join(dir, 'public');
    const r = await cli(dir, 'export', file, '--report', REPORT, '--format', 'all', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['docx', 'pdf', 'html', 'csv', 'xlsx'].map((f) => `${REPORT}.${f}`).sort());
    expect(r.out).toMatch(/Public edition/);
    const pages = pdfPages(join(out, `${REPORT}.pdf`));
    expect(pages.filter((t) => /DRAFT/.test(t))).toEqual([]);
    expect(readDocx(join(out, `${REPORT}.docx`)).custom).toContainEqual(['Edition', 'Public edition']);
  }, 600_000);

  it('no slug, table name, SQL, placeholder, "(chart)" or source spelling of a category in the text of the public edition', async () => {
    const out = join(dir, 'public');
    const wf = await WorkspaceFile.open(file, { readOnly: true });
    let slugs: string[];
    let ids: string[];
    try {
      const figures = listFigures(wf.workspace);
      slugs = [...figures.map((f) => f.slug), REPORT];
      ids = figures.map((f) => f.id);
    } finally {
      await wf.close({ save: false });
    }
    const pdf = pdfPages(join(out, `${REPORT}.pdf`)).join('\n');
    const w = readDocx(join(out, `${REPORT}.docx`));
    const docx = [...w.body, ...w.header, ...w.firstHeader, ...w.footnotes, w.title, w.subject, w.keywords, w.comments].join('\n');
    const htmlFile = readFileSync(join(out, `${REPORT}.html`), 'utf8');
    // The HTML links to the edition's own files beside it (the PDF, the Word file and the data download): those href values are file names, not
    // printed text, so they are taken out, each by its exact name, before the search; any other use of the slug is not.
    const own = readdirSync(out);
    const linked = [...htmlFile.matchAll(/ href="([^"]*)"/g)].map((m) => m[1]!).filter((h) => own.includes(decodeURI(h)));
    expect(linked.sort()).toEqual([`${REPORT}.csv`, `${REPORT}.docx`, `${REPORT}.pdf`, `${REPORT}.xlsx`]);
    const html = htmlFile.replace(/ href="([^"]*)"/g, (all, h: string) => (own.includes(decodeURI(h)) ? ' href=""' : all));
    const csv = readFileSync(join(out, `${REPORT}.csv`), 'utf8');
    const xlsx = await workbookText(new Uint8Array(readFileSync(join(out, `${REPORT}.xlsx`))));
    // Table names that are not also English words (ratings, locations and the like are).
    const tableNames = TABLES.filter((t) => t.includes('_'));
    const categories = CQC_PUBLICATION_LABELS.filter((l) => l.value !== l.label && l.value !== 'Overall').map((l) => l.value);
    const found: string[] = [];
    for (const [format, text] of Object.entries({ pdf, docx, html, csv, xlsx })) {
      // pdftotext breaks long lines; joined, a slug split at a line end is found too.
      const flat = text.replace(/-\n/g, '-').replace(/\s+/g, ' ');
      for (const s of slugs) if (new RegExp(`(^|[^a-z0-9-])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9-])`).test(flat)) found.push(`${format}: slug ${s}`);
      for (const id of ids) if (flat.includes(id)) found.push(`${format}: id ${id}`);
      for (const t of tableNames) if (flat.includes(t)) found.push(`${format}: table ${t}`);
      for (const c of categories) if (flat.includes(c)) found.push(`${format}: category "${c}"`);
      if (/\bSELECT\b|\bFROM [a-z_]+\b/.test(flat)) found.push(`${format}: SQL`);
      if (/\(chart\)/i.test(flat)) found.push(`${format}: (chart)`);
      if (/\{\w+(:\w+)?\}/.test(flat.replace(/<style>[\s\S]*?<\/style>/, ''))) found.push(`${format}: a placeholder`);
      if (/Figure “/.test(flat)) found.push(`${format}: a figure named by its slug`);
    }
    expect(found).toEqual([]);
    // Source lines name the data and its date.
    expect(pdf.replace(/\s+/g, ' ')).toContain('Source: CQC ratings data, as at 31 July 2018.');
    expect(html).toContain('Source: CQC ratings data, as at 31 July 2017 and 31 July 2018.');
    // Categories print with their publication labels.
    expect(html).toContain('NHS acute hospitals');
  }, 300_000);
});
