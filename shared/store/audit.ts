import type { SqlValue, Tx } from './workspace';
import { read, type Db } from './query';

/** The audit log: who changed what, when, with the record before and after. Its only owner of SQL. */

/**
 * Records one change in the audit log, inside the same transaction as the change itself, so the log can never
 * disagree with the data. `before` and `after` are the record as it was and as it became (null for insert/delete).
 */
export function audit(
  tx: Tx,
  action: string,
  table: string | null,
  recordId: string | number | null,
  before: unknown,
  after: unknown,
): void {
  tx.run('INSERT INTO audit_log(at, actor, action, table_name, record_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    tx.at,
    tx.actor,
    action,
    table,
    recordId === null ? null : String(recordId),
    before === null || before === undefined ? null : JSON.stringify(before, blobSafe),
    after === null || after === undefined ? null : JSON.stringify(after, blobSafe),
  ]);
}

/** Blobs in an audit entry are described, not copied: the log would otherwise hold every attachment twice. */
export function blobSafe(_k: string, v: unknown): unknown {
  return v instanceof Uint8Array ? `<${v.length} bytes>` : v;
}

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

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  table_name: string | null;
  record_id: string | null;
  before: string | null;
  after: string | null;
}

function parse(s: string | null): unknown {
  if (s === null) return null;
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

function toEntry(r: AuditRow): AuditEntry {
  return { id: r.id, at: r.at, actor: r.actor, action: r.action, table: r.table_name, recordId: r.record_id, before: parse(r.before), after: parse(r.after) };
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

/** Newest first; a limit of -1 reads every entry. */
export const listAudit = read(['audit_log'], (db: Db, f: AuditFilters = {}): { total: number; rows: AuditEntry[] } => {
  const w = where(f);
  const total = Number(db.get<{ n: number }>(`SELECT count(*) AS n FROM audit_log ${w.sql}`, w.params)?.n ?? 0);
  const rows = db.all<AuditRow>(`SELECT * FROM audit_log ${w.sql} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, [...w.params, f.limit ?? 500, f.offset ?? 0]);
  return { total, rows: rows.map(toEntry) };
});

/** The latest changes, newest first, for the home screen. */
export const recentChanges = read(['audit_log'], (db: Db, limit = 20): { at: string; actor: string; action: string; tableName: string | null; recordId: string | null }[] =>
  db.all<{ at: string; actor: string; action: string; tableName: string | null; recordId: string | null }>(
    'SELECT at, actor, action, table_name AS tableName, record_id AS recordId FROM audit_log ORDER BY id DESC LIMIT ?',
    [limit],
  ),
);

/** Every before and after the log holds for one record, as stored (JSON text): a merge reads a record's history. */
export const recordHistory = read(['audit_log'], (db: Db, table: string, recordId: string): { before: string | null; after: string | null }[] =>
  db.all<{ before: string | null; after: string | null }>('SELECT before, after FROM audit_log WHERE table_name = ? AND record_id = ?', [table, recordId]),
);

/** Everyone the log names as having made a change, A to Z: the people who have written in the workspace. */
export const auditActors = read(['audit_log'], (db: Db): string[] =>
  db.all<{ actor: string }>("SELECT DISTINCT actor FROM audit_log WHERE trim(actor) <> '' ORDER BY actor COLLATE NOCASE").map((r) => r.actor),
);
