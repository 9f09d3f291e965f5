import type { SqlValue, Tx } from './workspace';
import type { ChartOptions, FigureDef, FigureFormat, FigureParams } from '../figures/types';
import { canonicalJson } from '../figures/spec';
import { audit } from './audit';
import { WorkspaceError } from './errors';
import { jsonColumn, placeholders, read, type Db } from './query';
import { evidenceExists } from './evidence';
import { newId } from '../util/runtime';

/**
 * The figure library (figures and the evidence linked to each) and figure approvals: the value, as printed and as
 * data, that someone signed off, with the fingerprint of the data it rested on.
 */

export interface FigureRecord extends FigureDef {
  createdAt: string;
  updatedAt: string;
}

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
  created_at: string;
  updated_at: string;
}

function toFigure(r: FigureRow, evidenceIds: string[]): FigureRecord {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    description: r.description,
    kind: r.kind,
    spec: jsonColumn<Record<string, unknown> | null>(r.spec, null),
    sql: r.sql,
    format: jsonColumn<FigureFormat>(r.format, {}),
    chart: jsonColumn<ChartOptions | null>(r.chart, null),
    evidenceIds,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Evidence ids linked to each figure, in id order. */
function evidenceLinks(db: Db, figureId?: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const rows = figureId
    ? db.all<{ figure_id: string; evidence_id: string }>('SELECT figure_id, evidence_id FROM figure_evidence WHERE figure_id = ? ORDER BY evidence_id', [figureId])
    : db.all<{ figure_id: string; evidence_id: string }>('SELECT figure_id, evidence_id FROM figure_evidence ORDER BY evidence_id');
  for (const r of rows) {
    const xs = out.get(r.figure_id) ?? [];
    xs.push(r.evidence_id);
    out.set(r.figure_id, xs);
  }
  return out;
}

// Reads -------------------------------------------------------------------------------------------------------------
/** The library, by name. */
export const listFigures = read(['figures', 'figure_evidence'], (db: Db): FigureRecord[] => {
  const ev = evidenceLinks(db);
  return db.all<FigureRow>('SELECT * FROM figures ORDER BY name COLLATE NOCASE, slug').map((r) => toFigure(r, ev.get(r.id) ?? []));
});

/** A figure by id or slug. */
export const getFigure = read(['figures', 'figure_evidence'], (db: Db, idOrSlug: string): FigureRecord | undefined => {
  // Two indexed lookups: "id = ? OR slug = ?" would scan the whole library on every call.
  const r = db.get<FigureRow>('SELECT * FROM figures WHERE id = ?', [idOrSlug]) ?? db.get<FigureRow>('SELECT * FROM figures WHERE slug = ?', [idOrSlug]);
  return r ? toFigure(r, evidenceLinks(db, r.id).get(r.id) ?? []) : undefined;
});

/** Figures by slug (those the library has), without their evidence: what a template's suggestions resolve to. */
export const figuresBySlug = read(['figures'], (db: Db, slugs: readonly string[]): Map<string, { id: string; kind: FigureDef['kind']; name: string }> => {
  const out = new Map<string, { id: string; kind: FigureDef['kind']; name: string }>();
  if (!slugs.length) return out;
  for (const r of db.all<{ id: string; slug: string; kind: FigureDef['kind']; name: string }>(
    `SELECT id, slug, kind, name FROM figures WHERE slug IN (${placeholders(slugs.length)})`,
    slugs,
  )) {
    out.set(r.slug, { id: r.id, kind: r.kind, name: r.name });
  }
  return out;
});

/** Another figure using this slug, if there is one. */
export const slugTakenBy = read(['figures'], (db: Db, slug: string, exceptId: string): { id: string; name: string } | undefined =>
  db.get<{ id: string; name: string }>('SELECT id, name FROM figures WHERE slug = ? AND id <> ?', [slug, exceptId]),
);

/** The figures linked to an evidence source, by name. */
export const figuresCiting = read(['figures', 'figure_evidence'], (db: Db, evidenceId: string): { id: string; slug: string; name: string }[] =>
  db.all<{ id: string; slug: string; name: string }>(
    'SELECT g.id, g.slug, g.name FROM figures g JOIN figure_evidence ge ON ge.figure_id = g.id WHERE ge.evidence_id = ? ORDER BY g.name',
    [evidenceId],
  ),
);

/** How many figures each of some evidence sources is linked to. */
export const figureCountsByEvidence = read(['figure_evidence'], (db: Db, evidenceIds: readonly string[]): Map<string, number> => {
  const out = new Map<string, number>();
  if (!evidenceIds.length) return out;
  for (const r of db.all<{ id: string; n: number }>(
    `SELECT evidence_id AS id, count(*) AS n FROM figure_evidence WHERE evidence_id IN (${placeholders(evidenceIds.length)}) GROUP BY evidence_id`,
    evidenceIds,
  )) {
    out.set(r.id, r.n);
  }
  return out;
});

// Writes --------------------------------------------------------------------------------------------------------------
/** A figure's definition as the library has checked it. */
export interface FigureWrite {
  id?: string | undefined;
  slug: string;
  name: string;
  description?: string | null | undefined;
  kind: FigureDef['kind'];
  spec?: Record<string, unknown> | null | undefined;
  sql?: string | null | undefined;
  format?: FigureFormat | undefined;
  chart?: ChartOptions | null | undefined;
  /** When given, replaces the figure's evidence links. */
  evidenceIds?: string[] | undefined;
}

function columns(f: FigureWrite): SqlValue[] {
  return [f.name, f.description ?? null, f.kind, f.spec ? JSON.stringify(f.spec) : null, f.sql ?? null, JSON.stringify(f.format ?? {}), f.chart ? JSON.stringify(f.chart) : null];
}

/**
 * Creates a figure, or replaces the one with its id (or, with `bySlug`, the one with its slug). Unchanged definitions
 * are left alone, so saving the same library twice writes nothing. Returns the id, and whether anything was written.
 */
export function saveFigure(tx: Tx, f: FigureWrite, opts: { bySlug?: boolean } = {}): { id: string; written: boolean } {
  const existing = opts.bySlug
    ? tx.get<FigureRow>('SELECT * FROM figures WHERE slug = ?', [f.slug])
    : f.id
      ? tx.get<FigureRow>('SELECT * FROM figures WHERE id = ?', [f.id])
      : undefined;
  const id = existing?.id ?? f.id ?? newId();
  const clash = slugTakenBy(tx, f.slug, id);
  if (clash) throw new WorkspaceError('conflict', `figure: the slug "${f.slug}" is already used by "${clash.name}"; choose another`);
  for (const e of f.evidenceIds ?? []) if (!evidenceExists(tx, e)) throw new WorkspaceError('invalid', `figure: evidence "${e}" does not exist`);
  const vals = columns(f);
  if (existing) {
    const same =
      opts.bySlug &&
      !f.evidenceIds &&
      [existing.name, existing.description, existing.kind, existing.spec, existing.sql, existing.format, existing.chart].every((v, i) => v === vals[i]);
    if (same) return { id, written: false };
    tx.run('UPDATE figures SET slug = ?, name = ?, description = ?, kind = ?, spec = ?, sql = ?, format = ?, chart = ?, updated_at = ? WHERE id = ?', [f.slug, ...vals, tx.at, id]);
  } else {
    tx.run('INSERT INTO figures(slug, name, description, kind, spec, sql, format, chart, id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      f.slug,
      ...vals,
      id,
      tx.at,
      tx.at,
    ]);
  }
  if (f.evidenceIds) {
    tx.run('DELETE FROM figure_evidence WHERE figure_id = ?', [id]);
    for (const e of f.evidenceIds) tx.run('INSERT INTO figure_evidence(figure_id, evidence_id) VALUES (?, ?)', [id, e]);
    tx.note({ table: 'figure_evidence', op: 'update', key: { figure_id: id } });
  }
  const after = tx.get<FigureRow>('SELECT * FROM figures WHERE id = ?', [id])!;
  audit(tx, existing ? 'figure.update' : 'figure.add', 'figures', id, existing ?? null, f.evidenceIds ? { ...after, evidenceIds: f.evidenceIds } : after);
  tx.note({ table: 'figures', op: existing ? 'update' : 'insert', key: { id } });
  return { id, written: true };
}

/** Deletes a figure (its evidence links and approvals go with it). The library refuses first while reports use it. */
export function deleteFigure(tx: Tx, id: string): void {
  const before = tx.get<FigureRow>('SELECT * FROM figures WHERE id = ?', [id]);
  if (!before) throw new WorkspaceError('not-found-record', `figure "${id}" does not exist`);
  const evidenceIds = evidenceLinks(tx, id).get(id) ?? [];
  tx.run('DELETE FROM figures WHERE id = ?', [id]);
  audit(tx, 'figure.delete', 'figures', id, { ...before, evidenceIds }, null);
  tx.note({ table: 'figures', op: 'delete', key: { id } });
}

// Approvals -----------------------------------------------------------------------------------------------------------
export interface ApprovalRecord {
  id: number;
  figureId: string;
  /** The section it was signed off in, or null for the library. */
  sectionId: string | null;
  /** The parameters the figure used. */
  params: FigureParams;
  /** The value signed off, as the engine compares it (see approvalValue in shared/figures/library.ts). */
  value: unknown;
  formatted: string;
  fingerprint: string;
  approvedBy: string;
  approvedAt: string;
}

interface ApprovalRow {
  id: number;
  figure_id: string;
  section_id: string | null;
  params: string;
  value: string;
  formatted: string;
  fingerprint: string;
  approved_by: string;
  approved_at: string;
}

function toApproval(r: ApprovalRow): ApprovalRecord {
  return {
    id: r.id,
    figureId: r.figure_id,
    sectionId: r.section_id,
    params: jsonColumn<FigureParams>(r.params, {}),
    value: jsonColumn<unknown>(r.value, null),
    formatted: r.formatted,
    fingerprint: r.fingerprint,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
  };
}

/** Records a sign-off inside the caller's write, with its audit entry. Parameters and value are stored canonically. */
export function addApproval(tx: Tx, a: Omit<ApprovalRecord, 'id' | 'approvedAt'>): ApprovalRecord {
  tx.run(
    'INSERT INTO figure_approvals(figure_id, section_id, params, value, formatted, fingerprint, approved_by, approved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [a.figureId, a.sectionId, canonicalJson(a.params), canonicalJson(a.value), a.formatted, a.fingerprint, a.approvedBy, tx.at],
  );
  const id = Number(tx.get<{ id: number }>('SELECT last_insert_rowid() AS id')!.id);
  const row = tx.get<ApprovalRow>('SELECT * FROM figure_approvals WHERE id = ?', [id])!;
  audit(tx, 'figure.approve', 'figure_approvals', id, null, row);
  tx.note({ table: 'figure_approvals', op: 'insert', key: { id } });
  return toApproval(row);
}

/** A figure's approvals in one section (or, with null, for the library), oldest first. */
export const approvalsOf = read(['figure_approvals'], (db: Db, figureId: string, sectionId: string | null): ApprovalRecord[] =>
  (sectionId === null
    ? db.all<ApprovalRow>('SELECT * FROM figure_approvals WHERE figure_id = ? AND section_id IS NULL ORDER BY id', [figureId])
    : db.all<ApprovalRow>('SELECT * FROM figure_approvals WHERE figure_id = ? AND section_id = ? ORDER BY id', [figureId, sectionId])
  ).map(toApproval),
);

/** Every approval in some sections, oldest first. */
export const approvalsIn = read(['figure_approvals'], (db: Db, sectionIds: readonly string[]): ApprovalRecord[] =>
  sectionIds.length
    ? db.all<ApprovalRow>(`SELECT * FROM figure_approvals WHERE section_id IN (${placeholders(sectionIds.length)}) ORDER BY id`, sectionIds).map(toApproval)
    : [],
);
