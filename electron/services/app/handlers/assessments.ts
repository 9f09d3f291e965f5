import type { AssessmentDetail } from '../../../../shared/ipc/contract';
import type { Workspace } from '../../../../shared/store/workspace';
import {
  createAssessment,
  draftRatingsOf,
  getAssessmentRecord,
  listAssessments,
  listEvidenceCategories,
  listFrameworks,
  publishAssessment,
  scoreAssessment,
  setAssessmentStatus,
  setDraftRatings,
  setScores,
  storedScores,
  updateAssessment,
} from '../../../../shared/store/assessments';
import { correctRating, ratingHistoryEntry, ratingsOfAssessment } from '../../../../shared/store/ratings';
import { listFindings } from '../../../../shared/store/findings';
import { evidenceOfAssessment } from '../../../../shared/store/evidence';
import { notFound } from '../ipc/errors';
import type { PartialHandlerMap } from '../ipc/handler';

/** Inspections and assessments: the record, its scores and draft ratings, moderation, publication and corrections. */

function detail(ws: Workspace, id: string): AssessmentDetail {
  const assessment = getAssessmentRecord(ws, id);
  if (!assessment) throw notFound('Inspection or assessment', id);
  const { framework, version, result } = scoreAssessment(ws, id);
  const stored = storedScores(ws, id);
  return {
    assessment,
    framework: {
      id: framework.id,
      name: framework.name,
      version: { id: version.id, name: version.name, effectiveFrom: version.effectiveFrom, effectiveTo: version.effectiveTo, sourceUrl: version.sourceUrl, statementBasis: version.rules.statement.basis },
    },
    scores: stored.scores,
    categoryScores: stored.categories,
    result,
    draftRatings: draftRatingsOf(ws, id),
    publishedRatings: ratingsOfAssessment(ws, id),
    findingIds: listFindings(ws, { assessmentId: id, limit: 10_000 }).map((f) => f.id),
    evidenceIds: evidenceOfAssessment(ws, id),
  };
}

type AssessmentRequests =
  | 'framework.get'
  | 'assessments.list'
  | 'assessments.get'
  | 'assessments.create'
  | 'assessments.update'
  | 'assessments.setStatus'
  | 'scores.set'
  | 'draftRatings.set'
  | 'assessments.publish'
  | 'ratings.correct';

export const assessmentHandlers: PartialHandlerMap<AssessmentRequests> = {
  'framework.get': (_input, { session }) => ({ frameworks: listFrameworks(session.ws), evidenceCategories: listEvidenceCategories(session.ws) }),

  'assessments.list': ({ subjectType, subjectId, status, limit }, { session }) => ({ rows: listAssessments(session.ws, { subjectType, subjectId, status, limit }) }),

  'assessments.get': ({ id }, { session }) => detail(session.ws, id),

  'assessments.create': async (input, { session }) => {
    const r = await session.ws.write('Add an inspection', (tx) => createAssessment(tx, input), { actor: session.actor() });
    return r.value;
  },

  'assessments.update': async ({ id, ...patch }, { session }) => {
    if (!getAssessmentRecord(session.ws, id)) throw notFound('Inspection or assessment', id);
    const r = await session.ws.write('Edit an inspection', (tx) => updateAssessment(tx, id, patch), { actor: session.actor() });
    return r.value;
  },

  'assessments.setStatus': async ({ id, status }, { session }) => {
    if (!getAssessmentRecord(session.ws, id)) throw notFound('Inspection or assessment', id);
    const r = await session.ws.write(`Move an inspection to ${status}`, (tx) => setAssessmentStatus(tx, id, status), { actor: session.actor() });
    return r.value;
  },

  'scores.set': async ({ assessmentId, scores }, { session }) => {
    if (!getAssessmentRecord(session.ws, assessmentId)) throw notFound('Inspection or assessment', assessmentId);
    await session.ws.write('Score quality statements', (tx) => setScores(tx, assessmentId, { scores }), { actor: session.actor() });
    return detail(session.ws, assessmentId);
  },

  'draftRatings.set': async ({ assessmentId, ratings }, { session }) => {
    if (!getAssessmentRecord(session.ws, assessmentId)) throw notFound('Inspection or assessment', assessmentId);
    await session.ws.write('Set draft ratings', (tx) => setDraftRatings(tx, assessmentId, { ratings }), { actor: session.actor() });
    return detail(session.ws, assessmentId);
  },

  'assessments.publish': async ({ id, publishedOn }, { session }) => {
    if (!getAssessmentRecord(session.ws, id)) throw notFound('Inspection or assessment', id);
    await session.ws.write('Publish an inspection', (tx) => publishAssessment(tx, id, publishedOn), { actor: session.actor() });
    return detail(session.ws, id);
  },

  'ratings.correct': async ({ id, rating, reason }, { session }) => {
    const actor = session.actor();
    const r = await session.ws.write('Correct a published rating', (tx) => correctRating(tx, id, { rating, reason }, actor), { actor });
    const row = ratingHistoryEntry(session.ws, id);
    if (!row) throw notFound('Rating', id);
    return { ...row, correctedAt: r.value.correctedAt, correctionReason: r.value.correctionReason };
  },
};
