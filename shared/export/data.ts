import type { DocTree, FigureUse } from '../document/tree';
import type { FigureColumn, FigureResult } from '../figures/types';
import type { Workspace } from '../store/workspace';
import { listSectors } from '../store/locations';
import { listIndicators } from '../store/indicators';
import { labelsOf } from '../store/labels';
import { longDate } from '../document/format';
import { describeSource, sourceCache } from './sources';

/**
 * The report's data download as tidy data: one row per figure value, its dimensions as columns (the figure, what is
 * measured, key question, type of service, rating, area, theme, date), the value as a number in the unit named beside
 * it, the source in words and notes. The CSV (csv.ts) and the XLSX workbook (electron/services/export/xlsx.ts) are both
 * written from it, so they hold the same values. Nothing in it is a slug, an id, SQL or JSON.
 */

export const DATA_COLUMNS = ['Figure', 'Measure', 'Key question', 'Type of service', 'Rating', 'Area', 'Theme', 'Date', 'Value', 'Unit', 'Source', 'Notes'] as const;
export type DataColumn = (typeof DATA_COLUMNS)[number];

export type DataRow = Record<Exclude<DataColumn, 'Value'>, string> & { Value: number | null };

/** One table of the download: a chart's or a table's data, or the figures quoted in the text. */
export interface DataTable {
  /** "Figure 1: …", "Table 2: …", or "Figures quoted in the text". */
  title: string;
  /** A short name for a worksheet (at most 31 characters, no []:*?/\). */
  sheet: string;
  rows: DataRow[];
}

/** What the download needs of the workspace, in words. */
export interface DataDictionary {
  sector(id: string): string;
  indicator(id: string): { name: string; unit: string } | undefined;
  /** The publication label of a value as the data spells it ("Acute hospital - NHS non-specialist"). */
  label(value: string): string;
  /** Where a result's data comes from, in words. */
  source(result: FigureResult): string;
}

export function dataDictionary(ws: Workspace): DataDictionary {
  const sectors = new Map(listSectors(ws).map((s) => [s.id, s.name]));
  const indicators = new Map(listIndicators(ws).map((i) => [i.id, i]));
  const labels = new Map<string, string>();
  for (const m of labelsOf(ws).values()) for (const [k, v] of m) labels.set(k, v);
  const cache = sourceCache();
  return {
    sector: (id) => sectors.get(id) ?? id,
    indicator: (id) => indicators.get(id),
    label: (v) => labels.get(v) ?? v,
    source: (r) => {
      const s = describeSource(ws, r, cache);
      return s.data.length ? `${s.data.join('; ')}${s.date ? `, ${s.date}` : ''}` : '';
    },
  };
}

/** A value in the unit the download states: shares and changes in shares as percentages, not fractions. */
export function inUnit(value: number, style: string | undefined): number {
  const v = style === 'percent' || style === 'points' ? value * 100 : value;
  // Two decimal places: more than any edition prints, without binary noise ("82.00073767468546").
  return Math.round(v * 100) / 100;
}

const UNITS: Record<string, string> = { percent: 'percent', points: 'percentage points' };

/** The style a value figure was formatted in, read from how it was printed. */
function styleOf(formatted: string): string | undefined {
  if (/percentage points?$/.test(formatted)) return 'points';
  if (/%$/.test(formatted)) return 'percent';
  return undefined;
}

const PART_NAMES: Record<string, string> = { min: 'Lowest', max: 'Highest', median: 'Median', ratio: 'Highest as a multiple of the lowest', from: 'Earlier value', to: 'Later value', change: 'Change' };

function dimensionsOf(u: FigureUse | undefined, r: FigureResult, dict: DataDictionary): Omit<DataRow, 'Figure' | 'Measure' | 'Value' | 'Unit' | 'Source' | 'Notes'> {
  const p = { ...(r.provenance.figureParams ?? {}), ...(u?.params ?? {}) } as Record<string, unknown>;
  const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');
  const parts = r.parts ?? {};
  const asAt = str('asAt');
  const prev = str('previousAsAt');
  const changes = parts.change !== undefined || r.columns?.some((c) => c.key === 'change');
  const date = changes && asAt && prev ? `${longDate(prev)} to ${longDate(asAt)}` : asAt ? longDate(asAt) : prev ? longDate(prev) : typeof parts.period === 'string' ? parts.period : '';
  const reads = r.provenance.tables;
  const national = reads.includes('ratings') || reads.includes('indicator_values') || typeof parts.area === 'string';
  return {
    'Key question': str('kq'),
    'Type of service': str('sector') ? dict.sector(str('sector')) : str('category') ? dict.label(str('category')) : '',
    Rating: str('rating'),
    Area: national ? 'England' : '',
    Theme: '',
    Date: date,
  };
}

function notesOf(r: FigureResult): string {
  const notes = [...(r.provenance.notes ?? [])].map((n) => n.charAt(0).toUpperCase() + n.slice(1));
  if (r.suppressed) notes.unshift('Suppressed [c]: too few to publish');
  for (const e of r.provenance.excluded ?? []) notes.push(`${e.count.toLocaleString('en-GB')} left out: ${e.reason}`);
  // Sentences, each ending with its own full stop (a note that has one is not given a second).
  return notes.map((n) => (/[.!?]$/.test(n.trim()) ? n.trim() : `${n.trim()}.`)).join(' ');
}

const DIMENSION_OF: [RegExp, keyof DataRow][] = [
  [/^(region|area|localAuthority|la)$/i, 'Area'],
  [/^(category|sector|service|serviceGroup|locationType)$/i, 'Type of service'],
  [/^(keyQuestion|kq)$/i, 'Key question'],
  [/^theme$/i, 'Theme'],
  [/^rating$/i, 'Rating'],
];

/** The rows of a table or chart figure: one per numeric cell, the row's label columns as its dimensions. */
function tableRows(title: string, u: FigureUse, dict: DataDictionary, source: string): DataRow[] {
  const r = u.result;
  const cols = r.columns ?? [];
  const base = dimensionsOf(u, r, dict);
  const notes = notesOf(r);
  const labels = cols.filter((c) => !c.numeric);
  const values = cols.filter((c) => c.numeric && c.role !== 'detail');
  const unitOf = (c: FigureColumn): string => {
    if (c.format?.style && UNITS[c.format.style]) return UNITS[c.format.style]!;
    const ind = typeof u.params.indicator === 'string' ? dict.indicator(u.params.indicator) : undefined;
    if (c.key === 'value' && ind) return ind.unit === 'count' ? 'number' : ind.unit;
    return c.key === 'rank' ? 'rank' : 'number';
  };
  const ratingScale = new Set(['Outstanding', 'Good', 'Requires improvement', 'Inadequate']);
  const out: DataRow[] = [];
  for (const row of r.rows ?? []) {
    const dims = { ...base };
    const extra: string[] = [];
    for (const c of labels) {
      const v = row[c.key];
      if (v === null || v === undefined || v === '') continue;
      const dim = DIMENSION_OF.find(([re]) => re.test(c.key))?.[1];
      if (dim) (dims as Record<string, string>)[dim] = dim === 'Type of service' ? dict.label(String(v)) : String(v);
      else extra.push(`${c.label}: ${v}`);
    }
    for (const c of values) {
      const v = row[c.key];
      const num = typeof v === 'number' && Number.isFinite(v) ? v : null;
      const d = { ...dims };
      let measure = c.label;
      if (ratingScale.has(c.key)) {
        d.Rating = c.key;
        measure = 'Share of rated services with this rating';
      } else if (c.key === 'from' || c.key === 'to') {
        const p = { ...(r.provenance.figureParams ?? {}), ...u.params } as Record<string, unknown>;
        const at = c.key === 'from' ? p.previousAsAt : p.asAt;
        if (typeof at === 'string') d.Date = longDate(at);
        measure = 'Share rated good or outstanding';
      } else if (c.key === 'change') measure = 'Change in the share rated good or outstanding';
      else if (c.key === 'value' && typeof u.params.indicator === 'string') measure = dict.indicator(u.params.indicator)?.name ?? c.label;
      out.push({
        Figure: title,
        Measure: [...extra, measure].join(', '),
        ...d,
        Value: num === null ? null : inUnit(num, c.format?.style),
        Unit: unitOf(c),
        Source: source,
        Notes: [v === null || v === undefined ? 'Not available [x]' : typeof v === 'string' && /\[c\]/.test(v) ? 'Suppressed [c]' : '', notes].filter(Boolean).join('. '),
      });
    }
  }
  return out;
}

/** Makes a worksheet name: letters, digits and underscores, at most 31 characters. */
export function sheetName(label: string, used: Set<string>): string {
  const base = label.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 28) || 'Data';
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 28 - String(i).length)}_${i}`;
  used.add(name.toLowerCase());
  return name;
}

const keyOf = (u: FigureUse) => `${u.figureId}|${JSON.stringify(Object.entries(u.result.provenance.figureParams ?? u.params).sort())}`;

export function tidyData(doc: DocTree, dict: DataDictionary): DataTable[] {
  const used = new Set<string>(['cover_sheet', 'contents', 'notes']);
  const tables: DataTable[] = [];
  const shown = new Set<string>();
  for (const b of doc.blocks) {
    if (b.type !== 'chart' && b.type !== 'figure-table') continue;
    const label = b.type === 'chart' ? 'Figure' : 'Table';
    // A data table is titled by what its data is: a chart's caption, not the finding its title states.
    const described = (b.type === 'chart' ? b.subtitle : undefined) ?? b.caption;
    const u = doc.figures.find((f) => f.figureId === b.figureId && f.display !== 'inline' && f.label === described) ?? doc.figures.find((f) => f.figureId === b.figureId && f.display !== 'inline');
    if (!u) continue;
    shown.add(keyOf(u));
    const title = `${label} ${b.number}: ${described}`;
    const source = b.source.replace(/^Source:\s*/, '').replace(/\.$/, '');
    const short = described.replace(/,?\s*(as at|in)\s.*$/i, '').replace(/\b(the|of|and|by|a|an)\b/gi, ' ');
    tables.push({ title, sheet: sheetName(`${label === 'Figure' ? 'Fig' : 'Table'}_${b.number}_${short}`, used), rows: tableRows(title, u, dict, source) });
  }
  // The figures quoted in the text, each once: a value, and the named parts a sentence quotes (the change's earlier and
  // later values, a spread's lowest and highest).
  const text: DataRow[] = [];
  const seen = new Set<string>();
  for (const u of doc.figures) {
    if (u.display !== 'inline' || u.result.error) continue;
    const r = u.result;
    const k = keyOf(u);
    const source = dict.source(r);
    const dims = dimensionsOf(u, r, dict);
    const notes = notesOf(r);
    const push = (measure: string, key: string, value: unknown, style: string | undefined, unit: string, date = dims.Date) => {
      if (seen.has(`${k}|${key}`)) return;
      seen.add(`${k}|${key}`);
      text.push({ Figure: u.name, Measure: measure, ...dims, Date: date, Value: typeof value === 'number' && Number.isFinite(value) ? inUnit(value, style) : null, Unit: unit, Source: source, Notes: r.suppressed ? notes : notes });
    };
    const parts = r.parts ?? {};
    const ind = typeof parts.indicator === 'string' ? dict.indicator(parts.indicator) : typeof u.params.indicator === 'string' ? dict.indicator(u.params.indicator) : undefined;
    const unitWord = (style: string | undefined) => (style && UNITS[style]) || (ind ? (ind.unit === 'count' ? 'number' : ind.unit) : 'number');
    if (r.columns?.length) {
      // A table figure quoted in a sentence: its rows are in the table's own sheet when it is shown; the parts quoted
      // here (the lowest, the highest, the median) are its summary values.
      if (!shown.has(k)) text.push(...tableRows(u.name, u, dict, source).filter((row) => !seen.has(`${k}|row|${row.Measure}|${row.Area}|${row.Theme}|${row['Type of service']}|${row['Key question']}`)));
      shown.add(k);
      if (u.part && typeof parts[u.part] === 'number') push(`${ind?.name ?? u.name}: ${(PART_NAMES[u.part] ?? u.part).toLowerCase()}`, u.part, parts[u.part], undefined, unitWord(undefined));
      continue;
    }
    const style = styleOf(r.formatted);
    push(ind?.name ?? u.name, 'value', r.value, style, unitWord(style));
    if (typeof parts.from === 'number' && typeof parts.to === 'number') {
      const p = { ...(r.provenance.figureParams ?? {}), ...u.params } as Record<string, unknown>;
      push(`${u.name}: earlier value`, 'from', parts.from, 'percent', 'percent', typeof p.previousAsAt === 'string' ? longDate(p.previousAsAt) : dims.Date);
      push(`${u.name}: later value`, 'to', parts.to, 'percent', 'percent', typeof p.asAt === 'string' ? longDate(p.asAt) : dims.Date);
    }
  }
  if (text.length) tables.push({ title: 'Figures quoted in the text', sheet: sheetName('Figures_quoted_in_text', used), rows: text });
  return tables;
}
