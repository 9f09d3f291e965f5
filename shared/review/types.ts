import type { FigureParams, FigureState } from '../figures/types';
import type { ReportRecord, SectionRecord } from '../store/reports';
import type { FigureMention, Location } from './content';
import type { SectionChanges } from './diff';

/**
 * What a review of a report says, as report.ts returns it. Apart from report.ts so that its two steps (gather.ts and
 * checks.ts) can name these types without importing the module that composes them.
 */

/** The report a review is of. */
export type ReportRow = Pick<ReportRecord, 'id' | 'slug' | 'title' | 'params'>;

export interface FigureValue {
  value: unknown;
  formatted: string;
  fingerprint: string;
}

export interface FigureUseReview {
  figureId: string;
  slug: string;
  name: string;
  kind: string;
  display: FigureMention['display'];
  part?: string;
  /** Effective parameters: the report's merged with the node's overrides. */
  params: FigureParams;
  location: Location;
  /** What the report shows for this use now (a part, or the formatted value). */
  shown: string;
  state: FigureState;
  current: FigureValue;
  approved?: FigureValue & { by: string; at: string; shown: string };
  /** For a stale figure, what changed, in words ("approved 75%, now 80%"; "3 of 9 rows differ"). */
  change?: string;
  error?: string;
}

export interface EvidenceRef {
  id: string;
  title: string;
  kind: string;
  sensitivity: string;
  restricted: boolean;
  collectedOn: string | null;
  collectedBy: string | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
  /** How the claim reaches it: cited in the sentence, linked to a figure in it, or behind a finding it quotes. */
  via: ('citation' | 'figure' | 'finding')[];
  /** Cited but not in this workspace. */
  missing?: boolean;
}

export type ClaimFlag = 'no-evidence' | 'unverified' | 'old' | 'missing';

export interface Claim {
  id: string;
  location: Location;
  text: string;
  figures: { figureId: string; slug: string; shown: string; state: FigureState }[];
  findings: { id: string; text: string; status: string }[];
  evidence: EvidenceRef[];
  flags: ClaimFlag[];
}

export type ProblemCode =
  | 'section-not-approved'
  | 'section-changed-since-approval'
  | 'figure-stale'
  | 'figure-unapproved'
  | 'figure-error'
  | 'figure-restricted'
  | 'figure-outside-coverage'
  | 'figure-draft'
  | 'claim-no-evidence'
  | 'evidence-missing'
  | 'evidence-unverified'
  | 'evidence-old'
  | 'restricted-evidence-in-text'
  | 'suppression'
  | 'chart-no-alt-text'
  | 'heading-skipped-level'
  | 'table-no-header-row'
  | 'figure-inconsistent'
  | 'content-unreadable'
  | 'numbers-disagree'
  | 'guidance-left'
  | 'publication-details-missing';

export interface Problem {
  code: ProblemCode;
  severity: 'blocking' | 'warning';
  message: string;
  location?: Location;
  figureId?: string;
  evidenceId?: string;
  /** For stale figures: what was signed off and what the figure shows now. */
  approved?: FigureValue & { by: string; at: string };
  current?: FigureValue;
}

export interface SectionReview {
  id: string;
  title: string;
  status: SectionRecord['status'];
  statusBy: string | null;
  statusAt: string | null;
  owner: string | null;
  /**
   * Approved, and since then something it signed off has changed: its title, text or citations, a figure added or
   * removed or printed differently (see `changes`), or a figure's value (`staleFigures`). An approval from before
   * approvals recorded the text counts as changed.
   */
  changedSinceApproval: boolean;
  staleFigures: number;
  figures: number;
  /** Who last changed the title or text (null when not known): who may not approve it unless self-approval is allowed. */
  lastEditedBy: string | null;
  /** The approval recorded what it covered (every approval since schema version 3 does). */
  approvalRecorded: boolean;
  /** For a changed approved section, what changed since it was signed off, apart from stale figures. */
  changes?: SectionChanges;
}

export interface ReportReview {
  report: ReportRow;
  audience: 'public' | 'internal';
  sections: SectionReview[];
  figures: FigureUseReview[];
  claims: Claim[];
  problems: Problem[];
  blocking: number;
  warnings: number;
  checkedAt: string;
}
