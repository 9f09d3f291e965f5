import { z } from 'zod';
import type { Workspace } from '../store/workspace';
import { WorkspaceError } from '../store/errors';
import { optionalText, parseInput, requiredText } from '../store/validate';
import * as store from '../store/comments';
import { auditActors } from '../store/audit';
import { reportSections } from '../store/reports';
import { commentPlace, sectionText, type CommentPlace, type SectionText } from '../document/comment-marks';
import { LIMITS } from '../util/limits';

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
  /** The passage is marked in the text (a mark with the comment's id): when the mark goes, the comment is detached. */
  mark: z.boolean().optional(),
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
  /** Where the thread stands in its section's text now (shared/document/comment-marks.ts). */
  place: CommentPlace;
  /** The words its mark holds now (they may have been edited since the comment); the quote when it has no mark. */
  passage: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  replies: Comment[];
}

function toComment(r: store.CommentRecord): Comment {
  const a = r.anchor === null ? undefined : CommentAnchor.safeParse(r.anchor);
  return {
    id: r.id,
    sectionId: r.sectionId,
    parentId: r.parentId,
    // An anchor of the wrong shape leaves the comment on the section as a whole; its quote still says where.
    anchor: a?.success ? a.data : null,
    quote: r.quote,
    author: r.author,
    body: r.body,
    createdAt: r.createdAt,
  };
}

export async function addComment(ws: Workspace, input: CommentInput): Promise<Comment> {
  const c = parseInput('comment', CommentInput, input);
  const r = await ws.write(
    'Comment',
    (tx) => toComment(store.addComment(tx, { sectionId: c.sectionId, anchor: c.anchor ?? null, quote: c.quote ?? null, author: c.author, body: c.body })),
    { actor: c.author },
  );
  return r.value;
}

export async function replyToComment(ws: Workspace, input: { parentId: string; body: string; author: string }): Promise<Comment> {
  const { body, author } = parseInput('reply', ReplyInput, input);
  const r = await ws.write('Reply to a comment', (tx) => toComment(store.replyToComment(tx, { parentId: input.parentId, body, author })), { actor: author });
  return r.value;
}

/** Resolves a thread, or reopens it (`resolved: false`). Resolving a reply resolves its thread. */
export async function resolveComment(ws: Workspace, input: { id: string; by: string; resolved?: boolean }): Promise<{ id: string; resolvedBy: string | null; resolvedAt: string | null }> {
  const resolved = input.resolved ?? true;
  const r = await ws.write(
    resolved ? 'Resolve a comment' : 'Reopen a comment',
    (tx) => {
      const root = store.resolveComment(tx, input.id, input.by, resolved);
      return { id: root.id, resolvedBy: root.resolvedBy, resolvedAt: root.resolvedAt };
    },
    { actor: input.by },
  );
  return r.value;
}

/** Threads on a section, or on every section of a report, oldest first; resolved threads only when asked for. */
export function listComments(
  ws: Pick<Workspace, 'all' | 'get'>,
  where: { sectionId?: string; reportId?: string; includeResolved?: boolean },
): CommentThread[] {
  if (!where.sectionId && !where.reportId) throw new WorkspaceError('invalid', 'comments: give a section or a report');
  const rows = store.commentsOn(ws, where.sectionId ? { sectionId: where.sectionId } : { reportId: where.reportId! });
  const texts = new Map<string, SectionText>();
  const textOf = (sectionId: string): SectionText => {
    let t = texts.get(sectionId);
    if (!t) {
      t = sectionText(reportSections(ws, { sectionId })[0]?.content ?? '');
      texts.set(sectionId, t);
    }
    return t;
  };
  const threads = new Map<string, CommentThread>();
  for (const r of rows) {
    if (r.parentId) continue;
    const c = toComment(r);
    const text = textOf(r.sectionId);
    const place = commentPlace(text, { id: r.id, quote: r.quote, hadMark: c.anchor?.mark === true });
    const passage = text.marked.get(r.id) ?? r.quote;
    threads.set(r.id, { ...c, sectionTitle: r.sectionTitle, place, passage, resolvedBy: r.resolvedBy, resolvedAt: r.resolvedAt, replies: [] });
  }
  for (const r of rows) if (r.parentId) threads.get(r.parentId)?.replies.push(toComment(r));
  return [...threads.values()].filter((t) => where.includeResolved || !t.resolvedAt);
}

/** Names that are never a person's: the demonstration's generator and an unnamed account. */
const NOT_PEOPLE = /^(unknown|assay\b.*)$/i;

/**
 * The people who can be mentioned: everyone who has written in the workspace (the audit log's names, comment authors)
 * and the person using it, A to Z, each name once.
 */
export function commentPeople(ws: Pick<Workspace, 'all' | 'get'>, me: string | null): string[] {
  const seen = new Map<string, string>();
  for (const n of [...(me ? [me] : []), ...auditActors(ws), ...store.commentAuthors(ws)]) {
    const name = n.trim();
    if (name && !NOT_PEOPLE.test(name) && !seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b, 'en-GB'));
}

/** One line of the activity list: someone mentioned me in a comment or reply. */
export interface ActivityItem {
  id: string;
  threadId: string;
  author: string;
  body: string;
  createdAt: string;
  reportId: string;
  reportTitle: string;
  sectionId: string;
  sectionTitle: string;
}

/** Comments and replies by others that mention me, newest first: the activity list. */
export function activityFor(ws: Pick<Workspace, 'all' | 'get'>, me: string): ActivityItem[] {
  return store
    .commentsMentioning(ws, me)
    .filter((m) => m.author.trim().toLowerCase() !== me.trim().toLowerCase())
    .map((m) => ({
      id: m.id,
      threadId: m.threadId,
      author: m.author,
      body: m.body,
      createdAt: m.createdAt,
      reportId: m.reportId,
      reportTitle: m.reportTitle,
      sectionId: m.sectionId,
      sectionTitle: m.sectionTitle,
    }));
}
