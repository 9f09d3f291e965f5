import type { Command } from '../command';
import { UsageError } from '../command';
import { parse, filePath } from '../args';
import { WorkspaceFile } from '../../services/workspace-file';
import { EXPORT_FORMATS, exportReport, type ExportFormat } from '../../services/export/export';

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export a report to Word, PDF, HTML or CSV (the figures and their sources), public or internal edition.',
  usage: 'assay export <file> --report <id or slug> --format docx|pdf|html|csv|all --out <path> [--internal] [--page-numbers] [--review]',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        report: { type: 'string' },
        format: { type: 'string', default: 'all' },
        out: { type: 'string' },
        internal: { type: 'boolean' },
        // Word: lay the pages out to write the contents' page numbers into the file (Word fills them in on opening).
        'page-numbers': { type: 'boolean' },
        // The Word review copy (shared/review): figures and citations carry comments with provenance and evidence.
        review: { type: 'boolean' },
      },
      { min: 1, max: 1, names: 'the workspace file' },
    );
    if (!values.report) throw new UsageError('--report is required (a report id or slug).');
    if (!values.out) throw new UsageError('--out is required (a folder, or a file path for a single format).');
    const fmt = values.format!;
    const formats: ExportFormat[] =
      fmt === 'all' ? [...EXPORT_FORMATS] : fmt.split(',').map((f) => {
        if (!(EXPORT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown format "${f}" (use docx, pdf, html, csv or all).`);
        return f as ExportFormat;
      });
    if (values.review && fmt !== 'all' && fmt !== 'docx') throw new UsageError('--review writes a Word file: use it with --format docx (or no --format).');
    const path = filePath(io.cwd, positionals[0]!);
    const wf = await WorkspaceFile.open(path, { readOnly: true });
    try {
      if (values.review) {
        const { writeReviewCopy } = await import('../../services/review/review-copy');
        const r = await writeReviewCopy(wf.workspace, { report: values.report, out: filePath(io.cwd, values.out) });
        io.out(`docx  ${r.path}  (review copy, ${r.bytes.toLocaleString('en-GB')} bytes; ${r.figures} figure and ${r.citations} citation comments)`);
        return 0;
      }
      const result = await exportReport(wf.workspace, {
        report: values.report,
        formats,
        audience: values.internal ? 'internal' : 'public',
        out: filePath(io.cwd, values.out),
        onProgress: (step, done, total) => io.progress(`[${done}/${total}] ${step}…`),
        docxPageNumbers: !!values['page-numbers'],
      });
      io.progress('');
      for (const p of result.problems) io.err(`warning: ${p}`);
      for (const f of result.files) {
        io.out(`${f.format.padEnd(4)}  ${f.path}  (${f.bytes.toLocaleString('en-GB')} bytes, ${Math.round(f.ms)} ms)`);
      }
      io.out(
        `${result.doc.meta.title}: ${result.doc.meta.audience} edition, ${result.doc.figures.length} figures, ` +
          `${result.doc.notes.length} evidence notes, in ${Math.round(result.ms)} ms.`,
      );
      return 0;
    } finally {
      await wf.close({ save: false });
    }
  },
};
