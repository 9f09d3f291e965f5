import type { CliIo, Command } from '../command';
import { UsageError } from '../command';
import { parse, filePath } from '../args';
import { WorkspaceFile } from '../../services/workspace-file';
import { approveReport, setSelfApproval, type SelfApproval } from '../../../shared/review/workflow';
import { findReport, getSection } from '../../../shared/store/reports';
import { cleanName } from '../../../shared/util/escape';

export const approveCommand: Command = {
  name: 'approve',
  summary:
    'Approve a report’s sections (or one section): sign off their whole content (text, citations, every figure at its current value). ' +
    'A person cannot approve a section whose last change is theirs unless the workspace allows self-approval (--self-approval).',
  usage:
    'assay approve <file> --report <id or slug> [--section <id>] --by <name> [--clear-restricted] [--json]\n' +
    '       --clear-restricted: you have checked that each sentence citing official-sensitive or personal evidence discloses\n' +
    '       nothing from it, and clear those sentences for the public edition (recorded with the approval)\n' +
    '       assay approve <file> --self-approval refused|allowed --by <name>   (a workspace setting, recorded in the audit log)',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      { report: { type: 'string' }, section: { type: 'string' }, by: { type: 'string' }, json: { type: 'boolean' }, 'self-approval': { type: 'string' }, 'clear-restricted': { type: 'boolean' } },
      { min: 1, max: 1, names: 'the workspace file' },
    );
    const setting = values['self-approval'];
    if (setting !== undefined && setting !== 'refused' && setting !== 'allowed') throw new UsageError('--self-approval must be "refused" or "allowed".');
    if (setting !== undefined && values.report) throw new UsageError('--self-approval changes a workspace setting: give it without --report.');
    if (setting === undefined && !values.report) throw new UsageError('--report is required (a report id or slug).');
    // Cleaned of terminal escapes and other controls: the name is stored with each approval and printed by `assay audit`.
    const by = cleanName(values.by ?? '');
    if (!by) throw new UsageError(`--by is required: the name of the person ${setting ? 'changing the setting' : 'approving'}, for the audit log.`);
    const path = filePath(io.cwd, positionals[0]!);
    if (setting !== undefined) return setSetting(path, setting, by, !!values.json, io);
    // Loaded on use: the figure engine and the exporters are large, and other commands do not need them.
    const { figureService } = await import('../../../shared/figures/service');
    const wf = await WorkspaceFile.open(path);
    try {
      const ws = wf.workspace;
      const report = findReport(ws, values.report!);
      const r = await approveReport(ws, figureService(ws), { report: report.id, by, clearRestricted: values['clear-restricted'] === true, ...(values.section ? { sectionId: values.section } : {}) });
      await wf.save();
      const figures = r.changes.reduce((n, c) => n + c.approvedFigures.length, 0);
      if (values.json) {
        io.out(JSON.stringify({ report: { id: report.id, slug: report.slug, title: report.title }, approvedBy: by, sections: r.changes }, null, 2));
      } else {
        for (const c of r.changes) {
          const title = getSection(ws, c.sectionId)?.title;
          const cleared = c.clearedCitations ? `; ${c.clearedCitations} sentence${c.clearedCitations === 1 ? '' : 's'} citing restricted evidence cleared for publication` : '';
          io.out(`  approved  ${title}  (was ${c.from}; ${c.approvedFigures.length} figure${c.approvedFigures.length === 1 ? '' : 's'} signed off${cleared})`);
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

async function setSetting(path: string, value: SelfApproval, by: string, json: boolean, io: CliIo): Promise<number> {
  const wf = await WorkspaceFile.open(path);
  try {
    const r = await setSelfApproval(wf.workspace, { value, by });
    await wf.save();
    if (json) io.out(JSON.stringify({ selfApproval: r.selfApproval, changed: r.changed, by }, null, 2));
    else {
      const what = value === 'allowed' ? 'may approve a section whose last change is theirs' : 'may not approve a section whose last change is theirs';
      io.out(r.changed ? `Self-approval ${value} by ${by}: a person now ${what}. Recorded in the audit log.` : `Self-approval was already ${value}: nothing changed.`);
    }
    return 0;
  } finally {
    await wf.close();
  }
}
