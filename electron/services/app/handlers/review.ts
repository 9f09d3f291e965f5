import { mkdirSync } from 'node:fs';
import { resolve, join } from 'node:path';
import type { FigureSource } from '../../../../shared/review/figures';
import { figureService } from '../../../../shared/figures/service';
import { reviewReport, whatChanged, DEFAULT_MAX_EVIDENCE_AGE_DAYS, type ReportReview, type ReviewOptions } from '../../../../shared/review/report';
import { approvalPreview, selfApprovalOf, setSectionStatus, setSelfApproval } from '../../../../shared/review/workflow';
import { activityFor, addComment, commentPeople, listComments, replyToComment, resolveComment } from '../../../../shared/review/comments';
import { evidenceCitedBy, listEvidence } from '../../../../shared/review/evidence';
import { auditCsv, listAudit } from '../../../../shared/review/audit-log';
import { writeReviewCopy } from '../../review/review-copy';
import { writeAtomic } from '../../workspace-file';
import { AppError } from '../ipc/errors';
import type { PartialHandlerMap } from '../ipc/handler';
import type { AppSession } from '../session/session';

/**
 * Review and sign-off requests: the citation ledger, publication checks, "what changed", section status, comments,
 * the evidence register's search and "cited by", and the audit log. Spread into the handler table beside the others.
 */

type ReviewRequest =
  | 'review.ledger'
  | 'review.checks'
  | 'review.whatChanged'
  | 'review.copy'
  | 'sections.setStatus'
  | 'sections.approval'
  | 'review.settings'
  | 'review.setSelfApproval'
  | 'comments.list'
  | 'comments.add'
  | 'comments.reply'
  | 'comments.resolve'
  | 'comments.people'
  | 'comments.activity'
  | 'evidence.citedBy'
  | 'evidence.register'
  | 'audit.list'
  | 'audit.exportCsv';

/**
 * Figures through the session's own engine (reviewFigures shares it; its cache is kept up to date after every write), so
 * review reads the same values the editor shows. A public edition's checks see SQL figures on the public view.
 */
function sessionFigures(session: AppSession, audience: 'public' | 'internal' = 'internal'): FigureSource {
  return figureService(session.ws, { view: audience });
}

/** A review of the report with every figure computed, SQL figures waited for. */
function review(session: AppSession, reportId: string, opts: ReviewOptions = {}): Promise<ReportReview> {
  const figures = sessionFigures(session, opts.audience);
  return figures.settle(() => reviewReport(session.ws, figures, reportId, opts));
}

function reportOf(r: { id: string; slug: string; title: string }) {
  return { id: r.id, slug: r.slug, title: r.title };
}

async function chooseFolder(session: AppSession, requested: string | undefined, what: string): Promise<string> {
  const folder = await session.host.exportFolder(session, requested);
  if (!folder) throw new AppError('conflict', `${what} cancelled: no folder was chosen.`);
  return folder;
}

export const reviewHandlers: PartialHandlerMap<ReviewRequest> = {
  'review.ledger': async ({ reportId, maxEvidenceAgeDays }, { session }) => {
    await session.ws.idle();
    const maxAge = maxEvidenceAgeDays ?? DEFAULT_MAX_EVIDENCE_AGE_DAYS;
    const r = await review(session, reportId, { audience: 'internal', maxEvidenceAgeDays: maxAge });
    const count = (flag: string) => r.claims.filter((c) => (c.flags as string[]).includes(flag)).length;
    return {
      report: reportOf(r.report),
      claims: r.claims,
      counts: { claims: r.claims.length, noEvidence: count('no-evidence'), unverified: count('unverified'), old: count('old'), missing: count('missing') },
      maxEvidenceAgeDays: maxAge,
    };
  },

  'review.checks': async ({ reportId, audience, maxEvidenceAgeDays }, { session }) => {
    await session.ws.idle();
    const r = await review(session, reportId, { audience, ...(maxEvidenceAgeDays ? { maxEvidenceAgeDays } : {}) });
    return { report: reportOf(r.report), audience: r.audience, problems: r.problems, blocking: r.blocking, warnings: r.warnings, sections: r.sections, checkedAt: r.checkedAt };
  },

  'review.whatChanged': async ({ reportId }, { session }) => {
    await session.ws.idle();
    return { sections: whatChanged(await review(session, reportId, { audience: 'internal' })) };
  },

  'review.copy': async ({ reportId, folder }, { session }) => {
    const dir = await chooseFolder(session, folder, 'Review copy');
    await session.ws.idle();
    const r = await writeReviewCopy(session.ws, { report: reportId, out: dir, author: `Assay (for ${session.actor()})` });
    session.exported.add(resolve(r.path));
    return { path: r.path, bytes: r.bytes, comments: r.comments };
  },

  'sections.setStatus': async ({ id, status, clearRestricted }, { session }) => {
    const c = await setSectionStatus(session.ws, sessionFigures(session), { sectionId: id, status, by: session.actor(), clearRestricted: clearRestricted === true });
    return { id, status: c.to, statusBy: c.by, statusAt: c.at, approvedFigures: c.approvedFigures.length };
  },

  'sections.approval': async ({ id }, { session }) => {
    await session.ws.idle();
    const figures = sessionFigures(session);
    return figures.settle(() => approvalPreview(session.ws, figures, id, session.actor()));
  },

  'review.settings': (_input, { session }) => ({ selfApproval: selfApprovalOf(session.ws) }),

  'review.setSelfApproval': ({ selfApproval }, { session }) => setSelfApproval(session.ws, { value: selfApproval, by: session.actor() }),

  'comments.list': ({ sectionId, reportId, includeResolved }, { session }) => ({
    threads: listComments(session.ws, { ...(sectionId ? { sectionId } : {}), ...(reportId ? { reportId } : {}), includeResolved }),
  }),

  'comments.add': ({ sectionId, body, quote, anchor }, { session }) =>
    addComment(session.ws, { sectionId, body, quote: quote ?? null, anchor: anchor ?? null, author: session.actor() }),

  'comments.reply': ({ parentId, body }, { session }) => replyToComment(session.ws, { parentId, body, author: session.actor() }),

  'comments.resolve': ({ id, resolved }, { session }) => resolveComment(session.ws, { id, resolved, by: session.actor() }),

  'comments.people': (_input, { session }) => ({ people: commentPeople(session.ws, session.actor()), me: session.actor() }),

  'comments.activity': (_input, { session }) => ({ items: activityFor(session.ws, session.actor()) }),

  'evidence.citedBy': ({ id }, { session }) => evidenceCitedBy(session.ws, id),

  'evidence.register': (input, { session }) => listEvidence(session.ws, input),

  'audit.list': (input, { session }) => listAudit(session.ws, input),

  'audit.exportCsv': async ({ folder, ...filters }, { session }) => {
    const dir = await chooseFolder(session, folder, 'Audit log export');
    await session.ws.idle();
    const { csv, rows } = auditCsv(session.ws, filters);
    const bytes = new TextEncoder().encode(`\uFEFF${csv}`);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `audit-log-${new Date().toISOString().slice(0, 10)}.csv`);
    await writeAtomic(path, bytes);
    session.exported.add(resolve(path));
    return { path, rows, bytes: bytes.length };
  },
};
