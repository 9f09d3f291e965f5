import { sha256 } from '@noble/hashes/sha2.js';
import type { Tx, Workspace, SqlValue } from '../store/workspace';
import { WorkspaceError } from '../store/errors';
import { putAttachment, saveEvidence, RESTRICTED_SENSITIVITIES, type EvidenceInput, type EvidenceRow } from '../store/repo';
import { readSection, sentenceText } from './content';

/**
 * The evidence register: finding evidence by what it is, who collected it, when, how sensitive it is and whether it
 * has been verified; attaching files within a size limit; and everything that rests on an evidence source.
 */

/** Attachments live inside the workspace file, which is read whole into memory: large files make every save slow. */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

function mb(n: number): string {
  return `${(n / (1024 * 1024)).toLocaleString('en-GB', { maximumFractionDigits: 1 })} MB`;
}

/** Refuses a file over the limit with a message that says how big it is, what the limit is and what to do instead. */
export function checkAttachmentSize(size: number, name: string, limit = MAX_ATTACHMENT_BYTES): void {
  if (size > limit) {
    throw new WorkspaceError(
      'invalid',
      `“${name}” is ${mb(size)}; attachments can be at most ${mb(limit)}, because they are stored inside the workspace file. ` +
        'Attach a smaller copy (a PDF export, or the relevant pages), or record where the full file is kept in the evidence reference.',
    );
  }
  if (size === 0) throw new WorkspaceError('invalid', `“${name}” is empty (0 bytes); there is nothing to attach.`);
}

export function sha256Hex(bytes: Uint8Array): string {
  return Array.from(sha256(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Saves an evidence source with an attached file in one write: the bytes are stored once per content hash, and the
 * size limit is checked before anything is written.
 */
export function saveEvidenceWithAttachment(
  tx: Tx,
  input: EvidenceInput,
  file?: { name: string; mediaType: string; bytes: Uint8Array },
  limit = MAX_ATTACHMENT_BYTES,
): EvidenceRow {
  if (!file) return saveEvidence(tx, input);
  checkAttachmentSize(file.bytes.length, file.name, limit);
  const hash = sha256Hex(file.bytes);
  putAttachment(tx, { hash, bytes: file.bytes, mediaType: file.mediaType });
  return saveEvidence(tx, { ...input, attachmentHash: hash, attachmentName: file.name });
}

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

export interface EvidenceListRow {
  id: string;
  kind: string;
  title: string;
  reference: string | null;
  collectedOn: string | null;
  collectedBy: string | null;
  sensitivity: string;
  restricted: boolean;
  attachmentName: string | null;
  attachmentHash: string | null;
  attachmentSize: number | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
  findings: number;
  figures: number;
}

function list(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function listEvidence(ws: Pick<Workspace, 'all' | 'value'>, f: EvidenceFilters = {}): { total: number; rows: EvidenceListRow[] } {
  const c: string[] = [];
  const p: SqlValue[] = [];
  const inList = (col: string, xs: readonly string[]): void => {
    c.push(`${col} IN (${xs.map(() => '?').join(', ')})`);
    p.push(...xs);
  };
  if (f.search?.trim()) {
    const q = `%${f.search.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    c.push("(e.title LIKE ? ESCAPE '\\' OR e.reference LIKE ? ESCAPE '\\' OR e.summary LIKE ? ESCAPE '\\' OR e.collected_by LIKE ? ESCAPE '\\' OR e.id = ?)");
    p.push(q, q, q, q, f.search.trim());
  }
  const kinds = list(f.kind);
  if (kinds.length) inList('e.kind', kinds);
  const sens = list(f.sensitivity);
  if (sens.length) inList('e.sensitivity', sens);
  if (f.restricted !== undefined) {
    c.push(`e.sensitivity ${f.restricted ? '' : 'NOT '}IN (${RESTRICTED_SENSITIVITIES.map(() => '?').join(', ')})`);
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
  const total = Number(ws.value(`SELECT count(*) FROM evidence e ${w}`, p) ?? 0);
  const rows = ws.all<{
    id: string;
    kind: string;
    title: string;
    reference: string | null;
    collected_on: string | null;
    collected_by: string | null;
    sensitivity: string;
    attachment_name: string | null;
    attachment_hash: string | null;
    size: number | null;
    verified_by: string | null;
    verified_at: string | null;
    findings: number;
    figures: number;
  }>(
    `SELECT e.id, e.kind, e.title, e.reference, e.collected_on, e.collected_by, e.sensitivity, e.attachment_name, e.attachment_hash,
            a.size, e.verified_by, e.verified_at,
            (SELECT count(*) FROM finding_evidence fe WHERE fe.evidence_id = e.id) AS findings,
            (SELECT count(*) FROM figure_evidence ge WHERE ge.evidence_id = e.id) AS figures
       FROM evidence e LEFT JOIN attachments a ON a.hash = e.attachment_hash
       ${w}
      ORDER BY e.collected_on IS NULL, e.collected_on DESC, e.title COLLATE NOCASE
      LIMIT ? OFFSET ?`,
    [...p, f.limit ?? 1000, f.offset ?? 0],
  );
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      title: r.title,
      reference: r.reference,
      collectedOn: r.collected_on,
      collectedBy: r.collected_by,
      sensitivity: r.sensitivity,
      restricted: RESTRICTED_SENSITIVITIES.includes(r.sensitivity),
      attachmentName: r.attachment_name,
      attachmentHash: r.attachment_hash,
      attachmentSize: r.size,
      verifiedBy: r.verified_by,
      verifiedAt: r.verified_at,
      findings: r.findings,
      figures: r.figures,
    })),
  };
}

export interface CitedBy {
  evidenceId: string;
  findings: { id: string; text: string; status: string; subjectType: string; subjectId: string | null }[];
  figures: { id: string; slug: string; name: string }[];
  /** Sentences in reports that cite it directly. */
  sentences: { reportId: string; reportSlug: string; reportTitle: string; sectionId: string; sectionTitle: string; paragraph: number; sentence: number; text: string; locator?: string }[];
}

/** Everything that rests on an evidence source: the findings and figures linked to it and the sentences citing it. */
export function evidenceCitedBy(ws: Pick<Workspace, 'all' | 'get'>, evidenceId: string): CitedBy {
  if (!ws.get('SELECT 1 FROM evidence WHERE id = ?', [evidenceId])) throw new WorkspaceError('not-found-record', `There is no evidence ${evidenceId}.`);
  const findings = ws
    .all<{ id: string; text: string; status: string; subject_type: string; subject_id: string | null }>(
      `SELECT f.id, f.text, f.status, f.subject_type, f.subject_id FROM findings f JOIN finding_evidence fe ON fe.finding_id = f.id
        WHERE fe.evidence_id = ? ORDER BY f.updated_at DESC`,
      [evidenceId],
    )
    .map((f) => ({ id: f.id, text: f.text, status: f.status, subjectType: f.subject_type, subjectId: f.subject_id }));
  const figures = ws.all<{ id: string; slug: string; name: string }>(
    'SELECT g.id, g.slug, g.name FROM figures g JOIN figure_evidence ge ON ge.figure_id = g.id WHERE ge.evidence_id = ? ORDER BY g.name',
    [evidenceId],
  );
  const sentences: CitedBy['sentences'] = [];
  // The id as it appears in stored JSON narrows the sections to read without parsing every one.
  const rows = ws.all<{ id: string; title: string; content: string; report_id: string; slug: string; report_title: string }>(
    `SELECT s.id, s.title, s.content, s.report_id, r.slug, r.title AS report_title FROM sections s JOIN reports r ON r.id = s.report_id
      WHERE instr(s.content, ?) > 0 ORDER BY r.title, s.position`,
    [JSON.stringify(evidenceId)],
  );
  for (const s of rows) {
    const content = readSection(s.content, `Section “${s.title}”`);
    for (const sen of content.sentences) {
      const c = sen.citations.find((x) => x.evidenceId === evidenceId);
      if (!c) continue;
      sentences.push({
        reportId: s.report_id,
        reportSlug: s.slug,
        reportTitle: s.report_title,
        sectionId: s.id,
        sectionTitle: s.title,
        paragraph: sen.paragraph,
        sentence: sen.sentence,
        text: sentenceText(sen, () => '[figure]'),
        ...(c.locator ? { locator: c.locator } : {}),
      });
    }
  }
  return { evidenceId, findings, figures, sentences };
}

/** One evidence source's details for a review comment, or undefined when it is not in the workspace. */
export function evidenceDetail(
  ws: Pick<Workspace, 'get'>,
  id: string,
): { id: string; title: string; kind: string; reference: string | null; collectedOn: string | null; collectedBy: string | null; sensitivity: string; verifiedBy: string | null; verifiedAt: string | null; attachmentName: string | null } | undefined {
  const e = ws.get<EvidenceRow>('SELECT * FROM evidence WHERE id = ?', [id]);
  if (!e) return undefined;
  return {
    id: e.id,
    title: e.title,
    kind: e.kind,
    reference: e.reference,
    collectedOn: e.collected_on,
    collectedBy: e.collected_by,
    sensitivity: e.sensitivity,
    verifiedBy: e.verified_by,
    verifiedAt: e.verified_at,
    attachmentName: e.attachment_name,
  };
}
