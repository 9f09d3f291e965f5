import type { DocTree } from '../document/tree';
import { csvCell } from '../util/escape';
import { DATA_COLUMNS, type DataTable } from './data';

/**
 * The internal edition's figure log (a public edition's CSV is tidy data: buildTidyCsv): one row per use of a figure in the report, with its value, its formatted value and where
 * it came from (the SQL run, its parameters, the tables read, the data fingerprint and the imports the rows came from),
 * so a statistician can check every number. RFC 4180, UTF-8 with a byte order mark so Excel reads it as UTF-8.
 *
 * Cells go through csvCell, as the audit CSV's do: names, captions and errors that start like a formula are written as
 * text, while the numeric columns (value, numerator, denominator, rows_read) hold real numbers, negative ones included,
 * and stay numbers in a spreadsheet.
 */
export const CSV_COLUMNS = [
  'edition',
  'section',
  'display',
  'caption',
  'figure_id',
  'slug',
  'name',
  'kind',
  'part',
  'params',
  'value',
  'formatted',
  'numerator',
  'denominator',
  'suppressed',
  'error',
  'rows',
  'source',
  'sql',
  'sql_params',
  'tables',
  'rows_read',
  'fingerprint',
  'imports',
  'evidence_ids',
  'computed_at',
] as const;

export interface CsvOptions {
  /** Evidence ids that may be listed (the public edition leaves restricted ones out). */
  evidenceVisible?: (id: string) => boolean;
  /** The tidy data (data.ts): a public edition's CSV is it, one row per figure value. */
  data?: DataTable[];
}

/**
 * The public edition's data download: tidy data, one row per figure value with its dimensions as columns, the value as
 * a number and its unit, the source in words and notes (data.ts). An edition other than the final public one says what
 * it is on its first line and in an Edition column of every row.
 */
export function buildTidyCsv(doc: DocTree, data: DataTable[]): string {
  const lines = doc.meta.mark ? [csvCell(`${doc.meta.editionLabel}: ${doc.meta.title}`)] : [];
  const columns = doc.meta.mark ? ['Edition', ...DATA_COLUMNS] : [...DATA_COLUMNS];
  lines.push(columns.map(csvCell).join(','));
  for (const t of data) for (const r of t.rows) lines.push([...(doc.meta.mark ? [csvCell(doc.meta.editionLabel)] : []), ...DATA_COLUMNS.map((c) => csvCell(r[c] ?? ''))].join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

export function buildCsv(doc: DocTree, opts: CsvOptions = {}): string {
  if (doc.meta.audience === 'public') {
    if (!opts.data) throw new Error('A public edition’s CSV is its tidy data: pass the data (shared/export/data.ts).');
    return buildTidyCsv(doc, opts.data);
  }
  const columns = CSV_COLUMNS;
  // A draft (or any edition but the final public one) says what it is on its first line, before the column names, and
  // again in the edition column of every row, so that neither the file nor a row copied out of it passes for final.
  const lines = doc.meta.mark ? [csvCell(`${doc.meta.editionLabel}: ${doc.meta.title}`)] : [];
  lines.push(columns.join(','));
  const visible = opts.evidenceVisible ?? (() => true);
  const sources = sourcesByFigure(doc);
  for (const f of doc.figures) {
    const r = f.result;
    const p = r.provenance;
    const row: Record<(typeof CSV_COLUMNS)[number], unknown> = {
      edition: doc.meta.editionLabel,
      section: f.section,
      display: f.display,
      caption: f.label ?? '',
      figure_id: f.figureId,
      slug: f.slug,
      name: f.name,
      kind: f.kind,
      part: f.part ?? '',
      params: { ...doc.meta.params, ...f.params },
      value: f.value,
      formatted: f.formatted,
      numerator: r.numerator,
      denominator: r.denominator,
      suppressed: r.suppressed ? 'true' : '',
      error: r.error ?? '',
      rows: f.display === 'inline' ? '' : (r.rows ?? []),
      source: sources.get(f.figureId) ?? '',
      sql: p?.sql ?? '',
      sql_params: p?.params ?? {},
      tables: (p?.tables ?? []).join(' '),
      rows_read: p?.rowsRead,
      fingerprint: p?.fingerprint ?? '',
      imports: (p?.imports ?? []).map((i) => `${i.kind}:${i.fileName}@${i.importedAt} (${i.rows} rows, id ${i.id})`).join('; '),
      evidence_ids: (p?.evidenceIds ?? []).filter(visible).join(' '),
      computed_at: p?.computedAt ?? '',
    };
    lines.push(columns.map((c) => csvCell(row[c])).join(','));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** The source line each table and chart prints, by figure, for the rows of its figure (inline uses included). */
function sourcesByFigure(doc: DocTree): Map<string, string> {
  const out = new Map<string, string>();
  for (const b of doc.blocks) {
    if ((b.type === 'chart' || b.type === 'figure-table') && !out.has(b.figureId)) out.set(b.figureId, b.source.replace(/^Source:\s*/, '').replace(/\.$/, ''));
  }
  return out;
}
