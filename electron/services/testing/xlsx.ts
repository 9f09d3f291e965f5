import ExcelJS from 'exceljs';

/** A worksheet as a reader library reads it back: its cells' text by row, its merged ranges and its Excel tables. */
export interface SheetRead {
  name: string;
  rows: string[][];
  /** Cell values as exceljs gives them (numbers stay numbers), by row. */
  values: unknown[][];
  merges: string[];
  tables: { name: string; ref: string; columns: string[]; rows: number }[];
}

const cellText = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    const o = v as { text?: unknown; richText?: { text: string }[]; result?: unknown; hyperlink?: string };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return String(o.text);
    if (o.result !== undefined) return String(o.result);
    if (v instanceof Date) return v.toISOString();
  }
  return String(v);
};

/** Reads an XLSX workbook back with exceljs, as a person's spreadsheet program would open it. */
export async function readWorkbook(bytes: Uint8Array): Promise<{ sheets: SheetRead[]; properties: Record<string, unknown> }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheets: SheetRead[] = [];
  wb.eachSheet((ws) => {
    const rows: string[][] = [];
    const values: unknown[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      const vals = (row.values as unknown[]).slice(1);
      values[n - 1] = vals.map((v) => (v && typeof v === 'object' && 'text' in (v as object) ? (v as { text: unknown }).text : v));
      rows[n - 1] = vals.map(cellText);
    });
    const model = ws.model as unknown as { merges?: string[]; tables?: { name: string; tableRef?: string; ref?: string; columns: { name: string }[]; rows?: unknown[] }[] };
    const tables = Object.values((ws as unknown as { tables: Record<string, { table: { name: string; tableRef?: string; ref: string; columns: { name: string }[] } }> }).tables ?? {}).map((t) => t.table);
    sheets.push({
      name: ws.name,
      rows: Array.from(rows, (r) => r ?? []),
      values: Array.from(values, (r) => r ?? []),
      merges: model.merges ?? [],
      tables: tables.map((t) => {
        const ref = t.tableRef ?? t.ref;
        const m = /^[A-Z]+(\d+):[A-Z]+(\d+)$/.exec(ref);
        return { name: t.name, ref, columns: t.columns.map((c) => c.name), rows: m ? Number(m[2]) - Number(m[1]) : 0 };
      }),
    });
  });
  return { sheets, properties: { title: wb.title, subject: wb.subject, creator: wb.creator, company: wb.company } };
}

/** Every piece of text a reader could get out of a workbook: each cell's text and the document properties. */
export async function workbookText(bytes: Uint8Array): Promise<string> {
  const { sheets, properties } = await readWorkbook(bytes);
  return [...Object.values(properties).map((v) => String(v ?? '')), ...sheets.flatMap((s) => [s.name, ...s.rows.map((r) => r.join('\t'))])].join('\n');
}
