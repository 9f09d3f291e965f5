import { z } from 'zod';
import type { Tx, SqlValue, Workspace } from './workspace';
import { audit } from './audit';
import { WorkspaceError } from './errors';
import { isoDate, nonEmpty, optionalText, parseInput, requiredText } from './validate';
import { LIMITS } from '../util/limits';
import { newId } from '../util/runtime';

/**
 * Typed repository functions. Each takes the transaction handle of one write, validates its input, writes, leaves an
 * audit entry and notes the row-level change so live figures can update only what it touched.
 */

// ---------------------------------------------------------------------------------------------------- ratings ------
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

export interface RatingRow {
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

/** Checks that a rating label belongs to the scale of the key question, on or off the scale. */
export function checkRatingLabel(tx: Pick<Tx, 'get'>, keyQuestionId: string, rating: string): void {
  const kq = tx.get<{ scale_id: string }>('SELECT scale_id FROM key_questions WHERE id = ?', [keyQuestionId]);
  if (!kq) throw new WorkspaceError('invalid', `rating: keyQuestionId "${keyQuestionId}" is not a key question in this workspace`);
  const ok = tx.get('SELECT 1 FROM rating_values WHERE scale_id = ? AND label = ?', [kq.scale_id, rating]);
  if (!ok) {
    const labels = (tx as Tx).all<{ label: string }>('SELECT label FROM rating_values WHERE scale_id = ? ORDER BY rank IS NULL, rank', [kq.scale_id]);
    throw new WorkspaceError(
      'invalid',
      `rating: "${rating}" is not a rating on the ${kq.scale_id} scale (expected one of: ${labels.map((l) => l.label).join(', ')})`,
    );
  }
}

function requireLocation(tx: Tx, id: string): void {
  if (!tx.get('SELECT 1 FROM locations WHERE id = ?', [id])) {
    throw new WorkspaceError('invalid', `rating: locationId "${id}" is not a location in this workspace`);
  }
}

export function addRating(tx: Tx, input: RatingInput): RatingRow {
  const r = parseInput('rating', RatingInput, input);
  requireLocation(tx, r.locationId);
  checkRatingLabel(tx, r.keyQuestionId, r.rating);
  const clash = tx.get('SELECT id FROM ratings WHERE location_id = ? AND service_group = ? AND key_question_id = ? AND published_on = ?', [
    r.locationId,
    r.serviceGroup,
    r.keyQuestionId,
    r.publishedOn,
  ]);
  if (clash) {
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
  const row = tx.get<RatingRow>(
    'SELECT * FROM ratings WHERE location_id = ? AND service_group = ? AND key_question_id = ? AND published_on = ?',
    [r.locationId, r.serviceGroup, r.keyQuestionId, r.publishedOn],
  )!;
  audit(tx, 'rating.add', 'ratings', row.id, null, row);
  tx.note({ table: 'ratings', op: 'insert', key: { location_id: row.location_id, key_question_id: row.key_question_id, service_group: row.service_group } });
  return row;
}

export const RatingPatch = z.object({
  rating: nonEmpty.optional(),
  publishedOn: isoDate.optional(),
  reportType: z.string().nullish(),
});
export type RatingPatch = z.input<typeof RatingPatch>;

export function updateRating(tx: Tx, id: number, patch: RatingPatch): RatingRow {
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
  tx.note({ table: 'ratings', op: 'update', key: { location_id: after.location_id, key_question_id: after.key_question_id, service_group: after.service_group } });
  return after;
}

export function deleteRating(tx: Tx, id: number): void {
  const before = tx.get<RatingRow>('SELECT * FROM ratings WHERE id = ?', [id]);
  if (!before) throw new WorkspaceError('not-found-record', `rating ${id} does not exist`);
  tx.run('DELETE FROM ratings WHERE id = ?', [id]);
  audit(tx, 'rating.delete', 'ratings', id, before, null);
  tx.note({ table: 'ratings', op: 'delete', key: { location_id: before.location_id, key_question_id: before.key_question_id, service_group: before.service_group } });
}

// ---------------------------------------------------------------------------------------------------- evidence -----
export const EVIDENCE_KINDS = ['document', 'interview', 'observation', 'dataset', 'survey', 'case file', 'meeting notes'] as const;
export const SENSITIVITIES = ['public', 'official', 'official-sensitive', 'personal'] as const;
/** Sensitivities that never appear in a public export. */
export const RESTRICTED_SENSITIVITIES: readonly string[] = ['official-sensitive', 'personal'];

export const EvidenceInput = z.object({
  id: z.string().optional(),
  kind: z.enum(EVIDENCE_KINDS),
  title: requiredText(LIMITS.title),
  reference: optionalText(LIMITS.reference),
  summary: optionalText(LIMITS.summary),
  collectedOn: isoDate.nullish(),
  collectedBy: optionalText(LIMITS.name),
  sensitivity: z.enum(SENSITIVITIES),
  attachmentHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest').nullish(),
  attachmentName: optionalText(LIMITS.fileName),
  areaReviewId: z.string().nullish(),
  locationId: z.string().nullish(),
  importId: z.string().nullish(),
});
export type EvidenceInput = z.input<typeof EvidenceInput>;

export interface EvidenceRow {
  id: string;
  kind: string;
  title: string;
  reference: string | null;
  summary: string | null;
  collected_on: string | null;
  collected_by: string | null;
  sensitivity: (typeof SENSITIVITIES)[number];
  attachment_hash: string | null;
  attachment_name: string | null;
  verified_by: string | null;
  verified_at: string | null;
  area_review_id: string | null;
  location_id: string | null;
  import_id: string | null;
  created_at: string;
  updated_at: string;
}

/** Stores attachment bytes once per content hash. The hash is computed by the caller (Node or Web Crypto). */
export function putAttachment(tx: Tx, a: { hash: string; bytes: Uint8Array; mediaType: string }): void {
  if (!/^[0-9a-f]{64}$/.test(a.hash)) throw new WorkspaceError('invalid', 'attachment: hash must be a sha256 hex digest');
  tx.run('INSERT OR IGNORE INTO attachments(hash, size, media_type, data, created_at) VALUES (?, ?, ?, ?, ?)', [
    a.hash,
    a.bytes.length,
    a.mediaType,
    a.bytes,
    tx.at,
  ]);
}

/** Inserts or updates an evidence source (by id). */
export function saveEvidence(tx: Tx, input: EvidenceInput): EvidenceRow {
  const e = parseInput('evidence', EvidenceInput, input);
  if (e.attachmentHash && !tx.get('SELECT 1 FROM attachments WHERE hash = ?', [e.attachmentHash])) {
    throw new WorkspaceError('invalid', 'evidence: attachmentHash names no stored attachment');
  }
  const id = e.id ?? newId();
  const before = tx.get<EvidenceRow>('SELECT * FROM evidence WHERE id = ?', [id]);
  const values: SqlValue[] = [
    e.kind,
    e.title,
    e.reference ?? null,
    e.summary ?? null,
    e.collectedOn ?? null,
    e.collectedBy ?? null,
    e.sensitivity,
    e.attachmentHash ?? null,
    e.attachmentName ?? null,
    e.areaReviewId ?? null,
    e.locationId ?? null,
  ];
  if (before) {
    tx.run(
      `UPDATE evidence SET kind = ?, title = ?, reference = ?, summary = ?, collected_on = ?, collected_by = ?, sensitivity = ?,
         attachment_hash = ?, attachment_name = ?, area_review_id = ?, location_id = ?, updated_at = ? WHERE id = ?`,
      [...values, tx.at, id],
    );
  } else {
    tx.run(
      `INSERT INTO evidence(kind, title, reference, summary, collected_on, collected_by, sensitivity, attachment_hash, attachment_name,
         area_review_id, location_id, import_id, id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [...values, e.importId ?? null, id, tx.at, tx.at],
    );
  }
  const after = tx.get<EvidenceRow>('SELECT * FROM evidence WHERE id = ?', [id])!;
  audit(tx, before ? 'evidence.update' : 'evidence.add', 'evidence', id, before ?? null, after);
  tx.note({ table: 'evidence', op: before ? 'update' : 'insert', key: { id } });
  return after;
}

export function verifyEvidence(tx: Tx, id: string, by: string): EvidenceRow {
  const before = tx.get<EvidenceRow>('SELECT * FROM evidence WHERE id = ?', [id]);
  if (!before) throw new WorkspaceError('not-found-record', `evidence ${id} does not exist`);
  tx.run('UPDATE evidence SET verified_by = ?, verified_at = ?, updated_at = ? WHERE id = ?', [by, tx.at, tx.at, id]);
  const after = tx.get<EvidenceRow>('SELECT * FROM evidence WHERE id = ?', [id])!;
  audit(tx, 'evidence.verify', 'evidence', id, before, after);
  tx.note({ table: 'evidence', op: 'update', key: { id } });
  return after;
}

// ---------------------------------------------------------------------------------------------------- findings -----
export const JUDGEMENTS = ['strength', 'concern', 'recommendation'] as const;
export const FINDING_STATUSES = ['draft', 'agreed', 'published', 'withdrawn'] as const;
export const SUBJECT_TYPES = ['location', 'provider', 'area review', 'national'] as const;

export const FindingInput = z
  .object({
    id: z.string().optional(),
    subjectType: z.enum(SUBJECT_TYPES),
    subjectId: z.string().nullish(),
    themeId: z.string().nullish(),
    judgement: z.enum(JUDGEMENTS),
    status: z.enum(FINDING_STATUSES).default('draft'),
    text: requiredText(LIMITS.findingText),
    author: optionalText(LIMITS.name),
    inspectionId: z.string().nullish(),
    evidenceIds: z.array(z.string()).optional(),
  })
  .refine((f) => f.subjectType === 'national' || !!f.subjectId, { message: 'needs a subjectId unless it is national', path: ['subjectId'] });
export type FindingInput = z.input<typeof FindingInput>;

export interface FindingRow {
  id: string;
  subject_type: string;
  subject_id: string | null;
  theme_id: string | null;
  judgement: string;
  status: string;
  text: string;
  author: string | null;
  inspection_id: string | null;
  created_at: string;
  updated_at: string;
}

const SUBJECT_TABLE: Record<string, string> = { location: 'locations', provider: 'providers', 'area review': 'area_reviews' };

export function saveFinding(tx: Tx, input: FindingInput): FindingRow {
  const f = parseInput('finding', FindingInput, input);
  const subjectTable = SUBJECT_TABLE[f.subjectType];
  if (subjectTable && !tx.get(`SELECT 1 FROM ${subjectTable} WHERE id = ?`, [f.subjectId ?? null])) {
    throw new WorkspaceError('invalid', `finding: subjectId "${f.subjectId}" is not a ${f.subjectType} in this workspace`);
  }
  if (f.themeId && !tx.get('SELECT 1 FROM themes WHERE id = ?', [f.themeId])) {
    throw new WorkspaceError('invalid', `finding: themeId "${f.themeId}" is not a theme in this workspace`);
  }
  const id = f.id ?? newId();
  const before = tx.get<FindingRow>('SELECT * FROM findings WHERE id = ?', [id]);
  const vals: SqlValue[] = [f.subjectType, f.subjectId ?? null, f.themeId ?? null, f.judgement, f.status, f.text, f.author ?? null, f.inspectionId ?? null];
  if (before) {
    tx.run(
      'UPDATE findings SET subject_type = ?, subject_id = ?, theme_id = ?, judgement = ?, status = ?, text = ?, author = ?, inspection_id = ?, updated_at = ? WHERE id = ?',
      [...vals, tx.at, id],
    );
  } else {
    tx.run(
      'INSERT INTO findings(subject_type, subject_id, theme_id, judgement, status, text, author, inspection_id, id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [...vals, id, tx.at, tx.at],
    );
  }
  if (f.evidenceIds) {
    for (const ev of f.evidenceIds) {
      if (!tx.get('SELECT 1 FROM evidence WHERE id = ?', [ev])) throw new WorkspaceError('invalid', `finding: evidence "${ev}" does not exist`);
    }
    tx.run('DELETE FROM finding_evidence WHERE finding_id = ?', [id]);
    for (const ev of f.evidenceIds) tx.run('INSERT INTO finding_evidence(finding_id, evidence_id) VALUES (?, ?)', [id, ev]);
  }
  const after = tx.get<FindingRow>('SELECT * FROM findings WHERE id = ?', [id])!;
  audit(tx, before ? 'finding.update' : 'finding.add', 'findings', id, before ?? null, { ...after, evidenceIds: f.evidenceIds });
  tx.note({ table: 'findings', op: before ? 'update' : 'insert', key: { id } });
  return after;
}

// ---------------------------------------------------------------------------------------------------- metadata -----
export function setMeta(tx: Tx, key: string, value: string): void {
  tx.run('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)', [key, value]);
}

/** Reads that many screens need. */
export function ratingById(ws: Workspace, id: number): RatingRow | undefined {
  return ws.get<RatingRow>('SELECT * FROM ratings WHERE id = ?', [id]);
}
