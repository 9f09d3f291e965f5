import type { Command } from '../command';
import { UsageError } from '../command';
import { parse, filePath } from '../args';
import { WorkspaceFile } from '../../services/workspace-file';

export const reviewCopyCommand: Command = {
  name: 'review-copy',
  summary:
    "Write a Word review copy of a report: each live figure and citation carries a comment with its provenance and evidence, and each reviewer's open comment sits on its passage.",
  usage: 'assay review-copy <file> --report <id or slug> --out <folder or file.docx> [--by <name>]',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      { report: { type: 'string' }, out: { type: 'string' }, by: { type: 'string' } },
      { min: 1, max: 1, names: 'the workspace file' },
    );
    if (!values.report) throw new UsageError('--report is required (a report id or slug).');
    if (!values.out) throw new UsageError('--out is required (a folder, or a path ending in .docx).');
    const path = filePath(io.cwd, positionals[0]!);
    // Loaded on use: the figure engine and the exporters are large, and other commands do not need them.
    const { writeReviewCopy } = await import('../../services/review/review-copy');
    const wf = await WorkspaceFile.open(path, { readOnly: true });
    try {
      const r = await writeReviewCopy(wf.workspace, { report: values.report, out: filePath(io.cwd, values.out), ...(values.by ? { author: values.by } : {}) });
      const reviewers = r.reviewers ? `; ${r.reviewers} reviewer comment${r.reviewers === 1 ? '' : 's'} on their passages` : '';
      io.out(`review  ${r.path}  (${r.bytes.toLocaleString('en-GB')} bytes; ${r.figures} figure and ${r.citations} citation comments${reviewers})`);
      return 0;
    } finally {
      await wf.close({ save: false });
    }
  },
};
