import type { RequestParsed } from '../../../../shared/ipc/contract';
import { checkSql, deleteFigure, figureNodesIn, getFigure, listFigures, parseSpec, saveFigure, SqlFigureError, type FigureDef } from '../../../../shared/figures';
import type { Workspace } from '../../../../shared/store/workspace';
import { sectionsContaining } from '../../../../shared/store/reports';
import { slugTakenBy } from '../../../../shared/store/figures';
import { AppError, notFound } from '../ipc/errors';

/**
 * The figure library as the app manages it: listing with how often each figure is used, saving with the checks the
 * figure builder shows beside its fields, deleting. Evaluation goes through the one figure service
 * (shared/figures/service.ts); the session keeps the engine behind it up to date.
 */
export interface FigureLibraryPort {
  list(search?: string): (FigureDef & { usedIn: number })[];
  get(id: string): FigureDef;
  save(input: RequestParsed<'figures.save'>, actor: string): Promise<{ id: string }>;
  delete(id: string, actor: string): Promise<void>;
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
 * spec's inner path), which the figure builder shows inline: the errors carry their fields.
 */
function precheck(ws: Workspace, input: { spec?: Record<string, unknown> | null; sql?: string | null }): void {
  if (input.spec) parseSpec(input.spec);
  if (input.sql) {
    const sql = checkSql(input.sql);
    try {
      ws.db.prepare(sql).free();
    } catch (e) {
      throw new SqlFigureError(`The SQL could not be compiled: ${(e as Error).message}.`);
    }
  }
}

export function createFigureLibraryPort(ws: Workspace): FigureLibraryPort {
  return {
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
  };
}
