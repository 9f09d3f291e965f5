import type { Workspace } from '../../store/workspace';
import type { SqlExecutor } from '../sql';
import { Engine } from './engine';
import type { EngineOptions, FigureEngine } from './types';

/**
 * The figure engine's public face: make an engine (with the SQL executor it cannot do without), or get the one a
 * workspace's consumers share. The parts: engine.ts (evaluate, recompute after changes), results.ts (what is cached
 * and when it is stale), shared/store/current-ratings.ts (the rating index, shared with the data browser, and its copy in the workspace), caches.ts (names, scales,
 * library figures, parsed specs), measures/ (ratings, indicators, counts, SQL figures), provenance.ts.
 */

export type { FigureEngine, EngineOptions, EvaluateOptions, FigureDraft } from './types';
export { usedParams } from './engine';

export function createFigureEngine(ws: Workspace, opts: EngineOptions): FigureEngine {
  return new Engine(ws, opts);
}

const sharedEngines = new WeakMap<Workspace, FigureEngine>();
let executorFactory: ((ws: Workspace) => SqlExecutor) | undefined;

/**
 * Says where the shared engines run SQL figures. The Node side registers its worker when it loads sql.js
 * (electron/services/sqljs.ts), so every process that can open a workspace has one; without it, there is no engine.
 */
export function provideSqlExecutor(factory: (ws: Workspace) => SqlExecutor): void {
  executorFactory = factory;
}

/**
 * The one engine a workspace's consumers share (the editor, exports, review checks), so that the rating index is
 * built or read once per workspace, not once per export. Disposing it drops it; the next call makes a new one.
 */
export function sharedFigureEngine(ws: Workspace): FigureEngine {
  let e = sharedEngines.get(ws);
  if (!e) {
    if (!executorFactory) throw new Error('No SQL runner was provided for figures (provideSqlExecutor): SQL figures must never run on the live database.');
    const engine = new Engine(ws, { sql: executorFactory(ws) });
    const dispose = engine.dispose.bind(engine);
    engine.dispose = () => {
      if (sharedEngines.get(ws) === engine) sharedEngines.delete(ws);
      dispose();
    };
    sharedEngines.set(ws, engine);
    e = engine;
  }
  return e;
}
