import type { Command } from '../command';
import { UsageError } from '../command';
import { BENCHES } from '../bench';

export const benchCommand: Command = {
  name: 'bench',
  summary: 'Run a benchmark and print its figures (medians, with baselines measured in the same run).',
  usage: `assay bench <${BENCHES.map((b) => b.name).join('|')}> [options]`,
  async run(argv, io) {
    const [name, ...rest] = argv;
    const bench = BENCHES.find((b) => b.name === name);
    if (!bench) throw new UsageError(name ? `unknown benchmark "${name}".` : 'which benchmark?');
    io.out(`assay bench ${bench.name}: ${bench.summary}`);
    await bench.run(rest, io);
    return 0;
  },
};
