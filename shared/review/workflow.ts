import type { FigureParams, FigureResult } from '../figures/types';
import type { Tx, Workspace } from '../store/workspace';
import { WorkspaceError } from '../store/errors';
import { findReport, getSection, reportSections, setSectionStatus as recordSectionStatus, type SectionRecord, type SectionStatus } from '../store/reports';
import { readSection } from './content';
import { approvalParams, canonicalParams, effectiveParams, figureDefs, insertApproval, type FigureSource } from './figures';

/**
 * The review workflow: a section moves draft -> in review -> approved and back, each move recorded with who and when
 * and audited. Approving a section signs off every figure in it at its current value and data fingerprint, in the same
 * transaction as the status change, so a section can never be approved with figures that were not.
 */

export type { SectionStatus };

/** Moves the app allows. Approving straight from draft skips review, so the app refuses it; `assay approve` may not. */
const ALLOWED: Record<SectionStatus, SectionStatus[]> = {
  draft: ['in review'],
  'in review': ['draft', 'approved'],
  approved: ['in review', 'draft'],
};

export interface StatusChange {
  sectionId: string;
  from: SectionStatus;
  to: SectionStatus;
  by: string;
  at: string;
  /** Figures signed off by an approval. */
  approvedFigures: { figureId: string; params: FigureParams; formatted: string; fingerprint: string }[];
}

function section(tx: Tx, id: string): SectionRecord {
  const s = getSection(tx, id);
  if (!s) throw new WorkspaceError('not-found-record', `There is no section ${id} in this workspace.`);
  return s;
}

/**
 * Signs off a section's figures inside a write. Refuses when a figure cannot be computed or is missing from the
 * library: an approval must record a real value.
 */
function approveFiguresIn(tx: Tx, figures: FigureSource, s: SectionRecord, by: string): StatusChange['approvedFigures'] {
  const report = findReport(tx, s.reportId);
  const content = readSection(s.content, `Section “${s.title}”`);
  if (content.unreadable) throw new WorkspaceError('invalid', `Section “${s.title}” cannot be approved: ${content.problems.join(' ')}`);
  const defs = figureDefs(tx);
  const seen = new Set<string>();
  const failures: string[] = [];
  const todo: { figureId: string; params: FigureParams; result: FigureResult }[] = [];
  for (const m of content.figures) {
    const def = defs.get(m.figureId);
    if (!def) {
      failures.push(`figure ${m.figureId} is not in the figure library`);
      continue;
    }
    const params = effectiveParams(report.params, m.params);
    const result = figures.evaluate({ figureId: def.id }, params);
    const key = `${def.id}|${canonicalParams(approvalParams(result, params))}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (result.error) failures.push(`“${def.name}” cannot be computed (${result.error})`);
    else if (result.pending) failures.push(`“${def.name}” is still being computed (the data changed a moment ago); approve again`);
    else todo.push({ figureId: def.id, params, result });
  }
  if (failures.length) {
    throw new WorkspaceError('invalid', `Section “${s.title}” cannot be approved: ${failures.join('; ')}.`);
  }
  return todo.map((t) => {
    insertApproval(tx, { ...t, sectionId: s.id, by });
    return { figureId: t.figureId, params: approvalParams(t.result, t.params), formatted: t.result.formatted, fingerprint: t.result.provenance.fingerprint };
  });
}

function applyStatus(tx: Tx, figures: FigureSource, sectionId: string, to: SectionStatus, by: string, enforce: boolean): StatusChange {
  const s = section(tx, sectionId);
  const from = s.status;
  if (enforce && from !== to && !ALLOWED[from].includes(to)) {
    throw new WorkspaceError(
      'invalid',
      from === 'draft' && to === 'approved'
        ? `Section “${s.title}” is a draft: send it for review before approving it.`
        : `Section “${s.title}” cannot move from ${from} to ${to}.`,
    );
  }
  // Approving an approved section again is re-approval: it signs off figures that changed since, and clears "changed
  // since approval". Any other move to the same status is a mistake worth saying so.
  if (enforce && from === to && to !== 'approved') throw new WorkspaceError('conflict', `Section “${s.title}” is already ${to}.`);
  const approvedFigures = to === 'approved' ? approveFiguresIn(tx, figures, s, by) : [];
  const action = to === 'approved' ? (from === 'approved' ? 'section.reapprove' : 'section.approve') : to === 'in review' ? (from === 'approved' ? 'section.reopen' : 'section.submit') : 'section.return';
  recordSectionStatus(tx, sectionId, to, by, { action, details: { figures: approvedFigures.length } });
  return { sectionId, from, to, by, at: tx.at, approvedFigures };
}

/**
 * Computes every figure in these sections before the write that approves them, so that SQL figures (which run in a
 * worker) have their values when the approval, inside one transaction, records them.
 */
async function prepareFigures(ws: Workspace, figures: FigureSource, sectionIds: string[]): Promise<void> {
  await figures.settle(() => {
    for (const id of sectionIds) {
      const s = getSection(ws, id);
      if (!s) continue;
      const report = findReport(ws, s.reportId);
      for (const m of readSection(s.content, s.title).figures) figures.evaluate({ figureId: m.figureId }, effectiveParams(report.params, m.params));
    }
  });
}

/** The app's status change: only the moves of the workflow (draft -> in review -> approved, and back). */
export async function setSectionStatus(ws: Workspace, figures: FigureSource, input: { sectionId: string; status: SectionStatus; by: string }): Promise<StatusChange> {
  if (input.status === 'approved') await prepareFigures(ws, figures, [input.sectionId]);
  const label = input.status === 'approved' ? 'Approve a section' : input.status === 'in review' ? 'Send a section for review' : 'Return a section to draft';
  const r = await ws.write(label, (tx) => applyStatus(tx, figures, input.sectionId, input.status, input.by, true), { actor: input.by });
  return r.value;
}

/**
 * Approves sections of a report (all of them, or one), each at its figures' current values, in one transaction.
 * Used by `assay approve`, where a pipeline signs off whatever state the sections are in; the audit log records the
 * status each section had.
 */
export async function approveReport(
  ws: Workspace,
  figures: FigureSource,
  input: { report: string; sectionId?: string; by: string },
): Promise<{ reportId: string; changes: StatusChange[] }> {
  const by = input.by.trim();
  if (!by) throw new WorkspaceError('invalid', 'An approval needs the name of the person approving.');
  const report = findReport(ws, input.report);
  const ids = reportSections(ws, { reportId: report.id }).map((x) => x.id);
  if (input.sectionId && !ids.includes(input.sectionId)) {
    throw new WorkspaceError('not-found-record', `Section ${input.sectionId} is not in report “${report.title}”.`);
  }
  const targets = input.sectionId ? [input.sectionId] : ids;
  if (!targets.length) throw new WorkspaceError('invalid', `Report “${report.title}” has no sections to approve.`);
  await prepareFigures(ws, figures, targets);
  const r = await ws.write(
    input.sectionId ? 'Approve a section' : 'Approve a report',
    (tx) => targets.map((id) => applyStatus(tx, figures, id, 'approved', by, false)),
    { actor: by },
  );
  return { reportId: report.id, changes: r.value };
}
