import type { EvaluatedFigure, RequestParsed } from '../../../shared/ipc/contract';
import {
  checkSql,
  sharedFigureEngine,
  deleteFigure,
  FigureSpecError,
  figureNodesIn,
  getFigure,
  listFigures,
  parseSpec,
  saveFigure,
  SqlFigureError,
  type FigureDef,
  type FigureEngine,
  type FigureParams,
  type FigureResult,
} from '../../../shared/figures';
import type { ChangeEvent, Workspace } from '../../../shared/store/workspace';
import { findReport, sectionsContaining } from '../../../shared/store/reports';
import { slugTakenBy } from '../../../shared/store/figures';
import { AppError, notFound } from './errors';

/**
 * What the handlers need from the figure library and engine, in one place. One engine per open workspace keeps its
 * cache of results, which `applyChange` brings up to date after each write (recomputing only what the write touched).
 */
export interface FigurePort {
  readonly engine: FigureEngine;
  list(search?: string): (FigureDef & { usedIn: number })[];
  get(id: string): FigureDef;
  save(input: RequestParsed<'figures.save'>, actor: string): Promise<{ id: string }>;
  delete(id: string, actor: string): Promise<void>;
  /** A draft figure's result, SQL waited for (the builder shows its own progress). */
  preview(input: RequestParsed<'figures.preview'>): Promise<FigureResult>;
  evaluate(input: RequestParsed<'figures.evaluate'>): EvaluatedFigure[];
  /** evaluate, waiting for SQL figures when the request asks to. */
  evaluateSettled(input: RequestParsed<'figures.evaluate'>): Promise<EvaluatedFigure[]>;
  /** Brings cached results up to date after a write; returns the keys of figures whose value changed. */
  applyChange(e: ChangeEvent): string[];
  /** Calls back with the keys of figures whose SQL run settled since they were reported pending. */
  onSettled(listener: (keys: string[]) => void): () => void;
  dispose(): void;
}

/** How many section nodes use each figure, from one pass over every section. */
function usage(ws: Workspace): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of sectionsContaining(ws, 'figureId')) {
    for (const n of figureNodesIn(s.content)) counts.set(n.figureId, (counts.get(n.figureId) ?? 0) + 1);
  }
  return counts;
}

/**
 * Checks a spec or a query before saving so the problem comes back against its own field ("spec" or "sql", or the
 * spec's inner path), which the figure builder shows inline.
 */
function precheck(ws: Workspace, input: { spec?: Record<string, unknown> | null; sql?: string | null }): void {
  try {
    if (input.spec) parseSpec(input.spec);
    if (input.sql) {
      const sql = checkSql(input.sql);
      try {
        ws.db.prepare(sql).free();
      } catch (e) {
        throw new SqlFigureError(`The SQL could not be compiled: ${(e as Error).message}.`);
      }
    }
  } catch (e) {
    if (e instanceof FigureSpecError) throw new AppError('invalid', e.message, { [e.path]: e.message });
    if (e instanceof SqlFigureError) throw new AppError('invalid', e.message, { sql: e.message });
    throw e;
  }
}

export function createFigurePort(ws: Workspace): FigurePort {
  // The editor, exports and review checks share one engine, so the rating index is read once per workspace.
  const engine = sharedFigureEngine(ws);
  return {
    engine,
    list(search) {
      const q = search?.trim().toLowerCase();
      const used = usage(ws);
      return listFigures(ws)
        .filter((f) => !q || f.name.toLowerCase().includes(q) || f.slug.includes(q) || (f.description ?? '').toLowerCase().includes(q))
        .map((f) => ({ ...f, usedIn: used.get(f.id) ?? 0 }));
    },
    get(id) {
      const def = getFigure(ws, id);
      if (!def) throw notFound('Figure', id);
      return def;
    },
    async save(input, actor) {
      if (input.id && !getFigure(ws, input.id)) throw notFound('Figure', input.id);
      precheck(ws, input);
      // The library saves "by slug" when there is no id (the CLI relies on it); in the app a new figure with a taken
      // slug is a mistake to point out, not an edit of the other figure.
      const clash = slugTakenBy(ws, input.slug, input.id ?? '');
      if (clash) {
        throw new AppError('conflict', `The slug “${input.slug}” is already used by “${clash.name}”; choose another.`, { slug: 'is already used by another figure' });
      }
      const def = await saveFigure(ws, input as Parameters<typeof saveFigure>[1], actor);
      return { id: def.id };
    },
    async delete(id, actor) {
      await deleteFigure(ws, id, actor);
    },
    preview(input) {
      const draft = { kind: input.kind, spec: input.spec ?? null, sql: input.sql ?? null, format: input.format as FigureDef['format'] };
      return engine.settle(() => engine.evaluate(draft, input.params));
    },
    evaluate(input) {
      const reportParams: FigureParams = input.reportId ? findReport(ws, input.reportId).params : {};
      return input.refs.map((ref) => {
        const r = { figureId: ref.figureId, ...(ref.params ? { params: ref.params } : {}) };
        const result = engine.evaluateRef(r, reportParams);
        const { state, approved } = engine.stateOf(ref.figureId, input.sectionId ?? null, result);
        return {
          figureId: ref.figureId,
          params: ref.params ?? {},
          key: engine.keyOf(r, reportParams),
          result,
          state,
          ...(approved ? { approved } : {}),
        };
      });
    },
    evaluateSettled(input) {
      return input.wait ? engine.settle(() => this.evaluate(input)) : Promise.resolve(this.evaluate(input));
    },
    applyChange: (e) => engine.applyChange(e),
    onSettled: (listener) =>
      engine.onSqlSettled(() => {
        const keys = engine.refreshPending();
        if (keys.length) listener(keys);
      }),
    dispose: () => engine.dispose(),
  };
}
