import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time of any file under these paths (skipping node_modules and tests). */
function newest(paths: string[]): number {
  let max = 0;
  const visit = (p: string): void => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) {
        if (name === 'node_modules' || name === 'e2e' || name.startsWith('.')) continue;
        visit(join(p, name));
      }
    } else if (!/\.test\.tsx?$/.test(p)) {
      max = Math.max(max, st.mtimeMs);
    }
  };
  for (const p of paths) visit(p);
  return max;
}

/** Why the built renderer needs rebuilding, or null when it is up to date. */
export function rendererStaleness(repoRoot: string, outDir: string): string | null {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return 'the renderer has not been built yet';
  const built = statSync(index).mtimeMs;
  const sources = newest([join(repoRoot, 'renderer'), join(repoRoot, 'shared'), join(repoRoot, 'templates')]);
  return sources > built ? 'the renderer’s sources changed since it was last built' : null;
}

/**
 * Builds only the renderer, with the renderer part of electron.config.ts, so the loopback host does not wait for (or
 * fail on) the main process and preload builds it does not use.
 */
export async function buildRenderer(repoRoot: string): Promise<void> {
  const { build, loadConfigFromFile } = await import('vite');
  // Vite bundles the config file itself, which gives it __dirname as electron-vite does.
  const loaded = await loadConfigFromFile({ command: 'build', mode: 'production' }, join(repoRoot, 'electron.config.ts'), repoRoot, 'warn');
  const renderer = (loaded?.config as { renderer?: Record<string, unknown> } | undefined)?.renderer;
  if (!renderer) throw new Error('electron.config.ts has no renderer build.');
  // Relative asset paths, as electron-vite builds them, so the same files work under assay://app/ and http://127.0.0.1.
  // Old hashed assets are kept (as `npm run build` keeps them): a page opened before a rebuild still loads its chunks.
  await build({ configFile: false, logLevel: 'warn', base: './', ...renderer });
}
