import type { Command } from '../command';
import { parse, filePath } from '../args';
import { WorkspaceFile } from '../../services/workspace-file';

/**
 * `assay recover`: opens a workspace whose journal has a line that cannot be applied (Assay refuses it otherwise),
 * applies the changes before that line, keeps the line and the rest in a file beside the journal, and saves. Also
 * says what any other recovery on opening did.
 */
export const recoverCommand: Command = {
  name: 'recover',
  summary: 'Open a workspace whose journal cannot be applied in full: recover the changes before the bad line, keep the rest aside, save.',
  usage: 'assay recover <file> [--json]',
  async run(argv, io) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } }, { min: 1, max: 1, names: 'the workspace file' });
    const path = filePath(io.cwd, positionals[0]!);
    const wf = await WorkspaceFile.open(path, { setAsideJournalRest: true });
    try {
      const report = wf.openReport;
      await wf.save();
      if (values.json) io.out(JSON.stringify({ file: path, ...report }, null, 2));
      else {
        for (const m of report.messages) io.out(m);
        if (!report.messages.length) io.out(`${path} opened cleanly: there was nothing to recover.`);
        io.out('Saved.');
      }
      return 0;
    } finally {
      await wf.close();
    }
  },
};
