import { statSync } from 'node:fs';
import type { Command } from '../command';
import { UsageError } from '../command';
import { parse, filePath } from '../args';
import { createDemoWorkspace } from '../../services/demo/create';
import { DEMO_DEFAULT_SEED } from '../../../shared/demo';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Create the demonstration workspace: a synthetic England calibrated to State of Care 2017/18, its figure library and reports.',
  usage: 'assay demo <file> [--seed <n>] [--json]',
  async run(argv, io) {
    const { values, positionals } = parse(argv, { seed: { type: 'string' }, json: { type: 'boolean' } }, { min: 1, max: 1, names: 'the workspace file to create' });
    let seed = DEMO_DEFAULT_SEED;
    if (values.seed !== undefined) {
      if (!/^\d{1,10}$/.test(values.seed) || Number(values.seed) > 0xffffffff) {
        throw new UsageError(`--seed must be a whole number from 0 to ${0xffffffff}, not "${values.seed}".`);
      }
      seed = Number(values.seed);
    }
    const path = filePath(io.cwd, positionals[0]!);
    const t0 = performance.now();
    io.progress('Generating the demonstration workspace…');
    const s = await createDemoWorkspace(path, { seed });
    const seconds = Math.round((performance.now() - t0) / 100) / 10;
    const fileSize = statSync(path).size;
    if (values.json) {
      io.out(JSON.stringify({ created: path, fileSize, seconds, ...s }, null, 2));
      return 0;
    }
    io.out(`Created ${path} in ${seconds} s (${fileSize.toLocaleString('en-GB')} bytes)`);
    io.out(`  ${s.name}, seed ${s.seed}`);
    for (const [k, v] of Object.entries(s.counts)) io.out(`    ${k.padEnd(26)} ${v.toLocaleString('en-GB').padStart(10)}`);
    io.out('  As-at shares (Outstanding / Good / Requires improvement / Inadequate, % of rated):');
    for (const c of s.calibration) {
      io.out(
        `    ${c.sector.padEnd(34)} ${c.asAt}  ${c.keyQuestion.padEnd(8)} ${[c.outstanding, c.good, c.requiresImprovement, c.inadequate]
          .map((x) => x.toFixed(1).padStart(5))
          .join(' ')}   n=${c.n.toLocaleString('en-GB')}`,
      );
    }
    return 0;
  },
};
