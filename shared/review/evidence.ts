import { sha256 } from '@noble/hashes/sha2.js';
import type { Tx, Workspace } from '../store/workspace';
import { WorkspaceError } from '../store/errors';
import { attachmentOf, evidenceExists, filterEvidence, getEvidence, isRestricted, putAttachment, saveEvidence, type EvidenceFilters, type EvidenceInput, type EvidenceRecord } from '../store/evidence';
import { findingCountsByEvidence, findingsCiting } from '../store/findings';
import { figureCountsByEvidence, figuresCiting } from '../store/figures';
import { sectionsContaining } from '../store/reports';
import { readSection, sentenceText } from './content';

export type { EvidenceFilters };

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
 * An evidence source's attached file, checked before anyone opens it: its bytes must still hash to the fingerprint it
 * was stored under (a file edited outside Assay, or damaged on disk, is refused, naming it). The name is made safe to
 * write as a file name: no folders, no characters a file system refuses, never empty.
 */
export function checkedAttachment(ws: Pick<Workspace, 'all' | 'get'>, evidenceId: string): { name: string; mediaType: string; bytes: Uint8Array } {
  const a = attachmentOf(ws, evidenceId);
  if (!a) {
    if (!evidenceExists(ws, evidenceId)) throw new WorkspaceError('not-found', `There is no evidence source ${evidenceId}.`);
    throw new WorkspaceError('not-found', 'This evidence source has no attached file.');
  }
  const bytes = a.data instanceof Uint8Array ? a.data : new Uint8Array(a.data as ArrayLike<number>);
  if (bytes.length !== a.size || sha256Hex(bytes) !== a.hash) {
    throw new WorkspaceError(
      'conflict',
      `The attached file “${a.name}” is damaged: its content no longer matches the fingerprint it was stored with (SHA-256 ${a.hash.slice(0, 12)}…), so it was not opened. Attach the original file again.`,
    );
  }
  return { name: safeFileName(a.name), mediaType: a.mediaType, bytes };
}

/** A file name with no folder part and no character Windows, macOS or Linux refuses; "attachment" when nothing is left. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[<>:"|?*\u0000-\u001f]/g, '_').replace(/^[.\s]+|[.\s]+$/g, '').slice(0, 200);
  return clean || 'attachment';
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
): EvidenceRecord {
  if (!file) return saveEvidence(tx, input);
  checkAttachmentSize(file.bytes.length, file.name, limit);
  const hash = sha256Hex(file.bytes);
  putAttachment(tx, { hash, bytes: file.bytes, mediaType: file.mediaType });
  return saveEvidence(tx, { ...input, attachmentHash: hash, attachmentName: file.name });
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

/** The evidence register's page: each source with how many findings and figures rest on it. */
export function listEvidence(ws: Pick<Workspace, 'all' | 'get'>, f: EvidenceFilters = {}): { total: number; rows: EvidenceListRow[] } {
  const { total, rows } = filterEvidence(ws, f);
  const ids = rows.map((r) => r.id);
  const findings = findingCountsByEvidence(ws, ids);
  const figures = figureCountsByEvidence(ws, ids);
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      title: r.title,
      reference: r.reference,
      collectedOn: r.collectedOn,
      collectedBy: r.collectedBy,
      sensitivity: r.sensitivity,
      restricted: isRestricted(r.sensitivity),
      attachmentName: r.attachmentName,
      attachmentHash: r.attachmentHash,
      attachmentSize: r.attachmentSize,
      verifiedBy: r.verifiedBy,
      verifiedAt: r.verifiedAt,
      findings: findings.get(r.id) ?? 0,
      figures: figures.get(r.id) ?? 0,
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
  if (!evidenceExists(ws, evidenceId)) throw new WorkspaceError('not-found-record', `There is no evidence ${evidenceId}.`);
  const findings = findingsCiting(ws, evidenceId).map((f) => ({ id: f.id, text: f.text, status: f.status, subjectType: f.subjectType, subjectId: f.subjectId }));
  const figures = figuresCiting(ws, evidenceId);
  const sentences: CitedBy['sentences'] = [];
  // The id as it appears in stored JSON narrows the sections to read without parsing every one.
  for (const s of sectionsContaining(ws, JSON.stringify(evidenceId))) {
    const content = readSection(s.content, `Section “${s.title}”`);
    for (const sen of content.sentences) {
      const c = sen.citations.find((x) => x.evidenceId === evidenceId);
      if (!c) continue;
      sentences.push({
        reportId: s.reportId,
        reportSlug: s.reportSlug,
        reportTitle: s.reportTitle,
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
  ws: Pick<Workspace, 'all' | 'get'>,
  id: string,
): { id: string; title: string; kind: string; reference: string | null; collectedOn: string | null; collectedBy: string | null; sensitivity: string; verifiedBy: string | null; verifiedAt: string | null; attachmentName: string | null } | undefined {
  const e = getEvidence(ws, id);
  if (!e) return undefined;
  return {
    id: e.id,
    title: e.title,
    kind: e.kind,
    reference: e.reference,
    collectedOn: e.collectedOn,
    collectedBy: e.collectedBy,
    sensitivity: e.sensitivity,
    verifiedBy: e.verifiedBy,
    verifiedAt: e.verifiedAt,
    attachmentName: e.attachmentName,
  };
}
