import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Bench } from './types';
import { median, ms } from './types';
import type { CliIo } from '../command';
import { createDemoWorkspace } from '../../services/demo/create';
import { WorkspaceFile } from '../../services/workspace-file';
import { generateSynthetic, insertSyntheticAreas, outsideRatingChangeSql, outsideRatingPickSql } from '../../../shared/figures/testing';
import { countRatings } from '../../../shared/store/ratings';
import { SCHEMA_VERSION } from '../../../shared/store/schema';
import { currentRatings } from '../../../shared/store/current-ratings';

/**
 * `assay bench cold`: whole processes, as a pipeline runs Assay. For the demo workspace and one with about 2 million
 * ratings (the demo plus generated locations, as `bench figures` generates them), the median wall time and peak RSS
 * (resident set size, from /usr/bin/time) of a fresh `assay figures --report` and `assay export --format docx`, with
 * the file's stored rating index current, and after one rating was changed with the plain sqlite3 program (stale: an
 * outside change). Targets: figures after an outside change < 1 s on the demo and < 2 s at 2 million; peak RSS under
 * twice the file's size.
 */

export const REPORT = 'state-of-care-2017-18';

/** The bundled command (what `bin` runs), or the one --cli= names. */
export function cliPath(argv: string[]): string {
  const given = argv.find((a) => a.startsWith('--cli='))?.slice(6);
  if (given) return resolve(given);
  const self = process.argv[1] ?? '';
  if (/out[\\/]cli[\\/]assay\.mjs$/.test(self)) return resolve(self);
  return resolve(process.cwd(), 'out/cli/assay.mjs');
}

export interface Run {
  ms: number;
  /** Peak resident set size in bytes; undefined without /usr/bin/time. */
  rss: number | undefined;
  code: number;
  stderr: string;
}

const TIME = '/usr/bin/time';

/** Runs a command as a fresh process: wall time, and peak RSS through /usr/bin/time when it is installed. */
export function timed(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const out = join(tmpdir(), `assay-bench-time-${process.pid}.txt`);
  const haveTime = existsSync(TIME);
  const t = performance.now();
  const r = haveTime
    ? spawnSync(TIME, ['-f', '%M', '-o', out, cmd, ...args], { cwd: opts.cwd, env: opts.env, encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const elapsed = performance.now() - t;
  let rss: number | undefined;
  if (haveTime && existsSync(out)) {
    const kb = Number(readFileSync(out, 'utf8').trim().split('\n').pop());
    if (Number.isFinite(kb)) rss = kb * 1024;
    rmSync(out, { force: true });
  }
  return { ms: elapsed, rss, code: r.status ?? -1, stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

export const mb = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${Math.round(bytes / 1_048_576)} MB`);

/** Whether the sqlite3 program runs. */
export function haveSqlite3(): boolean {
  return spawnSync('sqlite3', ['-version'], { encoding: 'utf8' }).status === 0;
}

/**
 * Changes one rating with the plain sqlite3 program (outside Assay's write path): Good ↔ Requires improvement. Which
 * rating is picked first, untimed (a pipeline's change names its row; the query that picks one here scans the ratings,
 * about 300 ms at 2 million); the change itself, by id, is what is timed.
 */
export function changeOneRating(file: string, n: number): Run {
  const pick = spawnSync('sqlite3', [file, outsideRatingPickSql(n)], { encoding: 'utf8' });
  const id = Number(pick.stdout.trim());
  if (pick.status !== 0 || !Number.isInteger(id)) throw new Error(`sqlite3 could not pick a rating to change: ${pick.stderr}`);
  const r = timed('sqlite3', [file, outsideRatingChangeSql(n, id)]);
  if (r.code !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return r;
}

/**
 * The demo workspace and one with about `ratings` ratings (the demo plus generated locations), made once in `dir`
 * and kept there for later runs; both saved with their rating index stored.
 */
export async function benchWorkspaces(dir: string, ratings: number, io: CliIo): Promise<{ demo: string; big: string | undefined }> {
  mkdirSync(dir, { recursive: true });
  const demo = join(dir, 'demo.assay');
  if (!existsSync(demo)) {
    io.out('Generating the demonstration workspace…');
    const t = performance.now();
    await createDemoWorkspace(demo);
    io.out(`  generated in ${ms(performance.now() - t)}`);
  }
  if (ratings <= 0) return { demo, big: undefined };
  const big = join(dir, `demo-${ratings}.assay`);
  if (!existsSync(big)) {
    io.out(`Generating a workspace with about ${ratings.toLocaleString('en-GB')} ratings (the demo plus generated locations)…`);
    const t = performance.now();
    // Made under another name and renamed when complete, so an interrupted run never leaves a half-made workspace.
    const tmp = join(dir, 'generating.assay');
    copyFileSync(demo, tmp);
    const wf = await WorkspaceFile.open(tmp);
    const ws = wf.workspace;
    const have = countRatings(ws);
    const perSeries = 5;
    const locations = Math.max(1, Math.ceil((ratings - have) / (6 * perSeries)));
    ws.db.run('PRAGMA foreign_keys = OFF');
    await ws.write(
      'bench.generate',
      (tx) => {
        insertSyntheticAreas(tx);
        generateSynthetic(tx, { locations, perSeries, seed: 3 });
      },
      { unjournaled: true, actor: 'bench' },
    );
    ws.db.run('PRAGMA foreign_keys = ON');
    // Closing stores the rating index, as closing the app does.
    currentRatings(ws).get();
    await wf.close();
    renameSync(tmp, big);
    for (const f of readdirSync(dir)) if (f.startsWith('generating.assay')) rmSync(join(dir, f), { force: true });
    io.out(`  generated in ${ms(performance.now() - t)} (${mb(statSync(big).size)})`);
  }
  return { demo, big };
}

/**
 * Brings a kept workspace of an older format up to this version (opened for writing once, as the app would), since
 * the read-only opens the pipeline makes refuse an older format. Left alone when another build of the command is
 * being timed (--cli=), which may read only the older format.
 */
export async function upToDate(path: string, io: CliIo): Promise<void> {
  const version = Number(spawnSync('sqlite3', [path, 'PRAGMA user_version'], { encoding: 'utf8' }).stdout.trim());
  if (!(version < SCHEMA_VERSION)) return;
  io.out(`Updating ${path} from workspace format ${version} to ${SCHEMA_VERSION}…`);
  const wf = await WorkspaceFile.open(path);
  currentRatings(wf.workspace).get();
  await wf.close();
  const dir = dirname(path);
  for (const f of readdirSync(dir)) if (f.startsWith(`${basename(path)}.bak-v`)) rmSync(join(dir, f), { force: true });
}

/**
 * The chart picture cache the timed exports use (ASSAY_CHART_CACHE): a folder of the bench's own, emptied before a run
 * (and where a row says so), so the user's cache neither helps nor changes.
 */
export function benchChartCache(work: string): { env: NodeJS.ProcessEnv; dir: string; empty: () => void } {
  const dir = join(work, 'charts');
  const empty = () => rmSync(dir, { recursive: true, force: true });
  empty();
  return { env: { ...process.env, ASSAY_CHART_CACHE: dir }, dir, empty };
}

/** The rows of a scenario, each a median of `runs` fresh processes. */
interface Row {
  label: string;
  runs: Run[];
}

function summarise(io: CliIo, file: string, rows: Row[]): void {
  const size = statSync(file).size;
  for (const r of rows) {
    const ok = r.runs.filter((x) => x.code === 0);
    const rss = ok.map((x) => x.rss).filter((x): x is number => x !== undefined);
    const peak = rss.length ? Math.max(...rss) : undefined;
    const bad = r.runs.length - ok.length;
    io.out(
      `  ${r.label.padEnd(58)} median ${ms(median(ok.map((x) => x.ms))).padStart(8)}   peak RSS median ${mb(rss.length ? median(rss) : undefined).padStart(7)}, max ${mb(peak).padStart(7)} (${peak === undefined ? '?' : (peak / size).toFixed(2)}× the file)` +
        (bad ? `   ${bad} run(s) failed: ${r.runs.find((x) => x.code !== 0)?.stderr.trim().split('\n')[0] ?? ''}` : ''),
    );
  }
}

/**
 * One step of a pipeline: a fresh copy of `base` with one rating changed by sqlite3 (the `n`th pick), then `run` timed
 * as a fresh process; the step's time is the change's and the run's together (`changeMs`: the change's alone).
 */
export function changedThenTimed(base: string, file: string, n: number, run: () => Run): Run & { changeMs: number } {
  copyFileSync(base, file);
  const change = changeOneRating(file, n);
  const r = run();
  return { ...r, ms: r.ms + change.ms, changeMs: change.ms };
}

/**
 * The chart picture cache as a pipeline meets it: its last export was of the file before the change, so the pictures
 * of the charts a change does not touch are kept (an untimed export of a fresh copy of `base`).
 */
export function lastRunWas(base: string, file: string, run: () => Run): void {
  copyFileSync(base, file);
  run();
}

/** The `assay export` arguments of the pipeline: Word, a draft (the demo's public edition has blockers). */
export function exportArgs(file: string, out: string, pages: string): string[] {
  return ['export', file, '--report', REPORT, '--format', 'docx', '--draft', '--contents-pages', pages, '--out', out];
}

export const coldBench: Bench = {
  name: 'cold',
  summary: 'Whole fresh processes: `assay figures --report` and `assay export --format docx` after a change made with sqlite3, median time and peak RSS, demo and 2 million ratings.',
  async run(argv, io) {
    const arg = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
    const runs = Math.max(1, Number(arg('runs') ?? 5));
    const ratings = Number(arg('ratings') ?? 2_000_000);
    const pages = arg('contents-pages') ?? 'none';
    const only = arg('only');
    const cli = cliPath(argv);
    if (!existsSync(cli)) {
      io.err(`The bundled command ${cli} is missing: run \`npm run build:cli\` first (the bench times it as a pipeline runs it).`);
      return;
    }
    if (!haveSqlite3()) {
      io.err('Skipped: the sqlite3 program is not installed (the bench changes a rating with it, outside Assay).');
      return;
    }
    const keep = arg('keep');
    const dir = resolve(keep ?? join(tmpdir(), 'assay-bench-cold'));
    const { demo, big } = await benchWorkspaces(dir, only === 'demo' ? 0 : ratings, io);
    if (!arg('cli')) for (const f of [demo, big]) if (f) await upToDate(f, io);
    io.out(`Command: node ${cli}; ${runs} runs per row; Word contents page numbers: ${pages} (--contents-pages=libreoffice|estimate|none).`);
    const work = join(dir, 'work');
    mkdirSync(work, { recursive: true });
    const charts = benchChartCache(work);
    io.out(
      `Chart pictures: cached in ${charts.dir}; the last row starts with none, the two export rows before it after an untimed export of the file as it was before the change (so the charts a change touches are drawn again, as in a pipeline).`,
    );
    const env = charts.env;
    try {
      for (const [name, base] of [
        ['demo', demo],
        [`${ratings.toLocaleString('en-GB')} ratings`, big],
      ] as const) {
        if (!base || (only && ((only === 'demo') !== (name === 'demo')))) continue;
        io.out(`${name}: ${base} (${mb(statSync(base).size)})`);
        const file = join(work, 'w.assay');
        const out = join(work, 'out');
        const rows: Row[] = [
          { label: '`assay figures --report`, index current', runs: [] },
          { label: '`assay figures --report` after a sqlite3 change (stale)', runs: [] },
          { label: '`assay export --format docx`, index current', runs: [] },
          { label: 'sqlite3 change + `assay export --format docx` (stale)', runs: [] },
          { label: 'the same, chart picture cache empty', runs: [] },
        ];
        const sqliteMs: number[] = [];
        for (let i = 0; i < runs; i++) {
          // A fresh copy each time (not timed), so every run meets the file in the state its row names.
          copyFileSync(base, file);
          rows[0]!.runs.push(timed('node', [cli, 'figures', file, '--report', REPORT], { env }));
          copyFileSync(base, file);
          changeOneRating(file, i);
          rows[1]!.runs.push(timed('node', [cli, 'figures', file, '--report', REPORT], { env }));
          const exportIt = () => timed('node', [cli, ...exportArgs(file, out, pages)], { env });
          // First with no chart pictures cached.
          charts.empty();
          rows[4]!.runs.push(changedThenTimed(base, file, i + 2 * runs, exportIt));
          // Then as a pipeline meets its cache: every picture of the file as it is kept; after the change, the charts
          // whose data it changed are drawn again.
          lastRunWas(base, file, exportIt);
          rows[2]!.runs.push(exportIt());
          const step = changedThenTimed(base, file, i + runs, exportIt);
          sqliteMs.push(step.changeMs);
          rows[3]!.runs.push(step);
          io.progress(`${name}: run ${i + 1} of ${runs}`);
        }
        io.progress('');
        summarise(io, base, rows);
        io.out(`  (the sqlite3 change itself: median ${ms(median(sqliteMs))})`);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
      if (!keep) io.out(`Workspaces kept in ${dir} for the next run (--keep=<dir> to choose where).`);
    }
    io.out(`Machine: ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min).`);
  },
};
