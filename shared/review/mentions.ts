/**
 * Mentions and the comment filters, pure so that the editor, the review screen and the store read them alike.
 * A mention is "@" and a person's name as the workspace knows it (the names of people who have written in it), not
 * followed by a letter or digit: "@Ruth Reviewer," mentions Ruth Reviewer; "@Ruthless" does not mention Ruth.
 */

function mentionPattern(name: string): RegExp {
  const escaped = name.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}_])@${escaped}(?![\\p{L}\\p{N}_])`, 'iu');
}

/** Whether a comment's text mentions a person. */
export function mentions(body: string, name: string | null | undefined): boolean {
  return !!name?.trim() && body.includes('@') && mentionPattern(name).test(body);
}

/** The people a comment mentions, from those the workspace knows, longest name first (so "@Ann Lee" is not "@Ann"). */
export function mentionedIn(body: string, people: readonly string[]): string[] {
  if (!body.includes('@')) return [];
  const found: string[] = [];
  let rest = body;
  for (const p of [...new Set(people.map((x) => x.trim()).filter(Boolean))].sort((a, b) => b.length - a.length)) {
    const re = mentionPattern(p);
    if (re.test(rest)) {
      found.push(p);
      rest = rest.replace(new RegExp(re.source, 'giu'), ' ');
    }
  }
  return found;
}

/** Splits a comment's text into plain runs and mentions, for showing mentions as names. */
export function mentionRuns(body: string, people: readonly string[]): { text: string; mention: boolean }[] {
  const names = mentionedIn(body, people);
  if (!names.length) return [{ text: body, mention: false }];
  const alt = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')).join('|');
  const re = new RegExp(`(?<![\\p{L}\\p{N}_])@(?:${alt})(?![\\p{L}\\p{N}_])`, 'giu');
  const out: { text: string; mention: boolean }[] = [];
  let at = 0;
  for (const m of body.matchAll(re)) {
    if (m.index > at) out.push({ text: body.slice(at, m.index), mention: false });
    out.push({ text: m[0], mention: true });
    at = m.index + m[0].length;
  }
  if (at < body.length) out.push({ text: body.slice(at), mention: false });
  return out;
}

/** The name being typed after an "@" at the caret, if any ("@Ru" → "Ru"), and where its "@" is. */
export function mentionAtCaret(text: string, caret: number): { query: string; start: number } | undefined {
  const before = text.slice(0, caret);
  const m = /(?:^|[\s(])@([\p{L}\p{N}'’-]*(?: [\p{L}\p{N}'’-]*)?)$/u.exec(before);
  if (!m) return undefined;
  return { query: m[1]!, start: caret - m[1]!.length - 1 };
}

export type CommentFilter = 'open' | 'mine' | 'all';

export const COMMENT_FILTERS: { id: CommentFilter; label: string }[] = [
  { id: 'open', label: 'Open' },
  { id: 'mine', label: 'Mine' },
  { id: 'all', label: 'All' },
];

interface ThreadLike {
  author: string;
  body: string;
  resolvedAt: string | null;
  replies: { author: string; body: string }[];
}

/**
 * The threads a filter shows: "Open", those not resolved; "Mine", open threads I wrote in or that mention me;
 * "All", every thread, resolved ones too.
 */
export function filterThreads<T extends ThreadLike>(threads: readonly T[], filter: CommentFilter, me: string | null | undefined): T[] {
  if (filter === 'all') return [...threads];
  const open = threads.filter((t) => !t.resolvedAt);
  if (filter === 'open') return open;
  const mine = (c: { author: string; body: string }) => (!!me && c.author.trim().toLowerCase() === me.trim().toLowerCase()) || mentions(c.body, me);
  return open.filter((t) => mine(t) || t.replies.some(mine));
}
