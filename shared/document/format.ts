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
