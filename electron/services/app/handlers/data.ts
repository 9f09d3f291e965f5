import { createHash } from 'node:crypto';
import type { RatingHistoryRow, RequestOutputs, RequestParsed } from '../../../../shared/ipc/contract';
import { addRating, putAttachment, saveEvidence, saveFinding, updateRating, verifyEvidence, type EvidenceRow } from '../../../../shared/store/repo';
import type { SqlValue, Workspace } from '../../../../shared/store/workspace';
import { checkAttachmentSize } from '../../../../shared/review/evidence';
import { AppError, notFound } from '../errors';
import type { PartialHandlerMap } from '../handler';

/** Attachments travel base64-encoded through IPC and JSON; beyond this they belong in a linked file, not the workspace. */

function likePattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function ratingHistoryRow(ws: Workspace, id: number): RatingHistoryRow {
  const row = ws.get<RatingHistoryRow>(
    `SELECT r.id AS id, r.key_question_id AS keyQuestionId, kq.name AS keyQuestion, r.service_group AS serviceGroup, r.rating AS rating,
            r.published_on AS publishedOn, r.import_id AS importId
     FROM ratings r JOIN key_questions kq ON kq.id = r.key_question_id WHERE r.id = ?`,
    [id],
  );
  if (!row) throw notFound('Rating', id);
  return row;
}

function evidenceListRow(e: EvidenceRow): RequestOutputs['evidence.list']['rows'][number] {
  return {
    id: e.id,
    kind: e.kind,
    title: e.title,
    reference: e.reference,
    summary: e.summary,
    collectedOn: e.collected_on,
    collectedBy: e.collected_by,
    sensitivity: e.sensitivity,
    attachmentName: e.attachment_name,
    attachmentHash: e.attachment_hash,
    verifiedBy: e.verified_by,
    verifiedAt: e.verified_at,
  };
}

function decodeAttachment(a: NonNullable<RequestParsed<'evidence.save'>['attachment']>): Uint8Array {
  const clean = a.base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
    throw new AppError('bad-request', 'The attachment could not be read: it is not base64-encoded.', { attachment: 'is not base64-encoded' });
  }
  const bytes = Buffer.from(clean, 'base64');
  // One limit for the whole app, with the register's own message (it says what to do instead).
  try {
    checkAttachmentSize(bytes.length, a.name);
  } catch (e) {
    throw new AppError('invalid', (e as Error).message, { attachment: (e as Error).message });
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

type DataRequests =
  | 'reference.get'
  | 'locations.list'
  | 'locations.get'
  | 'providers.list'
  | 'ratings.add'
  | 'ratings.update'
  | 'inspections.list'
  | 'areaReviews.list'
  | 'findings.list'
  | 'findings.save'
  | 'evidence.list'
  | 'evidence.save'
  | 'evidence.verify';

export const dataHandlers: PartialHandlerMap<DataRequests> = {
  'reference.get': (_input, { session }) => {
    const ws = session.ws;
    return {
      regions: ws.all('SELECT id, name FROM regions ORDER BY name'),
      localAuthorities: ws.all('SELECT id, name, region_id AS regionId FROM local_authorities ORDER BY name'),
      sectors: ws.all('SELECT id, name FROM sectors ORDER BY position'),
      keyQuestions: ws.all('SELECT id, name, scale_id AS scaleId FROM key_questions ORDER BY scale_id, position'),
      ratingValues: ws
        .all<{ scaleId: string; label: string; rank: number | null; onScale: number }>(
          'SELECT scale_id AS scaleId, label, rank, on_scale AS onScale FROM rating_values ORDER BY scale_id, rank IS NULL, rank, label',
        )
        .map((r) => ({ ...r, onScale: r.onScale === 1 })),
      themes: ws.all('SELECT id, name FROM themes ORDER BY position'),
      serviceGroups: session.serviceGroups(),
      indicators: ws.all('SELECT id, name, unit FROM indicators ORDER BY name'),
    } as RequestOutputs['reference.get'];
  },

  'locations.list': ({ filters, sort, offset, limit }, { session }) => session.locations.list(filters, sort, offset, limit),

  'locations.get': ({ id }, { session }) => {
    const ws = session.ws;
    const listed = session.locations.get(id);
    const row = ws.get<{ postcode: string | null; registeredOn: string | null; beds: number | null }>(
      'SELECT postcode, registered_on AS registeredOn, beds FROM locations WHERE id = ?',
      [id],
    );
    if (!listed || !row) throw notFound('Location', id);
    const ratings = ws.all<RatingHistoryRow>(
      `SELECT r.id AS id, r.key_question_id AS keyQuestionId, kq.name AS keyQuestion, r.service_group AS serviceGroup, r.rating AS rating,
              r.published_on AS publishedOn, r.import_id AS importId
       FROM ratings r JOIN key_questions kq ON kq.id = r.key_question_id
       WHERE r.location_id = ? ORDER BY r.published_on DESC, r.service_group, kq.position`,
      [id],
    );
    return { ...listed, postcode: row.postcode, registeredOn: row.registeredOn, beds: row.beds, ratings };
  },

  'providers.list': ({ search, offset, limit }, { session }) => {
    const ws = session.ws;
    const where = search?.trim() ? "WHERE p.name LIKE ? ESCAPE '\\' OR p.id LIKE ? ESCAPE '\\'" : '';
    const params: SqlValue[] = search?.trim() ? [likePattern(search.trim()), likePattern(search.trim())] : [];
    const total = Number(ws.value(`SELECT count(*) FROM providers p ${where}`, params) ?? 0);
    const rows = ws.all<{ id: string; name: string; locations: number }>(
      `SELECT p.id AS id, p.name AS name, (SELECT count(*) FROM locations l WHERE l.provider_id = p.id) AS locations
       FROM providers p ${where} ORDER BY p.name COLLATE NOCASE, p.id LIMIT ? OFFSET ?`,
      [...params, limit, offset],
    );
    return { total, rows };
  },

  'ratings.add': async (input, { session }) => {
    const r = await session.ws.write('Add a rating', (tx) => addRating(tx, input), { actor: session.actor() });
    return ratingHistoryRow(session.ws, r.value.id);
  },

  'ratings.update': async ({ id, rating, publishedOn }, { session }) => {
    if (rating === undefined && publishedOn === undefined) {
      throw new AppError('bad-request', 'Nothing to change: give a rating or a publication date.', { rating: 'give a rating or a publication date' });
    }
    const patch: { rating?: string; publishedOn?: string } = {};
    if (rating !== undefined) patch.rating = rating;
    if (publishedOn !== undefined) patch.publishedOn = publishedOn;
    await session.ws.write('Change a rating', (tx) => updateRating(tx, id, patch), { actor: session.actor() });
    return ratingHistoryRow(session.ws, id);
  },

  'inspections.list': ({ locationId, limit }, { session }) => {
    const rows = session.ws.all<RequestOutputs['inspections.list']['rows'][number]>(
      `SELECT i.id AS id, i.location_id AS locationId, l.name AS locationName, i.started_on AS startedOn, i.published_on AS publishedOn,
              i.status AS status, i.lead_inspector AS leadInspector
       FROM inspections i JOIN locations l ON l.id = i.location_id
       ${locationId ? 'WHERE i.location_id = ?' : ''}
       ORDER BY COALESCE(i.published_on, i.started_on) DESC, i.id LIMIT ?`,
      locationId ? [locationId, limit] : [limit],
    );
    return { rows };
  },

  'areaReviews.list': (_input, { session }) => {
    const rows = session.ws.all<RequestOutputs['areaReviews.list']['rows'][number]>(
      `SELECT a.id AS id, a.title AS title, la.name AS localAuthority, a.status AS status, a.published_on AS publishedOn,
              (SELECT count(*) FROM findings f WHERE f.subject_type = 'area review' AND f.subject_id = a.id) AS findings,
              (SELECT count(*) FROM evidence e WHERE e.area_review_id = a.id) AS evidence
       FROM area_reviews a JOIN local_authorities la ON la.id = a.local_authority_id
       ORDER BY la.name, a.title`,
    );
    return { rows };
  },

  'findings.list': ({ subjectType, subjectId, themeId, limit }, { session }) => {
    const clauses: string[] = [];
    const params: SqlValue[] = [];
    if (subjectType) {
      clauses.push('f.subject_type = ?');
      params.push(subjectType);
    }
    if (subjectId) {
      clauses.push('f.subject_id = ?');
      params.push(subjectId);
    }
    if (themeId) {
      clauses.push('f.theme_id = ?');
      params.push(themeId);
    }
    const rows = session.ws.all<Omit<RequestOutputs['findings.list']['rows'][number], 'evidenceIds'> & { evidenceIds: string | null }>(
      `SELECT f.id AS id, f.subject_type AS subjectType, f.subject_id AS subjectId,
              CASE f.subject_type
                WHEN 'location' THEN (SELECT name FROM locations WHERE id = f.subject_id)
                WHEN 'provider' THEN (SELECT name FROM providers WHERE id = f.subject_id)
                WHEN 'area review' THEN (SELECT title FROM area_reviews WHERE id = f.subject_id)
                ELSE 'England' END AS subjectName,
              t.name AS theme, f.judgement AS judgement, f.status AS status, f.text AS text, f.author AS author,
              (SELECT json_group_array(fe.evidence_id) FROM finding_evidence fe WHERE fe.finding_id = f.id) AS evidenceIds,
              f.updated_at AS updatedAt
       FROM findings f LEFT JOIN themes t ON t.id = f.theme_id
       ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}
       ORDER BY f.updated_at DESC, f.id LIMIT ?`,
      [...params, limit],
    );
    return { rows: rows.map((r) => ({ ...r, evidenceIds: r.evidenceIds ? (JSON.parse(r.evidenceIds) as string[]) : [] })) };
  },

  'findings.save': async (input, { session }) => {
    const actor = session.actor();
    const r = await session.ws.write(
      input.id ? 'Edit a finding' : 'Add a finding',
      (tx) => {
        // The author is whoever first wrote the finding; an edit by a colleague does not take it over.
        const existing = input.id ? tx.get<{ author: string | null }>('SELECT author FROM findings WHERE id = ?', [input.id]) : undefined;
        return saveFinding(tx, { ...input, author: existing ? existing.author : actor });
      },
      { actor },
    );
    return { id: r.value.id };
  },

  'evidence.list': ({ search, kind, sensitivity, limit }, { session }) => {
    const clauses: string[] = [];
    const params: SqlValue[] = [];
    if (search?.trim()) {
      const q = likePattern(search.trim());
      clauses.push("(title LIKE ? ESCAPE '\\' OR reference LIKE ? ESCAPE '\\' OR summary LIKE ? ESCAPE '\\')");
      params.push(q, q, q);
    }
    if (kind) {
      clauses.push('kind = ?');
      params.push(kind);
    }
    if (sensitivity) {
      clauses.push('sensitivity = ?');
      params.push(sensitivity);
    }
    const rows = session.ws.all<EvidenceRow>(
      `SELECT * FROM evidence ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY COALESCE(collected_on, created_at) DESC, title LIMIT ?`,
      [...params, limit],
    );
    return { rows: rows.map(evidenceListRow) };
  },

  'evidence.save': async (input, { session }) => {
    const { attachment, ...fields } = input;
    const bytes = attachment ? decodeAttachment(attachment) : undefined;
    const hash = bytes ? createHash('sha256').update(bytes).digest('hex') : undefined;
    const r = await session.ws.write(
      input.id ? 'Edit an evidence source' : 'Add an evidence source',
      (tx) => {
        const existing = input.id ? tx.get<EvidenceRow>('SELECT * FROM evidence WHERE id = ?', [input.id]) : undefined;
        if (input.id && !existing) throw notFound('Evidence source', input.id);
        if (bytes && hash && attachment) putAttachment(tx, { hash, bytes, mediaType: attachment.mediaType });
        return saveEvidence(tx, {
          ...fields,
          // Without a new attachment an edit keeps the one it had.
          attachmentHash: hash ?? existing?.attachment_hash ?? null,
          attachmentName: attachment ? attachment.name : (existing?.attachment_name ?? null),
          // Absent means "as before" (or the user, for a new source); an explicit null clears it.
          collectedBy: fields.collectedBy !== undefined ? fields.collectedBy : existing ? existing.collected_by : session.actor(),
        });
      },
      { actor: session.actor() },
    );
    return { id: r.value.id };
  },

  'evidence.verify': async ({ id }, { session }) => {
    const actor = session.actor();
    await session.ws.write('Verify an evidence source', (tx) => verifyEvidence(tx, id, actor), { actor });
    return { id };
  },
};
