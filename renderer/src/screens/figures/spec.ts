import { ASSESSMENT_BY, EVIDENCE_BY, FINDING_BY, MOVEMENT_BY, RATING_BY } from '../../../../shared/figures/spec';

/**
 * The structured figure form's model, and how it maps to and from the engine's JSON spec (DESIGN.md "Live figures";
 * the engine validates the spec and its errors come back in the preview). Fields a measure does not use are left out
 * of the spec so the engine never sees stale values from another measure.
 */
export const MEASURES = [
  { id: 'rating_share', label: 'Share of locations with a rating', help: 'e.g. the share rated Good or Outstanding for Safe' },
  { id: 'rating_count', label: 'Number of locations with a rating', help: 'e.g. how many are rated Inadequate overall' },
  { id: 'rating_distribution', label: 'Ratings distribution', help: 'share and count per rating' },
  { id: 'rating_change', label: 'Change in a share between two dates', help: 'percentage-point change, both values and a direction word' },
  { id: 'rating_movement', label: 'Movement between ratings', help: 'how many improved, held or deteriorated between two dates or on re-inspection' },
  { id: 'indicator_value', label: 'Indicator value for one area', help: 'one area, one period' },
  { id: 'indicator_spread', label: 'Indicator spread across areas', help: 'min, max, median and the ratio of highest to lowest' },
  { id: 'indicator_rank', label: 'Indicator rank of an area', help: 'where one area stands among all areas' },
  { id: 'finding_count', label: 'Number of findings', help: 'by theme, judgement or area review' },
  { id: 'evidence_count', label: 'Number of evidence sources', help: 'by kind or sensitivity' },
  { id: 'assessment_score', label: 'Quality statement scores', help: 'of published assessments: the share scoring 3 or more, the median or mean score, or how many were assessed' },
  { id: 'assessment_rating', label: 'Ratings of one assessment', help: 'the ratings grid of an inspection or assessment report: each key question and overall' },
] as const;
export type Measure = (typeof MEASURES)[number]['id'];

/** Breakdowns the engine accepts for each family of measures (shared/figures/spec.ts), with words for people. */
const BY_WORDS: Record<string, string> = {
  region: 'Region',
  localAuthority: 'Local authority',
  sector: 'Sector',
  category: 'Inspection category',
  keyQuestion: 'Key question',
  rating: 'Rating',
  serviceGroup: 'Service group',
  locationType: 'Location type',
  careHome: 'Care home or not',
  theme: 'Theme',
  judgement: 'Judgement',
  areaReview: 'Area review',
  status: 'Status',
  subjectType: 'Subject type',
  kind: 'Kind of evidence',
  sensitivity: 'Sensitivity',
  verified: 'Verified or not',
  qualityStatement: 'Quality statement',
  score: 'Score',
  subject: 'Each one assessed',
};
export function byOptions(measure: Measure): { id: string; label: string }[] {
  const ids: readonly string[] =
    measure === 'finding_count'
      ? FINDING_BY
      : measure === 'evidence_count'
        ? EVIDENCE_BY
        : measure === 'assessment_score'
          ? ASSESSMENT_BY
          : measure === 'rating_movement'
            ? MOVEMENT_BY
            : isRatingMeasure(measure)
              ? RATING_BY
              : [];
  return ids.map((id) => ({ id, label: BY_WORDS[id] ?? id }));
}

export interface SpecForm {
  measure: Measure;
  keyQuestion: string;
  ratings: string[];
  sector: string;
  region: string;
  localAuthority: string;
  careHome: '' | 'true' | 'false';
  category: string;
  serviceGroup: string;
  asAt: string;
  from: string;
  to: string;
  by: string;
  indicator: string;
  area: string;
  period: string;
  theme: string;
  judgement: string;
  areaReview: string;
  sensitivity: string;
  kind: string;
  /** Rating measures: '' counts locations registered on the date (the default); 'all' every location ever rated. */
  registered: '' | 'all';
  /** Movement: '' between two dates (from, to); 'reinspection' each latest rating against the previous one. */
  compare: '' | 'reinspection';
  /** Assessment scores: the framework, one quality statement ('' for all), the statistic and the score counted from. */
  framework: string;
  qualityStatement: string;
  statistic: 'share' | 'median' | 'mean' | 'count';
  minScore: string;
  /** One assessment, by id or a parameter such as $assessment ('' for every published one). */
  assessment: string;
}

export const EMPTY_SPEC: SpecForm = {
  measure: 'rating_share',
  keyQuestion: 'Safe',
  ratings: ['Outstanding', 'Good'],
  sector: '',
  region: '',
  localAuthority: '',
  careHome: '',
  category: '',
  serviceGroup: '',
  asAt: '$asAt',
  from: '$previousAsAt',
  to: '$asAt',
  by: '',
  indicator: '',
  area: '',
  period: '',
  theme: '',
  judgement: '',
  areaReview: '',
  sensitivity: '',
  kind: '',
  registered: '',
  compare: '',
  framework: '',
  qualityStatement: '',
  statistic: 'share',
  minScore: '3',
  assessment: '',
};

export const isRatingMeasure = (m: Measure) => m.startsWith('rating_');
export const isIndicatorMeasure = (m: Measure) => m.startsWith('indicator_');

export function toSpec(f: SpecForm): Record<string, unknown> {
  const spec: Record<string, unknown> = { measure: f.measure };
  const filters: Record<string, unknown> = {};
  if (isRatingMeasure(f.measure)) {
    spec.keyQuestion = f.keyQuestion;
    if (f.measure === 'rating_movement') {
      if (f.compare) spec.compare = f.compare;
      if (!f.compare || f.from.trim()) spec.from = f.from;
      spec.to = f.to;
    } else {
      if (f.measure !== 'rating_distribution') spec.ratings = f.ratings;
      if (f.measure === 'rating_change') {
        spec.from = f.from;
        spec.to = f.to;
      } else spec.asAt = f.asAt;
    }
    if (f.registered) spec.registered = f.registered;
    if (f.sector) filters.sector = f.sector;
    if (f.region) filters.region = f.region;
    if (f.localAuthority) filters.localAuthority = f.localAuthority;
    if (f.careHome) filters.careHome = f.careHome === 'true';
    if (f.category.trim()) filters.category = f.category.trim();
    if (f.serviceGroup) filters.serviceGroup = f.serviceGroup;
  } else if (isIndicatorMeasure(f.measure)) {
    spec.indicator = f.indicator.trim();
    if (f.measure !== 'indicator_spread' && f.area.trim()) spec.area = f.area.trim();
    spec.period = f.period.trim();
  } else if (f.measure === 'assessment_rating') {
    spec.assessment = f.assessment.trim();
  } else if (f.measure === 'assessment_score') {
    if (f.framework || !f.assessment.trim()) spec.framework = f.framework;
    if (f.assessment.trim()) spec.assessment = f.assessment.trim();
    if (f.qualityStatement) spec.qualityStatement = f.qualityStatement;
    spec.statistic = f.statistic;
    if (f.statistic === 'share') spec.minScore = Number(f.minScore) || 3;
    // No date: each one's latest published assessment.
    if (f.asAt.trim()) spec.asAt = f.asAt.trim();
  } else if (f.measure === 'finding_count') {
    if (f.theme) filters.theme = f.theme;
    if (f.judgement) filters.judgement = f.judgement;
    if (f.areaReview) filters.areaReview = f.areaReview;
  } else {
    if (f.sensitivity) filters.sensitivity = f.sensitivity;
    if (f.kind) filters.kind = f.kind;
    if (f.areaReview) filters.areaReview = f.areaReview;
  }
  if (Object.keys(filters).length) spec.filters = filters;
  if (f.by && byOptions(f.measure).some((b) => b.id === f.by)) spec.by = f.by;
  return spec;
}

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

export function fromSpec(spec: Record<string, unknown> | null): SpecForm {
  if (!spec) return EMPTY_SPEC;
  const filters = (spec.filters && typeof spec.filters === 'object' ? spec.filters : {}) as Record<string, unknown>;
  const measure = (MEASURES.some((m) => m.id === spec.measure) ? spec.measure : 'rating_share') as Measure;
  return {
    ...EMPTY_SPEC,
    measure,
    keyQuestion: str(spec.keyQuestion) || EMPTY_SPEC.keyQuestion,
    ratings: Array.isArray(spec.ratings) ? spec.ratings.map(str) : EMPTY_SPEC.ratings,
    asAt: str(spec.asAt) || EMPTY_SPEC.asAt,
    // Re-inspection compares each rating with the one before it: a start date there is optional, and left empty.
    from: str(spec.from) || (spec.measure === 'rating_movement' && spec.compare === 'reinspection' ? '' : EMPTY_SPEC.from),
    to: str(spec.to) || EMPTY_SPEC.to,
    by: str(spec.by),
    indicator: str(spec.indicator),
    area: str(spec.area),
    period: str(spec.period),
    sector: str(filters.sector),
    region: str(filters.region),
    localAuthority: str(filters.localAuthority),
    careHome: filters.careHome === true ? 'true' : filters.careHome === false ? 'false' : '',
    category: str(filters.category),
    serviceGroup: str(filters.serviceGroup),
    theme: str(filters.theme),
    judgement: str(filters.judgement),
    areaReview: str(filters.areaReview),
    sensitivity: str(filters.sensitivity),
    kind: str(filters.kind),
    registered: spec.registered === 'all' ? 'all' : '',
    compare: spec.compare === 'reinspection' ? 'reinspection' : '',
    framework: str(spec.framework),
    qualityStatement: str(spec.qualityStatement),
    statistic: spec.statistic === 'median' || spec.statistic === 'mean' || spec.statistic === 'count' ? spec.statistic : 'share',
    minScore: str(spec.minScore) || '3',
    assessment: str(spec.assessment),
    ...(spec.measure === 'assessment_score' ? { asAt: str(spec.asAt) } : {}),
  };
}

/** Names of `$param` references in a spec, or of `:param`/`$param`/`@param` in SQL, in order of first use. */
export function paramsIn(text: string): string[] {
  const names: string[] = [];
  // Skip string literals so '$5' in a quoted string is not taken for a parameter, and `::` casts are not parameters.
  const stripped = text.replace(/'(?:[^']|'')*'/g, "''");
  for (const m of stripped.matchAll(/(?<![:\w$@])[:$@]([A-Za-z_][A-Za-z0-9_]*)/g)) if (!names.includes(m[1]!)) names.push(m[1]!);
  return names;
}

export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/%/g, ' percent ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

/** `$name` references in a structured spec's string values. */
export function paramsInSpec(spec: Record<string, unknown>): string[] {
  const names: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) if (!names.includes(m[1]!)) names.push(m[1]!);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(spec);
  return names;
}
