import { z } from 'zod';
import { PublicationTemplate } from './publication';
import stateOfCare from '../../templates/state-of-care.json';
import localSystemReview from '../../templates/local-system-review.json';
import inspectionReport from '../../templates/inspection-report.json';
import localAuthorityAssessment from '../../templates/local-authority-assessment.json';

/**
 * Report templates are data (templates/*.json), checked here on load: a template with a typo fails with the path of the
 * bad field, not with a broken export later.
 */

const Colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1f3864');

export const HouseStyleSchema = z.object({
  organisation: z.string().min(1),
  /** Short name for neutral references, e.g. "CQC". */
  organisationShort: z.string().min(1),
  fonts: z.object({
    /** CSS font stacks for HTML and PDF. */
    body: z.string().min(1),
    heading: z.string().min(1),
    /** Font names written into Word files (metric-compatible with the HTML fonts). */
    wordBody: z.string().min(1),
    wordHeading: z.string().min(1),
  }),
  colours: z.object({
    primary: Colour,
    accent: Colour,
    text: Colour,
    muted: Colour,
    rule: Colour,
    tableHeaderFill: Colour,
    tableHeaderText: Colour,
    tableStripe: Colour,
    calloutFill: Colour,
    coverBackground: Colour,
    coverText: Colour,
  }),
  sizes: z.object({
    bodyPt: z.number().min(8).max(16),
    h1Pt: z.number().min(12).max(40),
    h2Pt: z.number().min(10).max(30),
    h3Pt: z.number().min(9).max(24),
    captionPt: z.number().min(7).max(14),
    tablePt: z.number().min(7).max(14),
  }),
  spacing: z.object({
    lineHeight: z.number().min(1).max(2.5),
    paragraphAfterPt: z.number().min(0).max(30),
  }),
  page: z.object({
    size: z.enum(['A4']),
    marginMm: z.object({ top: z.number(), right: z.number(), bottom: z.number(), left: z.number() }),
  }),
  cover: z.object({
    kicker: z.string(),
    strapline: z.string().optional(),
  }),
  numberHeadings: z.boolean(),
  /** Printed (PDF and Word), each top-level section starts a new page: a long annual report's chapters do, a short inspection report's sections need not. */
  sectionsOnNewPage: z.boolean().default(true),
  /** Series colours for charts, darkest first, so that neighbouring series differ in lightness as well as hue. */
  chartPalette: z.array(Colour).min(4),
  /**
   * A colour for each rating, so that a series named for one (a distribution's "Good") is drawn in it wherever it
   * stands in the chart, and never in the colour of another. Chosen to differ in lightness as well as hue, so that the
   * four read apart in greyscale and for colour-blind readers; patterns separate the two darkest.
   */
  ratingColours: z.record(z.string(), Colour).default({}),
});
export type HouseStyle = z.infer<typeof HouseStyleSchema>;

export const TemplateSectionSchema = z.object({
  title: z.string().min(1),
  /** Guidance for the author, shown in the new section as a guidance node (never exported; blocks publication until removed). */
  instructions: z.string().min(1),
  /** Starter paragraphs. */
  starter: z.array(z.string()).default([]),
  /** Slugs of library figures this section usually quotes; blocks (tables, charts) are inserted when the figure exists. */
  suggestedFigures: z.array(z.string()).default([]),
  /**
   * For a report on one assessment (the report's `assessment` parameter): what the section is filled with when the
   * report is made. 'visit': who inspected or assessed what and when; 'summary': the assessment's summary; 'findings':
   * its findings under `keyQuestion` (a key question id) or `theme` (the id of a group of the assessment's framework,
   * such as a local authority assessment's theme: the findings about its quality statements), each with its judgement
   * and the evidence it cites.
   */
  fill: z.enum(['visit', 'summary', 'findings']).optional(),
  keyQuestion: z.string().optional(),
  theme: z.string().optional(),
});
export type TemplateSection = z.infer<typeof TemplateSectionSchema>;

export const TemplateSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  description: z.string().min(1),
  kind: z.enum(['annual-report', 'local-system-review', 'inspection-report', 'assessment-report']),
  defaultTitle: z.string().min(1),
  defaultSubtitle: z.string().optional(),
  defaultParams: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  style: HouseStyleSchema,
  /**
   * A template for the report on one assessment: the kinds of subject whose assessments it reports on (as the
   * framework data names them: 'location', 'local authority') and the words of the action that makes the report from
   * an assessment's screen. The app offers it on the screen of an assessment of such a subject.
   */
  assessment: z.object({ subjectTypes: z.array(z.string().min(1)).min(1), action: z.string().min(1) }).optional(),
  /**
   * The furniture of the publication (shared/document/publication.ts): defaults for its fields (a report's own
   * publication details win), whether it is laid before Parliament, the section the signatories sign.
   */
  publication: PublicationTemplate.optional(),
  sections: z.array(TemplateSectionSchema).min(1),
  /** Figures the template brings into the library when a report is made from it and the library lacks them (by slug). */
  figures: z
    .array(
      z.object({
        slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
        name: z.string().min(1),
        description: z.string().min(1),
        kind: z.enum(['value', 'table', 'chart']),
        spec: z.record(z.string(), z.unknown()),
        format: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .default([]),
});
export type Template = z.infer<typeof TemplateSchema>;

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** Checks a template read from anywhere (the bundled ones, or a file an organisation supplies). */
export function parseTemplate(raw: unknown, where = 'template'): Template {
  const r = TemplateSchema.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new TemplateError(`${where} is not a valid report template: ${first.join('; ')}`);
  }
  return r.data;
}

let cache: Template[] | undefined;

/** The bundled templates, checked once. */
export function listTemplates(): Template[] {
  cache ??= [
    parseTemplate(stateOfCare, 'templates/state-of-care.json'),
    parseTemplate(localSystemReview, 'templates/local-system-review.json'),
    parseTemplate(inspectionReport, 'templates/inspection-report.json'),
    parseTemplate(localAuthorityAssessment, 'templates/local-authority-assessment.json'),
  ];
  return cache;
}

export function getTemplate(id: string): Template | undefined {
  return listTemplates().find((t) => t.id === id);
}

/** The template for the report on an assessment of this kind of subject (the first that reports on it), if any. */
export function templateForAssessment(subjectType: string): Template | undefined {
  return listTemplates().find((t) => t.assessment?.subjectTypes.includes(subjectType));
}

/** The template of a report, falling back to the annual report's house style for reports made without one. */
export function templateFor(templateId: string | null | undefined): Template {
  return (templateId ? getTemplate(templateId) : undefined) ?? listTemplates()[0]!;
}
