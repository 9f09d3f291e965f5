import { createHash } from 'node:crypto';
import type { RatingHistoryRow, RequestOutputs, RequestParsed } from '../../../../shared/ipc/contract';
import type { Workspace } from '../../../../shared/store/workspace';
import { addRating, listKeyQuestions, listRatingValues, ratingHistory, ratingHistoryEntry, updateRating } from '../../../../shared/store/ratings';
import { evidenceCountsByAreaReview, getEvidence, putAttachment, saveEvidence, searchEvidence, verifyEvidence, type EvidenceRecord } from '../../../../shared/store/evidence';
import { findingCountsByAreaReview, getFinding, listFindings, saveFinding } from '../../../../shared/store/findings';
import { getLocation, listLocalAuthorities, listProviders, listRegions, listSectors } from '../../../../shared/store/locations';
import { listInspections } from '../../../../shared/store/inspections';
import { listAreaReviews, listThemes } from '../../../../shared/store/area-reviews';
import { listIndicators } from '../../../../shared/store/indicators';
import { checkAttachmentSize } from '../../../../shared/review/evidence';
import { AppError, notFound } from '../ipc/errors';
import type { PartialHandlerMap } from '../ipc/handler';

/** Attachments travel base64-encoded through IPC and JSON; beyond this they belong in a linked file, not the workspace. */

function ratingHistoryRow(ws: Workspace, id: number): RatingHistoryRow {
  const row = ratingHistoryEntry(ws, id);
  if (!row) throw notFound('Rating', id);
  return row;
}

function evidenceListRow(e: EvidenceRecord): RequestOutputs['evidence.list']['rows'][number] {
  return {
    id: e.id,
    kind: e.kind,
    title: e.title,
    reference: e.reference,
    summary: e.summary,
    collectedOn: e.collectedOn,
    collectedBy: e.collectedBy,
    sensitivity: e.sensitivity,
    attachmentName: e.attachmentName,
    attachmentHash: e.attachmentHash,
    verifiedBy: e.verifiedBy,
    verifiedAt: e.verifiedAt,
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
      regions: listRegions(ws),
      localAuthorities: listLocalAuthorities(ws),
      sectors: listSectors(ws).map((s) => ({ id: s.id, name: s.name })),
      keyQuestions: listKeyQuestions(ws),
      ratingValues: listRatingValues(ws),
      themes: listThemes(ws),
      serviceGroups: session.serviceGroups(),
      indicators: listIndicators(ws),
    };
  },

  'locations.list': ({ filters, sort, offset, limit }, { session }) => session.locations.list(filters, sort, offset, limit),

  'locations.get': ({ id }, { session }) => {
    const ws = session.ws;
    const listed = session.locations.get(id);
    const location = getLocation(ws, id);
    if (!listed || !location) throw notFound('Location', id);
    return { ...listed, postcode: location.postcode, registeredOn: location.registeredOn, beds: location.beds, ratings: ratingHistory(ws, id) };
  },

  'providers.list': ({ search, offset, limit }, { session }) => listProviders(session.ws, { search, offset, limit }),

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

  'inspections.list': ({ locationId, limit }, { session }) => ({ rows: listInspections(session.ws, { locationId, limit }) }),

  'areaReviews.list': (_input, { session }) => {
    const ws = session.ws;
    const findings = findingCountsByAreaReview(ws);
    const evidence = evidenceCountsByAreaReview(ws);
    return { rows: listAreaReviews(ws).map((a) => ({ ...a, findings: findings.get(a.id) ?? 0, evidence: evidence.get(a.id) ?? 0 })) };
  },

  'findings.list': ({ subjectType, subjectId, themeId, assessmentId, limit }, { session }) => ({ rows: listFindings(session.ws, { subjectType, subjectId, themeId, assessmentId, limit }) }),

  'findings.save': async (input, { session }) => {
    const actor = session.actor();
    const r = await session.ws.write(
      input.id ? 'Edit a finding' : 'Add a finding',
      (tx) => {
        // The author is whoever first wrote the finding; an edit by a colleague does not take it over.
        const existing = input.id ? getFinding(tx, input.id) : undefined;
        return saveFinding(tx, { ...input, author: existing ? existing.author : actor });
      },
      { actor },
    );
    return { id: r.value.id };
  },

  'evidence.list': ({ search, kind, sensitivity, limit }, { session }) => ({ rows: searchEvidence(session.ws, { search, kind, sensitivity, limit }).map(evidenceListRow) }),

  'evidence.save': async (input, { session }) => {
    const { attachment, ...fields } = input;
    const bytes = attachment ? decodeAttachment(attachment) : undefined;
    const hash = bytes ? createHash('sha256').update(bytes).digest('hex') : undefined;
    const r = await session.ws.write(
      input.id ? 'Edit an evidence source' : 'Add an evidence source',
      (tx) => {
        const existing = input.id ? getEvidence(tx, input.id) : undefined;
        if (input.id && !existing) throw notFound('Evidence source', input.id);
        if (bytes && hash && attachment) putAttachment(tx, { hash, bytes, mediaType: attachment.mediaType });
        return saveEvidence(tx, {
          ...fields,
          // Without a new attachment an edit keeps the one it had.
          attachmentHash: hash ?? existing?.attachmentHash ?? null,
          attachmentName: attachment ? attachment.name : (existing?.attachmentName ?? null),
          // Absent means "as before" (or the user, for a new source); an explicit null clears it.
          collectedBy: fields.collectedBy !== undefined ? fields.collectedBy : existing ? existing.collectedBy : session.actor(),
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
