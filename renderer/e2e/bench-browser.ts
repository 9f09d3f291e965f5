/**
 * Browser benchmarks of the renderer, through the loopback host in Debian's Chromium (not a test: it prints numbers).
 *
 *   npx tsx renderer/e2e/bench-browser.ts [--only <name>[,<name>]] [--runs <n>]
 *
 * Each benchmark is an entry in BENCHES: it names the workspace it needs, gets a page that is already open on the app
 * (first-run prompt answered), and returns its measurements. Timings are taken inside the page with
 * performance.now() and requestAnimationFrame, so the Playwright round trip is not counted; "shown" means the rows
 * are in the DOM and a frame has been painted after them.
 *
 * Targets (issue 5): data browser first rows under 500 ms median.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { demoTemplate, REPO, startDemoHost } from './support/host';

export interface Measurement {
  name: string;
  unit: 'ms' | 'count' | 'fps';
  samples: number[];
  /** What a reader needs to judge the number (sizes, targets). */
  note?: string;
}

export interface BenchContext {
  page: Page;
  runs: number;
  /** How many locations the workspace holds. */
  locations: number;
}

export interface Bench {
  name: string;
  workspace: 'demo' | 'large';
  run(ctx: BenchContext): Promise<Measurement[]>;
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CQC_2021 = '/work/shared/data/cqc/cqc_latest_ratings_overall_locations_england_2021.csv';

/**
 * At least 50,000 locations: the demo's synthetic England (about 33,000) plus CQC's real 2021 ratings file (about
 * 32,000 more), imported with the app's own importer. Cached beside the demo template and rebuilt when that changes.
 */
function largeWorkspace(): string {
  const demo = demoTemplate();
  const out = join(tmpdir(), 'assay-e2e-cache', 'large-template.assay');
  if (existsSync(out) && statSync(out).mtimeMs > statSync(demo).mtimeMs) return out;
  const building = join(tmpdir(), 'assay-e2e-cache', `large-building-${process.pid}.assay`);
  mkdirSync(join(tmpdir(), 'assay-e2e-cache'), { recursive: true });
  spawnSync('cp', [demo, building]);
  const r = spawnSync(join(REPO, 'node_modules', '.bin', 'tsx'), ['electron/cli/main.ts', 'import', 'cqc-ratings', building, CQC_2021, '--by', 'Benchmark'], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0 && r.status !== 3) throw new Error(`The CQC import for the large workspace failed:\n${r.stderr}`);
  renameSync(building, out);
  return out;
}

/** Waits in the page until a selector matches, then one more frame so it has been painted; returns elapsed ms. */
async function clickAndTime(page: Page, clickSelector: string, readySelector: string): Promise<number> {
  return page.evaluate(
    async ([click, ready]) => {
      const t0 = performance.now();
      (document.querySelector(click) as HTMLElement).click();
      await new Promise<void>((resolve, reject) => {
        const give = setTimeout(() => reject(new Error(`${ready} did not appear in 30 s`)), 30_000);
        const check = () => {
          if (document.querySelector(ready)) {
            clearTimeout(give);
            requestAnimationFrame(() => resolve());
          } else requestAnimationFrame(check);
        };
        check();
      });
      return performance.now() - t0;
    },
    [clickSelector, readySelector] as const,
  );
}

const NAV = (label: string) => `nav[aria-label="Main"] li:nth-child(${['Home', 'Data', 'Reports', 'Figures', 'Evidence'].indexOf(label) + 1}) button`;

const dataBrowser: Bench = {
  name: 'data-browser',
  workspace: 'large',
  async run({ page, runs, locations }) {
    const firstRows: number[] = [];
    for (let i = 0; i < runs; i++) {
      await clickAndTime(page, NAV('Home'), '.stat-grid');
      firstRows.push(await clickAndTime(page, NAV('Data'), '.vt__body [role="row"] .vt__open'));
    }
    await page.waitForSelector('.vt__body [role="row"] .vt__open');

    // Scroll through the whole list as fast as a user flinging the scrollbar: 2,000 px a frame. Counts frame times
    // and how often a frame showed placeholder rows (rows not yet paged in from the host).
    const fling = await page.evaluate(async () => {
      const el = document.querySelector('[data-testid="locations-scroll"]') as HTMLElement;
      el.scrollTop = 0;
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const frames: number[] = [];
      let blankFrames = 0;
      const t0 = performance.now();
      let last = t0;
      while (el.scrollTop + el.clientHeight < el.scrollHeight - 2) {
        el.scrollTop += 2000;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const now = performance.now();
        frames.push(now - last);
        last = now;
        if (el.querySelector('.skeleton')) blankFrames++;
      }
      const scrolled = performance.now() - t0;
      // Then: how long until the rows at the very end are drawn.
      const t1 = performance.now();
      while (el.querySelector('.skeleton')) await new Promise((r) => requestAnimationFrame(() => r(null)));
      return { frames, blankFrames, scrolled, settle: performance.now() - t1, rows: el.querySelectorAll('.vt__body [role="row"]').length };
    });

    // Jumps to random places (dragging the scrollbar thumb): time until the rows there are drawn.
    const jumps = await page.evaluate(async (n) => {
      const el = document.querySelector('[data-testid="locations-scroll"]') as HTMLElement;
      const out: number[] = [];
      let seed = 42;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        el.scrollTop = Math.floor(rnd() * (el.scrollHeight - el.clientHeight));
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        while (el.querySelector('.skeleton')) await new Promise((r) => requestAnimationFrame(() => r(null)));
        out.push(performance.now() - t0);
      }
      return out;
    }, Math.max(10, runs * 4));

    return [
      { name: 'first rows shown after opening Data', unit: 'ms', samples: firstRows, note: `${locations.toLocaleString('en-GB')} locations; target under 500 ms` },
      { name: 'scroll through all locations, 2,000 px a frame (total)', unit: 'ms', samples: [fling.scrolled], note: `${fling.frames.length} frames; ${fling.blankFrames} showed rows still loading; ${fling.rows} rows in the DOM` },
      { name: 'frame time while scrolling', unit: 'ms', samples: fling.frames },
      { name: 'rows at the end drawn after the scroll stops', unit: 'ms', samples: [fling.settle] },
      { name: 'jump to a random place, rows drawn', unit: 'ms', samples: jumps },
    ];
  },
};

/** Every benchmark, in the order they run. The report editor's typing-latency benchmark joins this list. */
export const BENCHES: Bench[] = [dataBrowser];

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return s[lo]! + (s[hi]! - s[lo]!) * (i - lo);
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}

async function openApp(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
  await page.goto(url);
  const welcome = page.getByRole('dialog', { name: 'Welcome to Assay' });
  await welcome.getByLabel('Your full name').fill('Benchmark');
  await welcome.getByRole('button', { name: 'Continue' }).click();
  await welcome.waitFor({ state: 'hidden' });
  await page.waitForSelector('.stat-grid');
  return page;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : null;
  const runs = args.includes('--runs') ? Math.max(1, Number(args[args.indexOf('--runs') + 1])) : 7;
  const benches = BENCHES.filter((b) => !only || only.includes(b.name));
  if (benches.length === 0) throw new Error(`No benchmark called ${only?.join(', ')}; there are: ${BENCHES.map((b) => b.name).join(', ')}`);

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    for (const b of benches) {
      process.stdout.write(`\n${b.name}: preparing the ${b.workspace} workspace…\n`);
      const template = b.workspace === 'large' ? largeWorkspace() : demoTemplate();
      const locations = Number(spawnSync('sqlite3', [template, 'SELECT count(*) FROM locations'], { encoding: 'utf8' }).stdout.trim()) || 0;
      const host = await startDemoHost({ workspaceFrom: template });
      try {
        const page = await openApp(browser, host.url);
        const results = await b.run({ page, runs, locations });
        await page.close();
        for (const m of results) {
          const med = quantile(m.samples, 0.5);
          const line =
            m.samples.length > 1
              ? `  ${m.name}: median ${fmt(med)} ${m.unit} (p95 ${fmt(quantile(m.samples, 0.95))}, min ${fmt(Math.min(...m.samples))}, max ${fmt(Math.max(...m.samples))}, n=${m.samples.length})`
              : `  ${m.name}: ${fmt(med)} ${m.unit}`;
          process.stdout.write(`${line}${m.note ? `\n      ${m.note}` : ''}\n`);
        }
      } finally {
        await host.close();
      }
    }
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && /bench-browser\.ts$/.test(process.argv[1])) {
  main().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
