import type { Workspace } from '../store/workspace';
import { getFigure, sharedFigureEngine } from '../figures';
import type { FigureSource } from './assemble';

/** The figure engine as the exporters see it: evaluate a reference, describe a library figure, wait for SQL figures. */
export function figureSourceFor(ws: Workspace): FigureSource {
  const engine = sharedFigureEngine(ws);
  const defs = new Map<string, ReturnType<FigureSource['describe']>>();
  return {
    evaluate: (ref, params, opts) => engine.evaluateRef(ref, params, opts),
    settle: (compute) => engine.settle(compute),
    describe: (id) => {
      if (!defs.has(id)) {
        const d = getFigure(ws, id);
        defs.set(id, d ? { slug: d.slug, name: d.name, kind: d.kind, chart: d.chart } : undefined);
      }
      return defs.get(id);
    },
  };
}
