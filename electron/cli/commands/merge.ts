import type { Command } from '../command';
import { parse, filePath } from '../args';
import { mergeWorkspaceFiles } from '../../services/merge/index';
import { cleanName } from '../../../shared/util/escape';

export const mergeCommand: Command = {
  name: 'merge',
  summary: 'Bring another workspace (an inspector’s) into this one; records changed on both sides are listed as conflicts.',
  usage: 'assay merge <target> <source> [--by <name>] [--json]',
  async run(argv, io) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' }, by: { type: 'string' } }, { min: 2, max: 2, names: 'the target and source workspace files' });
    const target = filePath(io.cwd, positionals[0]!);
    const source = filePath(io.cwd, positionals[1]!);
    const result = await mergeWorkspaceFiles(target, source, { actor: cleanName(values.by ?? process.env.USER ?? '') || 'unknown' });
    if (values.json) {
      io.out(JSON.stringify(result, null, 2));
      return 0;
    }
    io.out(result.changed ? `Merged ${result.peerName} into ${target}.` : `Nothing to merge: ${target} already has everything from ${result.peerName}.`);
    io.out(`  ${'table'.padEnd(20)} ${'added'.padStart(7)} ${'updated'.padStart(7)} ${'same'.padStart(7)} ${'kept'.padStart(7)} ${'conflict'.padStart(8)}`);
    for (const [t, c] of Object.entries(result.tables)) {
      if (c.added + c.updated + c.unchanged + c.keptOurs + c.conflicts + c.skippedDeleted === 0) continue;
      io.out(`  ${t.padEnd(20)} ${String(c.added).padStart(7)} ${String(c.updated).padStart(7)} ${String(c.unchanged).padStart(7)} ${String(c.keptOurs).padStart(7)} ${String(c.conflicts).padStart(8)}`);
    }
    if (result.conflicts.length) {
      io.out(`${result.conflicts.length} conflict${result.conflicts.length === 1 ? '' : 's'} kept for a person to resolve (both sides changed the record):`);
      for (const c of result.conflicts.slice(0, 50)) io.out(`  ${c.table} ${c.recordId}${c.alreadyListed ? ' (listed before)' : ''}`);
    }
    return 0;
  },
};
