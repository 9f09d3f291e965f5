import type { FigureParams, FigureResult, FigureState } from '../figures/types';
import type { Workspace } from '../store/workspace';
import { findReport, reportSections, type ReportRecord, type SectionRecord } from '../store/reports';
import { getEvidence, isRestricted, type EvidenceRecord } from '../store/evidence';
import { activeFindings, findingEvidenceLinks } from '../store/findings';
import { approvalsIn } from '../store/figures';
import { inlineValue } from '../document/tree';
import { chartAltText, chartModel } from '../charts/model';
import { todayIso } from '../util/runtime';
import { readSection, sentenceText, type FigureMention, type Location, type SectionContent } from './content';
import { ApprovalIndex, approvalParams, canonicalParams, effectiveParams, figureDefs, figureState, headlineOf, type FigureSource, type ReviewFigureDef } from './figures';

/**
 * One pass over a report that everything in review is derived from: the figures it shows and their sign-off state, its
 * claims and the evidence behind them, and the problems that block or weaken publication. The citation ledger, the
 * publication checks and the "what changed" view are views of this one result, so they can never disagree.
 */

export interface ReviewOptions {
  /** Which export the checks guard: restricted evidence in text blocks a public export only. Default public. */
  audience?: 'public' | 'internal';
  /** Evidence collected longer ago than this is flagged. Default 730 days (two years). */
  maxEvidenceAgeDays?: number;
  /**
   * The date evidence ages are measured to (yyyy-mm-dd). Default: the report's `asAt` parameter when it has one (a
   * report about July 2018 rests on evidence of its time, however long ago that now is), else today.
   */
  today?: string;
}

export const DEFAULT_MAX_EVIDENCE_AGE_DAYS = 730;

/** The report a review is of. */
export type ReportRow = Pick<ReportRecord, 'id' | 'slug' | 'title' | 'params'>;

export interface FigureValue {
  value: unknown;
  formatted: string;
  fingerprint: string;
}

export interface FigureUseReview {
  figureId: string;
  slug: string;
  name: string;
  kind: string;
  display: FigureMention['display'];
  part?: string;
  /** Effective parameters: the report's merged with the node's overrides. */
  params: FigureParams;
  location: Location;
  /** What the report shows for this use now (a part, or the formatted value). */
  shown: string;
  state: FigureState;
  current: FigureValue;
  approved?: FigureValue & { by: string; at: string; shown: string };
  /** For a stale figure, what changed, in words ("approved 75%, now 80%"; "3 of 9 rows differ"). */
  change?: string;
  error?: string;
}

export interface EvidenceRef {
  id: string;
  title: string;
  kind: string;
  sensitivity: string;
  restricted: boolean;
  collectedOn: string | null;
  collectedBy: string | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
  /** How the claim reaches it: cited in the sentence, linked to a figure in it, or behind a finding it quotes. */
  via: ('citation' | 'figure' | 'finding')[];
  /** Cited but not in this workspace. */
  missing?: boolean;
}

export type ClaimFlag = 'no-evidence' | 'unverified' | 'old' | 'missing';

export interface Claim {
  id: string;
  location: Location;
  text: string;
  figures: { figureId: string; slug: string; shown: string; state: FigureState }[];
  findings: { id: string; text: string; status: string }[];
  evidence: EvidenceRef[];
  flags: ClaimFlag[];
}

export type ProblemCode =
  | 'section-not-approved'
  | 'section-edited-since-approval'
  | 'figure-stale'
  | 'figure-unapproved'
  | 'figure-error'
  | 'figure-restricted'
  | 'claim-no-evidence'
  | 'evidence-missing'
  | 'evidence-unverified'
  | 'evidence-old'
  | 'restricted-evidence-in-text'
  | 'suppression'
  | 'chart-no-alt-text'
  | 'heading-skipped-level'
  | 'table-no-header-row'
  | 'figure-inconsistent'
  | 'content-unreadable';

export interface Problem {
  code: ProblemCode;
  severity: 'blocking' | 'warning';
  message: string;
  location?: Location;
  figureId?: string;
  evidenceId?: string;
  /** For stale figures: what was signed off and what the figure shows now. */
  approved?: FigureValue & { by: string; at: string };
  current?: FigureValue;
}

export interface SectionReview {
  id: string;
  title: string;
  status: SectionRecord['status'];
  statusBy: string | null;
  statusAt: string | null;
  owner: string | null;
  /** Approved, and since then a figure in it has changed value. */
  changedSinceApproval: boolean;
  staleFigures: number;
  figures: number;
}

export interface ReportReview {
  report: ReportRow;
  audience: 'public' | 'internal';
  sections: SectionReview[];
  figures: FigureUseReview[];
  claims: Claim[];
  problems: Problem[];
  blocking: number;
  warnings: number;
  checkedAt: string;
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

export function reviewReport(ws: Workspace, figures: FigureSource, idOrSlug: string, opts: ReviewOptions = {}): ReportReview {
  const record = findReport(ws, idOrSlug);
  const report: ReportRow = { id: record.id, slug: record.slug, title: record.title, params: record.params };
  const audience = opts.audience ?? 'public';
  const maxAge = opts.maxEvidenceAgeDays ?? DEFAULT_MAX_EVIDENCE_AGE_DAYS;
  const asAt = typeof report.params.asAt === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(report.params.asAt) ? report.params.asAt : undefined;
  const today = opts.today ?? asAt ?? todayIso();
  const sections = reportSections(ws, { reportId: report.id });
  const defs = figureDefs(ws);
  const approvals = new ApprovalIndex(
    approvalsIn(
      ws,
      sections.map((s) => s.id),
    ),
  );
  const problems: Problem[] = [];
  const uses: FigureUseReview[] = [];
  const claims: Claim[] = [];

  const results = new Map<string, FigureResult>();
  const evaluate = (figureId: string, params: FigureParams): FigureResult => {
    const k = `${figureId}|${canonicalParams(params)}`;
    let r = results.get(k);
    if (!r) {
      r = figures.evaluate(figureId, params);
      results.set(k, r);
    }
    return r;
  };

  const evidenceCache = new Map<string, EvidenceRecord | undefined>();
  const evidenceRow = (id: string): EvidenceRecord | undefined => {
    if (!evidenceCache.has(id)) evidenceCache.set(id, getEvidence(ws, id));
    return evidenceCache.get(id);
  };

  const findings = activeFindings(ws).map((f) => ({ ...f, norm: normaliseText(f.text) }));
  const findingEvidence = findingEvidenceLinks(ws);

  const sectionReviews: SectionReview[] = [];
  for (const s of sections) {
    const content: SectionContent = readSection(s.content, `Section "${s.title}"`);
    const at = (paragraph?: number, sentence?: number): Location => ({
      sectionId: s.id,
      sectionTitle: s.title,
      ...(paragraph !== undefined ? { paragraph } : {}),
      ...(sentence !== undefined ? { sentence } : {}),
    });
    if (content.unreadable) {
      problems.push({ code: 'content-unreadable', severity: 'blocking', message: content.problems.join(' '), location: at() });
    }

    // Figures -----------------------------------------------------------------------------------------------------
    const sectionUses: FigureUseReview[] = [];
    const shownFor = new Map<FigureMention, string>();
    for (const m of content.figures) {
      const def = defs.get(m.figureId);
      const location = at(m.paragraph, m.sentence);
      const params = effectiveParams(report.params, m.params);
      if (!def) {
        problems.push({ code: 'figure-error', severity: 'blocking', message: `A figure (${m.figureId}) is not in the figure library.`, location, figureId: m.figureId });
        shownFor.set(m, '[figure missing]');
        continue;
      }
      const result = evaluate(def.id, params);
      // A table or chart is not one number: what it "shows" is its rows.
      const shown = m.display === 'inline' ? inlineValue(result, m.part).text : rowCount((result.rows ?? []).length);
      shownFor.set(m, shown);
      const found = approvals.find(def.id, s.id, approvalParams(result, params));
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
        const approvedShown =
          m.display !== 'inline' ? rowCount(rowsOf(approval.value).length) : m.part ? (partOf(approval.value, m.part) ?? approval.formatted) : approval.formatted;
        use.approved = { value: headlineOf(approval.value), formatted: approval.formatted, fingerprint: approval.fingerprint, by: approval.approvedBy, at: approval.approvedAt, shown: approvedShown };
        if (state === 'stale') use.change = describeChange(use, approval.value, result, m);
      }
      sectionUses.push(use);
      checkFigureUse(use, def, result, m, problems);
    }
    uses.push(...sectionUses);

    // Claims --------------------------------------------------------------------------------------------------------
    for (const sen of content.sentences) {
      const text = sentenceText(sen, (m) => shownFor.get(m) ?? '');
      const norm = normaliseText(text);
      const quoted = findings.filter((f) => quotes(norm, f.norm));
      if (!sen.figures.length && !sen.citations.length && !quoted.length) continue;
      const location = at(sen.paragraph, sen.sentence);
      const evidence = new Map<string, EvidenceRef>();
      const addEvidence = (id: string, via: EvidenceRef['via'][number]): void => {
        const known = evidence.get(id);
        if (known) {
          if (!known.via.includes(via)) known.via.push(via);
          return;
        }
        const row = evidenceRow(id);
        evidence.set(
          id,
          row
            ? {
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
              }
            : { id, title: '(not in this workspace)', kind: '', sensitivity: '', restricted: false, collectedOn: null, collectedBy: null, verifiedBy: null, verifiedAt: null, via: [via], missing: true },
        );
      };
      for (const c of sen.citations) addEvidence(c.evidenceId, 'citation');
      for (const m of sen.figures) for (const e of defs.get(m.figureId)?.evidenceIds ?? []) addEvidence(e, 'figure');
      for (const f of quoted) for (const e of findingEvidence.get(f.id) ?? []) addEvidence(e, 'finding');
      const ev = [...evidence.values()];
      const present = ev.filter((e) => !e.missing);
      const flags: ClaimFlag[] = [];
      if (!present.length) flags.push('no-evidence');
      if (ev.some((e) => e.missing)) flags.push('missing');
      if (present.some((e) => !e.verifiedAt)) flags.push('unverified');
      if (present.some((e) => e.collectedOn && daysBetween(e.collectedOn, today) > maxAge)) flags.push('old');
      const claim: Claim = {
        id: `${s.id}:${sen.paragraph}:${sen.sentence}`,
        location,
        text,
        figures: sen.figures.map((m) => {
          const u = sectionUses.find((x) => x.location.paragraph === m.paragraph && x.location.sentence === m.sentence && x.figureId === m.figureId && x.part === m.part);
          return { figureId: m.figureId, slug: defs.get(m.figureId)?.slug ?? m.figureId, shown: shownFor.get(m) ?? '', state: u?.state ?? 'error' };
        }),
        findings: quoted.map((f) => ({ id: f.id, text: f.text, status: f.status })),
        evidence: ev,
        flags,
      };
      claims.push(claim);
      claimProblems(claim, maxAge, today, audience, problems);
    }

    // Structure -----------------------------------------------------------------------------------------------------
    let previous = 0;
    for (const h of content.headings) {
      if (h.level > previous + 1) {
        problems.push({
          code: 'heading-skipped-level',
          severity: 'warning',
          message:
            previous === 0
              ? `The first heading, “${h.text}”, is a level ${h.level} heading; a section’s headings start at level 1 (the section title is above them).`
              : `The heading “${h.text}” jumps from level ${previous} to level ${h.level}; screen reader users navigate by heading level.`,
          location: at(h.paragraph),
        });
      }
      previous = h.level;
    }
    for (const t of content.tables) {
      if (!t.headerRow) {
        problems.push({
          code: 'table-no-header-row',
          severity: 'blocking',
          message: 'A table has no header row; mark its first row as a header so screen readers can name each column.',
          location: at(t.paragraph),
        });
      }
    }

    // Section status ------------------------------------------------------------------------------------------------
    const stale = sectionUses.filter((u) => u.state === 'stale').length;
    sectionReviews.push({
      id: s.id,
      title: s.title,
      status: s.status,
      statusBy: s.statusBy,
      statusAt: s.statusAt,
      owner: s.owner,
      changedSinceApproval: s.status === 'approved' && stale > 0,
      staleFigures: stale,
      figures: sectionUses.length,
    });
    if (s.status !== 'approved') {
      problems.push({
        code: 'section-not-approved',
        severity: 'blocking',
        message: `Section “${s.title}” is ${s.status === 'draft' ? 'still a draft' : 'in review'}, not approved.`,
        location: at(),
      });
    } else if (s.statusAt && s.updatedAt > s.statusAt) {
      problems.push({
        code: 'section-edited-since-approval',
        severity: 'warning',
        message: `Section “${s.title}” was edited after ${s.statusBy ?? 'someone'} approved it on ${s.statusAt.slice(0, 10)}.`,
        location: at(),
      });
    }
  }

  consistencyProblems(uses, problems);

  const blocking = problems.filter((p) => p.severity === 'blocking').length;
  return {
    report,
    audience,
    sections: sectionReviews,
    figures: uses,
    claims,
    problems,
    blocking,
    warnings: problems.length - blocking,
    checkedAt: new Date().toISOString(),
  };
}

function rowCount(n: number): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? 'row' : 'rows'}`;
}

function rowsOf(value: unknown): unknown[] {
  const rows = value && typeof value === 'object' ? (value as { rows?: unknown }).rows : undefined;
  return Array.isArray(rows) ? rows : [];
}

function precise(v: unknown): string {
  return typeof v === 'number' ? String(Number(v.toPrecision(4))) : JSON.stringify(v);
}

/**
 * What changed, in words. When the printed value is the same (66% then and now) the change is below the shown
 * precision, so the underlying values are given too: otherwise "approved 66%, now 66%" reads like a mistake.
 */
function describeChange(use: FigureUseReview, approvedValue: unknown, result: FigureResult, m: FigureMention): string {
  if (m.display !== 'inline') {
    const before = rowsOf(approvedValue);
    const now = (result.rows ?? []) as unknown[];
    const n = Math.max(before.length, now.length);
    let differ = 0;
    for (let i = 0; i < n; i++) if (JSON.stringify(before[i] ?? null) !== JSON.stringify(now[i] ?? null)) differ++;
    return before.length === now.length ? `${differ} of ${rowCount(n)} differ` : `it had ${rowCount(before.length)} and now has ${now.length.toLocaleString('en-GB')}; ${differ} differ`;
  }
  const approved = use.approved!;
  if (approved.shown !== use.shown) return `approved ${approved.shown}, now ${use.shown}`;
  const a = m.part ? (approvedValue as { parts?: Record<string, unknown> } | null)?.parts?.[m.part] : headlineOf(approvedValue);
  const b = m.part ? result.parts?.[m.part] : result.value;
  return `it still reads ${use.shown}, but the value underneath moved from ${precise(a)} to ${precise(b)}`;
}

function partOf(value: unknown, part: string): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const parts = (value as { parts?: Record<string, unknown> }).parts;
  const f = parts?.[`${part}Formatted`] ?? parts?.[`${part}_formatted`];
  if (typeof f === 'string') return f;
  const v = parts?.[part];
  return v === undefined || v === null ? undefined : String(v);
}

function describe(use: FigureUseReview): string {
  return `“${use.name}”${use.part ? ` (${use.part})` : ''}`;
}

function checkFigureUse(use: FigureUseReview, def: ReviewFigureDef, result: FigureResult, m: FigureMention, problems: Problem[]): void {
  const where = { location: use.location, figureId: use.figureId };
  if (result.pending) {
    problems.push({ code: 'figure-error', severity: 'blocking', message: `Figure ${describe(use)} is still being computed; check again in a moment.`, ...where });
    return;
  }
  if (result.internalOnly) {
    problems.push({ code: 'figure-restricted', severity: 'blocking', message: `Figure ${describe(use)} would show restricted data in a public edition: ${result.error}`, ...where });
    return;
  }
  if (use.state === 'error') {
    problems.push({ code: 'figure-error', severity: 'blocking', message: `Figure ${describe(use)} cannot be computed: ${result.error}`, ...where });
    return;
  }
  if (use.state === 'stale' && use.approved) {
    const { shown: _shown, ...approved } = use.approved;
    problems.push({
      code: 'figure-stale',
      severity: 'blocking',
      message:
        m.display === 'inline'
          ? `Figure ${describe(use)} has changed since ${use.approved.by} approved it: ${use.change}.`
          : `The ${m.display} “${m.caption?.trim() || use.name}” has changed since ${use.approved.by} approved it: ${use.change}.`,
      ...where,
      approved,
      current: use.current,
    });
  } else if (use.state === 'fresh') {
    problems.push({ code: 'figure-unapproved', severity: 'blocking', message: `Figure ${describe(use)} (${use.shown}) has not been approved.`, ...where });
  } else if (use.state === 'unapproved') {
    problems.push({
      code: 'figure-unapproved',
      severity: 'blocking',
      message: `Figure ${describe(use)} (${use.shown}) has not been approved with these parameters; ${use.approved?.by ?? 'someone'} approved it with others.`,
      ...where,
    });
  }

  // Suppression: what the report shows must not reveal a count the figure's own rule says to hide.
  const f = def.format;
  const marker = f.suppressedText ?? '[c]';
  if (m.display === 'inline') {
    // A part of a suppressed result (its numerator, say) is printed as it is, bypassing the figure's suppression.
    if (result.suppressed && m.part && use.shown !== marker && use.shown !== result.formatted) {
      problems.push({
        code: 'suppression',
        severity: 'blocking',
        message: `Figure ${describe(use)} is suppressed (${result.formatted}) but this sentence shows its “${m.part}” part, ${use.shown}.`,
        ...where,
      });
    } else if (f.suppressBelow !== undefined) {
      // The count behind the value: a share's numerator, or a count itself. A share with no numerator has no count to
      // test (its value is a proportion, not a number of people or services).
      const count = typeof result.numerator === 'number' ? result.numerator : f.style !== 'percent' && typeof result.value === 'number' ? result.value : undefined;
      if (count !== undefined && Math.abs(count) < f.suppressBelow && use.shown !== marker) {
        problems.push({
          code: 'suppression',
          severity: 'blocking',
          message: `Figure ${describe(use)} rests on a count of ${count}, below its suppression threshold of ${f.suppressBelow}, but is shown as ${use.shown}.`,
          ...where,
        });
      }
    }
  } else if (f.suppressBelow !== undefined && result.columns && result.rows) {
    // Table cells are formatted by their column's format; a count column without the figure's threshold shows small
    // numbers as they are.
    const threshold = f.suppressBelow;
    let exposed = 0;
    for (const c of result.columns) {
      const style = c.format?.style ?? 'number';
      if (!c.numeric || c.format?.suppressBelow !== undefined || style !== 'number') continue;
      for (const r of result.rows) {
        const v = r[c.key];
        if (typeof v === 'number' && Math.abs(v) < threshold) exposed++;
      }
    }
    if (exposed) {
      problems.push({
        code: 'suppression',
        severity: 'blocking',
        message: `The ${m.display} “${m.caption ?? def.name}” shows ${exposed} count${exposed === 1 ? '' : 's'} below the suppression threshold of ${threshold} unsuppressed.`,
        ...where,
      });
    }
  }

  if (m.display === 'chart') {
    const title = m.caption?.trim() || def.name;
    let alt = '';
    let why = 'it has no data to describe';
    try {
      alt = chartAltText({ ...chartModel(result, def.chart, title), title });
    } catch (e) {
      why = (e as Error).message;
    }
    if (!alt.trim()) {
      problems.push({ code: 'chart-no-alt-text', severity: 'blocking', message: `The chart “${title}” has no alt text: ${why}`, ...where });
    }
  }
}

function claimProblems(claim: Claim, maxAge: number, today: string, audience: 'public' | 'internal', problems: Problem[]): void {
  const short = claim.text.length > 90 ? `${claim.text.slice(0, 87)}…` : claim.text;
  const location = claim.location;
  if (claim.flags.includes('no-evidence')) {
    problems.push({ code: 'claim-no-evidence', severity: 'blocking', message: `No evidence behind the claim “${short}”`, location });
  }
  for (const e of claim.evidence) {
    if (e.missing) {
      problems.push({ code: 'evidence-missing', severity: 'blocking', message: `The claim “${short}” cites evidence ${e.id}, which is not in this workspace.`, location, evidenceId: e.id });
      continue;
    }
    if (!e.verifiedAt) {
      problems.push({ code: 'evidence-unverified', severity: 'warning', message: `Evidence “${e.title}” behind “${short}” has not been verified.`, location, evidenceId: e.id });
    }
    if (e.collectedOn && claim.flags.includes('old')) {
      if (daysBetween(e.collectedOn, today) > maxAge) {
        problems.push({
          code: 'evidence-old',
          severity: 'warning',
          message: `Evidence “${e.title}” behind “${short}” was collected on ${e.collectedOn}, more than ${maxAge} days before ${today}.`,
          location,
          evidenceId: e.id,
        });
      }
    }
    if (e.restricted && e.via.includes('citation')) {
      problems.push({
        code: 'restricted-evidence-in-text',
        severity: audience === 'public' ? 'blocking' : 'warning',
        message: `The sentence “${short}” cites ${e.sensitivity} evidence “${e.title}”; a public export would print the sentence. Rephrase it from public evidence or remove it.`,
        location,
        evidenceId: e.id,
      });
    }
  }
}

/** The same figure (and part, and parameters) must read the same wherever it is quoted, and be signed off at one value. */
function consistencyProblems(uses: FigureUseReview[], problems: Problem[]): void {
  const groups = new Map<string, FigureUseReview[]>();
  for (const u of uses) {
    if (u.display !== 'inline' || u.state === 'error') continue;
    const k = `${u.figureId}|${u.part ?? ''}|${canonicalParams(u.params)}`;
    groups.set(k, [...(groups.get(k) ?? []), u]);
  }
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const shown = new Set(g.map((u) => u.shown));
    const approvedAs = new Map<string, FigureUseReview>();
    for (const u of g) if (u.approved && !approvedAs.has(u.approved.shown)) approvedAs.set(u.approved.shown, u);
    if (shown.size > 1 || approvedAs.size > 1) {
      const values = shown.size > 1 ? [...shown] : [...approvedAs.keys()];
      const where = [...new Set(g.map((u) => `“${u.location.sectionTitle}”`))].join(', ');
      problems.push({
        code: 'figure-inconsistent',
        severity: 'blocking',
        message: `Figure ${describe(g[0]!)} is ${shown.size > 1 ? 'quoted' : 'signed off'} with different values (${values.join(', ')}) in ${where}.`,
        location: g[0]!.location,
        figureId: g[0]!.figureId,
      });
    }
  }
}

/** The "what changed" view: per section, each stale figure's approved and current values. */
export function whatChanged(review: ReportReview): {
  sectionId: string;
  sectionTitle: string;
  figures: { figureId: string; slug: string; name: string; part?: string; location: Location; approved: FigureUseReview['approved']; current: FigureValue; shown: string; change: string }[];
}[] {
  return review.sections
    .map((s) => ({
      sectionId: s.id,
      sectionTitle: s.title,
      figures: review.figures
        .filter((u) => u.location.sectionId === s.id && u.state === 'stale')
        .map((u) => ({
          figureId: u.figureId,
          slug: u.slug,
          name: u.name,
          ...(u.part ? { part: u.part } : {}),
          location: u.location,
          approved: u.approved,
          current: u.current,
          shown: u.shown,
          change: u.change ?? '',
        })),
    }))
    .filter((s) => s.figures.length > 0);
}

export type WhatChangedSection = ReturnType<typeof whatChanged>[number];
