import { z } from 'zod';
import type { SqlValue, Workspace } from '../store/workspace';
import { audit } from '../store/audit';
import { WorkspaceError } from '../store/errors';
import { describeIssues } from '../store/validate';
import { newId } from '../util/runtime';
import { canonicalJson, FigureSpecError, parseSpec } from './spec';
import { checkSql } from './sql';
import type { ApprovalInfo, ChartOptions, FigureDef, FigureFormat, FigureParams, FigureResult } from './types';


/**
 * The figure library: a workspace's named, reusable figures. Writes go through the workspace's serial write queue,
 * leave an audit entry and note the change so live figures refresh.
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
  type: z.enum(['bar', 'stacked-bar', 'grouped-bar', 'line', 'dot']),
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

interface FigureRow {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  kind: FigureDef['kind'];
  spec: string | null;
  sql: string | null;
  format: string;
  chart: string | null;
}

function parseJson<T>(s: string | null, fallback: T): T {
  if (s === null) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
}

function toDef(r: FigureRow, evidenceIds: string[]): FigureDef {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    description: r.description,
    kind: r.kind,
    spec: parseJson<Record<string, unknown> | null>(r.spec, null),
    sql: r.sql,
    format: parseJson<FigureFormat>(r.format, {}),
    chart: parseJson<ChartOptions | null>(r.chart, null),
    evidenceIds,
  };
}

export function listFigures(ws: Workspace): FigureDef[] {
  const ev = new Map<string, string[]>();
  for (const r of ws.all<{ figure_id: string; evidence_id: string }>('SELECT figure_id, evidence_id FROM figure_evidence ORDER BY evidence_id')) {
    ev.set(r.figure_id, [...(ev.get(r.figure_id) ?? []), r.evidence_id]);
  }
  return ws.all<FigureRow>('SELECT * FROM figures ORDER BY name COLLATE NOCASE, slug').map((r) => toDef(r, ev.get(r.id) ?? []));
}

export function getFigure(ws: Workspace, idOrSlug: string): FigureDef | undefined {
  // Two indexed lookups: "id = ? OR slug = ?" would scan the whole library on every call.
  const r = ws.get<FigureRow>('SELECT * FROM figures WHERE id = ?', [idOrSlug]) ?? ws.get<FigureRow>('SELECT * FROM figures WHERE slug = ?', [idOrSlug]);
  if (!r) return undefined;
  const ev = ws.all<{ evidence_id: string }>('SELECT evidence_id FROM figure_evidence WHERE figure_id = ? ORDER BY evidence_id', [r.id]).map((x) => x.evidence_id);
  return toDef(r, ev);
}

/** Validates a figure's definition without saving it: spec, SQL (checked and compiled, never run), format and chart. */
export function validateFigureInput(ws: Workspace, input: unknown): z.output<typeof FigureInputSchema> {
  const r = FigureInputSchema.safeParse(input);
  if (!r.success) throw new WorkspaceError('invalid', `figure: ${describeIssues(r.error)}`);
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
    if (e instanceof FigureSpecError || (e as Error).name === 'SqlFigureError') throw new WorkspaceError('invalid', `figure: ${(e as Error).message}`);
    throw e;
  }
  return f;
}

/** Creates a figure, or updates the one with the given id. Refuses a slug another figure already uses. */
export async function saveFigure(ws: Workspace, input: FigureInput, actor: string): Promise<FigureDef> {
  const f = validateFigureInput(ws, input);
  const { value } = await ws.write(
    'figure.save',
    (tx) => {
      // Without an id this is a new figure: a slug already in use is a clash, never a silent overwrite.
      const existing = f.id ? tx.get<FigureRow>('SELECT * FROM figures WHERE id = ?', [f.id]) : undefined;
      const id = existing?.id ?? f.id ?? newId();
      const clash = tx.get<{ id: string; name: string }>('SELECT id, name FROM figures WHERE slug = ? AND id <> ?', [f.slug, id]);
      if (clash) throw new WorkspaceError('conflict', `figure: the slug "${f.slug}" is already used by "${clash.name}"; choose another`);
      for (const e of f.evidenceIds ?? []) {
        if (!tx.get('SELECT 1 FROM evidence WHERE id = ?', [e])) throw new WorkspaceError('invalid', `figure: evidence "${e}" does not exist`);
      }
      const vals: SqlValue[] = [
        f.slug,
        f.name,
        f.description ?? null,
        f.kind,
        f.spec ? JSON.stringify(f.spec) : null,
        f.sql ?? null,
        JSON.stringify(f.format ?? {}),
        f.chart ? JSON.stringify(f.chart) : null,
      ];
      if (existing) {
        tx.run('UPDATE figures SET slug = ?, name = ?, description = ?, kind = ?, spec = ?, sql = ?, format = ?, chart = ?, updated_at = ? WHERE id = ?', [...vals, tx.at, id]);
      } else {
        tx.run('INSERT INTO figures(slug, name, description, kind, spec, sql, format, chart, id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [...vals, id, tx.at, tx.at]);
      }
      if (f.evidenceIds) {
        tx.run('DELETE FROM figure_evidence WHERE figure_id = ?', [id]);
        for (const e of f.evidenceIds) tx.run('INSERT INTO figure_evidence(figure_id, evidence_id) VALUES (?, ?)', [id, e]);
        tx.note({ table: 'figure_evidence', op: 'update', key: { figure_id: id } });
      }
      const after = tx.get<FigureRow>('SELECT * FROM figures WHERE id = ?', [id])!;
      audit(tx, existing ? 'figure.update' : 'figure.add', 'figures', id, existing ?? null, { ...after, evidenceIds: f.evidenceIds });
      tx.note({ table: 'figures', op: existing ? 'update' : 'insert', key: { id } });
      return id;
    },
    { actor },
  );
  return getFigure(ws, value)!;
}

/**
 * Adds many figures in one write (demo content, benchmarks): each validated as saveFigure would; an existing figure
 * with the same slug is updated in place, so adding the same library twice changes nothing.
 */
export async function saveFiguresBulk(ws: Workspace, inputs: FigureInput[], actor: string): Promise<number> {
  const parsed = inputs.map((i) => validateFigureInput(ws, i));
  const { value } = await ws.write(
    'figure.save-many',
    (tx) => {
      let n = 0;
      for (const f of parsed) {
        const existing = tx.get<FigureRow>('SELECT * FROM figures WHERE slug = ?', [f.slug]);
        const id = existing?.id ?? f.id ?? newId();
        const vals: SqlValue[] = [f.name, f.description ?? null, f.kind, f.spec ? JSON.stringify(f.spec) : null, f.sql ?? null, JSON.stringify(f.format ?? {}), f.chart ? JSON.stringify(f.chart) : null];
        if (existing) {
          const same = existing.name === vals[0] && existing.description === vals[1] && existing.kind === vals[2] && existing.spec === vals[3] && existing.sql === vals[4] && existing.format === vals[5] && existing.chart === vals[6];
          if (same) continue;
          tx.run('UPDATE figures SET name = ?, description = ?, kind = ?, spec = ?, sql = ?, format = ?, chart = ?, updated_at = ? WHERE id = ?', [...vals, tx.at, id]);
        } else {
          tx.run('INSERT INTO figures(name, description, kind, spec, sql, format, chart, slug, id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [...vals, f.slug, id, tx.at, tx.at]);
        }
        const after = tx.get<FigureRow>('SELECT * FROM figures WHERE id = ?', [id])!;
        audit(tx, existing ? 'figure.update' : 'figure.add', 'figures', id, existing ?? null, after);
        tx.note({ table: 'figures', op: existing ? 'update' : 'insert', key: { id } });
        n++;
      }
      return n;
    },
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

function uses(ws: Workspace, where: string, params: SqlValue[]): FigureUse[] {
  const rows = ws.all<{ id: string; title: string; content: string; report_id: string; report_title: string }>(
    `SELECT s.id, s.title, s.content, s.report_id, r.title AS report_title FROM sections s JOIN reports r ON r.id = s.report_id WHERE ${where} ORDER BY r.title, s.position`,
    params,
  );
  const out: FigureUse[] = [];
  for (const s of rows) {
    for (const n of figureNodesIn(s.content)) {
      out.push({ reportId: s.report_id, reportTitle: s.report_title, sectionId: s.id, sectionTitle: s.title, figureId: n.figureId, nodeType: n.type, ...(n.params ? { params: n.params } : {}), ...(n.part ? { part: n.part } : {}) });
    }
  }
  return out;
}

/** Every figure reference in a report (by id or slug), in section order. */
export function figureRefsInReport(ws: Workspace, reportIdOrSlug: string): FigureUse[] {
  return uses(ws, 'r.id = ? OR r.slug = ?', [reportIdOrSlug, reportIdOrSlug]);
}

/** Where a figure is used, across all reports. */
export function figureUses(ws: Workspace, figureId: string): FigureUse[] {
  return uses(ws, 's.content LIKE ?', [`%${figureId.replace(/[%_]/g, '')}%`]).filter((u) => u.figureId === figureId);
}

/** Deletes a figure; refused while any report section uses it, naming where. */
export async function deleteFigure(ws: Workspace, idOrSlug: string, actor: string): Promise<void> {
  const def = getFigure(ws, idOrSlug);
  if (!def) throw new WorkspaceError('not-found-record', `figure "${idOrSlug}" does not exist`);
  await ws.write(
    'figure.delete',
    (tx) => {
      const used = figureUses(ws, def.id);
      if (used.length) {
        const where = [...new Set(used.map((u) => `"${u.sectionTitle}" in "${u.reportTitle}"`))];
        throw new WorkspaceError(
          'conflict',
          `figure "${def.name}" cannot be deleted: it is used ${used.length} ${used.length === 1 ? 'time' : 'times'}, in ${where.slice(0, 5).join(', ')}${where.length > 5 ? ` and ${where.length - 5} more sections` : ''}. Remove it from those sections first.`,
        );
      }
      const before = tx.get('SELECT * FROM figures WHERE id = ?', [def.id]);
      tx.run('DELETE FROM figures WHERE id = ?', [def.id]);
      audit(tx, 'figure.delete', 'figures', def.id, { ...before, evidenceIds: def.evidenceIds }, null);
      tx.note({ table: 'figures', op: 'delete', key: { id: def.id } });
    },
    { actor },
  );
}

/** The value part of a result that approvals compare: numbers rounded to 10 significant digits so float noise is not a change. */
export function approvalValue(r: FigureResult): unknown {
  const round = (v: unknown): unknown => (typeof v === 'number' ? Number(v.toPrecision(10)) : v);
  return {
    value: round(r.value),
    rows: r.rows?.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, round(v)]))),
    parts: r.parts ? Object.fromEntries(Object.entries(r.parts).map(([k, v]) => [k, round(v)])) : undefined,
  };
}

/** Whether a result still says what was signed off: equal values are approved, whatever the data fingerprint. */
export function matchesApproval(approvedValue: unknown, r: FigureResult): boolean {
  return canonicalJson(approvedValue) === canonicalJson(approvalValue(r));
}

/**
 * The approval that applies to a figure in a section for the given parameters: the latest one with the same
 * parameters, else (sameParams false) the latest under other parameters, which makes the figure 'unapproved'.
 */
export function loadApproval(ws: Workspace, figureId: string, sectionId: string | null, params: FigureParams): { info: ApprovalInfo; sameParams: boolean } | undefined {
  const rows = ws.all<{ params: string; value: string; formatted: string; fingerprint: string; approved_by: string; approved_at: string }>(
    `SELECT params, value, formatted, fingerprint, approved_by, approved_at FROM figure_approvals
     WHERE figure_id = ? AND ${sectionId === null ? 'section_id IS NULL' : 'section_id = ?'} ORDER BY id DESC`,
    sectionId === null ? [figureId] : [figureId, sectionId],
  );
  if (rows.length === 0) return undefined;
  const want = canonicalJson(params);
  const match = rows.find((r) => canonicalJson(parseJson(r.params, {})) === want);
  const r = match ?? rows[0]!;
  return {
    sameParams: !!match,
    info: { value: parseJson(r.value, null), formatted: r.formatted, fingerprint: r.fingerprint, by: r.approved_by, at: r.approved_at },
  };
}
