import type { Db } from '../store/query';
import { approvalsOf, type ApprovalRecord } from '../store/figures';
import { canonicalJson } from './spec';
import type { ApprovalInfo, FigureParams, FigureResult, FigureState } from './types';

/**
 * How a figure's value stands against its sign-off: the one lookup of the approval that applies and the one rule that
 * turns it into a state. The engine's stateOf (the editor's badge, `assay figures`) and review's checks both use these,
 * so they can never disagree.
 */

/** The value part of a result that approvals compare: numbers rounded to 10 significant digits so float noise is not a change. */
export function approvalValue(r: FigureResult): unknown {
  const round = (v: unknown): unknown => (typeof v === 'number' ? Number(v.toPrecision(10)) : v);
  return {
    value: round(r.value),
    rows: r.rows?.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, round(v)]))),
    parts: r.parts ? Object.fromEntries(Object.entries(r.parts).map(([k, v]) => [k, round(v)])) : undefined,
  };
}

/** Whether a result still says what was signed off: equal values are approved, whatever the data fingerprint. */
export function matchesApproval(approvedValue: unknown, r: FigureResult): boolean {
  return canonicalJson(approvedValue) === canonicalJson(approvalValue(r));
}

/**
 * The parameters an approval is recorded under: those the figure actually used (the engine drops report parameters
 * it ignores), so a report parameter the figure ignores does not make its sign-off look like a different one.
 */
export function approvalParams(result: FigureResult, effective: FigureParams): FigureParams {
  return result.provenance.figureParams ?? effective;
}

/** The approval that applies, and whether it was recorded under the parameters asked about. */
export interface FoundApproval {
  approval: ApprovalRecord;
  sameParams: boolean;
}

/**
 * Approvals indexed for lookup. Built from approvals oldest first, so the latest wins: the latest for the same figure,
 * section and parameters; failing that, the latest under other parameters.
 */
export class ApprovalIndex {
  private readonly byKey = new Map<string, ApprovalRecord>();

  constructor(approvals: readonly ApprovalRecord[]) {
    for (const a of approvals) {
      this.byKey.set(key(a.figureId, a.sectionId, a.params), a);
      this.byKey.set(key(a.figureId, a.sectionId, null), a);
    }
  }

  find(figureId: string, sectionId: string | null, params: FigureParams): FoundApproval | undefined {
    const same = this.byKey.get(key(figureId, sectionId, params));
    if (same) return { approval: same, sameParams: true };
    const other = this.byKey.get(key(figureId, sectionId, null));
    return other ? { approval: other, sameParams: false } : undefined;
  }
}

function key(figureId: string, sectionId: string | null, params: FigureParams | null): string {
  return `${figureId}|${sectionId ?? ''}|${params === null ? '*' : canonicalJson(params)}`;
}

/**
 * A figure is stale when the value signed off (headline, parts and rows) differs from what it computes now. A changed
 * data fingerprint with an unchanged value is not stale: the report still says what the reviewer approved.
 */
export function figureState(result: FigureResult, found: FoundApproval | undefined): FigureState {
  if (result.error) return 'error';
  if (!found) return 'fresh';
  if (!found.sameParams) return 'unapproved';
  return matchesApproval(found.approval.value, result) ? 'approved' : 'stale';
}

export function approvalInfo(a: ApprovalRecord): ApprovalInfo {
  return { value: a.value, formatted: a.formatted, fingerprint: a.fingerprint, by: a.approvedBy, at: a.approvedAt };
}

/** The approval that applies to a figure in a section (or the library, with null) for these parameters. */
export function loadApproval(db: Db, figureId: string, sectionId: string | null, params: FigureParams): { info: ApprovalInfo; sameParams: boolean } | undefined {
  const found = new ApprovalIndex(approvalsOf(db, figureId, sectionId)).find(figureId, sectionId, params);
  return found ? { info: approvalInfo(found.approval), sameParams: found.sameParams } : undefined;
}
