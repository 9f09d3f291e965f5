import type { FigureFormat } from '../figures/types';

/** Formats one table cell or chart label the way the figure engine writes values in prose (UK conventions). */
export function formatCell(v: string | number | null | undefined, f?: FigureFormat, numeric?: boolean): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'string') return v;
  if (f?.suppressBelow !== undefined && f.style !== 'percent' && Math.abs(v) < f.suppressBelow) return f.suppressedText ?? '[c]';
  const style = f?.style ?? (numeric === false ? 'text' : 'number');
  const pre = f?.prefix ?? '';
  const suf = f?.suffix ?? '';
  switch (style) {
    case 'percent':
      return `${pre}${fixed(v * 100, f?.decimals ?? 0)}%${suf}`;
    case 'points': {
      const p = fixed(Math.abs(v * 100), f?.decimals ?? 0);
      const sign = v > 0 ? '+' : v < 0 ? '−' : '';
      return `${pre}${sign}${p} pp${suf}`;
    }
    case 'compact':
      return `${pre}${compact(v)}${suf}`;
    case 'direction':
      return v > 0 ? (f?.directionWords?.up ?? 'rose') : v < 0 ? (f?.directionWords?.down ?? 'fell') : (f?.directionWords?.same ?? 'was unchanged');
    case 'text':
      return `${pre}${String(v)}${suf}`;
    default:
      return `${pre}${fixed(v, f?.decimals ?? (Number.isInteger(v) ? 0 : 1))}${suf}`;
  }
}

export function fixed(v: number, decimals: number): string {
  return v.toLocaleString('en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

function compact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${fixed(v / 1e9, 1)} billion`;
  if (a >= 1e6) return `${fixed(v / 1e6, 1)} million`;
  return fixed(v, 0);
}

/** "31 July 2018" from "2018-07-31"; anything else unchanged. */
export function longDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return `${Number(m[3])} ${months[Number(m[2]) - 1]} ${m[1]}`;
}
