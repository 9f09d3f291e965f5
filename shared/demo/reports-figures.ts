import type { Tx } from '../store/workspace';
import type { ChartOptions, FigureFormat, FigureKind, FigureParams } from '../figures/types';
import { figuresBySlug, saveFigure } from '../store/figures';
import { reviewedLocalAuthorities } from '../store/area-reviews';

/**
 * The figures the demo reports quote, as an editor would build them in the figure form: structured specs with
 * parameters, so one library figure ("share of services with a rating") serves many sentences through the node's
 * parameters (sector, rating, key question), and next year's edition is the same report with new report parameters.
 *
 * The demo figure library may already hold a figure with one of these slugs; then that one is used as it is. Those
 * missing are added to the library, so the reports never depend on the library's exact contents.
 */

export interface FigureKeyTarget {
  slug: string;
  params?: FigureParams;
  /** A figure of the demo figure library that says the same thing without parameters: used when the library has it. */
  prefer?: string;
}

export interface DemoFigureDef {
  slug: string;
  name: string;
  description: string;
  kind: FigureKind;
  spec: Record<string, unknown>;
  format: FigureFormat;
  chart?: ChartOptions;
}

const PCT: FigureFormat = { style: 'percent', decimals: 0 };
const GO = ['Outstanding', 'Good'];
const CATS = {
  acute: 'Acute hospital - NHS non-specialist',
  mh: 'Mental health - community & residential - NHS',
};
const SECTOR = { asc: 'asc', gp: 'pms' } as const;
const KQ: Record<string, string> = { overall: 'Overall', safe: 'Safe', effective: 'Effective', caring: 'Caring', responsive: 'Responsive', 'well-led': 'Well-led' };
const RATING: Record<string, string> = { outstanding: 'Outstanding', good: 'Good', ri: 'Requires improvement', inadequate: 'Inadequate' };
const REPORT_CATEGORIES = [
  'Residential social care',
  'Community based adult social care services',
  'Acute hospital - NHS non-specialist',
  'Mental health - community & residential - NHS',
  'GP Practices',
];
const KQS = ['Safe', 'Effective', 'Caring', 'Responsive', 'Well-led'];

const location = (extra: Record<string, unknown> = {}) => ({ filters: { sector: '$sector', serviceGroup: 'Overall' }, ...extra });
const core = (extra: Record<string, unknown> = {}) => ({ filters: { category: '$category', serviceGroup: { not: 'Overall' } }, ...extra });

function valueDefs(): DemoFigureDef[] {
  const defs: DemoFigureDef[] = [];
  for (const [unit, scope, what] of [
    ['location', location, 'locations (their overall rating)'],
    ['core', core, 'NHS core services'],
  ] as const) {
    for (const [when, asAt, label] of [
      ['', '$asAt', 'as at the report date'],
      ['-prev', '$previousAsAt', 'a year earlier'],
    ] as const) {
      defs.push({
        slug: `soc-share-${unit}${when}`,
        name: `Share of ${what} with a rating, ${label}`,
        description: `Share of rated ${what} whose latest rating for the key question ($kq) is $rating, ${label}. Parameters: rating, kq, and ${unit === 'core' ? 'category' : 'sector'}.`,
        kind: 'value',
        spec: { measure: 'rating_share', ratings: ['$rating'], keyQuestion: '$kq', asAt, ...scope() },
        format: PCT,
      });
      defs.push({
        slug: `soc-good-outstanding-${unit}${when}`,
        name: `Share of ${what} rated good or outstanding, ${label}`,
        description: `Share of rated ${what} whose latest rating for the key question ($kq) is Good or Outstanding, ${label}.`,
        kind: 'value',
        spec: { measure: 'rating_share', ratings: GO, keyQuestion: '$kq', asAt, ...scope() },
        format: PCT,
      });
    }
    defs.push({
      slug: `soc-change-good-outstanding-${unit}`,
      name: `Change in the share of ${what} rated good or outstanding`,
      description: 'Percentage-point change between the previous and the current report date; the part "direction" gives rose/fell.',
      kind: 'value',
      spec: { measure: 'rating_change', ratings: GO, keyQuestion: '$kq', from: '$previousAsAt', to: '$asAt', ...scope() },
      // Whole numbers, as the shares it is the change between are printed: "77% to 79%" is "2 percentage points".
      format: { style: 'points', decimals: 0 },
    });
  }
  defs.push(
    {
      slug: 'soc-rated-count',
      name: 'Number of rated locations in a sector',
      description: 'Locations with an overall rating on the four-point scale as at the report date.',
      kind: 'value',
      spec: { measure: 'rating_count', ratings: ['Outstanding', 'Good', 'Requires improvement', 'Inadequate'], keyQuestion: 'Overall', asAt: '$asAt', ...location() },
      format: { style: 'number' },
    },
    {
      slug: 'soc-national-measure',
      name: 'A national measure for England, 2017/18',
      description: 'An England-level indicator value ($indicator), as published by its source.',
      kind: 'value',
      spec: { measure: 'indicator_value', indicator: '$indicator', area: 'E92000001', period: '2017/18' },
      format: { style: 'number' },
    },
    {
      slug: 'soc-national-measure-compact',
      name: 'A national measure for England, 2017/18, in words',
      description: 'An England-level indicator value ($indicator) written as "1.2 million".',
      kind: 'value',
      spec: { measure: 'indicator_value', indicator: '$indicator', area: 'E92000001', period: '2017/18' },
      format: { style: 'compact', decimals: 1 },
    },
    {
      slug: 'soc-indicator-area',
      name: 'An area indicator for one local authority, 2017/18',
      description: 'The value of $indicator for the area $area in 2017/18.',
      kind: 'value',
      spec: { measure: 'indicator_value', indicator: '$indicator', area: '$area', period: '2017/18' },
      format: { style: 'number', decimals: 0 },
    },
    {
      slug: 'soc-indicator-spread-england',
      name: 'Spread of an area indicator across all local authorities, 2017/18',
      description: 'Minimum, median and maximum of $indicator across local authorities in England.',
      kind: 'value',
      spec: { measure: 'indicator_spread', indicator: '$indicator', period: '2017/18', areas: 'localAuthority' },
      format: { style: 'number', decimals: 0 },
    },
    {
      slug: 'soc-asc-movement',
      name: 'Adult social care services that improved or deteriorated between the report dates',
      description: 'Of the adult social care locations on the register and rated at both report dates, how many improved, held or deteriorated in their overall rating; the value is the net movement.',
      kind: 'value',
      spec: { measure: 'rating_movement', keyQuestion: 'Overall', from: '$previousAsAt', to: '$asAt', filters: { sector: 'asc' } },
      format: { style: 'number' },
    },
    {
      slug: 'soc-lsr-findings',
      name: 'Findings of the local system reviews',
      description: 'Number of findings about local system reviews with the judgement $judgement.',
      kind: 'value',
      spec: { measure: 'finding_count', filters: { subjectType: 'area review', judgement: '$judgement' } },
      format: { style: 'number' },
    },
  );
  return defs;
}

function blockDefs(reviewAreas: string[]): DemoFigureDef[] {
  const cats = { category: REPORT_CATEGORIES, serviceGroup: 'Overall' };
  return [
    {
      slug: 'soc-lsr-indicator-spread',
      name: 'An area indicator across the local system review areas, 2017/18',
      description: 'The value of $indicator in each of the 20 areas with a local system review, with the spread between them.',
      kind: 'table',
      spec: { measure: 'indicator_spread', indicator: '$indicator', period: '2017/18', areas: reviewAreas },
      format: { style: 'number', decimals: 0 },
      chart: { type: 'bar', orientation: 'horizontal' },
    },
    {
      slug: 'soc-good-outstanding-by-category-change',
      name: 'Rated good or outstanding by type of service, previous and current year',
      description: 'Share of locations rated good or outstanding for the key question $kq, by primary inspection category, at both report dates.',
      kind: 'chart',
      spec: { measure: 'rating_change', ratings: GO, keyQuestion: '$kq', from: '$previousAsAt', to: '$asAt', filters: cats, by: 'category' },
      format: PCT,
      chart: { type: 'grouped-bar', orientation: 'horizontal' },
    },
    {
      slug: 'soc-ratings-by-category',
      name: 'Ratings by type of service',
      description: 'Distribution of the latest ratings for the key question $kq by primary inspection category, as at the report date.',
      kind: 'chart',
      spec: { measure: 'rating_distribution', keyQuestion: '$kq', asAt: '$asAt', filters: cats, by: 'category' },
      format: PCT,
      chart: { type: 'stacked-bar', orientation: 'horizontal' },
    },
    {
      slug: 'soc-core-ratings-by-category',
      name: 'NHS acute and mental health core services: ratings',
      description: 'Distribution of the latest ratings of NHS acute and mental health core services for the key question $kq, as at the report date.',
      kind: 'chart',
      spec: { measure: 'rating_distribution', keyQuestion: '$kq', asAt: '$asAt', filters: { category: [CATS.acute, CATS.mh], serviceGroup: { not: 'Overall' } }, by: 'category' },
      format: PCT,
      chart: { type: 'stacked-bar', orientation: 'horizontal' },
    },
    {
      slug: 'soc-asc-ratings-by-key-question',
      name: 'Adult social care ratings by key question',
      description: 'Distribution of the latest adult social care ratings for each key question, as at the report date.',
      kind: 'chart',
      spec: { measure: 'rating_distribution', keyQuestion: KQS, asAt: '$asAt', filters: { sector: 'asc', serviceGroup: 'Overall' }, by: 'keyQuestion' },
      format: PCT,
      chart: { type: 'stacked-bar', orientation: 'horizontal' },
    },
    {
      slug: 'soc-key-question-change-location',
      name: 'Rated good or outstanding by key question, previous and current year',
      description: 'For locations of the sector $sector, the share rated good or outstanding for each key question at both report dates.',
      kind: 'table',
      spec: { measure: 'rating_change', ratings: GO, keyQuestion: KQS, from: '$previousAsAt', to: '$asAt', ...location(), by: 'keyQuestion' },
      format: PCT,
    },
    {
      slug: 'soc-key-question-change-core',
      name: 'NHS core services rated good or outstanding by key question, previous and current year',
      description: 'For core services of the category $category, the share rated good or outstanding for each key question at both report dates.',
      kind: 'table',
      spec: { measure: 'rating_change', ratings: GO, keyQuestion: KQS, from: '$previousAsAt', to: '$asAt', ...core(), by: 'keyQuestion' },
      format: PCT,
    },
    {
      slug: 'soc-asc-movement-lsr-areas',
      name: 'Adult social care: movement between ratings in the local system review areas',
      description:
        'For each of the 20 areas with a local system review, the share of adult social care locations rated at both report dates whose overall rating deteriorated and the share whose rating improved, with the net movement, from the most improving area to the least.',
      kind: 'chart',
      spec: { measure: 'rating_movement', keyQuestion: 'Overall', from: '$previousAsAt', to: '$asAt', filters: { sector: 'asc', localAuthority: reviewAreas }, by: 'localAuthority' },
      format: PCT,
      chart: { type: 'diverging-bar', orientation: 'horizontal' },
    },
    {
      slug: 'soc-asc-movement-lsr-areas-summary',
      name: 'Adult social care: areas where more services deteriorated than improved, local system review areas',
      description: 'Among the 20 areas with a local system review, how many saw more adult social care services improve than deteriorate between the report dates, and how many the reverse (parts groupsImproving, groupsDeteriorating, groups).',
      kind: 'value',
      spec: { measure: 'rating_movement', keyQuestion: 'Overall', from: '$previousAsAt', to: '$asAt', filters: { sector: 'asc', localAuthority: reviewAreas }, by: 'localAuthority' },
      format: { style: 'number' },
    },
    {
      slug: 'soc-lsr-findings-by-theme',
      name: 'Local system review findings by theme',
      description: 'Number of local system review findings with the judgement $judgement, by theme.',
      kind: 'chart',
      spec: { measure: 'finding_count', filters: { subjectType: 'area review', judgement: '$judgement' }, by: 'theme' },
      format: { style: 'number' },
      chart: { type: 'bar', orientation: 'horizontal' },
    },
  ];
}

/** Adds the figures the demo reports need that the library does not have. Returns the slugs added. */
export function ensureReportFigures(tx: Tx): string[] {
  const defs = [...valueDefs(), ...blockDefs(reviewedLocalAuthorities(tx))];
  const held = new Set(
    figuresBySlug(
      tx,
      defs.map((d) => d.slug),
    ).keys(),
  );
  const added: string[] = [];
  for (const d of defs) {
    if (held.has(d.slug)) continue;
    held.add(d.slug);
    saveFigure(tx, { id: `fig-${d.slug}`, slug: d.slug, name: d.name, description: d.description, kind: d.kind, spec: d.spec, format: d.format, chart: d.chart ?? null });
    added.push(d.slug);
  }
  return added;
}

/**
 * Every key the report markup uses, and the figure and parameters it stands for. Keys: r:SECTOR:RATING:WHEN,
 * go:SECTOR:KQ:WHEN, ri:SECTOR:KQ:WHEN, chg:SECTOR:KQ and dir:SECTOR:KQ (the same figure, its direction part),
 * n:SECTOR, fact:NAME, ind:INDICATOR:WHAT, lsr:JUDGEMENT, mv:asc and mv:lsr (movement between ratings, nationally and in
 * the local system review areas; used with a part), c:… and t:… for charts and tables.
 */
export function figureKeys(): Record<string, FigureKeyTarget> {
  const keys: Record<string, FigureKeyTarget> = {};
  const scope = (s: string): { unit: string; params: FigureParams } =>
    s === 'acute' || s === 'mh' ? { unit: 'core', params: { category: CATS[s] } } : { unit: 'location', params: { sector: SECTOR[s as 'asc' | 'gp'] } };
  for (const s of ['asc', 'gp', 'acute', 'mh']) {
    const { unit, params } = scope(s);
    for (const [when, suffix] of [
      ['now', ''],
      ['prev', '-prev'],
    ] as const) {
      for (const [r, label] of Object.entries(RATING)) keys[`r:${s}:${r}:${when}`] = { slug: `soc-share-${unit}${suffix}`, params: { ...params, rating: label, kq: 'Overall' } };
      for (const [k, name] of Object.entries(KQ)) {
        keys[`go:${s}:${k}:${when}`] = { slug: `soc-good-outstanding-${unit}${suffix}`, params: { ...params, kq: name } };
        keys[`ri:${s}:${k}:${when}`] = { slug: `soc-share-${unit}${suffix}`, params: { ...params, kq: name, rating: 'Requires improvement' } };
      }
    }
    for (const [k, name] of Object.entries(KQ)) {
      keys[`chg:${s}:${k}`] = { slug: `soc-change-good-outstanding-${unit}`, params: { ...params, kq: name } };
      keys[`dir:${s}:${k}`] = keys[`chg:${s}:${k}`]!;
    }
    if (unit === 'location') keys[`n:${s}`] = { slug: 'soc-rated-count', params };
  }
  const fact = (indicator: string, compact = false): FigureKeyTarget => ({
    slug: compact ? 'soc-national-measure-compact' : 'soc-national-measure',
    params: { indicator },
    prefer: indicator,
  });
  keys['fact:contracts'] = fact('councils-home-care-handed-back');
  keys['fact:affected'] = fact('people-affected-home-care-handed-back');
  keys['fact:vacancies'] = fact('adult-social-care-vacancies');
  keys['fact:unmet'] = fact('older-people-unmet-care-needs', true);
  const ind = { dtoc: 'dtoc-per-100k-65', admissions: 'emergency-admissions-65' };
  for (const [k, id] of Object.entries(ind)) {
    keys[`ind:${k}:lsr`] = { slug: 'soc-lsr-indicator-spread', params: { indicator: id } };
    keys[`ind:${k}:england`] = { slug: 'soc-indicator-spread-england', params: { indicator: id } };
    keys[`ind:${k}:area`] = { slug: 'soc-indicator-area', params: { indicator: id, area: '{area}' } };
  }
  for (const j of ['concern', 'strength', 'recommendation']) keys[`lsr:${j}`] = { slug: 'soc-lsr-findings', params: { judgement: j } };
  keys['lsr:concern']!.prefer = 'lsr-concerns';
  keys['c:sector-yoy'] = { slug: 'soc-good-outstanding-by-category-change', params: { kq: 'Overall' } };
  keys['c:safe-yoy'] = { slug: 'soc-good-outstanding-by-category-change', params: { kq: 'Safe' } };
  keys['t:overall-sector'] = { slug: 'soc-ratings-by-category', params: { kq: 'Overall' } };
  keys['c:core-services'] = { slug: 'soc-core-ratings-by-category', params: { kq: 'Overall' } };
  keys['t:safe-sector'] = { slug: 'soc-ratings-by-category', params: { kq: 'Safe' } };
  keys['c:asc-kq'] = { slug: 'soc-asc-ratings-by-key-question' };
  keys['t:asc-kq'] = { slug: 'soc-key-question-change-location', params: { sector: 'asc' } };
  keys['t:kq-gp'] = { slug: 'soc-key-question-change-location', params: { sector: 'pms' } };
  keys['t:kq-acute'] = { slug: 'soc-key-question-change-core', params: { category: CATS.acute } };
  keys['c:dtoc-area'] = { slug: 'soc-lsr-indicator-spread', params: { indicator: ind.dtoc } };
  keys['t:dtoc-area'] = keys['c:dtoc-area'];
  keys['mv:asc'] = { slug: 'soc-asc-movement', prefer: 'asc-movement' };
  keys['mv:lsr'] = { slug: 'soc-asc-movement-lsr-areas-summary' };
  keys['c:asc-movement'] = { slug: 'soc-asc-movement-lsr-areas' };
  keys['c:lsr-themes'] = { slug: 'soc-lsr-findings-by-theme', params: { judgement: 'concern' }, prefer: 'lsr-concerns-by-theme-chart' };
  keys['t:lsr-themes'] = { slug: 'soc-lsr-findings-by-theme', params: { judgement: 'recommendation' } };
  return keys;
}
