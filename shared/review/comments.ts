import { z } from 'zod';
import type { Tx, Workspace } from '../store/workspace';
import { audit } from '../store/audit';
import { WorkspaceError } from '../store/errors';
import { optionalText, parseInput, requiredText } from '../store/validate';
import { LIMITS } from '../util/limits';
import { newId } from '../util/runtime';

/**
 * Comments on a range of a section's text, with replies and resolve. A thread is a top-level comment and its replies;
 * resolving resolves the thread. The anchor is what the editor needs to find the range again (its block and offsets);
 * the quote keeps the words commented on, so a comment still makes sense after the text around it has changed.
 */

export const CommentAnchor = z.looseObject({
  /** 1-based block (paragraph) of the section. */
  paragraph: z.number().int().min(1).optional(),
  /** Character offsets in the block's plain text. */
  start: z.number().int().min(0).optional(),
  end: z.number().int().min(0).optional(),
  /** The editor's own node keys, when it has them. */
  anchorKey: z.string().max(100).optional(),
  focusKey: z.string().max(100).optional(),
});
export type CommentAnchor = z.infer<typeof CommentAnchor>;

export const CommentInput = z.object({
  sectionId: z.string().min(1),
  body: requiredText(LIMITS.comment),
  anchor: CommentAnchor.nullish(),
  quote: optionalText(LIMITS.quote),
  author: requiredText(LIMITS.name),
});
export type CommentInput = z.input<typeof CommentInput>;

const ReplyInput = z.object({ parentId: z.string().min(1), body: requiredText(LIMITS.comment), author: requiredText(LIMITS.name) });

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

export interface Comment {
  id: string;
  sectionId: string;
  parentId: string | null;
  anchor: CommentAnchor | null;
  quote: string | null;
  author: string;
  body: string;
  createdAt: string;
}

export interface CommentThread extends Comment {
  sectionTitle: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
  replies: Comment[];
}

function toComment(r: CommentRow): Comment {
  let anchor: CommentAnchor | null = null;
  if (r.anchor) {
    try {
      const a = CommentAnchor.safeParse(JSON.parse(r.anchor));
      if (a.success) anchor = a.data;
    } catch {
      /* a damaged anchor leaves the comment on the section as a whole; its quote still says where */
    }
  }
  return { id: r.id, sectionId: r.section_id, parentId: r.parent_id, anchor, quote: r.quote, author: r.author, body: r.body, createdAt: r.created_at };
}

function row(tx: Pick<Tx, 'get'>, id: string): CommentRow {
  const r = tx.get<CommentRow>('SELECT * FROM comments WHERE id = ?', [id]);
  if (!r) throw new WorkspaceError('not-found-record', `There is no comment ${id}.`);
  return r;
}

export async function addComment(ws: Workspace, input: CommentInput): Promise<Comment> {
  const c = parseInput('comment', CommentInput, input);
  const r = await ws.write(
    'Comment',
    (tx) => {
      if (!tx.get('SELECT 1 FROM sections WHERE id = ?', [c.sectionId])) throw new WorkspaceError('not-found-record', `There is no section ${c.sectionId}.`);
      const id = newId();
      tx.run('INSERT INTO comments(id, section_id, parent_id, anchor, quote, author, body, created_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?)', [
        id,
        c.sectionId,
        c.anchor ? JSON.stringify(c.anchor) : null,
        c.quote ?? null,
        c.author,
        c.body,
        tx.at,
      ]);
      const after = row(tx, id);
      audit(tx, 'comment.add', 'comments', id, null, after);
      tx.note({ table: 'comments', op: 'insert', key: { id } });
      return toComment(after);
    },
    { actor: c.author },
  );
  return r.value;
}

export async function replyToComment(ws: Workspace, input: { parentId: string; body: string; author: string }): Promise<Comment> {
  const { body, author } = parseInput('reply', ReplyInput, input);
  const r = await ws.write(
    'Reply to a comment',
    (tx) => {
      const parent = row(tx, input.parentId);
      // Threads are one level deep, as in Word: a reply to a reply joins the thread it belongs to.
      const rootId = parent.parent_id ?? parent.id;
      const id = newId();
      tx.run('INSERT INTO comments(id, section_id, parent_id, anchor, quote, author, body, created_at) VALUES (?, ?, ?, NULL, NULL, ?, ?, ?)', [
        id,
        parent.section_id,
        rootId,
        author,
        body,
        tx.at,
      ]);
      const after = row(tx, id);
      audit(tx, 'comment.reply', 'comments', id, null, after);
      tx.note({ table: 'comments', op: 'insert', key: { id } });
      return toComment(after);
    },
    { actor: author },
  );
  return r.value;
}

/** Resolves a thread, or reopens it (`resolved: false`). Resolving a reply resolves its thread. */
export async function resolveComment(ws: Workspace, input: { id: string; by: string; resolved?: boolean }): Promise<{ id: string; resolvedBy: string | null; resolvedAt: string | null }> {
  const resolved = input.resolved ?? true;
  const r = await ws.write(
    resolved ? 'Resolve a comment' : 'Reopen a comment',
    (tx) => {
      const c = row(tx, input.id);
      const rootId = c.parent_id ?? c.id;
      const before = row(tx, rootId);
      tx.run('UPDATE comments SET resolved_by = ?, resolved_at = ? WHERE id = ?', [resolved ? input.by : null, resolved ? tx.at : null, rootId]);
      const after = row(tx, rootId);
      audit(tx, resolved ? 'comment.resolve' : 'comment.reopen', 'comments', rootId, before, after);
      tx.note({ table: 'comments', op: 'update', key: { id: rootId } });
      return { id: rootId, resolvedBy: after.resolved_by, resolvedAt: after.resolved_at };
    },
    { actor: input.by },
  );
  return r.value;
}

/** Threads on a section, or on every section of a report, oldest first; resolved threads only when asked for. */
export function listComments(
  ws: Pick<Workspace, 'all'>,
  where: { sectionId?: string; reportId?: string; includeResolved?: boolean },
): CommentThread[] {
  if (!where.sectionId && !where.reportId) throw new WorkspaceError('invalid', 'comments: give a section or a report');
  const rows = ws.all<CommentRow & { section_title: string }>(
    `SELECT c.*, s.title AS section_title FROM comments c JOIN sections s ON s.id = c.section_id
     WHERE ${where.sectionId ? 'c.section_id = ?' : 's.report_id = ?'} ORDER BY s.position, c.created_at, c.rowid`,
    [where.sectionId ?? where.reportId!],
  );
  const threads = new Map<string, CommentThread>();
  for (const r of rows) {
    if (r.parent_id) continue;
    threads.set(r.id, { ...toComment(r), sectionTitle: r.section_title, resolvedBy: r.resolved_by, resolvedAt: r.resolved_at, replies: [] });
  }
  for (const r of rows) if (r.parent_id) threads.get(r.parent_id)?.replies.push(toComment(r));
  return [...threads.values()].filter((t) => where.includeResolved || !t.resolvedAt);
}
