import type { FigureParams, FigureResult } from '../figures/types';
import { setMeta, type Tx, type Workspace } from '../store/workspace';
import { WorkspaceError } from '../store/errors';
import { audit } from '../store/audit';
import { getEvidence, isRestricted } from '../store/evidence';
import { findReport, getSection, reportSections, setSectionStatus as recordSectionStatus, type ReportRecord, type SectionRecord, type SectionStatus } from '../store/reports';
import { readSection, sentenceText } from './content';
import { approvalParams, canonicalParams, effectiveParams, figureDefs, insertApproval, type FigureSource } from './figures';
import { approvalSnapshot, readApprovalSnapshot, snapshotOf, wordCount, blockText, type ClearedCitation, type SectionSnapshot } from './snapshot';
import { compareSnapshots, type SectionChanges } from './diff';

/**
 * The review workflow: a section moves draft -> in review -> approved and back, each move recorded with who and when
 * and audited. Approving a section signs off its whole content: every figure in it at its current value and data
 * fingerprint, and a snapshot of its title, text, citations and figures as printed (snapshot.ts), in the same
 * transaction as the status change, so a section can never be approved with anything that was not, and any later change
 * shows as "changed since approval".
 *
 * Reviewers and authors are distinct: a person may not approve a section whose last change is theirs unless the
 * workspace allows self-approval (a setting in meta, changed only through setSelfApproval, which audits it).
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
  /** Sentences citing restricted evidence that this approval cleared for publication. */
  clearedCitations: number;
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
    const result = figures.evaluate({ figureId: def.id }, params, { changes: report.settings.changes });
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

/** The section as it would be signed off now: its content with every figure as the report prints it. */
function currentSnapshot(ws: Pick<Workspace, 'all' | 'get'>, figures: FigureSource, s: SectionRecord, report: ReportRecord): SectionSnapshot {
  const defs = figureDefs(ws);
  return snapshotOf({
    title: s.title,
    content: s.content,
    reportParams: report.params,
    figure: (figureId, params) => {
      const def = defs.get(figureId);
      return def ? { name: def.name, result: figures.evaluate({ figureId: def.id }, params, { changes: report.settings.changes }) } : undefined;
    },
  });
}

// Self-approval ---------------------------------------------------------------------------------------------------------

export type SelfApproval = 'refused' | 'allowed';
const SELF_APPROVAL_KEY = 'self_approval';

/** Whether this workspace lets a person approve a section whose last change is theirs. Refused unless set otherwise. */
export function selfApprovalOf(ws: Pick<Workspace, 'metaValue'>): SelfApproval {
  return ws.metaValue(SELF_APPROVAL_KEY) === 'allowed' ? 'allowed' : 'refused';
}

/** Changes the self-approval setting, recorded with who changed it and when in the audit log. */
export async function setSelfApproval(ws: Workspace, input: { value: SelfApproval; by: string }): Promise<{ selfApproval: SelfApproval; changed: boolean }> {
  const by = input.by.trim();
  if (!by) throw new WorkspaceError('invalid', 'Changing who may approve needs the name of the person changing it.');
  const r = await ws.write(
    input.value === 'allowed' ? 'Allow self-approval' : 'Refuse self-approval',
    (tx) => {
      const before = selfApprovalOf(ws);
      if (before === input.value) return false;
      setMeta(tx, { [SELF_APPROVAL_KEY]: input.value });
      audit(tx, 'workspace.self-approval', 'meta', SELF_APPROVAL_KEY, { selfApproval: before }, { selfApproval: input.value });
      tx.note({ table: 'meta', op: 'update', key: { key: SELF_APPROVAL_KEY } });
      return true;
    },
    { actor: by },
  );
  return { selfApproval: input.value, changed: r.value };
}

/** Names compared as people write them: case, spacing and surrounding space do not make a different person. */
function samePerson(a: string, b: string): boolean {
  const norm = (x: string) => x.normalize('NFKC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('en-GB');
  return norm(a) === norm(b);
}

/** Why `by` may not approve this section now, or undefined when they may. */
export function selfApprovalRefusal(s: Pick<SectionRecord, 'title' | 'updatedBy' | 'updatedAt'>, by: string, setting: SelfApproval): string | undefined {
  if (setting === 'allowed' || !s.updatedBy || !samePerson(s.updatedBy, by)) return undefined;
  return (
    `${by} made the last change to “${s.title}” (${s.updatedAt.slice(0, 10)}), so cannot also approve it: approval needs a second person. ` +
    'Ask another reviewer to approve it, or an administrator can allow self-approval for this workspace.'
  );
}

/** A sentence citing restricted evidence (official-sensitive or personal): what a disclosure clearance covers. */
export interface RestrictedCitation extends ClearedCitation {
  /** The sentence as written (figures shown as "…"). */
  text: string;
  title: string;
  sensitivity: string;
}

/** Every sentence of a section that cites restricted evidence, with the evidence, in reading order. */
export function restrictedCitations(ws: Pick<Workspace, 'all' | 'get'>, s: Pick<SectionRecord, 'content' | 'title'>): RestrictedCitation[] {
  const out: RestrictedCitation[] = [];
  for (const sen of readSection(s.content, s.title).sentences) {
    for (const c of sen.citations) {
      const e = getEvidence(ws, c.evidenceId);
      if (!e || !isRestricted(e.sensitivity) || out.some((x) => x.paragraph === sen.paragraph && x.sentence === sen.sentence && x.evidenceId === e.id)) continue;
      out.push({ paragraph: sen.paragraph, sentence: sen.sentence, evidenceId: e.id, text: sentenceText(sen, () => '…'), title: e.title, sensitivity: e.sensitivity });
    }
  }
  return out;
}

/** How an approval is made: the workspace's self-approval setting, and whether it clears restricted citations. */
interface ApproveOptions {
  setting?: SelfApproval;
  /** Clear every sentence citing restricted evidence for publication (see ApprovalSnapshot.cleared). */
  clearRestricted?: boolean;
}

function applyStatus(tx: Tx, figures: FigureSource, sectionId: string, to: SectionStatus, by: string, enforce: boolean, opts: ApproveOptions = {}): StatusChange {
  const setting = opts.setting ?? 'refused';
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
  // Reviewers and authors are distinct, in the app and `assay approve` alike.
  if (to === 'approved') {
    const refused = selfApprovalRefusal(s, by, setting);
    if (refused) throw new WorkspaceError('conflict', refused);
  }
  const approvedFigures = to === 'approved' ? approveFiguresIn(tx, figures, s, by) : [];
  let cleared: ClearedCitation[] = [];
  const action = to === 'approved' ? (from === 'approved' ? 'section.reapprove' : 'section.approve') : to === 'in review' ? (from === 'approved' ? 'section.reopen' : 'section.submit') : 'section.return';
  if (to === 'approved') {
    // What was signed off, recorded with the approval: the section's whole content as printed.
    const snapshot = currentSnapshot(tx, figures, s, findReport(tx, s.reportId));
    const covers = { words: wordCount(snapshot), citations: snapshot.citations.length, figures: snapshot.figures.length };
    cleared = opts.clearRestricted ? restrictedCitations(tx, s).map(({ paragraph, sentence, evidenceId }) => ({ paragraph, sentence, evidenceId })) : [];
    recordSectionStatus(tx, sectionId, to, by, {
      action,
      details: { figures: approvedFigures.length, covers, ...(cleared.length ? { clearedRestrictedCitations: cleared.length } : {}) },
      snapshot: JSON.stringify(approvalSnapshot(snapshot, by, tx.at, cleared)),
    });
  } else {
    recordSectionStatus(tx, sectionId, to, by, { action, details: { figures: approvedFigures.length } });
  }
  return { sectionId, from, to, by, at: tx.at, approvedFigures, clearedCitations: cleared.length };
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
      for (const m of readSection(s.content, s.title).figures) figures.evaluate({ figureId: m.figureId }, effectiveParams(report.params, m.params), { changes: report.settings.changes });
    }
  });
}

/** The app's status change: only the moves of the workflow (draft -> in review -> approved, and back). */
export async function setSectionStatus(ws: Workspace, figures: FigureSource, input: { sectionId: string; status: SectionStatus; by: string; clearRestricted?: boolean }): Promise<StatusChange> {
  if (input.status === 'approved') await prepareFigures(ws, figures, [input.sectionId]);
  const label = input.status === 'approved' ? 'Approve a section' : input.status === 'in review' ? 'Send a section for review' : 'Return a section to draft';
  const r = await ws.write(label, (tx) => applyStatus(tx, figures, input.sectionId, input.status, input.by, true, { setting: selfApprovalOf(ws), clearRestricted: input.clearRestricted === true }), { actor: input.by });
  return r.value;
}

/**
 * Approves sections through the app's workflow (each must be in review, or approved already), in one transaction, as
 * one reviewer: the demo's approvals are made this way, so they are real approvals of what the sections say.
 */
export async function approveSections(ws: Workspace, figures: FigureSource, input: { sectionIds: string[]; by: string; clearRestricted?: boolean }): Promise<StatusChange[]> {
  if (!input.sectionIds.length) return [];
  await prepareFigures(ws, figures, input.sectionIds);
  const r = await ws.write(
    input.sectionIds.length === 1 ? 'Approve a section' : 'Approve sections',
    (tx) => {
      const setting = selfApprovalOf(ws);
      return input.sectionIds.map((id) => applyStatus(tx, figures, id, 'approved', input.by, true, { setting, clearRestricted: input.clearRestricted === true }));
    },
    { actor: input.by },
  );
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
  input: { report: string; sectionId?: string; by: string; clearRestricted?: boolean },
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
    (tx) => {
      const setting = selfApprovalOf(ws);
      return targets.map((id) => applyStatus(tx, figures, id, 'approved', by, false, { setting, clearRestricted: input.clearRestricted === true }));
    },
    { actor: by },
  );
  return { reportId: report.id, changes: r.value };
}

// Before approving ------------------------------------------------------------------------------------------------------

/** What approving a section now would sign off, and whether this person may: what the confirmation dialog shows. */
export interface ApprovalPreview {
  sectionId: string;
  title: string;
  reportTitle: string;
  status: SectionStatus;
  /** Who would approve it. */
  approver: string;
  /** Figures that would be signed off (each figure shown, inline or as a table or chart). */
  figures: number;
  citations: number;
  words: number;
  /** The start of its text, as printed. */
  excerpt: string;
  lastEditedBy: string | null;
  lastEditedAt: string;
  selfApproval: SelfApproval;
  /** Why this person cannot approve it now (it is a draft; they made the last change), or null. */
  refusal: string | null;
  /** The approval before, if there was one that recorded what it covered, and what has changed since. */
  lastApproval: { by: string; at: string; changes: SectionChanges } | null;
  /** Sentences citing restricted evidence: approving may clear them for publication (the dialog asks). */
  restricted: RestrictedCitation[];
}

/**
 * What the confirmation dialog names before an approval: the section, what will be signed off (its figures, the text as
 * it stands), who approves, and whether they may. Call inside figures.settle so that no figure is pending.
 */
export function approvalPreview(ws: Workspace, figures: FigureSource, sectionId: string, by: string): ApprovalPreview {
  const s = getSection(ws, sectionId);
  if (!s) throw new WorkspaceError('not-found-record', `There is no section ${sectionId} in this workspace.`);
  const report = findReport(ws, s.reportId);
  const now = currentSnapshot(ws, figures, s, report);
  const setting = selfApprovalOf(ws);
  const text = now.blocks
    .map((b) => blockText(b, (i) => now.figures[i]?.shown ?? ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  const before = readApprovalSnapshot(s.approvalSnapshot);
  return {
    sectionId: s.id,
    title: s.title,
    reportTitle: report.title,
    status: s.status,
    approver: by,
    figures: now.figures.length,
    citations: now.citations.length,
    words: wordCount(now),
    excerpt: text.length > 280 ? `${text.slice(0, 277).trimEnd()}…` : text,
    lastEditedBy: s.updatedBy,
    lastEditedAt: s.updatedAt,
    selfApproval: setting,
    refusal:
      s.status === 'draft' ? `Section “${s.title}” is a draft: send it for review before approving it.` : (selfApprovalRefusal(s, by, setting) ?? null),
    restricted: restrictedCitations(ws, s),
    lastApproval: before
      ? { by: before.approvedBy, at: before.approvedAt, changes: compareSnapshots(before, now, (id) => getEvidence(ws, id)?.title ?? `evidence ${id} (not in this workspace)`) }
      : null,
  };
}
