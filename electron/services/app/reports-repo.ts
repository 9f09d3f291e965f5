import type { ReportSummary } from '../../../shared/ipc/contract';
import { audit } from '../../../shared/store/audit';
import { slugify } from '../../../shared/store/reference';
import type { Tx, Workspace } from '../../../shared/store/workspace';
import { lxRoot } from '../../../shared/document/lexical';
import { newId } from '../../../shared/util/runtime';
import { AppError, notFound } from './errors';

/**
 * Reports and their sections, written the way every repository function in shared/store is: inside one write, with an
 * audit entry and a row-level change note. Section positions are kept dense (0..n-1) so "move to index" means what
 * the outline shows.
 */

interface ReportRow {
  id: string;
  slug: string;
  title: string;
  subtitle: string | null;
  template_id: string | null;
  params: string;
  author: string | null;
  created_at: string;
  updated_at: string;
}

interface SectionRow {
  id: string;
  report_id: string;
  position: number;
  title: string;
  owner: string | null;
  status: string;
  content: string;
  updated_at: string;
}

type Reader = Pick<Workspace, 'all' | 'get'> | Pick<Tx, 'all' | 'get'>;

function parseParams(json: string): Record<string, string> {
  try {
    const v = JSON.parse(json) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) if (val !== null && val !== undefined) out[k] = String(val);
    return out;
  } catch {
    return {};
  }
}

export function reportSummaries(db: Reader, id?: string): ReportSummary[] {
  const reports = db.all<ReportRow>(`SELECT * FROM reports ${id ? 'WHERE id = ?' : ''} ORDER BY updated_at DESC, title`, id ? [id] : []);
  const sections = db.all<SectionRow & { report_id: string }>(
    `SELECT id, report_id, position, title, owner, status, updated_at FROM sections ${id ? 'WHERE report_id = ?' : ''} ORDER BY report_id, position`,
    id ? [id] : [],
  );
  const byReport = new Map<string, ReportSummary['sections']>();
  for (const s of sections) {
    const list = byReport.get(s.report_id) ?? [];
    list.push({ id: s.id, title: s.title, status: s.status, position: s.position, owner: s.owner, updatedAt: s.updated_at });
    byReport.set(s.report_id, list);
  }
  return reports.map((r) => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    subtitle: r.subtitle,
    templateId: r.template_id,
    params: parseParams(r.params),
    updatedAt: r.updated_at,
    sections: byReport.get(r.id) ?? [],
  }));
}

export function reportWithContents(db: Reader, id: string): ReportSummary & { sectionContents: Record<string, string> } {
  const summary = reportSummaries(db, id)[0];
  if (!summary) throw notFound('Report', id);
  const contents: Record<string, string> = {};
  for (const s of db.all<{ id: string; content: string }>('SELECT id, content FROM sections WHERE report_id = ?', [id])) contents[s.id] = s.content;
  return { ...summary, sectionContents: contents };
}

function uniqueSlug(tx: Tx, title: string): string {
  const base = slugify(title).slice(0, 80) || 'report';
  let slug = base;
  for (let i = 2; tx.get('SELECT 1 FROM reports WHERE slug = ?', [slug]); i++) slug = `${base}-${i}`;
  return slug;
}

export const EMPTY_CONTENT = JSON.stringify(lxRoot([]));

export interface NewReport {
  title: string;
  subtitle?: string | null;
  templateId?: string | null;
  params?: Record<string, string>;
  sections: { title: string; content?: string; owner?: string | null }[];
}

export function createReport(tx: Tx, r: NewReport): string {
  const id = newId();
  const slug = uniqueSlug(tx, r.title);
  tx.run('INSERT INTO reports(id, slug, title, subtitle, template_id, params, author, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    id,
    slug,
    r.title,
    r.subtitle ?? null,
    r.templateId ?? null,
    JSON.stringify(r.params ?? {}),
    tx.actor,
    tx.at,
    tx.at,
  ]);
  r.sections.forEach((s, i) => {
    tx.run('INSERT INTO sections(id, report_id, position, title, owner, status, content, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      newId(),
      id,
      i,
      s.title,
      s.owner ?? null,
      'draft',
      s.content ?? EMPTY_CONTENT,
      tx.at,
    ]);
  });
  audit(tx, 'report.create', 'reports', id, null, { title: r.title, templateId: r.templateId ?? null, params: r.params ?? {}, sections: r.sections.length });
  tx.note({ table: 'reports', op: 'insert', key: { id } });
  tx.note({ table: 'sections', op: 'insert', key: { report_id: id } });
  return id;
}

function requireReport(tx: Tx, id: string): ReportRow {
  const r = tx.get<ReportRow>('SELECT * FROM reports WHERE id = ?', [id]);
  if (!r) throw notFound('Report', id);
  return r;
}

function requireSection(tx: Tx, id: string): SectionRow {
  const s = tx.get<SectionRow>('SELECT * FROM sections WHERE id = ?', [id]);
  if (!s) throw notFound('Section', id);
  return s;
}

function touchReport(tx: Tx, reportId: string): void {
  tx.run('UPDATE reports SET updated_at = ? WHERE id = ?', [tx.at, reportId]);
}

export function setReportParams(tx: Tx, id: string, params: Record<string, string>): void {
  const before = requireReport(tx, id);
  tx.run('UPDATE reports SET params = ?, updated_at = ? WHERE id = ?', [JSON.stringify(params), tx.at, id]);
  audit(tx, 'report.params', 'reports', id, { params: parseParams(before.params) }, { params });
  tx.note({ table: 'reports', op: 'update', key: { id } });
}

/** Renumbers a report's sections 0..n-1 in the order given. */
function renumber(tx: Tx, ids: string[]): void {
  ids.forEach((sid, i) => tx.run('UPDATE sections SET position = ? WHERE id = ? AND position <> ?', [i, sid, i]));
}

function sectionOrder(tx: Tx, reportId: string): string[] {
  return tx.all<{ id: string }>('SELECT id FROM sections WHERE report_id = ? ORDER BY position, rowid', [reportId]).map((s) => s.id);
}

export function addSection(tx: Tx, reportId: string, title: string, afterSectionId?: string): string {
  requireReport(tx, reportId);
  const order = sectionOrder(tx, reportId);
  let index = order.length;
  if (afterSectionId) {
    const at = order.indexOf(afterSectionId);
    if (at < 0) throw new AppError('invalid', `Section ${afterSectionId} is not in this report.`, { afterSectionId: 'is not a section of this report' });
    index = at + 1;
  }
  const id = newId();
  tx.run('INSERT INTO sections(id, report_id, position, title, owner, status, content, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
    id,
    reportId,
    order.length,
    title,
    tx.actor,
    'draft',
    EMPTY_CONTENT,
    tx.at,
  ]);
  order.splice(index, 0, id);
  renumber(tx, order);
  touchReport(tx, reportId);
  audit(tx, 'section.add', 'sections', id, null, { reportId, title, position: index });
  tx.note({ table: 'sections', op: 'insert', key: { id } });
  return id;
}

export function renameSection(tx: Tx, id: string, title: string): void {
  const before = requireSection(tx, id);
  tx.run('UPDATE sections SET title = ?, updated_at = ? WHERE id = ?', [title, tx.at, id]);
  touchReport(tx, before.report_id);
  audit(tx, 'section.rename', 'sections', id, { title: before.title }, { title });
  tx.note({ table: 'sections', op: 'update', key: { id } });
}

export function moveSection(tx: Tx, id: string, toIndex: number): void {
  const s = requireSection(tx, id);
  const order = sectionOrder(tx, s.report_id);
  const from = order.indexOf(id);
  const to = Math.min(toIndex, order.length - 1);
  if (from === to) return;
  order.splice(from, 1);
  order.splice(to, 0, id);
  renumber(tx, order);
  touchReport(tx, s.report_id);
  audit(tx, 'section.move', 'sections', id, { position: from }, { position: to });
  tx.note({ table: 'sections', op: 'update', key: { id } });
}

export function deleteSection(tx: Tx, id: string): void {
  const s = requireSection(tx, id);
  // Approvals and comments on the section go with it (ON DELETE CASCADE); the audit entry keeps its text.
  tx.run('DELETE FROM sections WHERE id = ?', [id]);
  renumber(tx, sectionOrder(tx, s.report_id));
  touchReport(tx, s.report_id);
  audit(tx, 'section.delete', 'sections', id, { title: s.title, position: s.position, content: s.content }, null);
  tx.note({ table: 'sections', op: 'delete', key: { id } });
}

/** Returns when the section was last changed: now, or before when the content is the same. */
export function saveSectionContent(tx: Tx, id: string, content: string): string {
  const s = requireSection(tx, id);
  if (s.content === content) return s.updated_at;
  tx.run('UPDATE sections SET content = ?, updated_at = ? WHERE id = ?', [content, tx.at, id]);
  touchReport(tx, s.report_id);
  // The audit log records that the text changed, not every keystroke's full text: autosaves would swamp the file.
  audit(tx, 'section.edit', 'sections', id, { bytes: s.content.length }, { bytes: content.length });
  tx.note({ table: 'sections', op: 'update', key: { id } });
  return tx.at;
}
