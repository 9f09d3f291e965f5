import { describe, expect, it } from 'vitest';
import { buildDocument } from '../document/tree';
import { fixtureInput } from './testing/fixtures';
import { buildHtml } from './html';
import { buildCsv, CSV_COLUMNS } from './csv';
import { DATA_COLUMNS, tidyData, type DataDictionary } from './data';
import { pagesFromOutline } from './print';
import { columnWidths } from './docx/writer';

/** The fixture's words for its codes, as a workspace's dictionary gives them. */
const DICT: DataDictionary = { sector: (id) => (id === 'asc' ? 'Adult social care' : id), indicator: () => undefined, label: (v) => v, source: () => 'CQC ratings data' };

describe('HTML', () => {
  const doc = buildDocument(fixtureInput('internal'));
  const html = buildHtml(doc);

  it('is one accessible, self-contained page', () => {
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en-GB">/);
    expect(html).toContain('<main id="main">');
    expect(html).toContain('role="banner"');
    expect(html).toContain('role="contentinfo"');
    expect(html).toContain('<nav class="toc" aria-labelledby="toc-title">');
    expect(html).not.toMatch(/<link |<script|src="http/);
    expect(html).toContain('<th scope="col" class="num">Delayed days per 100,000 aged 65+</th>');
    expect(html).toContain('<th scope="row">York</th>');
  });

  it('shows figure values, captions, charts with alt text and data tables, and notes', () => {
    expect(html).toContain('<span class="fig" data-figure="asc-good-outstanding">82%</span>');
    expect(html).toContain('<span class="label">Figure 1:</span> Ratings by key question, adult social care');
    expect(html).toContain('<span class="label">Table 1:</span> Delayed transfers of care by area');
    expect(html).toMatch(/<div class="chart-img" role="img" aria-label="Stacked bar chart: Ratings by key question[^"]*"><svg/);
    expect(html).toContain('<summary>Show the data for figure 1</summary>');
    expect(html).toContain('<li id="note-2">‘Interview with a discharge coordinator about Mrs A’, unpublished interview, para 4.');
    // On screen the title is the one h1 and a section's subsection an h3; printed, the heading keeps its own level.
    expect(html).toContain('<h3 id="h-2" class="hl2"><span class="hnum">1.1</span> Safety</h3>');
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(buildHtml(doc, { print: true })).toContain('<h2 id="h-2" class="hl2"><span class="hnum">1.1</span> Safety</h2>');
    // Links to the same edition's other formats when they were written with it.
    expect(buildHtml(doc, { otherFormats: { pdf: 'report.pdf', docx: 'report.docx' } })).toContain('This report is also available <a href="report.pdf">as a PDF</a> and <a href="report.docx">as a Word document</a>.');
  });

  it('in print form, fills the contents with page numbers from the outline', () => {
    const pages = pagesFromOutline(doc, [
      { title: 'State of Care 2017/18', page: 1 },
      { title: 'Contents', page: 3 },
      { title: '1 Summary', page: 4 },
      { title: '1.1 Safety', page: 4 },
      { title: '2 The integration lottery', page: 7 },
      { title: 'Notes', page: 9 },
    ]);
    expect([...pages.entries()]).toEqual([
      ['h-1', 4],
      ['h-2', 4],
      ['h-3', 7],
      ['notes-title', 9],
    ]);
    // A heading that wraps on the page is bookmarked without the space at the line break; it is found all the same.
    const wrapped = pagesFromOutline(doc, [
      { title: 'Contents', page: 3 },
      { title: '1 Summary', page: 4 },
      { title: '1.1 Safety', page: 4 },
      { title: '2 The integrationlottery', page: 7 },
    ]);
    expect(wrapped.get('h-3')).toBe(7);
    const print = buildHtml(doc, { print: true, pageNumbers: pages });
    expect(print).toContain('The integration lottery</span><span class="dots" aria-hidden="true"></span><span class="pg">7</span>');
    expect(print).toContain('counter(page)');
  });

  it('leaves restricted evidence out of the public edition', () => {
    const pub = buildHtml(buildDocument(fixtureInput('public')));
    expect(pub).not.toContain('Mrs A');
    expect(pub).toContain('Unpublished evidence held by CQC.');
  });
});

describe('CSV', () => {
  it('internal: has a row per figure use with value, formatted value and provenance', () => {
    const csv = buildCsv(buildDocument(fixtureInput('internal')));
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    // Not the final public edition: a first line says which edition the file is, before the column names.
    expect(lines[0]).toMatch(/^Internal edition · OFFICIAL-SENSITIVE: /);
    lines.shift();
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(/^Internal edition · OFFICIAL-SENSITIVE,Summary,inline,,f1,asc-good-outstanding,Adult social care rated good or outstanding,value,,"\{""asAt"":""2018-07-31""\}",0\.815,82%,815,1000,/);
    expect(lines[1]).toContain('SELECT 1');
    expect(lines[1]).toContain('abc123');
    expect(lines[1]).toContain('ratings locations');
    expect(lines[1]).toContain('demo:demo@2026-01-01T00:00:00Z (10 rows, id imp1)');
  });

  it('public: tidy data, one row per figure value with the value as a number, and nothing internal (no slug, SQL, table or id)', () => {
    const doc = buildDocument(fixtureInput('public'));
    const csv = buildCsv(doc, { data: tidyData(doc, DICT) });
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe(DATA_COLUMNS.join(','));
    expect(lines.length).toBeGreaterThan(1);
    // The fixture's share 0.815 (815 of 1,000) is written as a percentage, in its unit.
    expect(csv).toMatch(/,81\.5,percent,/);
    for (const internal of ['SELECT 1', 'abc123', 'ratings locations', 'imp1', 'asc-good-outstanding', 'f1,', '{', 'computed_at']) expect(csv).not.toContain(internal);
    expect(() => buildCsv(doc)).toThrow(/tidy data/);
  });

  it('a draft says DRAFT on its first line and in every row', () => {
    const input = fixtureInput('public');
    input.edition = 'draft';
    const doc = buildDocument(input);
    const lines = buildCsv(doc, { data: tidyData(doc, DICT) }).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^DRAFT – not for publication: /);
    expect(lines[1]).toBe(['Edition', ...DATA_COLUMNS].join(','));
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines.slice(2)) expect(l).toMatch(/^DRAFT – not for publication,/);
  });
});

describe('Word table column widths', () => {
  const fit = { charTwip: 9.5 * 20 * 0.62, marginTwip: 220 };
  const head = [
    { text: 'Type of service', numeric: false },
    { text: 'Outstanding', numeric: true },
    { text: 'Good', numeric: true },
    { text: 'Requires improvement', numeric: true },
    { text: 'Inadequate', numeric: true },
    { text: 'Rated', numeric: true },
  ];
  const rows = [['Adult social care', '3%', '79%', '17%', '1%', '24,401']];

  it('fill the text width, the label column wider than the number columns, which share one width', () => {
    const w = columnWidths(head, rows, 9638, fit);
    expect(w.reduce((a, b) => a + b, 0)).toBe(9638);
    expect(new Set(w.slice(1)).size).toBe(1);
    expect(w[0]).toBeGreaterThan(w[1]!);
  });

  it('give every number column room for its header\'s longest word in bold, so headers wrap only at spaces', () => {
    const w = columnWidths(head, rows, 9638, fit);
    for (const [j, h] of head.entries()) {
      const longest = Math.max(...h.text.split(' ').map((x) => x.length));
      expect(w[j], h.text).toBeGreaterThanOrEqual(longest * fit.charTwip + fit.marginTwip);
    }
    // Without the rule the proportional share of a number column is narrower than "improvement" needs.
    const plain = columnWidths(head, rows, 9638);
    expect(plain[3]!).toBeLessThan(11 * fit.charTwip + fit.marginTwip);
  });
});
