import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Bench } from './types';
import { median, ms } from './types';
import { benchChartCache, benchWorkspaces, changedThenTimed, cliPath, exportArgs, haveSqlite3, lastRunWas, mb, timed, upToDate, type Run } from './cold';
import { findLibreOffice } from '../../services/export/docx-pages';

/** What each --contents-pages mode does, as the output says it. */
const PAGES_MODE: Record<string, string> = {
  none: 'contents without page numbers (Word fills them in on opening)',
  estimate: "contents page numbers from docx's layout estimate",
  libreoffice: "contents page numbers from LibreOffice's layout (about 3 s more)",
};

/**
 * `assay bench rmarkdown`: the pipeline of a statistician's reproducible analytical pipeline, side by side with its
 * R Markdown peer (resources/bench/state-of-care.Rmd: knitr + rmarkdown + RSQLite + pandoc, the same rating figures
 * by SQL over the same .assay file, tables and charts, rendered to Word). Each run changes one rating with sqlite3,
 * then rebuilds the Word file in a fresh process, R and Assay alternately, on the demo and the 2-million-rating
 * workspace; prints medians, peak RSS and the ratio. A benchmark, not a test: skipped, saying why, without R.
 */
export const rmarkdownBench: Bench = {
  name: 'rmarkdown',
  summary: 'A data change then the Word file rebuilt in a fresh process: Assay against an R Markdown peer (same figures by SQL, same file), medians and ratio; skipped without R.',
  async run(argv, io) {
    const arg = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
    const runs = Math.max(1, Number(arg('runs') ?? 5));
    const ratings = Number(arg('ratings') ?? 2_000_000);
    const pages = arg('contents-pages') ?? 'none';
    const only = arg('only');
    const rmd = resolve(arg('rmd') ?? join(process.cwd(), 'resources/bench/state-of-care.Rmd'));
    const rscript = arg('rscript') ?? 'Rscript';
    const probe = spawnSync(rscript, ['-e', 'suppressMessages({library(rmarkdown); library(knitr); library(RSQLite); library(DBI)}); cat(rmarkdown::pandoc_available())'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      io.out(
        `Skipped: R with rmarkdown, knitr, RSQLite and DBI is not available (${probe.error ? `${rscript} not found` : (probe.stderr || '').trim().split('\n').pop()}). ` +
          'On Debian: apt-get install r-base-core r-cran-rmarkdown r-cran-knitr r-cran-rsqlite r-cran-dbi pandoc',
      );
      return;
    }
    if (probe.stdout.trim() !== 'TRUE') {
      io.out('Skipped: rmarkdown cannot find pandoc, which renders its Word output.');
      return;
    }
    if (!existsSync(rmd)) {
      io.err(`The R Markdown document ${rmd} is missing (run from the repository root, or pass --rmd=<path>).`);
      return;
    }
    const cli = cliPath(argv);
    if (!existsSync(cli)) {
      io.err(`The bundled command ${cli} is missing: run \`npm run build:cli\` first.`);
      return;
    }
    if (!haveSqlite3()) {
      io.out('Skipped: the sqlite3 program is not installed (both sides start from a rating changed with it).');
      return;
    }
    const keep = arg('keep');
    const dir = resolve(keep ?? join(tmpdir(), 'assay-bench-cold'));
    const { demo, big } = await benchWorkspaces(dir, only === 'demo' ? 0 : ratings, io);
    if (!arg('cli')) for (const f of [demo, big]) if (f) await upToDate(f, io);
    const work = join(dir, 'work-r');
    mkdirSync(work, { recursive: true });
    const charts = benchChartCache(work);
    const env = charts.env;
    // Assay as a pipeline runs it by default: contents page numbers from LibreOffice's layout, when it is installed.
    const withDefault = pages !== 'libreoffice' && !!findLibreOffice();
    io.out(`R Markdown: ${rmd}, rendered to Word by pandoc: contents without page numbers.`);
    io.out(
      `Assay: node ${cli} --contents-pages ${pages}: ${PAGES_MODE[pages] ?? pages}` +
        (withDefault ? `; and as by default, --contents-pages libreoffice: ${PAGES_MODE.libreoffice}` : '') +
        `. Chart pictures cached in ${charts.dir}, holding those of the file before each change (an untimed export of it first, as a pipeline's last run). ${runs} runs each, alternating.`,
    );
    try {
      for (const [name, base] of [
        ['demo', demo],
        [`${ratings.toLocaleString('en-GB')} ratings`, big],
      ] as const) {
        if (!base || (only && ((only === 'demo') !== (name === 'demo')))) continue;
        const file = join(work, 'w.assay');
        const r: Run[] = [];
        const a: Run[] = [];
        const d: Run[] = [];
        for (let i = 0; i < runs; i++) {
          const render = `rmarkdown::render(${JSON.stringify(rmd)}, output_file = ${JSON.stringify(join(work, 'r.docx'))}, intermediates_dir = ${JSON.stringify(join(work, 'rtmp'))}, knit_root_dir = ${JSON.stringify(work)}, params = list(file = ${JSON.stringify(file)}), quiet = TRUE)`;
          r.push(changedThenTimed(base, file, i, () => timed(rscript, ['-e', render])));
          // As a pipeline meets its chart picture cache: its last export was of the file before this change
          // (untimed), so only the charts the change touched are drawn again.
          const exportWith = (p: string) => () => timed('node', [cli, ...exportArgs(file, join(work, 'out'), p)], { env });
          lastRunWas(base, file, exportWith(pages));
          a.push(changedThenTimed(base, file, i, exportWith(pages)));
          if (withDefault) {
            lastRunWas(base, file, exportWith(pages));
            d.push(changedThenTimed(base, file, i, exportWith('libreoffice')));
          }
          io.progress(`${name}: run ${i + 1} of ${runs}`);
        }
        io.progress('');
        const line = (label: string, xs: Run[]) => {
          const ok = xs.filter((x) => x.code === 0);
          const rss = ok.map((x) => x.rss).filter((x): x is number => x !== undefined);
          const fail = xs.length - ok.length;
          return `  ${label.padEnd(12)} median ${ms(median(ok.map((x) => x.ms))).padStart(8)}   peak RSS ${mb(rss.length ? Math.max(...rss) : undefined)}${fail ? `   ${fail} failed: ${xs.find((x) => x.code !== 0)?.stderr.trim().split('\n').pop() ?? ''}` : ''}`;
        };
        io.out(`${name} (${mb(statSync(base).size)}): sqlite3 change, then the Word file in a fresh process`);
        io.out(line('R Markdown', r));
        io.out(line('Assay', a));
        if (withDefault) io.out(line('Assay, LO', d));
        const mid = (xs: Run[]) => median(xs.filter((x) => x.code === 0).map((x) => x.ms));
        io.out(
          `  ratio R Markdown / Assay: ${(mid(r) / mid(a)).toFixed(2)}× (like with like: neither numbers the contents)` +
            (withDefault ? `; against Assay with LibreOffice's page numbers: ${(mid(r) / mid(d)).toFixed(2)}×` : ''),
        );
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    io.out(`Machine: ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min).`);
  },
};
