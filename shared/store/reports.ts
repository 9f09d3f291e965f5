import { z } from 'zod';
import type { SqlValue, Tx } from './workspace';
import type { FigureParams } from '../figures/types';
import { CHANGE_RULES, DEFAULT_CHANGE_RULE, type ChangeRule } from '../figures/format';
import { audit } from './audit';
import { WorkspaceError } from './errors';
import { nextEditionParams, nextEditionTitle } from '../document/editions';
import { parseInput } from './validate';
import { read, type Db } from './query';
import { figuresBySlug, saveFigure } from './figures';
import { assessmentReportFacts } from './assessment-report';
import { slugify } from './reference';
import { getTemplate, listTemplates } from '../document/templates';
import { EMPTY_CONTENT, templateSectionContent, type SuggestedFigure } from '../document/new-report';
import { newId } from '../util/runtime';
import { sameApartFromMarks } from '../document/comment-marks';
import { PublicationInput } from '../document/publication';

/**
 * Reports and their sections. Sections are numbered 1..n in report order, as Word numbers their headings, and kept
 * dense, so "move to index i" puts a section at number i + 1.
 */

export interface ReportRecord {
  id: string;
  slug: string;
  title: string;
  subtitle: string | null;
  templateId: string | null;
  params: FigureParams;
  /** How the report prints numbers; its figures' inputs are `params`. */
  settings: ReportSettings;
  author: string | null;
  /** The edition this report was made from (New edition…), if any. */
  previousEditionId: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * A report's settings: choices about how it prints what its figures compute, kept apart from the parameters figures
 * read (a setting never changes which data a figure counts). `changes`: how a printed change relates to the printed
 * levels (shared/figures/format.ts ChangeRule; README, "Numbers that agree").
 */
export interface ReportSettings {
  changes: ChangeRule;
  /**
   * The publication's furniture as this report sets it (shared/document/publication.ts): the fields it gives win over
   * its template's defaults. Absent until someone edits the publication details.
   */
  publication?: PublicationInput;
}

export const DEFAULT_REPORT_SETTINGS: ReportSettings = { changes: DEFAULT_CHANGE_RULE };

export const ReportSettingsInput = z.strictObject({ changes: z.enum(CHANGE_RULES as [ChangeRule, ...ChangeRule[]]), publication: PublicationInput }).partial();
export type ReportSettingsInput = z.input<typeof ReportSettingsInput>;

/** A report's settings from their stored JSON: what is missing or unreadable takes its default. */
export function parseReportSettings(json: string | null | undefined): ReportSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(json ?? '{}');
  } catch {
    return { ...DEFAULT_REPORT_SETTINGS };
  }
  const o = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const changes = (CHANGE_RULES as readonly unknown[]).includes(o.changes) ? (o.changes as ChangeRule) : DEFAULT_CHANGE_RULE;
  // Stored publication details are read field by field when printed (resolvePublication); an object is kept as it is.
  const publication = o.publication && typeof o.publication === 'object' && !Array.isArray(o.publication) ? (o.publication as PublicationInput) : undefined;
  return { changes, ...(publication ? { publication } : {}) };
}

export const SECTION_STATUSES = ['draft', 'in review', 'approved'] as const;
export type SectionStatus = (typeof SECTION_STATUSES)[number];

export interface SectionRecord {
  id: string;
  reportId: string;
  position: number;
  title: string;
  owner: string | null;
  status: SectionStatus;
  statusBy: string | null;
  statusAt: string | null;
  /** Lexical editor state JSON. */
  content: string;
  updatedAt: string;
  /** Who last changed the title or text; null when not known (sections from before schema version 3). */
  updatedBy: string | null;
  /** What the last approval signed off (JSON, shared/review/snapshot.ts); null when it has never been approved since v3. */
  approvalSnapshot: string | null;
}

/** A section without its content: what outlines and lists need. */
export type SectionSummary = Omit<SectionRecord, 'content' | 'approvalSnapshot'>;

interface ReportRow {
  id: string;
  slug: string;
  title: string;
  subtitle: string | null;
  template_id: string | null;
  params: string;
  /** Added by migration 5; a file read before it has none. */
  settings?: string | null;
  author: string | null;
  /** Added by migration 7. */
  previous_edition_id?: string | null;
  created_at: string;
  updated_at: string;
}

interface SectionRow {
  id: string;
  report_id: string;
  position: number;
  title: string;
  owner: string | null;
  status: SectionStatus;
  status_by: string | null;
  status_at: string | null;
  content: string;
  updated_at: string;
  updated_by: string | null;
  approval_snapshot: string | null;
}

/**
 * A report's parameters from their stored JSON: the figure parameters it holds (strings, numbers and booleans).
 * Unreadable parameters leave figures with their own defaults; the figure errors then say what is missing.
 */
export function parseReportParams(json: string | null | undefined): FigureParams {
  try {
    const p = JSON.parse(json ?? '{}') as unknown;
    if (!p || typeof p !== 'object' || Array.isArray(p)) return {};
    const out: FigureParams = {};
    for (const [k, v] of Object.entries(p)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    return out;
  } catch {
    return {};
  }
}

function toReport(r: ReportRow): ReportRecord {
  return {
    id: r.id,
    slug: r.slug,
    title: r.title,
    subtitle: r.subtitle,
    templateId: r.template_id,
    params: parseReportParams(r.params),
    settings: parseReportSettings(r.settings),
    author: r.author,
    previousEditionId: r.previous_edition_id ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toSection(r: SectionRow): SectionRecord {
  return {
    id: r.id,
    reportId: r.report_id,
    position: r.position,
    title: r.title,
    owner: r.owner,
    status: r.status,
    statusBy: r.status_by,
    statusAt: r.status_at,
    content: r.content,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by ?? null,
    approvalSnapshot: r.approval_snapshot ?? null,
  };
}

function toSummary(r: Omit<SectionRow, 'content' | 'approval_snapshot'>): SectionSummary {
  const { content: _content, approvalSnapshot: _snapshot, ...rest } = toSection({ ...r, content: '', approval_snapshot: null });
  return rest;
}

// Reads -------------------------------------------------------------------------------------------------------------
/** Finds a report by id or slug; when there is none, the error lists the reports there are. */
export const findReport = read(['reports'], (db: Db, idOrSlug: string): ReportRecord => {
  const r = db.get<ReportRow>('SELECT * FROM reports WHERE id = ?', [idOrSlug]) ?? db.get<ReportRow>('SELECT * FROM reports WHERE slug = ?', [idOrSlug]);
  if (r) return toReport(r);
  const known = db.all<{ slug: string }>('SELECT slug FROM reports ORDER BY slug').map((x) => x.slug);
  throw new WorkspaceError(
    'not-found-record',
    `There is no report "${idOrSlug}" in this workspace${known.length ? ` (reports: ${known.join(', ')})` : ' (it has no reports)'}.`,
  );
});

/** Every report, most recently changed first, with an outline of its sections. */
export const listReports = read(['reports', 'sections'], (db: Db): (ReportRecord & { sections: SectionSummary[] })[] => {
  const outline = new Map<string, SectionSummary[]>();
  for (const s of db.all<Omit<SectionRow, 'content' | 'approval_snapshot'>>(
    'SELECT id, report_id, position, title, owner, status, status_by, status_at, updated_at, updated_by FROM sections ORDER BY report_id, position, id',
  )) {
    const list = outline.get(s.report_id) ?? [];
    list.push(toSummary(s));
    outline.set(s.report_id, list);
  }
  return db.all<ReportRow>('SELECT * FROM reports ORDER BY updated_at DESC, title').map((r) => ({ ...toReport(r), sections: outline.get(r.id) ?? [] }));
});

/** A report's sections in order, with their content. */
export const reportSections = read(['sections'], (db: Db, where: { reportId: string } | { sectionId: string }): SectionRecord[] =>
  ('reportId' in where
    ? db.all<SectionRow>('SELECT * FROM sections WHERE report_id = ? ORDER BY position, id', [where.reportId])
    : db.all<SectionRow>('SELECT * FROM sections WHERE id = ?', [where.sectionId])
  ).map(toSection),
);

export const getSection = read(['sections'], (db: Db, id: string): SectionRecord | undefined => {
  const r = db.get<SectionRow>('SELECT * FROM sections WHERE id = ?', [id]);
  return r ? toSection(r) : undefined;
});

export const sectionExists = read(['sections'], (db: Db, id: string): boolean => !!db.get('SELECT 1 FROM sections WHERE id = ?', [id]));

/** A section with the report it belongs to. */
export interface SectionInReport {
  id: string;
  title: string;
  position: number;
  content: string;
  reportId: string;
  reportSlug: string;
  reportTitle: string;
}

/**
 * Sections whose stored JSON contains some text (a figure's or an evidence source's id), by report title and position:
 * the text narrows the sections to parse without reading every one. Without text, every section.
 */
export const sectionsContaining = read(['sections', 'reports'], (db: Db, text?: string): SectionInReport[] =>
  db.all<SectionInReport>(
    `SELECT s.id, s.title, s.position, s.content, s.report_id AS reportId, r.slug AS reportSlug, r.title AS reportTitle
       FROM sections s JOIN reports r ON r.id = s.report_id
      ${text === undefined ? '' : 'WHERE instr(s.content, ?) > 0'} ORDER BY r.title, s.position`,
    text === undefined ? [] : [text],
  ),
);

// Writes --------------------------------------------------------------------------------------------------------------
function requireSection(tx: Tx, id: string): SectionRow {
  const s = tx.get<SectionRow>('SELECT * FROM sections WHERE id = ?', [id]);
  if (!s) throw new WorkspaceError('not-found-record', `Section ${id} does not exist in this workspace.`);
  return s;
}

function uniqueSlug(tx: Tx, title: string): string {
  const base = slugify(title).slice(0, 80) || 'report';
  let slug = base;
  for (let i = 2; tx.get('SELECT 1 FROM reports WHERE slug = ?', [slug]); i++) slug = `${base}-${i}`;
  return slug;
}

function touchReport(tx: Tx, reportId: string): void {
  tx.run('UPDATE reports SET updated_at = ? WHERE id = ?', [tx.at, reportId]);
}

/** Numbers a report's sections 1..n in the order given. */
function renumber(tx: Tx, ids: readonly string[]): void {
  ids.forEach((sid, i) => tx.run('UPDATE sections SET position = ? WHERE id = ? AND position <> ?', [i + 1, sid, i + 1]));
}

function sectionOrder(tx: Tx, reportId: string): string[] {
  return tx.all<{ id: string }>('SELECT id FROM sections WHERE report_id = ? ORDER BY position, rowid', [reportId]).map((s) => s.id);
}

export interface NewReport {
  title: string;
  subtitle?: string | null | undefined;
  /** A slug of the caller's choosing; a clash is refused. Without one, the title's, made unique. */
  slug?: string | undefined;
  templateId?: string | null | undefined;
  params?: FigureParams | undefined;
  /** Over DEFAULT_REPORT_SETTINGS. */
  settings?: Partial<ReportSettings> | undefined;
  /** The report's author, who also owns its sections; the person making it when not given. */
  author?: string | null | undefined;
  sections: { title: string; content?: string | undefined }[];
}

export interface CreatedReport {
  reportId: string;
  slug: string;
  sectionIds: string[];
}

/** Creates a report and its sections, numbered from 1, in the caller's write, with one audit entry. */
export function createReport(tx: Tx, r: NewReport): CreatedReport {
  let slug = r.slug;
  if (slug !== undefined && tx.get('SELECT 1 FROM reports WHERE slug = ?', [slug])) {
    throw new WorkspaceError('conflict', `report: a report with the slug "${slug}" already exists`);
  }
  slug ??= uniqueSlug(tx, r.title);
  const id = newId();
  const author = r.author === undefined ? tx.actor : r.author;
  tx.run('INSERT INTO reports(id, slug, title, subtitle, template_id, params, settings, author, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    id,
    slug,
    r.title,
    r.subtitle ?? null,
    r.templateId ?? null,
    JSON.stringify(r.params ?? {}),
    JSON.stringify({ ...DEFAULT_REPORT_SETTINGS, ...(r.settings ?? {}) }),
    author,
    tx.at,
    tx.at,
  ]);
  tx.note({ table: 'reports', op: 'insert', key: { id } });
  const sectionIds = r.sections.map((s, i) => {
    const sid = newId();
    tx.run('INSERT INTO sections(id, report_id, position, title, owner, status, content, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      sid,
      id,
      i + 1,
      s.title,
      author,
      'draft',
      s.content ?? EMPTY_CONTENT,
      tx.at,
      tx.actor,
    ]);
    tx.note({ table: 'sections', op: 'insert', key: { id: sid } });
    return sid;
  });
  const after = tx.get<ReportRow>('SELECT * FROM reports WHERE id = ?', [id]);
  audit(tx, 'report.create', 'reports', id, null, { ...after, sections: sectionIds.length });
  return { reportId: id, slug, sectionIds };
}

export const NewReportInput = z.object({
  templateId: z.string().min(1),
  title: z.string().trim().min(1).optional(),
  subtitle: z.string().nullish(),
  slug: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens')
    .optional(),
  /** Over the template's defaults. */
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** Over DEFAULT_REPORT_SETTINGS. */
  settings: ReportSettingsInput.optional(),
  author: z.string().nullish(),
  /** Leave out the guidance (for reports made in code, such as the demo, which write their own text). */
  withGuidance: z.boolean().default(true),
});
export type NewReportInput = z.input<typeof NewReportInput>;

/**
 * "New report from template", the one way the app, the CLI and the demo make one: the template's sections, numbered
 * from 1, each with the template's guidance (see templateSectionContent), its starter text and the suggested figures
 * the workspace's library has. Run inside one workspace write.
 */
export function createReportFromTemplate(tx: Tx, input: NewReportInput): CreatedReport {
  const r = parseInput('report', NewReportInput, input);
  const template = getTemplate(r.templateId);
  if (!template) {
    throw new WorkspaceError('invalid', `report: there is no template "${r.templateId}" (templates: ${listTemplates().map((t) => t.id).join(', ')})`);
  }
  const params = { ...template.defaultParams, ...(r.params ?? {}) };
  // A report on one assessment (an inspection report made from its inspection) comes filled from it.
  const assessmentId = typeof params.assessment === 'string' && params.assessment ? params.assessment : undefined;
  const facts = assessmentId ? assessmentReportFacts(tx, assessmentId) : undefined;
  if (assessmentId && !facts) throw new WorkspaceError('invalid', `report: there is no assessment "${assessmentId}" to write the report on`, { fields: { assessment: 'is not an assessment' } });
  // The figures the template brings: added to the library where it has none by that slug (one the editor changed is kept).
  const have = figuresBySlug(tx, template.figures.map((f) => f.slug));
  for (const f of facts ? template.figures : []) if (!have.has(f.slug)) saveFigure(tx, { slug: f.slug, name: f.name, description: f.description, kind: f.kind, spec: f.spec, format: f.format ?? {} }, { bySlug: true });
  const suggested = figuresBySlug(tx, [...new Set(template.sections.flatMap((s) => s.suggestedFigures))]);
  return createReport(tx, {
    title: r.title ?? template.defaultTitle,
    subtitle: r.subtitle === undefined ? (template.defaultSubtitle ?? null) : r.subtitle,
    slug: r.slug,
    templateId: template.id,
    params,
    settings: r.settings,
    author: r.author,
    sections: template.sections.map((s) => ({
      title: s.title,
      content: templateSectionContent(
        s,
        // A template's own figures about one assessment are shown only in a report on one.
        s.suggestedFigures
          .filter((slug) => facts || !template.figures.some((t) => t.slug === slug))
          .map((slug) => suggested.get(slug))
          .filter((f): f is SuggestedFigure => !!f),
        { guidance: r.withGuidance, facts },
      ),
    })),
  });
}

/** A date written yyyy-mm-dd that exists in the calendar. */
function isIsoDate(v: unknown): v is string {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/**
 * What is wrong with a report's parameters, by parameter, in words a form shows beside the field: a date parameter
 * (asAt, previousAsAt, or any name ending in "At") must be a real date, and the comparison date must come before the
 * "as at" date. Empty when they are acceptable.
 */
export function reportParamProblems(params: FigureParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (/At$/.test(k) && !isIsoDate(v)) out[k] = `must be a date written yyyy-mm-dd${typeof v === 'string' && v ? ` (“${v}” is not one)` : ''}`;
  }
  const { asAt, previousAsAt } = params;
  if (!out.asAt && !out.previousAsAt && typeof asAt === 'string' && typeof previousAsAt === 'string' && previousAsAt >= asAt) {
    out.previousAsAt = 'must be before the “as at” date';
  }
  return out;
}

export function setReportParams(tx: Tx, idOrSlug: string, params: FigureParams): void {
  const before = findReport(tx, idOrSlug);
  const problems = reportParamProblems(params);
  if (Object.keys(problems).length) {
    throw new WorkspaceError('invalid', `The parameters of “${before.title}” were not changed: ${Object.entries(problems).map(([k, m]) => `${k} ${m}`).join('; ')}.`, { fields: problems });
  }
  tx.run('UPDATE reports SET params = ?, updated_at = ? WHERE id = ?', [JSON.stringify(params), tx.at, before.id]);
  audit(tx, 'report.params', 'reports', before.id, { params: before.params }, { params });
  tx.note({ table: 'reports', op: 'update', key: { id: before.id } });
}

/** Changes some of a report's settings (the rest keep their values). */
export function setReportSettings(tx: Tx, idOrSlug: string, input: ReportSettingsInput): ReportSettings {
  const before = findReport(tx, idOrSlug);
  const change = parseInput('report settings', ReportSettingsInput, input);
  const settings: ReportSettings = { ...before.settings, ...change };
  tx.run('UPDATE reports SET settings = ?, updated_at = ? WHERE id = ?', [JSON.stringify(settings), tx.at, before.id]);
  audit(tx, 'report.settings', 'reports', before.id, { settings: before.settings }, { settings });
  tx.note({ table: 'reports', op: 'update', key: { id: before.id } });
  return settings;
}

// Editions -------------------------------------------------------------------------------------------------------------

/** A new edition keeps the publication's standing furniture, not what belongs to one edition (its date, ISBN, HC number). */
function nextEditionSettings(s: ReportSettings): ReportSettings {
  if (!s.publication) return s;
  const { publishedOn: _d, isbn: _i, hcNumber: _h, ...standing } = s.publication;
  return { ...s, publication: { ...standing, publishedOn: '', isbn: '', hcNumber: '' } };
}

/**
 * "New edition…": a copy of a report with its sections (text, figures and citations as they are), its settings and
 * its template, under next year's parameters and title, linked to the edition it came from. Every section starts as a
 * draft with no approval: nothing signed off for last year's numbers carries over to this year's.
 */
export function createNextEdition(tx: Tx, idOrSlug: string, input: { title?: string | undefined; params?: FigureParams | undefined } = {}): CreatedReport {
  const from = findReport(tx, idOrSlug);
  const params = input.params ?? nextEditionParams(from.params);
  const problems = reportParamProblems(params);
  if (Object.keys(problems).length) {
    throw new WorkspaceError('invalid', `The new edition was not made: ${Object.entries(problems).map(([k, m]) => `${k} ${m}`).join('; ')}.`, { fields: problems });
  }
  const sections = reportSections(tx, { reportId: from.id });
  const made = createReport(tx, {
    title: input.title?.trim() || nextEditionTitle(from.title),
    subtitle: from.subtitle,
    templateId: from.templateId,
    params,
    settings: nextEditionSettings(from.settings),
    sections: sections.map((s) => ({ title: s.title, content: s.content })),
  });
  tx.run('UPDATE reports SET previous_edition_id = ? WHERE id = ?', [from.id, made.reportId]);
  // Each section keeps its owner from last year's edition.
  sections.forEach((s, i) => tx.run('UPDATE sections SET owner = ? WHERE id = ?', [s.owner, made.sectionIds[i]!]));
  audit(tx, 'report.new-edition', 'reports', made.reportId, null, { from: from.id, fromTitle: from.title, params });
  return made;
}

/** Adds an empty section after another (or at the end), owned by whoever adds it. Returns its id. */
export function addSection(tx: Tx, reportIdOrSlug: string, title: string, afterSectionId?: string): string {
  const report = findReport(tx, reportIdOrSlug);
  const order = sectionOrder(tx, report.id);
  let index = order.length;
  if (afterSectionId) {
    const at = order.indexOf(afterSectionId);
    if (at < 0) throw new WorkspaceError('invalid', `Section ${afterSectionId} is not in this report.`);
    index = at + 1;
  }
  const id = newId();
  tx.run('INSERT INTO sections(id, report_id, position, title, owner, status, content, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    id,
    report.id,
    order.length + 1,
    title,
    tx.actor,
    'draft',
    EMPTY_CONTENT,
    tx.at,
    tx.actor,
  ]);
  order.splice(index, 0, id);
  renumber(tx, order);
  touchReport(tx, report.id);
  audit(tx, 'section.add', 'sections', id, null, { reportId: report.id, title, position: index + 1 });
  tx.note({ table: 'sections', op: 'insert', key: { id } });
  return id;
}

export function renameSection(tx: Tx, id: string, title: string): void {
  const before = requireSection(tx, id);
  tx.run('UPDATE sections SET title = ?, updated_at = ?, updated_by = ? WHERE id = ?', [title, tx.at, tx.actor, id]);
  touchReport(tx, before.report_id);
  audit(tx, 'section.rename', 'sections', id, { title: before.title }, { title });
  tx.note({ table: 'sections', op: 'update', key: { id } });
}

/** Moves a section to an index of its report's order (0 first), renumbering the rest. */
export function moveSection(tx: Tx, id: string, toIndex: number): void {
  const s = requireSection(tx, id);
  const order = sectionOrder(tx, s.report_id);
  const from = order.indexOf(id);
  const to = Math.min(toIndex, order.length - 1);
  if (from === to) return;
  order.splice(from, 1);
  order.splice(to, 0, id);
  renumber(tx, order);
  touchReport(tx, s.report_id);
  audit(tx, 'section.move', 'sections', id, { position: from + 1 }, { position: to + 1 });
  tx.note({ table: 'sections', op: 'update', key: { id } });
}

export function deleteSection(tx: Tx, id: string): void {
  const s = requireSection(tx, id);
  // Approvals and comments on the section go with it (ON DELETE CASCADE); the audit entry keeps its text.
  tx.run('DELETE FROM sections WHERE id = ?', [id]);
  renumber(tx, sectionOrder(tx, s.report_id));
  touchReport(tx, s.report_id);
  audit(tx, 'section.delete', 'sections', id, { title: s.title, position: s.position, content: s.content }, null);
  tx.note({ table: 'sections', op: 'delete', key: { id } });
}

/**
 * Returns when the section was last changed: now, or before when the content is the same. The write's actor is
 * recorded as the section's last editor (who may not then approve it; shared/review/workflow.ts). A comment's mark
 * added or taken away is not a change to the text: the section keeps its last editor and time, so a reviewer who
 * comments may still approve it.
 */
export function saveSectionContent(tx: Tx, id: string, content: string): string {
  const s = requireSection(tx, id);
  if (s.content === content) return s.updated_at;
  const marksOnly = sameApartFromMarks(s.content, content);
  tx.run('UPDATE sections SET content = ?, updated_at = ?, updated_by = ? WHERE id = ?', [
    content,
    marksOnly ? s.updated_at : tx.at,
    marksOnly ? s.updated_by : tx.actor,
    id,
  ]);
  touchReport(tx, s.report_id);
  // The audit log records that the text changed, not every keystroke's full text: autosaves would swamp the file.
  audit(tx, 'section.edit', 'sections', id, { bytes: s.content.length }, { bytes: content.length });
  tx.note({ table: 'sections', op: 'update', key: { id } });
  return tx.at;
}

/**
 * Records a section's move in the review workflow: who moved it to which status, when. The audit entry names the move
 * (`action`) and what came with it (approvals recorded). An approval also stores `snapshot`, what it signed off (the
 * section's whole content as printed); other moves keep the last approval's snapshot, for "what changed since".
 */
export function setSectionStatus(
  tx: Tx,
  id: string,
  to: SectionStatus,
  by: string,
  record: { action: string; details?: Record<string, unknown>; snapshot?: string },
): void {
  const s = requireSection(tx, id);
  if (record.snapshot !== undefined) {
    tx.run('UPDATE sections SET status = ?, status_by = ?, status_at = ?, approval_snapshot = ? WHERE id = ?', [to, by, tx.at, record.snapshot, id]);
  } else {
    tx.run('UPDATE sections SET status = ?, status_by = ?, status_at = ? WHERE id = ?', [to, by, tx.at, id]);
  }
  audit(
    tx,
    record.action,
    'sections',
    id,
    { status: s.status, status_by: s.status_by, status_at: s.status_at },
    { status: to, status_by: by, status_at: tx.at, ...(record.details ?? {}) },
  );
  tx.note({ table: 'sections', op: 'update', key: { id } });
}

/** Deletes reports by slug, with their sections (the demo replaces its own reports). */
export function deleteReportsBySlug(tx: Tx, slugs: readonly string[]): number {
  let n = 0;
  for (const slug of slugs) n += tx.run('DELETE FROM reports WHERE slug = ?', [slug]);
  return n;
}

/**
 * Replaces a report's sections with these, numbered from 1, their ids made from the report's (the demo writes its
 * reports whole, with statuses already given).
 */
export function replaceSections(
  tx: Tx,
  reportId: string,
  sections: readonly {
    title: string;
    owner: string | null;
    status: SectionStatus;
    statusBy: string | null;
    statusAt: string | null;
    content: string;
    /** Who wrote it (the last editor); the write's actor when not given. */
    updatedBy?: string | null;
  }[],
): string[] {
  tx.run('DELETE FROM sections WHERE report_id = ?', [reportId]);
  return sections.map((s, i) => {
    const id = `${reportId}-s${String(i + 1).padStart(2, '0')}`;
    const vals: SqlValue[] = [id, reportId, i + 1, s.title, s.owner, s.status, s.statusBy, s.statusAt, s.content, tx.at, s.updatedBy === undefined ? tx.actor : s.updatedBy];
    tx.run(
      'INSERT INTO sections(id, report_id, position, title, owner, status, status_by, status_at, content, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      vals,
    );
    tx.note({ table: 'sections', op: 'insert', key: { id } });
    return id;
  });
}
