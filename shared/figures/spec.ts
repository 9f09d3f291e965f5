import { z } from 'zod';
import { describeIssues, isoDate } from '../store/validate';
import { UserError } from '../util/errors';
import type { FigureParams } from './types';

/**
 * Structured figure specs: what an editor builds in the figure form. A spec is JSON; any string in it may be a
 * parameter reference such as "$asAt", resolved from the report's parameters (overridden by the node's own) when
 * the figure is computed. Specs are parsed twice with the same schema: when saved (references allowed and kept) and
 * after parameters are resolved (so a parameter holding "31/07/2018" is refused as clearly as a literal would be).
 */

export const MEASURES = [
  'rating_share',
  'rating_count',
  'rating_distribution',
  'rating_change',
  'rating_movement',
  'indicator_value',
  'indicator_spread',
  'indicator_rank',
  'finding_count',
  'evidence_count',
  'assessment_score',
  'assessment_rating',
] as const;
export type Measure = (typeof MEASURES)[number];

export const RATING_BY = ['region', 'localAuthority', 'sector', 'category', 'keyQuestion', 'rating', 'serviceGroup', 'locationType', 'careHome'] as const;
export type RatingBy = (typeof RATING_BY)[number];
/** Breakdowns of rating_movement: what a location is grouped by (its rating is what moves, so not 'rating'). */
export const MOVEMENT_BY = ['region', 'localAuthority', 'sector', 'category', 'keyQuestion', 'serviceGroup', 'locationType', 'careHome'] as const;
export type MovementBy = (typeof MOVEMENT_BY)[number];
export const FINDING_BY = ['theme', 'judgement', 'areaReview', 'status', 'subjectType'] as const;
export const EVIDENCE_BY = ['kind', 'sensitivity', 'areaReview', 'verified'] as const;
/** Breakdowns of assessment_score: the subject's region, the quality statement, its theme (or key question), the score itself (a distribution), each subject. */
export const ASSESSMENT_BY = ['region', 'qualityStatement', 'theme', 'score', 'subject'] as const;
export const ASSESSMENT_STATISTICS = ['share', 'median', 'mean', 'count'] as const;

const PARAM_REF = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;
const paramRef = z.string().regex(PARAM_REF, 'must be a parameter reference such as $asAt');
const text = z.string().trim().min(1, 'must not be empty');
const dateOrRef = z.union([isoDate, paramRef], { error: 'must be a date written yyyy-mm-dd or a parameter reference such as $asAt' });

/** A filter on a text attribute: one value, any of several, or none of them ({ "not": ... }). */
const filterValue = z.union(
  [text, z.array(text).min(1, 'must list at least one value'), z.strictObject({ not: z.union([text, z.array(text).min(1)]) })],
  { error: 'must be a value, a list of values, or { "not": value(s) }' },
);
const boolOrRef = z.union([z.boolean(), paramRef, z.enum(['true', 'false'])], { error: 'must be true or false' });

export const RatingFilters = z
  .strictObject({
    sector: filterValue,
    locationType: filterValue,
    category: filterValue,
    careHome: boolOrRef,
    region: filterValue,
    localAuthority: filterValue,
    providerId: filterValue,
    serviceGroup: filterValue,
  })
  .partial();
export type RatingFilters = z.infer<typeof RatingFilters>;

const keyQuestion = z.union([text, z.array(text).min(1)]);
const ratingsList = z.array(text).min(1, 'must list at least one rating');

/**
 * Which locations a rating figure counts: 'on-date' (the default) those on the register on the figure's date (registered
 * on or before it and not deregistered before it); 'all' every location ever rated, registered or not.
 */
export const REGISTERED = ['on-date', 'all'] as const;
export type Registered = (typeof REGISTERED)[number];
export const registeredOption = z.enum(REGISTERED, { error: 'must be "on-date" (locations registered on the date) or "all" (every location ever rated)' });

const ratingCommon = {
  keyQuestion: keyQuestion.optional(),
  filters: RatingFilters.optional(),
  by: z.enum(RATING_BY).optional(),
  registered: registeredOption.optional(),
};

const RatingShare = z.strictObject({ measure: z.literal('rating_share'), ratings: ratingsList, asAt: dateOrRef.optional(), ...ratingCommon });
const RatingCount = z.strictObject({ measure: z.literal('rating_count'), ratings: ratingsList.optional(), asAt: dateOrRef.optional(), ...ratingCommon });
const RatingDistribution = z.strictObject({ measure: z.literal('rating_distribution'), asAt: dateOrRef.optional(), ...ratingCommon });
const RatingChange = z.strictObject({
  measure: z.literal('rating_change'),
  ratings: ratingsList,
  from: dateOrRef,
  to: dateOrRef,
  ...ratingCommon,
});

/**
 * Movement between ratings (the "tipping point"): for locations rated at both points, how many improved, held or
 * deteriorated. `compare: 'dates'` (the default) sets each location's latest rating as at `from` against its latest as
 * at `to`; `compare: 'reinspection'` sets each location's latest rating as at `to` against its previous rating (the
 * latest published on an earlier date), counting, when `from` is given, only ratings published after `from`.
 * `registered: 'on-date'` (the default) counts only locations on the register at both points; 'all' every location
 * rated at both.
 */
const RatingMovement = z
  .strictObject({
    measure: z.literal('rating_movement'),
    compare: z.enum(['dates', 'reinspection'], { error: 'must be "dates" (two dates, from and to) or "reinspection" (each rating against the previous one)' }).optional(),
    from: dateOrRef.optional(),
    to: dateOrRef,
    keyQuestion: keyQuestion.optional(),
    filters: RatingFilters.optional(),
    by: z.enum(MOVEMENT_BY, { error: `must be one of: ${MOVEMENT_BY.join(', ')}` }).optional(),
    registered: registeredOption.optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.compare ?? 'dates') === 'dates' && s.from === undefined) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'is required to compare two dates (the earlier date, e.g. "$previousAsAt"); or set compare to "reinspection" to compare each location\'s latest rating with its previous one' });
    }
    if (s.from !== undefined && !s.from.startsWith('$') && !s.to.startsWith('$') && s.from >= s.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `must be later than from (${s.from}); got ${s.to}` });
    }
    if (Array.isArray(s.keyQuestion) && s.keyQuestion.length > 1 && s.by !== 'keyQuestion') {
      ctx.addIssue({ code: 'custom', path: ['keyQuestion'], message: 'must be one key question (movement is counted for one at a time); to compare several, set by to "keyQuestion"' });
    }
  });

const areaSet = z.union([z.enum(['localAuthority', 'region']), z.array(text).min(2, 'must list at least two areas')]);
const IndicatorValue = z.strictObject({ measure: z.literal('indicator_value'), indicator: text, area: text.optional(), period: text });
const IndicatorSpread = z.strictObject({ measure: z.literal('indicator_spread'), indicator: text, period: text, areas: areaSet.optional() });
const IndicatorRank = z.strictObject({ measure: z.literal('indicator_rank'), indicator: text, period: text, area: text, areas: areaSet.optional() });

const FindingCount = z.strictObject({
  measure: z.literal('finding_count'),
  filters: z
    .strictObject({
      theme: filterValue,
      judgement: filterValue,
      areaReview: filterValue,
      status: filterValue,
      subjectType: filterValue,
      sensitivity: filterValue,
    })
    .partial()
    .optional(),
  by: z.enum(FINDING_BY).optional(),
});
const EvidenceCount = z.strictObject({
  measure: z.literal('evidence_count'),
  filters: z
    .strictObject({ kind: filterValue, sensitivity: filterValue, areaReview: filterValue, theme: filterValue, verified: boolOrRef })
    .partial()
    .optional(),
  by: z.enum(EVIDENCE_BY).optional(),
});

/**
 * Quality statement scores of published assessments under one framework (the single assessment framework, local
 * authority assessments): each subject's latest published assessment as at a date, its scores for the statements
 * asked (by name or id; default every statement, or those of one theme). `statistic`: the share of scores at
 * `minScore` (default 3) or above, their median or mean, or the number of subjects assessed.
 */
const AssessmentScore = z.strictObject({
  measure: z.literal('assessment_score'),
  /** By name or id; may be left out when `assessment` names one assessment (its framework is used). */
  framework: text.optional(),
  qualityStatement: z.union([text, z.array(text).min(1, 'must list at least one quality statement')]).optional(),
  theme: text.optional(),
  statistic: z.enum(ASSESSMENT_STATISTICS).optional(),
  minScore: z.number().int().min(1, 'must be a score from 1 to 4').max(4, 'must be a score from 1 to 4').optional(),
  asAt: dateOrRef.optional(),
  /** One assessment (its id, or a parameter such as $assessment): its own scores at whatever stage it is, for its report. */
  assessment: text.optional(),
  filters: z.strictObject({ region: filterValue, subjectType: filterValue }).partial().optional(),
  by: z.enum(ASSESSMENT_BY).optional(),
});

/**
 * One assessment's ratings: each key question its framework rates, and overall, as the team gives them (draft until
 * the assessment is published, then as published), with what the framework's rules computed and the score behind
 * them. The ratings grid of an inspection report.
 */
const AssessmentRating = z.strictObject({ measure: z.literal('assessment_rating'), assessment: text });

const SCHEMAS = {
  rating_share: RatingShare,
  rating_count: RatingCount,
  rating_distribution: RatingDistribution,
  rating_change: RatingChange,
  rating_movement: RatingMovement,
  indicator_value: IndicatorValue,
  indicator_spread: IndicatorSpread,
  indicator_rank: IndicatorRank,
  finding_count: FindingCount,
  evidence_count: EvidenceCount,
  assessment_score: AssessmentScore,
  assessment_rating: AssessmentRating,
} as const;

export type RatingShareSpec = z.infer<typeof RatingShare>;
export type RatingCountSpec = z.infer<typeof RatingCount>;
export type RatingDistributionSpec = z.infer<typeof RatingDistribution>;
export type RatingChangeSpec = z.infer<typeof RatingChange>;
export type RatingMovementSpec = z.infer<typeof RatingMovement>;
export type IndicatorValueSpec = z.infer<typeof IndicatorValue>;
export type IndicatorSpreadSpec = z.infer<typeof IndicatorSpread>;
export type IndicatorRankSpec = z.infer<typeof IndicatorRank>;
export type FindingCountSpec = z.infer<typeof FindingCount>;
export type EvidenceCountSpec = z.infer<typeof EvidenceCount>;
export type AssessmentScoreSpec = z.infer<typeof AssessmentScore>;
export type AssessmentRatingSpec = z.infer<typeof AssessmentRating>;
export type FigureSpec =
  | RatingShareSpec
  | RatingCountSpec
  | RatingDistributionSpec
  | RatingChangeSpec
  | RatingMovementSpec
  | IndicatorValueSpec
  | IndicatorSpreadSpec
  | IndicatorRankSpec
  | FindingCountSpec
  | EvidenceCountSpec
  | AssessmentScoreSpec
  | AssessmentRatingSpec;
export type RatingSpec = RatingShareSpec | RatingCountSpec | RatingDistributionSpec | RatingChangeSpec;

/**
 * A spec, a parameter or SQL the engine cannot use. `path` names the field at fault (e.g. "spec.filters.region"), and
 * is the field the figure builder shows the message beside.
 */
export class FigureSpecError extends UserError {
  readonly path: string;
  constructor(message: string, path = 'spec') {
    super('invalid', message, { fields: { [path]: message } });
    this.name = 'FigureSpecError';
    this.path = path;
  }
}

export function isRatingSpec(s: FigureSpec): s is RatingSpec {
  // rating_movement has a measure of its own (engine/measures/movement.ts).
  return s.measure.startsWith('rating_') && s.measure !== 'rating_movement';
}

/** Validates a spec; parameter references are allowed and left in place. Throws FigureSpecError naming every field at fault. */
export function parseSpec(input: unknown): FigureSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new FigureSpecError('spec must be a JSON object with a "measure"');
  }
  const measure = (input as { measure?: unknown }).measure;
  if (typeof measure !== 'string' || !(MEASURES as readonly string[]).includes(measure)) {
    throw new FigureSpecError(`spec.measure must be one of: ${MEASURES.join(', ')} (got ${JSON.stringify(measure ?? null)})`, 'spec.measure');
  }
  const r = SCHEMAS[measure as Measure].safeParse(input);
  if (!r.success) {
    const first = r.error.issues[0];
    const path = first ? ['spec', ...first.path.map(String)].join('.') : 'spec';
    throw new FigureSpecError(`spec: ${describeIssues(r.error)}`, path);
  }
  return r.data as FigureSpec;
}

/** The names of the parameters a value refers to (anywhere in it), in first-seen order. */
export function paramRefs(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    const m = PARAM_REF.exec(value);
    if (m && !out.includes(m[1]!)) out.push(m[1]!);
  } else if (Array.isArray(value)) {
    for (const v of value) paramRefs(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) paramRefs(v, out);
  }
  return out;
}

/**
 * Replaces every "$name" string by the parameter's value, then validates again. A reference to a parameter that was
 * not given is an error naming both the field and the parameter.
 */
export function resolveSpec(spec: FigureSpec, params: FigureParams): FigureSpec {
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'string') {
      const m = PARAM_REF.exec(v);
      if (!m) return v;
      const p = params[m[1]!];
      if (p === undefined) {
        throw new FigureSpecError(`${path} refers to $${m[1]} but no parameter "${m[1]}" was given (the report's parameters set it, e.g. asAt=2018-07-31)`, path);
      }
      return typeof p === 'boolean' ? p : String(p);
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}.${i}`));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, `${path}.${k}`)]));
    return v;
  };
  const resolved = walk(spec, 'spec');
  try {
    const out = parseSpec(resolved);
    const left = paramRefs(out);
    if (left.length) throw new FigureSpecError(`spec: parameter values may not themselves be references ($${left[0]})`);
    return out;
  } catch (e) {
    if (e instanceof FigureSpecError) {
      throw new FigureSpecError(`${e.message} (after substituting parameters ${JSON.stringify(params)})`, e.path);
    }
    throw e;
  }
}

/** A filter value as include/exclude lists. */
export function filterList(v: z.infer<typeof filterValue> | undefined): { values: string[]; negate: boolean } | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return { values: [v], negate: false };
  if (Array.isArray(v)) return { values: v, negate: false };
  return { values: typeof v.not === 'string' ? [v.not] : v.not, negate: true };
}

export function asBool(v: boolean | string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  return v === true || v === 'true';
}

/** JSON with sorted keys: equal specs give equal strings, for cache keys and approvals. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return 'null';
  return JSON.stringify(v) ?? 'null';
}
