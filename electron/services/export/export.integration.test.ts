import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { WorkspaceFile } from '../workspace-file';
import { tempDir } from '../testing/fixtures';
import { createDemoWorkspace } from '../demo/create';
import { exportReport, type ExportResult } from './export';
import { approveReport } from '../../../shared/review/workflow';
import { figureService } from '../../../shared/figures/service';
import { findChromium, launchChromium, readOutline } from './pdf';
import { checkPdfUa, figureAlts, formatFindings } from './pdf-check';
import { updateRating } from '../../../shared/store/ratings';
import { RESTRICTED_SENSITIVITIES } from '../../../shared/store/evidence';
import type { FigureUse } from '../../../shared/document/tree';
import { parse as parseCsv } from 'csv-parse/sync';

/**
 * The acceptance checks of issue 4 on the demonstration workspace, with the real outside tools: LibreOffice, pandoc,
 * python-docx, poppler and Chromium. Each test skips, saying why, when its tool is missing.
 */

function has(cmd: string, args: string[] = ['--version']): boolean {
  try {
    return spawnSync(cmd, args, { stdio: 'ignore', timeout: 60_000 }).status === 0;
  } catch {
    return false;
  }
}
const chromium = (() => {
  try {
    return findChromium();
  } catch {
    return undefined;
  }
})();
const tools = {
  libreoffice: has('libreoffice', ['--version']),
  pandoc: has('pandoc'),
  pythonDocx: has('/usr/bin/python3', ['-c', 'import docx']),
  poppler: has('pdfinfo', ['-v']) && has('pdftotext', ['-v']),
  chromium: !!chromium,
};

const REPORT = 'state-of-care-2017-18';
let dir: string;
let path: string;
let browser: Browser | undefined;
let pub: ExportResult;
let internal: ExportResult;

const text = (p: string) => readFileSync(p, 'utf8');
const file = (r: ExportResult, f: string) => r.files.find((x) => x.format === f)!.path;
const norm = (s: string) => s.replace(/\s+/g, ' ').replace(/\u00a0/g, ' ');

/** The tidy CSV's rows (a draft's first line says DRAFT and is not a header). */
function csvRows(csv: string): Record<string, string>[] {
  const body = csv.replace(/^\uFEFF/, '');
  return parseCsv(/^DRAFT/.test(body) ? body.slice(body.indexOf('\r\n') + 2) : body, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

/**
 * A figure's value as the tidy CSV writes it: a number to two decimal places, shares and changes in shares as
 * percentages. Undefined for a figure quoted by a part that is a word ("rose") or a table figure's named part.
 */
function csvValue(f: FigureUse): number | undefined {
  const r = f.result;
  const at = (v: unknown, style?: string) => (typeof v === 'number' ? Math.round((style ? v * 100 : v) * 100) / 100 : undefined);
  if (f.part === 'from' || f.part === 'to') return at(r.parts?.[f.part], 'percent');
  // A table figure quoted by a part: the part's number as it is (a lowest, a highest, a count).
  if (r.columns) return f.part ? at(r.parts?.[f.part]) : undefined;
  // A value figure (whatever word of it a sentence quotes): its value, in the unit it is printed in.
  return at(r.value, /percentage points?$/.test(r.formatted) ? 'points' : /%$/.test(r.formatted) ? 'percent' : undefined);
}

beforeAll(async () => {
  dir = tempDir('assay-export-it-');
  path = join(dir, 'demo.assay');
  await createDemoWorkspace(path);
  if (tools.chromium) browser = await launchChromium();
  // A public edition is made only of an approved report: a reviewer signs it off first, clearing the sentences that
  // cite restricted evidence (the publication gate itself is tested in publication.test.ts).
  const reviewed = await WorkspaceFile.open(path);
  try {
    await approveReport(reviewed.workspace, figureService(reviewed.workspace), { report: REPORT, by: 'Test Reviewer', clearRestricted: true });
    await reviewed.save();
  } finally {
    await reviewed.close();
  }
  const wf = await WorkspaceFile.open(path, { readOnly: true });
  try {
    const formats = tools.chromium ? (['docx', 'pdf', 'html', 'csv'] as const) : (['docx', 'html', 'csv'] as const);
    pub = await exportReport(wf.workspace, { report: REPORT, formats, audience: 'public', out: join(dir, 'public'), ...(browser ? { browser } : {}) });
    internal = await exportReport(wf.workspace, { report: REPORT, formats: ['docx', 'html', 'csv'], audience: 'internal', out: join(dir, 'internal') });
  } finally {
    await wf.close({ save: false });
  }
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the demo State of Care report', () => {
  it('is substantial: sections, live figures, charts, tables, evidence notes', () => {
    const d = pub.doc;
    expect(d.problems).toEqual([]);
    expect(d.headings.filter((h) => h.level === 1).length).toBeGreaterThanOrEqual(8);
    expect(d.headings.map((h) => h.text)).toContain('The integration lottery');
    expect(d.figures.filter((f) => f.display === 'inline').length).toBeGreaterThanOrEqual(60);
    expect(d.blocks.filter((b) => b.type === 'chart').length).toBeGreaterThanOrEqual(6);
    expect(d.blocks.filter((b) => b.type === 'figure-table' || b.type === 'table').length).toBeGreaterThanOrEqual(6);
    expect(d.noteRefs.length).toBeGreaterThanOrEqual(30);
    // A source cited more than once keeps one note number.
    expect(d.notes.length).toBeLessThan(d.noteRefs.length);
    expect(new Set(d.notes.map((n) => `${n.evidenceId}|${n.text}`)).size).toBe(d.notes.length);
    expect(d.meta.notices.join(' ')).toMatch(/Demonstration data/);
  });

  it.skipIf(!tools.libreoffice || !tools.poppler)('Word: LibreOffice converts it to PDF without errors, 15 pages or more (needs libreoffice and poppler-utils; skipped without them)', () => {
    const out = join(dir, 'lo');
    const r = spawnSync('libreoffice', ['--headless', '--convert-to', 'pdf', '--outdir', out, file(pub, 'docx')], { encoding: 'utf8', timeout: 300_000 });
    expect(r.status).toBe(0);
    // LibreOffice warns that it cannot start Java, which it does not need here; anything else on stderr is a failure.
    expect(r.stderr.split('\n').filter((l) => l.trim() && !/javaldx|java may not function/.test(l))).toEqual([]);
    const pdf = join(out, `${REPORT}.pdf`);
    expect(existsSync(pdf)).toBe(true);
    expect(Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1])).toBeGreaterThanOrEqual(15);
  });

  it.skipIf(!tools.pandoc)('Word: pandoc shows the headings (needs pandoc; skipped without it)', () => {
    const md = execFileSync('pandoc', ['-t', 'markdown', file(pub, 'docx')], { encoding: 'utf8', maxBuffer: 64 << 20 });
    for (const h of pub.doc.headings.filter((x) => x.level === 1)) expect(md).toMatch(new RegExp(`^# ${h.number}\\s+${h.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
  });

  it.skipIf(!tools.pythonDocx)('Word: python-docx finds Heading 1 paragraphs, footnotes and the TOC field (needs python3 with python-docx; skipped without it)', () => {
    const script = `
import sys, re, json, zipfile, docx
d = docx.Document(sys.argv[1]); z = zipfile.ZipFile(sys.argv[1])
xml = z.read('word/document.xml').decode()
print(json.dumps({'h1': [p.text for p in d.paragraphs if p.style.name == 'Heading 1'],
  'toc': re.search(r'instrText[^>]*>\\s*TOC\\s', xml) is not None, 'footnotes': z.read('word/footnotes.xml').decode().count('<w:footnote ') - 2,
  'refs': xml.count('<w:footnoteReference ')}))`;
    const r = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file(pub, 'docx')], { encoding: 'utf8' })) as { h1: string[]; toc: boolean; footnotes: number; refs: number };
    expect(r.h1.length).toBeGreaterThanOrEqual(8);
    expect(r.h1.some((h) => h.endsWith('The integration lottery'))).toBe(true);
    expect(r.toc).toBe(true);
    // Word gives every footnote mark its own footnote: one per reference.
    expect(r.footnotes).toBe(pub.doc.noteRefs.length);
    expect(r.refs).toBe(pub.doc.noteRefs.length);
  });

  it.skipIf(!tools.chromium || !tools.poppler)('PDF: tagged, at least 20 pages, every inline figure value in its text (needs Chromium and poppler-utils; skipped without them)', () => {
    const pdf = file(pub, 'pdf');
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBeGreaterThanOrEqual(20);
    const body = norm(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    const missing = pub.doc.figures.filter((f) => f.display === 'inline' && !body.includes(f.formatted)).map((f) => `${f.slug}=${f.formatted}`);
    expect(missing).toEqual([]);
    // The contents page shows page numbers.
    expect(body).toMatch(/Contents.*The integration lottery\s*\.*\s*\d+/);
  });

  it.skipIf(!tools.chromium)('PDF: PDF/UA-1 by the Matterhorn checks that can be made by machine, the title bookmark spaced, bookmarks shown on opening (needs Chromium; skipped without it)', async () => {
    const bytes = new Uint8Array(readFileSync(file(pub, 'pdf')));
    const findings = await checkPdfUa(bytes);
    // Every checkpoint passes (pdf-check.ts lists them), and no words are joined where a line wraps in the tagged text
    // a screen reader reads (the print CSS keeps each space, and a space that would hang past the margin wraps).
    expect(formatFindings(findings)).toEqual([]);
    const outline = await readOutline(bytes);
    expect(outline[0]!.title).toBe(pub.doc.meta.title);
    // Each chart is a Figure whose alternative text says what kind of chart it is, its title and its key values (every
    // value of a small chart; the highest, lowest and spread of a long one), and every value follows as a real table.
    const charts = pub.doc.blocks.flatMap((b) => (b.type === 'chart' ? [b] : []));
    const alts = await figureAlts(bytes);
    expect(alts).toHaveLength(charts.length);
    const body = norm(execFileSync('pdftotext', [file(pub, 'pdf'), '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    for (const [i, c] of charts.entries()) {
      expect(alts[i]).toBe(c.alt);
      expect(alts[i]).toMatch(/^(Stacked |Diverging |Grouped )?[Bb]ar chart: /);
      expect(alts[i]).toContain(c.caption);
      expect(alts[i]).toMatch(/\d/);
      const table = body.slice(body.indexOf(norm(`Data for figure ${c.number}: ${c.subtitle ?? c.caption}`)));
      expect(table.length, `figure ${c.number}'s data table`).toBeLessThan(body.length);
      for (const row of c.table.rows) for (const v of row) expect(table, `figure ${c.number}: ${row[0]}`).toContain(norm(v));
    }
  });

  it('HTML and CSV carry every inline figure value', () => {
    const html = text(file(pub, 'html'));
    const csv = text(file(pub, 'csv'));
    const rows = csvRows(csv);
    for (const f of pub.doc.figures.filter((x) => x.display === 'inline')) {
      expect(html).toContain(`>${f.formatted.replace(/&/g, '&amp;')}</span>`);
      // The data download is tidy data: the figure's value, as a number in its unit, in a row named for the figure
      // (download.test.ts compares every value with `assay figures --json`); no slug reaches a public edition.
      const value = csvValue(f);
      if (value !== undefined) expect(rows.some((r) => r.Figure === f.name && Number(r.Value) === value), `${f.name}: ${f.formatted}`).toBe(true);
      if (f.slug) expect(csv).not.toContain(f.slug);
    }
  });

  it.skipIf(!tools.chromium || !tools.poppler)('restricted evidence is absent from every format of the public edition and present in the internal one (needs Chromium and poppler-utils for the PDF; skipped without them)', async () => {
    const wf = await WorkspaceFile.open(path, { readOnly: true });
    let restricted: { title: string }[];
    try {
      const ids = [...new Set(internal.doc.notes.filter((n) => n.restricted).map((n) => n.evidenceId))];
      expect(ids.length).toBeGreaterThanOrEqual(3);
      restricted = ids.map((id) => wf.workspace.get<{ title: string; sensitivity: string }>('SELECT title, sensitivity FROM evidence WHERE id = ?', [id])!);
      for (const r of restricted as { title: string; sensitivity: string }[]) expect(RESTRICTED_SENSITIVITIES).toContain(r.sensitivity);
    } finally {
      await wf.close({ save: false });
    }
    const docxText = (p: string) => execFileSync('unzip', ['-p', p, 'word/document.xml', 'word/footnotes.xml'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    const pubHtml = text(file(pub, 'html'));
    const intHtml = text(file(internal, 'html'));
    const pubDocx = docxText(file(pub, 'docx'));
    const intDocx = docxText(file(internal, 'docx'));
    const pubPdf = norm(execFileSync('pdftotext', [file(pub, 'pdf'), '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    for (const r of restricted) {
      expect(pubHtml).not.toContain(esc(r.title));
      expect(pubDocx).not.toContain(esc(r.title));
      expect(pubPdf).not.toContain(norm(r.title).slice(0, 40));
      expect(intHtml).toContain(esc(r.title));
      expect(intDocx).toContain(esc(r.title));
    }
    expect(pubHtml).toContain('Unpublished evidence held by CQC.');
    expect(intHtml).toMatch(/OFFICIAL-SENSITIVE/);
  });

  it.skipIf(!tools.chromium || !tools.poppler)('after ratings change, every format shows the new values (needs Chromium and poppler-utils for the PDF; skipped without them)', async () => {
    const copy = join(dir, 'changed.assay');
    execFileSync('cp', [path, copy]);
    const wf = await WorkspaceFile.open(copy);
    try {
      const ws = wf.workspace;
      // Downgrade a fifth of adult social care services rated Good overall as at 31 July 2018 to Requires improvement.
      const ids = ws.all<{ id: number }>(
        `SELECT r.id FROM ratings r JOIN locations l ON l.id = r.location_id
         WHERE l.sector_id = 'asc' AND r.key_question_id = 'overall' AND r.service_group = 'Overall' AND r.rating = 'Good'
           AND r.published_on <= '2018-07-31'
           AND r.published_on = (SELECT max(r2.published_on) FROM ratings r2 WHERE r2.location_id = r.location_id AND r2.key_question_id = 'overall'
                                 AND r2.service_group = 'Overall' AND r2.published_on <= '2018-07-31')
           AND r.id % 5 = 0`,
      );
      expect(ids.length).toBeGreaterThan(500);
      await ws.write('test.downgrade', (tx) => {
        for (const { id } of ids) updateRating(tx, id, { rating: 'Requires improvement' });
      }, { unjournaled: true });
      const after = await exportReport(ws, {
        report: REPORT,
        formats: ['docx', 'pdf', 'html', 'csv'],
        audience: 'public',
        // The changed figures are no longer the approved ones: a public edition is refused, a draft shows them.
        draft: true,
        out: join(dir, 'changed'),
        ...(browser ? { browser } : {}),
      });
      const changed = after.doc.figures
        .map((f, i) => ({ f, before: pub.doc.figures[i]! }))
        .filter(({ f, before }) => f.display === 'inline' && f.formatted !== before.formatted);
      expect(changed.length).toBeGreaterThanOrEqual(3);
      const html = text(file(after, 'html'));
      const csv = text(file(after, 'csv'));
      const docx = execFileSync('unzip', ['-p', file(after, 'docx'), 'word/document.xml'], { encoding: 'utf8', maxBuffer: 64 << 20 });
      const pdf = norm(execFileSync('pdftotext', [file(after, 'pdf'), '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
      const rows = csvRows(csv);
      for (const { f } of changed) {
        expect(html).toContain(`>${f.formatted}</span>`);
        expect(docx).toContain(`<w:t xml:space="preserve">${f.formatted}</w:t>`);
        expect(pdf).toContain(f.formatted);
        // The data download holds the new value in the figure's row.
        const value = csvValue(f);
        if (value === undefined) continue;
        expect(rows.some((r) => r.Figure === f.name && Number(r.Value) === value), `${f.name}: ${f.formatted}`).toBe(true);
      }
    } finally {
      await wf.close({ save: false });
    }
  });
});
