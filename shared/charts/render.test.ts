import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { version as echartsVersion } from 'echarts';
import { CHART_DRAWING_VERSION, axisTitle, chartDrawingKey, echartsOption, onColour, renderChartSvg, seriesLook, type ChartLook } from './render';
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

describe('the drawing version that chart pictures are kept by', () => {
  // Kept pictures are found by chartDrawingKey (model, look, width, CHART_DRAWING_VERSION), without loading echarts or
  // drawing the chart: a change to how charts are drawn (an echarts upgrade included) must bump CHART_DRAWING_VERSION,
  // or exports would go on using pictures drawn the old way. These are the SVGs' hashes at this version and echarts'
  // version; when they differ, bump the version and record the new hashes and echarts' version here.
  const RECORDED = { version: 1, echarts: '6.1.0', hashes: ['c4612cbcb2dd9a82', '197abfb3bab82dba', '5d83aa468499d50d', '4177b6dadfc909a6'] };
  const models: ChartModel[] = [
    distribution(RATINGS),
    { type: 'bar', orientation: 'vertical', title: 'Locations', categoryLabel: 'Region', valueLabel: 'Number of locations', categories: ['London', 'North West'], series: [{ name: 'Locations', values: [1200, 950] }], format: { style: 'number', decimals: 0 }, percent: false, unit: 'locations' },
    { type: 'grouped-bar', orientation: 'horizontal', title: 'Safe', categoryLabel: 'Sector', valueLabel: 'Share', categories: ['Adult social care', 'Hospitals'], series: [{ name: '2017', values: [0.7, 0.6] }, { name: '2018', values: [0.75, null] }], format: { style: 'percent', decimals: 0 }, percent: true },
    { type: 'diverging-bar', orientation: 'horizontal', title: 'Movement', categoryLabel: 'Sector', valueLabel: 'Share', categories: ['Adult social care'], series: [{ name: 'Deteriorated', values: [0.08] }, { name: 'Improved', values: [0.21] }], format: { style: 'percent', decimals: 0 }, percent: true },
  ];
  // echarts numbers each chart it makes (zr1, zr2…) in ids that only join its parts: not part of the picture.
  const hash = (m: ChartModel) => createHash('sha256').update(renderChartSvg(m, LOOK).svg.replace(/zr\d+/g, 'zr')).digest('hex').slice(0, 16);

  it('is bumped whenever the drawing changes', () => {
    expect({ version: CHART_DRAWING_VERSION, echarts: echartsVersion, hashes: models.map(hash) }, 'the charts are drawn differently (or echarts was upgraded): bump CHART_DRAWING_VERSION in look.ts and record the hashes').toEqual(RECORDED);
  });

  it('keys a picture by everything that decides it', () => {
    const m = distribution(RATINGS);
    expect(chartDrawingKey(m, LOOK)).toBe(chartDrawingKey(distribution(RATINGS), { ...LOOK }));
    expect(chartDrawingKey(m, LOOK)).not.toBe(chartDrawingKey({ ...m, series: [{ ...m.series[0]!, values: [0.5, 0.2] }, ...m.series.slice(1)] }, LOOK));
    expect(chartDrawingKey(m, LOOK)).not.toBe(chartDrawingKey(m, { ...LOOK, textColour: '#000000' }));
    expect(chartDrawingKey(m, LOOK)).not.toBe(chartDrawingKey(m, LOOK, 500));
    expect(chartDrawingKey(m, LOOK)).toContain(`drawing ${CHART_DRAWING_VERSION}`);
  });
});
