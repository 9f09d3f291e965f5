/**
 * The one typed contract between the renderer and the main process (and the loopback host, which answers the same
 * contract). Every request has a name, a zod schema for its input, which main checks at run time before any handler
 * sees it, and a TypeScript type for its output. Events flow from main to the renderer only.
 *
 * Add a request by adding an entry to `requests` (input schema) and to `RequestOutputs` (output type), and its name to
 * `REQUEST_CHANNEL_NAMES` in ./channels.ts (the sandboxed preload cannot load zod, so it reads names from there; the
 * compiler fails until the two agree). The web bridge derives its functions from this table directly. Then say in
 * ./live.ts what it is: a read, with the tables its answer depends on (LIVE_READS, so views refresh after writes), or
 * a command (COMMANDS); the compiler fails until it is one of the two.
 */
import type { Blackline } from '../review/blackline';
import type { AssessmentRecord, DraftRating, Framework } from '../store/assessments';
import type { FindingListing } from '../store/findings';
import type { ScoreResult } from '../store/scoring';
import type { FigureRowsView } from '../figures/drill';
import { z } from 'zod';
import type { FigureDef, FigureResult, FigureState } from '../figures/types';
import type { Claim, Problem, SectionReview, WhatChangedSection } from '../review/report';
import type { ApprovalPreview, SelfApproval } from '../review/workflow';
import type { ActivityItem, Comment, CommentThread } from '../review/comments';
import type { CitedBy, EvidenceListRow } from '../review/evidence';
import type { AuditEntry } from '../review/audit-log';
import type { ImportProblem, ImportWarning } from '../import/problems';
import type { ColumnMap, TargetField } from '../import/mapping';
import { capped, LIMITS } from '../util/limits';
import { cleanName } from '../util/escape';
import { webAddress } from '../util/web-address';
import { PublicationInput, type ReportPublication } from '../document/publication';

const id = z.string().min(1).max(200);
/** Required text within its limit (shared/util/limits.ts), trimmed. */
const text = (limit: number) => capped(limit).trim().min(1, 'must not be empty');
/**
 * A person's name: within the limit, with terminal escapes, other control characters and bidi overrides removed
 * (cleanName), and something left once they are.
 */
const personName = capped(LIMITS.name)
  .transform(cleanName)
  .pipe(z.string().min(1, 'must have a letter or digit once control characters are removed'));
const isoDateStr = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written yyyy-mm-dd');
const importKind = z.enum(['cqc-ratings', 'cqc-locations', 'indicators', 'evidence']);
/** The largest file the import wizard takes (the national CQC ratings file is about 30 MB); `assay import` has no cap. */
export const MAX_IMPORT_FILE_BYTES = 256 * 1024 * 1024;
/** A file opened for import, as electron/services/app/files/import-files.ts names it. */
const importHandle = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be a handle that import.open gave');
const previewRows = z.number().int().min(1).max(200).default(20);

export const LocationFilters = z.object({
  search: z.string().max(200).optional(),
  sectorId: z.string().optional(),
  regionId: z.string().optional(),
  localAuthorityId: z.string().optional(),
  overallRating: z.string().optional(),
  providerId: z.string().optional(),
});
export type LocationFilters = z.infer<typeof LocationFilters>;

export const requests = {
  // Workspace ------------------------------------------------------------------------------------------------------
  'workspace.info': z.object({}),
  'workspace.save': z.object({}),
  'settings.get': z.object({}),
  'settings.setUserName': z.object({ name: personName }),

  // Data browser ---------------------------------------------------------------------------------------------------
  'reference.get': z.object({}),
  'locations.list': z.object({
    filters: LocationFilters.default({}),
    sort: z.object({ column: z.enum(['name', 'provider', 'sector', 'localAuthority', 'region', 'overall', 'published']), direction: z.enum(['asc', 'desc']) }).optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(100_000).default(200),
  }),
  'locations.get': z.object({ id }),
  'providers.list': z.object({ search: z.string().max(200).optional(), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(10_000).default(200) }),
  'ratings.add': z.object({
    locationId: id,
    serviceGroup: z.string().min(1).default('Overall'),
    keyQuestionId: id,
    rating: z.string().min(1),
    publishedOn: isoDateStr,
  }),
  'ratings.update': z.object({ id: z.number().int().positive(), rating: z.string().min(1).optional(), publishedOn: isoDateStr.optional() }),
  'inspections.list': z.object({ locationId: id.optional(), limit: z.number().int().min(1).max(10_000).default(500) }),
  'areaReviews.list': z.object({}),
  'findings.list': z.object({ subjectType: z.string().optional(), subjectId: z.string().optional(), themeId: z.string().optional(), assessmentId: z.string().optional(), limit: z.number().int().min(1).max(10_000).default(1000) }),
  'findings.save': z.object({
    id: id.optional(),
    subjectType: z.enum(['location', 'provider', 'area review', 'national']),
    subjectId: z.string().nullish(),
    themeId: z.string().nullish(),
    judgement: z.enum(['strength', 'concern', 'recommendation']),
    status: z.enum(['draft', 'agreed', 'published', 'withdrawn']).default('draft'),
    text: text(LIMITS.findingText),
    evidenceIds: z.array(id).optional(),
    /** The inspection or assessment it came from; the key question and/or quality statement it is about. */
    assessmentId: id.nullish(),
    keyQuestionId: id.nullish(),
    qualityStatementId: id.nullish(),
  }),
  'evidence.list': z.object({
    search: z.string().max(200).optional(),
    kind: z.string().optional(),
    sensitivity: z.string().optional(),
    limit: z.number().int().min(1).max(10_000).default(1000),
  }),
  'evidence.save': z.object({
    id: id.optional(),
    kind: z.enum(['document', 'interview', 'observation', 'dataset', 'survey', 'case file', 'meeting notes']),
    title: text(LIMITS.title),
    reference: capped(LIMITS.reference).nullish(),
    summary: capped(LIMITS.summary).nullish(),
    collectedOn: isoDateStr.nullish(),
    collectedBy: capped(LIMITS.name).nullish(),
    sensitivity: z.enum(['public', 'official', 'official-sensitive', 'personal']),
    areaReviewId: z.string().nullish(),
    locationId: z.string().nullish(),
    /** The (historical) inspection or the assessment it was collected for, and its evidence category. */
    inspectionId: z.string().nullish(),
    assessmentId: z.string().nullish(),
    evidenceCategoryId: z.string().nullish(),
    /** The source as a reference (what a public edition's note prints); absent keeps what the source had. */
    publisher: capped(LIMITS.organisation).nullish(),
    publishedOn: isoDateStr.nullish(),
    url: webAddress.nullish(),
    accessedOn: isoDateStr.nullish(),
    /** A new attachment, base64-encoded; replaces any existing one. */
    attachment: z.object({ name: capped(LIMITS.fileName).min(1), mediaType: z.string().min(1).max(200), base64: z.string() }).optional(),
  }),
  'evidence.verify': z.object({ id }),
  /**
   * Opens an evidence source's attached file after checking its content hash: in the system's viewer where the host
   * can (Electron), else the bytes come back for the page to download (the loopback host).
   */
  'attachments.open': z.object({ evidenceId: id }),
  /** One evidence source, every field: what an edit form starts from (saving replaces the whole record). */
  'evidence.get': z.object({ id }),

  // Inspections and assessments under an assessment framework (shared/store/assessments.ts) --------------------------
  /** The frameworks, their versions with rules and dates, key questions or themes, quality statements; the evidence categories. */
  'framework.get': z.object({}),
  'assessments.list': z.object({
    subjectType: z.enum(['location', 'provider', 'local authority', 'integrated care system']).optional(),
    subjectId: id.optional(),
    status: z.enum(['planned', 'in progress', 'draft report', 'in moderation', 'published']).optional(),
    limit: z.number().int().min(1).max(10_000).default(500),
  }),
  /** One assessment: its record, scores, what the rules give, draft and published ratings, findings and evidence. */
  'assessments.get': z.object({ id }),
  'assessments.create': z.object({
    subjectType: z.enum(['location', 'provider', 'local authority', 'integrated care system']),
    subjectId: id,
    kind: text(LIMITS.name),
    title: capped(LIMITS.title).nullish(),
    frameworkVersionId: id.optional(),
    siteVisits: z.array(isoDateStr).max(60).default([]),
    team: z.array(z.object({ name: text(LIMITS.name), role: capped(LIMITS.name).nullish() })).max(60).default([]),
    leadInspector: capped(LIMITS.name).nullish(),
    summary: capped(LIMITS.summary).nullish(),
  }),
  'assessments.update': z.object({
    id,
    kind: text(LIMITS.name).optional(),
    title: capped(LIMITS.title).nullish(),
    frameworkVersionId: id.optional(),
    siteVisits: z.array(isoDateStr).max(60).optional(),
    team: z.array(z.object({ name: text(LIMITS.name), role: capped(LIMITS.name).nullish() })).max(60).optional(),
    leadInspector: capped(LIMITS.name).nullish(),
    summary: capped(LIMITS.summary).nullish(),
  }),
  /** One step along planned → in progress → draft report → in moderation, or one back; publishing is assessments.publish. */
  'assessments.setStatus': z.object({ id, status: z.enum(['planned', 'in progress', 'draft report', 'in moderation']) }),
  /** Quality statement scores (and evidence category scores, under versions that score them); null clears one. */
  'scores.set': z.object({
    assessmentId: id,
    scores: z
      .array(z.object({ statementId: id, score: z.number().int().nullable().optional(), categories: z.record(z.string(), z.number().int().nullable()).optional(), note: capped(LIMITS.summary).nullish() }))
      .min(1)
      .max(200),
  }),
  /** The team's draft ratings; one that differs from the rules' rating needs its reason; null returns to the computed one. */
  'draftRatings.set': z.object({
    assessmentId: id,
    ratings: z.array(z.object({ keyQuestionId: id, rating: z.string().min(1).nullable(), reason: capped(LIMITS.summary).nullish() })).min(1),
  }),
  /**
   * Publishes an assessment in moderation: a deliberate step (the page confirms first), so it must say `confirm: true`.
   * A location's ratings are written to the published ratings, dated publishedOn, in the same transaction.
   */
  'assessments.publish': z.object({ id, publishedOn: isoDateStr, confirm: z.literal(true, { error: 'must be true: publishing writes published ratings' }) }),
  /** Corrects a published rating, with the reason; the rating is marked corrected. */
  'ratings.correct': z.object({ id: z.number().int().positive(), rating: z.string().min(1), reason: text(LIMITS.summary) }),
  /** The indicators with the periods the workspace holds values for (the figure builder's pickers). */
  'indicators.list': z.object({}),

  // Reports --------------------------------------------------------------------------------------------------------
  'templates.list': z.object({}),
  'reports.list': z.object({}),
  'reports.get': z.object({ id }),
  'reports.create': z.object({ templateId: id, title: text(LIMITS.title), params: z.record(z.string(), z.string()).optional() }),
  'reports.setParams': z.object({ id, params: z.record(z.string(), z.string()) }),
  /** Next year's edition: a copy under shifted parameters (or those given) and a new title, linked to this one. */
  'reports.newEdition': z.object({ id, title: text(LIMITS.title).optional(), params: z.record(z.string(), z.string()).optional() }),
  /** Every figure whose printed value differs from the edition this one was made from, and direction words that no longer fit. */
  'reports.blackline': z.object({ id }),
  /** "Show the rows": what a figure counts, in words, and every row it counts (rating figures). */
  'figures.rows': z.object({ figureId: id, params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional() }),
  /** How the report prints numbers (README, "Numbers that agree"); settings not given keep their values. */
  'reports.setSettings': z.object({
    id,
    /** `publication`: the publication details (Publication details…), replacing those the report had. */
    settings: z.strictObject({ changes: z.enum(['rounded', 'unrounded']), publication: PublicationInput }).partial(),
  }),
  'sections.add': z.object({ reportId: id, title: text(LIMITS.title), afterSectionId: id.optional() }),
  'sections.rename': z.object({ id, title: text(LIMITS.title) }),
  'sections.move': z.object({ id, toIndex: z.number().int().min(0) }),
  'sections.delete': z.object({ id }),
  'sections.saveContent': z.object({ id, content: z.string().max(20_000_000) }),

  // Figures --------------------------------------------------------------------------------------------------------
  'figures.list': z.object({ search: z.string().max(200).optional() }),
  'figures.get': z.object({ id }),
  'figures.save': z.object({
    id: id.optional(),
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and hyphens').max(120),
    name: text(LIMITS.title),
    description: capped(LIMITS.description).nullish(),
    kind: z.enum(['value', 'table', 'chart']),
    spec: z.record(z.string(), z.unknown()).nullish(),
    sql: z.string().max(100_000).nullish(),
    format: z.record(z.string(), z.unknown()).default({}),
    chart: z.record(z.string(), z.unknown()).nullish(),
    evidenceIds: z.array(id).optional(),
  }),
  'figures.delete': z.object({ id }),
  /** Computes a figure that is not (yet) saved, for the figure builder's live preview. */
  'figures.preview': z.object({
    kind: z.enum(['value', 'table', 'chart']),
    spec: z.record(z.string(), z.unknown()).nullish(),
    sql: z.string().max(100_000).nullish(),
    format: z.record(z.string(), z.unknown()).default({}),
    params: z.record(z.string(), z.string()).default({}),
  }),
  /** Current results and states of figures as a report uses them. */
  'figures.evaluate': z.object({
    reportId: id.optional(),
    sectionId: id.optional(),
    refs: z.array(z.object({ figureId: id, params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional() })).max(5000),
    /**
     * Wait for SQL figures (which run in a worker) before answering. Without it, a SQL figure not yet run comes back
     * with `result.pending` and a 'figures.changed' event follows when it settles: the editor's way, so one slow
     * query never holds up a section's other numbers.
     */
    wait: z.boolean().optional(),
  }),

  // Export ---------------------------------------------------------------------------------------------------------
  'export.run': z.object({
    reportId: id,
    /** xlsx: the data download as a workbook (cover, contents and notes sheets, one table per sheet). */
    formats: z.array(z.enum(['docx', 'pdf', 'html', 'csv', 'xlsx'])).min(1),
    audience: z.enum(['public', 'internal']).default('public'),
    /**
     * Make the edition even while the publication checks have blockers, marked DRAFT on its cover, on every page and in
     * its file names. Without it, a public export with blockers is refused (the answer's `refused` lists them).
     */
    draft: z.boolean().default(false),
    /** A folder to write into; when absent, main asks with a native dialog (the loopback host uses its export folder). */
    folder: z.string().max(4096).optional(),
  }),
  'export.showInFolder': z.object({ path: z.string().max(4096) }),

  // Review and sign-off ---------------------------------------------------------------------------------------------
  /** The citation ledger: every claim with its figures and evidence, flagged. */
  'review.ledger': z.object({ reportId: id, maxEvidenceAgeDays: z.number().int().min(1).max(36_500).optional() }),
  /** Publication checks, as `assay check` runs them. */
  'review.checks': z.object({
    reportId: id,
    audience: z.enum(['public', 'internal']).default('public'),
    maxEvidenceAgeDays: z.number().int().min(1).max(36_500).optional(),
  }),
  /** Per section, each figure that changed since approval, with its approved and current values. */
  'review.whatChanged': z.object({ reportId: id }),
  /** Writes the Word review copy (figures and citations carry comments); folder as for export.run. */
  'review.copy': z.object({ reportId: id, folder: z.string().max(4096).optional() }),
  /** clearRestricted: approving also clears the section's sentences citing restricted evidence for publication. */
  'sections.setStatus': z.object({ id, status: z.enum(['draft', 'in review', 'approved']), clearRestricted: z.boolean().optional() }),
  /** What approving a section now would sign off, who would approve it and whether they may: the confirmation dialog. */
  'sections.approval': z.object({ id }),
  /** The workspace's review settings: whether a person may approve a section whose last change is theirs. */
  'review.settings': z.object({}),
  /** Allows or refuses self-approval for the workspace (an administrator's choice), recorded in the audit log. */
  'review.setSelfApproval': z.object({ selfApproval: z.enum(['refused', 'allowed']) }),
  'comments.list': z
    .object({ sectionId: id.optional(), reportId: id.optional(), includeResolved: z.boolean().default(false) })
    .refine((x) => !!x.sectionId !== !!x.reportId, { message: 'give a sectionId or a reportId', path: ['sectionId'] }),
  'comments.add': z.object({
    sectionId: id,
    body: text(LIMITS.comment),
    quote: capped(LIMITS.quote).nullish(),
    anchor: z
      .object({
        paragraph: z.number().int().min(1).optional(),
        start: z.number().int().min(0).optional(),
        end: z.number().int().min(0).optional(),
        anchorKey: z.string().max(100).optional(),
        focusKey: z.string().max(100).optional(),
        mark: z.boolean().optional(),
      })
      .nullish(),
  }),
  'comments.reply': z.object({ parentId: id, body: text(LIMITS.comment) }),
  'comments.resolve': z.object({ id, resolved: z.boolean().default(true) }),
  /** The people a comment can mention (everyone who has written in the workspace), and who I am. */
  'comments.people': z.object({}),
  /** Comments and replies by others that mention me, newest first: the activity list. */
  'comments.activity': z.object({}),
  'evidence.citedBy': z.object({ id }),
  /** The evidence register's search: every filter of the register, with paging. */
  'evidence.register': z.object({
    search: z.string().max(200).optional(),
    kind: z.array(z.string().max(50)).max(10).optional(),
    sensitivity: z.array(z.string().max(50)).max(10).optional(),
    restricted: z.boolean().optional(),
    collectedBy: z.string().max(200).optional(),
    from: isoDateStr.optional(),
    to: isoDateStr.optional(),
    verified: z.boolean().optional(),
    hasAttachment: z.boolean().optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(10_000).default(500),
  }),
  'audit.list': z.object({
    actor: z.string().max(200).optional(),
    action: z.string().max(100).optional(),
    table: z.string().max(100).optional(),
    recordId: z.string().max(200).optional(),
    since: z.string().max(40).optional(),
    until: z.string().max(40).optional(),
    search: z.string().max(200).optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(10_000).default(200),
  }),
  'audit.exportCsv': z.object({
    actor: z.string().max(200).optional(),
    action: z.string().max(100).optional(),
    table: z.string().max(100).optional(),
    since: z.string().max(40).optional(),
    until: z.string().max(40).optional(),
    search: z.string().max(200).optional(),
    folder: z.string().max(4096).optional(),
  }),

  // Import ---------------------------------------------------------------------------------------------------------
  /**
   * Opens a CSV for import and previews it. The file's bytes never travel through the contract: Electron's main
   * process asks with its native open dialog and reads the file; in the loopback host the page has already uploaded
   * it (one binary POST, see electron/web/server.ts) and gives the handle that returned as `upload`. The answer's
   * handle names the file for import.preview and import.run; null when the person cancelled the dialog.
   */
  'import.open': z.object({ kind: importKind, rows: previewRows, upload: importHandle.optional() }),
  /** The first rows of an opened file and how its header would be read as `kind`. Nothing is written. */
  'import.preview': z.object({ handle: importHandle, kind: importKind, rows: previewRows }),
  /** Imports an opened file: every row is checked first, and either all are written (then the workspace is saved) or none. */
  'import.run': z.object({
    handle: importHandle,
    kind: importKind,
    /** The dataset's edition, e.g. "February 2021". */
    edition: z.string().trim().max(100).optional(),
    /** For indicators and evidence: target field -> the file's column (from the preview's suggestedMap, as edited). */
    map: z.record(z.string(), z.string()).optional(),
    /**
     * For evidence: let rows lower the sensitivity of evidence already held (personal to public, say). Without it such
     * rows are problems and nothing is imported; with it each is a warning and an audit entry.
     */
    allowLowerSensitivity: z.boolean().default(false),
  }),

  // Bringing an inspector's workspace in, and handing one out (shared/merge) ------------------------------------------
  /**
   * Opens another workspace to bring in (File › Bring in a workspace…) and previews the merge: what would be added,
   * updated, kept and in conflict. Nothing is written. Electron asks with its open dialog; the loopback host's page
   * uploads the file first (as for import) and gives the handle as `upload`. Null when the dialog was cancelled.
   */
  'merge.open': z.object({ upload: importHandle.optional() }),
  /** Brings the opened workspace in, as previewed (recomputed: the data may have moved since), and saves. */
  'merge.run': z.object({ handle: importHandle }),
  /** The conflicts merges left for a person, field by field: open ones, or all. */
  'merge.conflicts': z.object({ includeResolved: z.boolean().default(false) }),
  /** Settles one: keep ours, take theirs, or an edited record (values for content fields only). */
  'merge.resolve': z.object({
    id,
    choice: z.enum(['ours', 'theirs', 'edit']),
    values: z.record(z.string(), z.union([z.string().max(100_000), z.number(), z.null()])).optional(),
  }),
  /** Who can be handed a workspace: the inspectors named on assessments not yet published, with their assignments. */
  'inspectorPack.options': z.object({}),
  /** File › Export for inspector…: a new workspace file for one inspector's assignments, in the chosen folder. */
  'inspectorPack.export': z.object({
    inspector: z.string().trim().min(1, 'must name the inspector').max(200),
    assessmentIds: z.array(id).min(1, 'must choose at least one assessment').max(500).optional(),
    clearance: z.enum(['public', 'official', 'official-sensitive', 'personal']).default('official-sensitive'),
    folder: z.string().max(4096).optional(),
  }),
} as const;

export type RequestName = keyof typeof requests;
export type RequestInput<N extends RequestName> = z.input<(typeof requests)[N]>;
export type RequestParsed<N extends RequestName> = z.output<(typeof requests)[N]>;

export interface LocationListRow {
  id: string;
  name: string;
  providerId: string | null;
  providerName: string | null;
  sector: string;
  locationType: string;
  category: string | null;
  careHome: boolean;
  localAuthority: string | null;
  region: string | null;
  overall: string | null;
  overallPublished: string | null;
}

export interface RatingHistoryRow {
  id: number;
  keyQuestionId: string;
  keyQuestion: string;
  serviceGroup: string;
  rating: string;
  publishedOn: string;
  importId: string | null;
}

export interface ReportSummary {
  id: string;
  slug: string;
  title: string;
  subtitle: string | null;
  templateId: string | null;
  params: Record<string, string>;
  /** How the report prints numbers: `changes` is its change rule (README, "Numbers that agree"). */
  settings: { changes: 'rounded' | 'unrounded' };
  /** The edition this report was made from, if any. */
  previousEdition: { id: string; title: string } | null;
  updatedAt: string;
  sections: { id: string; title: string; status: string; position: number; owner: string | null; updatedAt: string }[];
}

export interface EvaluatedFigure {
  figureId: string;
  params: Record<string, string | number | boolean>;
  key: string;
  result: FigureResult;
  state: FigureState;
  approved?: { value: unknown; formatted: string; fingerprint: string; by: string; at: string };
}

/** One evidence source as stored: every field an edit needs to write it back unchanged. */
/** One inspection or assessment as its screen shows it. */
export interface AssessmentDetail {
  assessment: AssessmentRecord;
  framework: { id: string; name: string; version: { id: string; name: string; effectiveFrom: string; effectiveTo: string | null; sourceUrl: string | null; statementBasis: 'evidence categories' | 'direct' } };
  /** Scores as stored: each statement's (derived when built from categories) and each category's. */
  scores: { statementId: string; score: number; derived: boolean; note: string | null }[];
  categoryScores: { statementId: string; categoryId: string; score: number }[];
  /** What the version's rules give from the scores: per key question or theme, and overall, with any limit applied. */
  result: ScoreResult;
  /** Draft ratings (never counted by figures): the computed one, the team's, and the reason when they differ. */
  draftRatings: DraftRating[];
  /** Ratings the assessment published, with any correction. */
  publishedRatings: { id: number; keyQuestionId: string; keyQuestion: string; rating: string; publishedOn: string; correctedAt: string | null; correctionReason: string | null }[];
  findingIds: string[];
  evidenceIds: string[];
}

export interface EvidenceRecord {
  id: string;
  kind: string;
  title: string;
  reference: string | null;
  summary: string | null;
  collectedOn: string | null;
  collectedBy: string | null;
  sensitivity: string;
  attachmentName: string | null;
  attachmentHash: string | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
  areaReviewId: string | null;
  locationId: string | null;
  importId: string | null;
  /** The source as a reference (printed in a report's notes). */
  publisher: string | null;
  publishedOn: string | null;
  url: string | null;
  accessedOn: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The first rows of a file opened for import, and how its header would be read. */
export interface ImportPreview {
  fileName: string;
  header: string[];
  rows: string[][];
  /** Problems in the rows read (encoding, CSV syntax); the full check happens on import. */
  problems: ImportProblem[];
  /** For cqc-ratings: the layout the header was recognised as, and any required columns it lacks. */
  layout?: { id: string; name: string; missingColumns: string[] };
  /** For indicators and evidence: the fields, and the mapping to propose. */
  targets?: readonly TargetField[];
  suggestedMap?: ColumnMap;
}

/** A file opened for import: the handle later requests name it by, and its preview as the kind asked. */
export interface ImportOpened {
  handle: string;
  fileName: string;
  bytes: number;
  preview: ImportPreview;
}

/** Output types, by request name. */
export interface RequestOutputs {
  'workspace.info': {
    path: string;
    name: string;
    workspaceId: string;
    demonstration: boolean;
    schemaVersion: number;
    counts: Record<string, number>;
    imports: { id: string; kind: string; fileName: string; rows: number; importedBy: string; importedAt: string }[];
    recentChanges: { at: string; actor: string; action: string; tableName: string | null; recordId: string | null }[];
    dirty: boolean;
  };
  'workspace.save': { savedAt: string; bytes: number };
  'settings.get': { userName: string | null };
  'settings.setUserName': { userName: string };
  'reference.get': {
    regions: { id: string; name: string }[];
    localAuthorities: { id: string; name: string; regionId: string }[];
    sectors: { id: string; name: string }[];
    keyQuestions: { id: string; name: string; scaleId: string }[];
    ratingValues: { scaleId: string; label: string; rank: number | null; onScale: boolean }[];
    themes: { id: string; name: string }[];
    serviceGroups: string[];
    /** For figure parameters such as $indicator. */
    indicators: { id: string; name: string; unit: string }[];
  };
  'locations.list': { total: number; rows: LocationListRow[] };
  'locations.get': LocationListRow & {
    postcode: string | null;
    registeredOn: string | null;
    beds: number | null;
    ratings: RatingHistoryRow[];
  };
  'providers.list': { total: number; rows: { id: string; name: string; locations: number }[] };
  'ratings.add': RatingHistoryRow;
  'ratings.update': RatingHistoryRow;
  'inspections.list': { rows: { id: string; locationId: string; locationName: string; startedOn: string | null; publishedOn: string | null; status: string; leadInspector: string | null }[] };
  'areaReviews.list': { rows: { id: string; title: string; localAuthority: string; status: string; publishedOn: string | null; findings: number; evidence: number }[] };
  'findings.list': { rows: FindingListing[] };
  'findings.save': { id: string };
  'evidence.list': {
    rows: {
      id: string;
      kind: string;
      title: string;
      reference: string | null;
      /** The edit form needs it: saving evidence without its summary would clear it. */
      summary?: string | null;
      collectedOn: string | null;
      collectedBy: string | null;
      sensitivity: string;
      attachmentName: string | null;
      attachmentHash: string | null;
      verifiedBy: string | null;
      verifiedAt: string | null;
    }[];
  };
  'evidence.save': { id: string };
  'evidence.verify': { id: string };
  'attachments.open': { opened: true; name: string } | { opened: false; name: string; mediaType: string; base64: string };
  'evidence.get': EvidenceRecord;
  'framework.get': { frameworks: Framework[]; evidenceCategories: { id: string; name: string }[] };
  'assessments.list': { rows: AssessmentRecord[] };
  'assessments.get': AssessmentDetail;
  'assessments.create': AssessmentRecord;
  'assessments.update': AssessmentRecord;
  'assessments.setStatus': AssessmentRecord;
  'scores.set': AssessmentDetail;
  'draftRatings.set': AssessmentDetail;
  'assessments.publish': AssessmentDetail;
  'ratings.correct': RatingHistoryRow & { correctedAt: string; correctionReason: string };
  'indicators.list': {
    indicators: { id: string; name: string; unit: string; polarity: string; source: string; periods: string[] }[];
  };
  'templates.list': { templates: { id: string; name: string; description: string; sections: string[] }[] };
  'reports.list': { reports: ReportSummary[] };
  'reports.get': ReportSummary & {
    sectionContents: Record<string, string>;
    /**
     * The publication details as they print (the report's over its template's defaults), the template's defaults,
     * and what the template expects; null for a report whose template has no furniture and which set none.
     */
    publication: (ReportPublication & { defaults: PublicationInput }) | null;
  };
  'reports.create': { id: string };
  'reports.setParams': { id: string };
  'reports.newEdition': { id: string; slug: string; title: string };
  'reports.blackline': Blackline;
  'figures.rows': FigureRowsView;
  'reports.setSettings': { id: string; settings: { changes: 'rounded' | 'unrounded'; publication?: PublicationInput } };
  'sections.add': { id: string };
  'sections.rename': { id: string };
  'sections.move': { id: string };
  'sections.delete': { id: string };
  'sections.saveContent': { id: string; savedAt: string };
  'figures.list': { figures: (FigureDef & { usedIn: number })[] };
  'figures.get': FigureDef;
  'figures.save': { id: string };
  'figures.delete': { id: string };
  'figures.preview': FigureResult;
  'figures.evaluate': { figures: EvaluatedFigure[] };
  'export.run': {
    /** note: what the export says about a file, e.g. where the Word contents' page numbers came from. */
    files: { format: string; path: string; bytes: number; note?: string }[];
    ms: number;
    /** Which edition the files are: 'final', or 'draft' (marked DRAFT throughout). */
    edition: 'final' | 'draft';
    /**
     * A public edition refused because the publication checks have blockers: nothing was written (`files` is empty).
     * Each problem with where it is (section, paragraph, sentence, the sentence's start, the figure), for the dialog
     * to list; exporting a draft makes the files anyway.
     */
    refused?: {
      message: string;
      problems: { code: string; message: string; section?: string; paragraph?: number; sentence?: number; figure?: string; excerpt?: string }[];
    };
  };
  'export.showInFolder': { ok: true };
  'review.ledger': {
    report: { id: string; slug: string; title: string };
    claims: Claim[];
    counts: { claims: number; noEvidence: number; unverified: number; old: number; missing: number };
    maxEvidenceAgeDays: number;
  };
  'review.checks': {
    report: { id: string; slug: string; title: string };
    audience: 'public' | 'internal';
    problems: Problem[];
    blocking: number;
    warnings: number;
    sections: SectionReview[];
    checkedAt: string;
  };
  'review.whatChanged': { sections: WhatChangedSection[] };
  'review.copy': { path: string; bytes: number; comments: number };
  'sections.setStatus': { id: string; status: 'draft' | 'in review' | 'approved'; statusBy: string; statusAt: string; approvedFigures: number };
  'sections.approval': ApprovalPreview;
  'review.settings': { selfApproval: SelfApproval };
  'review.setSelfApproval': { selfApproval: SelfApproval; changed: boolean };
  'comments.list': { threads: CommentThread[] };
  'comments.add': Comment;
  'comments.reply': Comment;
  'comments.resolve': { id: string; resolvedBy: string | null; resolvedAt: string | null };
  'comments.people': { people: string[]; me: string | null };
  'comments.activity': { items: ActivityItem[] };
  'evidence.citedBy': CitedBy;
  'evidence.register': { total: number; rows: EvidenceListRow[] };
  'audit.list': { total: number; rows: AuditEntry[] };
  'audit.exportCsv': { path: string; rows: number; bytes: number };
  'import.open': ImportOpened | null;
  'import.preview': ImportPreview;
  'import.run': {
    ok: boolean;
    kind: string;
    fileName: string;
    rowsRead: number;
    /** What happened, in a sentence, and the detail a user can act on (both ready to show). */
    message: string;
    detail: string;
    /** When not ok: every problem found (up to the importer's limit; problemCount is exact). Nothing was written. */
    problems: ImportProblem[];
    problemCount: number;
    warnings: ImportWarning[];
    /** The imports record written, or null when nothing was (refused, or the workspace already held every row). */
    import: { id: string; kind: string; fileName: string; rows: number; importedBy: string; importedAt: string; edition: string | null } | null;
    tables: Record<string, { added: number; updated: number; unchanged: number }>;
    ms: number;
  };
  'merge.open': MergePreview | null;
  'merge.run': MergePreview & { importId: string | null };
  'merge.conflicts': { rows: MergeConflictView[] };
  'merge.resolve': { id: string; resolution: string };
  'inspectorPack.options': {
    inspectors: { name: string; assignments: { id: string; title: string; subjectName: string; status: string }[] }[];
    /** Every assessment not yet published, for choosing assignments by hand. */
    open: { id: string; title: string; subjectName: string; status: string; lead: string | null }[];
  };
  'inspectorPack.export': {
    path: string;
    fileName: string;
    assignments: { id: string; title: string }[];
    withheld: Record<string, number>;
    /** What was made, in a sentence, ready to show. */
    message: string;
  };
}

/** A merge worked out (merge.open) or done (merge.run), in words a person reads. */
export interface MergePreview {
  handle: string;
  fileName: string;
  /** The other workspace's name. */
  peerName: string;
  /** One row per kind of record the merge touches, named in plain English. */
  tables: { table: string; label: string; added: number; updated: number; unchanged: number; keptOurs: number; conflicts: number; notBroughtBack: number }[];
  conflicts: number;
  /** False when the other workspace holds nothing this one lacks. */
  changed: boolean;
  /** What the merge does or did, in a sentence. */
  message: string;
}

/** A conflict as the conflicts screen shows it: the record in words, and each field on both sides. */
export interface MergeConflictView {
  id: string;
  table: string;
  /** The kind of record, one of it, e.g. "Finding". */
  label: string;
  /** What the record is, e.g. the finding's first words or the assessment's title. */
  describe: string;
  peerName: string;
  detectedAt: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
  resolution: string | null;
  /** Content fields (identity and bookkeeping left out); `differs` where the two sides disagree. */
  fields: { name: string; label: string; ours: string | number | null; theirs: string | number | null; differs: boolean; editable: boolean }[];
  /** True when we had deleted the record since the last merge and they changed it. */
  deletedHere: boolean;
}

/** Events from main to the renderer. */
export interface EventPayloads {
  /** After every write: which tables it touched, so views and live figures refresh. */
  'workspace.changed': { seq: number; tables: string[]; label: string };
  /** Figures whose value changed after a write (keys as in EvaluatedFigure.key). */
  'figures.changed': { keys: string[] };
  'export.progress': { reportId: string; step: string; done: number; total: number };
  /** A menu command the renderer carries out (New report, Export…, Import…). */
  'menu.command': { command: string };
  /**
   * While `import.run` works: its phase and, while reading, bytes read of the total (so a page can draw a real
   * progress bar). `fileName` says which import it belongs to.
   */
  'import.progress': { fileName: string; phase: 'reading' | 'checking' | 'writing' | 'saving' | 'done'; done: number; total: number };
}
export type EventName = keyof EventPayloads;

/** Every event name at run time, for the preload and the web bridge to check subscriptions against. */
export const EVENT_NAMES = ['workspace.changed', 'figures.changed', 'export.progress', 'menu.command', 'import.progress'] as const satisfies readonly EventName[];
// Fails to compile when an event is added to EventPayloads but not to EVENT_NAMES.
const _allEventsListed: Exclude<EventName, (typeof EVENT_NAMES)[number]> extends never ? true : never = true;
void _allEventsListed;

/** The one shape of every failure that crosses the boundary. */
export interface IpcError {
  code: 'bad-request' | 'bad-channel' | 'bad-sender' | 'not-found' | 'invalid' | 'conflict' | 'locked' | 'internal';
  message: string;
  /** Field-level problems for forms: path -> message. */
  fields?: Record<string, string>;
}

export type IpcResponse<T> = { ok: true; value: T } | { ok: false; error: IpcError };

const IPC_ERROR_CODES: readonly IpcError['code'][] = ['bad-request', 'bad-channel', 'bad-sender', 'not-found', 'invalid', 'conflict', 'locked', 'internal'];

/**
 * A request on `window.assay` rejects with a plain IpcError object (code, message, optional fields), not an Error
 * instance: Electron's contextBridge drops an Error's own properties when it crosses worlds, and a plain object keeps
 * them, so both hosts reject with the same shape. This turns anything caught into that shape.
 */
export function asIpcError(e: unknown): IpcError {
  if (e && typeof e === 'object') {
    const o = e as Partial<IpcError>;
    if (typeof o.code === 'string' && (IPC_ERROR_CODES as readonly string[]).includes(o.code) && typeof o.message === 'string') {
      return o.fields ? { code: o.code, message: o.message, fields: o.fields } : { code: o.code, message: o.message };
    }
    if (typeof o.message === 'string') return { code: 'internal', message: o.message };
  }
  return { code: 'internal', message: String(e) };
}

/** What the preload (and the web bridge) put on `window.assay`. */
export type AssayApi = {
  [N in RequestName]: (input: RequestInput<N>) => Promise<RequestOutputs[N]>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
  /** Where the API comes from: Electron's preload or the loopback host's bridge. */
  host: 'electron' | 'web';
  /**
   * The loopback host's bridge only: sends a file the person picked to the host, once, as raw bytes, and resolves with
   * the handle import.open takes as `upload`. Electron's main process opens import files itself (import.open shows its
   * native dialog), so the preload has no such function.
   */
  uploadImport?: (file: Blob, fileName: string) => Promise<string>;
};

export const REQUEST_NAMES = Object.keys(requests) as RequestName[];
export const IPC_CHANNEL_PREFIX = 'assay:';
