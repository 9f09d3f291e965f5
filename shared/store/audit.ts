import type { SqlValue, Tx } from './workspace';

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

function blobSafe(_k: string, v: unknown): unknown {
  return v instanceof Uint8Array ? `<${v.length} bytes>` : v;
}

/** Reads a row by primary key for an audit entry's "before". */
export function rowById(tx: Tx, table: string, idColumn: string, id: SqlValue): Record<string, SqlValue> | undefined {
  return tx.get(`SELECT * FROM "${table}" WHERE "${idColumn}" = ?`, [id]);
}
