/**
 * Text that crosses into another language (a CSV a spreadsheet will open, a CSS string, a terminal) escaped for that
 * language, in one place, so that every writer of each format neutralises the same things.
 */

/**
 * One CSV cell (RFC 4180). A text cell that a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a
 * carriage return) is prefixed with an apostrophe, which spreadsheets read as "this is text": exports carry text users
 * typed or imported, and opening one must not execute it.
 *
 * A finite number is written as the number it is, even when negative: it came from the data as a number, cannot carry
 * a formula, and must stay a number the spreadsheet can sum. Numbers that arrive as strings ("-5") are text and are
 * prefixed like any other text.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  let s = typeof v === 'string' ? v : typeof v === 'boolean' || typeof v === 'number' ? String(v) : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A CSS string literal (quotes included) that reads back as exactly `s`. Anything that could end the string, the rule
 * or the `<style>` element (quotes, backslash, line breaks, `<`, `>`, `&`), and anything not printable, is written as a
 * CSS hex escape (`\22 `): the trailing space ends the escape and is not part of the text.
 */
export function cssString(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0 || (cp >= 0xd800 && cp <= 0xdfff)) out += '\\FFFD ';
    else if (/["'\\<>&]/.test(ch) || isControl(cp) || cp === 0x2028 || cp === 0x2029) out += `\\${cp.toString(16).toUpperCase()} `;
    else out += ch;
  }
  return `"${out}"`;
}

/** C0 and C1 control characters and DEL. */
function isControl(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/**
 * Characters a name has no use for and a terminal or a bidirectional text renderer would act on: C0 and C1 controls
 * (an ESC starts a terminal escape sequence), DEL, and the bidirectional embeddings, overrides and isolates (which can
 * make "Ann" display as someone else's name).
 */
const UNSAFE_IN_TEXT = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A person's name as it may be stored: controls and bidi overrides removed (tabs and line breaks become spaces),
 * spaces collapsed, ends trimmed. The empty string when nothing printable is left.
 */
export function cleanName(name: string): string {
  return name
    .replace(/[\t\n\v\f\r\u0085\u2028\u2029]/g, ' ')
    .replace(UNSAFE_IN_TEXT, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when `s` holds any character {@link cleanName} would remove. */
export function hasUnsafeControls(s: string): boolean {
  UNSAFE_IN_TEXT.lastIndex = 0;
  const found = UNSAFE_IN_TEXT.test(s);
  UNSAFE_IN_TEXT.lastIndex = 0;
  return found;
}

/**
 * Text for a terminal: every control or bidi character already stored (written before names were cleaned, or by
 * another program) shown as a visible escape such as `\x1B` or `\u202E`, so that printing it cannot move the cursor,
 * recolour the screen or reorder what follows.
 */
export function showControls(s: string): string {
  return s.replace(UNSAFE_IN_TEXT, (ch) => {
    const cp = ch.codePointAt(0)!;
    return cp <= 0xff ? `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}
