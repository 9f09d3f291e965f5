import { describe, expect, it } from 'vitest';
import { chartAltText, chartDataTable, chartModel, divergingNet } from './model';
import { renderChartSvg, type ChartLook } from './render';
import type { FigureResult } from '../figures/types';

/** The diverging bar chart (rating_movement's "areas moving towards the tipping point"): model, words and drawing. */

const LOOK: ChartLook = { palette: ['#b3261e', '#1b5e8c'], fontFamily: 'Arial', textColour: '#0b0c0c', mutedColour: '#505a5f', ruleColour: '#b1b4b6' };

/** A result shaped as rating_movement's `by` result: shares deteriorated and improved are its two measures. */
function movement(rows: [string, number, number, number][]): FigureResult {
  return {
    figureId: null,
    kind: 'chart',
    value: null,
    formatted: '',
    columns: [
      { key: 'localAuthority', label: 'Local authority', role: 'category' },
      { key: 'rated', label: 'Rated at both', numeric: true, format: { style: 'number' }, role: 'total' },
      { key: 'deteriorated', label: 'Deteriorated', numeric: true, format: { style: 'number' }, role: 'detail' },
      { key: 'improved', label: 'Improved', numeric: true, format: { style: 'number' }, role: 'detail' },
      { key: 'deterioratedShare', label: 'Share deteriorated', numeric: true, format: { style: 'percent', decimals: 0 }, role: 'measure' },
      { key: 'improvedShare', label: 'Share improved', numeric: true, format: { style: 'percent', decimals: 0 }, role: 'measure' },
      { key: 'netPoints', label: 'Net movement (percentage points)', numeric: true, format: { style: 'points', decimals: 0, signed: true }, role: 'detail' },
    ],
    rows: rows.map(([la, rated, det, imp]) => ({ localAuthority: la, rated, deteriorated: det, improved: imp, deterioratedShare: det / rated, improvedShare: imp / rated, netPoints: null })),
    provenance: { sql: '', params: {}, tables: [], rowsRead: 0, fingerprint: '', imports: [], evidenceIds: [], computedAt: '' },
  };
}

describe('diverging bar chart', () => {
  const result = movement([
    ['Stockport', 100, 2, 12],
    ['York', 80, 4, 4],
    ['Halton', 50, 9, 3],
  ]);

  it('takes the two measures, left then right, in the result’s order, and writes the net as printed', () => {
    const m = chartModel(result, { type: 'diverging-bar' }, 'Movement');
    expect(m.orientation).toBe('horizontal');
    expect(m.categories).toEqual(['Stockport', 'York', 'Halton']);
    expect(m.series.map((s) => s.name)).toEqual(['Share deteriorated', 'Share improved']);
    expect(divergingNet(m, 0)).toBeCloseTo(0.1, 12);
    expect(divergingNet(m, 2)).toBeCloseTo(-0.12, 12);
    const table = chartDataTable(m);
    expect(table.head).toEqual(['Local authority', 'Share deteriorated', 'Share improved', 'Net (share improved minus share deteriorated)']);
    expect(table.rows).toEqual([
      ['Stockport', '2%', '12%', '+10 percentage points'],
      ['York', '5%', '5%', '0 percentage points'],
      ['Halton', '18%', '6%', '-12 percentage points'],
    ]);
    const alt = chartAltText(m);
    expect(alt).toMatch(/^Diverging bar chart: Movement\. 3 local authorities; for each, share deteriorated is drawn to the left of zero and share improved to the right\./);
    expect(alt).toContain('Halton: 18% and 6%, net -12 percentage points');
    expect(alt).toContain('highest in Stockport (+10 percentage points) and lowest in Halton (-12 percentage points)');
    expect(alt).toContain('1 of 3 lean to the right (share improved larger than share deteriorated), 1 to the left.');
  });

  it('refuses a result without exactly two measures, saying why', () => {
    const one = { ...result, columns: result.columns!.filter((c) => c.key !== 'improvedShare') };
    expect(() => chartModel(one, { type: 'diverging-bar' }, 'Movement')).toThrow(/needs two measures.*gives 1 \(Share deteriorated\)/);
  });

  it('draws the first measure to the left of zero and the second to the right, labelled with magnitudes', () => {
    const m = chartModel(result, { type: 'diverging-bar' }, 'Movement');
    const { svg, height } = renderChartSvg(m, LOOK);
    expect(svg.startsWith('<svg aria-hidden="true"')).toBe(true);
    expect(height).toBeGreaterThan(200);
    for (const c of ['Stockport', 'York', 'Halton', '18%', '12%', 'Share deteriorated', 'Share improved']) expect(svg).toContain(c);
    // No minus sign is printed: the left side is a magnitude, not a negative share.
    expect(svg).not.toMatch(/>-\d/);
    // Each category's two bars start on the zero line: the first measure's runs left (negative width), the second's right.
    const bars = (colour: string) =>
      [...svg.matchAll(new RegExp(`<path d="M(\\d+(?:\\.\\d+)?) [\\d.]+l(-?[\\d.]+) 0[^"]*" fill="${colour}"[^>]*ecmeta_ssr_type="chart"`, 'g'))].map((x) => ({ x: Number(x[1]), dx: Number(x[2]) }));
    const left = bars('#b3261e');
    const right = bars('#1b5e8c');
    expect(left).toHaveLength(3);
    expect(right).toHaveLength(3);
    expect(new Set([...left, ...right].map((b) => b.x)).size).toBe(1);
    expect(left.every((b) => b.dx < 0) && right.every((b) => b.dx > 0)).toBe(true);
    // Halton's deterioration (18%) is drawn three times as long as its improvement (6%).
    expect(Math.abs(left[2]!.dx) / right[2]!.dx).toBeCloseTo(3, 1);
  });
});
