import { chartAltText as altTextOf, chartModel } from '../charts/model';
import { fillParams } from '../document/format';
import { canonicalParams } from './figures';
import { isOld, type ResolvedMention, type ReviewFacts, type SectionFacts } from './gather';
import type { Claim, EvidenceRef, FigureUseReview, Problem } from './types';
import { printedNumbersAgree } from './agreement';
import { describeChanges } from './diff';
import { missingFurniture } from '../document/publication';

/**
 * The publication checks, each a small function from the gathered review (gather.ts) to the problems it finds. They
 * read nothing themselves, so they agree with each other and with the ledger about what the report says. Adding a
 * check is one function and one entry in CHECKS.
 */

export type Check =
  /** Problems within one section; run for each section in turn. */
  | { each: 'section'; run: (section: SectionFacts, review: ReviewFacts) => Problem[] }
  /** Problems only visible across sections; run once, after every section's. */
  | { each: 'report'; run: (review: ReviewFacts) => Problem[] };

/**
 * Every check, in the order its problems are listed: section by section (each section's problems in this order, each
 * check's in reading order), then those about the report as a whole.
 */
export const CHECKS: readonly Check[] = [
  { each: 'section', run: contentUnreadable },
  { each: 'section', run: figureStates },
  { each: 'section', run: restrictedFigures },
  { each: 'section', run: outsideCoverage },
  { each: 'section', run: draftFigures },
  { each: 'section', run: suppression },
  { each: 'section', run: chartAltText },
  { each: 'section', run: printedNumbersAgree },
  { each: 'section', run: claimsWithoutEvidence },
  { each: 'section', run: missingEvidence },
  { each: 'section', run: unverifiedEvidence },
  { each: 'section', run: oldEvidence },
  { each: 'section', run: restrictedEvidenceInText },
  { each: 'section', run: headingLevels },
  { each: 'section', run: tableHeaderRows },
  { each: 'section', run: guidanceLeft },
  { each: 'section', run: sectionApproval },
  { each: 'report', run: figureConsistency },
  { each: 'report', run: publicationFurniture },
];

export function runChecks(review: ReviewFacts, checks: readonly Check[] = CHECKS): Problem[] {
  const problems: Problem[] = [];
  for (const section of review.sections) {
    for (const c of checks) if (c.each === 'section') problems.push(...c.run(section, review));
  }
  for (const c of checks) if (c.each === 'report') problems.push(...c.run(review));
  return problems;
}

// Content ---------------------------------------------------------------------------------------------------------------

function contentUnreadable(s: SectionFacts): Problem[] {
  return s.content.unreadable ? [{ code: 'content-unreadable', severity: 'blocking', message: s.content.problems.join(' '), location: s.at() }] : [];
}

// Figures ---------------------------------------------------------------------------------------------------------------

function describe(use: FigureUseReview): string {
  // A name may use the report's parameters ("… ({asAt:year})"): said as the report prints it.
  return `“${fillParams(use.name, use.params)}”${use.part ? ` (${use.part})` : ''}`;
}

function where(m: ResolvedMention): Pick<Problem, 'location' | 'figureId'> {
  return { location: m.use.location, figureId: m.use.figureId };
}

/**
 * Figures with a value to check what the report does with it. One still being computed, withheld from a public
 * edition or in error is reported as that, and has nothing yet to suppress or describe.
 */
function computed(s: SectionFacts): ResolvedMention[] {
  return s.mentions.filter((m): m is ResolvedMention => m.def !== undefined && !m.result.pending && !m.result.internalOnly && m.use.state !== 'error');
}

/** Every figure must be in the library, computable, and approved at the value (and parameters) the report shows. */
function figureStates(s: SectionFacts): Problem[] {
  const problems: Problem[] = [];
  for (const m of s.mentions) {
    if (!m.def) {
      problems.push({ code: 'figure-error', severity: 'blocking', message: `A figure (${m.mention.figureId}) is not in the figure library.`, location: m.location, figureId: m.mention.figureId });
      continue;
    }
    const { use, result, mention } = m;
    if (result.pending) {
      problems.push({ code: 'figure-error', severity: 'blocking', message: `Figure ${describe(use)} is still being computed; check again in a moment.`, ...where(m) });
    } else if (result.internalOnly) {
      // restrictedFigures reports it.
    } else if (use.state === 'error') {
      problems.push({ code: 'figure-error', severity: 'blocking', message: `Figure ${describe(use)} cannot be computed: ${result.error}`, ...where(m) });
    } else if (use.state === 'stale' && use.approved) {
      const { shown: _shown, ...approved } = use.approved;
      problems.push({
        code: 'figure-stale',
        severity: 'blocking',
        message:
          mention.display === 'inline'
            ? `Figure ${describe(use)} has changed since ${use.approved.by} approved it: ${use.change}.`
            : `The ${mention.display} “${fillParams(mention.caption?.trim() || use.name, use.params)}” has changed since ${use.approved.by} approved it: ${use.change}.`,
        ...where(m),
        approved,
        current: use.current,
      });
    } else if (use.state === 'fresh') {
      problems.push({ code: 'figure-unapproved', severity: 'blocking', message: `Figure ${describe(use)} (${use.shown}) has not been approved.`, ...where(m) });
    } else if (use.state === 'unapproved') {
      problems.push({
        code: 'figure-unapproved',
        severity: 'blocking',
        message: `Figure ${describe(use)} (${use.shown}) has not been approved with these parameters; ${use.approved?.by ?? 'someone'} approved it with others.`,
        ...where(m),
      });
    }
  }
  return problems;
}

/** A figure that reads data only internal editions may show (an SQL figure over restricted tables, say). */
function restrictedFigures(s: SectionFacts): Problem[] {
  return s.mentions
    .filter((m): m is ResolvedMention => m.def !== undefined && !m.result.pending && !!m.result.internalOnly)
    .map((m): Problem => ({ code: 'figure-restricted', severity: 'blocking', message: `Figure ${describe(m.use)} would show restricted data in a public edition: ${m.result.error}`, ...where(m) }));
}

/**
 * A figure whose date falls outside what the data can answer (a latest-ratings edition asked about a date before its
 * extract date, say) gives a confident wrong number: a blocker, with the engine's message naming what would answer it.
 */
function outsideCoverage(s: SectionFacts): Problem[] {
  return computed(s)
    .filter((m) => m.result.coverage && !m.result.coverage.ok)
    .map((m): Problem => ({ code: 'figure-outside-coverage', severity: 'blocking', message: `Figure ${describe(m.use)} cannot be answered by the data: ${m.result.coverage!.message}`, ...where(m) }));
}

/**
 * A figure showing what is not yet published (an inspection's draft ratings, in its own report) blocks a public
 * edition: they may change in moderation, and publishing them is the inspection's own step. An internal edition is
 * warned.
 */
function draftFigures(s: SectionFacts, review: ReviewFacts): Problem[] {
  return computed(s)
    .filter((m) => !!m.result.draft)
    .map(
      (m): Problem => ({
        code: 'figure-draft',
        severity: review.audience === 'public' ? 'blocking' : 'warning',
        message: `Figure ${describe(m.use)} shows ${m.result.draft}: publish the assessment before a public edition prints it.`,
        ...where(m),
      }),
    );
}

/** What the report shows must not reveal a count the figure's own rule says to hide. */
function suppression(s: SectionFacts): Problem[] {
  const problems: Problem[] = [];
  for (const m of computed(s)) {
    const { use, result, mention, def } = m;
    const f = def.format;
    const marker = f.suppressedText ?? '[c]';
    if (mention.display === 'inline') {
      // A part of a suppressed result (its numerator, say) is printed as it is, bypassing the figure's suppression.
      if (result.suppressed && mention.part && use.shown !== marker && use.shown !== result.formatted) {
        problems.push({
          code: 'suppression',
          severity: 'blocking',
          message: `Figure ${describe(use)} is suppressed (${result.formatted}) but this sentence shows its “${mention.part}” part, ${use.shown}.`,
          ...where(m),
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
            ...where(m),
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
          message: `The ${mention.display} “${fillParams(mention.caption ?? def.name, use.params)}” shows ${exposed} count${exposed === 1 ? '' : 's'} below the suppression threshold of ${threshold} unsuppressed.`,
          ...where(m),
        });
      }
    }
  }
  return problems;
}

/** Accessibility: every chart needs alt text, which is drawn from its data; a chart that cannot describe itself fails. */
function chartAltText(s: SectionFacts): Problem[] {
  const problems: Problem[] = [];
  for (const m of computed(s)) {
    if (m.mention.display !== 'chart') continue;
    const title = m.mention.caption?.trim() || m.def.name;
    let alt = '';
    let why = 'it has no data to describe';
    try {
      alt = altTextOf({ ...chartModel(m.result, m.def.chart, title), title });
    } catch (e) {
      why = (e as Error).message;
    }
    if (!alt.trim()) problems.push({ code: 'chart-no-alt-text', severity: 'blocking', message: `The chart “${title}” has no alt text: ${why}`, ...where(m) });
  }
  return problems;
}

/** The same figure (and part, and parameters) must read the same wherever it is quoted, and be signed off at one value. */
function figureConsistency(review: ReviewFacts): Problem[] {
  const groups = new Map<string, FigureUseReview[]>();
  for (const u of review.sections.flatMap((s) => s.uses)) {
    if (u.display !== 'inline' || u.state === 'error') continue;
    const k = `${u.figureId}|${u.part ?? ''}|${canonicalParams(u.params)}`;
    groups.set(k, [...(groups.get(k) ?? []), u]);
  }
  const problems: Problem[] = [];
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const shown = new Set(g.map((u) => u.shown));
    const approvedAs = new Map<string, FigureUseReview>();
    for (const u of g) if (u.approved && !approvedAs.has(u.approved.shown)) approvedAs.set(u.approved.shown, u);
    if (shown.size > 1 || approvedAs.size > 1) {
      const values = shown.size > 1 ? [...shown] : [...approvedAs.keys()];
      const sections = [...new Set(g.map((u) => `“${u.location.sectionTitle}”`))].join(', ');
      problems.push({
        code: 'figure-inconsistent',
        severity: 'blocking',
        message: `Figure ${describe(g[0]!)} is ${shown.size > 1 ? 'quoted' : 'signed off'} with different values (${values.join(', ')}) in ${sections}.`,
        location: g[0]!.location,
        figureId: g[0]!.figureId,
      });
    }
  }
  return problems;
}

/**
 * A public edition of an official publication carries its furniture: publication date, copyright and licence, ISBN,
 * HC number when laid before Parliament, contact details, alternative formats and accessibility statements, and a
 * signed foreword. Each one missing is a warning (the edition can still be made), naming it and where to add it.
 */
function publicationFurniture(review: ReviewFacts): Problem[] {
  const p = review.publication;
  if (review.audience !== 'public' || !p) return [];
  return missingFurniture(p.details, { laidBeforeParliament: p.laidBeforeParliament, hasForeword: p.hasForeword }).map((item): Problem => ({
    code: 'publication-details-missing',
    severity: 'warning',
    message: `The public edition lacks ${item}: add it in Publication details, on the report’s bar.`,
  }));
}

// Claims and evidence ---------------------------------------------------------------------------------------------------

function short(claim: Claim): string {
  return claim.text.length > 90 ? `${claim.text.slice(0, 87)}…` : claim.text;
}

/** Each piece of evidence behind each claim, with the claim, for the checks that judge evidence one at a time. */
function evidenceOf(s: SectionFacts, include: (e: EvidenceRef) => boolean): { claim: Claim; e: EvidenceRef }[] {
  return s.claims.flatMap((claim) => claim.evidence.filter(include).map((e) => ({ claim, e })));
}

function claimsWithoutEvidence(s: SectionFacts): Problem[] {
  return s.claims
    .filter((c) => c.flags.includes('no-evidence'))
    .map((c): Problem => ({ code: 'claim-no-evidence', severity: 'blocking', message: `No evidence behind the claim “${short(c)}”`, location: c.location }));
}

function missingEvidence(s: SectionFacts): Problem[] {
  return evidenceOf(s, (e) => !!e.missing).map(({ claim, e }): Problem => ({
    code: 'evidence-missing',
    severity: 'blocking',
    message: `The claim “${short(claim)}” cites evidence ${e.id}, which is not in this workspace.`,
    location: claim.location,
    evidenceId: e.id,
  }));
}

function unverifiedEvidence(s: SectionFacts): Problem[] {
  return evidenceOf(s, (e) => !e.missing && !e.verifiedAt).map(({ claim, e }): Problem => ({
    code: 'evidence-unverified',
    severity: 'warning',
    message: `Evidence “${e.title}” behind “${short(claim)}” has not been verified.`,
    location: claim.location,
    evidenceId: e.id,
  }));
}

function oldEvidence(s: SectionFacts, review: ReviewFacts): Problem[] {
  const maxAge = review.maxEvidenceAgeDays;
  return evidenceOf(s, (e) => !e.missing && isOld(e, maxAge, review.today)).map(({ claim, e }): Problem => ({
    code: 'evidence-old',
    severity: 'warning',
    message: `Evidence “${e.title}” behind “${short(claim)}” was collected on ${e.collectedOn}, more than ${maxAge} days before ${review.today}.`,
    location: claim.location,
    evidenceId: e.id,
  }));
}

/** A sentence citing restricted evidence would be printed in a public edition; an internal one only warns. */
/**
 * A sentence citing restricted evidence is printed in a public edition, so it blocks one until a reviewer has cleared it
 * for publication when approving the section (a disclosure check: the sentence says nothing the evidence keeps back).
 * A clearance holds only while the section is as approved; the citation itself never prints the evidence's title.
 */
function restrictedEvidenceInText(s: SectionFacts, review: ReviewFacts): Problem[] {
  const current = !!s.approval && s.record.status === 'approved' && !s.changes?.changed;
  const cleared = (claim: Claim, id: string) =>
    current && !!s.approval!.cleared?.some((c) => c.evidenceId === id && c.paragraph === claim.location.paragraph && c.sentence === claim.location.sentence);
  return evidenceOf(s, (e) => !e.missing && e.restricted && e.via.includes('citation')).map(({ claim, e }): Problem =>
    cleared(claim, e.id)
      ? {
          code: 'restricted-evidence-in-text',
          severity: 'warning',
          message: `The sentence “${short(claim)}” cites ${e.sensitivity} evidence “${e.title}”; ${s.approval!.approvedBy} cleared it for publication on ${s.approval!.approvedAt.slice(0, 10)}.`,
          location: claim.location,
          evidenceId: e.id,
        }
      : {
          code: 'restricted-evidence-in-text',
          severity: review.audience === 'public' ? 'blocking' : 'warning',
          message: `The sentence “${short(claim)}” cites ${e.sensitivity} evidence “${e.title}”; a public export would print the sentence. Rephrase it from public evidence, remove it, or clear it for publication when approving the section.`,
          location: claim.location,
          evidenceId: e.id,
        },
  );
}

// Structure -------------------------------------------------------------------------------------------------------------

/** Accessibility: screen reader users navigate by heading level, so a section's headings must not skip one. */
function headingLevels(s: SectionFacts): Problem[] {
  const problems: Problem[] = [];
  let previous = 0;
  for (const h of s.content.headings) {
    if (h.level > previous + 1) {
      problems.push({
        code: 'heading-skipped-level',
        severity: 'warning',
        message:
          previous === 0
            ? `The first heading, “${h.text}”, is a level ${h.level} heading; a section’s headings start at level 1 (the section title is above them).`
            : `The heading “${h.text}” jumps from level ${previous} to level ${h.level}; screen reader users navigate by heading level.`,
        location: s.at(h.paragraph),
      });
    }
    previous = h.level;
  }
  return problems;
}

/** Accessibility: a table's header row lets screen readers name each column. */
function tableHeaderRows(s: SectionFacts): Problem[] {
  return s.content.tables
    .filter((t) => !t.headerRow)
    .map((t): Problem => ({
      code: 'table-no-header-row',
      severity: 'blocking',
      message: 'A table has no header row; mark its first row as a header so screen readers can name each column.',
      location: s.at(t.paragraph),
    }));
}

/** Template guidance is for the author: a section that still holds any is not ready to publish. */
function guidanceLeft(s: SectionFacts): Problem[] {
  return s.guidance.map((g): Problem => ({
    code: 'guidance-left',
    severity: 'blocking',
    message: `Section “${s.record.title}” still has the template’s guidance (“${g.text.length > 60 ? `${g.text.slice(0, 57)}…` : g.text}”); remove it before publishing.`,
    location: s.at(g.paragraph),
  }));
}

/**
 * Every section must be approved, and approval covers its whole content: a section whose title, text, citations or
 * figures (added, removed or printed differently) changed since it was signed off blocks a public edition (an internal
 * one is warned), as does one approved before approvals recorded what they covered. A stale figure is its own problem.
 */
function sectionApproval(s: SectionFacts, review: ReviewFacts): Problem[] {
  const r = s.record;
  if (r.status !== 'approved') {
    return [{ code: 'section-not-approved', severity: 'blocking', message: `Section “${r.title}” is ${r.status === 'draft' ? 'still a draft' : 'in review'}, not approved.`, location: s.at() }];
  }
  const severity = review.audience === 'public' ? 'blocking' : 'warning';
  if (!s.approval) {
    return [
      {
        code: 'section-changed-since-approval',
        severity,
        message: `Section “${r.title}” was approved${r.statusBy ? ` by ${r.statusBy}` : ''}${r.statusAt ? ` on ${r.statusAt.slice(0, 10)}` : ''} before approvals recorded a section’s text and citations; approve it again so that the approval covers its whole content.`,
        location: s.at(),
      },
    ];
  }
  if (s.changes?.changed) {
    return [
      {
        code: 'section-changed-since-approval',
        severity,
        message: `Section “${r.title}” has changed since ${s.approval.approvedBy} approved it on ${s.approval.approvedAt.slice(0, 10)}: ${describeChanges(s.changes)}.`,
        location: s.at(),
      },
    ];
  }
  return [];
}
