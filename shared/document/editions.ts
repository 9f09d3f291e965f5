import type { FigureParams } from '../figures/types';

/**
 * Next year's edition of a report, as words and dates: the parameters move on a year and the title's years with them.
 * Pure, so the app's "New edition…" dialog proposes exactly what the store would make.
 */

/** An ISO date a year later (29 February becomes 28 February). */
export function yearLater(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const y = Number(m[1]) + 1;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const day = m[2] === '02' && m[3] === '29' && !leap ? '28' : m[3]!;
  return `${y}-${m[2]}-${day}`;
}

/**
 * Next year's parameters: this edition's "as at" date becomes the comparison date, and every date parameter moves on a
 * year. Other parameters (an indicator, an area) stay.
 */
export function nextEditionParams(params: FigureParams): FigureParams {
  const out: FigureParams = {};
  for (const [k, v] of Object.entries(params)) out[k] = /At$/.test(k) && typeof v === 'string' ? yearLater(v) : v;
  if (typeof params.asAt === 'string' && 'previousAsAt' in params) out.previousAsAt = params.asAt;
  return out;
}

/** Next year's title: "State of Care 2017/18" becomes "State of Care 2018/19", "… 2018" becomes "… 2019". */
export function nextEditionTitle(title: string): string {
  let changed = false;
  let out = title.replace(/\b((?:19|20)\d{2})\/(\d{2})\b/g, (_w, y: string) => {
    changed = true;
    const next = Number(y) + 1;
    return `${next}/${String((next + 1) % 100).padStart(2, '0')}`;
  });
  if (!changed) {
    out = title.replace(/\b((?:19|20)\d{2})\b/g, (_w, y: string) => {
      changed = true;
      return String(Number(y) + 1);
    });
  }
  return changed ? out : `${title} (next edition)`;
}
