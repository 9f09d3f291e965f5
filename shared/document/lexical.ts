import { z } from 'zod';
import { LEGACY_GUIDANCE_LABEL } from './lexical-nodes';

/**
 * Parses a section's Lexical editor state (JSON) without a DOM or an editor, into a small, checked node model.
 *
 * Parse, don't trust: content comes from disk, from merges and from older versions of the editor. What can be repaired
 * is repaired and reported (an unknown element keeps its text, an out-of-range heading becomes h3); what cannot be read
 * at all (not JSON, no root) is rejected with a message that names the problem.
 */

export const TEXT_FORMAT = {
  bold: 1,
  italic: 2,
  strikethrough: 4,
  underline: 8,
  code: 16,
  subscript: 32,
  superscript: 64,
  highlight: 128,
} as const;

export interface LxText {
  type: 'text';
  text: string;
  format: number;
  /**
   * The comments whose passage this text is in (the ids of the comment marks around it, @lexical/mark's MarkNode). A
   * mark is never printed: its text reads as any other text; only the review copy anchors its Word comments on it.
   */
  comments?: string[];
}
export interface LxLineBreak {
  type: 'linebreak';
}
export interface LxLink {
  type: 'link';
  url: string;
  children: LxInline[];
}
export interface LxLiveFigure {
  type: 'live-figure';
  figureId: string;
  params?: Record<string, string | number | boolean>;
  part?: string;
}
export interface LxCitation {
  type: 'evidence-citation';
  evidenceId: string;
  locator?: string;
}
export type LxInline = LxText | LxLineBreak | LxLink | LxLiveFigure | LxCitation;

export interface LxParagraph {
  type: 'paragraph';
  align?: 'left' | 'center' | 'right' | 'justify';
  children: LxInline[];
}
export interface LxHeading {
  type: 'heading';
  level: 1 | 2 | 3;
  children: LxInline[];
}
export interface LxQuote {
  type: 'quote';
  children: LxInline[];
}
export interface LxListItem {
  children: LxInline[];
  sublists: LxList[];
}
export interface LxList {
  type: 'list';
  ordered: boolean;
  start: number;
  items: LxListItem[];
}
export interface LxTableCell {
  header: boolean;
  colSpan: number;
  children: LxInline[];
}
export interface LxTable {
  type: 'table';
  rows: LxTableCell[][];
}
export interface LxFigureBlock {
  type: 'figure-block';
  figureId: string;
  display: 'table' | 'chart';
  params?: Record<string, string | number | boolean>;
  caption?: string;
  /** A chart's title stating its finding ("Safe is still the weakest key question"); the caption then describes the data. */
  title?: string;
}
export interface LxPageBreak {
  type: 'page-break';
}
/** Template guidance (lexical-nodes.ts SerializedGuidanceNode): never exported; a check blocks publication while it is left. */
export interface LxGuidance {
  type: 'guidance';
  text: string;
  figures: { figureId: string; name: string }[];
}
export type LxBlock = LxParagraph | LxHeading | LxQuote | LxList | LxTable | LxFigureBlock | LxPageBreak | LxGuidance;

export interface ParsedContent {
  blocks: LxBlock[];
  /** What was repaired or dropped, in words an editor can act on. Empty for clean content. */
  problems: string[];
}

export class ContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContentError';
  }
}

const Params = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const LiveFigure = z.object({ type: z.literal('live-figure'), figureId: z.string().min(1), params: Params.optional(), part: z.string().min(1).optional() });
const Citation = z.object({ type: z.literal('evidence-citation'), evidenceId: z.string().min(1), locator: z.string().optional() });
const FigureBlock = z.object({
  type: z.literal('figure-block'),
  figureId: z.string().min(1),
  display: z.enum(['table', 'chart']),
  params: Params.optional(),
  caption: z.string().optional(),
  title: z.string().optional(),
});
const Guidance = z.object({
  type: z.literal('guidance'),
  text: z.string().catch(''),
  figures: z.array(z.unknown()).catch([]).optional(),
});
const GuidanceFigure = z.object({ figureId: z.string().min(1), name: z.string().catch('') });
const Node = z.looseObject({ type: z.string(), children: z.array(z.unknown()).optional() });
const Root = z.looseObject({ root: z.looseObject({ type: z.literal('root').optional(), children: z.array(z.unknown()) }) });

type Raw = z.infer<typeof Node>;

/** Parses a section's stored content (a JSON string or an already parsed object). Throws ContentError when unreadable. */
export function parseLexical(content: string | unknown, where = 'section'): ParsedContent {
  let json: unknown = content;
  if (typeof content === 'string') {
    if (content.trim() === '') return { blocks: [], problems: [] };
    try {
      json = JSON.parse(content);
    } catch (e) {
      throw new ContentError(`${where}: the content is not valid JSON (${(e as Error).message}).`);
    }
  }
  const root = Root.safeParse(json);
  if (!root.success) {
    throw new ContentError(`${where}: the content is not a Lexical editor state (expected {"root": {"children": [...]}}).`);
  }
  const problems: string[] = [];
  const blocks: LxBlock[] = [];
  root.data.root.children.forEach((c, i) => blocks.push(...parseBlock(c, `${where}, block ${i + 1}`, problems)));
  return { blocks, problems };
}

function node(raw: unknown, path: string, problems: string[]): Raw | undefined {
  const n = Node.safeParse(raw);
  if (!n.success) {
    problems.push(`${path}: dropped something that is not a Lexical node.`);
    return undefined;
  }
  return n.data;
}

function parseBlock(raw: unknown, path: string, problems: string[]): LxBlock[] {
  const n = node(raw, path, problems);
  if (!n) return [];
  const kids = n.children ?? [];
  switch (n.type) {
    case 'paragraph':
    case 'quote': {
      // Guidance written before it had a node of its own (a quote or paragraph opening with the bold label) is guidance.
      const legacy = legacyGuidance(n);
      if (legacy) return [legacy];
      if (n.type === 'quote') return [{ type: 'quote', children: parseInlines(kids, path, problems) }];
      const align = typeof n.format === 'string' && ['left', 'center', 'right', 'justify'].includes(n.format) ? (n.format as LxParagraph['align']) : undefined;
      return [{ type: 'paragraph', ...(align && align !== 'left' ? { align } : {}), children: parseInlines(kids, path, problems) }];
    }
    case 'heading': {
      const m = /^h([1-6])$/.exec(String(n.tag ?? ''));
      let level = m ? Number(m[1]) : 2;
      if (!m) problems.push(`${path}: a heading without a valid tag was treated as h2.`);
      if (level > 3) {
        problems.push(`${path}: heading h${level} was shown as h3 (reports use three heading levels).`);
        level = 3;
      }
      return [{ type: 'heading', level: level as 1 | 2 | 3, children: parseInlines(kids, path, problems) }];
    }
    case 'guidance': {
      const g = Guidance.safeParse(n);
      if (!g.success) {
        problems.push(`${path}: guidance that could not be read was dropped.`);
        return [];
      }
      const figures = (g.data.figures ?? []).flatMap((f) => {
        const p = GuidanceFigure.safeParse(f);
        return p.success ? [{ figureId: p.data.figureId, name: p.data.name || p.data.figureId }] : [];
      });
      return [{ type: 'guidance', text: g.data.text, figures }];
    }
    case 'list':
      return [parseList(n, path, problems)];
    case 'table':
      return [parseTable(n, path, problems)];
    case 'figure-block': {
      const f = FigureBlock.safeParse(n);
      if (!f.success) {
        problems.push(`${path}: dropped a figure block without a figure id or display.`);
        return [];
      }
      const { type, figureId, display, params, caption, title } = f.data;
      return [{ type, figureId, display, ...(params ? { params } : {}), ...(caption ? { caption } : {}), ...(title?.trim() ? { title: title.trim() } : {}) }];
    }
    case 'page-break':
      return [{ type: 'page-break' }];
    case 'horizontalrule':
      return [];
    default: {
      // An inline node at block level (a stray text or figure) is wrapped in a paragraph; an unknown element keeps its
      // children, so no prose is lost.
      if (['text', 'live-figure', 'evidence-citation', 'link', 'autolink', 'linebreak', 'mark'].includes(n.type)) {
        return [{ type: 'paragraph', children: parseInlines([n], path, problems) }];
      }
      problems.push(`${path}: unknown block "${n.type}" was replaced by its text.`);
      const inner = kids.flatMap((k, i) => parseBlock(k, `${path}.${i + 1}`, problems));
      return inner;
    }
  }
}

/**
 * Guidance from before it had a node of its own: a quote (or a paragraph, once unwrapped) whose first run is the bold
 * label "Guidance (delete before review):", with the instructions and suggested live figures after it. It is read as
 * guidance, so it is never exported and the check blocks publication until it is removed. Repairing it when read,
 * rather than rewriting stored sections in a migration, also covers sections that arrive later from an older
 * inspector's workspace by merge, from a journal, or by paste; nothing in the file is changed or lost.
 */
function legacyGuidance(n: Raw): LxGuidance | undefined {
  const kids = (n.children ?? []).flatMap((k) => {
    const p = Node.safeParse(k);
    return p.success ? [p.data] : [];
  });
  const first = kids[0];
  if (!first || first.type !== 'text' || typeof first.text !== 'string') return undefined;
  if (typeof first.format !== 'number' || !(first.format & TEXT_FORMAT.bold) || !first.text.trimStart().startsWith(LEGACY_GUIDANCE_LABEL)) return undefined;
  let body = first.text.trimStart().slice(LEGACY_GUIDANCE_LABEL.length);
  let since = body;
  const figures: LxGuidance['figures'] = [];
  for (const k of kids.slice(1)) {
    if (k.type === 'live-figure') {
      const f = LiveFigure.safeParse(k);
      if (f.success) {
        const name = since.replace(/^[\s\S]*Suggested figures:/, '').replace(/^[\s;,]+/, '').trim();
        figures.push({ figureId: f.data.figureId, name: name || f.data.figureId });
        since = '';
      }
      continue;
    }
    const t = rawText(k);
    body += t;
    since += t;
  }
  const cut = body.indexOf('Suggested figures:');
  const text = (figures.length && cut >= 0 ? body.slice(0, cut) : body).replace(/\s+/g, ' ').trim();
  return { type: 'guidance', text, figures };
}

function rawText(n: Raw): string {
  if (typeof n.text === 'string') return n.text;
  if (n.type === 'linebreak') return ' ';
  return (n.children ?? []).map((k) => {
    const p = Node.safeParse(k);
    return p.success ? rawText(p.data) : '';
  }).join('');
}

/**
 * A section's stored JSON with any guidance written before the guidance node (see legacyGuidance) turned into
 * guidance nodes, for the editor to load: the same recognition as the parser, so the editor shows as guidance exactly
 * what exports leave out. Returns the content unchanged (the same string) when there is none, or when it is unreadable.
 */
export function upgradeLegacyGuidance(content: string): string {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return content;
  }
  const root = Root.safeParse(json);
  if (!root.success) return content;
  let changed = false;
  const children = root.data.root.children.map((c) => {
    const n = Node.safeParse(c);
    if (!n.success || (n.data.type !== 'quote' && n.data.type !== 'paragraph')) return c;
    const g = legacyGuidance(n.data);
    if (!g) return c;
    changed = true;
    return lxGuidance(g.text, g.figures);
  });
  return changed ? JSON.stringify({ ...root.data, root: { ...root.data.root, children } }) : content;
}

function parseList(n: Raw, path: string, problems: string[]): LxList {
  const ordered = n.listType === 'number' || n.tag === 'ol';
  const start = typeof n.start === 'number' && n.start > 0 ? n.start : 1;
  const items: LxListItem[] = [];
  for (const [i, raw] of (n.children ?? []).entries()) {
    const li = node(raw, `${path}, item ${i + 1}`, problems);
    if (!li) continue;
    if (li.type !== 'listitem') {
      problems.push(`${path}, item ${i + 1}: a "${li.type}" inside a list was made a list item.`);
    }
    const inl: unknown[] = [];
    const sublists: LxList[] = [];
    for (const c of li.type === 'listitem' ? (li.children ?? []) : [li]) {
      const cn = Node.safeParse(c);
      if (cn.success && cn.data.type === 'list') sublists.push(parseList(cn.data, `${path}, item ${i + 1}`, problems));
      else inl.push(c);
    }
    // Lexical nests a sublist in its own list item; fold it into the previous item, as it reads.
    if (inl.length === 0 && sublists.length && items.length) {
      items[items.length - 1]!.sublists.push(...sublists);
      continue;
    }
    items.push({ children: parseInlines(inl, `${path}, item ${i + 1}`, problems), sublists });
  }
  return { type: 'list', ordered, start, items };
}

function parseTable(n: Raw, path: string, problems: string[]): LxTable {
  const rows: LxTableCell[][] = [];
  for (const [r, rawRow] of (n.children ?? []).entries()) {
    const row = node(rawRow, `${path}, row ${r + 1}`, problems);
    if (!row) continue;
    const cells: LxTableCell[] = [];
    for (const [c, rawCell] of (row.children ?? []).entries()) {
      const cell = node(rawCell, `${path}, row ${r + 1} cell ${c + 1}`, problems);
      if (!cell) continue;
      const header = typeof cell.headerState === 'number' ? cell.headerState !== 0 : false;
      const colSpan = typeof cell.colSpan === 'number' && cell.colSpan > 1 ? Math.floor(cell.colSpan) : 1;
      // A cell holds paragraphs; a table cell in a report is one run of text, so paragraphs are joined by line breaks.
      const children: LxInline[] = [];
      for (const [k, p] of (cell.children ?? []).entries()) {
        const pn = Node.safeParse(p);
        const inner = pn.success && pn.data.children ? pn.data.children : [p];
        if (k > 0) children.push({ type: 'linebreak' });
        children.push(...parseInlines(inner, `${path}, row ${r + 1} cell ${c + 1}`, problems));
      }
      cells.push({ header, colSpan, children });
    }
    rows.push(cells);
  }
  return { type: 'table', rows };
}

function parseInlines(raws: unknown[], path: string, problems: string[], comments: readonly string[] = []): LxInline[] {
  const out: LxInline[] = [];
  for (const raw of raws) {
    const n = node(raw, path, problems);
    if (!n) continue;
    switch (n.type) {
      case 'text':
      case 'code-highlight': {
        const text = typeof n.text === 'string' ? n.text : '';
        const format = typeof n.format === 'number' && Number.isInteger(n.format) && n.format >= 0 ? n.format : 0;
        if (text) out.push({ type: 'text', text, format, ...(comments.length ? { comments: [...comments] } : {}) });
        break;
      }
      case 'mark': {
        // A comment's passage: its text is the author's text, in place; the mark only says which comments are on it.
        const ids = Array.isArray(n.ids) ? n.ids.filter((x): x is string => typeof x === 'string' && x.length > 0) : [];
        out.push(...parseInlines(n.children ?? [], path, problems, [...comments, ...ids.filter((x) => !comments.includes(x))]));
        break;
      }
      case 'tab':
        out.push({ type: 'text', text: '\t', format: 0 });
        break;
      case 'linebreak':
        out.push({ type: 'linebreak' });
        break;
      case 'link':
      case 'autolink': {
        const url = typeof n.url === 'string' ? n.url : '';
        const children = parseInlines(n.children ?? [], path, problems, comments);
        if (/^(https?:|mailto:)/i.test(url)) out.push({ type: 'link', url, children });
        else {
          if (url) problems.push(`${path}: a link to "${url}" was kept as plain text (only web and mail links are exported).`);
          out.push(...children);
        }
        break;
      }
      case 'live-figure': {
        const f = LiveFigure.safeParse(n);
        if (!f.success) {
          problems.push(`${path}: dropped a live figure without a figure id.`);
          break;
        }
        const { figureId, params, part } = f.data;
        out.push({ type: 'live-figure', figureId, ...(params ? { params } : {}), ...(part ? { part } : {}) });
        break;
      }
      case 'evidence-citation': {
        const c = Citation.safeParse(n);
        if (!c.success) {
          problems.push(`${path}: dropped an evidence citation without an evidence id.`);
          break;
        }
        out.push({ type: 'evidence-citation', evidenceId: c.data.evidenceId, ...(c.data.locator ? { locator: c.data.locator } : {}) });
        break;
      }
      default:
        if (n.children) {
          problems.push(`${path}: unknown inline "${n.type}" was replaced by its text.`);
          out.push(...parseInlines(n.children, path, problems));
        } else if (typeof n.text === 'string') {
          problems.push(`${path}: unknown inline "${n.type}" was kept as text.`);
          out.push({ type: 'text', text: n.text, format: 0 });
        } else {
          problems.push(`${path}: dropped an unknown inline "${n.type}".`);
        }
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------ writing Lexical JSON ----
// Small builders for content made in code (templates, demo reports, tests): they produce exactly the JSON the editor
// saves, so what the exporters read is what an editor would have written.

type J = Record<string, unknown>;

export function lxText(text: string, format = 0): J {
  return { type: 'text', text, format, detail: 0, mode: 'normal', style: '', version: 1 };
}
function element(type: string, children: J[], extra: J = {}): J {
  return { type, children, direction: 'ltr', format: '', indent: 0, version: 1, ...extra };
}
export function lxParagraph(children: J[]): J {
  return element('paragraph', children, { textFormat: 0, textStyle: '' });
}
export function lxHeading(level: 1 | 2 | 3, text: string): J {
  return element('heading', [lxText(text)], { tag: `h${level}` });
}
export function lxQuote(children: J[]): J {
  return element('quote', children);
}
export function lxList(ordered: boolean, items: J[][]): J {
  return element(
    'list',
    items.map((c, i) => element('listitem', c, { value: i + 1 })),
    { listType: ordered ? 'number' : 'bullet', start: 1, tag: ordered ? 'ol' : 'ul' },
  );
}
export function lxTable(rows: string[][], headerRow = true): J {
  return {
    type: 'table',
    version: 1,
    direction: 'ltr',
    format: '',
    indent: 0,
    children: rows.map((r, i) => ({
      type: 'tablerow',
      version: 1,
      direction: 'ltr',
      format: '',
      indent: 0,
      children: r.map((c) => ({
        type: 'tablecell',
        version: 1,
        direction: 'ltr',
        format: '',
        indent: 0,
        colSpan: 1,
        rowSpan: 1,
        headerState: headerRow && i === 0 ? 1 : 0,
        children: [lxParagraph([lxText(c)])],
      })),
    })),
  };
}
export function lxFigure(figureId: string, part?: string, params?: Record<string, string | number | boolean>): J {
  return { type: 'live-figure', version: 1, figureId, ...(part ? { part } : {}), ...(params ? { params } : {}) };
}
export function lxFigureBlock(figureId: string, display: 'table' | 'chart', caption?: string, params?: Record<string, string | number | boolean>, title?: string): J {
  return { type: 'figure-block', version: 1, figureId, display, ...(caption ? { caption } : {}), ...(params ? { params } : {}), ...(title ? { title } : {}) };
}
export function lxCite(evidenceId: string, locator?: string): J {
  return { type: 'evidence-citation', version: 1, evidenceId, ...(locator ? { locator } : {}) };
}
/** A comment's passage (@lexical/mark's MarkNode, as the editor saves it). */
export function lxMark(ids: string[], children: J[]): J {
  return element('mark', children, { ids });
}
export function lxPageBreak(): J {
  return { type: 'page-break', version: 1 };
}
export function lxGuidance(text: string, figures: readonly { figureId: string; name: string }[] = []): J {
  return { type: 'guidance', version: 1, text, ...(figures.length ? { figures: figures.map((f) => ({ figureId: f.figureId, name: f.name })) } : {}) };
}
export function lxRoot(children: J[]): { root: J } {
  return { root: { type: 'root', children, direction: 'ltr', format: '', indent: 0, version: 1 } };
}
