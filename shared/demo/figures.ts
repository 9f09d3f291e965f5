import type { Workspace } from '../store/workspace';
import { saveFiguresBulk, type FigureInput } from '../figures/library';
import type { ChartOptions, FigureFormat } from '../figures/types';
import SQL_FIGURES from './sql-figures.json';

/**
 * The demonstration workspace's figure library: the figures a State of Care 2017/18 report needs, each with a stable
 * slug (reports and tests refer to them), a plain-English name and a description saying exactly what is counted.
 * Dates come from the report's parameters ($asAt = 31 July 2018, $previousAsAt = 31 July 2017), so next year's
 * edition is the same library with new parameters. Ids of sectors, categories and indicators are those of the demo
 * data generator (shared/demo/data.ts).
 */

const PCT: FigureFormat = { style: 'percent', decimals: 0 };
const PCT1: FigureFormat = { style: 'percent', decimals: 1 };
const POINTS: FigureFormat = { style: 'points', decimals: 1 };
const NUM: FigureFormat = { style: 'number' };
const GO = ['Outstanding', 'Good'];
const RI = ['Requires improvement'];
const ACUTE = 'Acute hospital - NHS non-specialist';
const MH = 'Mental health - community & residential - NHS';
const CORE = { not: 'Overall' };
const KQS = ['Safe', 'Effective', 'Caring', 'Responsive', 'Well-led'];
const CATEGORIES = ['Residential social care', 'Community based adult social care services', 'GP Practices', ACUTE, MH];
const AREA_INDICATORS: [string, string][] = [
  ['dtoc-per-100k-65', 'delayed transfers of care'],
  ['emergency-admissions-65', 'emergency admissions of people aged 65+'],
  ['reablement-at-home-91-days', 'older people still at home 91 days after reablement'],
  ['care-home-admissions-65', 'permanent admissions to care homes'],
];

const chart = (c: ChartOptions): ChartOptions => c;

export function demoFigures(): FigureInput[] {
  const f: FigureInput[] = [];
  const add = (x: FigureInput) => f.push(x);

  // Adult social care: overall ratings, this year and last, and the distribution.
  // Slugs keep the year they were first made for (reports refer to them); names print the year of the report they
  // are in, from its parameters ({asAt:year}), so next year's edition does not print "(2018)" over 2019's values.
  for (const [when, asAt, label, year] of [
    ['2018', '$asAt', 'as at the report date', '{asAt:year}'],
    ['2017', '$previousAsAt', 'a year earlier', '{previousAsAt:year}'],
  ] as const) {
    add({
      slug: `asc-good-outstanding-${when}`,
      name: `Adult social care rated good or outstanding (${year})`,
      description: `Share of adult social care locations whose latest overall rating, ${label}, is Good or Outstanding, among those rated on the four-point scale.`,
      kind: 'value',
      spec: { measure: 'rating_share', keyQuestion: 'Overall', ratings: GO, filters: { sector: 'asc' }, asAt },
      format: PCT,
    });
    for (const [slug, rating] of [
      ['outstanding', 'Outstanding'],
      ['good', 'Good'],
      ['requires-improvement', 'Requires improvement'],
      ['inadequate', 'Inadequate'],
    ] as const) {
      add({
        slug: `asc-${slug}-${when}`,
        name: `Adult social care rated ${rating.toLowerCase()} (${year})`,
        description: `Share of rated adult social care locations whose latest overall rating, ${label}, is ${rating}.`,
        kind: 'value',
        spec: { measure: 'rating_share', keyQuestion: 'Overall', ratings: [rating], filters: { sector: 'asc' }, asAt },
        format: PCT,
      });
    }
  }
  add({
    slug: 'asc-good-outstanding-change',
    name: 'Change in adult social care rated good or outstanding',
    description: 'Percentage-point change in the share of adult social care locations rated good or outstanding overall, from the previous to the current report date; the part "direction" says rose, fell or was unchanged.',
    kind: 'value',
    spec: { measure: 'rating_change', keyQuestion: 'Overall', ratings: GO, filters: { sector: 'asc' }, from: '$previousAsAt', to: '$asAt' },
    format: POINTS,
  });
  add({
    slug: 'asc-rated-locations',
    name: 'Adult social care locations with an overall rating',
    description: 'Number of adult social care locations whose latest overall rating is on the four-point scale, as at the report date.',
    kind: 'value',
    spec: { measure: 'rating_count', keyQuestion: 'Overall', filters: { sector: 'asc' }, asAt: '$asAt' },
    format: NUM,
  });
  add({
    slug: 'asc-overall-distribution',
    name: 'Adult social care overall ratings',
    description: 'Number and share of adult social care locations by latest overall rating, as at the report date.',
    kind: 'table',
    spec: { measure: 'rating_distribution', keyQuestion: 'Overall', filters: { sector: 'asc' }, asAt: '$asAt' },
    format: PCT,
  });
  add({
    slug: 'asc-ratings-by-key-question-chart',
    name: 'Adult social care ratings by key question',
    description: 'Distribution of the latest adult social care ratings for each of the five key questions, as at the report date.',
    kind: 'chart',
    spec: { measure: 'rating_distribution', keyQuestion: KQS, filters: { sector: 'asc' }, asAt: '$asAt', by: 'keyQuestion' },
    format: PCT,
    chart: chart({ type: 'stacked-bar', orientation: 'horizontal', category: 'keyQuestion', unit: '%', title: 'Adult social care ratings by key question' }),
  });
  add({
    slug: 'asc-key-question-change',
    name: 'Adult social care rated good or outstanding by key question, {previousAsAt:year} and {asAt:year}',
    description: 'For each key question, the share of adult social care locations rated good or outstanding at the previous and current report dates, and the change.',
    kind: 'table',
    spec: { measure: 'rating_change', keyQuestion: KQS, ratings: GO, filters: { sector: 'asc' }, from: '$previousAsAt', to: '$asAt', by: 'keyQuestion' },
    format: PCT,
  });
  for (const kq of KQS) {
    const s = kq.toLowerCase();
    add({
      slug: `asc-${s}-good-outstanding-2018`,
      name: `Adult social care rated good or outstanding for ${kq} ({asAt:year})`,
      description: `Share of rated adult social care locations whose latest ${kq} rating is Good or Outstanding, as at the report date.`,
      kind: 'value',
      spec: { measure: 'rating_share', keyQuestion: kq, ratings: GO, filters: { sector: 'asc' }, asAt: '$asAt' },
      format: PCT,
    });
  }

  // The Safe key question across sectors.
  add({
    slug: 'safe-good-outstanding-all-2018',
    name: 'All locations rated good or outstanding for Safe ({asAt:year})',
    description: 'Share of all rated locations (adult social care, GP practices and hospitals; location level) whose latest Safe rating is Good or Outstanding, as at the report date.',
    kind: 'value',
    spec: { measure: 'rating_share', keyQuestion: 'Safe', ratings: GO, asAt: '$asAt' },
    format: PCT1,
  });
  add({
    slug: 'safe-good-outstanding-all-2017',
    name: 'All locations rated good or outstanding for Safe ({previousAsAt:year})',
    description: 'As "All locations rated good or outstanding for Safe", a year earlier.',
    kind: 'value',
    spec: { measure: 'rating_share', keyQuestion: 'Safe', ratings: GO, asAt: '$previousAsAt' },
    format: PCT1,
  });
  add({
    slug: 'safe-good-outstanding-change',
    name: 'Change in locations rated good or outstanding for Safe',
    description: 'Percentage-point change in the share of locations rated good or outstanding for Safe between the report dates, with both shares and a direction word.',
    kind: 'value',
    spec: { measure: 'rating_change', keyQuestion: 'Safe', ratings: GO, from: '$previousAsAt', to: '$asAt' },
    format: POINTS,
  });
  add({
    slug: 'safe-by-sector-chart',
    name: 'Rated good or outstanding for Safe, by sector, {previousAsAt:year} and {asAt:year}',
    description: 'Share of locations rated good or outstanding for Safe, by sector, at the previous and current report dates.',
    kind: 'chart',
    spec: { measure: 'rating_change', keyQuestion: 'Safe', ratings: GO, from: '$previousAsAt', to: '$asAt', by: 'sector' },
    format: PCT,
    chart: chart({ type: 'grouped-bar', orientation: 'horizontal', category: 'sector', unit: '%', title: 'Rated good or outstanding for Safe' }),
  });

  // NHS acute and mental health core services.
  for (const [key, cat, label] of [
    ['acute', ACUTE, 'NHS acute hospital core services'],
    ['mh', MH, 'NHS mental health core services'],
  ] as const) {
    add({
      slug: `${key}-core-safe-ri-2018`,
      name: `${label} rated requires improvement for Safe ({asAt:year})`,
      description: `Share of rated ${label} (each core service of each location counted once) whose latest Safe rating is Requires improvement, as at the report date.`,
      kind: 'value',
      spec: { measure: 'rating_share', keyQuestion: 'Safe', ratings: RI, filters: { category: cat, serviceGroup: CORE }, asAt: '$asAt' },
      format: PCT,
    });
    add({
      slug: `${key}-core-good-outstanding-2018`,
      name: `${label} rated good or outstanding overall ({asAt:year})`,
      description: `Share of rated ${label} whose latest overall rating is Good or Outstanding, as at the report date.`,
      kind: 'value',
      spec: { measure: 'rating_share', keyQuestion: 'Overall', ratings: GO, filters: { category: cat, serviceGroup: CORE }, asAt: '$asAt' },
      format: PCT,
    });
    add({
      slug: `${key}-core-good-outstanding-2017`,
      name: `${label} rated good or outstanding overall ({previousAsAt:year})`,
      description: `As "${label} rated good or outstanding overall", a year earlier.`,
      kind: 'value',
      spec: { measure: 'rating_share', keyQuestion: 'Overall', ratings: GO, filters: { category: cat, serviceGroup: CORE }, asAt: '$previousAsAt' },
      format: PCT,
    });
    add({
      slug: `${key}-core-overall-distribution`,
      name: `${label}: overall ratings ({asAt:year})`,
      description: `Distribution of the latest overall ratings of ${label}, as at the report date.`,
      kind: 'table',
      spec: { measure: 'rating_distribution', keyQuestion: 'Overall', filters: { category: cat, serviceGroup: CORE }, asAt: '$asAt' },
      format: PCT,
    });
  }

  // GP practices.
  add({
    slug: 'gp-good-outstanding-2018',
    name: 'GP practices rated good or outstanding ({asAt:year})',
    description: 'Share of rated GP practices (location level) whose latest overall rating is Good or Outstanding, as at the report date.',
    kind: 'value',
    spec: { measure: 'rating_share', keyQuestion: 'Overall', ratings: GO, filters: { category: 'GP Practices' }, asAt: '$asAt' },
    format: PCT,
  });
  add({
    slug: 'gp-good-outstanding-2017',
    name: 'GP practices rated good or outstanding ({previousAsAt:year})',
    description: 'As "GP practices rated good or outstanding", a year earlier.',
    kind: 'value',
    spec: { measure: 'rating_share', keyQuestion: 'Overall', ratings: GO, filters: { category: 'GP Practices' }, asAt: '$previousAsAt' },
    format: PCT,
  });
  add({
    slug: 'gp-inadequate-count-2018',
    name: 'GP practices rated inadequate (number, {asAt:year})',
    description: 'Number of GP practices whose latest overall rating is Inadequate, as at the report date; fewer than 5 is suppressed.',
    kind: 'value',
    spec: { measure: 'rating_count', keyQuestion: 'Overall', ratings: ['Inadequate'], filters: { category: 'GP Practices' }, asAt: '$asAt' },
    format: { style: 'number', suppressBelow: 5, suppressedText: 'fewer than 5' },
  });

  // Variation between places: regions, types of service and local authorities.
  add({
    slug: 'asc-good-outstanding-by-region',
    name: 'Adult social care rated good or outstanding, by region',
    description: 'Share of rated adult social care locations whose latest overall rating is Good or Outstanding, by region, as at the report date.',
    kind: 'table',
    spec: { measure: 'rating_share', keyQuestion: 'Overall', ratings: GO, filters: { sector: 'asc' }, asAt: '$asAt', by: 'region' },
    format: PCT,
  });
  add({
    slug: 'asc-distribution-by-region',
    name: 'Adult social care overall ratings by region',
    description: 'Distribution of latest overall ratings of adult social care locations by region, as at the report date.',
    kind: 'table',
    spec: { measure: 'rating_distribution', keyQuestion: 'Overall', filters: { sector: 'asc' }, asAt: '$asAt', by: 'region' },
    format: PCT,
  });
  add({
    slug: 'asc-distribution-by-region-chart',
    name: 'Adult social care ratings across the regions',
    description: 'The same distribution as "Adult social care overall ratings by region", drawn as stacked bars.',
    kind: 'chart',
    spec: { measure: 'rating_distribution', keyQuestion: 'Overall', filters: { sector: 'asc' }, asAt: '$asAt', by: 'region' },
    format: PCT,
    chart: chart({ type: 'stacked-bar', orientation: 'horizontal', category: 'region', unit: '%', title: 'Adult social care ratings by region' }),
  });
  add({
    slug: 'good-outstanding-by-category-change-chart',
    name: 'Rated good or outstanding by type of service, {previousAsAt:year} and {asAt:year}',
    description: 'Share of locations rated good or outstanding overall, by primary inspection category, at both report dates.',
    kind: 'chart',
    spec: { measure: 'rating_change', keyQuestion: 'Overall', ratings: GO, filters: { category: CATEGORIES, serviceGroup: 'Overall' }, from: '$previousAsAt', to: '$asAt', by: 'category' },
    format: PCT,
    chart: chart({ type: 'grouped-bar', orientation: 'horizontal', category: 'category', unit: '%', title: 'Rated good or outstanding, 2017 and 2018' }),
  });
  add({
    slug: 'asc-good-outstanding-by-la',
    name: 'Adult social care rated good or outstanding, by local authority',
    description: 'Share of rated adult social care locations rated good or outstanding overall in each local authority, as at the report date: the "integration lottery" in ratings.',
    kind: 'table',
    spec: { measure: 'rating_share', keyQuestion: 'Overall', ratings: GO, filters: { sector: 'asc' }, asAt: '$asAt', by: 'localAuthority' },
    format: { ...PCT, suppressBelow: 10 },
  });
  // Movement between ratings: the "tipping point", where services deteriorate faster than they improve.
  add({
    slug: 'asc-movement',
    name: 'Adult social care services that improved or deteriorated, {previousAsAt:year} to {asAt:year}',
    description:
      'Of the adult social care locations on the register and rated on the four-point scale at both report dates, how many moved to a better overall rating, kept the same one or moved to a worse one; the value is the net movement (improved minus deteriorated), and parts give each count and share. The table is the full transition table.',
    kind: 'value',
    spec: { measure: 'rating_movement', keyQuestion: 'Overall', filters: { sector: 'asc' }, from: '$previousAsAt', to: '$asAt' },
    format: NUM,
  });
  add({
    slug: 'asc-movement-by-la',
    name: 'Adult social care: net movement between ratings, by local authority, {previousAsAt:year} to {asAt:year}',
    description:
      'For each local authority, the share of adult social care locations rated at both report dates whose overall rating improved and the share whose rating deteriorated, and the net movement in percentage points, from the most improving area to the most deteriorating: the areas moving towards the tipping point are at the foot.',
    kind: 'table',
    spec: { measure: 'rating_movement', keyQuestion: 'Overall', filters: { sector: 'asc' }, from: '$previousAsAt', to: '$asAt', by: 'localAuthority' },
    format: { ...PCT, suppressBelow: 10 },
  });
  add({
    slug: 'asc-movement-by-region-chart',
    name: 'Adult social care: services that improved and deteriorated, by region, {previousAsAt:year} to {asAt:year}',
    description: 'For each region, the share of adult social care locations rated at both report dates whose overall rating deteriorated (to the left) and improved (to the right), ordered by net movement.',
    kind: 'chart',
    spec: { measure: 'rating_movement', keyQuestion: 'Overall', filters: { sector: 'asc' }, from: '$previousAsAt', to: '$asAt', by: 'region' },
    format: PCT1,
    chart: chart({ type: 'diverging-bar', orientation: 'horizontal', category: 'region', unit: '%', title: 'Adult social care: deteriorated and improved, by region' }),
  });
  for (const [id, what] of AREA_INDICATORS) {
    add({
      slug: `${id}-spread`,
      name: `Variation between local authorities in ${what} (2017/18)`,
      description: `How many times higher the highest local authority's value of ${what} is than the lowest's, in 2017/18; parts give the minimum, median, maximum and the areas.`,
      kind: 'value',
      spec: { measure: 'indicator_spread', indicator: id, period: '2017/18', areas: 'localAuthority' },
      format: { style: 'number', decimals: 1 },
    });
  }
  add({
    slug: 'dtoc-by-la-table',
    name: 'Delayed transfers of care by local authority (2017/18)',
    description: 'Delayed transfers of care per 100,000 people aged 65+ in every local authority, ranked best first.',
    kind: 'table',
    spec: { measure: 'indicator_spread', indicator: 'dtoc-per-100k-65', period: '2017/18', areas: 'localAuthority' },
    format: { style: 'number', decimals: 1 },
  });
  add({
    slug: 'dtoc-rank',
    name: 'Rank of a local authority on delayed transfers of care (2017/18)',
    description: 'Where the local authority given as parameter $area ranks among all local authorities on delayed transfers of care (1 = fewest).',
    kind: 'value',
    spec: { measure: 'indicator_rank', indicator: 'dtoc-per-100k-65', period: '2017/18', area: '$area', areas: 'localAuthority' },
    format: {},
  });
  add({
    slug: 'dtoc-area',
    name: 'Delayed transfers of care in a local authority (2017/18)',
    description: 'Delayed transfers of care per 100,000 people aged 65+ in the local authority given as parameter $area (a name or code), 2017/18.',
    kind: 'value',
    spec: { measure: 'indicator_value', indicator: 'dtoc-per-100k-65', area: '$area', period: '2017/18' },
    format: { style: 'number', decimals: 1 },
  });
  add({
    slug: 'dtoc-change-area',
    name: 'Delayed transfers of care in a local authority the year before (2016/17)',
    description: 'As "Delayed transfers of care in a local authority", for 2016/17, so a sentence can say how the area moved.',
    kind: 'value',
    spec: { measure: 'indicator_value', indicator: 'dtoc-per-100k-65', area: '$area', period: '2016/17' },
    format: { style: 'number', decimals: 1 },
  });

  // The 20 local system reviews.
  add({
    slug: 'lsr-findings-by-theme',
    name: 'Local system review findings by theme',
    description: 'Number of findings of the local system reviews, by theme (withdrawn findings excluded).',
    kind: 'table',
    spec: { measure: 'finding_count', filters: { subjectType: 'area review' }, by: 'theme' },
    format: NUM,
  });
  add({
    slug: 'lsr-concerns-by-theme-chart',
    name: 'Concerns found by the local system reviews, by theme',
    description: 'Number of concerns recorded by the local system reviews, by theme.',
    kind: 'chart',
    spec: { measure: 'finding_count', filters: { subjectType: 'area review', judgement: 'concern' }, by: 'theme' },
    format: NUM,
    chart: chart({ type: 'bar', orientation: 'horizontal', category: 'theme', value: 'count', title: 'Concerns by theme' }),
  });
  add({
    slug: 'lsr-concerns',
    name: 'Concerns found by the local system reviews',
    description: 'Number of findings of the local system reviews judged a concern.',
    kind: 'value',
    spec: { measure: 'finding_count', filters: { subjectType: 'area review', judgement: 'concern' } },
    format: NUM,
  });
  add({
    slug: 'lsr-findings-by-area',
    name: 'Local system review findings by area',
    description: 'Number of findings of each local system review.',
    kind: 'table',
    spec: { measure: 'finding_count', filters: { subjectType: 'area review' }, by: 'areaReview' },
    format: NUM,
  });
  add({
    slug: 'lsr-step-down-concerns',
    name: 'Concerns about step down and return home',
    description: 'Number of local system review concerns under the theme "Step down and return home" (discharge, reablement, intermediate care).',
    kind: 'value',
    spec: { measure: 'finding_count', filters: { subjectType: 'area review', judgement: 'concern', theme: 'step-down' } },
    format: NUM,
  });
  add({
    slug: 'lsr-evidence-by-kind',
    name: 'Evidence gathered by the local system reviews, by kind',
    description: 'Number of evidence sources linked to a local system review, by kind of evidence.',
    kind: 'table',
    spec: { measure: 'evidence_count', by: 'kind' },
    format: NUM,
  });
  add({
    slug: 'restricted-evidence',
    name: 'Restricted evidence sources',
    description: 'Number of evidence sources marked official-sensitive or personal: these never appear in a public export.',
    kind: 'value',
    spec: { measure: 'evidence_count', filters: { sensitivity: ['official-sensitive', 'personal'] } },
    format: NUM,
  });

  // National facts held as indicators for England.
  add({
    slug: 'councils-home-care-handed-back',
    name: 'Councils reporting home care contracts handed back',
    description: 'Number of councils reporting that home care providers had handed back contracts (England, 2017/18).',
    kind: 'value',
    spec: { measure: 'indicator_value', indicator: 'councils-home-care-handed-back', area: 'E92000001', period: '2017/18' },
    format: NUM,
  });
  add({
    slug: 'people-affected-home-care-handed-back',
    name: 'People affected by home care contracts handed back',
    description: 'Number of people whose home care was affected by contracts handed back (England, 2017/18).',
    kind: 'value',
    spec: { measure: 'indicator_value', indicator: 'people-affected-home-care-handed-back', area: 'E92000001', period: '2017/18' },
    format: { style: 'number', prefix: 'over ' },
  });
  add({
    slug: 'older-people-unmet-care-needs',
    name: 'Older people with unmet care needs',
    description: 'Estimated number of older people with unmet care needs in England, written as "1.2 million".',
    kind: 'value',
    spec: { measure: 'indicator_value', indicator: 'older-people-unmet-care-needs', area: 'E92000001', period: '2017/18' },
    format: { style: 'compact', decimals: 1 },
  });
  add({
    slug: 'adult-social-care-vacancies',
    name: 'Unfilled adult social care staff vacancies',
    description: 'Estimated number of vacancies in adult social care in England at any one time.',
    kind: 'value',
    spec: { measure: 'indicator_value', indicator: 'adult-social-care-vacancies', area: 'E92000001', period: '2017/18' },
    format: NUM,
  });

  // Local authority assessments (CQC's assessments of councils' Care Act duties, from December 2023): quality
  // statement scores of each council's latest published assessment.
  const LA_FRAMEWORK = 'Local authority assessment';
  add({
    slug: 'la-safe-systems-scoring-3-or-more',
    name: 'Councils scoring 3 or more on safe systems, pathways and transitions',
    description: 'Share of local authorities whose latest published assessment scored 3 or 4 on the quality statement "Safe systems, pathways and transitions".',
    kind: 'value',
    spec: { measure: 'assessment_score', framework: LA_FRAMEWORK, qualityStatement: 'Safe systems, pathways and transitions', statistic: 'share', minScore: 3 },
    format: PCT,
  });
  add({
    slug: 'la-assessed',
    name: 'Councils with a published assessment',
    description: 'Number of local authorities with a published assessment of how they meet their Care Act duties.',
    kind: 'value',
    spec: { measure: 'assessment_score', framework: LA_FRAMEWORK, statistic: 'count' },
    format: NUM,
  });
  add({
    slug: 'la-scores-by-statement',
    name: 'Councils scoring 3 or more, by quality statement',
    description: 'For each of the nine quality statements of local authority assessment, the share of councils scoring 3 or 4.',
    kind: 'table',
    spec: { measure: 'assessment_score', framework: LA_FRAMEWORK, statistic: 'share', minScore: 3, by: 'qualityStatement' },
    format: PCT,
  });
  add({
    slug: 'la-median-score-by-region',
    name: 'Median quality statement score of councils, by region',
    description: 'Median of the nine quality statement scores of each region’s local authorities, from their latest published assessments.',
    kind: 'table',
    spec: { measure: 'assessment_score', framework: LA_FRAMEWORK, statistic: 'median', by: 'region' },
    format: { style: 'number', decimals: 1 },
  });

  // For analysts: the same kind of fact in SQL, to show the SQL path alongside structured specs. Analysts' queries are
  // figure definitions, data like any other, so they live in sql-figures.json rather than in code.
  for (const x of SQL_FIGURES as FigureInput[]) add(x);
  return f;
}

/** Adds (or brings up to date) the demo figure library in one write. Idempotent. */
export async function addDemoFigures(ws: Workspace): Promise<void> {
  await saveFiguresBulk(ws, demoFigures(), 'assay demo');
}
