import { createHash } from 'node:crypto';
import { Resvg } from '@resvg/resvg-js';
import type { Rasterise } from '../../../shared/export/docx';

/** PNGs of recently exported charts, by SVG: re-exporting a report whose charts did not change skips resvg. */
const cache = new Map<string, Uint8Array>();
const CACHE_MAX = 64;

/**
 * SVG to PNG for Word, with resvg and the system's fonts (Liberation Sans stands in for Arial, metric for metric).
 * Rendered at twice the chart's size so it stays sharp when printed.
 */
export const rasteriseSvg: Rasterise = async (svg, width) => {
  const key = createHash('sha256').update(svg).update(String(width)).digest('hex');
  const hit = cache.get(key);
  if (hit) return hit;
  const r = new Resvg(svg, {
    fitTo: { mode: 'width', value: Math.round(width * 2) },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'Liberation Sans', sansSerifFamily: 'Liberation Sans' },
  });
  const png = new Uint8Array(r.render().asPng());
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, png);
  return png;
};
