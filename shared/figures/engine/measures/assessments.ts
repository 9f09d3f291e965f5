import type { Workspace } from '../../../store/workspace';
import { listFrameworks, type Framework } from '../../../store/assessments';
import { formatDate, formatValue, isSuppressed } from '../../format';
import { filterList, FigureSpecError, type AssessmentRatingSpec, type AssessmentScoreSpec } from '../../spec';
import type { FigureColumn, FigureFormat, FigureResult } from '../../types';
import type { EngineCaches } from '../caches';
import { sqlProvenance } from '../provenance';
import type { Computed, FigureDraft } from '../types';
import type { CountedRows } from './counts';

/**
 * assessment_score: quality statement scores of published assessments under one framework (CQC's single assessment
 * framework for services, its local authority assessments). Each subject counts once per statement: its latest
 * published assessment under the framework as at the date (published on or before it; drafts and assessments in
 * moderation never count). The statistic is over those scores: the share at `minScore` or above (default 3, "good"),
 * their median or mean, or the number of subjects assessed; `by` breaks it down by the subject's region, the
 * statement, its theme, the score (a distribution) or the subject. Computed with one SQL read.
 */

/** Tables the measure reads (a change to any of them recomputes it). */
export const ASSESSMENT_TABLES = ['assessments', 'assessment_scores', 'framework_versions', 'assessment_frameworks', 'framework_groups', 'quality_statements', 'local_authorities', 'locations', 'providers', 'regions'];

const LATEST = '9999-12-31';

const BY_LABEL: Record<string, string> = { region: 'Region', qualityStatement: 'Quality statement', theme: 'Theme', score: 'Score', subject: 'Assessed' };
const BY_SQL: Record<string, string> = { region: "coalesce(rg.name, 'Region not recorded')", qualityStatement: 'qs.name', theme: 'g.name', score: 's.score', subject: 'sub.name' };

interface Row {
  assessment_id: string;
  subject_type: string;
  subject_id: string;
  statement_id: string;
  score: number;
  grp: string | number | null;
  published_on: string;
  updated_at: string;
}

function findFramework(frameworks: Framework[], wanted: string): Framework {
  const w = wanted.toLowerCase();
  const f = frameworks.find((x) => x.id.toLowerCase() === w || x.name.toLowerCase() === w);
  if (!f) throw new FigureSpecError(`spec.framework: "${wanted}" is not an assessment framework in this workspace (expected one of: ${frameworks.map((x) => x.name).join(', ')})`, 'spec.framework');
  return f;
}

/** The statements asked for, as ids: named ones, or a theme's, or every statement of the framework. */
function statementsOf(f: Framework, spec: AssessmentScoreSpec): { ids: string[]; names: string[]; theme: string | undefined } {
  const all = f.groups.flatMap((g) => g.statements.map((s) => ({ ...s, group: g })));
  let theme: string | undefined;
  let chosen = all;
  if (spec.theme !== undefined) {
    const t = spec.theme.toLowerCase();
    const g = f.groups.find((x) => x.id.toLowerCase() === t || x.name.toLowerCase() === t || (x.keyQuestionId ?? '').toLowerCase() === t);
    if (!g) throw new FigureSpecError(`spec.theme: "${spec.theme}" is not a theme of ${f.name} (expected one of: ${f.groups.map((x) => x.name).join(', ')})`, 'spec.theme');
    theme = g.name;
    chosen = all.filter((s) => s.group.id === g.id);
  }
  if (spec.qualityStatement !== undefined) {
    const asked = typeof spec.qualityStatement === 'string' ? [spec.qualityStatement] : spec.qualityStatement;
    chosen = asked.map((q, i) => {
      const k = q.toLowerCase();
      const s = chosen.find((x) => x.id.toLowerCase() === k || x.name.toLowerCase() === k);
      if (!s) {
        const path = typeof spec.qualityStatement === 'string' ? 'spec.qualityStatement' : `spec.qualityStatement.${i}`;
        throw new FigureSpecError(`${path}: "${q}" is not a quality statement of ${theme ? `the theme “${theme}” of ` : ''}${f.name} (for example: ${chosen.slice(0, 6).map((x) => x.name).join(', ')})`, path);
      }
      return s;
    });
  }
  return { ids: chosen.map((s) => s.id), names: chosen.map((s) => s.name), theme };
}

/** The median of sorted numbers. */
function median(sorted: readonly number[]): number | null {
  if (!sorted.length) return null;
  const m = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}

interface Stat {
  value: number | null;
  numerator?: number;
  denominator: number;
  subjects: number;
}

function statOf(rows: readonly Row[], statistic: NonNullable<AssessmentScoreSpec['statistic']>, minScore: number): Stat {
  const scores = rows.map((r) => r.score).sort((a, b) => a - b);
  const subjects = new Set(rows.map((r) => `${r.subject_type}\u0000${r.subject_id}`)).size;
  switch (statistic) {
    case 'share': {
      const num = scores.filter((s) => s >= minScore).length;
      return { value: scores.length ? num / scores.length : null, numerator: num, denominator: scores.length, subjects };
    }
    case 'median':
      return { value: median(scores), denominator: scores.length, subjects };
    case 'mean':
      return { value: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null, denominator: scores.length, subjects };
    case 'count':
      return { value: subjects, denominator: subjects, subjects };
  }
}

/** One assessment named by a spec, with its framework; a spec error naming the field when there is none. */
function oneAssessment(ws: Workspace, id: string): { id: string; frameworkId: string; status: string; publishedOn: string | null; subjectType: string } {
  const a = ws.get<{ id: string; frameworkId: string; status: string; publishedOn: string | null; subjectType: string }>(
    `SELECT a.id, v.framework_id AS frameworkId, a.status, a.published_on AS publishedOn, a.subject_type AS subjectType
     FROM assessments a JOIN framework_versions v ON v.id = a.framework_version_id WHERE a.id = ?`,
    [id],
  );
  if (!a) throw new FigureSpecError(`spec.assessment: there is no assessment "${id}" in this workspace`, 'spec.assessment');
  return a;
}

/** What an assessment_score figure reads: the framework, the statements asked, and the SQL over the scores counted. */
function scoreQuery(ws: Workspace, caches: EngineCaches, spec: AssessmentScoreSpec) {
  const frameworks = listFrameworks(ws);
  const one = spec.assessment === undefined ? undefined : oneAssessment(ws, spec.assessment);
  if (spec.framework === undefined && !one) throw new FigureSpecError('spec.framework: name the assessment framework (or one assessment, with "assessment")', 'spec.framework');
  const framework = findFramework(frameworks, spec.framework ?? one!.frameworkId);
  if (one && one.frameworkId !== framework.id) throw new FigureSpecError(`spec.assessment: the assessment "${one.id}" is not under ${framework.name}`, 'spec.assessment');
  const { ids, names, theme } = statementsOf(framework, spec);
  const statistic = spec.statistic ?? 'share';
  const minScore = spec.minScore ?? 3;
  const asAt = spec.asAt ?? LATEST;
  const params: Record<string, string | number> = { ':framework': framework.id, ':asAt': asAt };
  let n = 0;
  const list = (vals: readonly string[]) =>
    vals
      .map((v) => {
        const k = `:q${n++}`;
        params[k] = v;
        return k;
      })
      .join(', ');
  const where: string[] = [`s.quality_statement_id IN (${list(ids)})`];
  const f = spec.filters ?? {};
  const region = filterList(f.region);
  if (region) {
    const regionIds = caches.resolveNames('filters.region', region.values, caches.regions, 'a region');
    where.push(region.negate ? `coalesce(rg.id, '') NOT IN (${list(regionIds)})` : `rg.id IN (${list(regionIds)})`);
  }
  const subjectType = filterList(f.subjectType);
  if (subjectType) where.push(`${subjectType.negate ? 'NOT ' : ''}(lower(a.subject_type) IN (${list(subjectType.values.map((v) => v.toLowerCase()))}))`);
  if (one) params[':assessment'] = one.id;
  // Each subject's latest published assessment; or one assessment, at whatever stage, for its own report.
  const chosen = one
    ? `SELECT a.*, 1 AS k FROM assessments a WHERE a.id = :assessment`
    : `SELECT a.*, row_number() OVER (PARTITION BY a.subject_type, a.subject_id ORDER BY a.published_on DESC, a.id DESC) AS k
  FROM assessments a JOIN framework_versions v ON v.id = a.framework_version_id
  WHERE v.framework_id = :framework AND a.status = 'published' AND a.published_on IS NOT NULL AND a.published_on <= :asAt`;
  const sql = `WITH a AS (
  ${chosen}
), sub AS (
  SELECT 'local authority' AS type, id, name, region_id FROM local_authorities
  UNION ALL SELECT 'location', id, name, region_id FROM locations
  UNION ALL SELECT 'provider', id, name, NULL FROM providers
)
SELECT a.id AS assessment_id, a.subject_type, a.subject_id, s.quality_statement_id AS statement_id, s.score,
       ${spec.by ? BY_SQL[spec.by] : 'NULL'} AS grp, a.published_on, a.updated_at
FROM a JOIN assessment_scores s ON s.assessment_id = a.id
JOIN quality_statements qs ON qs.id = s.quality_statement_id
JOIN framework_groups g ON g.framework_id = qs.framework_id AND g.id = qs.group_id
LEFT JOIN sub ON sub.type = a.subject_type AND sub.id = a.subject_id
LEFT JOIN regions rg ON rg.id = sub.region_id
WHERE a.k = 1 AND ${where.join('\n  AND ')}
ORDER BY a.subject_type, a.subject_id, s.quality_statement_id`;
  return { framework, one, ids, names, theme, statistic, minScore, asAt, sql, params };
}

export function assessmentScore(ws: Workspace, caches: EngineCaches, def: FigureDraft, spec: AssessmentScoreSpec): Computed {
  const { framework, one, names, theme, statistic, minScore, asAt, sql, params } = scoreQuery(ws, caches, spec);
  const rows = ws.all<Row>(sql, params);

  const all = statOf(rows, statistic, minScore);
  const fmt: FigureFormat = def.format ?? {};
  // The statistic decides the style (a share is a percentage, a median score is not, whatever the figure's format
  // said before its statistic was changed); the format gives decimals, suppression and the like.
  const valueFmt: FigureFormat =
    statistic === 'share'
      ? { ...fmt, style: 'percent' }
      : statistic === 'count'
        ? { ...fmt, style: 'number', decimals: 0 }
        : { ...fmt, style: 'number', decimals: fmt.style === 'percent' || fmt.decimals === undefined ? 1 : fmt.decimals };
  // Disclosure control looks at the number of subjects a value rests on.
  const suppressed = isSuppressed(all.subjects, fmt);
  // What the framework assesses, in words: "local authorities", "services".
  const subjectKind = framework.subjectTypes.length === 1 ? framework.subjectTypes[0]! : '';
  const noun = subjectKind === 'local authority' ? { one: 'local authority', many: 'local authorities' } : subjectKind === 'location' ? { one: 'service', many: 'services' } : { one: 'subject', many: 'subjects' };
  const asked = names.length === 1 ? `“${names[0]}”` : theme ? `the quality statements of “${theme}”` : `${names.length} quality statements`;
  const what = one
    ? `scores on ${asked} of one assessment${one.status === 'published' ? ` published on ${formatDate(one.publishedOn ?? '')}` : ` (${one.status}: its scores may still change, and no other figure counts them)`}`
    : statistic === 'share'
      ? `share of scores of ${minScore} or more on ${asked}`
      : statistic === 'count'
        ? `number assessed on ${asked}`
        : `${statistic} score on ${asked}`;
  const result: FigureResult = {
    figureId: null,
    kind: def.kind,
    value: all.value,
    formatted: all.value === null ? '..' : formatValue(all.value, valueFmt, all.subjects),
    ...(all.numerator !== undefined ? { numerator: all.numerator } : {}),
    denominator: all.denominator,
    countOf: names.length === 1 ? noun.many : 'scores',
    ...(suppressed ? { suppressed: true } : {}),
    ...(one && one.status !== 'published' ? { draft: `the draft scores of an assessment ${one.status}` } : {}),
    provenance: {
      ...sqlProvenance(caches, sql, params, ASSESSMENT_TABLES, rows, []),
      notes: [
        one
          ? `${framework.name}: ${what}.`
          : `${framework.name}: ${what}, of each ${noun.one}'s latest published assessment ${asAt === LATEST ? 'on any date' : `as at ${formatDate(asAt)}`}; drafts and assessments not yet published are not counted.`,
        `${all.subjects.toLocaleString('en-GB')} ${all.subjects === 1 ? noun.one : noun.many} assessed, ${all.denominator.toLocaleString('en-GB')} score${all.denominator === 1 ? '' : 's'}.`,
      ],
    },
  };
  if (spec.by) {
    const by = spec.by;
    const groups = new Map<string, Row[]>();
    for (const r of rows) {
      const key = r.grp === null ? 'Not recorded' : String(r.grp);
      const g = groups.get(key);
      if (g) g.push(r);
      else groups.set(key, [r]);
    }
    const statCol: FigureColumn =
      by === 'score'
        ? { key: 'count', label: 'Number of scores', numeric: true, format: { style: 'number' }, role: 'measure' }
        : {
            key: 'value',
            label: statistic === 'share' ? `Scoring ${minScore} or more` : statistic === 'count' ? 'Number assessed' : one ? 'Score' : statistic === 'median' ? 'Median score' : 'Mean score',
            numeric: true,
            format: valueFmt,
            role: 'measure',
          };
    result.columns = [
      { key: by, label: BY_LABEL[by]!, role: 'category' },
      statCol,
      // One assessment has one score per statement: a count of them says nothing.
      ...(by === 'score' || one ? [] : [{ key: 'scores', label: 'Number of scores', numeric: true, format: { style: 'number' }, role: 'total' } as FigureColumn]),
    ];
    const order = by === 'qualityStatement' ? names : by === 'theme' ? framework.groups.map((g) => g.name) : undefined;
    if (one && statistic !== 'share' && statistic !== 'count') valueFmt.decimals = by === 'qualityStatement' ? 0 : valueFmt.decimals;
    const entries = [...groups].sort(([a], [b]) => {
      if (order) return order.indexOf(a) - order.indexOf(b);
      if (by === 'score') return Number(a) - Number(b);
      return a.localeCompare(b, 'en-GB');
    });
    result.rows = entries.map(([k, rs]): Record<string, string | number | null> => {
      if (by === 'score') return { [by]: k, count: rs.length };
      const st = statOf(rs, statistic, minScore);
      return { [by]: k, value: st.value, scores: st.denominator };
    });
  }
  return { result, aggs: [], tables: new Set(ASSESSMENT_TABLES) };
}

/**
 * assessment_rating: one assessment's ratings, the ratings grid of its report. Overall first, then each key question its
 * framework rates, in the framework's order: the rating the team gives (a draft until the assessment is published),
 * what the framework's rules computed from the scores, and the score behind it. The value is the overall rating.
 */
/** One assessment's ratings as stored, overall first, then in its framework's order. */
function orderedRatings(ws: Workspace, spec: AssessmentRatingSpec) {
  const one = oneAssessment(ws, spec.assessment);
  const framework = listFrameworks(ws).find((f) => f.id === one.frameworkId)!;
  const order = new Map<string, number>(framework.groups.map((g, i) => [g.keyQuestionId ?? g.id, i + 1]));
  const params = { ':assessment': one.id };
  const sql = `SELECT r.key_question_id AS kq, coalesce(k.name, r.key_question_id) AS name, coalesce(k.is_overall, 0) AS overall,
       r.rating, r.computed, r.score_percent AS score, r.reason, a.updated_at
FROM assessment_ratings r JOIN assessments a ON a.id = r.assessment_id
LEFT JOIN key_questions k ON k.id = r.key_question_id
WHERE r.assessment_id = :assessment`;
  const rows = ws
    .all<{ kq: string; name: string; overall: number; rating: string; computed: string | null; score: number | null; reason: string | null; updated_at: string }>(sql, params)
    .sort((a, b) => b.overall - a.overall || (order.get(a.kq) ?? 99) - (order.get(b.kq) ?? 99) || a.name.localeCompare(b.name, 'en-GB'));
  // A council's assessment rates no key questions (its framework's groups are themes): only the assessment as a whole.
  const rated = framework.groups.some((g) => g.keyQuestionId) ? { key: 'keyQuestion', label: 'Key question' } : { key: 'assessment', label: 'Assessment' };
  return { one, framework, sql, params, rows, rated };
}

export function assessmentRating(ws: Workspace, caches: EngineCaches, def: FigureDraft, spec: AssessmentRatingSpec): Computed {
  const { one, framework, sql, params, rows, rated } = orderedRatings(ws, spec);
  const overall = rows.find((r) => r.overall === 1);
  const published = one.status === 'published';
  const result: FigureResult = {
    figureId: null,
    kind: def.kind,
    value: overall?.rating ?? null,
    formatted: overall?.rating ?? '..',
    ...(published ? {} : { draft: `the draft ratings of an assessment ${one.status}` }),
    provenance: {
      ...sqlProvenance(caches, sql, params, ['assessment_ratings', 'assessments', 'key_questions', 'framework_versions', 'assessment_frameworks', 'framework_groups'], rows, []),
      notes: [
        published
          ? `${framework.name}: the ratings published on ${formatDate(one.publishedOn ?? '')}.`
          : `${framework.name}: draft ratings of an assessment ${one.status}; they may still change, and no other figure counts them until the assessment is published.`,
        ...rows.filter((r) => r.reason).map((r) => `${r.name}: rated ${r.rating} where the scores give ${r.computed ?? 'no rating'}, because ${r.reason}`),
      ],
    },
    columns: [
      { key: rated.key, label: rated.label, role: 'category' },
      { key: 'rating', label: published ? 'Rating' : 'Rating (draft)', role: 'detail' },
      { key: 'score', label: 'Score', numeric: true, format: { style: 'percent', decimals: 0 }, role: 'measure' },
    ],
    rows: rows.map((r) => ({ [rated.key]: r.name, rating: r.rating, score: r.score === null ? null : r.score / 100 })),
  };
  return { result, aggs: [], tables: new Set(['assessment_ratings', 'assessments', 'key_questions', 'framework_versions', 'assessment_frameworks', 'framework_groups']) };
}

/**
 * "Show the rows" for assessment_score: every score the figure counts (each subject's latest published assessment, or
 * the one assessment), with the subject, the statement and whether it is in the numerator (a share's scores at the
 * threshold or above).
 */
export function assessmentScoreRows(ws: Workspace, caches: EngineCaches, spec: AssessmentScoreSpec): CountedRows & { numerator: number; denominator: number; statement: string; published: string[] } {
  const { framework, names, theme, statistic, minScore, sql, params } = scoreQuery(ws, caches, spec);
  const statements = new Map(framework.groups.flatMap((g) => g.statements.map((q) => [q.id, { name: q.name, theme: g.name }] as const)));
  const rows = ws.all<Row & { subject_name: string | null }>(
    `SELECT x.*, coalesce(la.name, l.name, p.name, x.subject_id) AS subject_name FROM (${sql}) x
LEFT JOIN local_authorities la ON x.subject_type = 'local authority' AND la.id = x.subject_id
LEFT JOIN locations l ON x.subject_type = 'location' AND l.id = x.subject_id
LEFT JOIN providers p ON x.subject_type = 'provider' AND p.id = x.subject_id`,
    params,
  );
  const share = statistic === 'share';
  const inNumerator = (r: Row) => share && r.score >= minScore;
  const numerator = rows.filter(inNumerator).length;
  const asked = names.length === 1 ? `“${names[0]}”` : theme ? `the quality statements of “${theme}”` : `${names.length} quality statements`;
  const subjects = new Set(rows.map((r) => `${r.subject_type}|${r.subject_id}`)).size;
  return {
    statement: share
      ? `${numerator.toLocaleString('en-GB')} of ${rows.length.toLocaleString('en-GB')} scores on ${asked} were ${minScore} or more (${subjects.toLocaleString('en-GB')} assessed under ${framework.name}).`
      : `${rows.length.toLocaleString('en-GB')} scores on ${asked} (${subjects.toLocaleString('en-GB')} assessed under ${framework.name}).`,
    numerator: share ? numerator : rows.length,
    denominator: rows.length,
    published: [...new Set(rows.map((r) => r.published_on).filter((d): d is string => !!d))],
    columns: [
      { key: 'assessed', label: 'Assessed' },
      { key: 'statement', label: 'Quality statement' },
      { key: 'theme', label: 'Key question or theme' },
      { key: 'score', label: 'Score' },
      { key: 'published', label: 'Published' },
      ...(share ? [{ key: 'counted', label: 'Counted as' }] : []),
    ],
    rows: rows.map((r) => [
      r.subject_name,
      statements.get(r.statement_id)?.name ?? r.statement_id,
      statements.get(r.statement_id)?.theme ?? null,
      r.score,
      r.published_on,
      ...(share ? [inNumerator(r) ? `numerator (${minScore} or more)` : 'denominator only'] : []),
    ]),
  };
}

/** "Show the rows" for assessment_rating: the assessment's ratings as stored, the team's and the rules' with the score. */
export function assessmentRatingRows(ws: Workspace, spec: AssessmentRatingSpec): CountedRows & { statement: string } {
  const { one, rows, rated } = orderedRatings(ws, spec);
  return {
    statement: `${rows.length.toLocaleString('en-GB')} ratings of one assessment${one.status === 'published' ? '' : ` (draft: the assessment is ${one.status})`}.`,
    columns: [
      { key: 'rated', label: rated.label },
      { key: 'rating', label: 'Rating given' },
      { key: 'computed', label: 'Rating the scores give' },
      { key: 'score', label: 'Score (%)' },
      { key: 'reason', label: 'Reason for any difference' },
    ],
    rows: rows.map((t) => [t.name, t.rating, t.computed, t.score, t.reason]),
  };
}
