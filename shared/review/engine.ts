import type { FigureParams, FigureResult } from '../figures/types';
import type { Workspace } from '../store/workspace';
import { figureSourceFor } from '../export/figure-source';
import { unavailableFigure, type FigureSource } from './figures';

/**
 * Review's view of the figure engine, built on the same evaluator the exporters use, so that what a check calls the
 * current value is exactly what an export would print.
 */
export function reviewFigures(ws: Workspace): FigureSource {
  const source = figureSourceFor(ws);
  return {
    evaluate(figureId: string, params: FigureParams): FigureResult {
      try {
        // The parameters are already the effective ones (the report's merged with the node's).
        return source.evaluate({ figureId, params }, {});
      } catch (e) {
        return unavailableFigure(figureId, params, e);
      }
    },
  };
}
