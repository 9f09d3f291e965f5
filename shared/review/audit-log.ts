import type { Workspace } from '../store/workspace';
import { listAudit, type AuditFilters, type AuditEntry } from '../store/audit';
import { csvCell } from '../util/escape';

/** Browsing and exporting the audit log: who changed what, when, with the record before and after. */

export { listAudit, type AuditFilters, type AuditEntry };

/** The cell writer the report CSV uses too: one rule for what a spreadsheet may not run as a formula. */
export { csvCell };

export const AUDIT_CSV_COLUMNS = ['id', 'at', 'actor', 'action', 'table', 'record_id', 'before', 'after'] as const;

/** The whole filtered log (oldest first, as a ledger reads) as CSV with a header row and CRLF line ends. */
export function auditCsv(ws: Pick<Workspace, 'all' | 'get'>, f: Omit<AuditFilters, 'offset' | 'limit'> = {}): { csv: string; rows: number } {
  const { rows } = listAudit(ws, { ...f, limit: -1, offset: 0 });
  rows.reverse();
  const lines = [AUDIT_CSV_COLUMNS.join(',')];
  for (const r of rows) lines.push([r.id, r.at, r.actor, r.action, r.table, r.recordId, r.before, r.after].map(csvCell).join(','));
  return { csv: `${lines.join('\r\n')}\r\n`, rows: rows.length };
}
