import type { EvaluatedFigure, RequestParsed } from '../../../shared/ipc/contract';
import type { FigureDef, FigureParams, FigureResult } from '../../../shared/figures/types';
import type { ChangeEvent, Workspace } from '../../../shared/store/workspace';
import { audit } from '../../../shared/store/audit';
import { newId, nowIso } from '../../../shared/util/runtime';
import { AppError, notFound } from './errors';

/**
 * What the handlers need from the figure library and engine, in one place, so the handlers do not depend on how the
 * engine is organised inside.
 */
export interface FigurePort {
  list(search?: string): (FigureDef & { usedIn: number })[];
  get(id: string): FigureDef;
  save(input: RequestParsed<'figures.save'>, actor: string): Promise<{ id: string }>;
  delete(id: string, actor: string): Promise<void>;
  preview(input: RequestParsed<'figures.preview'>): FigureResult;
  evaluate(input: RequestParsed<'figures.evaluate'>): EvaluatedFigure[];
  /** Brings cached results up to date after a write; returns the keys of figures whose value changed. */
  applyChange(e: ChangeEvent): string[];
}

interface FigureRow {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  kind: 'value' | 'table' | 'chart';
  spec: string | null;
  sql: string | null;
  format: string;
  chart: string | null;
}

function json<T>(s: string | null, fallback: T): T {
  if (s === null) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
}

function toDef(ws: Workspace, r: FigureRow): FigureDef {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    description: r.description,
    kind: r.kind,
    spec: json(r.spec, null),
    sql: r.sql,
    format: json(r.format, {}),
    chart: json(r.chart, null),
    evidenceIds: ws.all<{ e: string }>('SELECT evidence_id AS e FROM figure_evidence WHERE figure_id = ? ORDER BY evidence_id', [r.id]).map((x) => x.e),
  };
}

/** How many sections mention a figure: a cheap text search, exact enough to refuse deleting a figure in use. */
function usedIn(ws: Workspace, id: string): number {
  return Number(ws.value('SELECT count(*) FROM sections WHERE instr(content, ?) > 0', [`"figureId":"${id}"`]) ?? 0);
}

export function keyOf(figureId: string, params: FigureParams = {}): string {
  const sorted = Object.keys(params)
    .sort()
    .map((k) => [k, params[k]]);
  return `${figureId}|${JSON.stringify(sorted)}`;
}

export function createFigurePort(ws: Workspace): FigurePort {
  const library = {
    list(search?: string) {
      const q = search?.trim();
      const rows = ws.all<FigureRow>(
        q ? "SELECT * FROM figures WHERE name LIKE ? ESCAPE '\\' OR slug LIKE ? ESCAPE '\\' ORDER BY name COLLATE NOCASE" : 'SELECT * FROM figures ORDER BY name COLLATE NOCASE',
        q ? [`%${q}%`, `%${q}%`] : [],
      );
      return rows.map((r) => ({ ...toDef(ws, r), usedIn: usedIn(ws, r.id) }));
    },
    get(id: string) {
      const r = ws.get<FigureRow>('SELECT * FROM figures WHERE id = ? OR slug = ?', [id, id]);
      if (!r) throw notFound('Figure', id);
      return toDef(ws, r);
    },
    async save(input: RequestParsed<'figures.save'>, actor: string) {
      if (!input.spec === !input.sql) {
        throw new AppError('invalid', 'A figure is either a structured spec or an SQL query: give exactly one.', { sql: 'give a spec or SQL, not both' });
      }
      const r = await ws.write(
        input.id ? 'Edit a figure' : 'Add a figure',
        (tx) => {
          const id = input.id ?? newId();
          const before = tx.get<FigureRow>('SELECT * FROM figures WHERE id = ?', [id]);
          if (input.id && !before) throw notFound('Figure', input.id);
          const clash = tx.get<{ id: string }>('SELECT id FROM figures WHERE slug = ? AND id <> ?', [input.slug, id]);
          if (clash) throw new AppError('conflict', `Another figure already has the slug “${input.slug}”.`, { slug: 'is already used by another figure' });
          const vals = [
            input.slug,
            input.name,
            input.description ?? null,
            input.kind,
            input.spec ? JSON.stringify(input.spec) : null,
            input.sql ?? null,
            JSON.stringify(input.format ?? {}),
            input.chart ? JSON.stringify(input.chart) : null,
          ];
          if (before) {
            tx.run('UPDATE figures SET slug = ?, name = ?, description = ?, kind = ?, spec = ?, sql = ?, format = ?, chart = ?, updated_at = ? WHERE id = ?', [
              ...vals,
              tx.at,
              id,
            ]);
          } else {
            tx.run('INSERT INTO figures(slug, name, description, kind, spec, sql, format, chart, id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
              ...vals,
              id,
              tx.at,
              tx.at,
            ]);
          }
          if (input.evidenceIds) {
            for (const e of input.evidenceIds) {
              if (!tx.get('SELECT 1 FROM evidence WHERE id = ?', [e])) throw new AppError('invalid', `Evidence ${e} does not exist.`, { evidenceIds: `${e} does not exist` });
            }
            tx.run('DELETE FROM figure_evidence WHERE figure_id = ?', [id]);
            for (const e of input.evidenceIds) tx.run('INSERT INTO figure_evidence(figure_id, evidence_id) VALUES (?, ?)', [id, e]);
          }
          audit(tx, before ? 'figure.update' : 'figure.add', 'figures', id, before ?? null, { ...input, id });
          tx.note({ table: 'figures', op: before ? 'update' : 'insert', key: { id } });
          return id;
        },
        { actor },
      );
      return { id: r.value };
    },
    async delete(id: string, actor: string) {
      await ws.write(
        'Delete a figure',
        (tx) => {
          const before = tx.get<FigureRow>('SELECT * FROM figures WHERE id = ?', [id]);
          if (!before) throw notFound('Figure', id);
          const n = usedIn(ws, id);
          if (n > 0) throw new AppError('conflict', `“${before.name}” is used in ${n} section${n === 1 ? '' : 's'}; remove it from the report first.`);
          tx.run('DELETE FROM figures WHERE id = ?', [id]);
          audit(tx, 'figure.delete', 'figures', id, before, null);
          tx.note({ table: 'figures', op: 'delete', key: { id } });
        },
        { actor },
      );
    },
  };
  const unavailable = (figureId: string | null, kind: FigureResult['kind']): FigureResult => ({
    figureId,
    kind,
    value: null,
    formatted: '…',
    error: 'The figure engine is not part of this build yet.',
    provenance: { sql: '', params: {}, tables: [], rowsRead: 0, fingerprint: '', imports: [], evidenceIds: [], computedAt: nowIso() },
  });
  return {
    ...library,
    preview: (input) => unavailable(null, input.kind),
    evaluate: (input) =>
      input.refs.map((ref) => {
        const def = library.get(ref.figureId);
        return { figureId: def.id, params: ref.params ?? {}, key: keyOf(def.id, ref.params), result: unavailable(def.id, def.kind), state: 'error' as const };
      }),
    applyChange: () => [],
  };
}
