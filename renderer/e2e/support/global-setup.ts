import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { demoTemplate, REPO } from './host';

/**
 * Before any spec: the renderer must be built from the current sources (the host serves out/renderer), and the demo
 * workspace template must exist, so the first spec does not spend its timeout generating it. The build runs in a tsx
 * child, like the host, through the loopback host's own build helper.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.ASSAY_E2E_NO_BUILD) {
    const script = `import('./electron/web/build.ts').then(async (b) => { const s = await import('./electron/web/server.ts'); const why = b.rendererStaleness(s.REPO_ROOT, s.DEFAULT_RENDERER_DIR); if (why) { console.log('Building the renderer (' + why + ')'); await b.buildRenderer(s.REPO_ROOT); } }).catch((e) => { console.error(e.message); process.exit(1); })`;
    const r = spawnSync(join(REPO, 'node_modules', '.bin', 'tsx'), ['-e', script], { cwd: REPO, encoding: 'utf8', timeout: 300_000 });
    if (r.stdout) process.stdout.write(r.stdout);
    if (r.status !== 0) throw new Error(`The renderer did not build:\n${r.stderr}`);
  }
  demoTemplate();
}
