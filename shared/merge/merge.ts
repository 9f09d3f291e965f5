import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { SqlValue, Tx, Workspace } from '../store/workspace';
import { audit } from '../store/audit';
import { WorkspaceError } from '../store/errors';
import { newId } from '../util/runtime';

/**
 * Bringing an inspector's workspace into another (the editor's publication workspace).
 *
 * Identity. Every record merged has an identity that is the same in every workspace: the UUID ids of inspections,
 * findings, evidence and area reviews; the regulator's ids of locations and providers; the content hash of an
 * attachment; and for ratings their natural key (location, service group, key question, publication date), because
 * a rating's integer id is local to a file. Merging is therefore idempotent: a record already present is recognised,
 * never added twice.
 *
 * Who changed what. Two copies of a record that differ were changed on one side, or on both. To tell which, the
 * target keeps, per peer workspace (meta 'workspace_id'), the content hash both sides agreed on at the last merge
 * (`merge_bases`). With a base B, theirs T' and ours O:
 *   - O = T'             : unchanged.
 *   - O = B, T' != B      : only they changed it: take theirs.
 *   - T' = B, O != B      : only we changed it: keep ours.
 *   - both differ from B  : both changed it: a conflict, listed in `merge_conflicts`; ours stays until a person
 *                           resolves it (see resolveConflict). Never silently overwritten.
 * With no base (the first merge between two files that share records, e.g. an inspector's file made as a copy of the
 * editor's), a differing record is a conflict unless the history shows one side is an unchanged copy of the other:
 *   - the source's own merge_bases about the target (it merged from us before) give the base in the other direction;
 *   - otherwise the audit logs: if our log shows the record once had exactly their content (they hold an older
 *     version, we moved on) we keep ours; if their log shows it once had exactly our content, we take theirs. If both
 *     or neither, it is a conflict.
 * Deletions: a record we deleted after an earlier merge (base known, no longer here) is not brought back unless they
 * changed it since, which is a conflict. Deletions in the source are not propagated: a merge never removes anything.
 *
 * Registration and reference data (regions, local authorities, providers, locations, scales, themes, imports,
 * attachments) is added when a merged record needs it and is missing; where both have it and it differs, ours is
 * kept: it comes from regulator files (re-import them to refresh), not from an inspector's edits.
 */

export interface MergeTableResult {
  added: number;
  updated: number;
  unchanged: number;
  conflicts: number;
  /** Differs, and ours is kept: we changed it since the last merge, or it is reference data. */
  keptOurs: number;
  /** We deleted it after an earlier merge and they have not changed it since: not brought back. */
  skippedDeleted: number;
}

export interface MergeConflictInfo {
  id: string;
  table: string;
  recordId: string;
  /** True if this conflict was listed by an earlier merge and is still unresolved. */
  alreadyListed: boolean;
}

export interface MergeResult {
  peerWorkspaceId: string;
  peerName: string;
  tables: Record<string, MergeTableResult>;
  conflicts: MergeConflictInfo[];
  /** The `imports` record (kind 'merge') written, or null when the merge changed nothing. */
  importId: string | null;
  changed: boolean;
  /** The source has this workspace's own id (a copy saved without a new identity): merged by audit history alone. */
  sharedIdentity: boolean;
}

export interface MergeOptions {
  actor?: string;
  /** Recorded in the merge's `imports` row. */
  sourceFileName?: string;
  sourceFileHash?: string;
}

type Row = Record<string, SqlValue>;
type Reader = Pick<Workspace, 'all' | 'metaValue'>;

interface TableSpec {
  table: string;
  key: readonly string[];
  /** Columns that are bookkeeping, not content: left out of the content hash. */
  ignore: readonly string[];
  /** Reference data: added when missing, never updated or in conflict. */
  reference?: boolean;
  /** A local integer id that is not copied (ratings). */
  localId?: string;
  /** Restricts which source rows are merged (reference data: only what merged records need). */
  needed?: (ids: Needed) => Set<string> | undefined;
}

interface Needed {
  locations: Set<string>;
  providers: Set<string>;
  localAuthorities: Set<string>;
  regions: Set<string>;
  attachments: Set<string>;
}

/** Tables in the order they are merged: parents before children. */
const SPECS: readonly TableSpec[] = [
  { table: 'regions', key: ['id'], ignore: [], reference: true, needed: (n) => n.regions },
  { table: 'local_authorities', key: ['id'], ignore: [], reference: true, needed: (n) => n.localAuthorities },
  { table: 'imports', key: ['id'], ignore: [], reference: true },
  { table: 'providers', key: ['id'], ignore: ['updated_at', 'import_id'], reference: true, needed: (n) => n.providers },
  { table: 'sectors', key: ['id'], ignore: [], reference: true },
  { table: 'locations', key: ['id'], ignore: ['updated_at', 'import_id'], reference: true, needed: (n) => n.locations },
  { table: 'rating_scales', key: ['id'], ignore: [], reference: true },
  { table: 'rating_values', key: ['scale_id', 'label'], ignore: [], reference: true },
  { table: 'key_questions', key: ['id'], ignore: [], reference: true },
  { table: 'themes', key: ['id'], ignore: [], reference: true },
  { table: 'attachments', key: ['hash'], ignore: ['created_at'], reference: true, needed: (n) => n.attachments },
  { table: 'inspections', key: ['id'], ignore: ['updated_at'] },
  { table: 'ratings', key: ['location_id', 'service_group', 'key_question_id', 'published_on'], ignore: ['updated_at', 'import_id'], localId: 'id' },
  { table: 'area_reviews', key: ['id'], ignore: ['updated_at'] },
  { table: 'area_review_themes', key: ['area_review_id', 'theme_id'], ignore: [] },
  { table: 'evidence', key: ['id'], ignore: ['updated_at', 'import_id'] },
  { table: 'findings', key: ['id'], ignore: ['updated_at'] },
  { table: 'finding_evidence', key: ['finding_id', 'evidence_id'], ignore: [] },
];

export const MERGED_TABLES: readonly string[] = SPECS.map((s) => s.table);

/** The identity of a record as stored in merge_bases and merge_conflicts: its id, or a JSON array for composite keys. */
export function recordKey(spec: { key: readonly string[] }, row: Row): string {
  return spec.key.length === 1 ? String(row[spec.key[0]!]) : JSON.stringify(spec.key.map((k) => row[k]));
}

function contentColumns(spec: TableSpec, columns: readonly string[]): string[] {
  return columns.filter((c) => !spec.ignore.includes(c) && c !== spec.localId).sort();
}

/** The canonical text of a record's content: equal text means equal content, whatever the column order. */
function canonical(cols: readonly string[], row: Row): string | undefined {
  const out: SqlValue[] = [];
  for (const c of cols) {
    if (!(c in row)) return undefined;
    const v = row[c] ?? null;
    out.push(v instanceof Uint8Array ? `<blob ${bytesToHex(sha256(v))}>` : v);
  }
  return JSON.stringify(out);
}

export function contentHash(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

function columnsOf(ws: Pick<Workspace, 'all'>, table: string): string[] {
  return ws.all<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`).map((r) => r.name);
}

function emptyResult(): MergeTableResult {
  return { added: 0, updated: 0, unchanged: 0, conflicts: 0, keptOurs: 0, skippedDeleted: 0 };
}

/** What the merged records need from the source's registration data. */
function neededRefs(source: Reader): Needed {
  const set = (sql: string) => new Set(source.all<{ v: string | null }>(sql).map((r) => r.v).filter((v): v is string => v !== null));
  const locations = set(`
    SELECT location_id AS v FROM ratings UNION SELECT location_id FROM inspections UNION SELECT location_id FROM evidence
    UNION SELECT subject_id FROM findings WHERE subject_type = 'location'`);
  const locRows = source.all<{ id: string; provider_id: string | null; local_authority_id: string | null; region_id: string | null }>(
    'SELECT id, provider_id, local_authority_id, region_id FROM locations',
  );
  const providers = set(`SELECT subject_id AS v FROM findings WHERE subject_type = 'provider'`);
  const localAuthorities = set('SELECT local_authority_id AS v FROM area_reviews');
  const regions = new Set<string>();
  for (const l of locRows) {
    if (!locations.has(l.id)) continue;
    if (l.provider_id) providers.add(l.provider_id);
    if (l.local_authority_id) localAuthorities.add(l.local_authority_id);
    if (l.region_id) regions.add(l.region_id);
  }
  for (const la of source.all<{ id: string; region_id: string }>('SELECT id, region_id FROM local_authorities')) {
    if (localAuthorities.has(la.id)) regions.add(la.region_id);
  }
  return { locations, providers, localAuthorities, regions, attachments: set('SELECT attachment_hash AS v FROM evidence') };
}

/** Hashes of every earlier version of each record in a workspace's audit log, by table and audit record id. */
function historyHashes(ws: Pick<Workspace, 'all'>, table: string, auditId: string, cols: readonly string[], current: string): Set<string> {
  const out = new Set<string>();
  for (const a of ws.all<{ before: string | null; after: string | null }>('SELECT before, after FROM audit_log WHERE table_name = ? AND record_id = ?', [table, auditId])) {
    for (const j of [a.before, a.after]) {
      if (!j) continue;
      try {
        const c = canonical(cols, JSON.parse(j) as Row);
        if (c !== undefined && c !== current) out.add(contentHash(c));
      } catch {
        /* an audit entry that is not a record (a summary) says nothing about versions */
      }
    }
  }
  return out;
}

interface Plan {
  spec: TableSpec;
  cols: string[];
  inserts: Row[];
  updates: { before: Row; after: Row }[];
  bases: [string, string][];
  conflicts: { recordId: string; ours: Row | null; theirs: Row }[];
}

/**
 * Merges `source` into `target` in one transaction of the target. The source is only read. Returns what was added,
 * updated, unchanged, kept and in conflict per table. Merging the same source again changes nothing.
 */
export async function mergeWorkspaces(target: Workspace, source: Reader, opts: MergeOptions = {}): Promise<MergeResult> {
  const peer = source.metaValue('workspace_id');
  const self = target.metaValue('workspace_id');
  if (!peer) throw new WorkspaceError('invalid', 'The workspace to merge from has no workspace id; it is not an Assay workspace this version can merge.');
  const peerName = source.metaValue('name') ?? peer;
  const needed = neededRefs(source);
  // A file copied without a new identity (Save a copy) has our own workspace id. Bases recorded under that id could
  // belong to any of several such copies, and trusting them could let a stale copy overwrite a change taken from
  // another, so for such a peer no base is used or kept and the audit history alone decides.
  const sharedIdentity = peer === self;
  const baseRows = sharedIdentity
    ? []
    : target.all<{ table_name: string; record_id: string; hash: string }>('SELECT table_name, record_id, hash FROM merge_bases WHERE peer_workspace_id = ?', [peer]);
  const bases = new Map(baseRows.map((b) => [`${b.table_name}\u0001${b.record_id}`, b.hash]));
  // What the source last agreed with us, if it ever merged from us: a base seen from the other side.
  const reverse = new Map(
    self && !sharedIdentity ? source.all<{ table_name: string; record_id: string; hash: string }>('SELECT table_name, record_id, hash FROM merge_bases WHERE peer_workspace_id = ?', [self]).map((b) => [`${b.table_name}\u0001${b.record_id}`, b.hash]) : [],
  );
  const openConflicts = new Map(
    target
      .all<{ id: string; table_name: string; record_id: string; theirs: string }>('SELECT id, table_name, record_id, theirs FROM merge_conflicts WHERE peer_workspace_id = ? AND resolved_at IS NULL', [peer])
      .map((c) => [`${c.table_name}\u0001${c.record_id}`, c]),
  );

  const tables: Record<string, MergeTableResult> = {};
  const conflicts: MergeConflictInfo[] = [];
  const plans: Plan[] = [];
  // Rows this merge will add, so children (finding_evidence) can tell a parent that is coming from one that is gone.
  const present = new Map<string, Set<string>>();

  for (const spec of SPECS) {
    const result = emptyResult();
    tables[spec.table] = result;
    const cols = columnsOf(target, spec.table);
    const sourceCols = new Set(columnsOf(source as Pick<Workspace, 'all'>, spec.table));
    const missing = cols.filter((c) => !sourceCols.has(c) && c !== spec.localId);
    if (missing.length) throw new WorkspaceError('invalid', `The workspace to merge from has no column ${spec.table}.${missing[0]}: open it in this version of Assay first, so it is updated.`);
    const hashCols = contentColumns(spec, cols);
    const ours = new Map<string, Row>();
    for (const r of target.all<Row>(`SELECT * FROM "${spec.table}"`)) ours.set(recordKey(spec, r), r);
    present.set(spec.table, new Set(ours.keys()));
    const only = spec.needed?.(needed);
    const plan: Plan = { spec, cols, inserts: [], updates: [], bases: [], conflicts: [] };
    plans.push(plan);
    for (const theirs of source.all<Row>(`SELECT * FROM "${spec.table}"`)) {
      const key = recordKey(spec, theirs);
      if (only && !only.has(key)) continue;
      const o = ours.get(key);
      if (spec.reference) {
        if (!o) {
          plan.inserts.push(theirs);
          result.added++;
          present.get(spec.table)!.add(key);
        } else if (canonical(hashCols, o) === canonical(hashCols, theirs)) result.unchanged++;
        else result.keptOurs++;
        continue;
      }
      if (spec.table === 'finding_evidence') {
        // A link needs both ends; one we deleted after an earlier merge stays deleted, and so does the link.
        if (!present.get('findings')!.has(String(theirs.finding_id)) || !present.get('evidence')!.has(String(theirs.evidence_id))) {
          result.skippedDeleted++;
          continue;
        }
      }
      const t = canonical(hashCols, theirs)!;
      const ht = contentHash(t);
      const bkey = `${spec.table}\u0001${key}`;
      const base = bases.get(bkey);
      const conflict = (oursRow: Row | null) => {
        plan.conflicts.push({ recordId: key, ours: oursRow, theirs });
        result.conflicts++;
      };
      if (!o) {
        if (base === undefined) {
          plan.inserts.push(theirs);
          plan.bases.push([key, ht]);
          present.get(spec.table)!.add(key);
          result.added++;
        } else if (base === ht) result.skippedDeleted++;
        else conflict(null);
        continue;
      }
      const c = canonical(hashCols, o)!;
      if (c === t) {
        result.unchanged++;
        if (base !== ht) plan.bases.push([key, ht]);
        continue;
      }
      const hc = contentHash(c);
      let decision: 'theirs' | 'ours' | 'conflict';
      if (base !== undefined) decision = base === hc ? 'theirs' : base === ht ? 'ours' : 'conflict';
      else {
        const rb = reverse.get(bkey);
        if (rb !== undefined) decision = rb === ht ? 'ours' : rb === hc ? 'theirs' : 'conflict';
        else {
          const auditTable = spec.table;
          const ourHistory = historyHashes(target, auditTable, spec.localId ? String(o[spec.localId]) : key, hashCols, c);
          const theirHistory = historyHashes(source as Pick<Workspace, 'all'>, auditTable, spec.localId ? String(theirs[spec.localId]) : key, hashCols, t);
          const weMovedOn = ourHistory.has(ht);
          const theyMovedOn = theirHistory.has(hc);
          decision = weMovedOn && !theyMovedOn ? 'ours' : theyMovedOn && !weMovedOn ? 'theirs' : 'conflict';
        }
      }
      if (decision === 'theirs') {
        plan.updates.push({ before: o, after: theirs });
        plan.bases.push([key, ht]);
        result.updated++;
      } else if (decision === 'ours') result.keptOurs++;
      else conflict(o);
    }
  }

  const newConflicts = plans.flatMap((p) =>
    p.conflicts.map((c) => {
      const open = openConflicts.get(`${p.spec.table}\u0001${c.recordId}`);
      const theirs = JSON.stringify(c.theirs, blobSafe);
      const info: MergeConflictInfo = { id: open?.id ?? newId(), table: p.spec.table, recordId: c.recordId, alreadyListed: !!open && open.theirs === theirs };
      conflicts.push(info);
      return { ...c, info, theirsJson: theirs, open };
    }),
  );
  if (sharedIdentity) for (const p of plans) p.bases = [];
  const changed = plans.some((p) => p.inserts.length || p.updates.length || p.bases.length) || newConflicts.some((c) => !c.info.alreadyListed);
  if (!changed) return { peerWorkspaceId: peer, peerName, tables, conflicts, importId: null, changed: false, sharedIdentity };

  const importId = newId();
  const actor = opts.actor ?? 'unknown';
  await target.write(
    'merge',
    (tx) => {
      const total = Object.values(tables).reduce((n, r) => n + r.added + r.updated, 0);
      tx.run('INSERT INTO imports(id, kind, file_name, file_hash, edition, rows, imported_by, imported_at, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        importId,
        'merge',
        opts.sourceFileName ?? peerName,
        opts.sourceFileHash ?? '',
        peerName,
        total,
        actor,
        tx.at,
        JSON.stringify({ peerWorkspaceId: peer, tables }),
      ]);
      for (const p of plans) applyPlan(tx, p, peer);
      for (const c of newConflicts) {
        if (c.info.alreadyListed) continue;
        const ours = c.ours ? JSON.stringify(c.ours, blobSafe) : 'null';
        if (c.open) {
          tx.run('UPDATE merge_conflicts SET ours = ?, theirs = ?, detected_at = ? WHERE id = ?', [ours, c.theirsJson, tx.at, c.open.id]);
        } else {
          tx.run('INSERT INTO merge_conflicts(id, peer_workspace_id, table_name, record_id, ours, theirs, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
            c.info.id,
            peer,
            c.info.table,
            c.recordId,
            ours,
            c.theirsJson,
            tx.at,
          ]);
        }
        audit(tx, 'merge.conflict', c.info.table, c.recordId, c.ours, c.theirs);
      }
      audit(tx, 'merge', 'imports', importId, null, { peerWorkspaceId: peer, peerName, tables, conflicts: conflicts.length });
    },
    { actor, unjournaled: true },
  );
  return { peerWorkspaceId: peer, peerName, tables, conflicts, importId, changed: true, sharedIdentity };
}

function blobSafe(_k: string, v: unknown): unknown {
  return v instanceof Uint8Array ? `<${v.length} bytes>` : v;
}

function applyPlan(tx: Tx, p: Plan, peer: string): void {
  const { spec } = p;
  const cols = p.cols.filter((c) => c !== spec.localId);
  if (p.inserts.length) {
    const sql = `INSERT INTO "${spec.table}"(${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
    try {
      tx.runMany(sql, p.inserts.map((r) => cols.map((c) => r[c] ?? null)));
    } catch (e) {
      throw new WorkspaceError('invalid', `Could not add ${spec.table} from the other workspace: ${(e as Error).message}. Nothing was merged.`);
    }
    tx.note({ table: spec.table, op: 'insert' });
  }
  if (p.updates.length) {
    const set = cols.filter((c) => !spec.key.includes(c));
    const sql = `UPDATE "${spec.table}" SET ${set.map((c) => `"${c}" = ?`).join(', ')} WHERE ${spec.key.map((k) => `"${k}" = ?`).join(' AND ')}`;
    tx.runMany(sql, p.updates.map((u) => [...set.map((c) => u.after[c] ?? null), ...spec.key.map((k) => u.after[k] ?? null)]));
    for (const u of p.updates) audit(tx, 'merge.update', spec.table, spec.localId ? String(u.before[spec.localId]) : recordKey(spec, u.after), u.before, u.after);
    tx.note({ table: spec.table, op: 'update' });
  }
  if (p.bases.length) {
    tx.runMany(
      'INSERT OR REPLACE INTO merge_bases(peer_workspace_id, table_name, record_id, hash) VALUES (?, ?, ?, ?)',
      p.bases.map(([k, h]) => [peer, spec.table, k, h]),
    );
  }
}

/**
 * Settles a listed conflict: keep ours, or take theirs. Either way the base becomes their version, so the next merge
 * sees that they have not changed it since and leaves our (now settled) record alone; if they change it again, that is
 * a new conflict.
 */
export function resolveConflict(tx: Tx, conflictId: string, choice: 'ours' | 'theirs', by: string): void {
  const c = tx.get<{ peer_workspace_id: string; table_name: string; record_id: string; ours: string; theirs: string; resolved_at: string | null }>(
    'SELECT * FROM merge_conflicts WHERE id = ?',
    [conflictId],
  );
  if (!c) throw new WorkspaceError('not-found-record', `merge conflict ${conflictId} does not exist`);
  if (c.resolved_at) throw new WorkspaceError('conflict', `merge conflict ${conflictId} was already resolved`);
  const spec = SPECS.find((s) => s.table === c.table_name);
  if (!spec || spec.reference) throw new WorkspaceError('invalid', `merge conflict ${conflictId} is on ${c.table_name}, which merging never puts in conflict`);
  const theirs = JSON.parse(c.theirs) as Row;
  const cols = columnsOf(tx, spec.table).filter((col) => col !== spec.localId);
  if (choice === 'theirs') {
    const where = spec.key.map((k) => `"${k}" = ?`).join(' AND ');
    const keyVals = spec.key.map((k) => theirs[k] ?? null);
    const before = tx.get<Row>(`SELECT * FROM "${spec.table}" WHERE ${where}`, keyVals);
    if (before) {
      const set = cols.filter((col) => !spec.key.includes(col));
      tx.run(`UPDATE "${spec.table}" SET ${set.map((col) => `"${col}" = ?`).join(', ')} WHERE ${where}`, [...set.map((col) => theirs[col] ?? null), ...keyVals]);
    } else {
      tx.run(`INSERT INTO "${spec.table}"(${cols.map((col) => `"${col}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, cols.map((col) => theirs[col] ?? null));
    }
    audit(tx, 'merge.resolve', spec.table, c.record_id, before ?? null, theirs);
  } else {
    audit(tx, 'merge.resolve', spec.table, c.record_id, null, { kept: 'ours' });
  }
  const hashCols = contentColumns(spec, columnsOf(tx, spec.table));
  tx.run('INSERT OR REPLACE INTO merge_bases(peer_workspace_id, table_name, record_id, hash) VALUES (?, ?, ?, ?)', [
    c.peer_workspace_id,
    spec.table,
    c.record_id,
    contentHash(canonical(hashCols, theirs)!),
  ]);
  tx.run('UPDATE merge_conflicts SET resolved_by = ?, resolved_at = ?, resolution = ? WHERE id = ?', [by, tx.at, choice, conflictId]);
  tx.note({ table: spec.table, op: 'update' });
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

/** The conflicts a merge left for a person, newest first: for the app's conflict list. */
export function listConflicts(ws: Pick<Workspace, 'all'>, opts: { unresolvedOnly?: boolean } = {}): MergeConflictRow[] {
  return ws
    .all<Record<string, string | null>>(
      `SELECT * FROM merge_conflicts ${opts.unresolvedOnly ? 'WHERE resolved_at IS NULL' : ''} ORDER BY detected_at DESC, table_name, record_id`,
    )
    .map((c) => ({
      id: c.id!,
      peerWorkspaceId: c.peer_workspace_id!,
      table: c.table_name!,
      recordId: c.record_id!,
      ours: JSON.parse(c.ours!) as Record<string, unknown> | null,
      theirs: JSON.parse(c.theirs!) as Record<string, unknown>,
      detectedAt: c.detected_at!,
      resolvedBy: c.resolved_by ?? null,
      resolvedAt: c.resolved_at ?? null,
      resolution: c.resolution ?? null,
    }));
}
