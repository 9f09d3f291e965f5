import type { Tx } from './workspace';
import { audit } from './audit';
import { WorkspaceError } from './errors';
import { jsonColumn, placeholders, read, type Db } from './query';
import { reportSections, sectionExists, sectionsContaining } from './reports';
import { mentions } from '../review/mentions';
import { newId } from '../util/runtime';

/** Reviewers' comments on a range of a section's text, with replies (one level deep) and resolution. */

export interface CommentRecord {
  id: string;
  sectionId: string;
  parentId: string | null;
  /** What the editor needs to find the range again, as stored (review checks its shape). */
  anchor: unknown;
  quote: string | null;
  author: string;
  body: string;
  createdAt: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

interface CommentRow {
  id: string;
  section_id: string;
  parent_id: string | null;
  anchor: string | null;
  quote: string | null;
  author: string;
  body: string;
  created_at: string;
  resolved_by: string | null;
  resolved_at: string | null;
}

function toComment(r: CommentRow): CommentRecord {
  return {
    id: r.id,
    sectionId: r.section_id,
    parentId: r.parent_id,
    // A damaged anchor leaves the comment on the section as a whole; its quote still says where.
    anchor: jsonColumn<unknown>(r.anchor, null),
    quote: r.quote,
    author: r.author,
    body: r.body,
    createdAt: r.created_at,
    resolvedBy: r.resolved_by,
    resolvedAt: r.resolved_at,
  };
}

function row(db: Db, id: string): CommentRow {
  const r = db.get<CommentRow>('SELECT * FROM comments WHERE id = ?', [id]);
  if (!r) throw new WorkspaceError('not-found-record', `There is no comment ${id}.`);
  return r;
}

/** Starts a thread on a section. */
export function addComment(tx: Tx, c: { sectionId: string; anchor: unknown; quote: string | null; author: string; body: string }): CommentRecord {
  if (!sectionExists(tx, c.sectionId)) throw new WorkspaceError('not-found-record', `There is no section ${c.sectionId}.`);
  const id = newId();
  tx.run('INSERT INTO comments(id, section_id, parent_id, anchor, quote, author, body, created_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?)', [
    id,
    c.sectionId,
    c.anchor === null || c.anchor === undefined ? null : JSON.stringify(c.anchor),
    c.quote,
    c.author,
    c.body,
    tx.at,
  ]);
  const after = row(tx, id);
  audit(tx, 'comment.add', 'comments', id, null, after);
  tx.note({ table: 'comments', op: 'insert', key: { id } });
  return toComment(after);
}

/** Replies in a thread. Threads are one level deep, as in Word: a reply to a reply joins the thread it belongs to. */
export function replyToComment(tx: Tx, r: { parentId: string; author: string; body: string }): CommentRecord {
  const parent = row(tx, r.parentId);
  const rootId = parent.parent_id ?? parent.id;
  const id = newId();
  tx.run('INSERT INTO comments(id, section_id, parent_id, anchor, quote, author, body, created_at) VALUES (?, ?, ?, NULL, NULL, ?, ?, ?)', [
    id,
    parent.section_id,
    rootId,
    r.author,
    r.body,
    tx.at,
  ]);
  const after = row(tx, id);
  audit(tx, 'comment.reply', 'comments', id, null, after);
  tx.note({ table: 'comments', op: 'insert', key: { id } });
  return toComment(after);
}

/** Resolves a thread, or reopens it. Resolving a reply resolves its thread. Returns the thread's first comment. */
export function resolveComment(tx: Tx, id: string, by: string, resolved: boolean): CommentRecord {
  const c = row(tx, id);
  const rootId = c.parent_id ?? c.id;
  const before = row(tx, rootId);
  tx.run('UPDATE comments SET resolved_by = ?, resolved_at = ? WHERE id = ?', [resolved ? by : null, resolved ? tx.at : null, rootId]);
  const after = row(tx, rootId);
  audit(tx, resolved ? 'comment.resolve' : 'comment.reopen', 'comments', rootId, before, after);
  tx.note({ table: 'comments', op: 'update', key: { id: rootId } });
  return toComment(after);
}

/** Comments on a section, or on every section of a report, in section order and then oldest first, with section titles. */
export const commentsOn = read(['comments', 'sections'], (db: Db, where: { sectionId?: string; reportId?: string }): (CommentRecord & { sectionTitle: string })[] => {
  const sections = where.sectionId
    ? reportSections(db, { sectionId: where.sectionId })
    : reportSections(db, { reportId: where.reportId ?? '' });
  if (!sections.length) return [];
  const byId = new Map(sections.map((s, i) => [s.id, { title: s.title, order: i }]));
  const ids = [...byId.keys()];
  return db
    .all<CommentRow>(`SELECT * FROM comments WHERE section_id IN (${placeholders(ids.length)}) ORDER BY created_at, rowid`, ids)
    .map((r) => ({ ...toComment(r), sectionTitle: byId.get(r.section_id)!.title }))
    .sort((a, b) => byId.get(a.sectionId)!.order - byId.get(b.sectionId)!.order);
});

/** Everyone who has written a comment or a reply, by name, A to Z. */
export const commentAuthors = read(['comments'], (db: Db): string[] =>
  db.all<{ author: string }>('SELECT DISTINCT author FROM comments ORDER BY author COLLATE NOCASE').map((r) => r.author),
);

/** A comment that mentions someone, with where it is: the activity list's "X mentioned you in <report>, <section>". */
export interface Mention extends CommentRecord {
  reportId: string;
  reportTitle: string;
  sectionTitle: string;
  /** The thread's first comment (itself for a top-level comment). */
  threadId: string;
}

/** Comments and replies that mention a person (by "@" and their name), newest first, on every report. */
export const commentsMentioning = read(['comments', 'sections', 'reports'], (db: Db, name: string, limit = 50): Mention[] => {
  if (!name.trim()) return [];
  const rows = db.all<CommentRow>("SELECT * FROM comments WHERE instr(body, '@') > 0 ORDER BY created_at DESC, rowid DESC").filter((r) => mentions(r.body, name));
  if (!rows.length) return [];
  const where = new Map(sectionsContaining(db).map((s) => [s.id, s]));
  return rows.slice(0, limit).flatMap((r) => {
    const s = where.get(r.section_id);
    return s ? [{ ...toComment(r), reportId: s.reportId, reportTitle: s.reportTitle, sectionTitle: s.title, threadId: r.parent_id ?? r.id }] : [];
  });
});
