import type { FigureFormat } from './types';

/**
 * Formatting of figure values for prose and tables, following GOV.UK and ONS style: "79%", "12,345", "1.2 million",
 * "3.0 percentage points", "rose"/"fell"/"was unchanged", and "[c]" for values suppressed for disclosure control.
 */

export const DEFAULT_SUPPRESSED = '[c]';
const DEFAULT_DIRECTION = { up: 'rose', down: 'fell', same: 'was unchanged' };

/**
 * Rounds half away from zero at `decimals` places. `toFixed` alone rounds the binary value (0.785 * 100 is
 * 78.49999...), which would print 78% where a reader working from the published counts expects 79%.
 */
export function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const scaled = Math.abs(x) * f;
  const r = Math.round(scaled + scaled * Number.EPSILON * 4);
  return (Math.sign(x) * r) / f || 0;
}

function groupThousands(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 12345.6 → "12,345.6" (decimals fixed), with a plain hyphen-minus for negatives as GOV.UK tables do. */
export function formatNumber(x: number, decimals = 0): string {
  const r = roundTo(x, decimals);
  const [i, d] = Math.abs(r).toFixed(decimals).split('.');
  const s = groupThousands(i!) + (d ? `.${d}` : '');
  return r < 0 ? `-${s}` : s;
}

/** A share (0..1) as a percentage: 0.7912 → "79%", with 1 decimal "79.1%". */
export function formatPercent(share: number, decimals = 0): string {
  return `${formatNumber(share * 100, decimals)}%`;
}

/**
 * Large numbers in words as the press and State of Care write them: 1,200,000 → "1.2 million"; a whole number keeps
 * no decimal ("3 million"); below a million, thousands separators ("90,000").
 */
export function formatCompact(x: number, decimals = 1): string {
  const a = Math.abs(x);
  const unit = a >= 1e9 ? { d: 1e9, w: 'billion' } : a >= 1e6 ? { d: 1e6, w: 'million' } : undefined;
  if (!unit) return formatNumber(x, Number.isInteger(x) ? 0 : Math.min(decimals, 2));
  let s = formatNumber(x / unit.d, decimals);
  if (s.includes('.')) s = s.replace(/\.?0+$/, '');
  return `${s} ${unit.w}`;
}

/**
 * A difference between two shares (0..1 scale) in percentage points: 0.03 → "3.0 percentage points". The magnitude
 * is written without a sign because prose carries the direction ("rose by 3.0 percentage points"); `signed` gives
 * "+3.0" for table columns. Exactly one point is singular.
 */
export function formatPoints(diff: number, decimals = 1, opts: { signed?: boolean; unit?: boolean } = {}): string {
  const r = roundTo(diff * 100, decimals);
  const mag = formatNumber(Math.abs(r), decimals);
  const sign = opts.signed ? (r > 0 ? '+' : r < 0 ? '-' : '') : '';
  if (opts.unit === false) return `${sign}${mag}`;
  return `${sign}${mag} ${Math.abs(r) === 1 ? 'percentage point' : 'percentage points'}`;
}

/**
 * How a printed change relates to the printed levels it is the change between (a report setting; see README, "Numbers
 * that agree"):
 * - 'rounded' (the default): the change is the difference of the levels as printed, at the same precision, so
 *   "77% to 79%" is always "2 percentage points" and a table's Change column always equals To minus From;
 * - 'unrounded': the change is computed from the unrounded shares (printed to one decimal), and the publication says
 *   so in its notes (UNROUNDED_CHANGES_NOTE), as GOV.UK and ONS releases do.
 */
export type ChangeRule = 'rounded' | 'unrounded';
export const CHANGE_RULES: readonly ChangeRule[] = ['rounded', 'unrounded'];
export const DEFAULT_CHANGE_RULE: ChangeRule = 'rounded';

/** The note a publication carries when its changes are computed from unrounded figures. */
export const UNROUNDED_CHANGES_NOTE =
  'Changes are calculated from unrounded figures, so a change may differ from the difference between the rounded figures shown.';

/**
 * The change between two shares (0..1) under a rule, as a share difference (0.02 is 2 percentage points), and the
 * decimals it is printed with. Under 'rounded' it is the difference of the shares rounded as percentages to `decimals`
 * places, printed at that same precision; under 'unrounded' the plain difference, printed to `unroundedDecimals`.
 */
export function changeBetween(from: number, to: number, decimals: number, rule: ChangeRule = DEFAULT_CHANGE_RULE, unroundedDecimals = 1): { change: number; decimals: number } {
  if (rule === 'unrounded') return { change: to - from, decimals: unroundedDecimals };
  // Rounded again after subtracting: 79.1 - 76.5 is 2.5999999999999943 in binary, and approvals compare values.
  const points = roundTo(roundTo(to * 100, decimals) - roundTo(from * 100, decimals), decimals);
  return { change: points / 100, decimals };
}

export function directionWord(diff: number, words: FigureFormat['directionWords'] = DEFAULT_DIRECTION): string {
  return diff > 0 ? words.up : diff < 0 ? words.down : words.same;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2018-07-31" → "31 July 2018" (GOV.UK date style). Anything else is returned as it is. */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** Whether a value should be suppressed: the count it rests on (a denominator, or the count itself) is below the threshold. */
export function isSuppressed(base: number | null | undefined, fmt: FigureFormat): boolean {
  return fmt.suppressBelow !== undefined && base !== null && base !== undefined && base < fmt.suppressBelow;
}

/**
 * Formats a value in the given style. `base` is the count that disclosure control looks at; a suppressed value is
 * written as the phrase (default "[c]") and never as its digits.
 */
export function formatValue(value: number | string | null | undefined, fmt: FigureFormat, base?: number | null): string {
  if (isSuppressed(base ?? (typeof value === 'number' && (fmt.style === 'number' || fmt.style === 'compact') ? value : null), fmt)) {
    return fmt.suppressedText ?? DEFAULT_SUPPRESSED;
  }
  if (value === null || value === undefined) return '..';
  if (typeof value === 'string') return `${fmt.prefix ?? ''}${value}${fmt.suffix ?? ''}`;
  if (!Number.isFinite(value)) return '..';
  let s: string;
  switch (fmt.style ?? 'number') {
    case 'percent':
      s = formatPercent(value, fmt.decimals ?? 0);
      break;
    case 'compact':
      s = formatCompact(value, fmt.decimals ?? 1);
      break;
    case 'points':
      s = formatPoints(value, fmt.decimals ?? 1, { signed: fmt.signed ?? false });
      break;
    case 'direction':
      s = directionWord(roundTo(value, 12), fmt.directionWords ?? DEFAULT_DIRECTION);
      break;
    case 'text':
      s = String(value);
      break;
    default:
      s = formatNumber(value, fmt.decimals ?? 0);
  }
  return `${fmt.prefix ?? ''}${s}${fmt.suffix ?? ''}`;
}
