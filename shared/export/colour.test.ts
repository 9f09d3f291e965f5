import { describe, expect, it } from 'vitest';
import { contrastRatio, readableOn } from './colour';

describe('colours for words', () => {
  it('measures contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBe(21);
    // The State of Care accent the issue measured: 2.69:1 on white.
    expect(contrastRatio('#e08a00', '#ffffff')).toBeCloseTo(2.69, 1);
  });

  it('darkens an accent just enough to be read on white, and leaves a readable colour alone', () => {
    const a = readableOn('#e08a00');
    expect(contrastRatio(a, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(a, '#ffffff')).toBeLessThan(5.2);
    expect(readableOn('#1d4f91')).toBe('#1d4f91');
    // On a dark background it lightens instead.
    expect(contrastRatio(readableOn('#1d4f91', '#0b0c0c'), '#0b0c0c')).toBeGreaterThanOrEqual(4.5);
  });
});
