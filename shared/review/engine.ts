import type { FigureParams, FigureResult } from '../figures/types';
import type { SqlView } from '../figures/sql';
import type { Workspace } from '../store/workspace';
import { figureSourceFor } from '../export/figure-source';
import { unavailableFigure, type FigureSource } from './figures';

/**
 * Review's view of the figure engine, built on the same evaluator the exporters use, so that what a check calls the
 * current value is exactly what an export would print. Checks of a public edition see what a public export would: SQL
 * figures on the public view of the workspace.
 */
export function reviewFigures(ws: Workspace, opts: { view?: SqlView } = {}): FigureSource {
  const source = figureSourceFor(ws);
  const view = opts.view ?? 'internal';
  return {
    evaluate(figureId: string, params: FigureParams): FigureResult {
      try {
        // The parameters are already the effective ones (the report's merged with the node's).
        return source.evaluate({ figureId, params }, {}, { view });
      } catch (e) {
        return unavailableFigure(figureId, params, e);
      }
    },
    settle: (compute) => source.settle(compute),
  };
}
