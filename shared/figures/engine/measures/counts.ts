import type { Workspace } from '../../../store/workspace';
import { formatValue, isSuppressed } from '../../format';
import { asBool, filterList, type EvidenceCountSpec, type FindingCountSpec } from '../../spec';
import type { FigureFormat, FigureResult } from '../../types';
import type { EngineCaches } from '../caches';
import { sqlProvenance } from '../provenance';
import type { Computed, FigureDraft } from '../types';

/** The count measures over review material: findings and evidence, filtered and grouped. */

const FIND_BY_LABEL: Record<string, string> = { theme: 'Theme', judgement: 'Judgement', areaReview: 'Area', status: 'Status', subjectType: 'Subject' };
const EVID_BY_LABEL: Record<string, string> = { kind: 'Kind of evidence', sensitivity: 'Sensitivity', areaReview: 'Area', verified: 'Verified' };

/**
 * Case-insensitive `IN` conditions: each `?` in an expression becomes the list of named parameters for the filter's
 * values (prefixed so the two measures' parameters read apart in provenance).
 */
function inListConditions(prefix: string): {
  params: Record<string, string>;
  where: string[];
  cond: (expr: string, fl: { values: string[]; negate: boolean } | undefined) => void;
} {
  const params: Record<string, string> = {};
  const where: string[] = [];
  let n = 0;
  const cond = (expr: string, fl: { values: string[]; negate: boolean } | undefined): void => {
    if (!fl) return;
    const keys = fl.values.map((v) => {
      const k = `:${prefix}${n++}`;
      params[k] = v.toLowerCase();
      return k;
    });
    where.push(`${fl.negate ? 'NOT ' : ''}(${expr.replace(/\?/g, `(${keys.join(', ')})`)})`);
  };
  return { params, where, cond };
}

function countResult(
  caches: EngineCaches,
  def: FigureDraft,
  rows: { grp: string | null; import_id?: string | null }[],
  by: string | undefined,
  byLabel: string,
  sql: string,
  params: Record<string, string>,
  tables: string[],
): Computed {
  const fmt: FigureFormat = { style: 'number', ...(def.format ?? {}) };
  const n = rows.length;
  const result: FigureResult = {
    figureId: null,
    kind: def.kind,
    value: n,
    formatted: formatValue(n, fmt, n),
    ...(isSuppressed(n, fmt) ? { suppressed: true } : {}),
    provenance: sqlProvenance(caches, sql, params, tables, rows, rows.map((r) => r.import_id ?? null)),
  };
  if (by) {
    const groups = new Map<string, number>();
    for (const r of rows) groups.set(r.grp ?? 'Not recorded', (groups.get(r.grp ?? 'Not recorded') ?? 0) + 1);
    result.columns = [
      { key: by, label: byLabel, role: 'category' },
      { key: 'count', label: 'Number', numeric: true, format: { style: 'number', ...(fmt.suppressBelow !== undefined ? { suppressBelow: fmt.suppressBelow } : {}) }, role: 'measure' },
    ];
    result.rows = [...groups].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'en-GB')).map(([g, c]) => ({ [by]: g, count: c }));
  }
  return { result, aggs: [], tables: new Set(tables) };
}

/** The rows a measure counts, for "Show the rows": columns and values in words, as many rows as the figure counts. */
export interface CountedRows {
  columns: { key: string; label: string }[];
  rows: (string | number | null)[][];
}

/** Findings as the finding_count measure selects them: the FROM and WHERE, shared by the count and its rows. */
function findingQuery(spec: FindingCountSpec): { from: string; params: Record<string, string>; grp: string } {
  const f = spec.filters ?? {};
  const { params, where, cond } = inListConditions('f');
  cond('lower(f.theme_id) IN ? OR lower(t.name) IN ?', filterList(f.theme));
  cond('lower(f.judgement) IN ?', filterList(f.judgement));
  cond("f.subject_type = 'area review' AND (lower(f.subject_id) IN ? OR lower(ar.title) IN ? OR lower(la.name) IN ?)", filterList(f.areaReview));
  cond('lower(f.status) IN ?', filterList(f.status) ?? { values: ['withdrawn'], negate: true });
  cond('lower(f.subject_type) IN ?', filterList(f.subjectType));
  cond('EXISTS (SELECT 1 FROM finding_evidence fe JOIN evidence e ON e.id = fe.evidence_id WHERE fe.finding_id = f.id AND lower(e.sensitivity) IN ?)', filterList(f.sensitivity));
  const grp: Record<string, string> = { theme: 't.name', judgement: 'f.judgement', areaReview: 'coalesce(la.name, ar.title)', status: 'f.status', subjectType: 'f.subject_type' };
  const from = `FROM findings f LEFT JOIN themes t ON t.id = f.theme_id
LEFT JOIN area_reviews ar ON f.subject_type = 'area review' AND ar.id = f.subject_id
LEFT JOIN local_authorities la ON la.id = ar.local_authority_id
${where.length ? `WHERE ${where.join('\n  AND ')}` : ''}`;
  return { from, params, grp: spec.by ? grp[spec.by]! : 'NULL' };
}

const FINDING_TABLES = ['findings', 'themes', 'area_reviews', 'local_authorities', 'finding_evidence', 'evidence'];

export function findingCount(ws: Workspace, caches: EngineCaches, def: FigureDraft, spec: FindingCountSpec): Computed {
  const q = findingQuery(spec);
  const sql = `SELECT f.id, f.updated_at, ${q.grp} AS grp\n${q.from}\nORDER BY f.id`;
  const rows = ws.all<{ id: string; grp: string | null }>(sql, q.params);
  return countResult(caches, def, rows, spec.by, FIND_BY_LABEL[spec.by ?? ''] ?? '', sql, q.params, FINDING_TABLES);
}

/** Each finding the measure counts, in the order it counts them. */
export function findingRows(ws: Workspace, spec: FindingCountSpec): CountedRows {
  const q = findingQuery(spec);
  const rows = ws.all<{ text: string; judgement: string; theme: string | null; subject: string | null; status: string; author: string | null; updated_at: string }>(
    `SELECT f.text, f.judgement, t.name AS theme,
  CASE f.subject_type WHEN 'area review' THEN coalesce(la.name, ar.title) WHEN 'location' THEN (SELECT name FROM locations WHERE id = f.subject_id)
    WHEN 'provider' THEN (SELECT name FROM providers WHERE id = f.subject_id) ELSE 'England' END AS subject,
  f.status, f.author, f.updated_at
${q.from}
ORDER BY f.id`,
    q.params,
  );
  return {
    columns: [
      { key: 'finding', label: 'Finding' },
      { key: 'judgement', label: 'Judgement' },
      { key: 'theme', label: 'Theme' },
      { key: 'about', label: 'About' },
      { key: 'status', label: 'Status' },
      { key: 'author', label: 'Recorded by' },
      { key: 'updated', label: 'Last changed' },
    ],
    rows: rows.map((r) => [r.text, r.judgement, r.theme, r.subject, r.status, r.author, r.updated_at.slice(0, 10)]),
  };
}

/** Evidence as the evidence_count measure selects it: the FROM and WHERE, shared by the count and its rows. */
function evidenceQuery(spec: EvidenceCountSpec): { from: string; params: Record<string, string>; grp: string } {
  const f = spec.filters ?? {};
  const { params, where, cond } = inListConditions('e');
  cond('lower(e.kind) IN ?', filterList(f.kind));
  cond('lower(e.sensitivity) IN ?', filterList(f.sensitivity));
  cond('lower(e.area_review_id) IN ? OR lower(ar.title) IN ? OR lower(la.name) IN ?', filterList(f.areaReview));
  cond('EXISTS (SELECT 1 FROM finding_evidence fe JOIN findings fi ON fi.id = fe.finding_id LEFT JOIN themes t ON t.id = fi.theme_id WHERE fe.evidence_id = e.id AND (lower(fi.theme_id) IN ? OR lower(t.name) IN ?))', filterList(f.theme));
  const verified = asBool(f.verified);
  if (verified !== undefined) where.push(verified ? 'e.verified_by IS NOT NULL' : 'e.verified_by IS NULL');
  const grp: Record<string, string> = { kind: 'e.kind', sensitivity: 'e.sensitivity', areaReview: 'coalesce(la.name, ar.title)', verified: "CASE WHEN e.verified_by IS NULL THEN 'Not verified' ELSE 'Verified' END" };
  const from = `FROM evidence e LEFT JOIN area_reviews ar ON ar.id = e.area_review_id
LEFT JOIN local_authorities la ON la.id = ar.local_authority_id
${where.length ? `WHERE ${where.join('\n  AND ')}` : ''}`;
  return { from, params, grp: spec.by ? grp[spec.by]! : 'NULL' };
}

const EVIDENCE_TABLES = ['evidence', 'area_reviews', 'local_authorities', 'finding_evidence', 'findings', 'themes'];

export function evidenceCount(ws: Workspace, caches: EngineCaches, def: FigureDraft, spec: EvidenceCountSpec): Computed {
  const q = evidenceQuery(spec);
  const sql = `SELECT e.id, e.updated_at, e.import_id, ${q.grp} AS grp\n${q.from}\nORDER BY e.id`;
  const rows = ws.all<{ id: string; grp: string | null; import_id: string | null }>(sql, q.params);
  return countResult(caches, def, rows, spec.by, EVID_BY_LABEL[spec.by ?? ''] ?? '', sql, q.params, EVIDENCE_TABLES);
}

/** Each evidence source the measure counts, in the order it counts them. */
export function evidenceRows(ws: Workspace, spec: EvidenceCountSpec): CountedRows {
  const q = evidenceQuery(spec);
  const rows = ws.all<{ title: string; kind: string; sensitivity: string; area: string | null; collected_on: string | null; verified_by: string | null }>(
    `SELECT e.title, e.kind, e.sensitivity, coalesce(la.name, ar.title) AS area, e.collected_on, e.verified_by\n${q.from}\nORDER BY e.id`,
    q.params,
  );
  return {
    columns: [
      { key: 'title', label: 'Evidence source' },
      { key: 'kind', label: 'Kind' },
      { key: 'sensitivity', label: 'Sensitivity' },
      { key: 'area', label: 'Area review' },
      { key: 'collected', label: 'Collected' },
      { key: 'verified', label: 'Verified by' },
    ],
    rows: rows.map((r) => [r.title, r.kind, r.sensitivity, r.area, r.collected_on, r.verified_by]),
  };
}
