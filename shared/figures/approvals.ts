import type { Tx, Workspace } from '../store/workspace';
import { WorkspaceError } from '../store/errors';
import { addApproval, type ApprovalRecord } from '../store/figures';
import { findReport, getSection, sectionExists } from '../store/reports';
import { sharedFigureEngine, type FigureEngine } from './engine';
import { getFigure } from './library';
import { approvalParams, approvalValue } from './approval-state';
import type { FigureParams, FigureResult } from './types';

export { approvalParams } from './approval-state';

/** Sign-off of figure values: what the review tools and `assay approve` record. */

export type ApprovalRow = ApprovalRecord;

/**
 * Signs off a figure's current value (in a section, or for the library when sectionId is null): records the value,
 * as printed and as data, and the fingerprint of the data it rests on. Refuses a figure that cannot be computed.
 */
export async function approveFigure(
  ws: Workspace,
  a: { figureId: string; sectionId: string | null; params: FigureParams; by: string },
  engine?: FigureEngine,
): Promise<ApprovalRow> {
  const def = getFigure(ws, a.figureId);
  if (!def) throw new WorkspaceError('not-found-record', `figure "${a.figureId}" does not exist`);
  if (a.sectionId && !sectionExists(ws, a.sectionId)) throw new WorkspaceError('invalid', `approval: section "${a.sectionId}" does not exist`);
  await ws.idle();
  const e = engine ?? sharedFigureEngine(ws);
  // In a section, the value as that report prints it (its change rule); SQL figures run in a worker: wait for the value
  // rather than record a pending one.
  const section = a.sectionId ? getSection(ws, a.sectionId) : undefined;
  const opts = section ? { changes: findReport(ws, section.reportId).settings.changes } : {};
  const result = await e.settle(() => e.evaluateRef({ figureId: def.id }, a.params, opts));
  if (result.pending) throw new WorkspaceError('invalid', `figure "${def.name}" is still being computed; approve it again in a moment`);
  if (result.error) throw new WorkspaceError('invalid', `figure "${def.name}" cannot be approved: ${result.error}`);
  const { value } = await ws.write('figure.approve', (tx) => insertApproval(tx, { figureId: def.id, sectionId: a.sectionId, params: a.params, result, by: a.by }), {
    actor: a.by,
  });
  return value;
}

/**
 * Records one approval inside the caller's write: the value as printed and as data, and the fingerprint of the data
 * it rests on. `approveFigure` and a section's sign-off (review) both write through here.
 */
export function insertApproval(tx: Tx, a: { figureId: string; sectionId: string | null; params: FigureParams; result: FigureResult; by: string }): ApprovalRecord {
  return addApproval(tx, {
    figureId: a.figureId,
    sectionId: a.sectionId,
    params: approvalParams(a.result, a.params),
    value: approvalValue(a.result),
    formatted: a.result.formatted,
    fingerprint: a.result.provenance.fingerprint,
    approvedBy: a.by,
  });
}
