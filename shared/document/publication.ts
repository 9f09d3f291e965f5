import { z } from 'zod';
import { longDate } from './format';

/**
 * The furniture of an official publication: what a reader finds on the page after the cover (the edition notices) and
 * under the foreword. Held as report metadata (the report's settings, `publication`), with defaults from the report's
 * template (its `publication` block), edited in the app (Publication details…), printed by every exporter and checked
 * before a public edition (shared/review/checks.ts).
 *
 * A field the report sets (even to nothing) wins over the template's default; a field it never set takes the default.
 */

/** Why a date (yyyy-mm-dd) is not one, or undefined when it is. */
export function dateProblem(s: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return 'Enter a date written yyyy-mm-dd';
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s ? undefined : 'Enter a real date';
}

/** Why an HC number is not one, or undefined when it is. */
export function hcNumberProblem(s: string): string | undefined {
  return HC_NUMBER.test(s.trim()) ? undefined : 'Write a House of Commons number like “HC 1457”';
}

/** Optional text checked by a rule when given: empty is allowed (the check says what a public edition lacks). */
function checked(max: number, problem: (s: string) => string | undefined) {
  return words(max).superRefine((s, ctx) => {
    const p = s ? problem(s) : undefined;
    if (p) ctx.addIssue({ code: 'custom', message: p });
  });
}

/** The digits of an ISBN as written (hyphens and spaces allowed between them). */
export function isbnDigits(s: string): string {
  return s.replace(/^ISBN(-13)?:?\s*/i, '').replace(/[\s-]/g, '');
}

/** Whether an ISBN-13 is well formed and its check digit is right (weights 1 and 3 alternating, sum divisible by 10). */
export function isValidIsbn13(s: string): boolean {
  const d = isbnDigits(s);
  if (!/^97[89]\d{10}$/.test(d)) return false;
  const sum = [...d].reduce((t, c, i) => t + Number(c) * (i % 2 ? 3 : 1), 0);
  return sum % 10 === 0;
}

/** Why an ISBN is not one, in words for the field, or undefined when it is one. */
export function isbnProblem(s: string): string | undefined {
  const d = isbnDigits(s);
  if (!/^\d+$/.test(d)) return 'An ISBN is 13 digits, which may be separated by hyphens';
  if (d.length !== 13) return `An ISBN-13 has 13 digits (this one has ${d.length})`;
  if (!/^97[89]/.test(d)) return 'An ISBN-13 starts 978 or 979';
  if (!isValidIsbn13(d)) return 'The last digit (the check digit) does not match: check the ISBN was copied correctly';
  return undefined;
}

/** A House of Commons paper number as printed: "HC 1457", or a session-numbered "HC 1457 2017–19". */
export const HC_NUMBER = /^HC \d{1,4}(?: \d{4}[–-]\d{2,4})?$/;

export const Signatory = z.object({
  name: z.string().trim().max(200),
  office: z.string().trim().max(200),
});
export type Signatory = z.infer<typeof Signatory>;

const words = (max: number) => z.string().trim().max(max, `Must be at most ${max.toLocaleString('en-GB')} characters`);

/** Every field of the furniture; each may be empty (the check says which a public edition lacks). */
export const PublicationDetails = z.object({
  /** The edition's publication date (yyyy-mm-dd). */
  publishedOn: checked(10, dateProblem),
  /** "Care Quality Commission" or "Crown": printed "© Care Quality Commission 2018", "© Crown copyright 2018". */
  copyrightHolder: words(200),
  /** The Open Government Licence statement (or another licence's). */
  licence: words(2000),
  isbn: checked(40, isbnProblem),
  hcNumber: checked(40, hcNumberProblem),
  /** The statement that the publication was laid before Parliament, printed above the HC number. */
  presented: words(1000),
  /** Where to write or ring about the publication. */
  contact: words(2000),
  alternativeFormats: words(2000),
  accessibility: words(2000),
  /** The office holders who sign the foreword, printed under its text. */
  signatories: z.array(Signatory).max(6),
});
export type PublicationDetails = z.infer<typeof PublicationDetails>;

/** What a report stores: any of the fields (those absent take the template's defaults). */
export const PublicationInput = PublicationDetails.partial();
export type PublicationInput = z.input<typeof PublicationInput>;

/** A template's publication block: defaults for the fields, and what the publication must carry. */
export const PublicationTemplate = z.object({
  defaults: PublicationInput.default({}),
  /** Laid before Parliament: an HC number (and the statement that it was presented) is expected. */
  laidBeforeParliament: z.boolean().default(false),
  /** The section whose text the signatories sign (by title). */
  forewordSection: z.string().default('Foreword'),
});
export type PublicationTemplate = z.infer<typeof PublicationTemplate>;

export const EMPTY_PUBLICATION: PublicationDetails = {
  publishedOn: '',
  copyrightHolder: '',
  licence: '',
  isbn: '',
  hcNumber: '',
  presented: '',
  contact: '',
  alternativeFormats: '',
  accessibility: '',
  signatories: [],
};

/** The furniture as printed: the report's own fields over the template's defaults. Unreadable stored fields are dropped. */
export function resolvePublication(template: PublicationTemplate | undefined, stored: unknown): PublicationDetails {
  const own: Record<string, unknown> = {};
  if (stored && typeof stored === 'object' && !Array.isArray(stored)) {
    // Field by field, so that one bad field (from an older or edited file) does not lose the rest.
    for (const [k, v] of Object.entries(stored)) {
      const f = (PublicationDetails.shape as Record<string, z.ZodType>)[k];
      if (f?.safeParse(v).success) own[k] = f.parse(v);
    }
  }
  return { ...EMPTY_PUBLICATION, ...(template?.defaults ?? {}), ...own } as PublicationDetails;
}

/** "© Care Quality Commission 2018" (or "© Crown copyright 2018"), from the holder and the year of publication. */
export function copyrightLine(p: PublicationDetails, fallbackYear?: string): string {
  const holder = p.copyrightHolder.trim();
  if (!holder) return '';
  const year = (p.publishedOn || fallbackYear || '').slice(0, 4);
  const who = /^crown( copyright)?$/i.test(holder) ? 'Crown copyright' : holder;
  return `© ${who}${year ? ` ${year}` : ''}`;
}

/** Signatories with a name (an office without a name is not yet a signature). */
export function signed(p: PublicationDetails): Signatory[] {
  return p.signatories.filter((s) => s.name.trim());
}

/** One paragraph of the notices page: plain text, or text with a web address to link. */
export interface ImprintLine {
  text: string;
  /** The part of a paragraph's lines spoken as a group ("Contact us"). */
  heading?: string;
}

/**
 * The edition notices from the furniture, in the order GOV.UK and CQC print them: presented to Parliament and its HC
 * number, the date of publication, copyright and licence, the ISBN, then how to get in touch, other formats and
 * accessibility. Multi-line fields keep their lines (the writers print each on its own line).
 */
export function imprintLines(p: PublicationDetails, opts: { laidBeforeParliament: boolean; fallbackYear?: string }): ImprintLine[] {
  const out: ImprintLine[] = [];
  const add = (text: string, heading?: string) => {
    if (text.trim()) out.push({ text: text.trim(), ...(heading ? { heading } : {}) });
  };
  // As a paper laid before Parliament says it: presented, ordered to be printed on the day of publication, its number.
  const ordered = p.presented.trim() && p.publishedOn ? `Ordered by the House of Commons to be printed ${longDate(p.publishedOn)}.` : '';
  if (opts.laidBeforeParliament) add([p.presented.trim(), ordered, p.hcNumber.trim()].filter(Boolean).join('\n'));
  else add(p.hcNumber);
  if (p.publishedOn) add(`Published ${longDate(p.publishedOn)}.`);
  add(copyrightLine(p, opts.fallbackYear));
  add(p.licence);
  if (p.isbn.trim()) add(`ISBN ${p.isbn.trim()}`);
  add(p.contact, 'Contact us');
  add(p.alternativeFormats, 'Other formats');
  add(p.accessibility, 'Accessibility');
  return out;
}

/** The items a public edition should carry and this one lacks, in plain English (for `check`). */
export function missingFurniture(p: PublicationDetails, opts: { laidBeforeParliament: boolean; hasForeword: boolean }): string[] {
  const missing: string[] = [];
  if (!p.publishedOn) missing.push('a publication date');
  if (!p.copyrightHolder.trim()) missing.push('a copyright line (who holds the copyright)');
  if (!p.licence.trim()) missing.push('the Open Government Licence statement');
  if (!p.isbn.trim()) missing.push('an ISBN');
  if (opts.laidBeforeParliament && !p.hcNumber.trim()) missing.push('a House of Commons (HC) number');
  if (!p.contact.trim()) missing.push('contact details');
  if (!p.alternativeFormats.trim()) missing.push('a statement on alternative formats');
  if (!p.accessibility.trim()) missing.push('an accessibility statement');
  if (opts.hasForeword && !signed(p).length) missing.push('the names of the office holders who sign the foreword');
  return missing;
}

/** A report's furniture as its exporters and checks see it, or undefined when neither it nor its template has any. */
export interface ReportPublication {
  details: PublicationDetails;
  laidBeforeParliament: boolean;
  forewordSection: string;
}

export function reportPublication(template: PublicationTemplate | undefined, stored: PublicationInput | undefined): ReportPublication | undefined {
  if (!template && !stored) return undefined;
  return { details: resolvePublication(template, stored), laidBeforeParliament: template?.laidBeforeParliament ?? false, forewordSection: template?.forewordSection ?? 'Foreword' };
}

/**
 * The line that dates the edition on its notices page: a published edition is dated by its publication date (in the
 * imprint); one not yet published, a draft or a review copy says when it was made.
 */
export function madeLine(m: { publishedOn: string | null; edition: string; generatedAt: string }): string {
  if (m.publishedOn && m.edition === 'final') return '';
  return `Generated by Assay on ${longDate(m.generatedAt.slice(0, 10))}.`;
}
