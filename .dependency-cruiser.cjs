/**
 * Layer rules from DESIGN.md, enforced on every build (`npm run lint`).
 * shared/ is pure: no Node built-ins, electron, React or DOM-only packages. renderer/ never reaches the Node side.
 * electron/services/ must not import electron, so the CLI and the loopback host can use it without Electron.
 */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-pure',
      severity: 'error',
      comment: 'shared/ is pure TypeScript: no Node built-ins, electron, React, or code from other layers.',
      from: { path: '^shared/', pathNot: '\\.test\\.ts$' },
      to: {
        dependencyTypesNot: ['type-only'],
        path: ['^electron/', '^renderer/', 'node_modules/(electron|react|react-dom|playwright-core|@resvg)/'],
      },
    },
    {
      name: 'shared-no-node-builtins',
      severity: 'error',
      from: { path: '^shared/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-not-node-or-electron',
      severity: 'error',
      comment: 'The renderer talks to main only through window.assay.',
      from: { path: '^renderer/src/', pathNot: '\\.test\\.tsx?$' },
      to: { path: ['^electron/', 'node_modules/electron/'] },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      from: { path: '^renderer/src/', pathNot: '\\.test\\.tsx?$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'services-without-electron',
      severity: 'error',
      comment: 'Node services are used by the CLI and the loopback host, where there is no Electron.',
      from: { path: '^electron/(services|cli|web)/' },
      to: { path: 'node_modules/electron/' },
    },
    {
      name: 'no-circular-in-shared',
      severity: 'error',
      from: { path: '^shared/' },
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(out|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
