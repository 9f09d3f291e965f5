import type { Tx } from '../store/workspace';
import type { Db } from '../store/query';
import { audit } from '../store/audit';
import { allEvidence, EVIDENCE_KINDS, insertEvidence, SENSITIVITIES, updateEvidence, type EvidenceRecord, type Sensitivity } from '../store/evidence';
import { locationIds } from '../store/locations';
import { areaReviewIds } from '../store/area-reviews';
import { newId } from '../util/runtime';
import { LIMITS } from '../util/limits';
import { webAddress } from '../util/web-address';
import { badDateMessage, parseDate } from './dates';
import { problemAt, type RowPosition } from './problems';
import { MappedImporter, type ColumnMap, type TargetField } from './mapping';
import { auditImport, emptyCounts, loose, recordImport, type ImportRecord, type TableCounts } from './table';

/**
 * A register of evidence sources (the spreadsheet inspectors keep: interviews held, documents received, case files
 * read). Each row becomes an evidence record. Re-importing an updated register updates records rather than adding
 * them again, so a row needs a stable identity: its `id` if the register has one, else its reference (which must then
 * be unique in the file), else its title, date collected and collector together.
 */

export const EVIDENCE_TARGETS: readonly TargetField[] = [
  { target: 'id', label: 'id', required: false, aliases: ['evidence id'], max: LIMITS.name },
  { target: 'kind', label: 'kind', required: true, aliases: ['type', 'evidence type', 'evidence kind'] },
  { target: 'title', label: 'title', required: true, aliases: ['name', 'description', 'evidence'], max: LIMITS.title },
  { target: 'reference', label: 'reference', required: false, aliases: ['ref', 'ref no', 'reference number'], max: LIMITS.reference },
  { target: 'summary', label: 'summary', required: false, aliases: ['notes', 'abstract'], max: LIMITS.summary },
  { target: 'collected_on', label: 'collected on', required: false, aliases: ['date collected', 'date', 'collected'] },
  { target: 'collected_by', label: 'collected by', required: false, aliases: ['collector', 'inspector', 'author'], max: LIMITS.name },
  { target: 'sensitivity', label: 'sensitivity', required: true, aliases: ['classification', 'security classification', 'protective marking'] },
  { target: 'location', label: 'location', required: false, aliases: ['location id', 'location_id'] },
  { target: 'area_review', label: 'area review', required: false, aliases: ['area review id', 'area_review_id', 'review'] },
  // The source as a reference, printed in the notes of a public edition.
  { target: 'publisher', label: 'publisher or author', required: false, aliases: ['publisher', 'published by'], max: LIMITS.organisation },
  { target: 'published_on', label: 'date published', required: false, aliases: ['published', 'publication date', 'date of publication'] },
  { target: 'url', label: 'web address', required: false, aliases: ['url', 'link', 'web link', 'web address'], max: LIMITS.reference },
  { target: 'accessed_on', label: 'date accessed', required: false, aliases: ['accessed', 'date viewed', 'retrieved'] },
];

/** The field each target fills: only mapped targets are written, so a register without summaries keeps them. */
const FIELD_OF = {
  kind: 'kind',
  title: 'title',
  reference: 'reference',
  summary: 'summary',
  collected_on: 'collectedOn',
  collected_by: 'collectedBy',
  sensitivity: 'sensitivity',
  location: 'locationId',
  area_review: 'areaReviewId',
  publisher: 'publisher',
  published_on: 'publishedOn',
  url: 'url',
  accessed_on: 'accessedOn',
} as const satisfies Record<string, keyof EvidenceRecord>;
type Target = keyof typeof FIELD_OF;

export interface EvidenceContext {
  locationIds: ReadonlySet<string>;
  areaReviewIds: ReadonlySet<string>;
  /** The evidence already in the workspace, by the identities a row can match (see {@link identitiesOf}). */
  existing?: ReadonlyMap<string, { id: string; title: string; sensitivity: string }>;
}

export interface EvidenceImportOptions {
  /**
   * Let rows lower the sensitivity of evidence already in the workspace (personal to public, say). Without it such a
   * row is a problem: a lower sensitivity lets restricted material into public editions, and a register re-imported
   * from an old copy must not do that unnoticed. Allowed, each lowering is a warning and an audit entry.
   */
  allowLowerSensitivity?: boolean;
}

/** The keys a stored record is found by: its id, and its reference, or (without one) its title, date and collector. */
function identitiesOf(e: Pick<EvidenceRecord, 'id' | 'title' | 'reference' | 'collectedOn' | 'collectedBy'>): string[] {
  const keys = [`id\u0001${e.id}`];
  if (e.reference) keys.push(`ref\u0001${e.reference}`);
  else keys.push(`t\u0001${e.title}\u0001${e.collectedOn ?? ''}\u0001${e.collectedBy ?? ''}`);
  return keys;
}

/** Rank of a sensitivity: public lowest, personal highest. */
const rankOf = (s: string): number => (SENSITIVITIES as readonly string[]).indexOf(s);

export function evidenceContext(db: Db): EvidenceContext {
  const existing = new Map<string, { id: string; title: string; sensitivity: string }>();
  for (const e of allEvidence(db)) {
    for (const key of identitiesOf(e)) existing.set(key, { id: e.id, title: e.title, sensitivity: e.sensitivity });
  }
  return { locationIds: locationIds(db), areaReviewIds: areaReviewIds(db), existing };
}

export interface EvidenceImportSummary {
  rowsRead: number;
  tables: { evidence: TableCounts };
}

interface EvidenceRec {
  id: string | null;
  values: Record<string, string | null>;
  identity: string;
  pos: RowPosition;
}

const KIND_BY_LOOSE = new Map(EVIDENCE_KINDS.map((k) => [loose(k), k]));
const SENSITIVITY_BY_LOOSE = new Map(SENSITIVITIES.map((s) => [loose(s), s]));

export class EvidenceImporter extends MappedImporter<EvidenceImportSummary> {
  readonly kind = 'evidence';
  private readonly records: EvidenceRec[] = [];
  private readonly identities = new Map<string, RowPosition>();
  /** Evidence whose sensitivity this import lowers (allowed), with the sensitivity it had. */
  private readonly lowered = new Map<string, string>();

  constructor(
    private readonly ctx: EvidenceContext,
    map: ColumnMap = {},
    private readonly opts: EvidenceImportOptions = {},
  ) {
    super(EVIDENCE_TARGETS, map);
  }

  protected onMappedRow(fields: string[], pos: RowPosition): void {
    const before = this.problemCount;
    const bad = (code: Parameters<typeof problemAt>[0], target: string, message: string) => this.problemIn(pos, code, target, message);
    const values: Record<string, string | null> = {};
    for (const t of Object.keys(FIELD_OF)) if (this.index[t] !== undefined) values[t] = this.get(fields, t) || null;

    const kindText = this.get(fields, 'kind');
    const kind = KIND_BY_LOOSE.get(loose(kindText));
    if (!kind) bad(kindText ? 'unknown-value' : 'required', 'kind', `"${kindText}" is not a kind of evidence (expected one of: ${EVIDENCE_KINDS.join(', ')})`);
    else values.kind = kind;
    if (!this.get(fields, 'title')) bad('required', 'title', 'the title is empty');
    // No default sensitivity: guessing "public" for a personal interview note would let it into a public export.
    const sensText = this.get(fields, 'sensitivity');
    const sensitivity = SENSITIVITY_BY_LOOSE.get(loose(sensText));
    if (!sensitivity) bad(sensText ? 'unknown-value' : 'required', 'sensitivity', `"${sensText}" is not a sensitivity (expected one of: ${SENSITIVITIES.join(', ')})`);
    else values.sensitivity = sensitivity;
    for (const t of ['collected_on', 'published_on', 'accessed_on'] as const) {
      const v = values[t];
      if (!v) continue;
      const d = parseDate(v);
      if (!d) bad('bad-date', t, badDateMessage(v));
      else values[t] = d;
    }
    if (values.url && !webAddress.safeParse(values.url).success) bad('unknown-value', 'url', `"${values.url}" is not a web address (it must start https:// or http://)`);
    if (values.location && !this.ctx.locationIds.has(values.location)) bad('unknown-value', 'location', `"${values.location}" is not a location in this workspace`);
    if (values.area_review && !this.ctx.areaReviewIds.has(values.area_review)) bad('unknown-value', 'area_review', `"${values.area_review}" is not an area review in this workspace`);
    const id = this.get(fields, 'id') || null;
    const identity = id
      ? `id\u0001${id}`
      : values.reference
        ? `ref\u0001${values.reference}`
        : `t\u0001${values.title}\u0001${values.collected_on ?? ''}\u0001${values.collected_by ?? ''}`;
    if (this.problemCount !== before) return;
    const prev = this.identities.get(identity);
    if (prev) {
      const target = id ? 'id' : values.reference ? 'reference' : 'title';
      bad('duplicate-key', target, `duplicate key within the file: the same evidence (${id ? 'id' : values.reference ? 'reference' : 'title, date and collector'}) is also on row ${prev.row}`);
      return;
    }
    this.identities.set(identity, pos);
    const prior = this.ctx.existing?.get(identity);
    if (prior && values.sensitivity && rankOf(values.sensitivity) < rankOf(prior.sensitivity)) {
      const what = `this would lower the sensitivity of “${prior.title}” from ${prior.sensitivity} to ${values.sensitivity} (evidence ${prior.id})`;
      if (!this.opts.allowLowerSensitivity) {
        bad(
          'lowers-sensitivity',
          'sensitivity',
          `${what}; a lower sensitivity can let restricted material into a public edition, so an import only lowers one when told to ` +
            '(assay import evidence … --allow-lower-sensitivity)',
        );
        return;
      }
      this.warn(problemAt('lowers-sensitivity', pos, this.column('sensitivity'), `${what}: allowed for this import, and recorded in the audit log`));
      this.lowered.set(prior.id, prior.sensitivity);
    }
    this.records.push({ id, values, identity, pos });
  }

  write(tx: Tx, record: ImportRecord): { summary: EvidenceImportSummary; changed: number } {
    if (!this.ok) throw new Error('An import with problems must not be written.');
    const counts = emptyCounts();
    const byIdentity = new Map<string, EvidenceRecord>();
    for (const e of allEvidence(tx)) for (const key of identitiesOf(e)) byIdentity.set(key, e);
    const inserts: EvidenceRecord[] = [];
    const updates: { before: EvidenceRecord; after: EvidenceRecord }[] = [];
    for (const r of this.records) {
      const mapped: Partial<Record<(typeof FIELD_OF)[Target], string | null>> = {};
      for (const [t, v] of Object.entries(r.values)) mapped[FIELD_OF[t as Target]] = v;
      const e = byIdentity.get(r.identity);
      if (!e) {
        inserts.push({
          id: r.id ?? newId(),
          kind: mapped.kind!,
          title: mapped.title!,
          reference: mapped.reference ?? null,
          summary: mapped.summary ?? null,
          collectedOn: mapped.collectedOn ?? null,
          collectedBy: mapped.collectedBy ?? null,
          sensitivity: mapped.sensitivity as Sensitivity,
          attachmentHash: null,
          attachmentName: null,
          verifiedBy: null,
          verifiedAt: null,
          areaReviewId: mapped.areaReviewId ?? null,
          locationId: mapped.locationId ?? null,
          importId: record.id,
          publisher: mapped.publisher ?? null,
          publishedOn: mapped.publishedOn ?? null,
          url: mapped.url ?? null,
          accessedOn: mapped.accessedOn ?? null,
          createdAt: tx.at,
          updatedAt: tx.at,
        });
        continue;
      }
      const changed = (Object.keys(mapped) as (keyof typeof mapped)[]).filter((f) => (e[f] ?? null) !== mapped[f]);
      if (changed.length) updates.push({ before: e, after: { ...e, ...mapped, updatedAt: tx.at } as EvidenceRecord });
      else counts.unchanged++;
    }
    counts.added = inserts.length;
    counts.updated = updates.length;
    const summary: EvidenceImportSummary = { rowsRead: this.rowsRead, tables: { evidence: counts } };
    const changed = inserts.length + updates.length;
    if (changed === 0) return { summary, changed };
    recordImport(tx, { ...record, source: record.source ?? 'Inspection evidence records' });
    insertEvidence(tx, inserts, { audited: true });
    updateEvidence(tx, updates);
    for (const u of updates) {
      const was = u.before.sensitivity;
      const now = u.after.sensitivity;
      if (this.lowered.has(u.before.id) && rankOf(now) < rankOf(was)) {
        // Its own entry, so that a search of the log for lowered sensitivities finds every one.
        audit(tx, 'evidence.sensitivity-lowered', 'evidence', u.before.id, { sensitivity: was }, { sensitivity: now, importId: record.id });
      }
    }
    auditImport(tx, record, summary);
    return { summary, changed };
  }
}
