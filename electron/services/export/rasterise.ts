import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Rasterise } from '../../../shared/export/docx';
import { chartCache, chartKey, type ChartCache } from './chart-cache';
import { recompressPng } from './png';

/** PNGs of charts exported in this process, by key: re-exporting a report whose charts did not change skips resvg. */
const recent = new Map<string, Uint8Array>();
const RECENT_MAX = 64;

/** What makes a picture besides its SVG and width: the rasteriser's version and the options below. */
let rasteriser: string | undefined;
function rasteriserId(): string {
  if (rasteriser === undefined) {
    let version = 'unknown';
    try {
      const require = createRequire(import.meta.url);
      version = (JSON.parse(readFileSync(require.resolve('@resvg/resvg-js/package.json'), 'utf8')) as { version: string }).version;
    } catch {
      /* an unknown version still keys pictures by their SVG */
    }
    rasteriser = `resvg ${version}; 2x width; white; Liberation Sans; image data at zlib level 6`;
  }
  return rasteriser;
}

async function draw(svg: string, width: number): Promise<Uint8Array> {
  // Loaded on a miss only: a process whose charts are all in the cache never loads the native renderer.
  const { Resvg } = await import('@resvg/resvg-js');
  const r = new Resvg(svg, {
    fitTo: { mode: 'width', value: Math.round(width * 2) },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'Liberation Sans', sansSerifFamily: 'Liberation Sans' },
  });
  return recompressPng(new Uint8Array(r.render().asPng()));
}

/**
 * Charts to PNG for Word: drawn as SVG (echarts), rasterised with resvg and the system's fonts (Liberation Sans stands
 * in for Arial, metric for metric), at twice the chart's size so it stays sharp when printed. Pictures are kept by a
 * hash of what decides them (the chart's data, look, size, echarts' and the drawing's versions, the rasteriser's), in
 * this process and in the chart cache on disk (chart-cache.ts), shared by the command line and the app: a chart whose
 * data did not change is neither drawn nor rasterised again.
 */
export function rasteriserWith(cache: () => ChartCache): Rasterise {
  return async (chart) => {
    const key = chartKey(rasteriserId(), String(chart.width), chart.key);
    const seen = recent.get(key);
    if (seen) return seen;
    const disk = cache();
    let png = disk.get(key);
    if (!png) {
      png = await draw(await chart.svg(), chart.width);
      disk.put(key, png);
    }
    if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
    recent.set(key, png);
    return png;
  };
}

export const rasteriseSvg: Rasterise = rasteriserWith(chartCache);

/** For tests: forget the pictures held in this process. */
export function forgetRecentCharts(): void {
  recent.clear();
}
