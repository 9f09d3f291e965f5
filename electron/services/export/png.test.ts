import { describe, expect, it } from 'vitest';
import { crc32, inflateSync } from 'node:zlib';
import { Resvg } from '@resvg/resvg-js';
import { recompressPng } from './png';
import { renderChartSvg } from '../../../shared/charts/render';
import { listTemplates } from '../../../shared/document/templates';

/** The PNG's chunks: type, data and whether its checksum holds. */
function chunks(png: Uint8Array): { type: string; data: Buffer; ok: boolean }[] {
  const b = Buffer.from(png);
  const out: { type: string; data: Buffer; ok: boolean }[] = [];
  for (let at = 8; at + 12 <= b.length; ) {
    const len = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    out.push({ type, data: b.subarray(at + 8, at + 8 + len), ok: crc32(b.subarray(at + 4, at + 8 + len)) === b.readUInt32BE(at + 8 + len) });
    at += 12 + len;
  }
  return out;
}

const pixels = (png: Uint8Array) => inflateSync(Buffer.concat(chunks(png).filter((c) => c.type === 'IDAT').map((c) => c.data)));

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="160"><rect width="320" height="160" fill="#fff"/>' +
  '<rect x="10" y="20" width="200" height="30" fill="#008a4f"/><rect x="10" y="70" width="120" height="30" fill="#d4351c"/>' +
  '<circle cx="260" cy="80" r="40" fill="#1d70b8"/></svg>';

/** A chart as the exports draw it: labels, axes and bars. */
function chartSvg(): string {
  const style = listTemplates()[0]!.style;
  const look = { palette: style.chartPalette, ratingColours: style.ratingColours, fontFamily: 'Liberation Sans', textColour: '#0b0c0c', mutedColour: '#505a5f', ruleColour: '#b1b4b6' };
  const ratings = ['Outstanding', 'Good', 'Requires improvement', 'Inadequate'];
  return renderChartSvg(
    {
      type: 'stacked-bar',
      orientation: 'horizontal',
      title: 'Ratings by type of service',
      categoryLabel: 'Type of service',
      valueLabel: 'Share of locations',
      categories: ['Residential social care', 'Community based adult social care services', 'Hospitals', 'Primary medical services'],
      series: ratings.map((name, i) => ({ name, values: [0.05 + i * 0.1, 0.2 + i * 0.05, 0.1 + i * 0.08, 0.15 + i * 0.02] })),
      format: { style: 'percent', decimals: 0 },
      percent: true,
    },
    look,
  ).svg;
}

describe('chart pictures compressed again', () => {
  it('keeps every pixel, every other chunk and valid checksums, and is smaller', () => {
    const png = new Uint8Array(new Resvg(chartSvg(), { fitTo: { mode: 'width', value: 1360 }, background: '#ffffff', font: { loadSystemFonts: true, defaultFontFamily: 'Liberation Sans' } }).render().asPng());
    const smaller = recompressPng(png);
    expect(smaller.length).toBeLessThan(png.length);
    expect(Buffer.from(smaller.subarray(0, 8))).toEqual(Buffer.from(png.subarray(0, 8)));
    expect(chunks(smaller).every((c) => c.ok)).toBe(true);
    expect(pixels(smaller).equals(pixels(png))).toBe(true);
    const others = (p: Uint8Array) => chunks(p).filter((c) => c.type !== 'IDAT').map((c) => `${c.type}:${c.data.toString('hex')}`);
    expect(others(smaller)).toEqual(others(png));
    expect(chunks(smaller).filter((c) => c.type === 'IDAT')).toHaveLength(1);
    expect(chunks(smaller).at(-1)!.type).toBe('IEND');
  });

  it('gives back what is not a sound PNG unchanged', () => {
    const png = new Uint8Array(new Resvg(SVG).render().asPng());
    const garbage = new TextEncoder().encode('not a picture at all');
    expect(recompressPng(garbage)).toBe(garbage);
    const truncated = png.subarray(0, png.length - 20);
    expect(recompressPng(truncated)).toBe(truncated);
    const damaged = png.slice();
    damaged[60] = damaged[60]! ^ 0xff;
    expect(recompressPng(damaged)).toBe(damaged);
  });
});
