import type { ChartOptions, FigureParams, FigureRef, FigureResult } from '../figures/types';
import { chartAltText, chartDataTable, chartModel, type ChartModel } from '../charts/model';
import { fillParams, formatCell, longDate } from './format';
import { parseLexical, ContentError, TEXT_FORMAT, type LxBlock, type LxInline } from './lexical';
import type { HouseStyle, Template } from './templates';
import { citationText } from './citation';
import { imprintLines, signed, type ImprintLine, type PublicationDetails, type ReportPublication } from './publication';

/**
 * The one intermediate document every exporter reads. Word, PDF and HTML are all written from this tree, so they say
 * the same thing: same headings and numbers, same figure values, same captions, same footnotes, same omissions.
 */

export type Audience = 'public' | 'internal';

/**
 * Which edition a document is, besides its audience: the final one, a draft (printed while the publication checks
 * still have blockers, and marked DRAFT on its cover, on every page and in its file name), or a reviewer's copy.
 */
export type Edition = 'final' | 'draft' | 'review';

/** What a table or chart says it is made from: the data, in words, and its date ("as at 31 July 2018", "2017/18"). */
export interface SourceText {
  data: string[];
  date: string;
}

export interface Marks {
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  code?: boolean;
  sub?: boolean;
  sup?: boolean;
}

export type DocInline =
  /** `comments`: the comments whose passage this is (never printed; the review copy anchors Word comments on it). */
  | ({ type: 'text'; text: string; comments?: string[] } & Marks)
  | { type: 'link'; url: string; children: DocInline[] }
  /** A live figure's current value as it reads in prose. */
  | { type: 'figure'; text: string; figureId: string; slug: string; error?: string }
  /**
   * A reference to an evidence note (an endnote in HTML and PDF, a footnote in Word). A source cited again keeps its
   * note number `n`; `ref` numbers the references themselves (1, 2, … in reading order), for links back from the note
   * and for Word, which gives every footnote mark a note of its own.
   */
  | { type: 'note'; n: number; ref: number }
  | { type: 'break' };

export interface DocHeading {
  type: 'heading';
  level: 1 | 2 | 3;
  id: string;
  /** "2", "2.1", "2.1.3", or '' when the template does not number headings. */
  number: string;
  text: string;
}

export interface DocTableCell {
  header: boolean;
  colSpan: number;
  children: DocInline[];
}

export interface DocFigureTable {
  type: 'figure-table';
  id: string;
  number: number;
  caption: string;
  head: { text: string; numeric: boolean }[];
  rows: string[][];
  source: string;
  figureId: string;
}

export interface DocChart {
  type: 'chart';
  id: string;
  number: number;
  /** What follows "Figure n:": the title stating the finding when the author gave one, else the caption. */
  caption: string;
  /** With a finding title: the caption, describing the data (what, where, when), printed under the title. */
  subtitle?: string;
  model: ChartModel;
  alt: string;
  table: { head: string[]; rows: string[][] };
  source: string;
  figureId: string;
}

export type DocBlock =
  | DocHeading
  | { type: 'paragraph'; align?: 'center' | 'right' | 'justify'; children: DocInline[] }
  | { type: 'list'; ordered: boolean; start: number; items: DocListItem[] }
  | { type: 'quote'; children: DocInline[] }
  | { type: 'callout'; title: string; paragraphs: string[] }
  | { type: 'table'; rows: DocTableCell[][] }
  | DocFigureTable
  | DocChart
  /** A figure that could not be drawn: the reason, shown where the figure should be. */
  | { type: 'figure-error'; caption: string; message: string }
  | { type: 'page-break' };

export interface DocListItem {
  children: DocInline[];
  sublists: { ordered: boolean; start: number; items: DocListItem[] }[];
}

export interface DocNote {
  n: number;
  /** The first reference to this note (its `ref`), where the note links back to. */
  firstRef: number;
  evidenceId: string;
  /** What the note says, already reduced for the audience. */
  text: string;
  restricted: boolean;
}

/** One use of a figure in the report: for the CSV data download and for tests. */
export interface FigureUse {
  figureId: string;
  slug: string;
  name: string;
  kind: string;
  display: 'inline' | 'table' | 'chart';
  part?: string;
  params: FigureParams;
  value: number | string | null;
  formatted: string;
  section: string;
  label?: string;
  result: FigureResult;
}

export interface DocMeta {
  title: string;
  subtitle: string;
  author: string;
  organisation: string;
  subject: string;
  keywords: string;
  audience: Audience;
  edition: Edition;
  /**
   * What the cover, the properties and every format say this edition is: "Public edition", "DRAFT – not for
   * publication", "Internal edition · OFFICIAL-SENSITIVE", "Review copy · …".
   */
  editionLabel: string;
  /**
   * The short mark a non-final or internal edition carries on every page, before the title in the running head and in
   * the file's properties: "DRAFT", "INTERNAL", "REVIEW COPY"; empty for the final public edition.
   */
  mark: string;
  /** e.g. "Data as at 31 July 2018". */
  dateLine: string;
  reportId: string;
  slug: string;
  templateId: string;
  params: FigureParams;
  demonstration: boolean;
  /** Notices printed on the cover's reverse and in every format: demonstration data, licence, classification. */
  notices: string[];
  /**
   * The publication's furniture for the same page, before the notices (shared/document/publication.ts): presented to
   * Parliament and HC number, publication date, copyright, licence, ISBN, contact, other formats, accessibility.
   */
  imprint: ImprintLine[];
  /** The edition's publication date (yyyy-mm-dd), when the report has one: printed instead of the date it was made. */
  publishedOn: string | null;
  /** The running header text. */
  runningHead: string;
  generatedAt: string;
  language: 'en-GB';
}

export interface DocTree {
  meta: DocMeta;
  style: HouseStyle;
  blocks: DocBlock[];
  headings: DocHeading[];
  notes: DocNote[];
  /** Every reference to a note, in reading order: `ref` and the note `n` it cites. */
  noteRefs: { ref: number; n: number }[];
  figures: FigureUse[];
  /** Repairs made to content and figures that failed, for the exporter to report. */
  problems: string[];
  /**
   * Figures a public edition may not print because their SQL reads tables that can hold restricted material: a public
   * export is refused while there are any, naming them.
   */
  withheld: { figureId: string; name: string; reason: string }[];
}

// ----------------------------------------------------------------------------------------------------- inputs ------

export interface ReportInput {
  id: string;
  slug: string;
  title: string;
  subtitle?: string | null;
  author?: string | null;
  templateId?: string | null;
  params: FigureParams;
}

export interface SectionInput {
  id: string;
  title: string;
  /** Lexical JSON (string or parsed). */
  content: unknown;
  status?: string;
}

/** What the exporter needs to know about a figure: its library entry and its result for the given parameters. */
export interface ResolvedFigure {
  result: FigureResult;
  slug: string;
  name: string;
  kind: string;
  chart: ChartOptions | null;
  /**
   * What the figure is made from, in words (shared/export/sources.ts), asked for only by tables and charts, which print
   * a source line; without it the line is general.
   */
  source?: () => SourceText;
}

/** Evaluates a figure reference with the report's parameters merged in. Must not throw for a missing figure. */
export type FigureResolver = (ref: FigureRef, reportParams: FigureParams) => ResolvedFigure | undefined;

export interface EvidenceInfo {
  id: string;
  title: string;
  kind: string;
  reference: string | null;
  collectedOn: string | null;
  sensitivity: string;
  /** The source as a reference (shared/document/citation.ts); absent for a source never cited as one. */
  publisher?: string | null;
  publishedOn?: string | null;
  url?: string | null;
  accessedOn?: string | null;
}
export type EvidenceLookup = (id: string) => EvidenceInfo | undefined;

export interface BuildInput {
  report: ReportInput;
  sections: SectionInput[];
  figures: FigureResolver;
  evidence: EvidenceLookup;
  template: Template;
  audience: Audience;
  /** Default 'final'. */
  edition?: Edition;
  /** The workspace holds demonstration data: every output says so. */
  demonstration: boolean;
  /** Built on real CQC data: the Open Government Licence attribution is printed. */
  ogl?: boolean;
  restrictedSensitivities: readonly string[];
  generatedAt?: string;
  /** The publication's furniture (the report's details over its template's defaults), when its template has any. */
  publication?: ReportPublication | undefined;
}

export const OGL_ATTRIBUTION = 'Contains public sector information licensed under the Open Government Licence v3.0 (Care Quality Commission).';

// ------------------------------------------------------------------------------------------------------ build ------

export function buildDocument(input: BuildInput): DocTree {
  const { report, template, audience, publication } = input;
  const style = template.style;
  const problems: string[] = [];
  const blocks: DocBlock[] = [];
  const headings: DocHeading[] = [];
  const notes: DocNote[] = [];
  const noteRefs: { ref: number; n: number }[] = [];
  /** The note already made for a source and place cited (evidence id and locator), so a second citation reuses it. */
  const noteOf = new Map<string, number>();
  const figures: FigureUse[] = [];
  const withheld: DocTree['withheld'] = [];
  const counters = [0, 0, 0];
  let figureNo = 0;
  let tableNo = 0;
  const restricted = new Set(input.restrictedSensitivities);
  const neutral = `Unpublished evidence held by ${style.organisationShort}.`;

  const heading = (level: 1 | 2 | 3, text: string): DocHeading => {
    counters[level - 1]!++;
    for (let l = level; l < 3; l++) counters[l] = 0;
    const number = style.numberHeadings ? counters.slice(0, level).join('.') : '';
    const h: DocHeading = { type: 'heading', level, id: `h-${headings.length + 1}`, number, text: text.trim() || 'Untitled' };
    headings.push(h);
    return h;
  };

  let sectionTitle = '';
  let topLevel = 3;
  const resolve = (figureId: string, params: FigureParams | undefined, where: string): ResolvedFigure | undefined => {
    const r = input.figures({ figureId, ...(params ? { params } : {}) }, report.params);
    if (!r) problems.push(`${where}: figure ${figureId} is not in the figure library.`);
    else if (r.result.internalOnly && !withheld.some((w) => w.figureId === figureId)) withheld.push({ figureId, name: r.name, reason: r.result.error ?? '' });
    return r;
  };

  const inlines = (xs: LxInline[], where: string): DocInline[] => {
    const out: DocInline[] = [];
    for (const x of xs) {
      switch (x.type) {
        case 'text': {
          const f = x.format;
          const marks: Marks = {};
          if (f & TEXT_FORMAT.bold) marks.bold = true;
          if (f & TEXT_FORMAT.italic) marks.italic = true;
          if (f & TEXT_FORMAT.underline) marks.underline = true;
          if (f & TEXT_FORMAT.strikethrough) marks.strike = true;
          if (f & TEXT_FORMAT.code) marks.code = true;
          if (f & TEXT_FORMAT.subscript) marks.sub = true;
          if (f & TEXT_FORMAT.superscript) marks.sup = true;
          out.push({ type: 'text', text: x.text, ...marks, ...(x.comments?.length ? { comments: x.comments } : {}) });
          break;
        }
        case 'linebreak':
          out.push({ type: 'break' });
          break;
        case 'link':
          out.push({ type: 'link', url: x.url, children: inlines(x.children, where) });
          break;
        case 'live-figure': {
          const r = resolve(x.figureId, x.params, where);
          if (!r) {
            out.push({ type: 'figure', text: '[figure missing]', figureId: x.figureId, slug: '', error: 'not in the figure library' });
            break;
          }
          const { text, value } = inlineValue(r.result, x.part);
          if (r.result.error) problems.push(`${where}: figure ${r.slug} failed: ${r.result.error}`);
          out.push({ type: 'figure', text, figureId: x.figureId, slug: r.slug, ...(r.result.error ? { error: r.result.error } : {}) });
          figures.push(use(report.params, r, x.figureId, 'inline', x.params, value, text, sectionTitle, x.part));
          break;
        }
        case 'evidence-citation': {
          const ref = noteRefs.length + 1;
          const ev = input.evidence(x.evidenceId);
          // A public edition names no restricted source, so every citation of one is the same note: one number for
          // "Unpublished evidence held by …", not a run of numbers that read alike and look like one source.
          const withheld = !!ev && audience === 'public' && restricted.has(ev.sensitivity);
          const key = withheld ? '\u0000restricted' : `${x.evidenceId}\u0000${x.locator ?? ''}`;
          let n = noteOf.get(key);
          if (!ev) problems.push(`${where}: cited evidence ${x.evidenceId} is not in the workspace.`);
          if (n === undefined) {
            n = notes.length + 1;
            noteOf.set(key, n);
            if (!ev) {
              notes.push({ n, firstRef: ref, evidenceId: x.evidenceId, text: 'Evidence not found in this workspace.', restricted: false });
            } else {
              const isRestricted = restricted.has(ev.sensitivity);
              const text = isRestricted && audience === 'public' ? neutral : citationText(ev, { locator: x.locator, internal: audience === 'internal', restricted: isRestricted });
              notes.push({ n, firstRef: ref, evidenceId: x.evidenceId, text, restricted: isRestricted });
            }
          }
          noteRefs.push({ ref, n });
          out.push({ type: 'note', n, ref });
          break;
        }
      }
    }
    return merge(out);
  };

  const blockOf = (b: LxBlock, where: string): DocBlock[] => {
    switch (b.type) {
      case 'paragraph': {
        const children = inlines(b.children, where);
        if (!children.length) return [];
        return [{ type: 'paragraph', ...(b.align && b.align !== 'left' ? { align: b.align } : {}), children }];
      }
      case 'heading':
        // The section title is the level-1 heading; a section's own headings sit below it, its highest level at level 2,
        // whether the author started at h1 or h2.
        return [heading(Math.min(3, 2 + b.level - topLevel) as 2 | 3, plain(inlines(b.children, where)))];
      case 'quote':
        return [{ type: 'quote', children: inlines(b.children, where) }];
      case 'list': {
        const list = (l: typeof b): { ordered: boolean; start: number; items: DocListItem[] } => ({
          ordered: l.ordered,
          start: l.start,
          items: l.items.map((it) => ({ children: inlines(it.children, where), sublists: it.sublists.map(list) })),
        });
        return [{ type: 'list', ...list(b) }];
      }
      case 'table':
        return [{ type: 'table', rows: b.rows.map((r) => r.map((c) => ({ header: c.header, colSpan: c.colSpan, children: inlines(c.children, where) }))) }];
      case 'page-break':
        return [{ type: 'page-break' }];
      case 'guidance':
        // Template guidance is for the author, never the reader: no edition prints it (check 'guidance-left').
        return [];
      case 'figure-block': {
        const r = resolve(b.figureId, b.params, where);
        const params = { ...report.params, ...(b.params ?? {}) };
        // A caption (or, without one, the figure's name) may use the report's parameters ("{asAt:year}").
        const caption = fillParams(b.caption?.trim() || (r ? captionFromName(r.name) : '') || 'Figure', params);
        if (!r) return [{ type: 'figure-error', caption, message: 'This figure is not in the figure library.' }];
        if (r.result.error) {
          problems.push(`${where}: figure ${r.slug} failed: ${r.result.error}`);
          return [{ type: 'figure-error', caption, message: `This figure could not be computed: ${r.result.error}` }];
        }
        const source = sourceLine(r, params);
        if (b.display === 'chart') {
          let model: ChartModel;
          try {
            model = chartModel(r.result, r.chart, caption);
          } catch (e) {
            problems.push(`${where}: ${(e as Error).message}`);
            return [{ type: 'figure-error', caption, message: (e as Error).message }];
          }
          figureNo++;
          figures.push(use(report.params, r, b.figureId, 'chart', b.params, r.result.value, r.result.formatted, sectionTitle, undefined, caption));
          // A title that states the finding leads; the caption describes the data beneath it (GOV.UK's chart titles).
          const finding = b.title ? fillParams(b.title, params) : undefined;
          return [
            {
              type: 'chart',
              id: `figure-${figureNo}`,
              number: figureNo,
              caption: finding ?? caption,
              ...(finding ? { subtitle: caption } : {}),
              model: { ...model, title: caption },
              alt: chartAltText({ ...model, title: finding ? `${finding.replace(/[.\s]+$/, '')}. ${caption}` : caption }),
              table: chartDataTable(model),
              source,
              figureId: b.figureId,
            },
          ];
        }
        const cols = r.result.columns ?? [];
        const rows = r.result.rows ?? [];
        if (!cols.length) {
          const message = 'This figure has no table to show.';
          problems.push(`${where}: figure ${r.slug}: ${message}`);
          return [{ type: 'figure-error', caption, message }];
        }
        tableNo++;
        figures.push(use(report.params, r, b.figureId, 'table', b.params, r.result.value, r.result.formatted, sectionTitle, undefined, caption));
        return [
          {
            type: 'figure-table',
            id: `table-${tableNo}`,
            number: tableNo,
            caption,
            head: cols.map((c) => ({ text: c.label, numeric: !!c.numeric })),
            rows: rows.map((row) => cols.map((c) => formatCell(row[c.key] ?? null, c.format, c.numeric))),
            source,
            figureId: b.figureId,
          },
        ];
      }
    }
  };

  for (const s of input.sections) {
    sectionTitle = s.title;
    topLevel = 3;
    const where = `Section "${s.title}"`;
    blocks.push(heading(1, s.title));
    let parsed;
    try {
      parsed = parseLexical(s.content, where);
    } catch (e) {
      if (!(e instanceof ContentError)) throw e;
      problems.push(e.message);
      blocks.push({ type: 'figure-error', caption: s.title, message: 'This section could not be read and has been left out.' });
      continue;
    }
    problems.push(...parsed.problems);
    for (const b of parsed.blocks) if (b.type === 'heading') topLevel = Math.min(topLevel, b.level);
    for (const b of parsed.blocks) blocks.push(...blockOf(b, where));
    // The foreword is signed: each office holder's name, and their office, under its text.
    if (publication && s.title.trim().toLowerCase() === publication.forewordSection.trim().toLowerCase()) blocks.push(...signatureBlocks(publication.details));
  }

  const params = report.params;
  const asAt = typeof params.asAt === 'string' ? params.asAt : undefined;
  const notices: string[] = [];
  const imprint = publication ? imprintLines(publication.details, { laidBeforeParliament: publication.laidBeforeParliament, ...(asAt ? { fallbackYear: asAt } : {}) }) : [];
  if (input.demonstration) {
    notices.push(
      'Demonstration data. This report was generated from the demonstration workspace. Its figures are simulated, calibrated to ' +
        'published national totals where noted, and must not be quoted as official statistics.',
    );
  }
  if (input.ogl) notices.push(OGL_ATTRIBUTION);
  const edition = input.edition ?? 'final';
  if (edition === 'draft') {
    notices.unshift(
      'DRAFT – not for publication. This edition was made while the publication checks still had problems that block ' +
        'publication (unapproved sections or figures, claims without evidence): its text and figures may change, and it must not be published or quoted as final.',
    );
  }
  if (edition === 'review') {
    notices.unshift('Review copy: for the people reviewing this report. Its comments give each figure’s provenance and sign-off and each citation’s evidence. It is not the published report.');
  }
  notices.push(
    audience === 'public'
      ? `Public edition: evidence classified official-sensitive or personal is not shown; it is cited as "${neutral}"`
      : 'Internal edition: OFFICIAL-SENSITIVE. It includes restricted evidence and must not be published or shared outside the organisation.',
  );
  const subtitle = report.subtitle ?? template.defaultSubtitle ?? '';
  const { editionLabel, mark, runningHead } = editionMarks(report.title, audience, edition);
  return {
    meta: {
      title: report.title,
      subtitle,
      author: report.author ?? style.organisation,
      organisation: style.organisation,
      subject: subtitle || template.name,
      keywords: [mark, template.name, style.organisationShort, input.demonstration ? 'demonstration data' : ''].filter(Boolean).join('; '),
      audience,
      edition,
      editionLabel,
      mark,
      dateLine: asAt ? `Data as at ${longDate(asAt)}` : '',
      reportId: report.id,
      slug: report.slug,
      templateId: template.id,
      params,
      demonstration: input.demonstration,
      notices,
      imprint,
      publishedOn: publication?.details.publishedOn || null,
      runningHead,
      generatedAt: input.generatedAt ?? new Date().toISOString(),
      language: 'en-GB',
    },
    style,
    blocks,
    headings,
    notes,
    noteRefs,
    figures,
    problems,
    withheld,
  };
}

/** The text a live figure shows: its formatted value, or a named part of its result. */
export function inlineValue(result: FigureResult, part: string | undefined): { text: string; value: number | string | null } {
  if (result.error) return { text: '[figure unavailable]', value: null };
  if (!part) return { text: result.formatted, value: result.value };
  const parts = result.parts ?? {};
  const formatted = parts[`${part}Formatted`] ?? parts[`${part}_formatted`];
  const raw = parts[part];
  if (typeof formatted === 'string') return { text: formatted, value: raw ?? null };
  if (raw === undefined || raw === null) return { text: '[no value]', value: null };
  if (typeof raw === 'string') return { text: raw, value: raw };
  return { text: formatCell(raw, part === 'change' ? { style: 'points' } : /share|from|to/i.test(part) ? { style: 'percent' } : undefined), value: raw };
}

function use(
  reportParams: FigureParams,
  r: ResolvedFigure,
  figureId: string,
  display: FigureUse['display'],
  params: FigureParams | undefined,
  value: number | string | null,
  formatted: string,
  section: string,
  part?: string,
  label?: string,
): FigureUse {
  return {
    figureId,
    slug: r.slug,
    name: fillParams(r.name, { ...reportParams, ...(params ?? {}) }),
    kind: r.kind,
    display,
    ...(part ? { part } : {}),
    params: { ...(params ?? {}) },
    value,
    formatted,
    section,
    ...(label ? { label } : {}),
    result: r.result,
  };
}

/** The foreword's signatures: one paragraph per office holder named, their name in bold and their office under it. */
function signatureBlocks(p: PublicationDetails): DocBlock[] {
  return signed(p).map((x) => ({
    type: 'paragraph',
    children: [{ type: 'text', text: x.name.trim(), bold: true }, ...(x.office.trim() ? [{ type: 'break' } as const, { type: 'text', text: x.office.trim() } as const] : [])],
  }));
}

/** How the edition names itself on the cover, in the running head of every page and in the file's properties. */
export function editionMarks(title: string, audience: Audience, edition: Edition): { editionLabel: string; mark: string; runningHead: string } {
  const internal = audience === 'internal';
  if (edition === 'review') return { editionLabel: 'Review copy · Internal edition · OFFICIAL-SENSITIVE', mark: 'REVIEW COPY', runningHead: `REVIEW COPY · ${title} · OFFICIAL-SENSITIVE` };
  if (edition === 'draft') {
    return internal
      ? { editionLabel: 'DRAFT · Internal edition · OFFICIAL-SENSITIVE', mark: 'DRAFT', runningHead: `DRAFT · INTERNAL EDITION · ${title} · OFFICIAL-SENSITIVE` }
      : { editionLabel: 'DRAFT – not for publication', mark: 'DRAFT', runningHead: `DRAFT – NOT FOR PUBLICATION · ${title}` };
  }
  return internal
    ? { editionLabel: 'Internal edition · OFFICIAL-SENSITIVE', mark: 'INTERNAL', runningHead: `INTERNAL EDITION · ${title} · OFFICIAL-SENSITIVE` }
    : { editionLabel: 'Public edition', mark: '', runningHead: title };
}

/** A caption made from a figure's name: the name without a note of how the library draws it ("(chart)"). */
function captionFromName(name: string): string {
  return name.replace(/\s*\((?:chart|table|graph|sql)\)\s*$/i, '').trim();
}

/** "Source: CQC ratings data, as at 31 July 2018." The data in words and its date: never a slug or a table name. */
function sourceLine(r: ResolvedFigure, params: FigureParams): string {
  const src = r.source?.();
  if (src && src.data.length) return `Source: ${src.data.join('; ')}${src.date ? `, ${src.date}` : ''}.`;
  const asAt = typeof params.asAt === 'string' && (r.result.provenance?.tables ?? []).includes('ratings') ? `, as at ${longDate(params.asAt)}` : '';
  return `Source: CQC data${asAt}.`;
}

/** The plain text of some inlines (headings, alt text). */
export function plain(xs: DocInline[]): string {
  return xs
    .map((x) => (x.type === 'text' || x.type === 'figure' ? x.text : x.type === 'link' ? plain(x.children) : x.type === 'break' ? ' ' : ''))
    .join('');
}

/** Joins neighbouring text runs with the same marks, so the writers emit fewer, longer runs. */
function merge(xs: DocInline[]): DocInline[] {
  const out: DocInline[] = [];
  for (const x of xs) {
    const last = out[out.length - 1];
    if (x.type === 'text' && last?.type === 'text' && sameMarks(last, x) && (last.comments ?? []).join() === (x.comments ?? []).join()) {
      out[out.length - 1] = { ...last, text: last.text + x.text };
    } else out.push(x);
  }
  return out;
}

function sameMarks(a: Marks, b: Marks): boolean {
  const k: (keyof Marks)[] = ['bold', 'italic', 'underline', 'strike', 'code', 'sub', 'sup'];
  return k.every((m) => !!a[m] === !!b[m]);
}
