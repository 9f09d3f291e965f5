import { describe, expect, it } from 'vitest';
import { CHROMIUM_CANDIDATES, findChromium, NoChromiumError } from './pdf';
import { existsSync } from 'node:fs';

describe('findChromium', () => {
  it('uses ASSAY_CHROMIUM when set, and says so when it points nowhere', () => {
    expect(findChromium({ ASSAY_CHROMIUM: process.execPath })).toBe(process.execPath);
    expect(() => findChromium({ ASSAY_CHROMIUM: '/no/such/chrome' })).toThrow(NoChromiumError);
    expect(() => findChromium({ ASSAY_CHROMIUM: '/no/such/chrome' })).toThrow(/ASSAY_CHROMIUM is set to \/no\/such\/chrome, but there is no file there/);
  });

  it('otherwise takes the first usual install path that exists', () => {
    const first = CHROMIUM_CANDIDATES.find((p) => existsSync(p));
    if (first) expect(findChromium({})).toBe(first);
    else expect(() => findChromium({})).toThrow(/PDF export needs Chromium or Google Chrome, and none was found/);
  });
});
