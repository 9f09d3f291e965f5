import * as echarts from 'echarts';
import { formatChartValue, type ChartModel } from './model';
import { chartDrawingKey, chartSize, type ChartLook } from './look';

export { CHART_DRAWING_VERSION, chartDrawingKey, chartSize, type ChartLook } from './look';
import { formatCell } from '../document/format';
import { contrastRatio } from '../export/colour';

/**
 * Draws a chart model with echarts' server-side SVG renderer (no DOM): vector SVG for HTML and PDF, rasterised to PNG
 * for Word by the caller. The look is chosen for print and for readers who see little or no colour: series differ in
 * lightness as well as hue, every series after the first has a pattern, and bars carry their values as direct labels.
 */


export interface RenderedChart {
  svg: string;
  width: number;
  height: number;
}

// Patterns by series index: solid, diagonal hatch, dots, cross-hatch, horizontal lines.
const DECALS: (Record<string, unknown> | undefined)[] = [
  undefined,
  { symbol: 'rect', symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [2, 5], rotation: Math.PI / 4, color: 'rgba(0,0,0,0.35)' },
  { symbol: 'circle', symbolSize: 0.6, dashArrayX: [[6, 6]], dashArrayY: [6, 0], color: 'rgba(0,0,0,0.35)' },
  { symbol: 'rect', symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: -Math.PI / 4, color: 'rgba(255,255,255,0.55)' },
  { symbol: 'rect', symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [2, 5], rotation: 0, color: 'rgba(0,0,0,0.3)' },
];

/** A label drawn on this fill: white or near-black, whichever has the higher contrast with it (WCAG's ratio). */
export function onColour(fill: string): string {
  return contrastRatio('#ffffff', fill) >= contrastRatio('#0b0c0c', fill) ? '#ffffff' : '#0b0c0c';
}

/** The patterns of the ratings: the two darkest (outstanding, inadequate) differ by pattern as well as hue. */
const RATING_DECALS: Record<string, Record<string, unknown> | undefined> = {
  Outstanding: undefined,
  Good: undefined,
  'Requires improvement': DECALS[2],
  Inadequate: DECALS[3],
};

/** A series' colour and pattern: its rating's, when it is named for one the look has, else by its position. */
export function seriesLook(look: ChartLook, name: string, i: number): { colour: string; decal: Record<string, unknown> | undefined } {
  const rated = look.ratingColours?.[name];
  if (rated) return { colour: rated, decal: RATING_DECALS[name] };
  return { colour: look.palette[i % look.palette.length]!, decal: DECALS[i % DECALS.length] };
}


export function echartsOption(m: ChartModel, look: ChartLook): echarts.EChartsCoreOption {
  const horizontal = m.orientation === 'horizontal';
  const stacked = m.type === 'stacked-bar';
  // A diverging chart draws its first series to the left of zero (as negative values) and its second to the right;
  // labels and the axis print magnitudes, and the axis is symmetric so both sides read on one scale.
  const diverging = m.type === 'diverging-bar';
  const fmt = (v: number) => (m.percent ? formatCell(v, { ...m.format, decimals: 0 }) : formatCell(v, m.format));
  const labelFmt = (v: number) => formatCell(Math.abs(v), m.format);
  const reach = diverging ? Math.max(0, ...m.series.flatMap((s) => s.values.filter((v): v is number => v !== null))) : 0;
  // Headroom for the value labels at the bars' outer ends.
  const span = diverging ? niceCeiling(reach * 1.15, m.percent) : 0;
  const valueAxis = {
    type: 'value',
    min: diverging ? -span : 0,
    ...(diverging ? { max: span } : m.percent && stacked ? { max: 1 } : {}),
    axisLabel: { formatter: (v: number) => fmt(diverging ? Math.abs(v) : v), color: look.mutedColour, fontSize: 11 },
    splitLine: { lineStyle: { color: '#dddddd' } },
    // The axis says what it measures, with its unit.
    name: axisTitle(m),
    nameLocation: 'middle',
    nameGap: horizontal ? 26 : 44,
    nameTextStyle: { color: look.mutedColour, fontSize: 11 },
  };
  const maxLabel = Math.max(...m.categories.map((c) => c.length));
  const categoryAxis = {
    type: 'category',
    data: m.categories,
    inverse: horizontal,
    axisLabel: {
      color: look.textColour,
      fontSize: 11,
      interval: 0,
      ...(horizontal ? { width: 170, overflow: 'break' } : { width: Math.max(60, 560 / Math.max(1, m.categories.length)), overflow: 'break' }),
    },
    axisTick: { show: false },
    // A diverging chart keeps its category labels at the edge, not on the zero line between the two sides.
    axisLine: { lineStyle: { color: look.ruleColour }, ...(diverging ? { onZero: false } : {}) },
  };
  const isLine = m.type === 'line' || m.type === 'dot';
  const series = m.series.map((s, i) => {
    const { colour, decal } = seriesLook(look, s.name, i);
    if (diverging) {
      const leftSide = i === 0;
      return {
        name: s.name,
        type: 'bar',
        stack: 'diverging',
        data: s.values.map((v) => (v === null ? null : leftSide ? -v : v)),
        itemStyle: { color: colour, borderColor: '#ffffff', borderWidth: 0, ...(decal ? { decal } : {}) },
        barMaxWidth: 28,
        barCategoryGap: '30%',
        label: {
          show: m.categories.length <= 40,
          position: horizontal ? (leftSide ? 'left' : 'right') : leftSide ? 'bottom' : 'top',
          color: look.textColour,
          fontSize: 10,
          formatter: (p: { value: number | null }) => (p.value === null ? '' : labelFmt(p.value)),
        },
        // The zero line between the two sides.
        ...(leftSide
          ? {}
          : { markLine: { silent: true, symbol: 'none', label: { show: false }, lineStyle: { color: look.textColour, type: 'solid', width: 1 }, data: [horizontal ? { xAxis: 0 } : { yAxis: 0 }] } }),
      };
    }
    const base = {
      name: s.name,
      data: s.values,
      itemStyle: { color: colour, borderColor: '#ffffff', borderWidth: stacked ? 1 : 0, ...(decal && !isLine ? { decal } : {}) },
    };
    if (isLine) {
      return {
        ...base,
        type: 'line',
        symbol: ['circle', 'rect', 'triangle', 'diamond'][i % 4],
        symbolSize: m.type === 'dot' ? 11 : 7,
        lineStyle: { width: m.type === 'dot' ? 0 : 2.5, type: (['solid', 'dashed', 'dotted', 'solid'] as const)[i % 4] },
        label: { show: m.categories.length <= 8, position: 'top', formatter: (p: { value: number }) => fmt(p.value), color: look.textColour, fontSize: 10 },
      };
    }
    return {
      ...base,
      type: 'bar',
      ...(stacked ? { stack: 'total' } : {}),
      barMaxWidth: 44,
      barCategoryGap: '30%',
      label: {
        show: true,
        position: stacked ? 'inside' : horizontal ? 'right' : 'top',
        color: stacked ? onColour(colour) : look.textColour,
        fontSize: 10,
        // Small segments of a stacked bar cannot hold a label; the table alternative has every value.
        formatter: (p: { value: number | null }) => (p.value === null ? '' : stacked && m.percent && p.value < 0.04 ? '' : fmt(p.value)),
        ...(stacked ? { textBorderColor: 'transparent', textBorderWidth: 0 } : {}),
      },
    };
  });
  const gridLeft = horizontal ? Math.min(190, 20 + maxLabel * 6.2) + (diverging ? 36 : 0) : 66;
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: look.fontFamily, color: look.textColour },
    aria: { enabled: true, label: { enabled: false } },
    color: m.series.map((s, i) => seriesLook(look, s.name, i).colour),
    legend:
      m.series.length > 1
        ? { top: 4, left: 'center', itemWidth: 22, itemHeight: 14, textStyle: { fontSize: 11, color: look.textColour } }
        : { show: false },
    grid: { left: gridLeft, right: horizontal ? 56 : 16, top: m.series.length > 1 ? 44 : 20, bottom: horizontal ? 46 : 56, containLabel: false },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series,
  };
}

/** A round number at or above `v` for a symmetric axis: shares to the next 10 points (at most 100%), counts to 1, 2 or 5 × 10^n. */
function niceCeiling(v: number, percent: boolean): number {
  if (v <= 0) return percent ? 0.1 : 1;
  if (percent) return Math.min(1, Math.ceil((v * 100) / 10) * 10 / 100);
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((k) => k * p >= v) ?? 10) * p;
}

/** Recently drawn charts by their data and look: a report exported to several formats draws each chart once. */
const drawn = new Map<string, RenderedChart>();
const DRAWN_MAX = 64;

/** Renders a chart to SVG. */
export function renderChartSvg(m: ChartModel, look: ChartLook, width?: number): RenderedChart {
  const key = chartDrawingKey(m, look, width);
  const hit = drawn.get(key);
  if (hit) return hit;
  const out = draw(m, look, width);
  if (drawn.size >= DRAWN_MAX) drawn.delete(drawn.keys().next().value!);
  drawn.set(key, out);
  return out;
}

function draw(m: ChartModel, look: ChartLook, width?: number): RenderedChart {
  const size = chartSize(m, width);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption(echartsOption(m, look));
    let svg = chart.renderToSVGString();
    // The SVG is decorative for assistive technology: its figure has alt text and a data table.
    svg = svg.replace('<svg ', '<svg aria-hidden="true" focusable="false" ');
    return { svg, ...size };
  } finally {
    chart.dispose();
  }
}

export { formatChartValue };

/** The value axis's title: what it measures, and its unit ("Percentage of locations (%)", "Number (people)"). */
export function axisTitle(m: Pick<ChartModel, 'valueLabel' | 'percent' | 'unit'>): string {
  // A chart of several series ("Outstanding", "Good"…) has no one label for its values: say what they are measured in.
  const given = m.valueLabel.trim();
  const label = given && given !== 'Value' ? given : m.percent ? 'Percentage' : 'Value';
  const unit = m.percent ? '%' : m.unit;
  return unit && !label.includes(`(${unit})`) ? `${label} (${unit})` : label;
}
