import type { ChartOptions, FigureColumn, FigureFormat, FigureResult } from '../figures/types';
import { formatCell } from '../document/format';
import { formatPoints, roundTo } from '../figures/format';

/**
 * A chart as data: categories, series and values, with how to write them. Built from a figure's result and its chart
 * options; rendered by echarts (render.ts) and, for readers who cannot see it, written out as alt text and as a table.
 */
export interface ChartModel {
  type: ChartOptions['type'];
  orientation: 'horizontal' | 'vertical';
  title: string;
  categoryLabel: string;
  valueLabel: string;
  categories: string[];
  series: { name: string; values: (number | null)[] }[];
  /** How values are written on labels, in the table and in the alt text. */
  format: FigureFormat;
  /** True when values are shares (0..1) and the axis runs 0% to 100%. */
  percent: boolean;
  unit?: string;
}

/** Whether a column is drawn as a measure: its role says so, or (without roles) it is numeric. */
function isMeasure(c: FigureColumn): boolean {
  return c.role ? c.role === 'measure' : c.numeric === true;
}

function pick(cols: FigureColumn[], key: string | undefined, want: 'numeric' | 'text'): FigureColumn | undefined {
  if (key) return cols.find((c) => c.key === key);
  if (want === 'text') return cols.find((c) => c.role === 'category') ?? cols.find((c) => c.numeric !== true && !c.role);
  return cols.find(isMeasure);
}

/** The chart a figure result draws. Throws when the result has no rows to chart. */
export function chartModel(result: FigureResult, chart: ChartOptions | null | undefined, title: string): ChartModel {
  const cols = result.columns ?? [];
  const rows = result.rows ?? [];
  if (!cols.length || !rows.length) throw new Error(`${title}: the figure has no rows to chart.`);
  const opts: ChartOptions = chart ?? { type: 'bar' };
  const cat = pick(cols, opts.category, 'text') ?? cols[0]!;
  const seriesCol = opts.series ? cols.find((c) => c.key === opts.series) : undefined;
  const categories: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const c = String(r[cat.key] ?? '');
    if (!seen.has(c)) {
      seen.add(c);
      categories.push(c);
    }
  }
  let series: ChartModel['series'];
  let valueCol: FigureColumn | undefined;
  if (seriesCol) {
    valueCol = pick(cols, opts.value, 'numeric');
    if (!valueCol) throw new Error(`${title}: the chart has no numeric column for its values.`);
    const names: string[] = [];
    for (const r of rows) {
      const s = String(r[seriesCol.key] ?? '');
      if (!names.includes(s)) names.push(s);
    }
    series = names.map((name) => ({
      name,
      values: categories.map((c) => {
        const row = rows.find((r) => String(r[cat.key] ?? '') === c && String(r[seriesCol.key] ?? '') === name);
        const v = row?.[valueCol!.key];
        return typeof v === 'number' ? v : null;
      }),
    }));
  } else {
    const numeric = opts.value ? cols.filter((c) => c.key === opts.value) : cols.filter((c) => isMeasure(c) && c.key !== cat.key);
    if (!numeric.length) throw new Error(`${title}: the chart has no numeric column for its values.`);
    valueCol = numeric[0]!;
    series = numeric.map((col) => ({
      name: col.label,
      values: categories.map((c) => {
        const v = rows.find((r) => String(r[cat.key] ?? '') === c)?.[col.key];
        return typeof v === 'number' ? v : null;
      }),
    }));
  }
  const format: FigureFormat = valueCol.format ?? { style: 'number' };
  const percent = format.style === 'percent';
  const type = series.length > 1 && opts.type === 'bar' ? 'grouped-bar' : opts.type;
  if (type === 'diverging-bar' && series.length !== 2) {
    throw new Error(`${title}: a diverging bar chart needs two measures, one drawn to the left of zero and one to the right; the figure gives ${series.length} (${series.map((s) => s.name).join(', ') || 'none'}).`);
  }
  return {
    type,
    orientation: opts.orientation ?? (categories.length > 6 || type === 'stacked-bar' || type === 'diverging-bar' ? 'horizontal' : 'vertical'),
    title: opts.title ?? title,
    categoryLabel: cat.label,
    valueLabel: series.length === 1 ? (valueCol.label ?? 'Value') : (seriesCol?.label ?? 'Value'),
    categories,
    series,
    format,
    percent,
    ...(opts.unit ? { unit: opts.unit } : {}),
  };
}

export function formatChartValue(m: ChartModel, v: number | null): string {
  if (v === null) return 'no data';
  return formatCell(v, m.format, true) + (m.unit && !m.percent ? ` ${m.unit}` : '');
}

/**
 * Alt text written from the data: what is plotted, the range, and the largest and smallest values, so a screen reader
 * user learns what a sighted reader takes from the chart. The full data is in the table alternative.
 */
export function chartAltText(m: ChartModel): string {
  if (m.type === 'diverging-bar') return divergingAltText(m);
  const kind =
    m.type === 'line' ? 'Line chart' : m.type === 'stacked-bar' ? 'Stacked bar chart' : m.type === 'dot' ? 'Dot chart' : 'Bar chart';
  const parts: string[] = [];
  const seriesNames = m.series.map((s) => s.name);
  parts.push(
    `${kind}: ${m.title}. ${m.categories.length} ${plural(m.categories.length, m.categoryLabel.toLowerCase())}` +
      (m.series.length > 1 ? `, ${m.series.length} series (${seriesNames.join(', ')}).` : '.'),
  );
  if (m.type === 'stacked-bar' || m.series.length > 1) {
    for (const [i, c] of m.categories.entries()) {
      if (i >= 8) {
        parts.push(`And ${m.categories.length - 8} more; see the table.`);
        break;
      }
      parts.push(`${c}: ${m.series.map((s) => `${s.name} ${formatChartValue(m, s.values[i] ?? null)}`).join(', ')}.`);
    }
  } else {
    const s = m.series[0]!;
    const pts = m.categories.map((c, i) => ({ c, v: s.values[i] ?? null })).filter((p): p is { c: string; v: number } => p.v !== null);
    if (pts.length) {
      const hi = pts.reduce((a, b) => (b.v > a.v ? b : a));
      const lo = pts.reduce((a, b) => (b.v < a.v ? b : a));
      if (pts.length <= 8) parts.push(pts.map((p) => `${p.c} ${formatChartValue(m, p.v)}`).join('; ') + '.');
      parts.push(`Highest: ${hi.c} (${formatChartValue(m, hi.v)}). Lowest: ${lo.c} (${formatChartValue(m, lo.v)}).`);
      if (pts.length > 2 && hi.v !== 0 && lo.v !== 0 && !m.percent) {
        const ratio = hi.v / lo.v;
        if (ratio > 1.2 && Number.isFinite(ratio)) parts.push(`The highest is ${ratio.toLocaleString('en-GB', { maximumFractionDigits: 1 })} times the lowest.`);
      }
    }
  }
  return parts.join(' ');
}

function plural(n: number, word: string): string {
  if (n === 1) return word;
  if (/y$/.test(word) && !/[aeiou]y$/.test(word)) return word.replace(/y$/, 'ies');
  if (/s$/.test(word)) return word;
  return `${word}s`;
}

/**
 * A diverging bar chart's net per category: the right-hand measure minus the left-hand one, as printed (shares are
 * subtracted at the precision they are printed with, so the net always agrees with the two figures beside it).
 */
export function divergingNet(m: ChartModel, i: number): number | null {
  const l = m.series[0]?.values[i] ?? null;
  const r = m.series[1]?.values[i] ?? null;
  if (l === null || r === null) return null;
  if (!m.percent) return r - l;
  const d = m.format.decimals ?? 0;
  return roundTo(roundTo(r * 100, d) - roundTo(l * 100, d), d) / 100;
}

function formatNet(m: ChartModel, v: number | null): string {
  if (v === null) return 'no data';
  return m.percent ? formatPoints(v, m.format.decimals ?? 0, { signed: true }) : `${v > 0 ? '+' : ''}${formatChartValue(m, v)}`;
}

/** Alt text of a diverging bar chart: what each side is, the order, the net at each end, and how many lean each way. */
function divergingAltText(m: ChartModel): string {
  const [left, right] = [m.series[0]!, m.series[1]!];
  const what = plural(m.categories.length, m.categoryLabel.toLowerCase());
  const parts = [`Diverging bar chart: ${m.title}. ${m.categories.length} ${what}; for each, ${left.name.toLowerCase()} is drawn to the left of zero and ${right.name.toLowerCase()} to the right.`];
  const pts = m.categories.map((c, i) => ({ c, net: divergingNet(m, i), i })).filter((p): p is { c: string; net: number; i: number } => p.net !== null);
  if (m.categories.length <= 8) {
    parts.push(m.categories.map((c, i) => `${c}: ${formatChartValue(m, left.values[i] ?? null)} and ${formatChartValue(m, right.values[i] ?? null)}, net ${formatNet(m, divergingNet(m, i))}`).join('; ') + '.');
  }
  if (pts.length) {
    const hi = pts.reduce((a, b) => (b.net > a.net ? b : a));
    const lo = pts.reduce((a, b) => (b.net < a.net ? b : a));
    const leftMore = pts.filter((p) => p.net < 0).length;
    const rightMore = pts.filter((p) => p.net > 0).length;
    parts.push(`Net (${right.name.toLowerCase()} minus ${left.name.toLowerCase()}) is highest in ${hi.c} (${formatNet(m, hi.net)}) and lowest in ${lo.c} (${formatNet(m, lo.net)}).`);
    parts.push(`${rightMore} of ${pts.length} lean to the right (${right.name.toLowerCase()} larger than ${left.name.toLowerCase()}), ${leftMore} to the left.`);
  }
  if (m.categories.length > 8) parts.push('Every value is in the table.');
  return parts.join(' ');
}

/** The chart's data as a table: one row per category, one column per series, formatted (a diverging chart adds its net). */
export function chartDataTable(m: ChartModel): { head: string[]; rows: string[][] } {
  if (m.type === 'diverging-bar') {
    return {
      head: [m.categoryLabel, ...m.series.map((s) => s.name), `Net (${m.series[1]!.name.toLowerCase()} minus ${m.series[0]!.name.toLowerCase()})`],
      rows: m.categories.map((c, i) => [c, ...m.series.map((s) => formatChartValue(m, s.values[i] ?? null)), formatNet(m, divergingNet(m, i))]),
    };
  }
  return {
    head: [m.categoryLabel, ...(m.series.length === 1 ? [m.series[0]!.name] : m.series.map((s) => s.name))],
    rows: m.categories.map((c, i) => [c, ...m.series.map((s) => formatChartValue(m, s.values[i] ?? null))]),
  };
}
