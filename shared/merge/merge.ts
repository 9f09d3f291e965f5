import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { SqlValue, Tx, Workspace } from '../store/workspace';
import type { TableName } from '../store/schema';
import type { Db } from '../store/query';
import { audit, blobSafe, recordHistory } from '../store/audit';
import { WorkspaceError } from '../store/errors';
import { recordImport } from '../store/imports';
import { allLocalAuthorities, allLocations } from '../store/locations';
import { ratedLocationIds } from '../store/ratings';
import { inspectedLocationIds } from '../store/inspections';
import { evidenceReferences } from '../store/evidence';
import { findingSubjects } from '../store/findings';
import { assessedSubjects } from '../store/assessments';
import { reviewedLocalAuthorities } from '../store/area-reviews';
import {
  getConflict,
  insertTableRows,
  markConflictResolved,
  mergeBases,
  openConflicts as openConflictsWith,
  recordRef,
  saveConflict,
  setMergeBases,
  tableColumns,
  tableRow,
  tableRows,
  updateTableRows,
  type Row,
} from '../store/replica';
import { newId } from '../util/runtime';

export { listConflicts, type MergeConflictRow } from '../store/replica';

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
  /** Work out what the merge would do and return it, writing nothing (the app's preview before "Bring in"). */
  dryRun?: boolean;
}

type Reader = Pick<Workspace, 'all' | 'get' | 'metaValue'>;

interface TableSpec {
  table: TableName;
  key: readonly string[];
  /** Columns that are bookkeeping, not content: left out of the content hash. */
  ignore: readonly string[];
  /** Reference data: added when missing, never updated or in conflict. */
  reference?: boolean;
  /** A local integer id that is not copied (ratings). */
  localId?: string;
  /** Restricts which source rows are merged (reference data: only what merged records need). */
  needed?: (ids: Needed) => Set<string> | undefined;
  /** Records this one belongs to: a row whose parent is neither here nor coming (we deleted it) is not brought back. */
  parents?: readonly { table: TableName; column: string }[];
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
  // Assessment frameworks are data seeded by a migration and changed only by later ones: reference data.
  { table: 'assessment_frameworks', key: ['id'], ignore: [], reference: true },
  { table: 'framework_versions', key: ['id'], ignore: [], reference: true },
  { table: 'framework_groups', key: ['framework_id', 'id'], ignore: [], reference: true },
  { table: 'quality_statements', key: ['id'], ignore: [], reference: true },
  { table: 'evidence_categories', key: ['id'], ignore: [], reference: true },
  { table: 'attachments', key: ['hash'], ignore: ['created_at'], reference: true, needed: (n) => n.attachments },
  { table: 'inspections', key: ['id'], ignore: ['updated_at'] },
  { table: 'assessments', key: ['id'], ignore: ['updated_at'] },
  { table: 'assessment_scores', key: ['assessment_id', 'quality_statement_id'], ignore: ['updated_at'], parents: [{ table: 'assessments', column: 'assessment_id' }] },
  {
    table: 'assessment_category_scores',
    key: ['assessment_id', 'quality_statement_id', 'evidence_category_id'],
    ignore: ['updated_at'],
    parents: [{ table: 'assessments', column: 'assessment_id' }],
  },
  { table: 'assessment_ratings', key: ['assessment_id', 'key_question_id'], ignore: ['updated_at'], parents: [{ table: 'assessments', column: 'assessment_id' }] },
  { table: 'ratings', key: ['location_id', 'service_group', 'key_question_id', 'published_on'], ignore: ['updated_at', 'import_id'], localId: 'id' },
  { table: 'area_reviews', key: ['id'], ignore: ['updated_at'] },
  { table: 'area_review_themes', key: ['area_review_id', 'theme_id'], ignore: [], parents: [{ table: 'area_reviews', column: 'area_review_id' }] },
  { table: 'evidence', key: ['id'], ignore: ['updated_at', 'import_id'] },
  { table: 'findings', key: ['id'], ignore: ['updated_at'] },
  {
    table: 'finding_evidence',
    key: ['finding_id', 'evidence_id'],
    ignore: [],
    parents: [
      { table: 'findings', column: 'finding_id' },
      { table: 'evidence', column: 'evidence_id' },
    ],
  },
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

/**
 * The merge base of a record a workspace hands to a peer as it is (an inspector's workspace made from ours): its
 * identity and content hash, as the peer will file it. Undefined for reference data, which never has a base.
 */
export function mergeBaseOf(db: Db, table: TableName, row: Row): readonly [recordId: string, hash: string] | undefined {
  const spec = SPECS.find((s) => s.table === table);
  if (!spec || spec.reference) return undefined;
  return [recordKey(spec, row), contentHash(canonical(contentColumns(spec, tableColumns(db, table)), row)!)];
}

function emptyResult(): MergeTableResult {
  return { added: 0, updated: 0, unchanged: 0, conflicts: 0, keptOurs: 0, skippedDeleted: 0 };
}

/** What the merged records need from the source's registration data. */
function neededRefs(source: Db): Needed {
  const refs = evidenceReferences(source);
  const locations = new Set([...ratedLocationIds(source), ...inspectedLocationIds(source), ...refs.locationIds, ...findingSubjects(source, 'location')]);
  const providers = new Set(findingSubjects(source, 'provider'));
  for (const id of assessedSubjects(source, 'location')) locations.add(id);
  for (const id of assessedSubjects(source, 'provider')) providers.add(id);
  const localAuthorities = new Set([...reviewedLocalAuthorities(source), ...assessedSubjects(source, 'local authority')]);
  const regions = new Set<string>();
  for (const l of allLocations(source)) {
    if (!locations.has(l.id)) continue;
    if (l.providerId) providers.add(l.providerId);
    if (l.localAuthorityId) localAuthorities.add(l.localAuthorityId);
    if (l.regionId) regions.add(l.regionId);
  }
  for (const la of allLocalAuthorities(source)) {
    if (localAuthorities.has(la.id)) regions.add(la.regionId);
  }
  return { locations, providers, localAuthorities, regions, attachments: new Set(refs.attachmentHashes) };
}

/** Hashes of every earlier version of each record in a workspace's audit log, by table and audit record id. */
function historyHashes(ws: Db, table: string, auditId: string, cols: readonly string[], current: string): Set<string> {
  const out = new Set<string>();
  for (const a of recordHistory(ws, table, auditId)) {
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
  const bases = sharedIdentity ? new Map<string, string>() : mergeBases(target, peer);
  // What the source last agreed with us, if it ever merged from us: a base seen from the other side.
  const reverse = self && !sharedIdentity ? mergeBases(source, self) : new Map<string, string>();
  const openConflicts = openConflictsWith(target, peer);

  const tables: Record<string, MergeTableResult> = {};
  const conflicts: MergeConflictInfo[] = [];
  const plans: Plan[] = [];
  // Rows this merge will add, so children (finding_evidence) can tell a parent that is coming from one that is gone.
  const present = new Map<string, Set<string>>();

  for (const spec of SPECS) {
    const result = emptyResult();
    tables[spec.table] = result;
    const cols = tableColumns(target, spec.table);
    const sourceCols = new Set(tableColumns(source, spec.table));
    const missing = cols.filter((c) => !sourceCols.has(c) && c !== spec.localId);
    if (missing.length) throw new WorkspaceError('invalid', `The workspace to merge from has no column ${spec.table}.${missing[0]}: open it in this version of Assay first, so it is updated.`);
    const hashCols = contentColumns(spec, cols);
    const ours = new Map<string, Row>();
    for (const r of tableRows(target, spec.table)) ours.set(recordKey(spec, r), r);
    present.set(spec.table, new Set(ours.keys()));
    const only = spec.needed?.(needed);
    const plan: Plan = { spec, cols, inserts: [], updates: [], bases: [], conflicts: [] };
    plans.push(plan);
    for (const theirs of tableRows(source, spec.table)) {
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
      // A record needs what it belongs to; one we deleted after an earlier merge stays deleted, and so do its parts.
      if (spec.parents?.some((p) => !present.get(p.table)!.has(String(theirs[p.column])))) {
        result.skippedDeleted++;
        continue;
      }
      const t = canonical(hashCols, theirs)!;
      const ht = contentHash(t);
      const bkey = recordRef(spec.table, key);
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
          const theirHistory = historyHashes(source, auditTable, spec.localId ? String(theirs[spec.localId]) : key, hashCols, t);
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
      const open = openConflicts.get(recordRef(p.spec.table, c.recordId));
      const theirs = JSON.stringify(c.theirs, blobSafe);
      const info: MergeConflictInfo = { id: open?.id ?? newId(), table: p.spec.table, recordId: c.recordId, alreadyListed: !!open && open.theirs === theirs };
      conflicts.push(info);
      return { ...c, info, theirsJson: theirs, open };
    }),
  );
  if (sharedIdentity) for (const p of plans) p.bases = [];
  const changed = plans.some((p) => p.inserts.length || p.updates.length || p.bases.length) || newConflicts.some((c) => !c.info.alreadyListed);
  if (!changed || opts.dryRun) return { peerWorkspaceId: peer, peerName, tables, conflicts, importId: null, changed, sharedIdentity };

  const importId = newId();
  const actor = opts.actor ?? 'unknown';
  await target.write(
    'merge',
    (tx) => {
      const total = Object.values(tables).reduce((n, r) => n + r.added + r.updated, 0);
      recordImport(tx, {
        id: importId,
        kind: 'merge',
        fileName: opts.sourceFileName ?? peerName,
        fileHash: opts.sourceFileHash ?? '',
        edition: peerName,
        rows: total,
        importedBy: actor,
        importedAt: tx.at,
        notes: JSON.stringify({ peerWorkspaceId: peer, tables }),
      });
      for (const p of plans) applyPlan(tx, p, peer);
      for (const c of newConflicts) {
        if (c.info.alreadyListed) continue;
        const ours = c.ours ? JSON.stringify(c.ours, blobSafe) : 'null';
        saveConflict(tx, { id: c.info.id, peerWorkspaceId: peer, table: c.info.table, recordId: c.recordId, ours, theirs: c.theirsJson, listed: !!c.open });
        audit(tx, 'merge.conflict', c.info.table, c.recordId, c.ours, c.theirs);
      }
      audit(tx, 'merge', 'imports', importId, null, { peerWorkspaceId: peer, peerName, tables, conflicts: conflicts.length });
    },
    { actor, unjournaled: true },
  );
  return { peerWorkspaceId: peer, peerName, tables, conflicts, importId, changed: true, sharedIdentity };
}

function applyPlan(tx: Tx, p: Plan, peer: string): void {
  const { spec } = p;
  const cols = p.cols.filter((c) => c !== spec.localId);
  if (p.inserts.length) {
    try {
      insertTableRows(tx, spec.table, cols, p.inserts);
    } catch (e) {
      throw new WorkspaceError('invalid', `Could not add ${spec.table} from the other workspace: ${(e as Error).message}. Nothing was merged.`);
    }
    tx.note({ table: spec.table, op: 'insert' });
  }
  if (p.updates.length) {
    updateTableRows(
      tx,
      spec.table,
      spec.key,
      cols,
      p.updates.map((u) => u.after),
    );
    for (const u of p.updates) audit(tx, 'merge.update', spec.table, spec.localId ? String(u.before[spec.localId]) : recordKey(spec, u.after), u.before, u.after);
    tx.note({ table: spec.table, op: 'update' });
  }
  if (p.bases.length) setMergeBases(tx, peer, spec.table, p.bases);
}

/** How a person settles a conflict: keep our record, take theirs, or write their own from the two. */
export type ConflictChoice = { choice: 'ours' } | { choice: 'theirs' } | { choice: 'edit'; values: Record<string, SqlValue> };

/** The columns of a conflicted record a person may edit: its content, not its identity or bookkeeping. */
export function editableColumns(db: Db, table: string): string[] {
  const spec = SPECS.find((s) => s.table === table);
  if (!spec || spec.reference) return [];
  return tableColumns(db, spec.table).filter((c) => !spec.key.includes(c) && !spec.ignore.includes(c) && c !== spec.localId);
}

/**
 * Settles a listed conflict: keep ours, take theirs, or an edited record (ours, or theirs where we had none, with the
 * person's values for content columns). Whichever, the base becomes their version, so the next merge sees that they
 * have not changed it since and leaves our (now settled) record alone; if they change it again, that is a new conflict.
 */
export function resolveConflict(tx: Tx, conflictId: string, settle: ConflictChoice | 'ours' | 'theirs', by: string): void {
  const how: ConflictChoice = typeof settle === 'string' ? { choice: settle } : settle;
  const c = getConflict(tx, conflictId);
  if (!c) throw new WorkspaceError('not-found-record', `merge conflict ${conflictId} does not exist`);
  if (c.resolvedAt) throw new WorkspaceError('conflict', `merge conflict ${conflictId} was already resolved`);
  const spec = SPECS.find((s) => s.table === c.table);
  if (!spec || spec.reference) throw new WorkspaceError('invalid', `merge conflict ${conflictId} is on ${c.table}, which merging never puts in conflict`);
  const theirs = c.theirs as Row;
  const cols = tableColumns(tx, spec.table).filter((col) => col !== spec.localId);
  let written: Row | null = null;
  if (how.choice === 'theirs') written = theirs;
  else if (how.choice === 'edit') {
    const editable = new Set(editableColumns(tx, spec.table));
    const bad = Object.keys(how.values).find((k) => !editable.has(k));
    if (bad !== undefined) throw new WorkspaceError('invalid', `“${bad}” cannot be edited when settling a conflict: only a record's content can.`);
    const now = tableRow(
      tx,
      spec.table,
      spec.key,
      spec.key.map((k) => theirs[k] ?? null),
    );
    written = { ...theirs, ...(now ?? {}), ...how.values };
  }
  if (written) {
    const before = tableRow(
      tx,
      spec.table,
      spec.key,
      spec.key.map((k) => theirs[k] ?? null),
    );
    try {
      if (before) updateTableRows(tx, spec.table, spec.key, cols, [written]);
      else insertTableRows(tx, spec.table, cols, [written]);
    } catch (e) {
      throw new WorkspaceError('invalid', `The edited record could not be saved: ${(e as Error).message}. Nothing was changed.`);
    }
    audit(tx, 'merge.resolve', spec.table, c.recordId, before ?? null, written);
  } else {
    audit(tx, 'merge.resolve', spec.table, c.recordId, null, { kept: 'ours' });
  }
  const hashCols = contentColumns(spec, tableColumns(tx, spec.table));
  setMergeBases(tx, c.peerWorkspaceId, spec.table, [[c.recordId, contentHash(canonical(hashCols, theirs)!)]]);
  markConflictResolved(tx, conflictId, by, how.choice === 'edit' ? 'edited' : how.choice);
  tx.note({ table: spec.table, op: 'update' });
}
