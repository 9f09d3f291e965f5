import { statSync } from 'node:fs';
import type { Command } from '../command';
import { parse, filePath } from '../args';
import { WorkspaceFile } from '../../services/workspace-file';
import { workspaceInfo } from '../../../shared/store/info';

export const infoCommand: Command = {
  name: 'info',
  summary: 'Show a workspace’s schema version, row counts per table, integrity check and file size.',
  usage: 'assay info <file> [--json]',
  async run(argv, io) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } }, { min: 1, max: 1, names: 'the workspace file' });
    const path = filePath(io.cwd, positionals[0]!);
    const wf = await WorkspaceFile.open(path, { readOnly: true });
    try {
      const info = { file: path, fileSize: statSync(path).size, ...workspaceInfo(wf.workspace) };
      if (values.json) {
        io.out(JSON.stringify(info, null, 2));
      } else {
        io.out(`${info.name} (${path})`);
        io.out(`  schema version   ${info.schemaVersion}`);
        io.out(`  file size        ${info.fileSize.toLocaleString('en-GB')} bytes`);
        io.out(`  integrity check  ${info.integrity}`);
        if (info.demonstration) io.out('  contains demonstration data');
        const index = info.derived.find((d) => d.name === 'rating-index');
        io.out(
          `  figure index     ${index ? `${index.current ? 'stored, current' : index.patchable ? 'stored, out of date (patched on next use from the rows the change log names)' : 'stored, out of date (rebuilt on next use)'} (${(index.bytes / 1e6).toFixed(1)} MB)` : 'not stored yet (built from the ratings on first use, stored at the next save)'}`,
        );
        io.out('  rows per table:');
        for (const [t, n] of Object.entries(info.tables)) io.out(`    ${t.padEnd(22)} ${n.toLocaleString('en-GB').padStart(12)}`);
      }
      return info.integrity === 'ok' ? 0 : 1;
    } finally {
      await wf.close();
    }
  },
};
