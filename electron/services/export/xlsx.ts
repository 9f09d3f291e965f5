import ExcelJS from 'exceljs';
import type { DocTree } from '../../../shared/document/tree';
import { DATA_COLUMNS, type DataColumn, type DataTable } from '../../../shared/export/data';
import { longDate } from '../../../shared/document/format';

/**
 * The data download as an XLSX workbook, following the Government Analysis Function's guidance on releasing statistics
 * in spreadsheets: a cover sheet, a contents sheet and a notes sheet first; then one table per sheet, its title in cell
 * A1, a line saying what the sheet holds, and the table with a single header row, marked up as an Excel table, with no
 * merged cells and no blank rows or columns inside it. Numbers are numbers (units in their own column); a cell with
 * nothing to say holds a shorthand the cover explains ([x] not available, [z] not applicable, [c] suppressed).
 */

const WIDTHS: Partial<Record<DataColumn, number>> = { Figure: 48, Measure: 40, Source: 48, Notes: 48, Value: 12, Unit: 18, Date: 28 };

export async function buildXlsx(doc: DocTree, data: DataTable[]): Promise<Uint8Array> {
  const m = doc.meta;
  const wb = new ExcelJS.Workbook();
  wb.creator = m.author;
  wb.title = `${m.mark ? `${m.mark}: ` : ''}${m.title}: data`;
  wb.subject = m.subject;
  wb.company = m.organisation;
  wb.created = new Date(m.publishedOn ?? m.generatedAt);
  wb.modified = new Date(m.generatedAt);
  // The furniture a copy of the file should carry with it wherever it goes: copyright, licence and ISBN.
  const furniture = m.imprint.filter((l) => !l.heading && /^(©|ISBN|Published|This publication is licensed)/.test(l.text)).map((l) => l.text);
  if (furniture.length) wb.description = furniture.join(' ');

  // A draft, an internal edition or a review copy says so in the title (A1) of every sheet and in an Edition column of
  // every data table, so that neither a sheet nor a row copied out of the workbook passes for final.
  const titled = (t: string) => (m.mark ? `${m.editionLabel}: ${t}` : t);

  const text = (ws: ExcelJS.Worksheet, lines: (string | { text: string; bold?: boolean; size?: number })[]) => {
    lines.forEach((l, i) => {
      const c = ws.getCell(i + 1, 1);
      const t = typeof l === 'string' ? { text: l } : l;
      c.value = t.text;
      c.font = { bold: !!t.bold || i === 0, size: t.size ?? (i === 0 ? 15 : 11) };
      c.alignment = { wrapText: true, vertical: 'top' };
    });
    ws.getColumn(1).width = 110;
  };

  // Cover sheet.
  const cover = wb.addWorksheet('Cover_sheet');
  text(cover, [
    titled(`${m.title}: data tables`),
    { text: 'About these tables', bold: true, size: 13 },
    `These tables hold the figures published in ${m.title}${m.subtitle ? ` (${m.subtitle})` : ''}, one row for each figure value, with what it measures, the key question, type of service, rating, area, theme and date as columns. Values are numbers in the unit given in the Unit column: shares are percentages.`,
    ...(m.dateLine ? [`${m.dateLine}.`] : []),
    `Publisher: ${m.organisation}.`,
    // The publication's own notices (date, copyright, licence, ISBN, how to get in touch), as on its notices page.
    ...m.imprint.flatMap((l) => (l.heading ? [{ text: l.heading, bold: true, size: 13 }, l.text] : [l.text])),
    ...(m.mark ? [{ text: `${m.editionLabel}. This is not the final published edition.`, bold: true }] : []),
    ...m.notices,
    { text: 'Shorthand used in these tables', bold: true, size: 13 },
    '[c] suppressed to protect confidentiality: too few to publish.',
    '[x] not available.',
    '[z] not applicable: the dimension does not apply to this figure.',
    { text: 'Contents and notes', bold: true, size: 13 },
    'The Contents sheet lists the tables; the Notes sheet explains how the figures were counted.',
  ]);

  // Contents sheet: one table.
  const contents = wb.addWorksheet('Contents');
  contents.getCell('A1').value = titled('Contents');
  contents.getCell('A1').font = { bold: true, size: 15 };
  contents.getCell('A2').value = 'This worksheet contains one table, listing the worksheets of data tables.';
  contents.addTable({
    name: 'table_contents',
    ref: 'A3',
    headerRow: true,
    style: { theme: 'TableStyleLight1', showRowStripes: false },
    columns: [{ name: 'Worksheet' }, { name: 'Table title' }, { name: 'Number of rows' }],
    rows: data.map((t) => [{ text: t.sheet, hyperlink: `#'${t.sheet}'!A1` }, t.title, t.rows.length]),
  });
  contents.getColumn(1).width = 32;
  contents.getColumn(2).width = 100;
  contents.getColumn(3).width = 16;

  // Notes sheet: one table of the notes the figures carry, each once.
  const notes = wb.addWorksheet('Notes');
  notes.getCell('A1').value = titled('Notes');
  notes.getCell('A1').font = { bold: true, size: 15 };
  notes.getCell('A2').value = 'This worksheet contains one table of notes on how the figures were counted, with the tables each note applies to.';
  const noteRows = new Map<string, Set<string>>();
  for (const t of data) for (const r of t.rows) for (const n of r.Notes.split(/\.\s+/).map((x) => x.replace(/\.$/, '').trim()).filter(Boolean)) {
    if (!noteRows.has(n)) noteRows.set(n, new Set());
    noteRows.get(n)!.add(t.sheet);
  }
  const general = [`Figures computed on ${longDate(m.generatedAt.slice(0, 10))} from the data named in each table's Source column`, 'Shares are percentages of rated locations or services, given to two decimal places; the report rounds them to whole numbers'];
  notes.addTable({
    name: 'table_notes',
    ref: 'A3',
    headerRow: true,
    style: { theme: 'TableStyleLight1', showRowStripes: false },
    columns: [{ name: 'Note number' }, { name: 'Note text' }, { name: 'Applies to' }],
    rows: [...general.map((g) => [g, 'All tables']), ...[...noteRows].map(([n, sheets]) => [n, [...sheets].join(', ')])].map((r, i) => [`[note ${i + 1}]`, `${r[0]}.`, r[1]]),
  });
  notes.getColumn(1).width = 14;
  notes.getColumn(2).width = 100;
  notes.getColumn(3).width = 60;

  // One table per sheet.
  for (const [i, t] of data.entries()) {
    const ws = wb.addWorksheet(t.sheet);
    ws.getCell('A1').value = titled(t.title);
    ws.getCell('A1').font = { bold: true, size: 15 };
    ws.getCell('A2').value = `This worksheet contains one table of ${t.rows.length} figure value${t.rows.length === 1 ? '' : 's'}. Empty dimensions are marked [z] (not applicable); notes are in the Notes column and on the Notes sheet.`;
    // Columns no row of this table uses are left out; the rest say [z] where they do not apply.
    const cols = DATA_COLUMNS.filter((c) => c === 'Value' || t.rows.some((r) => r[c] !== ''));
    const edition = m.mark ? 1 : 0;
    ws.addTable({
      name: `table_${i + 1}`,
      ref: 'A3',
      headerRow: true,
      style: { theme: 'TableStyleLight1', showRowStripes: false },
      columns: [...(edition ? [{ name: 'Edition', filterButton: false }] : []), ...cols.map((c) => ({ name: c, filterButton: false }))],
      rows: t.rows.map((r) => [...(edition ? [m.editionLabel] : []), ...cols.map((c) => (c === 'Value' ? (r.Value ?? '[x]') : r[c] || (c === 'Notes' ? 'None' : '[z]')))]),
    });
    if (edition) ws.getColumn(1).width = 28;
    cols.forEach((c, j) => {
      const col = ws.getColumn(j + 1 + edition);
      col.width = WIDTHS[c] ?? 22;
      // Whole numbers with thousands separators; others to the two decimal places the data holds ("#,##0.##" would
      // leave a stray decimal point after a whole number).
      if (c !== 'Value') return;
      t.rows.forEach((r, k) => {
        if (typeof r.Value === 'number') ws.getCell(4 + k, j + 1 + edition).numFmt = Number.isInteger(r.Value) ? '#,##0' : '#,##0.00';
      });
    });
    ws.views = [{ state: 'frozen', ySplit: 3 }];
  }
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
