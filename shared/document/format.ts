import type { FigureFormat } from '../figures/types';
import { formatValue } from '../figures/format';

/**
 * Formats one table cell or chart label exactly as the figure engine writes values in prose (same rounding, same
 * suppression), so a number reads the same in a sentence, a table and a chart.
 */
export function formatCell(v: string | number | null | undefined, f?: FigureFormat, numeric?: boolean): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'string') return v;
  const fmt: FigureFormat = f ?? { style: numeric === false ? 'text' : 'number', decimals: Number.isInteger(v) ? 0 : 1 };
  return formatValue(v, fmt);
}

export function fixed(v: number, decimals: number): string {
  return v.toLocaleString('en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** "31 July 2018" from "2018-07-31"; anything else unchanged. */
export function longDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return `${Number(m[3])} ${months[Number(m[2]) - 1]} ${m[1]}`;
}

/**
 * Fills report parameters into a figure's name or a caption, so that one library figure reads right in any edition:
 * "Adult social care rated good or outstanding ({asAt:year})" prints "(2018)" in the 2017/18 report and "(2019)" in the
 * next. `{name}` prints the parameter as it is (a date as "31 July 2018"); `{name:year}` its year, `{name:date}` the long
 * date, `{name:month}` "July 2018". A placeholder whose parameter is missing is left as written, for a check to find.
 */
export function fillParams(text: string, params: Readonly<Record<string, unknown>>): string {
  if (!text.includes('{')) return text;
  return text.replace(/\{(\w+)(?::(year|date|month))?\}/g, (whole, name: string, as: string | undefined) => {
    const v = params[name];
    if (v === undefined || v === null || v === '') return whole;
    const s = String(v);
    const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
    if (as === 'year') return iso ? iso[1]! : s;
    if (as === 'month' && iso) return longDate(s).replace(/^\d+ /, '');
    return iso ? longDate(s) : s;
  });
}

/** Whether a name or caption still holds a placeholder no parameter filled. */
export function hasPlaceholder(text: string): boolean {
  return /\{\w+(?::(?:year|date|month))?\}/.test(text);
}

/**
 * A council as a sentence names it: CQC's lists write some as "Bristol, City of", "Herefordshire, County of"; a sentence
 * says "City of Bristol".
 */
export function councilInWords(name: string): string {
  const m = /^(.+), ((?:City|County|Royal Borough|London Borough) of)$/.exec(name.trim());
  return m ? `${m[2]} ${m[1]}` : name;
}
