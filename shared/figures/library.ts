import { z } from 'zod';
import type { Workspace } from '../store/workspace';
import { WorkspaceError } from '../store/errors';
import { describeIssues, issueFields } from '../store/validate';
import * as store from '../store/figures';
import { findReport, reportSections, sectionsContaining } from '../store/reports';
import { FigureSpecError, parseSpec } from './spec';
import { checkSql, SqlFigureError } from './sql';
import type { FigureDef, FigureParams } from './types';

export { approvalValue, matchesApproval, loadApproval } from './approval-state';

/**
 * The figure library: a workspace's named, reusable figures, checked before they are saved (spec, SQL, format,
 * chart) and refused deletion while a report uses them. Rows are read and written by shared/store/figures.ts; writes
 * go through the workspace's serial write queue, leave an audit entry and note the change so live figures refresh.
 */

const FormatSchema = z
  .strictObject({
    style: z.enum(['percent', 'number', 'compact', 'points', 'direction', 'text']),
    decimals: z.number().int().min(0).max(6),
    suppressBelow: z.number().min(0),
    suppressedText: z.string().max(100),
    directionWords: z.strictObject({ up: z.string(), down: z.string(), same: z.string() }),
    prefix: z.string().max(40),
    suffix: z.string().max(40),
    signed: z.boolean(),
  })
  .partial();

const ChartSchema = z.strictObject({
  type: z.enum(['bar', 'stacked-bar', 'grouped-bar', 'line', 'dot', 'diverging-bar']),
  title: z.string().max(300).optional(),
  category: z.string().optional(),
  series: z.string().optional(),
  value: z.string().optional(),
  orientation: z.enum(['horizontal', 'vertical']).optional(),
  unit: z.string().optional(),
});

export const FigureInputSchema = z
  .object({
    id: z.string().min(1).optional(),
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and hyphens').max(120),
    name: z.string().trim().min(1, 'must not be empty').max(300),
    description: z.string().max(5000).nullish(),
    kind: z.enum(['value', 'table', 'chart']),
    spec: z.record(z.string(), z.unknown()).nullish(),
    sql: z.string().max(100_000).nullish(),
    format: FormatSchema.default({}),
    chart: ChartSchema.nullish(),
    evidenceIds: z.array(z.string().min(1)).optional(),
  })
  .refine((f) => (f.spec ? 1 : 0) + (f.sql ? 1 : 0) === 1, { message: 'needs exactly one of spec and sql', path: ['spec'] })
  .refine((f) => f.kind !== 'chart' || !!f.chart, { message: 'a chart figure needs chart options', path: ['chart'] });
export type FigureInput = z.input<typeof FigureInputSchema>;

/** A library figure as the figure contract has it (without the store's bookkeeping). */
function toDef(f: store.FigureRecord): FigureDef {
  const { createdAt: _c, updatedAt: _u, ...def } = f;
  return def;
}

export function listFigures(ws: Workspace): FigureDef[] {
  return store.listFigures(ws).map(toDef);
}

export function getFigure(ws: Workspace, idOrSlug: string): FigureDef | undefined {
  const f = store.getFigure(ws, idOrSlug);
  return f ? toDef(f) : undefined;
}

/** Validates a figure's definition without saving it: spec, SQL (checked and compiled, never run), format and chart. */
export function validateFigureInput(ws: Workspace, input: unknown): z.output<typeof FigureInputSchema> {
  const r = FigureInputSchema.safeParse(input);
  if (!r.success) throw new WorkspaceError('invalid', `figure: ${describeIssues(r.error)}`, { fields: issueFields(r.error) });
  const f = r.data;
  try {
    if (f.spec) parseSpec(f.spec);
    if (f.sql) {
      const sql = checkSql(f.sql);
      // Preparing compiles without running, so a syntax error or unknown table is caught at save time.
      try {
        ws.db.prepare(sql).free();
      } catch (e) {
        throw new FigureSpecError(`The SQL could not be compiled: ${(e as Error).message}.`, 'sql');
      }
    }
  } catch (e) {
    if (e instanceof FigureSpecError || e instanceof SqlFigureError) throw new WorkspaceError('invalid', `figure: ${e.message}`, { fields: e.fields });
    throw e;
  }
  return f;
}

/** Creates a figure, or updates the one with the given id. Refuses a slug another figure already uses. */
export async function saveFigure(ws: Workspace, input: FigureInput, actor: string): Promise<FigureDef> {
  const f = validateFigureInput(ws, input);
  // Without an id this is a new figure: a slug already in use is a clash, never a silent overwrite.
  const { value } = await ws.write('figure.save', (tx) => store.saveFigure(tx, f).id, { actor });
  return getFigure(ws, value)!;
}

/**
 * Adds many figures in one write (demo content, benchmarks): each validated as saveFigure would; an existing figure
 * with the same slug is updated in place, so adding the same library twice changes nothing. Evidence links are left
 * as they are.
 */
export async function saveFiguresBulk(ws: Workspace, inputs: FigureInput[], actor: string): Promise<number> {
  const parsed = inputs.map((i) => validateFigureInput(ws, i));
  const { value } = await ws.write(
    'figure.save-many',
    (tx) => parsed.filter((f) => store.saveFigure(tx, { ...f, evidenceIds: undefined }, { bySlug: true }).written).length,
    { actor },
  );
  return value;
}

/** A place a report uses a figure. */
export interface FigureUse {
  reportId: string;
  reportTitle: string;
  sectionId: string;
  sectionTitle: string;
  figureId: string;
  nodeType: 'live-figure' | 'figure-block';
  params?: FigureParams;
  part?: string;
}

/** Walks a section's Lexical JSON for live-figure and figure-block nodes. Content that is not JSON holds none. */
export function figureNodesIn(content: string): { figureId: string; type: 'live-figure' | 'figure-block'; params?: FigureParams; part?: string }[] {
  let root: unknown;
  try {
    root = JSON.parse(content);
  } catch {
    return [];
  }
  const out: { figureId: string; type: 'live-figure' | 'figure-block'; params?: FigureParams; part?: string }[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) {
      n.forEach(walk);
      return;
    }
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if ((o.type === 'live-figure' || o.type === 'figure-block') && typeof o.figureId === 'string') {
      out.push({
        figureId: o.figureId,
        type: o.type,
        ...(o.params && typeof o.params === 'object' ? { params: o.params as FigureParams } : {}),
        ...(typeof o.part === 'string' ? { part: o.part } : {}),
      });
    }
    for (const v of Object.values(o)) if (v && typeof v === 'object') walk(v);
  };
  walk(root);
  return out;
}

function usesIn(sections: readonly { id: string; title: string; content: string; reportId: string; reportTitle: string }[]): FigureUse[] {
  const out: FigureUse[] = [];
  for (const s of sections) {
    for (const n of figureNodesIn(s.content)) {
      out.push({ reportId: s.reportId, reportTitle: s.reportTitle, sectionId: s.id, sectionTitle: s.title, figureId: n.figureId, nodeType: n.type, ...(n.params ? { params: n.params } : {}), ...(n.part ? { part: n.part } : {}) });
    }
  }
  return out;
}

/** Every figure reference in a report (by id or slug), in section order. */
export function figureRefsInReport(ws: Workspace, reportIdOrSlug: string): FigureUse[] {
  const report = findReport(ws, reportIdOrSlug);
  return usesIn(reportSections(ws, { reportId: report.id }).map((s) => ({ ...s, reportTitle: report.title })));
}

/** Where a figure is used, across all reports. */
export function figureUses(ws: Pick<Workspace, 'all' | 'get'>, figureId: string): FigureUse[] {
  return usesIn(sectionsContaining(ws, figureId)).filter((u) => u.figureId === figureId);
}

/** Deletes a figure; refused while any report section uses it, naming where. */
export async function deleteFigure(ws: Workspace, idOrSlug: string, actor: string): Promise<void> {
  const def = getFigure(ws, idOrSlug);
  if (!def) throw new WorkspaceError('not-found-record', `figure "${idOrSlug}" does not exist`);
  await ws.write(
    'figure.delete',
    (tx) => {
      const used = figureUses(tx, def.id);
      if (used.length) {
        const where = [...new Set(used.map((u) => `"${u.sectionTitle}" in "${u.reportTitle}"`))];
        throw new WorkspaceError(
          'conflict',
          `figure "${def.name}" cannot be deleted: it is used ${used.length} ${used.length === 1 ? 'time' : 'times'}, in ${where.slice(0, 5).join(', ')}${where.length > 5 ? ` and ${where.length - 5} more sections` : ''}. Remove it from those sections first.`,
        );
      }
      store.deleteFigure(tx, def.id);
    },
    { actor },
  );
}
