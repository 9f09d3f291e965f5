import { z } from 'zod';
import type { SqlValue, Tx, Workspace } from './workspace';
import { audit } from './audit';
import { invalidField, WorkspaceError } from './errors';
import { isoDate, nonEmpty, parseInput } from './validate';
import { eachRow, insertRows, placeholders, read, type Db } from './query';
import { locationExists } from './locations';

/**
 * Ratings and the scales they are given on: rating_scales, rating_values, key_questions and ratings. Scales are data,
 * not code, so another regulator's fits without changes here.
 */

export interface RatingRecord {
  id: number;
  locationId: string;
  serviceGroup: string;
  keyQuestionId: string;
  rating: string;
  publishedOn: string;
  reportType: string | null;
  inherited: boolean;
  inspectionId: string | null;
  importId: string | null;
  updatedAt: string;
}

interface RatingRow {
  id: number;
  location_id: string;
  service_group: string;
  key_question_id: string;
  rating: string;
  published_on: string;
  report_type: string | null;
  inherited: number;
  inspection_id: string | null;
  import_id: string | null;
  updated_at: string;
}

function toRating(r: RatingRow): RatingRecord {
  return {
    id: r.id,
    locationId: r.location_id,
    serviceGroup: r.service_group,
    keyQuestionId: r.key_question_id,
    rating: r.rating,
    publishedOn: r.published_on,
    reportType: r.report_type,
    inherited: r.inherited === 1,
    inspectionId: r.inspection_id,
    importId: r.import_id,
    updatedAt: r.updated_at,
  };
}

/** The note a rating write leaves: the figure index and the location list patch just the series it names. */
function ratingKey(r: Pick<RatingRow, 'location_id' | 'key_question_id' | 'service_group'>): Record<string, SqlValue> {
  return { location_id: r.location_id, key_question_id: r.key_question_id, service_group: r.service_group };
}

// Scales --------------------------------------------------------------------------------------------------------------
/** A rating scale with its values (best first; null ranks are statuses outside the scale) and key questions. */
export interface ScaleDef {
  id: string;
  name: string;
  regulator: string;
  isDefault: boolean;
  values: { label: string; rank: number | null; colour?: string }[];
  keyQuestions: { id: string; name: string; isOverall?: boolean }[];
}

export function insertScale(tx: Tx, scale: ScaleDef): void {
  tx.run('INSERT INTO rating_scales(id, name, regulator, is_default) VALUES (?, ?, ?, ?)', [scale.id, scale.name, scale.regulator, scale.isDefault ? 1 : 0]);
  for (const v of scale.values) {
    tx.run('INSERT INTO rating_values(scale_id, label, rank, on_scale, colour) VALUES (?, ?, ?, ?, ?)', [scale.id, v.label, v.rank, v.rank === null ? 0 : 1, v.colour ?? null]);
  }
  scale.keyQuestions.forEach((kq, i) => {
    tx.run('INSERT INTO key_questions(id, scale_id, name, position, is_overall) VALUES (?, ?, ?, ?, ?)', [kq.id, scale.id, kq.name, i + 1, kq.isOverall ? 1 : 0]);
  });
}

export const hasRatingScale = read(['rating_scales'], (db: Db): boolean => !!db.get('SELECT 1 FROM rating_scales LIMIT 1'));

export const listKeyQuestions = read(['key_questions'], (db: Db): { id: string; name: string; scaleId: string }[] =>
  db.all('SELECT id, name, scale_id AS scaleId FROM key_questions ORDER BY scale_id, position'),
);

export const listRatingValues = read(['rating_values'], (db: Db): { scaleId: string; label: string; rank: number | null; onScale: boolean }[] =>
  db
    .all<{ scaleId: string; label: string; rank: number | null; onScale: number }>(
      'SELECT scale_id AS scaleId, label, rank, on_scale AS onScale FROM rating_values ORDER BY scale_id, rank IS NULL, rank, label',
    )
    .map((r) => ({ ...r, onScale: r.onScale === 1 })),
);

/**
 * The scale a CQC file is read against: CQC's own, else the workspace's default, with its key questions in order and
 * its labels best first. Undefined when the workspace has no scale.
 */
export const importScale = read(['rating_scales', 'key_questions', 'rating_values'], (db: Db): { keyQuestions: { id: string; name: string }[]; ratingLabels: string[] } | undefined => {
  const scale =
    db.get<{ id: string }>("SELECT id FROM rating_scales WHERE id = 'cqc'")?.id ?? db.get<{ id: string }>('SELECT id FROM rating_scales WHERE is_default = 1 ORDER BY id LIMIT 1')?.id;
  if (!scale) return undefined;
  return {
    keyQuestions: db.all<{ id: string; name: string }>('SELECT id, name FROM key_questions WHERE scale_id = ? ORDER BY position', [scale]),
    ratingLabels: db.all<{ label: string }>('SELECT label FROM rating_values WHERE scale_id = ? ORDER BY rank IS NULL, rank', [scale]).map((r) => r.label),
  };
});

/** The key questions that carry a location's overall rating, and the rank of each label on their scales. */
export const overallScale = read(['key_questions', 'rating_values'], (db: Db): { keyQuestionIds: string[]; ranks: Map<string, number | null> } => {
  const keyQuestionIds = db.all<{ id: string }>('SELECT id FROM key_questions WHERE is_overall = 1').map((k) => k.id);
  const ranks = new Map<string, number | null>();
  for (const v of db.all<{ label: string; rank: number | null }>(
    'SELECT rv.label, rv.rank FROM rating_values rv JOIN key_questions kq ON kq.scale_id = rv.scale_id AND kq.is_overall = 1',
  )) {
    if (!ranks.has(v.label)) ranks.set(v.label, v.rank);
  }
  return { keyQuestionIds, ranks };
});

/** The labels of a scale that count in shares (on the scale, not "Insufficient evidence to rate" and the like). */
export const onScaleLabels = read(['rating_values'], (db: Db, scaleId: string): Set<string> =>
  new Set(db.all<{ label: string }>('SELECT label FROM rating_values WHERE scale_id = ? AND on_scale = 1', [scaleId]).map((r) => r.label)),
);

/** Checks that a rating label belongs to the scale of the key question, on or off the scale. */
function checkRatingLabel(tx: Db, keyQuestionId: string, rating: string): void {
  const kq = tx.get<{ scale_id: string }>('SELECT scale_id FROM key_questions WHERE id = ?', [keyQuestionId]);
  if (!kq) throw invalidField('rating', 'keyQuestionId', `"${keyQuestionId}" is not a key question in this workspace`);
  const ok = tx.get('SELECT 1 FROM rating_values WHERE scale_id = ? AND label = ?', [kq.scale_id, rating]);
  if (!ok) {
    const labels = tx.all<{ label: string }>('SELECT label FROM rating_values WHERE scale_id = ? ORDER BY rank IS NULL, rank', [kq.scale_id]);
    const problem = `"${rating}" is not a rating on the ${kq.scale_id} scale (expected one of: ${labels.map((l) => l.label).join(', ')})`;
    throw new WorkspaceError('invalid', `rating: ${problem}`, { fields: { rating: problem } });
  }
}

// Ratings: one at a time ------------------------------------------------------------------------------------------------
export const RatingInput = z.object({
  locationId: nonEmpty,
  serviceGroup: nonEmpty.default('Overall'),
  keyQuestionId: nonEmpty,
  rating: nonEmpty,
  publishedOn: isoDate,
  reportType: z.string().nullish(),
  inherited: z.boolean().default(false),
  inspectionId: z.string().nullish(),
  importId: z.string().nullish(),
});
export type RatingInput = z.input<typeof RatingInput>;

export const RatingPatch = z.object({
  rating: nonEmpty.optional(),
  publishedOn: isoDate.optional(),
  reportType: z.string().nullish(),
});
export type RatingPatch = z.input<typeof RatingPatch>;

export function addRating(tx: Tx, input: RatingInput): RatingRecord {
  const r = parseInput('rating', RatingInput, input);
  if (!locationExists(tx, r.locationId)) throw invalidField('rating', 'locationId', `"${r.locationId}" is not a location in this workspace`);
  checkRatingLabel(tx, r.keyQuestionId, r.rating);
  const key = [r.locationId, r.serviceGroup, r.keyQuestionId, r.publishedOn];
  if (tx.get('SELECT id FROM ratings WHERE location_id = ? AND service_group = ? AND key_question_id = ? AND published_on = ?', key)) {
    throw new WorkspaceError(
      'conflict',
      `rating: ${r.locationId} already has a ${r.keyQuestionId} rating for ${r.serviceGroup} published on ${r.publishedOn}; edit that one instead`,
    );
  }
  tx.run(
    `INSERT INTO ratings(location_id, service_group, key_question_id, rating, published_on, report_type, inherited, inspection_id, import_id, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [r.locationId, r.serviceGroup, r.keyQuestionId, r.rating, r.publishedOn, r.reportType ?? null, r.inherited ? 1 : 0, r.inspectionId ?? null, r.importId ?? null, tx.at],
  );
  const row = tx.get<RatingRow>('SELECT * FROM ratings WHERE location_id = ? AND service_group = ? AND key_question_id = ? AND published_on = ?', key)!;
  audit(tx, 'rating.add', 'ratings', row.id, null, row);
  tx.note({ table: 'ratings', op: 'insert', key: ratingKey(row) });
  return toRating(row);
}

export function updateRating(tx: Tx, id: number, patch: RatingPatch): RatingRecord {
  const p = parseInput('rating', RatingPatch, patch);
  const before = tx.get<RatingRow>('SELECT * FROM ratings WHERE id = ?', [id]);
  if (!before) throw new WorkspaceError('not-found-record', `rating ${id} does not exist`);
  if (p.rating !== undefined) checkRatingLabel(tx, before.key_question_id, p.rating);
  tx.run('UPDATE ratings SET rating = ?, published_on = ?, report_type = ?, updated_at = ? WHERE id = ?', [
    p.rating ?? before.rating,
    p.publishedOn ?? before.published_on,
    p.reportType === undefined ? before.report_type : p.reportType,
    tx.at,
    id,
  ]);
  const after = tx.get<RatingRow>('SELECT * FROM ratings WHERE id = ?', [id])!;
  audit(tx, 'rating.update', 'ratings', id, before, after);
  tx.note({ table: 'ratings', op: 'update', key: ratingKey(after) });
  return toRating(after);
}

export function deleteRating(tx: Tx, id: number): void {
  const before = tx.get<RatingRow>('SELECT * FROM ratings WHERE id = ?', [id]);
  if (!before) throw new WorkspaceError('not-found-record', `rating ${id} does not exist`);
  tx.run('DELETE FROM ratings WHERE id = ?', [id]);
  audit(tx, 'rating.delete', 'ratings', id, before, null);
  tx.note({ table: 'ratings', op: 'delete', key: ratingKey(before) });
}

// Reads for screens ------------------------------------------------------------------------------------------------------
/** A rating as a location's history lists it, with its key question's name. */
export interface RatingHistoryEntry {
  id: number;
  keyQuestionId: string;
  keyQuestion: string;
  serviceGroup: string;
  rating: string;
  publishedOn: string;
  importId: string | null;
}

const HISTORY = `SELECT r.id AS id, r.key_question_id AS keyQuestionId, kq.name AS keyQuestion, r.service_group AS serviceGroup, r.rating AS rating,
                        r.published_on AS publishedOn, r.import_id AS importId
                 FROM ratings r JOIN key_questions kq ON kq.id = r.key_question_id`;

export const ratingHistoryEntry = read(['ratings', 'key_questions'], (db: Db, id: number): RatingHistoryEntry | undefined =>
  db.get<RatingHistoryEntry>(`${HISTORY} WHERE r.id = ?`, [id]),
);

/** A location's ratings, newest first. */
export const ratingHistory = read(['ratings', 'key_questions'], (db: Db, locationId: string): RatingHistoryEntry[] =>
  db.all<RatingHistoryEntry>(`${HISTORY} WHERE r.location_id = ? ORDER BY r.published_on DESC, r.service_group, kq.position`, [locationId]),
);

/**
 * The latest rating of each location and service group for one key question as at a date: the series State of Care
 * counts. Visits location, service group and rating.
 */
export const eachLatestRating = read(
  ['ratings'],
  (ws: Pick<Workspace, 'db'>, q: { keyQuestionId: string; asAt: string }, visit: (locationId: string, serviceGroup: string, rating: string) => void): void => {
    eachRow(
      ws,
      `WITH latest AS (
         SELECT location_id, service_group, max(published_on) AS published_on FROM ratings
         WHERE key_question_id = ? AND published_on <= ? GROUP BY location_id, service_group)
       SELECT r.location_id, r.service_group, r.rating FROM latest x
       JOIN ratings r ON r.location_id = x.location_id AND r.service_group = x.service_group AND r.key_question_id = ? AND r.published_on = x.published_on`,
      [q.keyQuestionId, q.asAt, q.keyQuestionId],
      (v) => visit(v[0] as string, v[1] as string, v[2] as string),
    );
  },
);

export const countRatings = read(['ratings'], (db: Db): number => Number(db.get<{ n: number }>('SELECT count(*) AS n FROM ratings')?.n ?? 0));

/**
 * Some ratings by id order, for benchmarks that change a few: every `every`-th id, with one of these labels, published
 * in a window.
 */
export const sampleRatings = read(
  ['ratings'],
  (db: Db, q: { limit: number; every?: number; ratings?: readonly string[]; publishedFrom?: string; publishedTo?: string }): { id: number; rating: string }[] => {
    const c: string[] = [];
    const p: SqlValue[] = [];
    if (q.every) {
      c.push('id % ? = 0');
      p.push(q.every);
    }
    if (q.ratings?.length) {
      c.push(`rating IN (${placeholders(q.ratings.length)})`);
      p.push(...q.ratings);
    }
    if (q.publishedFrom) {
      c.push('published_on >= ?');
      p.push(q.publishedFrom);
    }
    if (q.publishedTo) {
      c.push('published_on <= ?');
      p.push(q.publishedTo);
    }
    return db.all<{ id: number; rating: string }>(`SELECT id, rating FROM ratings ${c.length ? `WHERE ${c.join(' AND ')}` : ''} ORDER BY id LIMIT ?`, [...p, q.limit]);
  },
);

/** The locations ratings are about, once each: a merge brings their registration with them. */
export const ratedLocationIds = read(['ratings'], (db: Db): string[] => db.all<{ id: string }>('SELECT DISTINCT location_id AS id FROM ratings').map((r) => r.id));

// Bulk writes: imports and the demo --------------------------------------------------------------------------------------
/** Every rating, for an importer's plan: one whole-table read, never one SELECT per file row. */
export const allRatings = read(['ratings'], (db: Db): RatingRecord[] => db.all<RatingRow>('SELECT * FROM ratings').map(toRating));

/** A rating to add in bulk: its id is the workspace's to give. */
export type NewRating = Omit<RatingRecord, 'id'>;

const RATING_HEAD = 'INSERT INTO ratings(location_id, service_group, key_question_id, rating, published_on, report_type, inherited, inspection_id, import_id, updated_at)';

function newRatingValues(r: NewRating): SqlValue[] {
  return [r.locationId, r.serviceGroup, r.keyQuestionId, r.rating, r.publishedOn, r.reportType, r.inherited ? 1 : 0, r.inspectionId, r.importId, r.updatedAt];
}

/**
 * Adds ratings in bulk (imports, the demo). Not audited one by one: the import's own audit entry says what it added.
 * A generator is consumed as it goes, so a generated workspace never holds every rating twice.
 */
export function insertRatings(tx: Tx, ratings: Iterable<NewRating>): number {
  if (Array.isArray(ratings)) return insertRows(tx, RATING_HEAD, 10, (ratings as NewRating[]).map(newRatingValues));
  const it = ratings[Symbol.iterator]();
  function* values() {
    for (let n = it.next(); !n.done; n = it.next()) yield newRatingValues(n.value);
  }
  return tx.runMany(`${RATING_HEAD} VALUES (${placeholders(10)})`, values());
}

/**
 * A regulator correcting what it published: the same rating key with another rating, report type or inherited flag.
 * Each change is audited with the value it replaced, because that value may already have been quoted.
 */
export function correctRatings(tx: Tx, changes: readonly { before: RatingRecord; after: RatingRecord }[]): number {
  const n = tx.runMany(
    'UPDATE ratings SET rating = ?, report_type = ?, inherited = ?, import_id = ?, updated_at = ? WHERE id = ?',
    changes.map(({ after: a }) => [a.rating, a.reportType, a.inherited ? 1 : 0, a.importId, a.updatedAt, a.id]),
  );
  for (const { before: b, after: a } of changes) {
    audit(
      tx,
      'rating.correct',
      'ratings',
      b.id,
      {
        id: b.id,
        location_id: b.locationId,
        service_group: b.serviceGroup,
        key_question_id: b.keyQuestionId,
        published_on: b.publishedOn,
        rating: b.rating,
        report_type: b.reportType,
        inherited: b.inherited ? 1 : 0,
      },
      { rating: a.rating, report_type: a.reportType, inherited: a.inherited ? 1 : 0, import_id: a.importId },
    );
  }
  return n;
}

/**
 * Fills in the inherited flag of ratings whose source did not say (CQC's long layout has no such column, so those
 * ratings hold "no"). A file that says is filling a gap, not correcting anything published, so it is not audited as a
 * correction; the import's own audit entry counts it.
 */
export function fillInheritedFlags(tx: Tx, changes: readonly { id: number; inherited: boolean; updatedAt: string }[]): number {
  return tx.runMany(
    'UPDATE ratings SET inherited = ?, updated_at = ? WHERE id = ?',
    changes.map((c) => [c.inherited ? 1 : 0, c.updatedAt, c.id]),
  );
}

// Assessments: publication and corrections ------------------------------------------------------------------------------
/** A rating an assessment publishes: written to the ratings figures count, linked to the assessment. */
export interface PublishedRating {
  locationId: string;
  keyQuestionId: string;
  rating: string;
  publishedOn: string;
  assessmentId: string;
  reportType: string | null;
}

/**
 * Writes the ratings of a published assessment, as an import would, each checked against its key question's scale and
 * audited. A rating already published for the same location, key question and date is a conflict: the assessment's
 * ratings are then corrections, which need their own request and reason.
 */
export function publishRatings(tx: Tx, rows: readonly PublishedRating[]): RatingRecord[] {
  const out: RatingRecord[] = [];
  for (const r of rows) {
    checkRatingLabel(tx, r.keyQuestionId, r.rating);
    const key = [r.locationId, 'Overall', r.keyQuestionId, r.publishedOn];
    if (tx.get('SELECT id FROM ratings WHERE location_id = ? AND service_group = ? AND key_question_id = ? AND published_on = ?', key)) {
      throw new WorkspaceError('conflict', `rating: ${r.locationId} already has a ${r.keyQuestionId} rating published on ${r.publishedOn}; publish on another date or correct that rating`, {
        fields: { publishedOn: `a ${r.keyQuestionId} rating was already published on ${r.publishedOn}` },
      });
    }
    tx.run(
      `INSERT INTO ratings(location_id, service_group, key_question_id, rating, published_on, report_type, inherited, assessment_id, updated_at)
       VALUES (?, 'Overall', ?, ?, ?, ?, 0, ?, ?)`,
      [r.locationId, r.keyQuestionId, r.rating, r.publishedOn, r.reportType, r.assessmentId, tx.at],
    );
    const row = tx.get<RatingRow>('SELECT * FROM ratings WHERE location_id = ? AND service_group = ? AND key_question_id = ? AND published_on = ?', key)!;
    audit(tx, 'rating.publish', 'ratings', row.id, null, row);
    tx.note({ table: 'ratings', op: 'insert', key: ratingKey(row) });
    out.push(toRating(row));
  }
  return out;
}

export const CorrectionInput = z.object({
  rating: nonEmpty,
  reason: z.string().trim().min(1, 'must say why the published rating is corrected').max(2000),
});

/**
 * Corrects a published rating: a new label, with the reason, who and when, kept on the row (the "corrected" marker)
 * and in the audit log with the value it replaced, because that value may already have been quoted.
 */
export function correctRating(tx: Tx, id: number, input: z.input<typeof CorrectionInput>, by: string): RatingRecord & { correctedAt: string; correctionReason: string } {
  const c = parseInput('correction', CorrectionInput, input);
  const before = tx.get<RatingRow>('SELECT * FROM ratings WHERE id = ?', [id]);
  if (!before) throw new WorkspaceError('not-found-record', `rating ${id} does not exist`);
  checkRatingLabel(tx, before.key_question_id, c.rating);
  if (c.rating === before.rating) throw invalidField('correction', 'rating', `is already ${before.rating}`);
  tx.run('UPDATE ratings SET rating = ?, corrected_at = ?, corrected_by = ?, correction_reason = ?, updated_at = ? WHERE id = ?', [c.rating, tx.at, by, c.reason, tx.at, id]);
  const after = tx.get<RatingRow & { corrected_at: string; correction_reason: string }>('SELECT * FROM ratings WHERE id = ?', [id])!;
  audit(tx, 'rating.correct', 'ratings', id, before, after);
  tx.note({ table: 'ratings', op: 'update', key: ratingKey(after) });
  return { ...toRating(after), correctedAt: after.corrected_at, correctionReason: after.correction_reason };
}

/** The ratings an assessment published, with any correction since. */
export const ratingsOfAssessment = read(
  ['ratings', 'key_questions'],
  (db: Db, assessmentId: string): { id: number; keyQuestionId: string; keyQuestion: string; rating: string; publishedOn: string; correctedAt: string | null; correctionReason: string | null }[] =>
    db.all(
      `SELECT r.id, r.key_question_id AS keyQuestionId, kq.name AS keyQuestion, r.rating, r.published_on AS publishedOn, r.corrected_at AS correctedAt, r.correction_reason AS correctionReason
       FROM ratings r JOIN key_questions kq ON kq.id = r.key_question_id WHERE r.assessment_id = ? ORDER BY kq.position`,
      [assessmentId],
    ),
);

/** The labels of a scale, best first, and which count in shares: what a draft rating may be. */
export const scaleLabels = read(['rating_values'], (db: Db, scaleId: string): string[] =>
  db.all<{ label: string }>('SELECT label FROM rating_values WHERE scale_id = ? ORDER BY rank IS NULL, rank, label', [scaleId]).map((r) => r.label),
);

/** The key question that carries the overall rating on a scale. */
export const overallKeyQuestionOf = read(['key_questions'], (db: Db, scaleId: string): string | undefined =>
  db.get<{ id: string }>('SELECT id FROM key_questions WHERE scale_id = ? AND is_overall = 1 ORDER BY position LIMIT 1', [scaleId])?.id,
);

export const keyQuestionExists = read(['key_questions'], (db: Db, id: string): boolean => !!db.get('SELECT 1 FROM key_questions WHERE id = ?', [id]));
