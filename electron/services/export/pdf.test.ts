import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium, NoChromiumError } from './pdf';
import { tempDir } from '../testing/fixtures';

describe('findChromium', () => {
  it('uses ASSAY_CHROMIUM when set, and says so when it points nowhere', () => {
    expect(findChromium({ ASSAY_CHROMIUM: process.execPath })).toBe(process.execPath);
    expect(() => findChromium({ ASSAY_CHROMIUM: '/no/such/chrome' })).toThrow(NoChromiumError);
    expect(() => findChromium({ ASSAY_CHROMIUM: '/no/such/chrome' })).toThrow(/ASSAY_CHROMIUM is set to \/no\/such\/chrome, but there is no file there/);
  });

  it('otherwise takes the first of the usual install paths that exists, in their order', () => {
    const dir = tempDir('assay-chromium-');
    const [a, b] = [join(dir, 'chromium'), join(dir, 'google-chrome')];
    writeFileSync(a, '');
    writeFileSync(b, '');
    expect(findChromium({}, [join(dir, 'missing'), b, a])).toBe(b);
    expect(findChromium({}, [a, b])).toBe(a);
  });

  it('names every place it looked when there is none', () => {
    const dir = tempDir('assay-chromium-');
    const where = [join(dir, 'one'), join(dir, 'two')];
    expect(() => findChromium({}, where)).toThrow(NoChromiumError);
    expect(() => findChromium({}, where)).toThrow(`PDF export needs Chromium or Google Chrome, and none was found. Install one (on Debian or Ubuntu: apt install chromium), or set ASSAY_CHROMIUM to its path. Looked in: ${where.join(', ')}.`);
  });
});
