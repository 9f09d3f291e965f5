import type { Command } from '../command';
import { UsageError } from '../command';
import { parse, filePath } from '../args';
import { WorkspaceFile } from '../../services/workspace-file';
import { exportForInspector } from '../../services/merge/index';
import { SENSITIVITIES, type Sensitivity } from '../../../shared/store/evidence';
import { cleanName } from '../../../shared/util/escape';

export const exportForInspectorCommand: Command = {
  name: 'export-for-inspector',
  summary: 'Make a new workspace for one inspector’s assignments (the register, the framework, their assessments, evidence up to their clearance), to bring back later with `merge`.',
  usage: 'assay export-for-inspector <workspace> <out.assay> --inspector <name> [--assessment <id>]... [--clearance public|official|official-sensitive|personal] [--by <name>] [--json]',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        inspector: { type: 'string' },
        assessment: { type: 'string', multiple: true },
        clearance: { type: 'string' },
        by: { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 2, max: 2, names: 'the workspace and the file to make' },
    );
    if (!values.inspector?.trim()) throw new UsageError('name the inspector with --inspector "<name>".');
    const clearance = values.clearance ?? 'official-sensitive';
    if (!(SENSITIVITIES as readonly string[]).includes(clearance)) throw new UsageError(`--clearance must be one of ${SENSITIVITIES.join(', ')}; "${clearance}" is not.`);
    const source = await WorkspaceFile.open(filePath(io.cwd, positionals[0]!), { readOnly: true });
    try {
      const r = await exportForInspector(source, filePath(io.cwd, positionals[1]!), {
        inspector: values.inspector,
        clearance: clearance as Sensitivity,
        actor: cleanName(values.by ?? process.env.USER ?? '') || 'unknown',
        ...(values.assessment?.length ? { assessmentIds: values.assessment } : {}),
      });
      if (values.json) {
        io.out(JSON.stringify(r, null, 2));
        return 0;
      }
      io.out(`Made ${r.path} for ${r.inspector}: ${r.assignments.length} assessment${r.assignments.length === 1 ? '' : 's'}.`);
      for (const a of r.assignments) io.out(`  ${a.title}`);
      const held = Object.entries(r.withheld);
      if (held.length) io.out(`Held back (above ${clearance}): ${held.map(([s, n]) => `${n} ${s}`).join(', ')} evidence source${held.reduce((n, [, c]) => n + c, 0) === 1 ? '' : 's'}.`);
      return 0;
    } finally {
      await source.close();
    }
  },
};
