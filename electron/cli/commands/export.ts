import type { Command } from '../command';
import { UsageError } from '../command';
import { parse, filePath } from '../args';
import { WorkspaceFile } from '../../services/workspace-file';
import { collectGarbage } from '../../services/memory';
import { currentRatings } from '../../../shared/store/current-ratings';
import { EXPORT_FORMATS, exportReport, PublicationBlockedError, type DocxPages, type ExportFormat } from '../../services/export/export';

export const exportCommand: Command = {
  name: 'export',
  summary:
    'Export a report to Word, PDF, HTML or CSV (the figures and their sources), public or internal edition. A public edition is refused while `assay check` has blockers; --draft makes one anyway, marked DRAFT on every page and in its file names.',
  usage: 'assay export <file> --report <id or slug> --format docx|pdf|html|csv|xlsx|all --out <path> [--internal] [--draft] [--contents-pages libreoffice|estimate|none] [--review]',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        report: { type: 'string' },
        format: { type: 'string', default: 'all' },
        out: { type: 'string' },
        internal: { type: 'boolean' },
        // Export even while the publication checks have blockers: every format marked DRAFT, files named <slug>-draft.*.
        draft: { type: 'boolean' },
        // Word: lay the pages out to write the contents' page numbers into the file (Word fills them in on opening).
        'page-numbers': { type: 'boolean' },
        // Word: where the contents' page numbers come from (default: LibreOffice's layout when it is installed).
        'contents-pages': { type: 'string' },
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
        if (!(EXPORT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown format "${f}" (use docx, pdf, html, csv, xlsx or all).`);
        return f as ExportFormat;
      });
    if (values.review && fmt !== 'all' && fmt !== 'docx') throw new UsageError('--review writes a Word file: use it with --format docx (or no --format).');
    if (values.review && values.draft) throw new UsageError('--review and --draft are two different editions: use one.');
    const pagesArg = values['contents-pages'];
    if (pagesArg !== undefined && !['libreoffice', 'estimate', 'none'].includes(pagesArg)) throw new UsageError(`--contents-pages takes libreoffice, estimate or none (got "${pagesArg}").`);
    const path = filePath(io.cwd, positionals[0]!);
    const wf = await WorkspaceFile.open(path, { readOnly: true });
    try {
      if (values.review) {
        const { writeReviewCopy } = await import('../../services/review/review-copy');
        const r = await writeReviewCopy(wf.workspace, { report: values.report, out: filePath(io.cwd, values.out) });
        io.out(`docx  ${r.path}  (review copy, ${r.bytes.toLocaleString('en-GB')} bytes; ${r.figures} figure and ${r.citations} citation comments)`);
        return 0;
      }
      let result;
      try {
        result = await exportReport(wf.workspace, {
          report: values.report,
          formats,
          audience: values.internal ? 'internal' : 'public',
          draft: !!values.draft,
          out: filePath(io.cwd, values.out),
          onProgress: (step, done, total) => io.progress(`[${done}/${total}] ${step}…`),
          docxPageNumbers: !!values['page-numbers'],
          ...(pagesArg ? { docxPages: pagesArg as DocxPages } : {}),
          // Word, PDF and HTML are written from the document alone: the database and the figure index are let go
          // first, so the process never holds them and the files' work at once.
          releaseWorkspace: async () => {
            currentRatings(wf.workspace).dispose();
            await wf.close({ save: false });
            collectGarbage();
          },
        });
      } catch (e) {
        if (!(e instanceof PublicationBlockedError)) throw e;
        // Refused before anything was written: the problems, each where it is, and what to do.
        io.progress('');
        for (const line of e.message.split('\n')) io.err(line);
        io.err(`Nothing was written. To make a draft anyway, marked DRAFT on every page: assay export … --draft`);
        return 1;
      }
      io.progress('');
      for (const p of result.problems) io.err(`warning: ${p}`);
      for (const f of result.files) {
        io.out(`${f.format.padEnd(4)}  ${f.path}  (${f.bytes.toLocaleString('en-GB')} bytes, ${Math.round(f.ms)} ms)${f.note ? `: ${f.note}` : ''}`);
      }
      io.out(
        `${result.doc.meta.title}: ${result.doc.meta.editionLabel}, ${result.doc.figures.length} figures, ` +
          `${result.doc.notes.length} evidence notes, in ${Math.round(result.ms)} ms.`,
      );
      return 0;
    } finally {
      await wf.close({ save: false });
    }
  },
};
