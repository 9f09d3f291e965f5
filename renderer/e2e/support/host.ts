/**
 * Shared by the app specs and the benchmark: a fresh copy of the demonstration workspace served by the loopback host
 * (startWebHost, run by serve.ts in a child process), with its own settings and exports folders, so every run starts as
 * a new user on a clean machine.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const CACHE = join(tmpdir(), 'assay-e2e-cache');
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
const SERVE = join(REPO, 'renderer', 'e2e', 'support', 'serve.ts');

/** The newest source the demo workspace is made from; a cached copy older than it is made again. */
function newestSource(): number {
  let max = 0;
  const visit = (p: string): void => {
    const st = statSync(p);
    if (st.isDirectory()) for (const n of readdirSync(p)) visit(join(p, n));
    else if (/\.(ts|json)$/.test(p) && !/\.test\.ts$/.test(p)) max = Math.max(max, st.mtimeMs);
  };
  for (const dir of ['shared/demo', 'shared/store', 'shared/figures', 'shared/document', 'templates']) if (existsSync(join(REPO, dir))) visit(join(REPO, dir));
  return max;
}

/**
 * The demo workspace takes half a minute to generate, so it is made once per source change and copied for each test.
 * Copies are made from a closed file (no journal, no lock), so each copy opens exactly as a user's would.
 */
export function demoTemplate(): string {
  mkdirSync(CACHE, { recursive: true });
  const template = join(CACHE, 'demo-template.assay');
  if (existsSync(template) && statSync(template).mtimeMs > newestSource()) return template;
  const building = join(CACHE, `demo-building-${process.pid}.assay`);
  const r = spawnSync(TSX, [SERVE, 'template', building], { cwd: REPO, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`Could not make the demo workspace:\n${r.stderr || r.stdout}`);
  renameSync(building, template);
  for (const f of readdirSync(CACHE)) if (f.startsWith(`demo-building-${process.pid}`)) rmSync(join(CACHE, f), { force: true });
  return template;
}

export interface TestHost {
  /**
   * The address to open, as `npm run web` prints it: the launch page with the token in its fragment. Every new page
   * (a second window, or after a reload, which forgets the token) opens this, not `origin`.
   */
  url: string;
  /** The host's origin, for comparing page addresses; opening it alone gives a page without its token. */
  origin: string;
  dir: string;
  workspace: string;
  exportsDir: string;
  settingsDir: string;
  close(): Promise<void>;
}

/** Serves a workspace file (a copy of the demo unless `workspaceFrom` names another template to copy). */
export async function startDemoHost(opts: { workspaceFrom?: string } = {}): Promise<TestHost> {
  const template = opts.workspaceFrom ?? demoTemplate();
  const dir = mkdtempSync(join(tmpdir(), 'assay-e2e-'));
  const workspace = join(dir, 'State of Care demo.assay');
  copyFileSync(template, workspace);
  const exportsDir = join(dir, 'exports');
  const settingsDir = join(dir, 'settings');
  mkdirSync(exportsDir);
  mkdirSync(settingsDir);
  const child: ChildProcess = spawn(TSX, [SERVE, 'serve', workspace, exportsDir, settingsDir], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const ready = await new Promise<{ url: string; origin: string }>((resolveReady, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`The loopback host did not start in 120 s.\n${stderr}`)), 120_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ASSAY_HOST (\{.*\})\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveReady(JSON.parse(m[1]!) as { url: string; origin: string });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The loopback host exited (${code}) before it was ready.\n${stderr}`));
    });
  });
  return {
    ...ready,
    dir,
    workspace,
    exportsDir,
    settingsDir,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.on('exit', () => r()));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      }
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
