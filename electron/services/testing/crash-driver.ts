import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { SqlJsStatic } from 'sql.js';
import { WorkspaceFile } from '../workspace-file';
import { loadSqlJs } from '../sqljs';
import { tempDir } from './fixtures';

/**
 * Runs writers (testing/crash-writer.ts) against one workspace and SIGKILLs each at a seeded random moment, then
 * reopens the file as it was left and checks that every write a writer acknowledged is there and that SQLite finds the
 * file sound. The crash test and `assay bench crash` both use it.
 */

export interface CrashOptions {
  kills: number;
  seed?: number;
  /** A kill lands uniformly within this many ms of telling the writer to start (opening included). */
  maxDelayMs?: number;
  /** Writes between saves in the writer. */
  saveEvery?: number;
  /** Called after each kill's check, for progress. */
  onKill?: (done: number, result: CrashResult) => void;
}

export interface CrashResult {
  kills: number;
  /** Writes acknowledged by the writers, all told. */
  acknowledged: number;
  /** Acknowledged writes looked for after the kills (each is checked after every later kill too). */
  checks: number;
  /** Acknowledged writes missing after a kill: must be 0. */
  lost: number;
  firstLoss?: string;
  /** Reopens whose `PRAGMA integrity_check` said ok. */
  integrityOk: number;
  /** Where the kills landed, from the writer's last line before it died. */
  during: { open: number; write: number; save: number };
  ms: { total: number; writerLifeMedian: number; checkMedian: number };
  /** How the writers ran: an esbuild bundle, or through tsx. */
  writer: 'bundle' | 'tsx';
}

/** Deterministic pseudo-random numbers (mulberry32) so a failure can be reproduced from its seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The writer runs from the source tree through tsx; a bundled `assay` finds it from the current folder. */
function findWriter(): { writer: string; root: string } {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const writer of [join(here, 'crash-writer.ts'), resolve('electron/services/testing/crash-writer.ts')]) {
    if (existsSync(writer)) return { writer, root: resolve(dirname(writer), '../../..') };
  }
  throw new Error('The crash writer runs from the source tree: run it there with `npm run assay -- bench crash`.');
}

/**
 * How to start a writer. Bundled once with esbuild (which vite and tsx already bring) it starts in about a third of the
 * time it takes through tsx, which is most of what a kill costs; without esbuild it runs through tsx.
 */
async function writerCommand(writer: string, dir: string): Promise<{ args: string[]; env: NodeJS.ProcessEnv }> {
  const wasm = createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
  try {
    const specifier = 'esbuild';
    const esbuild = (await import(/* @vite-ignore */ specifier)) as {
      build(o: Record<string, unknown>): Promise<unknown>;
    };
    const outfile = join(dir, 'crash-writer.bundle.mjs');
    await esbuild.build({
      entryPoints: [writer],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'silent',
      // sql.js is CommonJS: inside an ES module bundle it still needs require, __filename and __dirname.
      banner: {
        js: "import { createRequire as __assayRequire } from 'node:module'; import { fileURLToPath as __assayPath } from 'node:url'; " +
          'const require = __assayRequire(import.meta.url); const __filename = __assayPath(import.meta.url); const __dirname = __filename.replace(/[\\/][^\\/]*$/, "");',
      },
    });
    return { args: [outfile], env: { ...process.env, ASSAY_SQLJS_WASM: wasm } };
  } catch {
    return { args: ['--import', 'tsx', writer], env: process.env };
  }
}

interface Writer {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  onLine?: (line: string) => void;
}

function startWriter(cmd: { args: string[]; env: NodeJS.ProcessEnv }, root: string, path: string, saveEvery: number): Promise<Writer> {
  // One process (a bundle, or `--import tsx`), so SIGKILL really kills the writer (the tsx CLI would leave a
  // grandchild running).
  const child = spawn(process.execPath, [...cmd.args, path, String(saveEvery)], { stdio: ['pipe', 'pipe', 'pipe'], cwd: root, env: cmd.env });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const w: Writer = {
    child,
    lines: [],
    exited: new Promise((done) => child.on('exit', (code, signal) => done({ code, signal, stderr }))),
  };
  let buf = '';
  return new Promise((ready, fail) => {
    child.on('error', fail);
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === 'warm') ready(w);
        else {
          w.lines.push(line);
          w.onLine?.(line);
        }
      }
    });
    void w.exited.then((x) => fail(new Error(`the crash writer exited before it was ready (${x.code ?? x.signal}): ${x.stderr}`)));
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[s.length >> 1]! : (s[(s.length >> 1) - 1]! + s[s.length >> 1]!) / 2;
};

export async function runCrashCampaign(opts: CrashOptions): Promise<CrashResult> {
  const { writer, root } = findWriter();
  const random = rng(opts.seed ?? 20181010);
  const maxDelay = opts.maxDelayMs ?? 120;
  const saveEvery = opts.saveEvery ?? 5;
  const dir = tempDir('assay-crash-');
  const path = join(dir, 'crash.assay');
  const SQL: SqlJsStatic = await loadSqlJs();
  await (await WorkspaceFile.create(path, { sql: SQL })).close();

  const t0 = performance.now();
  const result: CrashResult = {
    kills: 0,
    acknowledged: 0,
    checks: 0,
    lost: 0,
    integrityOk: 0,
    during: { open: 0, write: 0, save: 0 },
    ms: { total: 0, writerLifeMedian: 0, checkMedian: 0 },
    writer: 'tsx',
  };
  const lives: number[] = [];
  const checks: number[] = [];
  const acked = new Set<number>();
  let next = 0;
  // The next writers load while this one runs, so a kill costs a writer's life and a check, not a Node start-up.
  const cmd = await writerCommand(writer, dir);
  result.writer = cmd.args[0] === '--import' ? 'tsx' : 'bundle';
  const warm = (): Promise<Writer> => {
    const p = startWriter(cmd, root, path, saveEvery);
    p.catch(() => undefined); // awaited later; a writer that fails to start is reported there
    return p;
  };
  // Two spares: starting Node with tsx costs more than a writer's life, and the machine may have only two cores.
  const spares = [warm(), warm()];
  try {
    for (let i = 0; i < opts.kills; i++) {
      const w = await spares.shift()!;
      spares.push(warm());
      const delay = random() * maxDelay;
      const started = performance.now();
      w.child.stdin.write(`go ${next}\n`);
      const timer = setTimeout(() => w.child.kill('SIGKILL'), delay);
      const exit = await w.exited;
      clearTimeout(timer);
      lives.push(performance.now() - started);
      if (exit.signal !== 'SIGKILL') throw new Error(`the crash writer exited with ${exit.code}: ${exit.stderr}`);
      result.kills++;
      const last = [...w.lines].reverse().find((l) => l === 'ready' || l === 'save' || l === 'saved' || l.startsWith('ack '));
      if (!w.lines.includes('ready')) result.during.open++;
      else if (last === 'save') result.during.save++;
      else result.during.write++;
      let top = next - 1;
      for (const line of w.lines) {
        const m = /^ack (\d+)$/.exec(line);
        if (!m) continue;
        const n = Number(m[1]);
        acked.add(n);
        result.acknowledged++;
        top = Math.max(top, n);
      }
      // The writer may have made one more write than it acknowledged: the next starts clear of it.
      next = top + 1000;

      // Look at the files exactly as the kill left them: a read-only open changes nothing, so the next writer is the
      // one that recovers, and kills land inside recovery too.
      const c0 = performance.now();
      const wf = await WorkspaceFile.open(path, { readOnly: true, sql: SQL });
      try {
        const have = new Set(
          wf.workspace.all<{ key: string }>("SELECT key FROM meta WHERE key LIKE 'crash-%'").map((r) => Number(r.key.slice(6))),
        );
        for (const n of acked) {
          result.checks++;
          if (!have.has(n)) {
            result.lost++;
            result.firstLoss ??= `write ${n}, acknowledged, was missing after kill ${i + 1}`;
          }
        }
        if (wf.workspace.value('PRAGMA integrity_check') === 'ok') result.integrityOk++;
      } finally {
        await wf.close();
      }
      checks.push(performance.now() - c0);
      opts.onKill?.(i + 1, result);
    }
  } finally {
    for (const spare of spares) {
      const s = await spare.catch(() => undefined);
      s?.child.kill('SIGKILL');
      if (s) await s.exited;
    }
    result.ms = { total: performance.now() - t0, writerLifeMedian: median(lives), checkMedian: median(checks) };
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}
