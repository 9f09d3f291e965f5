import type { Workspace } from '../../../store/workspace';
import { ENGLAND_AREA_CODE } from '../../../store/reference';
import { formatNumber, formatValue } from '../../format';
import { FigureSpecError, type IndicatorRankSpec, type IndicatorSpreadSpec, type IndicatorValueSpec } from '../../spec';
import type { FigureColumn, FigureFormat, FigureResult } from '../../types';
import type { EngineCaches } from '../caches';
import { sqlProvenance } from '../provenance';
import type { Computed, FigureDraft } from '../types';
import type { CountedRows } from './counts';

/** The indicator measures: one area's value, and the spread and ranking of an indicator across areas. */

function ordinal(n: number): string {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${formatNumber(n)}${s[(v - 20) % 10] ?? s[v] ?? s[0]}`;
}

function indicatorMeta(ws: Workspace, id: string) {
  const ind = ws.get<{ id: string; name: string; unit: string; polarity: string; source: string }>('SELECT id, name, unit, polarity, source FROM indicators WHERE id = ? OR lower(name) = lower(?)', [id, id]);
  if (!ind) {
    const known = ws.all<{ id: string }>('SELECT id FROM indicators ORDER BY id').map((r) => r.id);
    const list = known.length === 0 ? 'it has none yet: import them first' : `its indicators are ${known.slice(0, 15).join(', ')}${known.length > 15 ? ` and ${known.length - 15} more` : ''}`;
    throw new FigureSpecError(`spec.indicator: "${id}" is not an indicator in this workspace (${list})`, 'spec.indicator');
  }
  return ind;
}

function indicatorFormat(unit: string, fmt: FigureFormat, value: number): FigureFormat {
  const style = fmt.style ?? 'number';
  const decimals = fmt.decimals ?? (style === 'compact' ? 1 : Number.isInteger(value) ? 0 : 1);
  return { ...fmt, style, decimals, ...(unit === '%' && fmt.suffix === undefined && style === 'number' ? { suffix: '%' } : {}) };
}

/** The one value an indicator_value figure reads: which indicator, which area (a name resolved to its code), the SQL. */
function valueQuery(ws: Workspace, spec: IndicatorValueSpec) {
  const ind = indicatorMeta(ws, spec.indicator);
  let area = spec.area ?? ENGLAND_AREA_CODE;
  // An area may be named as editors write it ("Bradford", "London") as well as by its code.
  const named = ws.get<{ id: string }>('SELECT id FROM local_authorities WHERE lower(name) = lower(?) UNION ALL SELECT id FROM regions WHERE lower(name) = lower(?) LIMIT 1', [area, area]);
  if (named) area = named.id;
  const sql = 'SELECT area_code, period, value, numerator, denominator, import_id, updated_at FROM indicator_values WHERE indicator_id = :indicator AND area_code = :area AND period = :period';
  const params = { ':indicator': ind.id, ':area': area, ':period': spec.period };
  return { ind, area, sql, params };
}

export function indicatorValue(ws: Workspace, caches: EngineCaches, def: FigureDraft, spec: IndicatorValueSpec): Computed {
  const { ind, area, sql, params } = valueQuery(ws, spec);
  const rows = ws.all<{ value: number; numerator: number | null; denominator: number | null; import_id: string | null }>(sql, params);
  const tables = new Set(['indicators', 'indicator_values']);
  const r = rows[0];
  if (!r) throw new FigureSpecError(`There is no value of "${ind.name}" for area ${area} in period ${spec.period}.`, 'spec.period');
  const fmt = indicatorFormat(ind.unit, def.format ?? {}, r.value);
  const result: FigureResult = {
    figureId: null,
    kind: def.kind,
    value: r.value,
    formatted: formatValue(r.value, fmt, fmt.suppressBelow !== undefined ? (r.numerator ?? r.value) : undefined),
    ...(r.numerator !== null ? { numerator: r.numerator } : {}),
    ...(r.denominator !== null ? { denominator: r.denominator } : {}),
    parts: { indicator: ind.name, unit: ind.unit, source: ind.source, area, period: spec.period },
    provenance: sqlProvenance(caches, sql, params, [...tables], rows, rows.map((x) => x.import_id)),
  };
  return { result, aggs: [], tables };
}

/** The values an indicator_spread or indicator_rank figure compares: the indicator, the SQL over the areas asked for. */
function spreadQuery(ws: Workspace, spec: IndicatorSpreadSpec | IndicatorRankSpec) {
  const ind = indicatorMeta(ws, spec.indicator);
  const areas = spec.areas ?? 'localAuthority';
  const params: Record<string, string> = { ':indicator': ind.id, ':period': spec.period };
  let areaCond: string;
  if (areas === 'localAuthority') areaCond = 'v.area_code IN (SELECT id FROM local_authorities)';
  else if (areas === 'region') areaCond = 'v.area_code IN (SELECT id FROM regions)';
  else {
    areaCond = `v.area_code IN (${areas
      .map((a, i) => {
        params[`:a${i}`] = a;
        return `:a${i}`;
      })
      .join(', ')})`;
  }
  const sql = `SELECT v.area_code, coalesce(la.name, rg.name, v.area_code) AS name, v.value, v.import_id, v.updated_at
FROM indicator_values v LEFT JOIN local_authorities la ON la.id = v.area_code LEFT JOIN regions rg ON rg.id = v.area_code
WHERE v.indicator_id = :indicator AND v.period = :period AND ${areaCond}
ORDER BY v.value DESC, v.area_code`;
  return { ind, sql, params };
}

export function indicatorSpread(ws: Workspace, caches: EngineCaches, def: FigureDraft, spec: IndicatorSpreadSpec | IndicatorRankSpec): Computed {
  const { ind, sql, params } = spreadQuery(ws, spec);
  const rows = ws.all<{ area_code: string; name: string; value: number; import_id: string | null }>(sql, params);
  const tables = new Set(['indicators', 'indicator_values', 'local_authorities', 'regions']);
  if (rows.length === 0) throw new FigureSpecError(`There are no values of "${ind.name}" for period ${spec.period} in the areas asked for.`, 'spec.period');
  const vals = rows.map((r) => r.value).sort((a, b) => a - b);
  const min = vals[0]!;
  const max = vals[vals.length - 1]!;
  const mid = vals.length >> 1;
  const median = vals.length % 2 ? vals[mid]! : (vals[mid - 1]! + vals[mid]!) / 2;
  const lowest = rows[rows.length - 1]!;
  const highest = rows[0]!;
  // Rank 1 is the best area: the lowest value when lower is better, otherwise the highest.
  const { ranked, rankOf } = ranking(rows, ind.polarity);
  const fmt = def.format ?? {};
  const vf = indicatorFormat(ind.unit, { ...fmt, style: undefined, prefix: undefined, suffix: undefined }, median);
  const columns: FigureColumn[] = [
    { key: 'area', label: 'Area', role: 'category' },
    { key: 'value', label: ind.name, numeric: true, format: vf, role: 'measure' },
    { key: 'rank', label: 'Rank', numeric: true, format: { style: 'number' }, role: 'detail' },
  ];
  const tableRows = ranked.map((r) => ({ area: r.name, code: r.area_code, value: r.value, rank: rankOf(r.value) }));
  const parts: Record<string, number | string | null> = {
    min,
    max,
    median,
    ratio: min > 0 ? max / min : null,
    count: rows.length,
    minArea: lowest.name,
    maxArea: highest.name,
    best: ranked[0]!.name,
    worst: ranked[ranked.length - 1]!.name,
    minFormatted: formatValue(min, vf),
    maxFormatted: formatValue(max, vf),
    medianFormatted: formatValue(median, vf),
    indicator: ind.name,
    unit: ind.unit,
    polarity: ind.polarity,
  };
  let value: number | null;
  let formatted: string;
  if (spec.measure === 'indicator_rank') {
    const me = rows.find((r) => r.area_code === spec.area || r.name.toLowerCase() === spec.area.toLowerCase());
    if (!me) throw new FigureSpecError(`spec.area: "${spec.area}" has no value of "${ind.name}" for ${spec.period} among the areas compared`, 'spec.area');
    value = rankOf(me.value);
    parts.of = rows.length;
    parts.areaValue = me.value;
    parts.area = me.name;
    formatted = fmt.style ? formatValue(value, fmt) : `${ordinal(value)} of ${formatNumber(rows.length)}`;
  } else {
    value = parts.ratio as number | null;
    formatted = value === null ? '..' : formatValue(value, { style: 'number', decimals: 1, ...fmt });
  }
  const result: FigureResult = {
    figureId: null,
    kind: def.kind,
    value,
    formatted,
    parts,
    ...(def.kind !== 'value' ? { columns, rows: tableRows } : {}),
    provenance: sqlProvenance(caches, sql, params, [...tables], rows, rows.map((r) => r.import_id)),
  };
  return { result, aggs: [], tables };
}

/** "Show the rows" for an indicator figure: the value it prints, or every area it compares, with the indicator's source. */
export function indicatorRows(ws: Workspace, spec: IndicatorValueSpec | IndicatorSpreadSpec | IndicatorRankSpec): CountedRows & { indicator: string; unit: string; source: string } {
  if (spec.measure === 'indicator_value') {
    const { ind, sql, params } = valueQuery(ws, spec);
    const rows = ws.all<{ area_code: string; period: string; value: number; numerator: number | null; denominator: number | null }>(sql, params);
    const names = areaNames(ws, rows.map((r) => r.area_code));
    return {
      indicator: ind.name,
      unit: ind.unit,
      source: ind.source,
      columns: [
        { key: 'area', label: 'Area' },
        { key: 'period', label: 'Period' },
        { key: 'value', label: ind.name },
        { key: 'numerator', label: 'Numerator' },
        { key: 'denominator', label: 'Denominator' },
      ],
      rows: rows.map((r) => [names.get(r.area_code) ?? r.area_code, r.period, r.value, r.numerator, r.denominator]),
    };
  }
  const { ind, sql, params } = spreadQuery(ws, spec);
  const rows = ws.all<{ name: string; value: number }>(sql, params);
  const { ranked, rankOf, lowerBetter } = ranking(rows, ind.polarity);
  return {
    indicator: ind.name,
    unit: ind.unit,
    source: ind.source,
    columns: [
      { key: 'area', label: 'Area' },
      { key: 'value', label: ind.name },
      { key: 'rank', label: lowerBetter ? 'Rank (1 = lowest)' : 'Rank (1 = highest)' },
    ],
    rows: ranked.map((r) => [r.name, r.value, rankOf(r.value)]),
  };
}

/**
 * The areas best first (the lowest value when lower is better, else the highest; ties by name), and the rank of a value:
 * 1 for the best, tied values sharing a rank. One rule for the figure and for the rows behind it.
 */
function ranking<R extends { name: string; value: number }>(rows: readonly R[], polarity: string) {
  const lowerBetter = polarity === 'lower is better';
  const ranked = [...rows].sort((a, b) => (lowerBetter ? a.value - b.value : b.value - a.value) || a.name.localeCompare(b.name, 'en-GB'));
  const rankOf = (v: number) => 1 + ranked.filter((r) => (lowerBetter ? r.value < v : r.value > v)).length;
  return { ranked, rankOf, lowerBetter };
}

function areaNames(ws: Workspace, codes: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of codes) {
    const n = ws.get<{ name: string }>('SELECT name FROM local_authorities WHERE id = ? UNION ALL SELECT name FROM regions WHERE id = ? LIMIT 1', [c, c]);
    out.set(c, n?.name ?? (c === ENGLAND_AREA_CODE ? 'England' : c));
  }
  return out;
}
