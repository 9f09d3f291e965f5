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
  /** What data the import brought, in the words a publication's source line prints ("CQC ratings data"). */
  source?: string | null;
  /** What period the import's data can answer (null when it does not say): see {@link ImportCoverage}. */
  coverage?: ImportCoverage | null;
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
  source: string | null;
  coverage?: CoverageKind | null;
  covers_from?: string | null;
  covers_to?: string | null;
  covers_basis?: string | null;
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
    source: r.source ?? null,
    coverage: r.coverage && r.covers_from ? { kind: r.coverage, from: r.covers_from, to: r.covers_to ?? null, basis: (r.covers_basis ?? 'edition') as CoverageBasis } : null,
  };
}

/** Writes the `imports` row inside the import's own transaction, before the rows it brings. */
export function recordImport(tx: Tx, r: ImportRecord): void {
  tx.run('INSERT INTO imports(id, kind, file_name, file_hash, edition, rows, imported_by, imported_at, notes, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    r.id,
    r.kind,
    r.fileName,
    r.fileHash,
    r.edition,
    r.rows,
    r.importedBy,
    r.importedAt,
    r.notes,
    r.source ?? null,
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
/** The workspaces merged from, by their workspace id, with the name each had at its latest merge. */
export const mergedPeers = read(['imports'], (db: Db): Map<string, string> => {
  const out = new Map<string, string>();
  for (const i of db.all<{ edition: string | null; notes: string | null }>("SELECT edition, notes FROM imports WHERE kind = 'merge' ORDER BY imported_at")) {
    try {
      const peer = (JSON.parse(i.notes ?? '{}') as { peerWorkspaceId?: unknown }).peerWorkspaceId;
      if (typeof peer === 'string' && i.edition) out.set(peer, i.edition);
    } catch {
      /* a merge recorded without readable notes names no peer */
    }
  }
  return out;
});

export const hasCqcImport = read(['imports'], (db: Db): boolean => !!db.get("SELECT 1 FROM imports WHERE kind LIKE 'cqc%' LIMIT 1"));

/** What each of these imports brought, in words (its `source`), with its kind for imports that do not say. */
export const importSources = read(['imports'], (db: Db, ids: readonly string[]): Map<string, { kind: string; source: string | null }> => {
  const out = new Map<string, { kind: string; source: string | null }>();
  if (!ids.length) return out;
  for (const r of db.all<{ id: string; kind: string; source: string | null }>(`SELECT id, kind, source FROM imports WHERE id IN (${ids.map(() => '?').join(', ')})`, [...ids])) {
    out.set(r.id, { kind: r.kind, source: r.source });
  }
  return out;
});

// Coverage -------------------------------------------------------------------------------------------------------------
/**
 * 'latest': a latest-ratings edition (or a register extract): it holds each series' latest rating, and each location's
 * details and registration, as at its extract date, so it answers dates from then on and none before (a rating since
 * superseded is not in it). 'history': every rating published in a span, which it answers throughout.
 */
export type CoverageKind = 'latest' | 'history';

/** How an import's dates were decided: the edition date given, the data's own latest date, or its span. */
export type CoverageBasis = 'edition' | 'latest publication date' | 'latest date in the file' | 'span';

export interface ImportCoverage {
  kind: CoverageKind;
  /** The first date the data answers: a latest edition's extract date, a history's first date. */
  from: string;
  /** The last date a history answers; null for a latest edition (it answers from its extract date on). */
  to: string | null;
  basis: CoverageBasis;
}

/** The data a figure may rest on, by what it says: ratings, or the register (locations, their details and registration). */
export type CoverageData = 'ratings' | 'locations';

/** Which data each kind of import brings. */
const IMPORT_DATA: Readonly<Record<string, readonly CoverageData[]>> = {
  'cqc-ratings': ['ratings', 'locations'],
  'cqc-locations': ['locations'],
  demo: ['ratings', 'locations'],
};

/** The kinds of import that bring this data. */
export function importKindsOf(data: CoverageData): string[] {
  return Object.entries(IMPORT_DATA)
    .filter(([, d]) => d.includes(data))
    .map(([k]) => k);
}

/** The date an import's data is as at (a latest edition's extract date; a history's last date), for ordering editions. */
export function editionDate(c: ImportCoverage): string {
  return c.kind === 'history' ? (c.to ?? c.from) : c.from;
}

/** Records what period an import's data can answer, inside the import's transaction, after {@link recordImport}. */
export function setImportCoverage(tx: Tx, id: string, c: ImportCoverage): void {
  tx.run('UPDATE imports SET coverage = ?, covers_from = ?, covers_to = ?, covers_basis = ? WHERE id = ?', [c.kind, c.from, c.to, c.basis, id]);
}

/** Each import with a coverage, by id, with its kind and notes: an importer decides from it which data is newer. */
export const importEditions = read(['imports'], (db: Db): Map<string, { kind: string; coverage: ImportCoverage; notes: string | null }> => {
  const out = new Map<string, { kind: string; coverage: ImportCoverage; notes: string | null }>();
  for (const r of db.all<ImportRow>('SELECT * FROM imports WHERE coverage IS NOT NULL AND covers_from IS NOT NULL')) {
    const rec = toImport(r);
    if (rec.coverage) out.set(r.id, { kind: r.kind, coverage: rec.coverage, notes: r.notes });
  }
  return out;
});

/** A dataset a figure may rest on: an import that brought the data, with the period it answers. */
export interface Dataset {
  importId: string;
  kind: string;
  fileName: string;
  edition: string | null;
  importedAt: string;
  coverage: ImportCoverage;
  /** The dataset in words, for a message: "the CQC latest ratings file of 30 January 2021". */
  description: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** An ISO date as a publication writes it: 30 January 2021. */
export function longDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

function describeDataset(kind: string, c: ImportCoverage): string {
  const span = `from ${longDate(c.from)} to ${longDate(c.to ?? c.from)}`;
  if (kind === 'demo') return `the demonstration data, a ratings history ${span}`;
  if (kind === 'cqc-locations') return c.kind === 'history' ? `the CQC register history ${span}` : `the CQC locations file of ${longDate(c.from)}`;
  if (kind === 'cqc-ratings') return c.kind === 'history' ? `the CQC ratings history ${span}` : `the CQC latest ratings file of ${longDate(c.from)}`;
  return c.kind === 'history' ? `the ${kind} data ${span}` : `the ${kind} data of ${longDate(c.from)}`;
}

function answers(c: ImportCoverage): string {
  return c.kind === 'history' ? `answers dates from ${longDate(c.from)} to ${longDate(c.to ?? c.from)}` : `answers dates from ${longDate(c.from)}`;
}

/** The imports that brought this data and say what period it answers, oldest edition first. */
export const datasets = read(['imports'], (db: Db, data: CoverageData): Dataset[] => {
  const kinds = Object.entries(IMPORT_DATA)
    .filter(([, d]) => d.includes(data))
    .map(([k]) => k);
  const rows = db.all<ImportRow>(`SELECT * FROM imports WHERE coverage IS NOT NULL AND covers_from IS NOT NULL AND kind IN (${kinds.map(() => '?').join(', ')})`, kinds);
  return rows
    .map((r) => {
      const rec = toImport(r);
      const coverage = rec.coverage!;
      return { importId: r.id, kind: r.kind, fileName: r.file_name, edition: r.edition, importedAt: r.imported_at, coverage, description: describeDataset(r.kind, coverage) };
    })
    .sort((a, b) => (editionDate(a.coverage) < editionDate(b.coverage) ? -1 : editionDate(a.coverage) > editionDate(b.coverage) ? 1 : a.importedAt < b.importedAt ? -1 : 1));
});

export interface CoverageAnswer {
  data: CoverageData;
  date: string;
  /**
   * 'covered': an import of the data answers the date. 'not covered': imports of the data say what they answer, and
   * none answers it. 'unknown': no import of the data says (data entered by hand, merged, or imported without dates).
   */
  status: 'covered' | 'not covered' | 'unknown';
  /** The datasets that answer the date. */
  covering: Dataset[];
  /** Every dataset of the data that says what it answers, oldest edition first. */
  datasets: Dataset[];
  /** When not covered, in plain English: what the data is, what it answers, and what would answer the date. */
  message: string | null;
}

/** Whether the workspace's data of one kind can answer a date, and if not, what would. */
export const coverageAt = read(['imports'], (db: Db, data: CoverageData, date: string): CoverageAnswer => {
  const all = datasets(db, data);
  const covering = all.filter((d) => date >= d.coverage.from && (d.coverage.to === null || date <= d.coverage.to));
  if (all.length === 0) return { data, date, status: 'unknown', covering, datasets: all, message: null };
  if (covering.length) return { data, date, status: 'covered', covering, datasets: all, message: null };
  const what = all.map((d) => `${d.description}, which ${answers(d.coverage)}`);
  const listed = what.length === 1 ? what[0]! : `${what.slice(0, -1).join('; ')}; and ${what[what.length - 1]}`;
  const later = all.every((d) => (d.coverage.to ?? d.coverage.from) < date && d.coverage.to !== null);
  const edition = data === 'ratings' ? 'the edition' : 'a locations file or a ratings edition';
  const history = data === 'ratings' ? 'a ratings history' : 'a register history';
  const wanted = later
    ? `for ${longDate(date)} import ${edition} of that date or later, or ${history} that reaches it`
    : `for ${longDate(date)} import ${edition} of that date or ${history}`;
  return { data, date, status: 'not covered', covering, datasets: all, message: `the ${data} data is ${listed}; ${wanted}` };
});
