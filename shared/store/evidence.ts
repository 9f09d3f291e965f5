import { z } from 'zod';
import type { SqlValue, Tx } from './workspace';
import { audit } from './audit';
import { invalidField, WorkspaceError } from './errors';
import { isoDate, optionalText, parseInput, requiredText } from './validate';
import { containsPattern, insertRows, placeholders, read, type Db } from './query';
import { LIMITS } from '../util/limits';
import { webAddress } from '../util/web-address';
import { newId } from '../util/runtime';
import { locationExists } from './locations';
import { inspectionExists } from './inspections';
import { assessmentExists, evidenceCategoryExists } from './assessments';

/** Evidence sources and the files attached to them (stored once per content hash). */

export const EVIDENCE_KINDS = ['document', 'interview', 'observation', 'dataset', 'survey', 'case file', 'meeting notes'] as const;
export const SENSITIVITIES = ['public', 'official', 'official-sensitive', 'personal'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];
/** Sensitivities that never appear in a public export. */
export const RESTRICTED_SENSITIVITIES: readonly string[] = ['official-sensitive', 'personal'];

export const EvidenceInput = z.object({
  id: z.string().optional(),
  kind: z.enum(EVIDENCE_KINDS),
  title: requiredText(LIMITS.title),
  reference: optionalText(LIMITS.reference),
  summary: optionalText(LIMITS.summary),
  collectedOn: isoDate.nullish(),
  collectedBy: optionalText(LIMITS.name),
  sensitivity: z.enum(SENSITIVITIES),
  attachmentHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest').nullish(),
  attachmentName: optionalText(LIMITS.fileName),
  areaReviewId: z.string().nullish(),
  locationId: z.string().nullish(),
  importId: z.string().nullish(),
  /** The inspection (historical) or assessment it was collected for, and its evidence category. */
  inspectionId: z.string().nullish(),
  assessmentId: z.string().nullish(),
  evidenceCategoryId: z.string().nullish(),
  /**
   * The source as a reference (schema version 10): its publisher or author, the date it was published, where it can
   * be read and when that address was read. What a public edition's note prints; the collection date and the internal
   * reference above stay internal.
   */
  publisher: optionalText(LIMITS.organisation),
  publishedOn: isoDate.nullish(),
  url: webAddress.nullish(),
  accessedOn: isoDate.nullish(),
});
export type EvidenceInput = z.input<typeof EvidenceInput>;

export interface EvidenceRecord {
  id: string;
  kind: string;
  title: string;
  reference: string | null;
  summary: string | null;
  collectedOn: string | null;
  collectedBy: string | null;
  sensitivity: Sensitivity;
  attachmentHash: string | null;
  attachmentName: string | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
  areaReviewId: string | null;
  locationId: string | null;
  importId: string | null;
  publisher: string | null;
  publishedOn: string | null;
  url: string | null;
  accessedOn: string | null;
  createdAt: string;
  updatedAt: string;
}

const COLUMNS = [
  'id',
  'kind',
  'title',
  'reference',
  'summary',
  'collected_on',
  'collected_by',
  'sensitivity',
  'attachment_hash',
  'attachment_name',
  'verified_by',
  'verified_at',
  'area_review_id',
  'location_id',
  'import_id',
  'publisher',
  'published_on',
  'url',
  'accessed_on',
  'created_at',
  'updated_at',
] as const;
type EvidenceRow = Record<(typeof COLUMNS)[number], SqlValue>;

function values(e: EvidenceRecord): SqlValue[] {
  return [
    e.id,
    e.kind,
    e.title,
    e.reference,
    e.summary,
    e.collectedOn,
    e.collectedBy,
    e.sensitivity,
    e.attachmentHash,
    e.attachmentName,
    e.verifiedBy,
    e.verifiedAt,
    e.areaReviewId,
    e.locationId,
    e.importId,
    e.publisher,
    e.publishedOn,
    e.url,
    e.accessedOn,
    e.createdAt,
    e.updatedAt,
  ];
}

function rowOf(e: EvidenceRecord): EvidenceRow {
  const v = values(e);
  return Object.fromEntries(COLUMNS.map((c, i) => [c, v[i]!])) as EvidenceRow;
}

function toEvidence(r: EvidenceRow): EvidenceRecord {
  return {
    id: r.id as string,
    kind: r.kind as string,
    title: r.title as string,
    reference: r.reference as string | null,
    summary: r.summary as string | null,
    collectedOn: r.collected_on as string | null,
    collectedBy: r.collected_by as string | null,
    sensitivity: r.sensitivity as Sensitivity,
    attachmentHash: r.attachment_hash as string | null,
    attachmentName: r.attachment_name as string | null,
    verifiedBy: r.verified_by as string | null,
    verifiedAt: r.verified_at as string | null,
    areaReviewId: r.area_review_id as string | null,
    locationId: r.location_id as string | null,
    importId: r.import_id as string | null,
    publisher: (r.publisher ?? null) as string | null,
    publishedOn: (r.published_on ?? null) as string | null,
    url: (r.url ?? null) as string | null,
    accessedOn: (r.accessed_on ?? null) as string | null,
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
  };
}

export function isRestricted(sensitivity: string): boolean {
  return RESTRICTED_SENSITIVITIES.includes(sensitivity);
}

// Reads -------------------------------------------------------------------------------------------------------------
export const getEvidence = read(['evidence'], (db: Db, id: string): EvidenceRecord | undefined => {
  const r = db.get<EvidenceRow>('SELECT * FROM evidence WHERE id = ?', [id]);
  return r ? toEvidence(r) : undefined;
});

export const evidenceExists = read(['evidence'], (db: Db, id: string): boolean => !!db.get('SELECT 1 FROM evidence WHERE id = ?', [id]));

/** Every evidence source, for an importer matching a register's rows to what is held. */
export const allEvidence = read(['evidence'], (db: Db): EvidenceRecord[] => db.all<EvidenceRow>('SELECT * FROM evidence').map(toEvidence));

/** The app's evidence list: words in the title, reference or summary; a kind; a sensitivity. Newest first. */
export const searchEvidence = read(
  ['evidence'],
  (db: Db, q: { search?: string | undefined; kind?: string | undefined; sensitivity?: string | undefined; limit: number }): EvidenceRecord[] => {
    const c: string[] = [];
    const p: SqlValue[] = [];
    if (q.search?.trim()) {
      const s = containsPattern(q.search.trim());
      c.push("(title LIKE ? ESCAPE '\\' OR reference LIKE ? ESCAPE '\\' OR summary LIKE ? ESCAPE '\\')");
      p.push(s, s, s);
    }
    if (q.kind) {
      c.push('kind = ?');
      p.push(q.kind);
    }
    if (q.sensitivity) {
      c.push('sensitivity = ?');
      p.push(q.sensitivity);
    }
    return db
      .all<EvidenceRow>(`SELECT * FROM evidence ${c.length ? `WHERE ${c.join(' AND ')}` : ''} ORDER BY COALESCE(collected_on, created_at) DESC, title LIMIT ?`, [...p, q.limit])
      .map(toEvidence);
  },
);

export interface EvidenceFilters {
  /** Words in the title, reference, summary or collector. */
  search?: string;
  kind?: string | string[];
  sensitivity?: string | string[];
  /** Restricted (official-sensitive or personal) only, or unrestricted only. */
  restricted?: boolean;
  collectedBy?: string;
  /** Collected on or after / on or before (yyyy-mm-dd). */
  from?: string;
  to?: string;
  verified?: boolean;
  hasAttachment?: boolean;
  areaReviewId?: string;
  locationId?: string;
  offset?: number;
  limit?: number;
}

function list(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The evidence register: sources by what they are, who collected them, when, how sensitive, whether verified. */
export const filterEvidence = read(
  ['evidence', 'attachments'],
  (db: Db, f: EvidenceFilters = {}): { total: number; rows: (EvidenceRecord & { attachmentSize: number | null })[] } => {
    const c: string[] = [];
    const p: SqlValue[] = [];
    const inList = (col: string, xs: readonly string[]): void => {
      c.push(`${col} IN (${placeholders(xs.length)})`);
      p.push(...xs);
    };
    if (f.search?.trim()) {
      const q = containsPattern(f.search.trim());
      c.push("(e.title LIKE ? ESCAPE '\\' OR e.reference LIKE ? ESCAPE '\\' OR e.summary LIKE ? ESCAPE '\\' OR e.collected_by LIKE ? ESCAPE '\\' OR e.id = ?)");
      p.push(q, q, q, q, f.search.trim());
    }
    const kinds = list(f.kind);
    if (kinds.length) inList('e.kind', kinds);
    const sens = list(f.sensitivity);
    if (sens.length) inList('e.sensitivity', sens);
    if (f.restricted !== undefined) {
      c.push(`e.sensitivity ${f.restricted ? '' : 'NOT '}IN (${placeholders(RESTRICTED_SENSITIVITIES.length)})`);
      p.push(...RESTRICTED_SENSITIVITIES);
    }
    if (f.collectedBy) {
      c.push('e.collected_by = ? COLLATE NOCASE');
      p.push(f.collectedBy);
    }
    if (f.from) {
      c.push('e.collected_on >= ?');
      p.push(f.from);
    }
    if (f.to) {
      c.push('e.collected_on <= ?');
      p.push(f.to);
    }
    if (f.verified !== undefined) c.push(`e.verified_at IS ${f.verified ? 'NOT ' : ''}NULL`);
    if (f.hasAttachment !== undefined) c.push(`e.attachment_hash IS ${f.hasAttachment ? 'NOT ' : ''}NULL`);
    if (f.areaReviewId) {
      c.push('e.area_review_id = ?');
      p.push(f.areaReviewId);
    }
    if (f.locationId) {
      c.push('e.location_id = ?');
      p.push(f.locationId);
    }
    const w = c.length ? `WHERE ${c.join(' AND ')}` : '';
    const total = Number(db.get<{ n: number }>(`SELECT count(*) AS n FROM evidence e ${w}`, p)?.n ?? 0);
    const rows = db.all<EvidenceRow & { attachment_size: number | null }>(
      `SELECT e.*, a.size AS attachment_size
         FROM evidence e LEFT JOIN attachments a ON a.hash = e.attachment_hash
         ${w}
        ORDER BY e.collected_on IS NULL, e.collected_on DESC, e.title COLLATE NOCASE
        LIMIT ? OFFSET ?`,
      [...p, f.limit ?? 1000, f.offset ?? 0],
    );
    return { total, rows: rows.map((r) => ({ ...toEvidence(r), attachmentSize: r.attachment_size })) };
  },
);

/** The evidence an area review gathered, for counts on the list of reviews. */
export const evidenceCountsByAreaReview = read(['evidence'], (db: Db): Map<string, number> =>
  new Map(
    db
      .all<{ id: string; n: number }>('SELECT area_review_id AS id, count(*) AS n FROM evidence WHERE area_review_id IS NOT NULL GROUP BY area_review_id')
      .map((r) => [r.id, r.n]),
  ),
);

/** The first evidence of a kind gathered by an area review (by reference), optionally with words in its title. */
export const findReviewEvidence = read(['evidence'], (db: Db, q: { areaReviewId: string; kind: string; titleWords?: string | undefined }): string | undefined =>
  db.get<{ id: string }>(
    `SELECT id FROM evidence WHERE area_review_id = ? AND kind = ? ${q.titleWords ? "AND lower(title) LIKE '%' || lower(?) || '%'" : ''} ORDER BY reference LIMIT 1`,
    q.titleWords ? [q.areaReviewId, q.kind, q.titleWords] : [q.areaReviewId, q.kind],
  )?.id,
);

export const evidenceIdByReference = read(['evidence'], (db: Db, reference: string): string | undefined =>
  db.get<{ id: string }>('SELECT id FROM evidence WHERE reference = ?', [reference])?.id,
);

/** Locations and attached files evidence refers to: a merge brings them with it. */
export const evidenceReferences = read(['evidence'], (db: Db): { locationIds: string[]; attachmentHashes: string[] } => ({
  locationIds: db.all<{ v: string }>('SELECT DISTINCT location_id AS v FROM evidence WHERE location_id IS NOT NULL').map((r) => r.v),
  attachmentHashes: db.all<{ v: string }>('SELECT DISTINCT attachment_hash AS v FROM evidence WHERE attachment_hash IS NOT NULL').map((r) => r.v),
}));

export const countEvidence = read(['evidence'], (db: Db): number => Number(db.get<{ n: number }>('SELECT count(*) AS n FROM evidence')?.n ?? 0));

/** An evidence source's attached file: its name, the content hash it was stored under, its type and bytes. */
export const attachmentOf = read(['evidence', 'attachments'], (db: Db, evidenceId: string): { name: string; hash: string; mediaType: string; size: number; data: Uint8Array } | undefined =>
  db.get<{ name: string; hash: string; mediaType: string; size: number; data: Uint8Array }>(
    `SELECT e.attachment_name AS name, a.hash, a.media_type AS mediaType, a.size, a.data
     FROM evidence e JOIN attachments a ON a.hash = e.attachment_hash WHERE e.id = ?`,
    [evidenceId],
  ),
);

export const countAttachments = read(['attachments'], (db: Db): number => Number(db.get<{ n: number }>('SELECT count(*) AS n FROM attachments')?.n ?? 0));

// Writes --------------------------------------------------------------------------------------------------------------
/** Stores attachment bytes once per content hash. The hash is computed by the caller (Node or Web Crypto). */
export function putAttachment(tx: Tx, a: { hash: string; bytes: Uint8Array; mediaType: string }): void {
  if (!/^[0-9a-f]{64}$/.test(a.hash)) throw new WorkspaceError('invalid', 'attachment: hash must be a sha256 hex digest');
  tx.run('INSERT OR IGNORE INTO attachments(hash, size, media_type, data, created_at) VALUES (?, ?, ?, ?, ?)', [a.hash, a.bytes.length, a.mediaType, a.bytes, tx.at]);
}

/** Inserts or updates an evidence source (by id). */
export function saveEvidence(tx: Tx, input: EvidenceInput): EvidenceRecord {
  const e = parseInput('evidence', EvidenceInput, input);
  if (e.attachmentHash && !tx.get('SELECT 1 FROM attachments WHERE hash = ?', [e.attachmentHash])) {
    throw invalidField('evidence', 'attachmentHash', 'names no stored attachment');
  }
  if (e.locationId && !locationExists(tx, e.locationId)) throw invalidField('evidence', 'locationId', `"${e.locationId}" is not a location in this workspace`);
  if (e.inspectionId && !inspectionExists(tx, e.inspectionId)) throw invalidField('evidence', 'inspectionId', `"${e.inspectionId}" is not an inspection in this workspace`);
  if (e.assessmentId && !assessmentExists(tx, e.assessmentId)) throw invalidField('evidence', 'assessmentId', `"${e.assessmentId}" is not an inspection or assessment in this workspace`);
  if (e.evidenceCategoryId && !evidenceCategoryExists(tx, e.evidenceCategoryId)) throw invalidField('evidence', 'evidenceCategoryId', `"${e.evidenceCategoryId}" is not an evidence category`);
  const id = e.id ?? newId();
  const before = tx.get<EvidenceRow>('SELECT * FROM evidence WHERE id = ?', [id]);
  const vals: SqlValue[] = [
    e.kind,
    e.title,
    e.reference ?? null,
    e.summary ?? null,
    e.collectedOn ?? null,
    e.collectedBy ?? null,
    e.sensitivity,
    e.attachmentHash ?? null,
    e.attachmentName ?? null,
    e.areaReviewId ?? null,
    e.locationId ?? null,
  ];
  if (before) {
    tx.run(
      `UPDATE evidence SET kind = ?, title = ?, reference = ?, summary = ?, collected_on = ?, collected_by = ?, sensitivity = ?,
         attachment_hash = ?, attachment_name = ?, area_review_id = ?, location_id = ?, updated_at = ? WHERE id = ?`,
      [...vals, tx.at, id],
    );
  } else {
    tx.run(
      `INSERT INTO evidence(kind, title, reference, summary, collected_on, collected_by, sensitivity, attachment_hash, attachment_name,
         area_review_id, location_id, import_id, id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [...vals, e.importId ?? null, id, tx.at, tx.at],
    );
  }
  // Schema version 8's links, written only when given, so a caller that predates them does not clear them.
  if (e.inspectionId !== undefined || e.assessmentId !== undefined || e.evidenceCategoryId !== undefined) {
    tx.run('UPDATE evidence SET inspection_id = ?, assessment_id = ?, evidence_category_id = ? WHERE id = ?', [e.inspectionId ?? null, e.assessmentId ?? null, e.evidenceCategoryId ?? null, id]);
  }
  // Schema version 10's citation fields, likewise: a caller that predates them keeps a source's reference as it was.
  if (e.publisher !== undefined || e.publishedOn !== undefined || e.url !== undefined || e.accessedOn !== undefined) {
    const keep = (v: string | null | undefined, old: SqlValue | undefined): SqlValue => (v === undefined ? (old ?? null) : v || null);
    tx.run('UPDATE evidence SET publisher = ?, published_on = ?, url = ?, accessed_on = ? WHERE id = ?', [
      keep(e.publisher, before?.publisher),
      keep(e.publishedOn, before?.published_on),
      keep(e.url, before?.url),
      keep(e.accessedOn, before?.accessed_on),
      id,
    ]);
  }
  const after = tx.get<EvidenceRow>('SELECT * FROM evidence WHERE id = ?', [id])!;
  audit(tx, before ? 'evidence.update' : 'evidence.add', 'evidence', id, before ?? null, after);
  tx.note({ table: 'evidence', op: before ? 'update' : 'insert', key: { id } });
  return toEvidence(after);
}

export function verifyEvidence(tx: Tx, id: string, by: string): EvidenceRecord {
  const before = tx.get<EvidenceRow>('SELECT * FROM evidence WHERE id = ?', [id]);
  if (!before) throw new WorkspaceError('not-found-record', `evidence ${id} does not exist`);
  tx.run('UPDATE evidence SET verified_by = ?, verified_at = ?, updated_at = ? WHERE id = ?', [by, tx.at, tx.at, id]);
  const after = tx.get<EvidenceRow>('SELECT * FROM evidence WHERE id = ?', [id])!;
  audit(tx, 'evidence.verify', 'evidence', id, before, after);
  tx.note({ table: 'evidence', op: 'update', key: { id } });
  return toEvidence(after);
}

// Bulk writes: imports and the demo ------------------------------------------------------------------------------------
const HEAD = `INSERT INTO evidence(${COLUMNS.join(', ')})`;

/**
 * Adds evidence sources in bulk. With `audited`, each gets its own audit entry (an imported register: a person may ask
 * where a source came from); generated data is described by its import's entry instead.
 */
export function insertEvidence(tx: Tx, records: readonly EvidenceRecord[], opts: { audited?: boolean } = {}): number {
  const n = insertRows(tx, HEAD, COLUMNS.length, records.map(values));
  if (opts.audited) for (const e of records) audit(tx, 'evidence.add', 'evidence', e.id, null, rowOf(e));
  if (n) tx.note({ table: 'evidence', op: 'insert' });
  return n;
}

/** Replaces evidence sources as the records give them, each change audited with the record before and after. */
export function updateEvidence(tx: Tx, changes: readonly { before: EvidenceRecord; after: EvidenceRecord }[]): number {
  const set = COLUMNS.filter((c) => c !== 'id');
  const n = tx.runMany(
    `UPDATE evidence SET ${set.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`,
    changes.map((c) => {
      const v = values(c.after);
      return [...v.slice(1), v[0]!];
    }),
  );
  for (const c of changes) audit(tx, 'evidence.update', 'evidence', c.after.id, rowOf(c.before), rowOf(c.after));
  if (n) tx.note({ table: 'evidence', op: 'update' });
  return n;
}

export function insertAttachments(tx: Tx, files: readonly { hash: string; mediaType: string; bytes: Uint8Array; createdAt: string }[]): number {
  return tx.runMany(
    'INSERT INTO attachments(hash, size, media_type, data, created_at) VALUES (?, ?, ?, ?, ?)',
    files.map((a) => [a.hash, a.bytes.length, a.mediaType, a.bytes, a.createdAt]),
  );
}

/** The evidence collected for an inspection or assessment, by id. */
export const evidenceOfAssessment = read(['evidence'], (db: Db, assessmentId: string): string[] =>
  db.all<{ id: string }>('SELECT id FROM evidence WHERE assessment_id = ? ORDER BY collected_on, id', [assessmentId]).map((r) => r.id),
);
