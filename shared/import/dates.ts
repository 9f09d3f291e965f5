/**
 * Dates as CQC and spreadsheets write them. CQC's national files use dd/mm/yyyy (British order, never American);
 * API-derived files use ISO yyyy-mm-dd. Anything else is refused rather than guessed, because a silently misread date
 * moves a rating across an "as at" boundary and changes published figures.
 */

const DMY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function real(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** An ISO date for a dd/mm/yyyy or yyyy-mm-dd (optionally with a time) string, or undefined if it is not one. */
export function parseDate(text: string): string | undefined {
  const s = text.trim();
  let m = DMY.exec(s);
  if (m) {
    const d = Number(m[1]);
    const mo = Number(m[2]);
    const y = Number(m[3]);
    return real(y, mo, d) ? iso(y, mo, d) : undefined;
  }
  m = ISO.exec(s);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    return real(y, mo, d) ? iso(y, mo, d) : undefined;
  }
  return undefined;
}

export const DATE_FORMS = 'dd/mm/yyyy or yyyy-mm-dd';

/** Why a date was refused, in words: a real-looking date that does not exist reads differently from a wrong form. */
export function badDateMessage(text: string): string {
  const s = text.trim();
  if (DMY.test(s) || ISO.test(s)) return `"${text}" is not a real calendar date`;
  return `"${text}" is not a date written ${DATE_FORMS}`;
}
