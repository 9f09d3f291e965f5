import { describe, expect, it } from 'vitest';
import { axisTitle, echartsOption, onColour, renderChartSvg, seriesLook, type ChartLook } from './render';
import type { ChartModel } from './model';
import { contrastRatio } from '../export/colour';
import { listTemplates } from '../document/templates';

/** Charts readers can tell apart (issue 17): each rating in its own colour, labels that can be read, axes with titles. */

const style = listTemplates()[0]!.style;
const LOOK: ChartLook = { palette: style.chartPalette, ratingColours: style.ratingColours, fontFamily: 'Arial', textColour: '#0b0c0c', mutedColour: '#505a5f', ruleColour: '#b1b4b6' };
const RATINGS = ['Outstanding', 'Good', 'Requires improvement', 'Inadequate'];

function distribution(order: string[]): ChartModel {
  return {
    type: 'stacked-bar',
    orientation: 'horizontal',
    title: 'Ratings by type of service',
    categoryLabel: 'Type of service',
    valueLabel: 'Share of locations',
    categories: ['Residential social care', 'Community based adult social care services'],
    series: order.map((name, i) => ({ name, values: [0.1 + i * 0.1, 0.2 + i * 0.05] })),
    format: { style: 'percent', decimals: 0 },
    percent: true,
  };
}

describe('chart looks', () => {
  it('draws each rating in its own colour wherever it stands, never in another rating’s', () => {
    for (const order of [RATINGS, [...RATINGS].reverse(), ['Good', 'Inadequate']]) {
      const option = echartsOption(distribution(order), LOOK) as { series: { name: string; itemStyle: { color: string } }[] };
      for (const s of option.series) expect(s.itemStyle.color, `${s.name} in ${order.join(', ')}`).toBe(style.ratingColours[s.name]);
      expect(renderChartSvg(distribution(order), LOOK).svg).toContain(style.ratingColours.Good!.toLowerCase().slice(1));
    }
    // "Good" is not drawn in an amber that readers take for "requires improvement".
    expect(style.ratingColours.Good).not.toBe(style.ratingColours['Requires improvement']);
    // Other series keep the palette, by position.
    expect(seriesLook(LOOK, '31 July 2018', 1).colour).toBe(style.chartPalette[1]);
  });

  it('keeps the four ratings apart in greyscale, with a pattern on the two darkest', () => {
    const lightness = RATINGS.map((r) => contrastRatio(style.ratingColours[r]!, '#ffffff'));
    const sorted = [...lightness].sort((a, b) => a - b);
    // Neighbours in lightness differ by at least 1.3:1, or by pattern.
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [RATINGS[lightness.indexOf(sorted[i - 1]!)]!, RATINGS[lightness.indexOf(sorted[i]!)]!];
      const patterned = !!seriesLook(LOOK, a, 0).decal !== !!seriesLook(LOOK, b, 0).decal;
      expect(sorted[i]! / sorted[i - 1]! >= 1.3 || patterned, `${a} and ${b}`).toBe(true);
    }
  });

  it('labels every segment in a colour that meets 4.5:1 on its fill', () => {
    for (const r of RATINGS) {
      const fill = style.ratingColours[r]!;
      expect(contrastRatio(onColour(fill), fill), r).toBeGreaterThanOrEqual(4.5);
    }
    for (const fill of style.chartPalette) expect(contrastRatio(onColour(fill), fill), fill).toBeGreaterThanOrEqual(4.5);
  });

  it('gives the value axis a title with its unit', () => {
    expect(axisTitle({ valueLabel: 'Share of locations', percent: true })).toBe('Share of locations (%)');
    expect(axisTitle({ valueLabel: 'People', percent: false, unit: 'thousands' })).toBe('People (thousands)');
    expect(axisTitle({ valueLabel: '', percent: true })).toBe('Percentage (%)');
    expect(axisTitle({ valueLabel: 'Value', percent: true })).toBe('Percentage (%)');
    expect(renderChartSvg(distribution(RATINGS), LOOK).svg).toContain('Share of locations (%)');
  });
});
