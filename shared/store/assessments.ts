import { z } from 'zod';
import type { Tx } from './workspace';
import { audit } from './audit';
import { invalidField, WorkspaceError } from './errors';
import { isoDate, optionalText, parseInput, requiredText } from './validate';
import { read, type Db } from './query';
import { localAuthorityNames, locationNames, providerNames } from './locations';
import { overallKeyQuestionOf, publishRatings, scaleLabels } from './ratings';
import { applyRules, parseRules, scoreProblem, versionOn, type ScoreResult, type ScoringRules } from './scoring';
import { LIMITS } from '../util/limits';
import { newId } from '../util/runtime';

/**
 * Inspections and assessments (of a location, provider, local authority or integrated care system) under an
 * assessment framework held as data: the frameworks, their versions and rules, quality statements and evidence
 * categories; each assessment's scores and draft ratings; its status from planned to published. Draft ratings live in
 * assessment_ratings and are never read by figures; publishing a location's assessment writes its ratings to the
 * ratings table (shared/store/ratings.ts publishRatings) in the same transaction.
 */

export const ASSESSMENT_SUBJECTS = ['location', 'provider', 'local authority', 'integrated care system'] as const;
export const ASSESSMENT_STATUSES = ['planned', 'in progress', 'draft report', 'in moderation', 'published'] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

// Frameworks --------------------------------------------------------------------------------------------------------------
export interface FrameworkVersion {
  id: string;
  frameworkId: string;
  name: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  sourceUrl: string | null;
  rules: ScoringRules;
}

export interface Framework {
  id: string;
  name: string;
  regulator: string;
  subjectTypes: string[];
  scaleId: string;
  versions: FrameworkVersion[];
  groups: { id: string; name: string; keyQuestionId: string | null; statements: { id: string; name: string }[] }[];
}

/** Every framework with its versions (rules parsed), groups and quality statements, in order. */
export const listFrameworks = read(['assessment_frameworks', 'framework_versions', 'framework_groups', 'quality_statements'], (db: Db): Framework[] => {
  const versions = db.all<{ id: string; frameworkId: string; name: string; effectiveFrom: string; effectiveTo: string | null; sourceUrl: string | null; rules: string }>(
    `SELECT id, framework_id AS frameworkId, name, effective_from AS effectiveFrom, effective_to AS effectiveTo, source_url AS sourceUrl, rules
     FROM framework_versions ORDER BY framework_id, effective_from`,
  );
  const groups = db.all<{ frameworkId: string; id: string; name: string; keyQuestionId: string | null }>(
    'SELECT framework_id AS frameworkId, id, name, key_question_id AS keyQuestionId FROM framework_groups ORDER BY framework_id, position',
  );
  const statements = db.all<{ frameworkId: string; groupId: string; id: string; name: string }>(
    'SELECT framework_id AS frameworkId, group_id AS groupId, id, name FROM quality_statements ORDER BY framework_id, group_id, position',
  );
  return db
    .all<{ id: string; name: string; regulator: string; subjectTypes: string; scaleId: string }>(
      'SELECT id, name, regulator, subject_types AS subjectTypes, scale_id AS scaleId FROM assessment_frameworks ORDER BY name',
    )
    .map((f) => ({
      ...f,
      subjectTypes: JSON.parse(f.subjectTypes) as string[],
      versions: versions.filter((v) => v.frameworkId === f.id).map((v) => ({ ...v, rules: parseRules(v.rules) })),
      groups: groups
        .filter((g) => g.frameworkId === f.id)
        .map((g) => ({ id: g.id, name: g.name, keyQuestionId: g.keyQuestionId, statements: statements.filter((s) => s.frameworkId === f.id && s.groupId === g.id).map((s) => ({ id: s.id, name: s.name })) })),
    }));
});

export const listEvidenceCategories = read(['evidence_categories'], (db: Db): { id: string; name: string }[] =>
  db.all('SELECT id, name FROM evidence_categories ORDER BY position'),
);

export const evidenceCategoryExists = read(['evidence_categories'], (db: Db, id: string): boolean => !!db.get('SELECT 1 FROM evidence_categories WHERE id = ?', [id]));

export const qualityStatementExists = read(['quality_statements'], (db: Db, id: string): boolean => !!db.get('SELECT 1 FROM quality_statements WHERE id = ?', [id]));

function frameworkOfVersion(db: Db, versionId: string): { framework: Framework; version: FrameworkVersion } | undefined {
  for (const f of listFrameworks(db)) {
    const v = f.versions.find((x) => x.id === versionId);
    if (v) return { framework: f, version: v };
  }
  return undefined;
}

// Assessments --------------------------------------------------------------------------------------------------------------
const teamMember = z.object({ name: requiredText(LIMITS.name), role: optionalText(LIMITS.name) });

export const AssessmentInput = z.object({
  id: z.string().min(1).max(200).optional(),
  subjectType: z.enum(ASSESSMENT_SUBJECTS),
  subjectId: requiredText(200),
  kind: requiredText(LIMITS.name),
  title: optionalText(LIMITS.title),
  /** Default: the version of the subject's framework in force on the first site visit (or today). */
  frameworkVersionId: z.string().min(1).optional(),
  siteVisits: z.array(isoDate).max(60).default([]),
  team: z.array(teamMember).max(60).default([]),
  leadInspector: optionalText(LIMITS.name),
  summary: optionalText(LIMITS.summary),
});
export type AssessmentInput = z.input<typeof AssessmentInput>;

export const AssessmentPatch = AssessmentInput.omit({ id: true, subjectType: true, subjectId: true }).partial().extend({
  siteVisits: z.array(isoDate).max(60).optional(),
  team: z.array(teamMember).max(60).optional(),
});
export type AssessmentPatch = z.input<typeof AssessmentPatch>;

export interface AssessmentRecord {
  id: string;
  frameworkVersionId: string;
  subjectType: (typeof ASSESSMENT_SUBJECTS)[number];
  subjectId: string;
  subjectName: string;
  kind: string;
  title: string | null;
  status: AssessmentStatus;
  siteVisits: string[];
  team: { name: string; role: string | null }[];
  leadInspector: string | null;
  summary: string | null;
  publishedOn: string | null;
  createdAt: string;
  updatedAt: string;
}

interface AssessmentRow {
  id: string;
  framework_version_id: string;
  subject_type: AssessmentRecord['subjectType'];
  subject_id: string;
  kind: string;
  title: string | null;
  status: AssessmentStatus;
  site_visits: string;
  team: string;
  lead_inspector: string | null;
  summary: string | null;
  published_on: string | null;
  created_at: string;
  updated_at: string;
}

function subjectNames(db: Db, rows: readonly { subject_type: string; subject_id: string }[]): Map<string, string> {
  const ids = (t: string) => rows.filter((r) => r.subject_type === t).map((r) => r.subject_id);
  const out = new Map<string, string>();
  for (const [t, names] of [
    ['location', locationNames(db, ids('location'))],
    ['provider', providerNames(db, ids('provider'))],
    ['local authority', localAuthorityNames(db, ids('local authority'))],
  ] as const) {
    for (const [id, name] of names) out.set(`${t}|${id}`, name);
  }
  return out;
}

function toAssessment(r: AssessmentRow, names: Map<string, string>): AssessmentRecord {
  return {
    id: r.id,
    frameworkVersionId: r.framework_version_id,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    subjectName: names.get(`${r.subject_type}|${r.subject_id}`) ?? r.subject_id,
    kind: r.kind,
    title: r.title,
    status: r.status,
    siteVisits: JSON.parse(r.site_visits) as string[],
    team: JSON.parse(r.team) as AssessmentRecord['team'],
    leadInspector: r.lead_inspector,
    summary: r.summary,
    publishedOn: r.published_on,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export const assessmentExists = read(['assessments'], (db: Db, id: string): boolean => !!db.get('SELECT 1 FROM assessments WHERE id = ?', [id]));

export const getAssessmentRecord = read(['assessments', 'locations', 'providers', 'local_authorities'], (db: Db, id: string): AssessmentRecord | undefined => {
  const r = db.get<AssessmentRow>('SELECT * FROM assessments WHERE id = ?', [id]);
  return r ? toAssessment(r, subjectNames(db, [r])) : undefined;
});

/** Assessments, latest first, optionally of one subject or in one status. */
export const listAssessments = read(
  ['assessments', 'locations', 'providers', 'local_authorities'],
  (db: Db, q: { subjectType?: string | undefined; subjectId?: string | undefined; status?: string | undefined; limit: number }): AssessmentRecord[] => {
    const c: string[] = [];
    const p: string[] = [];
    if (q.subjectType) (c.push('subject_type = ?'), p.push(q.subjectType));
    if (q.subjectId) (c.push('subject_id = ?'), p.push(q.subjectId));
    if (q.status) (c.push('status = ?'), p.push(q.status));
    const rows = db.all<AssessmentRow>(
      `SELECT * FROM assessments ${c.length ? `WHERE ${c.join(' AND ')}` : ''} ORDER BY coalesce(published_on, json_extract(site_visits, '$[0]'), created_at) DESC, id LIMIT ?`,
      [...p, q.limit],
    );
    const names = subjectNames(db, rows);
    return rows.map((r) => toAssessment(r, names));
  },
);

function checkSubject(db: Db, type: string, id: string): void {
  const known =
    type === 'location' ? locationNames(db, [id]).has(id) : type === 'provider' ? providerNames(db, [id]).has(id) : type === 'local authority' ? localAuthorityNames(db, [id]).has(id) : true;
  if (!known) throw invalidField('assessment', 'subjectId', `"${id}" is not a ${type} in this workspace`);
}

function chooseVersion(db: Db, subjectType: string, requested: string | undefined, on: string): string {
  const frameworks = listFrameworks(db);
  if (requested) {
    const found = frameworks.find((f) => f.versions.some((v) => v.id === requested));
    if (!found) throw invalidField('assessment', 'frameworkVersionId', `"${requested}" is not a framework version in this workspace`);
    if (!found.subjectTypes.includes(subjectType)) throw invalidField('assessment', 'frameworkVersionId', `${found.name} does not assess a ${subjectType}`);
    return requested;
  }
  const f = frameworks.find((x) => x.subjectTypes.includes(subjectType));
  const v = f ? versionOn(f.versions, on) : undefined;
  if (!f || !v) throw invalidField('assessment', 'frameworkVersionId', `no framework in this workspace assesses a ${subjectType} on ${on}; choose a version`);
  return v.id;
}

export function createAssessment(tx: Tx, input: AssessmentInput): AssessmentRecord {
  const a = parseInput('assessment', AssessmentInput, input);
  checkSubject(tx, a.subjectType, a.subjectId);
  const visits = [...a.siteVisits].sort();
  const versionId = chooseVersion(tx, a.subjectType, a.frameworkVersionId, visits[0] ?? tx.at.slice(0, 10));
  const id = a.id ?? newId();
  if (assessmentExists(tx, id)) throw new WorkspaceError('conflict', `assessment ${id} already exists`);
  tx.run(
    `INSERT INTO assessments(id, framework_version_id, subject_type, subject_id, kind, title, status, site_visits, team, lead_inspector, summary, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'planned', ?, ?, ?, ?, ?, ?)`,
    [id, versionId, a.subjectType, a.subjectId, a.kind, a.title ?? null, JSON.stringify(visits), JSON.stringify(a.team.map((t) => ({ name: t.name, role: t.role ?? null }))), a.leadInspector ?? null, a.summary ?? null, tx.at, tx.at],
  );
  const row = tx.get<AssessmentRow>('SELECT * FROM assessments WHERE id = ?', [id])!;
  audit(tx, 'assessment.add', 'assessments', id, null, row);
  tx.note({ table: 'assessments', op: 'insert', key: { id } });
  return getAssessmentRecord(tx, id)!;
}

function mustGet(db: Db, id: string): AssessmentRow {
  const r = db.get<AssessmentRow>('SELECT * FROM assessments WHERE id = ?', [id]);
  if (!r) throw new WorkspaceError('not-found-record', `assessment ${id} does not exist`);
  return r;
}

function refusePublished(r: AssessmentRow, what: string): void {
  if (r.status === 'published') {
    throw new WorkspaceError('conflict', `assessment ${r.id} is published: its ${what} can no longer change (correct a published rating instead, giving the reason)`, {
      fields: { status: 'is published' },
    });
  }
}

export function updateAssessment(tx: Tx, id: string, patch: AssessmentPatch): AssessmentRecord {
  const p = parseInput('assessment', AssessmentPatch, patch);
  const before = mustGet(tx, id);
  refusePublished(before, 'details');
  if (p.frameworkVersionId !== undefined && p.frameworkVersionId !== before.framework_version_id) {
    chooseVersion(tx, before.subject_type, p.frameworkVersionId, '');
    if (tx.get('SELECT 1 FROM assessment_scores WHERE assessment_id = ?', [id])) {
      throw invalidField('assessment', 'frameworkVersionId', 'cannot change once quality statements are scored');
    }
  }
  const team = p.team ? JSON.stringify(p.team.map((t) => ({ name: t.name, role: t.role ?? null }))) : before.team;
  tx.run(
    'UPDATE assessments SET framework_version_id = ?, kind = ?, title = ?, site_visits = ?, team = ?, lead_inspector = ?, summary = ?, updated_at = ? WHERE id = ?',
    [
      p.frameworkVersionId ?? before.framework_version_id,
      p.kind ?? before.kind,
      p.title === undefined ? before.title : p.title,
      p.siteVisits ? JSON.stringify([...p.siteVisits].sort()) : before.site_visits,
      team,
      p.leadInspector === undefined ? before.lead_inspector : p.leadInspector,
      p.summary === undefined ? before.summary : p.summary,
      tx.at,
      id,
    ],
  );
  const after = mustGet(tx, id);
  audit(tx, 'assessment.update', 'assessments', id, before, after);
  tx.note({ table: 'assessments', op: 'update', key: { id } });
  return getAssessmentRecord(tx, id)!;
}

/**
 * Moves an assessment one step along planned → in progress → draft report → in moderation, or one step back (a
 * moderator returning a report). Publishing is its own request: it writes ratings.
 */
export function setAssessmentStatus(tx: Tx, id: string, status: AssessmentStatus): AssessmentRecord {
  const before = mustGet(tx, id);
  refusePublished(before, 'status');
  if (status === 'published') throw invalidField('assessment', 'status', 'publish the assessment with its own request, which writes its ratings');
  const from = ASSESSMENT_STATUSES.indexOf(before.status);
  const to = ASSESSMENT_STATUSES.indexOf(status);
  if (to < 0) throw invalidField('assessment', 'status', `must be one of: ${ASSESSMENT_STATUSES.join(', ')}`);
  if (Math.abs(to - from) !== 1) throw invalidField('assessment', 'status', `cannot go from ${before.status} to ${status}: move one step at a time`);
  tx.run('UPDATE assessments SET status = ?, updated_at = ? WHERE id = ?', [status, tx.at, id]);
  audit(tx, 'assessment.status', 'assessments', id, { status: before.status }, { status });
  tx.note({ table: 'assessments', op: 'update', key: { id } });
  return getAssessmentRecord(tx, id)!;
}

// Scores and draft ratings ----------------------------------------------------------------------------------------------
export const ScoresInput = z.object({
  scores: z
    .array(
      z.object({
        statementId: z.string().min(1),
        /** The statement's own score; null clears it. */
        score: z.number().nullable().optional(),
        /** Scores per evidence category, where the framework version scores them; a null clears one. */
        categories: z.record(z.string(), z.number().nullable()).optional(),
        note: optionalText(LIMITS.summary),
      }),
    )
    .min(1, 'must give at least one score')
    .max(200),
});
export type ScoresInput = z.input<typeof ScoresInput>;

function scoreInputOf(db: Db, id: string): { statements: Map<string, number>; categories: Map<string, Map<string, number>> } {
  const statements = new Map<string, number>();
  for (const r of db.all<{ s: string; score: number }>('SELECT quality_statement_id AS s, score FROM assessment_scores WHERE assessment_id = ? AND derived = 0', [id])) statements.set(r.s, r.score);
  const categories = new Map<string, Map<string, number>>();
  for (const r of db.all<{ s: string; c: string; score: number }>(
    'SELECT quality_statement_id AS s, evidence_category_id AS c, score FROM assessment_category_scores WHERE assessment_id = ?',
    [id],
  )) {
    const m = categories.get(r.s) ?? new Map<string, number>();
    m.set(r.c, r.score);
    categories.set(r.s, m);
  }
  return { statements, categories };
}

/** What an assessment's scores give under its version's rules (nothing is stored by this). */
export const scoreAssessment = read(
  ['assessments', 'assessment_scores', 'assessment_category_scores', 'assessment_frameworks', 'framework_versions', 'framework_groups', 'quality_statements'],
  (db: Db, id: string): { framework: Framework; version: FrameworkVersion; result: ScoreResult } => {
    const a = mustGet(db, id);
    const fv = frameworkOfVersion(db, a.framework_version_id);
    if (!fv) throw new WorkspaceError('invalid', `assessment ${id}: framework version ${a.framework_version_id} is missing`);
    return { ...fv, result: applyRules(fv.version.rules, fv.framework, scoreInputOf(db, id)) };
  },
);

/** Stores derived statement scores and the computed ratings after a change of scores; overrides are kept. */
function recompute(tx: Tx, id: string): void {
  const { framework, result } = scoreAssessment(tx, id);
  tx.run('DELETE FROM assessment_scores WHERE assessment_id = ? AND derived = 1', [id]);
  for (const s of result.statements.filter((x) => x.derived)) {
    tx.run('INSERT OR REPLACE INTO assessment_scores(assessment_id, quality_statement_id, score, derived, updated_at) VALUES (?, ?, ?, 1, ?)', [id, s.id, s.score, tx.at]);
  }
  const computed = new Map<string, { rating: string | null; percent: number | null }>();
  for (const g of result.groups) {
    const kq = framework.groups.find((x) => x.id === g.id)?.keyQuestionId;
    if (kq) computed.set(kq, { rating: g.rating, percent: g.percent });
  }
  const overallKq = overallKeyQuestionOf(tx, framework.scaleId);
  if (overallKq) computed.set(overallKq, { rating: result.overall.rating, percent: result.overall.percent });
  for (const [kq, c] of computed) {
    const held = tx.get<{ reason: string | null }>('SELECT reason FROM assessment_ratings WHERE assessment_id = ? AND key_question_id = ?', [id, kq]);
    if (held?.reason) {
      tx.run('UPDATE assessment_ratings SET computed = ?, score_percent = ?, updated_at = ? WHERE assessment_id = ? AND key_question_id = ?', [c.rating, c.percent, tx.at, id, kq]);
    } else if (c.rating) {
      tx.run('INSERT OR REPLACE INTO assessment_ratings(assessment_id, key_question_id, computed, score_percent, rating, reason, updated_at) VALUES (?, ?, ?, ?, ?, NULL, ?)', [
        id,
        kq,
        c.rating,
        c.percent,
        c.rating,
        tx.at,
      ]);
    } else {
      tx.run('DELETE FROM assessment_ratings WHERE assessment_id = ? AND key_question_id = ?', [id, kq]);
    }
  }
}

/** Sets quality statement (and evidence category) scores; the computed draft ratings follow the framework's rules. */
export function setScores(tx: Tx, id: string, input: ScoresInput): ScoreResult {
  const s = parseInput('scores', ScoresInput, input);
  const a = mustGet(tx, id);
  refusePublished(a, 'scores');
  const fv = frameworkOfVersion(tx, a.framework_version_id)!;
  const statementIds = new Set(fv.framework.groups.flatMap((g) => g.statements.map((x) => x.id)));
  const fields: Record<string, string> = {};
  s.scores.forEach((e, i) => {
    if (!statementIds.has(e.statementId)) fields[`scores.${i}.statementId`] = `"${e.statementId}" is not a quality statement of ${fv.framework.name}`;
    if (e.score !== undefined && e.score !== null) {
      const problem = scoreProblem(fv.version.rules, e.score);
      if (problem) fields[`scores.${i}.score`] = problem;
    }
    if (e.categories && Object.keys(e.categories).length) {
      if (fv.version.rules.statement.basis !== 'evidence categories') fields[`scores.${i}.categories`] = `${fv.version.name} scores quality statements, not evidence categories`;
      for (const [c, v] of Object.entries(e.categories)) {
        if (!evidenceCategoryExists(tx, c)) fields[`scores.${i}.categories.${c}`] = `"${c}" is not an evidence category`;
        else if (v !== null && scoreProblem(fv.version.rules, v)) fields[`scores.${i}.categories.${c}`] = scoreProblem(fv.version.rules, v)!;
      }
    }
  });
  if (Object.keys(fields).length) {
    throw new WorkspaceError('invalid', `scores: ${Object.entries(fields).map(([k, v]) => `${k} ${v}`).join('; ')}`, { fields });
  }
  const before = scoreInputOf(tx, id);
  for (const e of s.scores) {
    if (e.score === null) tx.run('DELETE FROM assessment_scores WHERE assessment_id = ? AND quality_statement_id = ?', [id, e.statementId]);
    else if (e.score !== undefined) {
      tx.run('INSERT OR REPLACE INTO assessment_scores(assessment_id, quality_statement_id, score, derived, note, updated_at) VALUES (?, ?, ?, 0, ?, ?)', [id, e.statementId, e.score, e.note ?? null, tx.at]);
    }
    for (const [c, v] of Object.entries(e.categories ?? {})) {
      if (v === null) tx.run('DELETE FROM assessment_category_scores WHERE assessment_id = ? AND quality_statement_id = ? AND evidence_category_id = ?', [id, e.statementId, c]);
      else {
        tx.run('INSERT OR REPLACE INTO assessment_category_scores(assessment_id, quality_statement_id, evidence_category_id, score, updated_at) VALUES (?, ?, ?, ?, ?)', [id, e.statementId, c, v, tx.at]);
      }
    }
  }
  recompute(tx, id);
  tx.run('UPDATE assessments SET updated_at = ? WHERE id = ?', [tx.at, id]);
  const after = scoreInputOf(tx, id);
  audit(tx, 'assessment.scores', 'assessments', id, { statements: Object.fromEntries(before.statements) }, { statements: Object.fromEntries(after.statements), scores: s.scores });
  tx.note({ table: 'assessment_scores', op: 'update', key: { assessment_id: id } });
  return scoreAssessment(tx, id).result;
}

export const DraftRatingsInput = z.object({
  ratings: z
    .array(
      z.object({
        keyQuestionId: z.string().min(1),
        /** The team's rating; null returns to the rating the rules compute. */
        rating: z.string().min(1).nullable(),
        /** Required when the rating differs from the computed one: the professional judgement behind it. */
        reason: optionalText(LIMITS.summary),
      }),
    )
    .min(1, 'must give at least one rating'),
});
export type DraftRatingsInput = z.input<typeof DraftRatingsInput>;

export interface DraftRating {
  keyQuestionId: string;
  computed: string | null;
  scorePercent: number | null;
  rating: string;
  reason: string | null;
}

export const draftRatingsOf = read(['assessment_ratings'], (db: Db, id: string): DraftRating[] =>
  db.all<DraftRating>(
    'SELECT key_question_id AS keyQuestionId, computed, score_percent AS scorePercent, rating, reason FROM assessment_ratings WHERE assessment_id = ? ORDER BY key_question_id',
    [id],
  ),
);

/** Sets the team's draft ratings; one that departs from the rules' rating needs its reason. */
export function setDraftRatings(tx: Tx, id: string, input: DraftRatingsInput): DraftRating[] {
  const d = parseInput('draft ratings', DraftRatingsInput, input);
  const a = mustGet(tx, id);
  refusePublished(a, 'ratings');
  const fv = frameworkOfVersion(tx, a.framework_version_id)!;
  const allowed = new Set(fv.framework.groups.map((g) => g.keyQuestionId).filter((x): x is string => !!x));
  const overall = overallKeyQuestionOf(tx, fv.framework.scaleId);
  if (overall) allowed.add(overall);
  const labels = scaleLabels(tx, fv.framework.scaleId);
  const fields: Record<string, string> = {};
  const held = new Map(draftRatingsOf(tx, id).map((r) => [r.keyQuestionId, r]));
  d.ratings.forEach((r, i) => {
    if (!allowed.has(r.keyQuestionId)) fields[`ratings.${i}.keyQuestionId`] = `"${r.keyQuestionId}" is not rated under ${fv.framework.name}`;
    if (r.rating !== null && !labels.includes(r.rating)) fields[`ratings.${i}.rating`] = `must be one of: ${labels.join(', ')}`;
    const computed = held.get(r.keyQuestionId)?.computed ?? null;
    if (r.rating !== null && r.rating !== computed && !r.reason?.trim()) fields[`ratings.${i}.reason`] = `must say why the rating differs from ${computed ?? 'the scores (none computed yet)'}`;
  });
  if (Object.keys(fields).length) throw new WorkspaceError('invalid', `draft ratings: ${Object.entries(fields).map(([k, v]) => `${k} ${v}`).join('; ')}`, { fields });
  for (const r of d.ratings) {
    const h = held.get(r.keyQuestionId);
    if (r.rating === null) {
      if (h?.computed) tx.run('UPDATE assessment_ratings SET rating = computed, reason = NULL, updated_at = ? WHERE assessment_id = ? AND key_question_id = ?', [tx.at, id, r.keyQuestionId]);
      else tx.run('DELETE FROM assessment_ratings WHERE assessment_id = ? AND key_question_id = ?', [id, r.keyQuestionId]);
    } else {
      const reason = r.rating === (h?.computed ?? null) ? null : r.reason!.trim();
      tx.run('INSERT OR REPLACE INTO assessment_ratings(assessment_id, key_question_id, computed, score_percent, rating, reason, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        id,
        r.keyQuestionId,
        h?.computed ?? null,
        h?.scorePercent ?? null,
        r.rating,
        reason,
        tx.at,
      ]);
    }
  }
  const after = draftRatingsOf(tx, id);
  audit(tx, 'assessment.ratings', 'assessments', id, [...held.values()], after);
  tx.note({ table: 'assessment_ratings', op: 'update', key: { assessment_id: id } });
  return after;
}

/**
 * Publishes an assessment that has been through moderation: every key question its framework rates, and the overall
 * rating, must have a draft rating. A location's ratings are written to the ratings table, dated `publishedOn`, in this
 * same transaction; other subjects' ratings are published on the assessment itself.
 */
export function publishAssessment(tx: Tx, id: string, publishedOn: string): AssessmentRecord {
  const date = parseInput('publication', z.object({ publishedOn: isoDate }), { publishedOn }).publishedOn;
  const a = mustGet(tx, id);
  refusePublished(a, 'ratings');
  if (a.status !== 'in moderation') throw invalidField('assessment', 'status', `must be in moderation before it is published (it is ${a.status})`);
  const fv = frameworkOfVersion(tx, a.framework_version_id)!;
  const drafts = new Map(draftRatingsOf(tx, id).map((r) => [r.keyQuestionId, r]));
  const needed = fv.framework.groups.map((g) => g.keyQuestionId).filter((x): x is string => !!x);
  const overall = overallKeyQuestionOf(tx, fv.framework.scaleId);
  if (overall) needed.push(overall);
  const missing = needed.filter((k) => !drafts.has(k));
  if (missing.length) throw invalidField('assessment', 'ratings', `has no rating yet for: ${missing.join(', ')}`);
  if (a.subject_type === 'location') {
    publishRatings(
      tx,
      needed.map((k) => ({ locationId: a.subject_id, keyQuestionId: k, rating: drafts.get(k)!.rating, publishedOn: date, assessmentId: id, reportType: a.kind })),
    );
  }
  tx.run("UPDATE assessments SET status = 'published', published_on = ?, updated_at = ? WHERE id = ?", [date, tx.at, id]);
  audit(tx, 'assessment.publish', 'assessments', id, { status: a.status }, { status: 'published', publishedOn: date, ratings: Object.fromEntries([...drafts].map(([k, v]) => [k, v.rating])) });
  tx.note({ table: 'assessments', op: 'update', key: { id } });
  return getAssessmentRecord(tx, id)!;
}

// Reads for figures' tests and the demo -------------------------------------------------------------------------------------
/** Every statement score of published assessments, with the subject: what the demo's checks compare figures with. */
export const publishedStatementScores = read(['assessments', 'assessment_scores'], (db: Db): { assessmentId: string; subjectType: string; subjectId: string; statementId: string; score: number }[] =>
  db.all(
    `SELECT a.id AS assessmentId, a.subject_type AS subjectType, a.subject_id AS subjectId, s.quality_statement_id AS statementId, s.score
     FROM assessments a JOIN assessment_scores s ON s.assessment_id = a.id WHERE a.status = 'published' ORDER BY a.id, s.quality_statement_id`,
  ),
);

/** The subjects of every assessment of a kind (their ids): what a merge needs of the register for them. */
export const assessedSubjects = read(['assessments'], (db: Db, subjectType: AssessmentRecord['subjectType']): string[] =>
  db.all<{ id: string }>('SELECT DISTINCT subject_id AS id FROM assessments WHERE subject_type = ?', [subjectType]).map((r) => r.id),
);

export const countAssessments = read(['assessments'], (db: Db): number => Number(db.get<{ n: number }>('SELECT count(*) AS n FROM assessments')?.n ?? 0));

/** The scores an assessment holds, as stored: each statement's (derived or given) and each evidence category's. */
export const storedScores = read(['assessment_scores', 'assessment_category_scores'], (db: Db, id: string) => ({
  scores: db
    .all<{ statementId: string; score: number; derived: number; note: string | null }>(
      'SELECT quality_statement_id AS statementId, score, derived, note FROM assessment_scores WHERE assessment_id = ? ORDER BY quality_statement_id',
      [id],
    )
    .map((r) => ({ ...r, derived: r.derived === 1 })),
  categories: db.all<{ statementId: string; categoryId: string; score: number }>(
    'SELECT quality_statement_id AS statementId, evidence_category_id AS categoryId, score FROM assessment_category_scores WHERE assessment_id = ? ORDER BY quality_statement_id, evidence_category_id',
    [id],
  ),
}));
