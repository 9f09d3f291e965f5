import type { Tx, Workspace } from '../store/workspace';
import { audit } from '../store/audit';
import { WorkspaceError } from '../store/errors';
import { canonicalJson } from './spec';
import { sharedFigureEngine, type FigureEngine } from './engine';
import { approvalValue, getFigure } from './library';
import type { FigureParams, FigureResult } from './types';

/** Sign-off of figure values: what the review tools and `assay approve` record. */

export interface ApprovalRow {
  id: number;
  figureId: string;
  sectionId: string | null;
  params: FigureParams;
  value: unknown;
  formatted: string;
  fingerprint: string;
  approvedBy: string;
  approvedAt: string;
}

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
  if (a.sectionId && !ws.get('SELECT 1 FROM sections WHERE id = ?', [a.sectionId])) throw new WorkspaceError('invalid', `approval: section "${a.sectionId}" does not exist`);
  await ws.idle();
  const e = engine ?? sharedFigureEngine(ws);
  // SQL figures run in a worker: wait for the value rather than record a pending one.
  const result = await e.settle(() => e.evaluateRef({ figureId: def.id }, a.params));
  if (result.pending) throw new WorkspaceError('invalid', `figure "${def.name}" is still being computed; approve it again in a moment`);
  if (result.error) throw new WorkspaceError('invalid', `figure "${def.name}" cannot be approved: ${result.error}`);
  const { value: id } = await ws.write(
    'figure.approve',
    (tx) => {
      const id = insertApproval(tx, { figureId: def.id, sectionId: a.sectionId, params: a.params, result, by: a.by });
      audit(tx, 'figure.approve', 'figure_approvals', id, null, tx.get('SELECT * FROM figure_approvals WHERE id = ?', [id]));
      return id;
    },
    { actor: a.by },
  );
  return {
    id,
    figureId: def.id,
    sectionId: a.sectionId,
    params: approvalParams(result, a.params),
    value: approvalValue(result),
    formatted: result.formatted,
    fingerprint: result.provenance.fingerprint,
    approvedBy: a.by,
    approvedAt: ws.value<string>('SELECT approved_at FROM figure_approvals WHERE id = ?', [id]) ?? '',
  };
}


/**
 * The parameters an approval is recorded under: those the figure actually used (the engine drops report parameters
 * it ignores), so a report parameter the figure ignores does not make its sign-off look like a different one.
 */
export function approvalParams(result: FigureResult, effective: FigureParams): FigureParams {
  return result.provenance.figureParams ?? effective;
}

/**
 * Records one approval inside the caller's write: the value as printed and as data, and the fingerprint of the data
 * it rests on. `approveFigure` and a section's sign-off (review) both write through here.
 */
export function insertApproval(tx: Tx, a: { figureId: string; sectionId: string | null; params: FigureParams; result: FigureResult; by: string }): number {
  tx.run(
    'INSERT INTO figure_approvals(figure_id, section_id, params, value, formatted, fingerprint, approved_by, approved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [a.figureId, a.sectionId, canonicalJson(approvalParams(a.result, a.params)), canonicalJson(approvalValue(a.result)), a.result.formatted, a.result.provenance.fingerprint, a.by, tx.at],
  );
  const id = Number(tx.get<{ id: number }>('SELECT last_insert_rowid() AS id')!.id);
  tx.note({ table: 'figure_approvals', op: 'insert', key: { id } });
  return id;
}
