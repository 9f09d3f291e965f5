import type { FigureParams, FigureResult } from '../figures/types';
import { parseSpec, resolveSpec, type FigureSpec } from '../figures/spec';
import type { ChangeRule } from '../figures/format';
import type { Workspace } from '../store/workspace';
import { findReport, reportSections, type SectionRecord } from '../store/reports';
import { getEvidence, isRestricted, type EvidenceRecord } from '../store/evidence';
import { activeFindings, findingEvidenceLinks } from '../store/findings';
import { approvalsIn } from '../store/figures';
import { inlineValue } from '../document/tree';
import { ContentError, parseLexical } from '../document/lexical';
import { todayIso } from '../util/runtime';
import { getTemplate } from '../document/templates';
import { reportPublication, type PublicationInput, type ReportPublication } from '../document/publication';
import { readSection, sentenceText, type FigureMention, type Location, type SectionContent } from './content';
import { ApprovalIndex, approvalParams, canonicalParams, effectiveParams, figureDefs, figureState, headlineOf, type FigureSource, type ReviewFigureDef } from './figures';
import type { Claim, ClaimFlag, EvidenceRef, FigureUseReview, ReportRow, SectionReview } from './types';
import { figureKey, printedTable, readApprovalSnapshot, snapshotOf, type ApprovalSnapshot } from './snapshot';
import { compareSnapshots, describeRows, hasChanges, type SectionChanges } from './diff';

/**
 * The gathering step of a review: one pass over the report that reads everything the checks look at (each section's
 * content, every figure it shows computed and matched to its sign-off, every claim with the evidence behind it) and
 * decides nothing about what is wrong. The checks (checks.ts) are functions of this result alone, so they cannot
 * disagree about what the report says, and a new check needs no new reads.
 */

/** A figure the section shows, found in the library, computed, and matched to its approval. */
export interface ResolvedMention {
  mention: FigureMention;
  location: Location;
  def: ReviewFigureDef;
  result: FigureResult;
  use: FigureUseReview;
  /** The figure's spec with this use's parameters put in; undefined for a SQL figure or one that cannot be resolved. */
  spec: FigureSpec | undefined;
}

/** A figure the section shows that is no longer in the library (deleted, or from another workspace). */
export interface MissingMention {
  mention: FigureMention;
  location: Location;
  def: undefined;
}

export type MentionFacts = ResolvedMention | MissingMention;

export interface SectionFacts {
  record: SectionRecord;
  content: SectionContent;
  /** A location in this section, for problems to point at. */
  at(paragraph?: number, sentence?: number): Location;
  /** Every figure the section shows, inline and as blocks, in reading order. */
  mentions: MentionFacts[];
  /** The resolved mentions' uses, as the review reports them. */
  uses: FigureUseReview[];
  claims: Claim[];
  /** Template guidance left in the section (1-based block positions, as `paragraph` in locations). */
  guidance: { paragraph: number; text: string }[];
  /** What the last approval signed off, when it recorded it (approvals since schema version 3 do). */
  approval?: ApprovalSnapshot;
  /**
   * For an approved section, what differs from what was signed off: text, citations, figures added or removed, and
   * figures printed differently that are not already stale (a stale figure is its own problem and its own row).
   */
  changes?: SectionChanges;
  summary: SectionReview;
}

export interface ReviewFacts {
  report: ReportRow;
  audience: 'public' | 'internal';
  /** The report's change rule (its settings): how its printed changes relate to its printed levels. */
  changes: ChangeRule;
  /** The date evidence ages are measured to. */
  today: string;
  maxEvidenceAgeDays: number;
  sections: SectionFacts[];
  /** The publication's furniture (report details over template defaults), when the report's template has any. */
  publication?: ReportPublication & { hasForeword: boolean };
}

export interface GatherOptions {
  audience: 'public' | 'internal';
  maxEvidenceAgeDays: number;
  /** Default: the report's `asAt` parameter when it has one, else today (see ReviewOptions.today). */
  today?: string | undefined;
}

export function gatherReview(ws: Workspace, figures: FigureSource, idOrSlug: string, opts: GatherOptions): ReviewFacts {
  const record = findReport(ws, idOrSlug);
  const report: ReportRow = { id: record.id, slug: record.slug, title: record.title, params: record.params };
  const asAt = typeof report.params.asAt === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(report.params.asAt) ? report.params.asAt : undefined;
  const today = opts.today ?? asAt ?? todayIso();
  const sections = reportSections(ws, { reportId: report.id });
  const reads: Reads = {
    defs: figureDefs(ws),
    approvals: new ApprovalIndex(
      approvalsIn(
        ws,
        sections.map((s) => s.id),
      ),
    ),
    evaluate: memo((figureId: string, params: FigureParams) => `${figureId}|${canonicalParams(params)}`, (figureId, params) => figures.evaluate({ figureId }, params, { changes: record.settings.changes })),
    evidence: memo((id: string) => id, (id) => getEvidence(ws, id)),
    findings: activeFindings(ws).map((f) => ({ ...f, norm: normaliseText(f.text) })),
    findingEvidence: findingEvidenceLinks(ws),
    maxAge: opts.maxEvidenceAgeDays,
    today,
  };
  return {
    report,
    audience: opts.audience,
    changes: record.settings.changes,
    today,
    maxEvidenceAgeDays: opts.maxEvidenceAgeDays,
    sections: sections.map((s) => gatherSection(s, report, reads)),
    ...publicationFacts(record.templateId, record.settings.publication, sections),
  };
}

/** The publication's furniture as it would print, and whether the report has the section its signatories sign. */
function publicationFacts(templateId: string | null, stored: PublicationInput | undefined, sections: readonly SectionRecord[]): Pick<ReviewFacts, 'publication'> {
  const publication = reportPublication(templateId ? getTemplate(templateId)?.publication : undefined, stored);
  if (!publication) return {};
  const foreword = publication.forewordSection.trim().toLowerCase();
  return { publication: { ...publication, hasForeword: sections.some((s) => s.title.trim().toLowerCase() === foreword) } };
}

/** What gathering reads once per review and shares across sections. */
interface Reads {
  defs: Map<string, ReviewFigureDef>;
  approvals: ApprovalIndex;
  /** The same figure with the same parameters is computed once per review, however often it is quoted. */
  evaluate: (figureId: string, params: FigureParams) => FigureResult;
  evidence: (id: string) => EvidenceRecord | undefined;
  findings: (ReturnType<typeof activeFindings>[number] & { norm: string })[];
  findingEvidence: ReturnType<typeof findingEvidenceLinks>;
  maxAge: number;
  today: string;
}

function memo<A extends unknown[], R>(key: (...args: A) => string, compute: (...args: A) => R): (...args: A) => R {
  const cache = new Map<string, R>();
  return (...args) => {
    const k = key(...args);
    if (cache.has(k)) return cache.get(k)!;
    const r = compute(...args);
    cache.set(k, r);
    return r;
  };
}

function gatherSection(s: SectionRecord, report: ReportRow, reads: Reads): SectionFacts {
  const content = readSection(s.content, `Section "${s.title}"`);
  const at = (paragraph?: number, sentence?: number): Location => ({
    sectionId: s.id,
    sectionTitle: s.title,
    ...(paragraph !== undefined ? { paragraph } : {}),
    ...(sentence !== undefined ? { sentence } : {}),
  });
  const mentions = content.figures.map((m) => gatherMention(m, s, report, at(m.paragraph, m.sentence), reads));
  const uses = mentions.flatMap((m) => (m.def ? [m.use] : []));
  // What each mention reads as in the sentence around it: claims quote the figure as the report prints it.
  const shownFor = new Map<FigureMention, string>(mentions.map((m) => [m.mention, m.def ? m.use.shown : '[figure missing]']));
  const claims = content.sentences.flatMap((sen) => gatherClaim(sen, s, at, uses, shownFor, reads) ?? []);
  const stale = uses.filter((u) => u.state === 'stale').length;
  const approval = readApprovalSnapshot(s.approvalSnapshot);
  const changes = s.status === 'approved' && approval ? changesSinceApproval(s, report, approval, mentions, reads) : undefined;
  const summary: SectionReview = {
    id: s.id,
    title: s.title,
    status: s.status,
    statusBy: s.statusBy,
    statusAt: s.statusAt,
    owner: s.owner,
    // Approved before approvals recorded the text (an older workspace) counts as changed: the approval did not cover it.
    changedSinceApproval: s.status === 'approved' && (stale > 0 || !approval || !!changes?.changed),
    staleFigures: stale,
    figures: uses.length,
    lastEditedBy: s.updatedBy,
    approvalRecorded: !!approval,
    ...(changes?.changed ? { changes } : {}),
  };
  return { record: s, content, at, mentions, uses, claims, guidance: guidanceIn(s.content), ...(approval ? { approval } : {}), ...(changes ? { changes } : {}), summary };
}

/** The section now against what its approval signed off; figures already stale are left to their own problem. */
function changesSinceApproval(s: SectionRecord, report: ReportRow, approval: ApprovalSnapshot, mentions: MentionFacts[], reads: Reads): SectionChanges {
  const now = snapshotOf({
    title: s.title,
    content: s.content,
    reportParams: report.params,
    figure: (figureId, params) => {
      const def = reads.defs.get(figureId);
      return def ? { name: def.name, result: reads.evaluate(def.id, params) } : undefined;
    },
  });
  const c = compareSnapshots(approval, now, (id) => reads.evidence(id)?.title ?? `evidence ${id} (not in this workspace)`);
  const stale = new Set(
    mentions.flatMap((m) => (m.def && m.use.state === 'stale' ? [figureKey(m.def.id, m.mention.display, m.mention.part, approvalParams(m.result, m.use.params))] : [])),
  );
  c.figures.changed = c.figures.changed.filter((f) => !stale.has(f.key));
  c.changed = hasChanges(c);
  return c;
}

function gatherMention(m: FigureMention, s: SectionRecord, report: ReportRow, location: Location, reads: Reads): MentionFacts {
  const def = reads.defs.get(m.figureId);
  if (!def) return { mention: m, location, def: undefined };
  const params = effectiveParams(report.params, m.params);
  const result = reads.evaluate(def.id, params);
  // A table or chart is not one number: what it "shows" is its rows.
  const shown = m.display === 'inline' ? inlineValue(result, m.part).text : rowCount((result.rows ?? []).length);
  const found = reads.approvals.find(def.id, s.id, approvalParams(result, params));
  const state = figureState(result, found);
  const approval = found?.approval;
  const use: FigureUseReview = {
    figureId: def.id,
    slug: def.slug,
    name: def.name,
    kind: def.kind,
    display: m.display,
    ...(m.part ? { part: m.part } : {}),
    params,
    location,
    shown,
    state,
    current: { value: result.value, formatted: result.formatted, fingerprint: result.provenance.fingerprint },
    ...(result.error ? { error: result.error } : {}),
  };
  if (approval) {
    const approvedShown = m.display !== 'inline' ? rowCount(rowsOf(approval.value).length) : m.part ? (partOf(approval.value, m.part) ?? approval.formatted) : approval.formatted;
    use.approved = { value: headlineOf(approval.value), formatted: approval.formatted, fingerprint: approval.fingerprint, by: approval.approvedBy, at: approval.approvedAt, shown: approvedShown };
    if (state === 'stale') use.change = describeChange(use, approval.value, result, m);
  }
  return { mention: m, location, def, result, use, spec: specOf(def.spec, params) };
}

/** The guidance blocks a section still holds (the parser also recognises guidance written before the guidance node). */
function guidanceIn(content: string): SectionFacts['guidance'] {
  try {
    return parseLexical(content).blocks.flatMap((b, i) => (b.type === 'guidance' ? [{ paragraph: i + 1, text: b.text }] : []));
  } catch (e) {
    if (e instanceof ContentError) return [];
    throw e;
  }
}

function specOf(raw: Record<string, unknown> | null, params: FigureParams): FigureSpec | undefined {
  if (!raw) return undefined;
  try {
    return resolveSpec(parseSpec(raw), params);
  } catch {
    // The figure's own error is reported by the figure checks.
    return undefined;
  }
}

/**
 * A sentence is a claim when it quotes a figure, cites evidence or quotes a finding. Its evidence is everything behind
 * it, however reached: cited in the sentence, linked to a figure in it, or behind a finding it quotes.
 */
function gatherClaim(
  sen: SectionContent['sentences'][number],
  s: SectionRecord,
  at: SectionFacts['at'],
  uses: FigureUseReview[],
  shownFor: Map<FigureMention, string>,
  reads: Reads,
): Claim | undefined {
  const text = sentenceText(sen, (m) => shownFor.get(m) ?? '');
  const norm = normaliseText(text);
  const quoted = reads.findings.filter((f) => quotes(norm, f.norm));
  if (!sen.figures.length && !sen.citations.length && !quoted.length) return undefined;
  const evidence = new Map<string, EvidenceRef>();
  const addEvidence = (id: string, via: EvidenceRef['via'][number]): void => {
    const known = evidence.get(id);
    if (known) {
      if (!known.via.includes(via)) known.via.push(via);
      return;
    }
    evidence.set(id, evidenceRef(id, reads.evidence(id), via));
  };
  for (const c of sen.citations) addEvidence(c.evidenceId, 'citation');
  for (const m of sen.figures) for (const e of reads.defs.get(m.figureId)?.evidenceIds ?? []) addEvidence(e, 'figure');
  for (const f of quoted) for (const e of reads.findingEvidence.get(f.id) ?? []) addEvidence(e, 'finding');
  const ev = [...evidence.values()];
  const present = ev.filter((e) => !e.missing);
  const flags: ClaimFlag[] = [];
  // A live figure computed from the workspace's data is itself support: its query, parameters and rows are its
  // provenance, which the reviewer traces from the figure. A claim rests on nothing when it has neither such a figure
  // nor any evidence present (only citations of missing evidence, or a quoted finding with none behind it).
  const backedByData = sen.figures.some((m) => {
    const u = uses.find((x) => x.location.paragraph === m.paragraph && x.location.sentence === m.sentence && x.figureId === m.figureId && x.part === m.part);
    return !!u && u.state !== 'error';
  });
  if (!present.length && !backedByData) flags.push('no-evidence');
  if (ev.some((e) => e.missing)) flags.push('missing');
  if (present.some((e) => !e.verifiedAt)) flags.push('unverified');
  if (present.some((e) => isOld(e, reads.maxAge, reads.today))) flags.push('old');
  return {
    id: `${s.id}:${sen.paragraph}:${sen.sentence}`,
    location: at(sen.paragraph, sen.sentence),
    text,
    figures: sen.figures.map((m) => {
      const u = uses.find((x) => x.location.paragraph === m.paragraph && x.location.sentence === m.sentence && x.figureId === m.figureId && x.part === m.part);
      return { figureId: m.figureId, slug: reads.defs.get(m.figureId)?.slug ?? m.figureId, shown: shownFor.get(m) ?? '', state: u?.state ?? 'error' };
    }),
    findings: quoted.map((f) => ({ id: f.id, text: f.text, status: f.status })),
    evidence: ev,
    flags,
  };
}

function evidenceRef(id: string, row: EvidenceRecord | undefined, via: EvidenceRef['via'][number]): EvidenceRef {
  if (!row) {
    return { id, title: '(not in this workspace)', kind: '', sensitivity: '', restricted: false, collectedOn: null, collectedBy: null, verifiedBy: null, verifiedAt: null, via: [via], missing: true };
  }
  return {
    id,
    title: row.title,
    kind: row.kind,
    sensitivity: row.sensitivity,
    restricted: isRestricted(row.sensitivity),
    collectedOn: row.collectedOn,
    collectedBy: row.collectedBy,
    verifiedBy: row.verifiedBy,
    verifiedAt: row.verifiedAt,
    via: [via],
  };
}

/** Collected longer ago than the review allows, counted to the review's date. */
export function isOld(e: Pick<EvidenceRef, 'collectedOn'>, maxAgeDays: number, today: string): boolean {
  return !!e.collectedOn && daysBetween(e.collectedOn, today) > maxAgeDays;
}

/** Folds case, quotes and spacing so a finding quoted in a sentence is recognised despite typographic differences. */
export function normaliseText(s: string): string {
  return s
    .toLowerCase()
    .replace(/[‘’']/g, "'")
    .replace(/[“”"]/g, '"')
    .replace(/[^a-z0-9%'" ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A finding quoted in a sentence: its (normalised) text is in the sentence, or the sentence is a long part of it. */
function quotes(sentence: string, finding: string): boolean {
  if (finding.length < 20) return false;
  return sentence.includes(finding) || (sentence.length >= 40 && finding.includes(sentence));
}

function daysBetween(fromIso: string, toIso: string): number {
  return Math.floor((Date.parse(`${toIso.slice(0, 10)}T00:00:00Z`) - Date.parse(`${fromIso.slice(0, 10)}T00:00:00Z`)) / 86_400_000);
}

function rowCount(n: number): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? 'row' : 'rows'}`;
}

function rowsOf(value: unknown): unknown[] {
  const rows = value && typeof value === 'object' ? (value as { rows?: unknown }).rows : undefined;
  return Array.isArray(rows) ? rows : [];
}

/** Two values to as many significant digits as it takes to tell them apart (at least 4), so they never read the same. */
function precise(a: unknown, b: unknown): [string, string] {
  if (typeof a !== 'number' || typeof b !== 'number') return [JSON.stringify(a), JSON.stringify(b)];
  for (let p = 4; p < 17; p++) {
    const x = String(Number(a.toPrecision(p)));
    const y = String(Number(b.toPrecision(p)));
    if (x !== y) return [x, y];
  }
  return [String(a), String(b)];
}

/**
 * What changed, in words. When the printed value is the same (66% then and now) the change is below the shown
 * precision, so the underlying values are given too: otherwise "approved 66%, now 66%" reads like a mistake.
 */
export function describeChange(use: FigureUseReview, approvedValue: unknown, result: FigureResult, m: FigureMention): string {
  if (m.display !== 'inline') {
    // Rows are matched by their category columns and compared cell by cell as printed (the approved rows are stored
    // as canonical JSON, keys sorted, so comparing them whole with the result's rows would find every row different).
    const d = describeRows(printedTable(result, rowsOf(approvedValue) as Record<string, unknown>[]), printedTable(result, result.rows ?? []));
    return d.same ? `${d.text}, but values underneath changed below the printed precision` : d.text;
  }
  const approved = use.approved!;
  if (approved.shown !== use.shown) return `approved ${approved.shown}, now ${use.shown}`;
  const a = m.part ? (approvedValue as { parts?: Record<string, unknown> } | null)?.parts?.[m.part] : headlineOf(approvedValue);
  const b = m.part ? result.parts?.[m.part] : result.value;
  const [x, y] = precise(a, b);
  return `it still reads ${use.shown}, but the value underneath moved from ${x} to ${y}`;
}

function partOf(value: unknown, part: string): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const parts = (value as { parts?: Record<string, unknown> }).parts;
  const f = parts?.[`${part}Formatted`] ?? parts?.[`${part}_formatted`];
  if (typeof f === 'string') return f;
  const v = parts?.[part];
  return v === undefined || v === null ? undefined : String(v);
}
