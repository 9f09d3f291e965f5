import type { Command } from '../command';
import { UsageError } from '../command';
import { parse, filePath } from '../args';
import { WorkspaceFile } from '../../services/workspace-file';
import { approveReport } from '../../../shared/review/workflow';
import { findReport, getSection } from '../../../shared/store/reports';
import { cleanName } from '../../../shared/util/escape';

export const approveCommand: Command = {
  name: 'approve',
  summary: 'Approve a report’s sections (or one section), signing off every figure in them at its current value.',
  usage: 'assay approve <file> --report <id or slug> [--section <id>] --by <name> [--json]',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      { report: { type: 'string' }, section: { type: 'string' }, by: { type: 'string' }, json: { type: 'boolean' } },
      { min: 1, max: 1, names: 'the workspace file' },
    );
    if (!values.report) throw new UsageError('--report is required (a report id or slug).');
    // Cleaned of terminal escapes and other controls: the name is stored with each approval and printed by `assay audit`.
    const by = cleanName(values.by ?? '');
    if (!by) throw new UsageError('--by is required: the name of the person approving, for the audit log.');
    const path = filePath(io.cwd, positionals[0]!);
    // Loaded on use: the figure engine and the exporters are large, and other commands do not need them.
    const { figureService } = await import('../../../shared/figures/service');
    const wf = await WorkspaceFile.open(path);
    try {
      const ws = wf.workspace;
      const report = findReport(ws, values.report);
      const r = await approveReport(ws, figureService(ws), { report: report.id, by, ...(values.section ? { sectionId: values.section } : {}) });
      await wf.save();
      const figures = r.changes.reduce((n, c) => n + c.approvedFigures.length, 0);
      if (values.json) {
        io.out(JSON.stringify({ report: { id: report.id, slug: report.slug, title: report.title }, approvedBy: by, sections: r.changes }, null, 2));
      } else {
        for (const c of r.changes) {
          const title = getSection(ws, c.sectionId)?.title;
          io.out(`  approved  ${title}  (was ${c.from}; ${c.approvedFigures.length} figure${c.approvedFigures.length === 1 ? '' : 's'} signed off)`);
        }
        io.out(
          `Approved ${r.changes.length} section${r.changes.length === 1 ? '' : 's'} of “${report.title}” as ${by}: ` +
            `${figures} figure approval${figures === 1 ? '' : 's'} recorded.`,
        );
      }
      return 0;
    } finally {
      await wf.close();
    }
  },
};
