import type { Workspace } from '../store/workspace';
import { audit } from '../store/audit';
import { WorkspaceError } from '../store/errors';
import { canonicalJson } from './spec';
import { createFigureEngine, type FigureEngine } from './engine';
import { approvalValue, getFigure } from './library';
import type { FigureParams } from './types';

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
  const own = engine ? undefined : createFigureEngine(ws);
  try {
    await ws.idle();
    const result = (engine ?? own!).evaluateRef({ figureId: def.id }, a.params);
    if (result.error) throw new WorkspaceError('invalid', `figure "${def.name}" cannot be approved: ${result.error}`);
    const params = result.provenance.figureParams ?? {};
    const { value } = await ws.write(
      'figure.approve',
      (tx) => {
        tx.run('INSERT INTO figure_approvals(figure_id, section_id, params, value, formatted, fingerprint, approved_by, approved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
          def.id,
          a.sectionId,
          canonicalJson(params),
          canonicalJson(approvalValue(result)),
          result.formatted,
          result.provenance.fingerprint,
          a.by,
          tx.at,
        ]);
        const id = tx.get<{ id: number }>('SELECT last_insert_rowid() AS id')!.id;
        const row = tx.get('SELECT * FROM figure_approvals WHERE id = ?', [id]);
        audit(tx, 'figure.approve', 'figure_approvals', id, null, row);
        tx.note({ table: 'figure_approvals', op: 'insert', key: { id } });
        return id;
      },
      { actor: a.by },
    );
    return {
      id: value,
      figureId: def.id,
      sectionId: a.sectionId,
      params,
      value: approvalValue(result),
      formatted: result.formatted,
      fingerprint: result.provenance.fingerprint,
      approvedBy: a.by,
      approvedAt: ws.value<string>('SELECT approved_at FROM figure_approvals WHERE id = ?', [value]) ?? '',
    };
  } finally {
    own?.dispose();
  }
}

