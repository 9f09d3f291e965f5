import type { DocBlock, DocInline, DocTree, FigureUse } from '../document/tree';
import type { DocxAnnotations } from '../export/docx';
import type { ReportReview, FigureUseReview } from './report';
import type { CommentThread } from './comments';

/**
 * The review copy: the internal Word edition of a report in which every live figure and every evidence citation
 * carries a Word comment saying where it comes from (query, parameters, tables, data fingerprint, imports, sign-off)
 * and what evidence stands behind it, for reviewers who work in Word. The comments are anchored through the Word
 * writer's annotation hook, on the very nodes of the document tree, so the writer's output is never rewritten.
 */

export interface ReviewComment {
  id: number;
  /** Paragraphs of the comment. */
  paragraphs: string[];
  /** A reviewer's comment from the app, on its passage (by its author, at its time), rather than Assay's own note. */
  thread?: { author: string; date: string };
}

/** A thread as a Word comment: the comment, then each reply with who wrote it and when. */
function threadParagraphs(t: CommentThread): string[] {
  return [t.body, ...t.replies.map((r) => `Reply from ${r.author} (${r.createdAt.slice(0, 10)}): ${r.body}`)];
}

/** Each text run of the tree in reading order (paragraphs, quotes, lists, table cells, links). */
function eachText(doc: DocTree, visit: (x: Extract<DocInline, { type: 'text' }>) => void): void {
  const inl = (xs: DocInline[]): void => {
    for (const x of xs) {
      if (x.type === 'text') visit(x);
      else if (x.type === 'link') inl(x.children);
    }
  };
  type Items = { items: { children: DocInline[]; sublists: Items[] }[] };
  const list = (l: Items): void => {
    for (const it of l.items) {
      inl(it.children);
      for (const s of it.sublists) list(s);
    }
  };
  for (const b of doc.blocks) {
    if (b.type === 'paragraph' || b.type === 'quote') inl(b.children);
    else if (b.type === 'list') list(b as unknown as Items);
    else if (b.type === 'table') for (const r of b.rows) for (const c of r) inl(c.children);
  }
}

export interface EvidenceDetail {
  id: string;
  title: string;
  kind: string;
  reference: string | null;
  collectedOn: string | null;
  collectedBy: string | null;
  sensitivity: string;
  verifiedBy: string | null;
  verifiedAt: string | null;
  attachmentName: string | null;
}

function figureComment(use: FigureUse, review: FigureUseReview | undefined, evidence: (id: string) => EvidenceDetail | undefined): string[] {
  const p = use.result.provenance;
  const lines: string[] = [];
  lines.push(`Live figure “${use.name}” (${use.slug})${use.part ? `, part “${use.part}”` : ''}: ${use.formatted}.`);
  if (review) {
    if (review.state === 'approved' && review.approved) lines.push(`Approved by ${review.approved.by} on ${review.approved.at.slice(0, 10)} at ${review.approved.shown}.`);
    else if (review.state === 'stale' && review.approved) {
      lines.push(`CHANGED SINCE APPROVAL: ${review.approved.by} approved ${review.approved.shown} on ${review.approved.at.slice(0, 10)}; it now reads ${review.shown}.`);
    } else if (review.state === 'fresh') lines.push('Not yet approved.');
    else if (review.state === 'unapproved') lines.push(`Not yet approved with these parameters${review.approved ? `; ${review.approved.by} approved it with others` : ''}.`);
    else if (review.state === 'error') lines.push(`Cannot be computed: ${review.error ?? 'unknown error'}.`);
  }
  if (use.result.error) lines.push(`Error: ${use.result.error}`);
  const params = Object.entries(p.params ?? {});
  if (params.length) lines.push(`Parameters: ${params.map(([k, v]) => `${k} = ${String(v)}`).join(', ')}.`);
  if (p.tables?.length) lines.push(`Reads: ${p.tables.join(', ')} (${p.rowsRead.toLocaleString('en-GB')} rows); data fingerprint ${p.fingerprint || 'none'}.`);
  for (const i of p.imports ?? []) lines.push(`Data from import ${i.fileName} (${i.kind}, ${i.rows.toLocaleString('en-GB')} rows, ${i.importedAt.slice(0, 10)}).`);
  if (use.result.numerator !== undefined && use.result.denominator !== undefined) {
    lines.push(`Numerator ${use.result.numerator.toLocaleString('en-GB')}, denominator ${use.result.denominator.toLocaleString('en-GB')}.`);
  }
  const ev = p.evidenceIds ?? [];
  if (ev.length) {
    for (const id of ev) {
      const e = evidence(id);
      lines.push(e ? `Evidence: ${evidenceLine(e)}` : `Evidence ${id}: not in this workspace.`);
    }
  } else lines.push('No evidence is linked to this figure.');
  if (p.sql) lines.push(`Query: ${p.sql.replace(/\s+/g, ' ').trim().slice(0, 1500)}`);
  return lines;
}

function evidenceLine(e: EvidenceDetail): string {
  const bits = [`“${e.title}” (${e.kind}, ${e.sensitivity})`];
  if (e.reference) bits.push(`ref. ${e.reference}`);
  if (e.collectedOn || e.collectedBy) bits.push(`collected${e.collectedOn ? ` ${e.collectedOn}` : ''}${e.collectedBy ? ` by ${e.collectedBy}` : ''}`);
  bits.push(e.verifiedAt ? `verified by ${e.verifiedBy ?? 'someone'} on ${e.verifiedAt.slice(0, 10)}` : 'NOT VERIFIED');
  if (e.attachmentName) bits.push(`attachment ${e.attachmentName}`);
  return `${bits.join('; ')}.`;
}

function citationComment(evidenceId: string, e: EvidenceDetail | undefined): string[] {
  if (!e) return [`Citation of evidence ${evidenceId}, which is not in this workspace.`];
  return [`Evidence cited: ${evidenceLine(e)}`, `Evidence id ${e.id}.`];
}

/**
 * Writes the comment each figure and citation of a document tree will carry, anchored on the node itself. The tree
 * should be the internal edition: a review copy is for reviewers, who must see restricted evidence to judge it.
 */
export function annotateTree(
  doc: DocTree,
  review: ReportReview | undefined,
  evidence: (id: string) => EvidenceDetail | undefined,
  opts: { author: string; date: string; threads?: readonly CommentThread[] },
): { annotations: DocxAnnotations; comments: ReviewComment[] } {
  const comments: ReviewComment[] = [];
  const anchors = new Map<DocInline | DocBlock, number[]>();
  const pending = [...doc.figures];
  let section = '';
  const reviewed = review?.figures ?? [];
  const used = new Set<FigureUseReview>();
  const reviewFor = (use: FigureUse): FigureUseReview | undefined => {
    const r = reviewed.find((x) => !used.has(x) && x.figureId === use.figureId && x.location.sectionTitle === section && (x.display === 'inline') === (use.display === 'inline'));
    if (r) used.add(r);
    return r;
  };
  const takeUse = (figureId: string, inline: boolean): FigureUse | undefined => {
    const i = pending.findIndex((u) => u.figureId === figureId && (u.display === 'inline') === inline);
    return i < 0 ? undefined : pending.splice(i, 1)[0];
  };
  const add = (node: DocInline | DocBlock, paragraphs: string[]): void => {
    // Word wants an annotation id unique among bookmarks, comments and revisions, and LibreOffice mismatches
    // footnotes when a comment shares a bookmark's id: comment ids start well above any other id in the file.
    const id = COMMENT_ID_BASE + comments.length + 1;
    comments.push({ id, paragraphs });
    anchors.set(node, [id]);
  };
  const inlines = (xs: DocInline[]): void => {
    for (const x of xs) {
      if (x.type === 'figure') {
        const use = takeUse(x.figureId, true);
        add(x, use ? figureComment(use, reviewFor(use), evidence) : [`Figure ${x.slug || x.figureId}: ${x.error ?? 'not in the figure library'}.`]);
      } else if (x.type === 'note') {
        const note = doc.notes.find((n) => n.n === x.n);
        add(x, note ? citationComment(note.evidenceId, evidence(note.evidenceId)) : ['Citation without a note.']);
      } else if (x.type === 'link') inlines(x.children);
    }
  };
  const list = (l: { items: { children: DocInline[]; sublists: { items: unknown[] }[] }[] }): void => {
    for (const it of l.items) {
      inlines(it.children);
      for (const sl of it.sublists) list(sl as typeof l);
    }
  };
  for (const b of doc.blocks) {
    switch (b.type) {
      case 'heading':
        if (b.level === 1) section = b.text;
        break;
      case 'paragraph':
      case 'quote':
        inlines(b.children);
        break;
      case 'list':
        list(b);
        break;
      case 'table':
        for (const r of b.rows) for (const c of r) inlines(c.children);
        break;
      case 'figure-table':
      case 'chart': {
        const use = takeUse(b.figureId, false);
        if (use) add(b, figureComment(use, reviewFor(use), evidence));
        break;
      }
      default:
        break;
    }
  }
  // Reviewers' comments from the app, each a Word comment from its author over the passage its mark holds: the range
  // starts before the passage's first run and ends after its last. A detached comment has no passage to hold.
  const open = new Map((opts.threads ?? []).filter((t) => !t.resolvedAt).map((t) => [t.id, t]));
  const spans = new Map<string, { first: DocInline; last: DocInline }>();
  eachText(doc, (x) => {
    for (const id of x.comments ?? []) {
      if (!open.has(id)) continue;
      const s = spans.get(id);
      if (s) s.last = x;
      else spans.set(id, { first: x, last: x });
    }
  });
  const starts = new Map<DocInline, number[]>();
  const ends = new Map<DocInline, number[]>();
  for (const [threadId, span] of spans) {
    const t = open.get(threadId)!;
    const id = COMMENT_ID_BASE + comments.length + 1;
    comments.push({ id, paragraphs: threadParagraphs(t), thread: { author: t.author, date: t.createdAt } });
    starts.set(span.first, [...(starts.get(span.first) ?? []), id]);
    ends.set(span.last, [...(ends.get(span.last) ?? []), id]);
  }
  const date = new Date(opts.date);
  return {
    annotations: {
      inline: (x) => anchors.get(x),
      range: (x) => (starts.has(x) || ends.has(x) ? { start: starts.get(x) ?? [], end: ends.get(x) ?? [] } : undefined),
      block: (b) => anchors.get(b),
      comments: comments.map((c) => {
        const author = c.thread?.author ?? opts.author;
        return { id: c.id, author, initials: initialsOf(author), date: c.thread ? new Date(c.thread.date) : date, paragraphs: c.paragraphs };
      }),
    },
    comments,
  };
}

function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 4)
    .toUpperCase();
}

/** The first comment id: above any bookmark, footnote or other annotation id the writer gives. */
export const COMMENT_ID_BASE = 10_000;

/** What the review copy says about itself, for the CLI and the app. */
export interface ReviewCopySummary {
  comments: number;
  figures: number;
  citations: number;
  /** Reviewers' comments from the app, on their passages. */
  reviewers: number;
}

export function summarise(comments: ReviewComment[]): ReviewCopySummary {
  const ours = comments.filter((c) => !c.thread);
  const figures = ours.filter((c) => c.paragraphs[0]?.startsWith('Live figure') || c.paragraphs[0]?.startsWith('Figure ')).length;
  return { comments: comments.length, figures, citations: ours.length - figures, reviewers: comments.length - ours.length };
}
