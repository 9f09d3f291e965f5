import type { Command } from '../command';
import { UsageError } from '../command';
import { parse, filePath } from '../args';
import { WorkspaceFile } from '../../services/workspace-file';
import { findReport, setReportSettings } from '../../../shared/store/reports';
import { CHANGE_RULES, type ChangeRule } from '../../../shared/figures/format';
import { cleanName } from '../../../shared/util/escape';

const RULE_WORDS: Record<ChangeRule, string> = {
  rounded: 'the difference of the figures printed (a reader’s subtraction always agrees)',
  unrounded: 'calculated from unrounded data, printed to one decimal, with a note saying so',
};

/** A report's settings: how it prints numbers. Shown, or changed (recorded in the audit log with who changed them). */
export const settingsCommand: Command = {
  name: 'settings',
  summary: 'Show or change a report’s settings: how it prints a change between two shares (--changes rounded|unrounded).',
  usage: 'assay settings <file> --report <id or slug> [--changes rounded|unrounded --by <name>] [--json]',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      { report: { type: 'string' }, changes: { type: 'string' }, by: { type: 'string' }, json: { type: 'boolean' } },
      { min: 1, max: 1, names: 'the workspace file' },
    );
    if (!values.report) throw new UsageError('--report is required (a report id or slug).');
    const changes = values.changes;
    if (changes !== undefined && !(CHANGE_RULES as readonly string[]).includes(changes)) throw new UsageError(`--changes must be one of: ${CHANGE_RULES.join(', ')}.`);
    const by = cleanName(values.by ?? '');
    if (changes !== undefined && !by) throw new UsageError('--by is required to change a setting: the name of the person changing it, for the audit log.');
    const path = filePath(io.cwd, positionals[0]!);
    const wf = await WorkspaceFile.open(path, { readOnly: changes === undefined });
    try {
      const ws = wf.workspace;
      let report = findReport(ws, values.report);
      if (changes !== undefined && changes !== report.settings.changes) {
        await ws.write('Change report settings', (tx) => setReportSettings(tx, report.id, { changes: changes as ChangeRule }), { actor: by });
        await wf.save();
        report = findReport(ws, report.id);
      }
      if (values.json) io.out(JSON.stringify({ report: { id: report.id, slug: report.slug, title: report.title }, settings: report.settings }, null, 2));
      else io.out(`“${report.title}”\n  changes  ${report.settings.changes}: ${RULE_WORDS[report.settings.changes]}`);
      return 0;
    } finally {
      await wf.close();
    }
  },
};
