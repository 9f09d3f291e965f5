import { z } from 'zod';

/**
 * The scoring rules of an assessment framework version, as data, and the one small engine that applies them: scores of
 * quality statements (or of evidence categories within them) build up to a score and a rating for each key question or
 * theme, and those to an overall rating. Nothing here knows CQC's numbers or labels: they live in the rules each
 * framework version holds (framework_versions.rules; CQC's in shared/store/framework-seed.ts, with their sources).
 */

const band = z.object({ min: z.number().min(0).max(100) });
const limit = z.object({
  /** How many statement scores (of: 'score') or group ratings (of: 'rating') equal `value`: at least n, or fewer than n. */
  when: z.object({ of: z.enum(['score', 'rating']), value: z.union([z.string(), z.number()]), atLeast: z.number().int().min(0).optional(), fewerThan: z.number().int().min(1).optional() }),
  /** The best rating allowed when the condition holds. */
  atMost: z.string().min(1),
  /** Why, in words a report can print. */
  why: z.string().min(1),
});

export const ScoringRules = z.object({
  /** The scores a statement or category can be given, with what each means, e.g. {"1": "Significant shortfalls", …}. */
  scores: z.record(z.string().regex(/^\d+$/), z.string()),
  /** How a percentage is compared with the bands: rounded to a whole percent (half up), or as it is. */
  round: z.enum(['whole percent', 'none']).default('whole percent'),
  statement: z.object({
    /** 'evidence categories': a statement's score is derived from its categories' scores; 'direct': it is given. */
    basis: z.enum(['evidence categories', 'direct']),
    bands: z.array(band.extend({ score: z.number().int() })).optional(),
  }),
  /** Key questions (or themes): their rating from the percentage of their statements' scores. Null: scored, not rated. */
  group: z.object({ bands: z.array(band.extend({ rating: z.string().min(1) })).min(1), limits: z.array(limit).default([]) }).nullable(),
  overall: z.object({
    /** 'group ratings': each group's rating as a score (ratingScores); 'statement scores': every statement's score. */
    from: z.enum(['group ratings', 'statement scores']),
    ratingScores: z.record(z.string(), z.number()).optional(),
    bands: z.array(band.extend({ rating: z.string().min(1) })).min(1),
    limits: z.array(limit).default([]),
  }),
});
export type ScoringRules = z.infer<typeof ScoringRules>;
export type RuleLimit = z.infer<typeof limit>;

/** The rules of a version as stored (JSON), parsed; a version whose rules do not parse cannot score anything. */
export function parseRules(json: string | unknown): ScoringRules {
  const value = typeof json === 'string' ? (JSON.parse(json) as unknown) : json;
  return ScoringRules.parse(value);
}

export interface FrameworkShape {
  groups: readonly { id: string; name: string; statements: readonly { id: string }[] }[];
}

export interface ScoreInput {
  /** Scores given to statements (direct basis, or a statement without category scores). */
  statements: ReadonlyMap<string, number>;
  /** Scores given to each statement's evidence categories (evidence-category basis). */
  categories?: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export interface ScoredStatement {
  id: string;
  score: number;
  /** The percentage of the most its categories could score, when derived from them. */
  percent: number | null;
  derived: boolean;
}

export interface ScoredGroup {
  id: string;
  name: string;
  total: number;
  max: number;
  /** The statements' total as a percentage of their maximum, as compared with the bands (rounded if the rules say). */
  percent: number | null;
  rating: string | null;
  /** The rating the bands gave before any limit, when a limit lowered it. */
  bandRating: string | null;
  limitedBy: string[];
  scored: number;
  statements: number;
}

export interface ScoreResult {
  statements: ScoredStatement[];
  groups: ScoredGroup[];
  overall: { percent: number | null; rating: string | null; bandRating: string | null; limitedBy: string[] };
  /** Why something could not be computed, e.g. a group with no statement scored. */
  notes: string[];
}

function maxScore(rules: ScoringRules): number {
  return Math.max(...Object.keys(rules.scores).map(Number));
}

function minScore(rules: ScoringRules): number {
  return Math.min(...Object.keys(rules.scores).map(Number));
}

function asPercent(rules: ScoringRules, total: number, max: number): number {
  const p = (total / max) * 100;
  // Half up at a whole percent, with a tolerance for binary fractions (68.75 is 69, 62.5 is 63).
  return rules.round === 'whole percent' ? Math.floor(p + 0.5 + 1e-9) : p;
}

function fromBands<T extends { min: number }>(bands: readonly T[], percent: number): T | undefined {
  return [...bands].sort((a, b) => b.min - a.min).find((b) => percent >= b.min);
}

/** A rating's place: the higher its score (overall.ratingScores) or the earlier its band, the better. */
function rankOf(rules: ScoringRules, bands: readonly { min: number; rating: string }[], rating: string): number {
  const s = rules.overall.ratingScores?.[rating];
  if (s !== undefined) return s;
  const i = [...bands].sort((a, b) => a.min - b.min).findIndex((b) => b.rating === rating);
  return i;
}

function applyLimits(
  rules: ScoringRules,
  bands: readonly { min: number; rating: string }[],
  rating: string,
  limits: readonly RuleLimit[],
  count: (of: 'score' | 'rating', value: string | number) => number,
): { rating: string; limitedBy: string[] } {
  let out = rating;
  const limitedBy: string[] = [];
  for (const l of limits) {
    const n = count(l.when.of, l.when.value);
    const holds = (l.when.atLeast === undefined || n >= l.when.atLeast) && (l.when.fewerThan === undefined || n < l.when.fewerThan);
    if (!holds) continue;
    if (rankOf(rules, bands, out) > rankOf(rules, bands, l.atMost)) {
      out = l.atMost;
      limitedBy.push(l.why);
    }
  }
  return { rating: out, limitedBy };
}

/** Checks one score against the rules' scale; the message names the score's place. */
export function scoreProblem(rules: ScoringRules, score: number): string | undefined {
  if (!Number.isInteger(score) || score < minScore(rules) || score > maxScore(rules)) {
    return `must be a whole number from ${minScore(rules)} to ${maxScore(rules)}`;
  }
  return undefined;
}

/**
 * Applies a version's rules to an assessment's scores. Statements without a score are left out of every total (the
 * maximum counts only what was scored, as CQC's percentages do).
 */
export function applyRules(rules: ScoringRules, framework: FrameworkShape, input: ScoreInput): ScoreResult {
  const top = maxScore(rules);
  const notes: string[] = [];
  const statements: ScoredStatement[] = [];
  const scoreOf = new Map<string, number>();
  for (const g of framework.groups) {
    for (const s of g.statements) {
      const cats = input.categories?.get(s.id);
      if (rules.statement.basis === 'evidence categories' && cats && cats.size > 0) {
        const total = [...cats.values()].reduce((a, b) => a + b, 0);
        const percent = asPercent(rules, total, cats.size * top);
        const b = fromBands(rules.statement.bands ?? [], percent);
        if (!b) {
          notes.push(`${s.id}: ${percent}% is below every band`);
          continue;
        }
        statements.push({ id: s.id, score: b.score, percent, derived: true });
        scoreOf.set(s.id, b.score);
      } else {
        const given = input.statements.get(s.id);
        if (given === undefined) continue;
        statements.push({ id: s.id, score: given, percent: null, derived: false });
        scoreOf.set(s.id, given);
      }
    }
  }

  const groups: ScoredGroup[] = framework.groups.map((g) => {
    const scores = g.statements.map((s) => scoreOf.get(s.id)).filter((x): x is number => x !== undefined);
    const total = scores.reduce((a, b) => a + b, 0);
    const max = scores.length * top;
    const base = { id: g.id, name: g.name, total, max, scored: scores.length, statements: g.statements.length };
    if (!scores.length) return { ...base, percent: null, rating: null, bandRating: null, limitedBy: [] };
    const percent = asPercent(rules, total, max);
    if (!rules.group) return { ...base, percent, rating: null, bandRating: null, limitedBy: [] };
    const b = fromBands(rules.group.bands, percent);
    if (!b) {
      notes.push(`${g.name}: ${percent}% is below every band`);
      return { ...base, percent, rating: null, bandRating: null, limitedBy: [] };
    }
    const limited = applyLimits(rules, rules.group.bands, b.rating, rules.group.limits, (of, value) =>
      of === 'score' ? scores.filter((x) => x === Number(value)).length : 0,
    );
    return { ...base, percent, rating: limited.rating, bandRating: limited.rating !== b.rating ? b.rating : null, limitedBy: limited.limitedBy };
  });

  const overall = overallOf(rules, groups, [...scoreOf.values()], notes);
  return { statements, groups, overall, notes };
}

function overallOf(rules: ScoringRules, groups: readonly ScoredGroup[], statementScores: readonly number[], notes: string[]): ScoreResult['overall'] {
  const none = { percent: null, rating: null, bandRating: null, limitedBy: [] };
  const o = rules.overall;
  let total = 0;
  let max = 0;
  const ratings: string[] = [];
  if (o.from === 'group ratings') {
    const scale = o.ratingScores ?? {};
    const best = Math.max(...Object.values(scale));
    for (const g of groups) {
      if (g.rating === null) {
        // Every key question must be rated before an overall rating can be aggregated from them.
        notes.push(`${g.name} has no rating yet, so there is no overall rating`);
        return none;
      }
      const s = scale[g.rating];
      if (s === undefined) {
        notes.push(`${g.rating} has no score in the rules`);
        return none;
      }
      total += s;
      max += best;
      ratings.push(g.rating);
    }
  } else {
    if (!statementScores.length) return none;
    total = statementScores.reduce((a, b) => a + b, 0);
    max = statementScores.length * maxScore(rules);
  }
  if (!max) return none;
  const percent = asPercent(rules, total, max);
  const b = fromBands(o.bands, percent);
  if (!b) {
    notes.push(`overall: ${percent}% is below every band`);
    return { ...none, percent };
  }
  const limited = applyLimits(rules, o.bands, b.rating, o.limits, (of, value) =>
    of === 'rating' ? ratings.filter((r) => r === value).length : statementScores.filter((x) => x === Number(value)).length,
  );
  return { percent, rating: limited.rating, bandRating: limited.rating !== b.rating ? b.rating : null, limitedBy: limited.limitedBy };
}

/** The version of a framework in force on a date: effective from on or before it, and not ended by it. */
export function versionOn<V extends { effectiveFrom: string; effectiveTo: string | null }>(versions: readonly V[], date: string): V | undefined {
  return versions
    .filter((v) => v.effectiveFrom <= date && (v.effectiveTo === null || date < v.effectiveTo))
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0];
}
