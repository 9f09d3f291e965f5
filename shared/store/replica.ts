import { TABLES, type TableName } from './schema';
import type { SqlValue, Tx, Workspace } from './workspace';
import { eachRow, read, type Db } from './query';

/**
 * What works on every table alike, by its name in the schema: copying rows between workspaces (merge), dumping them
 * canonically, and the merge's own bookkeeping (merge_bases, merge_conflicts). Rows here are the schema's own, column
 * for column: a merge compares and copies them without knowing what they mean. A sync with a server (DESIGN.md,
 * "Beyond one machine") replaces this module, not the merge rules.
 */

export type Row = Record<string, SqlValue>;

function quoted(table: TableName): string {
  if (!(TABLES as readonly string[]).includes(table)) throw new Error(`${table} is not a table of the workspace schema`);
  return `"${table}"`;
}

const q = (c: string) => `"${c.replace(/"/g, '""')}"`;

/** The table's columns, in schema order. */
export function tableColumns(db: Db, table: TableName): string[] {
  return db.all<{ name: string }>(`SELECT name FROM pragma_table_info(?)`, [table]).map((r) => r.name);
}

/** Every row of a table. */
export function tableRows(db: Db, table: TableName): Row[] {
  return db.all<Row>(`SELECT * FROM ${quoted(table)}`);
}

/** The row with these key values, if there is one. */
export function tableRow(db: Db, table: TableName, key: readonly string[], values: readonly SqlValue[]): Row | undefined {
  return db.get<Row>(`SELECT * FROM ${quoted(table)} WHERE ${key.map((k) => `${q(k)} = ?`).join(' AND ')}`, values);
}

/** Adds rows as they are, column for column; with `skipExisting`, a row whose key is already there is left alone. */
export function insertTableRows(tx: Tx, table: TableName, columns: readonly string[], rows: readonly Row[], opts: { skipExisting?: boolean } = {}): number {
  return tx.runMany(
    `INSERT ${opts.skipExisting ? 'OR IGNORE ' : ''}INTO ${quoted(table)}(${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    rows.map((r) => columns.map((c) => r[c] ?? null)),
  );
}

/** Replaces the non-key columns of the rows with these keys. */
export function updateTableRows(tx: Tx, table: TableName, key: readonly string[], columns: readonly string[], rows: readonly Row[]): number {
  const set = columns.filter((c) => !key.includes(c));
  return tx.runMany(
    `UPDATE ${quoted(table)} SET ${set.map((c) => `${q(c)} = ?`).join(', ')} WHERE ${key.map((k) => `${q(k)} = ?`).join(' AND ')}`,
    rows.map((r) => [...set.map((c) => r[c] ?? null), ...key.map((k) => r[k] ?? null)]),
  );
}

/** How many rows each table holds. */
export function tableCounts(db: Db, tables: readonly TableName[] = TABLES): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number(db.get<{ n: number }>(`SELECT count(*) AS n FROM ${quoted(t)}`)?.n ?? 0);
  return out;
}

function orderBy(db: Db, table: TableName): string {
  const cols = db.all<{ name: string; pk: number }>('SELECT name, pk FROM pragma_table_info(?)', [table]);
  const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  return pk.length ? pk.map((c) => q(c.name)).join(', ') : 'rowid';
}

/**
 * Every row of a table in primary-key order (rowid where there is none), as values, after its column names: a dump
 * that does not depend on how SQLite happened to lay out its pages.
 */
export function eachTableRow(ws: Pick<Workspace, 'db' | 'all' | 'get'>, table: TableName, visit: (row: SqlValue[]) => void): string[] {
  const columns = tableColumns(ws, table);
  eachRow(ws, `SELECT ${columns.map(q).join(', ')} FROM ${quoted(table)} ORDER BY ${orderBy(ws, table)}`, [], visit);
  return columns;
}

// Merge bookkeeping --------------------------------------------------------------------------------------------------
/** The key a base or a conflict is filed under: table and record id. */
export function recordRef(table: string, recordId: string): string {
  return `${table}\u0001${recordId}`;
}

/** The content hash each record had when this workspace last agreed with a peer, by {@link recordRef}. */
export const mergeBases = read(['merge_bases'], (db: Db, peerWorkspaceId: string): Map<string, string> =>
  new Map(
    db
      .all<{ table_name: string; record_id: string; hash: string }>('SELECT table_name, record_id, hash FROM merge_bases WHERE peer_workspace_id = ?', [peerWorkspaceId])
      .map((b) => [recordRef(b.table_name, b.record_id), b.hash]),
  ),
);

export function setMergeBases(tx: Tx, peerWorkspaceId: string, table: string, bases: readonly (readonly [recordId: string, hash: string])[]): number {
  return tx.runMany(
    'INSERT OR REPLACE INTO merge_bases(peer_workspace_id, table_name, record_id, hash) VALUES (?, ?, ?, ?)',
    bases.map(([k, h]) => [peerWorkspaceId, table, k, h]),
  );
}

export interface MergeConflictRow {
  id: string;
  peerWorkspaceId: string;
  table: string;
  recordId: string;
  /** Our record when the conflict was found (null if we had deleted it), and theirs. */
  ours: Record<string, unknown> | null;
  theirs: Record<string, unknown>;
  detectedAt: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
  resolution: string | null;
}

interface ConflictRow {
  id: string;
  peer_workspace_id: string;
  table_name: string;
  record_id: string;
  ours: string;
  theirs: string;
  detected_at: string;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution: string | null;
}

function toConflict(c: ConflictRow): MergeConflictRow {
  return {
    id: c.id,
    peerWorkspaceId: c.peer_workspace_id,
    table: c.table_name,
    recordId: c.record_id,
    ours: JSON.parse(c.ours) as Record<string, unknown> | null,
    theirs: JSON.parse(c.theirs) as Record<string, unknown>,
    detectedAt: c.detected_at,
    resolvedBy: c.resolved_by,
    resolvedAt: c.resolved_at,
    resolution: c.resolution,
  };
}

/** Conflicts with a peer no one has settled yet, by {@link recordRef}, with their side as stored (JSON text). */
export const openConflicts = read(['merge_conflicts'], (db: Db, peerWorkspaceId: string): Map<string, { id: string; theirs: string }> =>
  new Map(
    db
      .all<{ id: string; table_name: string; record_id: string; theirs: string }>(
        'SELECT id, table_name, record_id, theirs FROM merge_conflicts WHERE peer_workspace_id = ? AND resolved_at IS NULL',
        [peerWorkspaceId],
      )
      .map((c) => [recordRef(c.table_name, c.record_id), { id: c.id, theirs: c.theirs }]),
  ),
);

/** Lists a conflict for a person, or brings a listed one up to date with both sides as they now are (JSON text). */
export function saveConflict(tx: Tx, c: { id: string; peerWorkspaceId: string; table: string; recordId: string; ours: string; theirs: string; listed: boolean }): void {
  if (c.listed) {
    tx.run('UPDATE merge_conflicts SET ours = ?, theirs = ?, detected_at = ? WHERE id = ?', [c.ours, c.theirs, tx.at, c.id]);
  } else {
    tx.run('INSERT INTO merge_conflicts(id, peer_workspace_id, table_name, record_id, ours, theirs, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      c.id,
      c.peerWorkspaceId,
      c.table,
      c.recordId,
      c.ours,
      c.theirs,
      tx.at,
    ]);
  }
}

export const getConflict = read(['merge_conflicts'], (db: Db, id: string): MergeConflictRow | undefined => {
  const c = db.get<ConflictRow>('SELECT * FROM merge_conflicts WHERE id = ?', [id]);
  return c ? toConflict(c) : undefined;
});

export function markConflictResolved(tx: Tx, id: string, by: string, resolution: string): void {
  tx.run('UPDATE merge_conflicts SET resolved_by = ?, resolved_at = ?, resolution = ? WHERE id = ?', [by, tx.at, resolution, id]);
}

/** The conflicts a merge left for a person, newest first: for the app's conflict list. */
export const listConflicts = read(['merge_conflicts'], (db: Db, opts: { unresolvedOnly?: boolean } = {}): MergeConflictRow[] =>
  db
    .all<ConflictRow>(`SELECT * FROM merge_conflicts ${opts.unresolvedOnly ? 'WHERE resolved_at IS NULL' : ''} ORDER BY detected_at DESC, table_name, record_id`)
    .map(toConflict),
);
