import type { Workspace, SqlValue } from '../store/workspace';
import { csvCell } from '../util/escape';

/** Browsing and exporting the audit log: who changed what, when, with the record before and after. */

export interface AuditFilters {
  actor?: string;
  /** An action, or an action prefix ending in a dot ("section." for every section action). */
  action?: string;
  table?: string;
  recordId?: string;
  /** ISO date or timestamp, inclusive. */
  since?: string;
  /** ISO date or timestamp; a bare date includes the whole day. */
  until?: string;
  /** Free text in the action, the record id or the before and after. */
  search?: string;
  offset?: number;
  limit?: number;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  table: string | null;
  recordId: string | null;
  before: unknown;
  after: unknown;
}

function parse(s: string | null): unknown {
  if (s === null) return null;
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

function where(f: AuditFilters): { sql: string; params: SqlValue[] } {
  const c: string[] = [];
  const p: SqlValue[] = [];
  if (f.actor) {
    c.push('actor = ?');
    p.push(f.actor);
  }
  if (f.action) {
    if (f.action.endsWith('.')) {
      c.push('substr(action, 1, ?) = ?');
      p.push(f.action.length, f.action);
    } else {
      c.push('action = ?');
      p.push(f.action);
    }
  }
  if (f.table) {
    c.push('table_name = ?');
    p.push(f.table);
  }
  if (f.recordId) {
    c.push('record_id = ?');
    p.push(f.recordId);
  }
  if (f.since) {
    c.push('at >= ?');
    p.push(f.since);
  }
  if (f.until) {
    // A bare date means the end of that day: every timestamp on it sorts below the day followed by "T~".
    c.push('at <= ?');
    p.push(/^\d{4}-\d{2}-\d{2}$/.test(f.until) ? `${f.until}T~` : f.until);
  }
  if (f.search?.trim()) {
    const q = `%${f.search.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    c.push("(action LIKE ? ESCAPE '\\' OR record_id LIKE ? ESCAPE '\\' OR before LIKE ? ESCAPE '\\' OR after LIKE ? ESCAPE '\\' OR actor LIKE ? ESCAPE '\\')");
    p.push(q, q, q, q, q);
  }
  return { sql: c.length ? `WHERE ${c.join(' AND ')}` : '', params: p };
}

/** Newest first. */
export function listAudit(ws: Pick<Workspace, 'all' | 'value'>, f: AuditFilters = {}): { total: number; rows: AuditEntry[] } {
  const w = where(f);
  const total = Number(ws.value(`SELECT count(*) FROM audit_log ${w.sql}`, w.params) ?? 0);
  const rows = ws.all<{ id: number; at: string; actor: string; action: string; table_name: string | null; record_id: string | null; before: string | null; after: string | null }>(
    `SELECT * FROM audit_log ${w.sql} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`,
    [...w.params, f.limit ?? 500, f.offset ?? 0],
  );
  return {
    total,
    rows: rows.map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, table: r.table_name, recordId: r.record_id, before: parse(r.before), after: parse(r.after) })),
  };
}

/** The cell writer the report CSV uses too: one rule for what a spreadsheet may not run as a formula. */
export { csvCell };

export const AUDIT_CSV_COLUMNS = ['id', 'at', 'actor', 'action', 'table', 'record_id', 'before', 'after'] as const;

/** The whole filtered log (oldest first, as a ledger reads) as CSV with a header row and CRLF line ends. */
export function auditCsv(ws: Pick<Workspace, 'all' | 'value'>, f: Omit<AuditFilters, 'offset' | 'limit'> = {}): { csv: string; rows: number } {
  const { rows } = listAudit(ws, { ...f, limit: -1, offset: 0 });
  rows.reverse();
  const lines = [AUDIT_CSV_COLUMNS.join(',')];
  for (const r of rows) lines.push([r.id, r.at, r.actor, r.action, r.table, r.recordId, r.before, r.after].map(csvCell).join(','));
  return { csv: `${lines.join('\r\n')}\r\n`, rows: rows.length };
}
