import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import type { Bench } from './types';
import { median, ms } from './types';
import { WorkspaceFile } from '../../services/workspace-file';
import { tempDir } from '../../services/testing/fixtures';
import { countRatings, sampleRatings, updateRating } from '../../../shared/store/ratings';
import { generateSynthetic, insertSyntheticAreas } from '../../../shared/figures/testing';

/**
 * `assay bench store`: a workspace with 2 million rating rows; open time, full save time, and the latency of one
 * acknowledged (journalled and flushed) single-row write. Targets: open < 1.5 s, save < 1 s, write < 10 ms median.
 */
export const storeBench: Bench = {
  name: 'store',
  summary: 'Open, full save and acknowledged single-row write latency on a workspace with 2 million rating rows.',
  async run(argv, io) {
    const ratings = Number(argv.find((a) => a.startsWith('--ratings='))?.slice(10) ?? 2_000_000);
    const dir = tempDir('assay-bench-store-');
    const path = join(dir, 'bench.assay');
    try {
      io.out(`Generating a workspace with ${ratings.toLocaleString('en-GB')} rating rows…`);
      const t0 = performance.now();
      // Five publications per location and key question, as the figures bench generates them.
      const perSeries = 5;
      const locations = Math.ceil(ratings / (6 * perSeries));
      const wf = await WorkspaceFile.create(path, {
        seed: async (ws) => {
          await ws.write(
            'bench.generate',
            (tx) => {
              insertSyntheticAreas(tx);
              generateSynthetic(tx, { locations, perSeries, seed: 1 });
            },
            { unjournaled: true, actor: 'bench' },
          );
        },
      });
      await wf.close();
      io.out(`  generated in ${ms(performance.now() - t0)}; file ${(statSync(path).size / 1e6).toFixed(1)} MB`);

      const opens: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        const f = await WorkspaceFile.open(path);
        opens.push(performance.now() - t);
        await f.close({ save: false });
      }

      const f = await WorkspaceFile.open(path);
      const ids = sampleRatings(f.workspace, { limit: 400 }).map((r) => r.id);
      const writes: number[] = [];
      const labels = ['Good', 'Requires improvement'];
      for (let i = 0; i < ids.length; i++) {
        const t = performance.now();
        await f.workspace.write('bench.rating', (tx) => updateRating(tx, ids[i]!, { rating: labels[i % 2]! }), { actor: 'bench' });
        writes.push(performance.now() - t);
      }
      const saves: number[] = [];
      for (let i = 0; i < 5; i++) saves.push((await f.save()).ms);
      const count = countRatings(f.workspace);
      await f.close();

      io.out(`Rating rows: ${count.toLocaleString('en-GB')}`);
      io.out(`Open (read, check, replay):        median ${ms(median(opens))}   (target < 1500 ms)   runs: ${opens.map((x) => x.toFixed(0)).join(', ')}`);
      io.out(`Full save (export, write, fsync, rename): median ${ms(median(saves))}   (target < 1000 ms)   runs: ${saves.map((x) => x.toFixed(0)).join(', ')}`);
      io.out(`Acknowledged single-row write:     median ${ms(median(writes))}   (target < 10 ms)   p95 ${ms([...writes].sort((a, b) => a - b)[Math.floor(writes.length * 0.95)]!)} over ${writes.length} writes`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
