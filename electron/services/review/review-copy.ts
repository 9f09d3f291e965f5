import { mkdirSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import type { Workspace } from '../../../shared/store/workspace';
import { assembleReport } from '../../../shared/export/assemble';
import { figureService } from '../../../shared/figures/service';
import { buildDocx } from '../../../shared/export/docx';
import { reviewReport } from '../../../shared/review/report';
import { evidenceDetail } from '../../../shared/review/evidence';
import { listComments } from '../../../shared/review/comments';
import { annotateTree, summarise, type ReviewCopySummary } from '../../../shared/review/review-copy';
import { writeAtomic } from '../workspace-file';
import { rasteriseSvg } from '../export/rasterise';

export interface ReviewCopyRequest {
  /** Report id or slug. */
  report: string;
  /** A folder (the file is named <slug>-review.docx) or a path ending in .docx. */
  out: string;
  /** Who the comments are from; default "Assay". */
  author?: string;
  now?: string;
}

export interface ReviewCopyResult extends ReviewCopySummary {
  path: string;
  bytes: number;
}

/** The path a review copy is written to: a .docx path as given, else <slug>-review.docx in the folder. */
export function reviewCopyPath(out: string, slug: string): string {
  return extname(out).toLowerCase() === '.docx' ? resolve(out) : join(resolve(out), `${slug}-review.docx`);
}

/**
 * Writes the Word review copy of a report: the internal edition (reviewers must see restricted evidence to judge it)
 * with a comment on every live figure and citation giving its provenance, sign-off state and evidence.
 */
export async function writeReviewCopy(ws: Workspace, req: ReviewCopyRequest): Promise<ReviewCopyResult> {
  const source = figureService(ws);
  const figures = figureService(ws);
  const [doc, review] = await source.settle(() => [
    // Marked as a review copy on its cover, in its running head and in its properties: never taken for a publication.
    assembleReport(ws, source, req.report, { audience: 'internal', edition: 'review', ...(req.now ? { generatedAt: req.now } : {}) }),
    reviewReport(ws, figures, req.report, { audience: 'internal' }),
  ] as const);
  const { annotations, comments } = annotateTree(doc, review, (id) => evidenceDetail(ws, id), {
    author: req.author ?? 'Assay',
    date: req.now ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    // Reviewers' open comments, each on the passage it was made on.
    threads: listComments(ws, { reportId: review.report.id }),
  });
  const bytes = await buildDocx(doc, { rasterise: rasteriseSvg, annotations });
  const path = reviewCopyPath(req.out, doc.meta.slug);
  mkdirSync(dirname(path), { recursive: true });
  await writeAtomic(path, bytes);
  return { path, bytes: bytes.length, ...summarise(comments) };
}
