import type { DocTree } from '../document/tree';
import type { ChartModel } from './model';

/**
 * What a chart's picture depends on besides its data, kept apart from the drawing (render.ts, which loads echarts) so
 * that a picture kept from an earlier export can be found without loading echarts at all.
 */

export interface ChartLook {
  palette: string[];
  /** A rating's own colour (the house style's), for series named for a rating. */
  ratingColours?: Record<string, string>;
  fontFamily: string;
  textColour: string;
  mutedColour: string;
  ruleColour: string;
}

/** A document's chart look, from its house style. */
export function chartLook(doc: DocTree): ChartLook {
  const s = doc.style;
  return {
    palette: s.chartPalette,
    ratingColours: s.ratingColours,
    fontFamily: "'Liberation Sans', Arial, sans-serif",
    textColour: s.colours.text,
    mutedColour: s.colours.muted,
    ruleColour: s.colours.rule,
  };
}

/** A chart's size in pixels: its width (the text width) and a height from its number of categories. */
export function chartSize(m: ChartModel, width = 680): { width: number; height: number } {
  if (m.orientation === 'horizontal') {
    const perCat = m.type === 'grouped-bar' ? 14 + 16 * m.series.length : m.categories.length > 12 ? 24 : 30;
    return { width, height: Math.max(220, 90 + perCat * m.categories.length) };
  }
  return { width, height: 360 };
}

/**
 * The version of the drawing (render.ts). Chart pictures are kept between processes by their model, look, width and
 * this version ({@link chartDrawingKey}), so that a picture already made is neither drawn nor rasterised again: bump it
 * whenever the drawing changes, echarts' upgrades included. render.test.ts holds the SVGs' hashes at this version and
 * echarts' version, and fails until it is bumped and they are recorded again.
 */
export const CHART_DRAWING_VERSION = 1;

/** What decides a chart's picture: equal keys give the same SVG, so a picture kept under one stands for the chart. */
export function chartDrawingKey(m: ChartModel, look: ChartLook, width?: number): string {
  return JSON.stringify([`drawing ${CHART_DRAWING_VERSION}`, m, look, width ?? null]);
}
