import type { Command } from '../command';
import { parse, filePath } from '../args';
import { WorkspaceFile } from '../../services/workspace-file';

export const newCommand: Command = {
  name: 'new',
  summary: 'Create an empty workspace with reference data (rating scales, key questions, regions).',
  usage: 'assay new <file> [--name <workspace name>] [--json]',
  async run(argv, io) {
    const { values, positionals } = parse(argv, { name: { type: 'string' }, json: { type: 'boolean' } }, { min: 1, max: 1, names: 'the workspace file to create' });
    const path = filePath(io.cwd, positionals[0]!);
    const wf = await WorkspaceFile.create(path, values.name ? { name: values.name } : {});
    await wf.close();
    if (values.json) io.out(JSON.stringify({ created: path }));
    else io.out(`Created ${path}`);
    return 0;
  },
};
