import type { Workspace } from '../store/workspace';
import type { Location } from './content';
import type { FigureSource } from './figures';
import { gatherReview } from './gather';
import { runChecks } from './checks';
import type { FigureUseReview, FigureValue, ReportReview } from './types';
import { describeChanges, type SectionChanges } from './diff';

export { normaliseText } from './gather';
export type { ClaimFlag, Claim, EvidenceRef, FigureUseReview, FigureValue, Problem, ProblemCode, ReportReview, ReportRow, SectionReview } from './types';
export type { SectionChanges, TextPart, CitationChange, FigureChange } from './diff';

/**
 * One pass over a report that everything in review is derived from: the figures it shows and their sign-off state, its
 * claims and the evidence behind them, and the problems that block or weaken publication. The citation ledger, the
 * publication checks and the "what changed" view are views of this one result, so they can never disagree.
 *
 * It is two steps: gather (gather.ts) reads the report into one result, and the checks (checks.ts), each a small
 * function of that result, find the problems.
 */

export interface ReviewOptions {
  /** Which export the checks guard: restricted evidence in text blocks a public export only. Default public. */
  audience?: 'public' | 'internal';
  /** Evidence collected longer ago than this is flagged. Default 730 days (two years). */
  maxEvidenceAgeDays?: number;
  /**
   * The date evidence ages are measured to (yyyy-mm-dd). Default: the report's `asAt` parameter when it has one (a
   * report about July 2018 rests on evidence of its time, however long ago that now is), else today.
   */
  today?: string;
}

export const DEFAULT_MAX_EVIDENCE_AGE_DAYS = 730;

export function reviewReport(ws: Workspace, figures: FigureSource, idOrSlug: string, opts: ReviewOptions = {}): ReportReview {
  const facts = gatherReview(ws, figures, idOrSlug, {
    audience: opts.audience ?? 'public',
    maxEvidenceAgeDays: opts.maxEvidenceAgeDays ?? DEFAULT_MAX_EVIDENCE_AGE_DAYS,
    today: opts.today,
  });
  const problems = runChecks(facts);
  const blocking = problems.filter((p) => p.severity === 'blocking').length;
  return {
    report: facts.report,
    audience: facts.audience,
    sections: facts.sections.map((s) => s.summary),
    figures: facts.sections.flatMap((s) => s.uses),
    claims: facts.sections.flatMap((s) => s.claims),
    problems,
    blocking,
    warnings: problems.length - blocking,
    checkedAt: new Date().toISOString(),
  };
}

/**
 * The "what changed" view: per approved section that changed since it was signed off, who approved it and when, what
 * changed in its title, text (word by word), citations and figures (diff.ts), and each stale figure's approved and
 * current values. `recorded` is false for an approval from before approvals recorded the text.
 */
export function whatChanged(review: ReportReview): {
  sectionId: string;
  sectionTitle: string;
  approvedBy: string | null;
  approvedAt: string | null;
  recorded: boolean;
  changes: SectionChanges | null;
  /** The change in one line, for lists and `assay check`. */
  summary: string;
  figures: { figureId: string; slug: string; name: string; part?: string; location: Location; approved: FigureUseReview['approved']; current: FigureValue; shown: string; change: string }[];
}[] {
  return review.sections
    .filter((s) => s.changedSinceApproval)
    .map((s) => ({
      sectionId: s.id,
      sectionTitle: s.title,
      approvedBy: s.statusBy,
      approvedAt: s.statusAt,
      recorded: s.approvalRecorded,
      changes: s.changes ?? null,
      summary: [
        s.approvalRecorded ? '' : 'approved before approvals recorded the text',
        s.changes ? describeChanges(s.changes) : '',
        s.staleFigures ? `${s.staleFigures} figure${s.staleFigures === 1 ? '' : 's'} with a new value` : '',
      ]
        .filter((x) => x)
        .join('; '),
      figures: review.figures
        .filter((u) => u.location.sectionId === s.id && u.state === 'stale')
        .map((u) => ({
          figureId: u.figureId,
          slug: u.slug,
          name: u.name,
          ...(u.part ? { part: u.part } : {}),
          location: u.location,
          approved: u.approved,
          current: u.current,
          shown: u.shown,
          change: u.change ?? '',
        })),
    }));
}

export type WhatChangedSection = ReturnType<typeof whatChanged>[number];
