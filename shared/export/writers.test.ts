import { describe, expect, it } from 'vitest';
import { buildDocument } from '../document/tree';
import { fixtureInput } from './testing/fixtures';
import { buildHtml } from './html';
import { buildCsv, CSV_COLUMNS, PUBLIC_CSV_COLUMNS } from './csv';
import { pagesFromOutline } from './print';

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
    expect(html).toContain('<li id="note-2">Interview with a discharge coordinator about Mrs A.');
    expect(html).toContain('<h2 id="h-2"><span class="hnum">1.1</span> Safety</h2>');
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

  it('public: values and sources in words, and nothing internal (no slug, SQL, table or id)', () => {
    const csv = buildCsv(buildDocument(fixtureInput('public')));
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe(PUBLIC_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(/^Public edition,Summary,inline,,Adult social care rated good or outstanding,,0\.815,82%,815,1000,/);
    for (const internal of ['SELECT 1', 'abc123', 'ratings locations', 'imp1', 'asc-good-outstanding,', 'f1,']) expect(csv).not.toContain(internal);
  });

  it('a draft says DRAFT on its first line and in every row', () => {
    const input = fixtureInput('public');
    input.edition = 'draft';
    const lines = buildCsv(buildDocument(input)).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^DRAFT – not for publication: /);
    expect(lines[1]).toBe(PUBLIC_CSV_COLUMNS.join(','));
    for (const l of lines.slice(2)) expect(l).toMatch(/^DRAFT – not for publication,/);
  });
});
