import { resolve } from 'node:path';
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

// Builds the `assay` command into out/cli/assay.mjs for package.json's `bin`. Dependencies stay external (installed
// beside it; sql.js must find its wasm in node_modules), except the few small pure ones in BUNDLED below.
const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { dependencies: Record<string, string> };
const external = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), ...Object.keys(pkg.dependencies)];

// echarts as its own one-file build (the same release's dist/echarts.esm.min.mjs), not its hundreds of modules: a fresh
// process loads it in about 50 ms instead of 350, and holds about 30 MB less. Still installed beside the command.
const ECHARTS = 'echarts/dist/echarts.esm.min.mjs';

// Pure JavaScript packages of many small modules, bundled into the command rather than resolved file by file at start
// (zod alone is over 150 modules): resolving and linking them cost a fresh process more than running them.
const BUNDLED = ['zod', 'diff', '@noble/hashes', 'colord'];

export default defineConfig({
  resolve: { alias: [{ find: /^echarts$/, replacement: ECHARTS }] },
  ssr: { noExternal: BUNDLED },
  build: {
    ssr: true,
    target: 'node20',
    outDir: resolve(__dirname, '../../out/cli'),
    emptyOutDir: true,
    minify: false,
    rollupOptions: {
      input: { assay: resolve(__dirname, 'main.ts') },
      external: (id) =>
        id === ECHARTS ||
        (id !== 'echarts' && !BUNDLED.some((b) => id === b || id.startsWith(`${b}/`)) && external.some((e) => id === e || id.startsWith(`${e}/`))),
      output: { format: 'es', entryFileNames: '[name].mjs' },
    },
  },
});
