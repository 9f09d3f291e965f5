import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cleanName, csvCell, cssString, hasUnsafeControls, showControls } from './escape';
import { capped, LIMITS, tooLongMessage } from './limits';

/** Reads a CSS string token back as CSS Syntax Level 3 consumes it (the test's own reader, not the code under test). */
function readCssString(css: string): { value: string; rest: string } {
  const quote = css[0]!;
  let value = '';
  let i = 1;
  while (i < css.length) {
    const c = css[i]!;
    if (c === quote) return { value, rest: css.slice(i + 1) };
    if (c === '\n') throw new Error('bad string: a raw newline ends it');
    if (c === '\\') {
      const hex = /^[0-9a-fA-F]{1,6}/.exec(css.slice(i + 1))?.[0];
      if (hex) {
        i += 1 + hex.length;
        if (css[i] === ' ') i++;
        const cp = parseInt(hex, 16);
        value += cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\uFFFD' : String.fromCodePoint(cp);
        continue;
      }
      value += css[i + 1];
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  throw new Error('unterminated string');
}

describe('csvCell', () => {
  it('neutralises text a spreadsheet would run as a formula', () => {
    for (const s of ['=HYPERLINK("http://x","y")', '+1', '-1+2', '@SUM(A1)', '\t=1', '\r=1']) expect(csvCell(s).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  });

  it('keeps numbers numbers, negative ones included; text that looks like a number is still text', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(-0.125)).toBe('-0.125');
    expect(csvCell(1e21)).toBe('1e+21');
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell(-Infinity)).toBe("'-Infinity");
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell({ a: -1 })).toBe('"{""a"":-1}"');
  });
});

describe('cssString', () => {
  it('cannot be broken out of, and reads back as the text', () => {
    const attack = '"; } body { background: url(http://127.0.0.1:9/x) } .x{ content: "';
    const css = cssString(attack);
    expect(css.slice(1, -1)).not.toMatch(/["'<>&\n]/);
    const { value, rest } = readCssString(`${css}; x`);
    expect(value).toBe(attack);
    expect(rest).toBe('; x');
    expect(cssString('R&D <b></style>')).toBe('"R\\26 D \\3C b\\3E \\3C /style\\3E "');
  });

  it('round-trips any text, controls and astral characters included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const css = cssString(s);
        expect(css.slice(1, -1)).not.toMatch(/["'<>&\n\r\f\u0000-\u001f]/);
        const expected = s.replace(/\u0000/g, '\uFFFD').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
        expect(readCssString(`${css};`).value).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('names and terminals', () => {
  it('cleanName drops terminal escapes, controls and bidi overrides', () => {
    expect(cleanName('Priya\u001b[2J\u001b[31m Shah')).toBe('Priya[2J[31m Shah');
    expect(cleanName('  Ann\u202E\u2066nnA\u0007\u009b ')).toBe('AnnnnA');
    expect(cleanName('Ann\tB\nC')).toBe('Ann B C');
    expect(cleanName('\u001b\u0000')).toBe('');
    expect(cleanName('Zoë O’Brien-Łukasz')).toBe('Zoë O’Brien-Łukasz');
    expect(hasUnsafeControls('a\u202Eb')).toBe(true);
    expect(hasUnsafeControls('plain')).toBe(false);
  });

  it('showControls makes stored controls visible', () => {
    expect(showControls('x\u001b[2Jy\u202Ez\u009b')).toBe('x\\x1B[2Jy\\u202Ez\\x9B');
    expect(showControls('Priya Shah')).toBe('Priya Shah');
  });
});

describe('limits', () => {
  it('name the limit and the length', () => {
    expect(tooLongMessage(300, 100_000)).toBe('must be at most 300 characters (this one has 100,000)');
    const r = capped(LIMITS.title).safeParse('x'.repeat(100_000));
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe('must be at most 300 characters (this one has 100,000)');
    expect(capped(LIMITS.title).safeParse('x'.repeat(300)).success).toBe(true);
  });
});
