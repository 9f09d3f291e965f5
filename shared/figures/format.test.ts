import { describe, expect, it } from 'vitest';
import { formatCompact, formatDate, formatNumber, formatPercent, formatPoints, formatValue, directionWord } from './format';

describe('format', () => {
  it('writes percentages with n decimals, rounding half away from zero as published tables do', () => {
    expect(formatPercent(0.7912)).toBe('79%');
    expect(formatPercent(0.7912, 1)).toBe('79.1%');
    expect(formatPercent(0.785)).toBe('79%');
    expect(formatPercent(0.005, 0)).toBe('1%');
    expect(formatPercent(0)).toBe('0%');
  });
  it('groups thousands with commas', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatNumber(-12345.678, 1)).toBe('-12,345.7');
    expect(formatNumber(999)).toBe('999');
  });
  it('writes large numbers in words', () => {
    expect(formatCompact(1_200_000)).toBe('1.2 million');
    expect(formatCompact(3_000_000)).toBe('3 million');
    expect(formatCompact(90_000)).toBe('90,000');
    expect(formatCompact(2_540_000_000)).toBe('2.5 billion');
  });
  it('writes percentage points, singular for exactly one', () => {
    expect(formatPoints(0.03)).toBe('3.0 percentage points');
    expect(formatPoints(-0.0304)).toBe('3.0 percentage points');
    expect(formatPoints(0.01)).toBe('1.0 percentage point');
    expect(formatPoints(-0.021, 1, { signed: true })).toBe('-2.1 percentage points');
  });
  it('gives direction words', () => {
    expect(directionWord(0.01)).toBe('rose');
    expect(directionWord(-0.01)).toBe('fell');
    expect(directionWord(0)).toBe('was unchanged');
    expect(formatValue(0.02, { style: 'direction', directionWords: { up: 'increased', down: 'decreased', same: 'held steady' } })).toBe('increased');
  });
  it('suppresses small numbers as [c] or a phrase', () => {
    expect(formatValue(3, { style: 'number', suppressBelow: 5 })).toBe('[c]');
    expect(formatValue(3, { style: 'number', suppressBelow: 5, suppressedText: 'fewer than 5' })).toBe('fewer than 5');
    expect(formatValue(0.5, { style: 'percent', suppressBelow: 10 }, 4)).toBe('[c]');
    expect(formatValue(0.5, { style: 'percent', suppressBelow: 10 }, 40)).toBe('50%');
  });
  it('writes dates the GOV.UK way', () => {
    expect(formatDate('2018-07-31')).toBe('31 July 2018');
  });
});
