/**
 * `npm run electronegativity`: scans the Electron code with @doyensec/electronegativity and fails (exit 1) on any
 * finding of high severity or above. The scanner's own command line always exits 0, which a CI step cannot use.
 * Medium and low findings are printed: the ones marked "review" are patterns that need a person to look (every
 * shell.openExternal, every preload), and the note beside each says why ours is acceptable.
 */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Issue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string; value: number };
  confidence: { name: string; value: number };
  manualReview: boolean;
  description: string;
}

type Run = (options: Record<string, unknown>) => Promise<{ issues: Issue[]; errors: unknown[]; atomicChecks: number; globalChecks: number }>;

const require = createRequire(import.meta.url);
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const ELECTRON_VERSION = (require(join(REPO, 'node_modules', 'electron', 'package.json')) as { version: string }).version;

/** Why each reviewed pattern is acceptable here; printed beside the finding so a reviewer sees the reasoning. */
const REVIEWED: Record<string, string> = {
  OPEN_EXTERNAL_JS_CHECK: 'only after isAllowedExternalUrl (https to gov.uk, cqc.org.uk, nationalarchives.gov.uk; unit-tested)',
  PRELOAD_JS_CHECK: 'the preload exposes one verb per contract request and an event subscription, never ipcRenderer',
  CSP_GLOBAL_CHECK: 'CSP set by response header on assay:// and the loopback host, and by a meta tag in index.html',
};

async function main(): Promise<number> {
  const run = require('@doyensec/electronegativity') as Run;
  // The scanner logs through winston and prints banners; only its result is wanted.
  const result = await run({
    input: join(REPO, 'electron'),
    isRelative: true,
    electronVersionOverride: ELECTRON_VERSION,
    customScan: [],
    excludeFromScan: [],
    parserPlugins: [],
  });
  const issues = result.issues.filter((i) => !/\.test\.ts$/.test(i.file));
  const high = issues.filter((i) => i.severity.value >= 3);
  process.stdout.write(`electronegativity over electron/ (Electron ${ELECTRON_VERSION}): ${result.atomicChecks} atomic and ${result.globalChecks} global checks\n`);
  for (const i of issues) {
    const note = REVIEWED[i.id];
    process.stdout.write(
      `  ${i.severity.name.padEnd(13)} ${i.confidence.name.padEnd(9)} ${i.id.padEnd(28)} ${i.file}:${i.location.line}:${i.location.column}` +
        `${i.manualReview ? ' (review)' : ''}${note ? `\n${' '.repeat(26)}reviewed: ${note}` : ''}\n`,
    );
  }
  if (high.length > 0) {
    process.stdout.write(`\n${high.length} finding${high.length === 1 ? '' : 's'} of high severity or above: fix them.\n`);
    return 1;
  }
  process.stdout.write(`\nNo findings of high severity or above (${issues.length} lower finding${issues.length === 1 ? '' : 's'}, listed above).\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`electronegativity could not run: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
