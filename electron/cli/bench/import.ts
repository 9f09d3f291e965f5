import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Bench } from './types';
import { median, ms } from './types';
import { WorkspaceFile } from '../../services/workspace-file';
import { importFile } from '../../services/import/index';
import { tempDir } from '../../services/testing/fixtures';

/** The national file, relative to the repository (it lives beside it, in the shared data folder). */
const DEFAULT_CSV = '../shared/data/cqc/cqc_latest_ratings_overall_locations_england_2021.csv';

/**
 * `assay bench import [--csv=<file>] [--runs=3]`: what `assay new` then `assay import cqc-ratings` costs on CQC's
 * national file (74,184 rows): open, read and check, write in one transaction, bring the figure index up to date and
 * save in full (storing it), close. Target: median under 10 s. Each run starts from a new workspace, so runs are
 * independent.
 */
export const importBench: Bench = {
  name: 'import',
  summary: 'Import CQC’s national ratings file (74,184 rows) into a new workspace; median of three runs (target < 10 s).',
  async run(argv, io) {
    const csv = resolve(io.cwd, argv.find((a) => a.startsWith('--csv='))?.slice(6) ?? DEFAULT_CSV);
    const runs = Number(argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
    if (!existsSync(csv)) {
      io.err(`No CSV at ${csv}; pass --csv=<national ratings file>.`);
      return;
    }
    const dir = tempDir('assay-bench-import-');
    const totals: number[] = [];
    // CPU time beside wall time: on a machine shared with other work the wall clock also measures the neighbours.
    const cpus: number[] = [];
    const phases: Record<string, number[]> = { open: [], 'read and check': [], write: [], 'figure index and save': [] };
    try {
      for (let i = 0; i < runs; i++) {
        const path = join(dir, `run${i}.assay`);
        await (await WorkspaceFile.create(path)).close();
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        const wf = await WorkspaceFile.open(path);
        const tOpen = performance.now();
        let tRead = 0;
        let tWrite = 0;
        const outcome = await importFile(wf, 'cqc-ratings', csv, {
          by: 'bench',
          onProgress: (p) => {
            if (p.phase === 'writing') tRead = performance.now();
            if (p.phase === 'saving') tWrite = performance.now();
          },
        });
        const tSaved = performance.now();
        await wf.close();
        const t1 = performance.now();
        const cpu = process.cpuUsage(c0);
        if (!outcome.ok) {
          io.err(`Run ${i + 1}: the import failed with ${outcome.problemCount} problems.`);
          return;
        }
        totals.push(t1 - t0);
        cpus.push((cpu.user + cpu.system) / 1000);
        phases.open!.push(tOpen - t0);
        phases['read and check']!.push(tRead - tOpen);
        phases.write!.push(tWrite - tRead);
        phases['figure index and save']!.push(tSaved - tWrite);
        io.out(`  run ${i + 1}: ${ms(t1 - t0)}, CPU ${ms(cpus[i]!)} (${outcome.rowsRead.toLocaleString('en-GB')} rows, ${outcome.tables.ratings?.added ?? 0} ratings added)`);
        rmSync(path, { force: true });
      }
      io.out(`Import of ${csv.split('/').pop()} into a new workspace: median ${ms(median(totals))}   (target < 10000 ms)   runs: ${totals.map((x) => x.toFixed(0)).join(', ')}`);
      io.out(`  CPU time         median ${ms(median(cpus))}`);
      for (const [k, v] of Object.entries(phases)) io.out(`  ${k.padEnd(16)} median ${ms(median(v))}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
