import type { TemplateSection } from './templates';
import type { AssessmentReportFacts } from '../store/assessment-report';
import { councilInWords, longDate } from './format';
import { lxCite, lxFigureBlock, lxGuidance, lxParagraph, lxRoot, lxText } from './lexical';

/**
 * What a new report's section holds when it is made from a template: the content only. The report and its sections are
 * written by the store (shared/store/reports.ts createReportFromTemplate), for the app, the CLI and the demo alike.
 */

/** A figure of the workspace's library that a template section suggests. */
export interface SuggestedFigure {
  id: string;
  kind: 'value' | 'table' | 'chart';
  name: string;
}

/** An empty section, as the editor saves one. */
export const EMPTY_CONTENT = JSON.stringify(lxRoot([]));

/**
 * A template section as the editor's JSON. The guidance is a guidance node (lexical-nodes.ts SerializedGuidanceNode),
 * not text: the editor shows it apart, labelled "Guidance", no edition prints it, and `assay check` blocks publication
 * while it is left. The suggested values it names are found in the figure picker. Starter paragraphs follow, then a
 * block for each suggested table or chart. Suggestions the library lacks are left out rather than inserted broken.
 */
export function templateSectionContent(section: TemplateSection, figures: readonly SuggestedFigure[], opts: { guidance: boolean; facts?: AssessmentReportFacts | undefined }): string {
  const children: Record<string, unknown>[] = [];
  if (opts.guidance) {
    const values = figures.filter((f) => f.kind === 'value').map((f) => ({ figureId: f.id, name: f.name }));
    children.push(lxGuidance(section.instructions, values));
  }
  for (const p of section.starter) children.push(lxParagraph([lxText(p)]));
  const filled = opts.facts && section.fill ? assessmentParagraphs(section, opts.facts) : [];
  children.push(...filled);
  // Guidance is not a place to write: a section without starter text gets an empty paragraph to write in.
  if (!section.starter.length && !filled.length) children.push(lxParagraph([]));
  for (const f of figures) if (f.kind !== 'value') children.push(lxFigureBlock(f.id, f.kind, f.name));
  return JSON.stringify(lxRoot(children));
}

const BOLD = 1;
const ITALIC = 2;

/** "3 March 2025", "3 and 4 March 2025", "3 March and 10 April 2025": the days of the site visits, as a reader writes them. */
export function visitDates(dates: readonly string[]): string {
  const ds = [...new Set(dates)].sort();
  if (!ds.length) return '';
  const long = ds.map((d) => longDate(d));
  if (long.length === 1) return long[0]!;
  const sameMonth = ds.every((d) => d.slice(0, 7) === ds[0]!.slice(0, 7));
  if (sameMonth) return `${ds.slice(0, -1).map((d) => String(Number(d.slice(8, 10)))).join(', ')} and ${long[long.length - 1]}`;
  return `${long.slice(0, -1).join(', ')} and ${long[long.length - 1]}`;
}

const JUDGEMENT_WORDS: Record<string, string> = { strength: 'What is working well', concern: 'Concern', recommendation: 'What should improve' };
/** A council is not a service: its report calls a concern what CQC's local authority reports do. */
const COUNCIL_JUDGEMENT_WORDS: Record<string, string> = { ...JUDGEMENT_WORDS, concern: 'Area for improvement' };

/** "CQC’s single assessment framework", "CQC’s local authority assessment framework": the framework as a sentence names it. */
function frameworkInWords(name: string): string {
  if (!name) return 'CQC’s assessment framework';
  const lower = `${name.charAt(0).toLowerCase()}${name.slice(1)}`;
  return `CQC’s ${/framework$/i.test(lower) ? lower : `${lower} framework`}`;
}

/** Who carried out the assessment and when, and whether its ratings are final: for a service, or for a council. */
function visitParagraphs(facts: AssessmentReportFacts): Record<string, unknown>[] {
  const a = facts.assessment;
  const when = visitDates(a.siteVisits);
  const lead = a.leadInspector ?? a.team[0]?.name;
  const council = a.subjectType === 'local authority';
  const out = [
    lxParagraph([
      lxText(
        council
          ? `We assessed how ${councilInWords(a.subjectName)} meets its duties under Part 1 of the Care Act 2014, under ${frameworkInWords(facts.frameworkName)}.${when ? ` We visited on ${when}.` : ''}${lead ? ` The assessment team was led by ${lead}.` : ''}`
          : `We carried out this ${a.kind.toLowerCase()} of ${a.subjectName}${when ? ` on ${when}` : ''}, under ${frameworkInWords(facts.frameworkName)}.${lead ? ` The inspection team was led by ${lead}.` : ''}`,
      ),
    ]),
  ];
  const work = council ? 'assessment' : 'inspection';
  const ratings = council ? 'The scores and the rating' : 'These ratings';
  if (a.status !== 'published') out.push(lxParagraph([lxText(`${ratings} are a draft (the ${work} is ${a.status}): they are final only when the ${work} is published.`, ITALIC)]));
  else if (a.publishedOn) out.push(lxParagraph([lxText(`${council ? 'The assessment' : 'The ratings'} ${council ? 'was' : 'were'} published on ${longDate(a.publishedOn)}.`)]));
  return out;
}

/**
 * A section of a report on one assessment, filled from it when the report is made (an ordinary draft the author then
 * edits): the visit, the summary, or the findings under the section's key question or theme, each citing its evidence.
 */
function assessmentParagraphs(section: TemplateSection, facts: AssessmentReportFacts): Record<string, unknown>[] {
  const a = facts.assessment;
  switch (section.fill) {
    case 'visit':
      return visitParagraphs(facts);
    case 'summary':
      return (a.summary ?? '')
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => lxParagraph([lxText(p)]));
    case 'findings': {
      const words = a.subjectType === 'local authority' ? COUNCIL_JUDGEMENT_WORDS : JUDGEMENT_WORDS;
      return facts.findings
        .filter((f) => (section.theme !== undefined ? f.groupId === section.theme : f.keyQuestionId === section.keyQuestion))
        .map((f) =>
          lxParagraph([
            lxText(`${words[f.judgement] ?? f.judgement}${f.statement ? ` (${f.statement})` : ''}: `, BOLD),
            lxText(f.text.trim()),
            ...f.evidenceIds.map((e) => lxCite(e)),
          ]),
        );
    }
    default:
      return [];
  }
}
