import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { MergeConflictView, MergePreview } from '../../../../shared/ipc/contract';
import { tableWords } from '../../../../shared/ipc/tables';
import { listAssessments, listFrameworks } from '../../../../shared/store/assessments';
import { mergedPeers } from '../../../../shared/store/imports';
import type { Db } from '../../../../shared/store/query';
import { assignmentsOf, editableColumns, exportForInspector, listConflicts, mergeIntoOpenWorkspace, resolveMergeConflict, type MergeConflictRow, type MergeResult } from '../../merge/index';
import { writeAtomic } from '../../workspace-file';
import { importFilesOf } from '../files/import-files';
import { AppError } from '../ipc/errors';
import type { PartialHandlerMap } from '../ipc/handler';
import type { AppSession } from '../session/session';
import { privateCopyFolder } from './attachments';

/**
 * Bringing an inspector's workspace in (File › Bring in a workspace…) and handing one out (File › Export for
 * inspector…), over the merge engine (shared/merge). The workspace to bring in is opened read-only from where it is
 * (Electron's dialog) or from a private copy of the bytes the loopback host's page uploaded; one is held per session,
 * by handle, between the preview and "Bring in".
 */

interface Opened {
  handle: string;
  path: string;
  fileName: string;
  /** A private copy made for an upload, removed when let go. */
  copyFolder?: string;
}

const opened = new WeakMap<AppSession, Opened>();

function letGo(session: AppSession): void {
  const o = opened.get(session);
  if (o?.copyFolder) rmSync(o.copyFolder, { recursive: true, force: true });
  opened.delete(session);
}

function heldFile(session: AppSession, handle: string): Opened {
  const o = opened.get(session);
  if (!o || o.handle !== handle) throw new AppError('not-found', 'That workspace is no longer open to bring in: choose it again.', { handle: 'is not open' });
  return o;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

/** A merge's result in the words the preview and the outcome show. */
export function describeMerge(r: MergeResult, o: Opened, done: boolean): MergePreview {
  const tables = Object.entries(r.tables)
    .filter(([, t]) => t.added + t.updated + t.keptOurs + t.conflicts + t.skippedDeleted > 0)
    .map(([table, t]) => ({ table, label: tableWords(table), added: t.added, updated: t.updated, unchanged: t.unchanged, keptOurs: t.keptOurs, conflicts: t.conflicts, notBroughtBack: t.skippedDeleted }));
  const added = tables.reduce((n, t) => n + t.added, 0);
  const updated = tables.reduce((n, t) => n + t.updated, 0);
  const conflicts = r.conflicts.length;
  const what = `${plural(added, 'record')} ${done ? 'added' : 'to add'}, ${plural(updated, 'record')} ${done ? 'updated' : 'to update'}`;
  const listed = conflicts ? `; ${plural(conflicts, 'record')} changed on both sides ${done ? 'listed' : 'will be listed'} for you to resolve` : '';
  const message = !r.changed
    ? `Nothing to bring in: this workspace already has everything in ${r.peerName}.`
    : done
      ? `Brought in ${r.peerName}: ${what}${listed}.`
      : `Bringing in ${r.peerName} would make ${what}${listed}. Nothing has been changed yet.`;
  return { handle: o.handle, fileName: o.fileName, peerName: r.peerName, tables, conflicts, changed: r.changed, message };
}

/** Column names in words: "quality_statement_id" is "Quality statement". */
function fieldLabel(column: string): string {
  const words = column.replace(/_id$/, '').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** One record of a table, in words: the conflicts screen names one record at a time. */
const RECORD_WORDS: Record<string, string> = {
  findings: 'Finding',
  evidence: 'Evidence source',
  assessments: 'Inspection or assessment',
  assessment_scores: 'Quality statement score',
  assessment_category_scores: 'Evidence category score',
  assessment_ratings: 'Draft rating',
  ratings: 'Published rating',
  inspections: 'Inspection',
  area_reviews: 'Area review',
  area_review_themes: 'Area review theme',
  finding_evidence: 'Evidence cited by a finding',
};

const shown = (v: unknown): string | number | null => (v === null || v === undefined ? null : typeof v === 'number' ? v : String(v));

/** What a conflicted record is, in a few words, from the record itself. */
function describeRecord(db: Db, c: MergeConflictRow, statements: Map<string, string>): string {
  const r = (c.ours ?? c.theirs) as Record<string, unknown>;
  const text = (v: unknown, n = 90) => {
    const s = String(v ?? '').trim();
    return s.length > n ? `${s.slice(0, n - 1)}…` : s;
  };
  switch (c.table) {
    case 'findings':
      return `“${text(r.text)}”`;
    case 'evidence':
      return text(r.title);
    case 'assessments': {
      const a = listAssessments(db, { subjectType: String(r.subject_type), subjectId: String(r.subject_id), limit: 100 }).find((x) => x.id === r.id);
      return text(r.title ?? `${String(r.kind)} of ${a?.subjectName ?? 'its subject'}`);
    }
    case 'assessment_scores':
    case 'assessment_category_scores':
      return `Score for “${statements.get(String(r.quality_statement_id)) ?? String(r.quality_statement_id)}”`;
    case 'assessment_ratings':
      return `Rating for ${fieldLabel(String(r.key_question_id))}`;
    default:
      return c.recordId;
  }
}

function conflictView(db: Db, c: MergeConflictRow, peers: Map<string, string>, statements: Map<string, string>): MergeConflictView {
  const editable = new Set(editableColumns(db, c.table));
  const ours = (c.ours ?? {}) as Record<string, unknown>;
  const theirs = c.theirs as Record<string, unknown>;
  const fields = [...editable].map((name) => ({
    name,
    label: fieldLabel(name),
    ours: c.ours ? shown(ours[name]) : null,
    theirs: shown(theirs[name]),
    differs: !c.ours || shown(ours[name]) !== shown(theirs[name]),
    editable: true,
  }));
  return {
    id: c.id,
    table: c.table,
    label: RECORD_WORDS[c.table] ?? tableWords(c.table),
    describe: describeRecord(db, c, statements),
    peerName: peers.get(c.peerWorkspaceId) ?? 'another workspace',
    detectedAt: c.detectedAt,
    resolvedBy: c.resolvedBy,
    resolvedAt: c.resolvedAt,
    resolution: c.resolution,
    fields,
    deletedHere: !c.ours,
  };
}

export const mergeHandlers: PartialHandlerMap<'merge.open' | 'merge.run' | 'merge.conflicts' | 'merge.resolve' | 'inspectorPack.options' | 'inspectorPack.export'> = {
  'merge.open': async ({ upload }, { session }) => {
    let next: Opened;
    if (upload) {
      const file = importFilesOf(session).get(upload);
      const folder = privateCopyFolder();
      const path = join(folder, 'workspace.assay');
      await writeAtomic(path, file.bytes);
      importFilesOf(session).release(upload);
      next = { handle: randomBytes(18).toString('base64url'), path, fileName: file.fileName, copyFolder: folder };
    } else {
      if (!session.host.pickWorkspaceFile) {
        throw new AppError('bad-request', 'This host has no file dialog: upload the workspace first and give its handle as “upload”.', { upload: 'is needed here' });
      }
      const path = await session.host.pickWorkspaceFile('Bring in a workspace');
      if (!path) return null;
      next = { handle: randomBytes(18).toString('base64url'), path, fileName: basename(path) };
    }
    letGo(session);
    opened.set(session, next);
    try {
      const r = await mergeIntoOpenWorkspace(session.file, next.path, { actor: session.actor(), dryRun: true, sourceFileName: next.fileName });
      return describeMerge(r, next, false);
    } catch (e) {
      letGo(session);
      // A message about the private copy names the file the person chose, not where it was copied to.
      if (next.copyFolder && e instanceof Error) e.message = e.message.split(next.path).join(next.fileName);
      throw e;
    }
  },

  'merge.run': async ({ handle }, { session }) => {
    const o = heldFile(session, handle);
    const r = await mergeIntoOpenWorkspace(session.file, o.path, { actor: session.actor(), sourceFileName: o.fileName });
    letGo(session);
    return { ...describeMerge(r, o, true), importId: r.importId };
  },

  'merge.conflicts': ({ includeResolved }, { session }) => {
    const db = session.ws;
    const peers = mergedPeers(db);
    const statements = new Map(listFrameworks(db).flatMap((f) => f.groups.flatMap((g) => g.statements.map((s) => [s.id, s.name] as const))));
    return { rows: listConflicts(db, { unresolvedOnly: !includeResolved }).map((c) => conflictView(db, c, peers, statements)) };
  },

  'merge.resolve': async ({ id, choice, values }, { session }) => {
    const by = session.actor();
    if (choice === 'edit') {
      if (!values || !Object.keys(values).length) throw new AppError('invalid', 'Give the edited values, or keep one side as it is.', { values: 'are needed to edit' });
      await resolveMergeConflict(session.file, id, { choice, values }, by);
    } else await resolveMergeConflict(session.file, id, choice, by);
    return { id, resolution: choice === 'edit' ? 'edited' : choice };
  },

  'inspectorPack.options': (_input, { session }) => {
    const open = listAssessments(session.ws, { limit: 100_000 }).filter((a) => a.status !== 'published');
    const names = new Map<string, string>();
    for (const a of open) for (const n of [a.leadInspector, ...a.team.map((m) => m.name)]) if (n?.trim()) names.set(n.trim().toLowerCase(), n.trim());
    const inspectors = [...names.values()]
      .sort((a, b) => a.localeCompare(b, 'en-GB'))
      .map((name) => ({ name, assignments: assignmentsOf(session.ws, name).map((a) => ({ id: a.id, title: a.title ?? a.kind, subjectName: a.subjectName, status: a.status })) }));
    return { inspectors, open: open.map((a) => ({ id: a.id, title: a.title ?? a.kind, subjectName: a.subjectName, status: a.status, lead: a.leadInspector })) };
  },

  'inspectorPack.export': async ({ inspector, assessmentIds, clearance, folder }, { session }) => {
    const dir = await session.host.exportFolder(session, folder);
    if (!dir) throw new AppError('invalid', 'No folder was chosen, so nothing was written.', { folder: 'was not chosen' });
    mkdirSync(dir, { recursive: true });
    const safe = inspector.replace(/[^\p{L}\p{N} .'-]+/gu, ' ').trim() || 'Inspector';
    const stamp = new Date().toISOString().slice(0, 10);
    let fileName = `${safe} – fieldwork ${stamp}.assay`;
    for (let n = 2; existsSync(join(dir, fileName)); n++) fileName = `${safe} – fieldwork ${stamp} (${n}).assay`;
    const r = await exportForInspector(session.file, join(dir, fileName), { inspector, clearance, actor: session.actor(), ...(assessmentIds ? { assessmentIds } : {}) });
    session.exported.add(r.path);
    const held = Object.entries(r.withheld);
    const message = `Made ${fileName} for ${inspector}: ${plural(r.assignments.length, 'assessment')}${
      held.length ? `; ${held.map(([s, n]) => plural(n, `${s} evidence source`)).join(' and ')} held back (cleared for ${clearance} only)` : ''
    }.`;
    return { path: r.path, fileName, assignments: r.assignments, withheld: r.withheld, message };
  },
};
