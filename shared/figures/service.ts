import type { Workspace } from '../store/workspace';
import { getFigure } from './library';
import { sharedFigureEngine, type EvaluateOptions, type FigureDraft } from './engine';
import type { SqlView } from './sql';
import type { ApprovalInfo, ChartOptions, FigureKind, FigureParams, FigureRef, FigureResult, FigureState } from './types';

/**
 * The figures as everything outside the engine sees them: the request handlers, the exporters and review all ask
 * through this one interface, so the value the editor shows, the value an export prints and the value a check judges
 * come from the same place. The engine behind it (shared/figures/engine) is the workspace's shared one.
 */

/** What a library figure is called and how it is drawn: what a document needs beside the result. */
export interface FigureDescription {
  slug: string;
  name: string;
  kind: FigureKind;
  chart: ChartOptions | null;
}

export interface FigureService {
  /** A figure reference (its id and parameter overrides) under the report's parameters. Never throws: errors are results. */
  evaluate(ref: FigureRef, reportParams: FigureParams, opts?: EvaluateOptions): FigureResult;
  /** An unsaved figure (the figure builder's preview), with its parameters. */
  evaluateDraft(draft: FigureDraft, params: FigureParams): FigureResult;
  /** The key a reference's result is cached and announced under ('figures.changed'). */
  keyOf(ref: FigureRef, reportParams: FigureParams, opts?: EvaluateOptions): string;
  /** The library figure, undefined when there is none. */
  describe(figureId: string): FigureDescription | undefined;
  /** How the result stands against its sign-off in a section (or the library when sectionId is null). */
  stateOf(figureId: string, sectionId: string | null, result: FigureResult): { state: FigureState; approved?: ApprovalInfo };
  /** Runs `compute` until no figure it evaluated is still pending (SQL figures run in a worker). */
  settle<T>(compute: () => T): Promise<T>;
}

/**
 * The workspace's figure service. `view: 'public'` makes public-edition evaluation the default (SQL figures on the
 * workspace without restricted material), for a public export's document and its checks.
 */
export function figureService(ws: Workspace, opts: { view?: SqlView } = {}): FigureService {
  const engine = sharedFigureEngine(ws);
  return {
    evaluate: (ref, reportParams, o) => engine.evaluateRef(ref, reportParams, { ...o, view: o?.view ?? opts.view ?? 'internal' }),
    evaluateDraft: (draft, params) => engine.evaluate(draft, params, { view: opts.view ?? 'internal' }),
    keyOf: (ref, reportParams, o) => engine.keyOf(ref, reportParams, { ...o, view: o?.view ?? opts.view ?? 'internal' }),
    describe: (id) => {
      const d = getFigure(ws, id);
      return d ? { slug: d.slug, name: d.name, kind: d.kind, chart: d.chart } : undefined;
    },
    stateOf: (figureId, sectionId, result) => engine.stateOf(figureId, sectionId, result),
    settle: (compute) => engine.settle(compute),
  };
}
