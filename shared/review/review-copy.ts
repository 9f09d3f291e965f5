import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { DocBlock, DocInline, DocTree, FigureUse } from '../document/tree';
import type { ReportReview, FigureUseReview } from './report';

/**
 * The review copy: the internal Word edition of a report in which every live figure and every evidence citation
 * carries a Word comment saying where it comes from (query, parameters, tables, data fingerprint, imports, sign-off)
 * and what evidence stands behind it, for reviewers who work in Word.
 *
 * The exporters' Word writer has no notion of comments, and review should not fork it. So the review copy marks each
 * figure and citation in the document tree with private-use characters, lets the writer produce its usual document,
 * and then turns the marks into Word comment ranges and adds the comments part. Marks the writer copied elsewhere
 * (image titles) are removed, so nothing of them shows.
 */

export interface ReviewComment {
  id: number;
  /** Paragraphs of the comment. */
  paragraphs: string[];
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

// U+E000..U+E003 are in the Private Use Area: no report text contains them, and they survive the writer untouched.
const OPEN = '\uE000';
const OPEN_END = '\uE001';
const CLOSE = '\uE002';
const CLOSE_END = '\uE003';
const open = (id: number) => `${OPEN}${id}${OPEN_END}`;
const close = (id: number) => `${CLOSE}${id}${CLOSE_END}`;
const ANY_MARK = /[\uE000\uE002]\d+[\uE001\uE003]/g;

function figureComment(use: FigureUse, review: FigureUseReview | undefined, evidence: (id: string) => EvidenceDetail | undefined): string[] {
  const p = use.result.provenance;
  const lines: string[] = [];
  lines.push(`Live figure “${use.name}” (${use.slug})${use.part ? `, part “${use.part}”` : ''}: ${use.formatted}.`);
  if (review) {
    if (review.state === 'approved' && review.approved) lines.push(`Approved by ${review.approved.by} on ${review.approved.at.slice(0, 10)} at ${review.approved.shown}.`);
    else if (review.state === 'stale' && review.approved) {
      lines.push(`CHANGED SINCE APPROVAL: ${review.approved.by} approved ${review.approved.shown} on ${review.approved.at.slice(0, 10)}; it now reads ${review.shown}.`);
    } else if (review.state === 'unapproved') lines.push('Not yet approved.');
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
 * Marks every figure and citation in a document tree and writes the comment each will carry. The tree should be the
 * internal edition: a review copy is for reviewers, who must see restricted evidence to judge it.
 */
export function annotateTree(doc: DocTree, review: ReportReview | undefined, evidence: (id: string) => EvidenceDetail | undefined): { doc: DocTree; comments: ReviewComment[] } {
  const comments: ReviewComment[] = [];
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
  const add = (paragraphs: string[]): number => {
    const id = comments.length + 1;
    comments.push({ id, paragraphs });
    return id;
  };
  const inlines = (xs: DocInline[]): DocInline[] =>
    xs.flatMap((x): DocInline[] => {
      if (x.type === 'figure') {
        const use = takeUse(x.figureId, true);
        const id = add(use ? figureComment(use, reviewFor(use), evidence) : [`Figure ${x.slug || x.figureId}: ${x.error ?? 'not in the figure library'}.`]);
        return [{ ...x, text: `${open(id)}${x.text}${close(id)}` }];
      }
      if (x.type === 'note') {
        const note = doc.notes.find((n) => n.n === x.n);
        const id = add(note ? citationComment(note.evidenceId, evidence(note.evidenceId)) : ['Citation without a note.']);
        // A citation is a footnote mark: the comment is anchored on a point just before it.
        return [{ type: 'text', text: `${open(id)}${close(id)}` }, x];
      }
      if (x.type === 'link') return [{ ...x, children: inlines(x.children) }];
      return [x];
    });
  const blocks = doc.blocks.map((b): DocBlock => {
    switch (b.type) {
      case 'heading':
        if (b.level === 1) section = b.text;
        return b;
      case 'paragraph':
      case 'quote':
        return { ...b, children: inlines(b.children) };
      case 'list': {
        const list = (l: { ordered: boolean; start: number; items: typeof b.items }): typeof l => ({
          ...l,
          items: l.items.map((it) => ({ children: inlines(it.children), sublists: it.sublists.map(list) })),
        });
        return { type: 'list', ...list(b) };
      }
      case 'table':
        return { ...b, rows: b.rows.map((r) => r.map((c) => ({ ...c, children: inlines(c.children) }))) };
      case 'figure-table':
      case 'chart': {
        const use = takeUse(b.figureId, false);
        if (!use) return b;
        const id = add(figureComment(use, reviewFor(use), evidence));
        return { ...b, caption: `${open(id)}${b.caption}${close(id)}` };
      }
      default:
        return b;
    }
  });
  return { doc: { ...doc, blocks }, comments };
}

function xmlEscape(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}

const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const COMMENTS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments';
const COMMENTS_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml';

export function commentsXml(comments: ReviewComment[], author: string, date: string, offset = 0): string {
  const initials = author
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 4)
    .toUpperCase();
  const body = comments
    .map(
      (c) =>
        `<w:comment w:id="${c.id + offset}" w:author="${xmlEscape(author)}" w:date="${xmlEscape(date)}" w:initials="${xmlEscape(initials)}">` +
        c.paragraphs
          .map(
            (p, i) =>
              `<w:p>${i === 0 ? '<w:r><w:annotationRef/></w:r>' : ''}<w:r><w:t xml:space="preserve">${xmlEscape(p)}</w:t></w:r></w:p>`,
          )
          .join('') +
        '</w:comment>',
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments xmlns:w="${W_NS}">${body}</w:comments>`;
}

const RUN = /<w:r(?=[\s>])[^>]*>[\s\S]*?<\/w:r>/g;

/**
 * Turns the marks in document.xml into comment ranges and references. Word requires an annotation id to be unique
 * among all annotations (bookmarks, comments, revisions), and LibreOffice mismatches footnotes when a comment shares
 * a bookmark's id, so comment n is written as id `offset + n`.
 */
export function placeComments(documentXml: string, offset = 0): { xml: string; placed: Set<number> } {
  const placed = new Set<number>();
  const xml = documentXml.replace(RUN, (run) => {
    if (!/[\uE000\uE002]/.test(run)) return run;
    const starts = [...run.matchAll(/\uE000(\d+)\uE001/g)].map((m) => Number(m[1]));
    const ends = [...run.matchAll(/\uE002(\d+)\uE003/g)].map((m) => Number(m[1]));
    const wid = (id: number) => id + offset;
    const clean = run.replace(ANY_MARK, '');
    // A run left with no text (a point anchor) is dropped rather than kept as an empty run.
    const empty = !/<w:t(?:\s[^>]*)?>[^<]+<\/w:t>/.test(clean) && !/<w:(?:tab|br|drawing|footnoteReference|fldChar|instrText)\b/.test(clean);
    const before = starts.map((id) => `<w:commentRangeStart w:id="${wid(id)}"/>`).join('');
    const after = ends
      .map((id) => {
        placed.add(id);
        return `<w:commentRangeEnd w:id="${wid(id)}"/><w:r><w:commentReference w:id="${wid(id)}"/></w:r>`;
      })
      .join('');
    return `${before}${empty ? '' : clean}${after}`;
  });
  return { xml: xml.replace(ANY_MARK, ''), placed };
}

/** Adds the comments to a Word file made from an annotated tree. */
export function addCommentsToDocx(docx: Uint8Array, comments: ReviewComment[], opts: { author: string; date: string }): Uint8Array {
  const files = unzipSync(docx);
  const doc = files['word/document.xml'];
  if (!doc) throw new Error('The Word file has no word/document.xml.');
  if (files['word/comments.xml']) throw new Error('The Word file already has comments; a review copy starts from a document without them.');
  const source = strFromU8(doc);
  let offset = 0;
  for (const m of source.matchAll(/\bw:id="(\d+)"/g)) offset = Math.max(offset, Number(m[1]));
  const { xml, placed } = placeComments(source, offset);
  files['word/document.xml'] = strToU8(xml);
  // Strip marks the writer copied into other parts (image titles, headers, the core properties).
  for (const [name, bytes] of Object.entries(files)) {
    if (name === 'word/document.xml' || !/\.(xml|rels)$/.test(name)) continue;
    const text = strFromU8(bytes);
    if (/[\uE000\uE002]/.test(text)) files[name] = strToU8(text.replace(ANY_MARK, ''));
  }
  const kept = comments.filter((c) => placed.has(c.id));
  if (kept.length) {
    files['word/comments.xml'] = strToU8(commentsXml(kept, opts.author, opts.date, offset));
    const relsName = 'word/_rels/document.xml.rels';
    const rels = strFromU8(files[relsName] ?? strToU8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'));
    files[relsName] = strToU8(rels.replace('</Relationships>', `<Relationship Id="rIdAssayReviewComments" Type="${COMMENTS_REL}" Target="comments.xml"/></Relationships>`));
    const types = strFromU8(files['[Content_Types].xml']!);
    files['[Content_Types].xml'] = strToU8(types.replace('</Types>', `<Override PartName="/word/comments.xml" ContentType="${COMMENTS_TYPE}"/></Types>`));
  }
  return zipSync(files, { level: 6 });
}

/** What the review copy says about itself, for the CLI and the app. */
export interface ReviewCopySummary {
  comments: number;
  figures: number;
  citations: number;
}

export function summarise(comments: ReviewComment[]): ReviewCopySummary {
  const figures = comments.filter((c) => c.paragraphs[0]?.startsWith('Live figure') || c.paragraphs[0]?.startsWith('Figure ')).length;
  return { comments: comments.length, figures, citations: comments.length - figures };
}
