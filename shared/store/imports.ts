import type { Tx } from './workspace';
import { read, type Db } from './query';

/** What every import (and merge, and demo generation) records: which dataset, which file, when, how many rows, by whom. */

export interface ImportRecord {
  id: string;
  kind: string;
  fileName: string;
  fileHash: string;
  edition: string | null;
  rows: number;
  importedBy: string;
  importedAt: string;
  notes: string | null;
}

interface ImportRow {
  id: string;
  kind: string;
  file_name: string;
  file_hash: string;
  edition: string | null;
  rows: number;
  imported_by: string;
  imported_at: string;
  notes: string | null;
}

function toImport(r: ImportRow): ImportRecord {
  return {
    id: r.id,
    kind: r.kind,
    fileName: r.file_name,
    fileHash: r.file_hash,
    edition: r.edition,
    rows: r.rows,
    importedBy: r.imported_by,
    importedAt: r.imported_at,
    notes: r.notes,
  };
}

/** Writes the `imports` row inside the import's own transaction, before the rows it brings. */
export function recordImport(tx: Tx, r: ImportRecord): void {
  tx.run('INSERT INTO imports(id, kind, file_name, file_hash, edition, rows, imported_by, imported_at, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    r.id,
    r.kind,
    r.fileName,
    r.fileHash,
    r.edition,
    r.rows,
    r.importedBy,
    r.importedAt,
    r.notes,
  ]);
  tx.note({ table: 'imports', op: 'insert', key: { id: r.id } });
}

/** Sets the row count once a generated import knows it. */
export function setImportRows(tx: Tx, id: string, rows: number): void {
  tx.run('UPDATE imports SET rows = ? WHERE id = ?', [rows, id]);
}

export const getImport = read(['imports'], (db: Db, id: string): ImportRecord | undefined => {
  const r = db.get<ImportRow>('SELECT * FROM imports WHERE id = ?', [id]);
  return r ? toImport(r) : undefined;
});

/** The latest imports, newest first, for the home screen. */
export const recentImports = read(['imports'], (db: Db, limit = 50): ImportRecord[] =>
  db.all<ImportRow>('SELECT * FROM imports ORDER BY imported_at DESC LIMIT ?', [limit]).map(toImport),
);

/** Whether real CQC data came in through the CQC importer: its outputs carry the Open Government Licence. */
export const hasCqcImport = read(['imports'], (db: Db): boolean => !!db.get("SELECT 1 FROM imports WHERE kind LIKE 'cqc%' LIMIT 1"));
