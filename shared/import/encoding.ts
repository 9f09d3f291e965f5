/**
 * Checking that bytes are what we will decode them as, before any of them reach the database. A CSV saved by Excel as
 * "Unicode text" is UTF-16; one saved in a legacy code page has bytes that are not UTF-8. Decoding either as UTF-8
 * without complaint would import mangled names ("Mï¿½ller") that nobody notices until publication.
 */

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** Recognises UTF-16 from a byte order mark or, without one, from the NUL bytes ASCII text has in UTF-16. */
export function sniffUtf16(head: Uint8Array): TextEncoding | undefined {
  if (head.length >= 2) {
    if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
    if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  }
  const n = Math.min(head.length, 512) & ~1;
  if (n < 8) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.3 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.3 && oddNul < pairs * 0.05) return 'utf-16be';
  return undefined;
}

export interface InvalidSequence {
  /** Byte offset of the first byte of the invalid sequence in the whole input. */
  offset: number;
  /** 1-based line the byte is on (counting LF bytes). */
  line: number;
}

/**
 * A streaming UTF-8 validator: feed it chunks as they arrive; sequences split across chunks are carried over. It keeps
 * at most `limit` invalid positions but counts them all.
 */
export class Utf8Validator {
  private need = 0; // continuation bytes still expected
  private min = 0; // lowest code point allowed for the sequence (rejects overlong forms)
  private cp = 0;
  private seqStart = 0;
  private seqLine = 1;
  private offset = 0;
  private line = 1;
  readonly invalid: InvalidSequence[] = [];
  count = 0;

  constructor(private readonly limit = 1000) {}

  private bad(offset: number, line: number): void {
    this.count++;
    if (this.invalid.length < this.limit) this.invalid.push({ offset, line });
  }

  push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      const at = this.offset + i;
      if (this.need > 0) {
        if ((b & 0xc0) === 0x80) {
          this.cp = (this.cp << 6) | (b & 0x3f);
          if (--this.need === 0) {
            if (this.cp < this.min || this.cp > 0x10ffff || (this.cp >= 0xd800 && this.cp <= 0xdfff)) this.bad(this.seqStart, this.seqLine);
          }
          continue;
        }
        // The sequence ended early: the lead byte was invalid; this byte starts afresh.
        this.bad(this.seqStart, this.seqLine);
        this.need = 0;
      }
      if (b < 0x80) {
        if (b === 0x0a) this.line++;
        continue;
      }
      this.seqStart = at;
      this.seqLine = this.line;
      if ((b & 0xe0) === 0xc0) {
        this.need = 1;
        this.cp = b & 0x1f;
        this.min = 0x80;
      } else if ((b & 0xf0) === 0xe0) {
        this.need = 2;
        this.cp = b & 0x0f;
        this.min = 0x800;
      } else if ((b & 0xf8) === 0xf0) {
        this.need = 3;
        this.cp = b & 0x07;
        this.min = 0x10000;
      } else {
        this.bad(at, this.line);
      }
    }
    this.offset += chunk.length;
  }

  /** Call at the end of input: a sequence cut short by the end of the file is invalid too. */
  end(): void {
    if (this.need > 0) this.bad(this.seqStart, this.seqLine);
    this.need = 0;
  }
}

/** Recognises the files people most often pick by mistake instead of a CSV: Excel workbooks (new and old) and PDFs. */
export function sniffNotText(head: Uint8Array): string | undefined {
  const starts = (...b: number[]) => b.every((x, i) => head[i] === x);
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'an Excel workbook or other zip file';
  if (starts(0xd0, 0xcf, 0x11, 0xe0)) return 'an old-style Excel (.xls) workbook';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'a PDF';
  return undefined;
}

/** How much of the start of a file {@link sniffBinary} looks at. */
export const BINARY_SNIFF_BYTES = 64 * 1024;

/**
 * Recognises binary data (an image, an archive, a database) given a .csv name, from the start of the file, after UTF-16
 * has been ruled out: text in UTF-8 has no NUL bytes, hardly any control characters, and few byte sequences that are
 * not UTF-8 (a CSV saved in a Windows code page has some, one per accented letter, and is still text). Returns why it
 * looks binary, for the message, or undefined for text.
 */
export function sniffBinary(head: Uint8Array): string | undefined {
  const n = Math.min(head.length, BINARY_SNIFF_BYTES);
  if (n === 0) return undefined;
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b === 0) return `it has a NUL byte at byte ${i.toLocaleString('en-GB')}, which text never has`;
    // Tab, line feed, form feed and carriage return are text; every other C0 control and DEL is not.
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) || b === 0x7f) controls++;
  }
  const sample = `its first ${n.toLocaleString('en-GB')} bytes`;
  if (controls >= 8 && controls > n * 0.01) return `${controls.toLocaleString('en-GB')} of ${sample} are control characters`;
  const v = new Utf8Validator(0);
  v.push(head.subarray(0, n));
  // A sequence cut short by the end of the sample is not counted: the next chunk may complete it.
  if (v.count >= 16 && v.count > n * 0.1) return `${v.count.toLocaleString('en-GB')} byte sequences in ${sample} are neither UTF-8 nor UTF-16`;
  return undefined;
}
