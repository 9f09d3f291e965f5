import type { FigureParams, FigureResult } from '../figures/types';
import { canonicalJson } from '../figures/spec';
import { approvalParams } from '../figures/approval-state';
import { parseLexical, ContentError, type LxBlock, type LxInline, type LxList } from '../document/lexical';
import { formatCell } from '../document/format';
import { inlineValue } from '../document/tree';

/**
 * What an approval signs off: a section's whole content as a reader would see it. Its title, its text block by block
 * (figures as references to the figures below), the evidence it cites, and every figure it shows at the value it
 * printed (inline text, or a table's and a chart's cells as printed) with the fingerprint of the data behind it.
 *
 * The workflow stores one with each approval (sections.approval_snapshot); review builds the same shape from the
 * section as it is now and compares the two (diff.ts), so "changed since approval" means any change to what approval
 * covered, not only a figure's value.
 */

export const SNAPSHOT_VERSION = 1;

export interface SnapshotColumn {
  key: string;
  label: string;
  role?: string;
  numeric?: boolean;
}

/** A table's or chart's data as printed: its columns and every cell as the document prints it. */
export interface PrintedTable {
  columns: SnapshotColumn[];
  rows: string[][];
}

/** A figure as the section shows it. */
export interface SnapshotFigure {
  /** Its identity in the section: which figure, shown how (inline, which part, a table, a chart), with which parameters. */
  key: string;
  figureId: string;
  name: string;
  display: 'inline' | 'table' | 'chart';
  part?: string;
  /** The parameters the figure was computed with (those it uses). */
  params: FigureParams;
  /** What the reader sees: inline, the text printed ("79%"); a table or chart, how many rows ("9 rows"). */
  shown: string;
  formatted: string;
  fingerprint: string;
  /** A table or chart: its cells as printed. */
  table?: PrintedTable;
  /** The block (1-based) it is in, as review locations count them. */
  paragraph: number;
}

export interface SnapshotCitation {
  evidenceId: string;
  locator?: string;
  paragraph: number;
}

/** One block of text (a paragraph, heading, list item, table row or figure caption); figures by index into `figures`. */
export type SnapshotBlock = (string | { figure: number })[];

/** A section's content as printed. */
export interface SectionSnapshot {
  title: string;
  blocks: SnapshotBlock[];
  citations: SnapshotCitation[];
  figures: SnapshotFigure[];
}

/** What an approval recorded: the content, and who signed it off when. */
export interface ApprovalSnapshot extends SectionSnapshot {
  version: typeof SNAPSHOT_VERSION;
  approvedBy: string;
  approvedAt: string;
  /**
   * Sentences citing restricted evidence that the approver cleared for publication (a disclosure check: the sentence
   * says nothing the evidence must keep back), each by its place and the evidence it cites. A clearance holds only while
   * the section is as approved: any change to it makes the section "changed since approval", and a public edition
   * needs it approved (and cleared) again.
   */
  cleared?: ClearedCitation[];
}

export interface ClearedCitation {
  paragraph: number;
  sentence: number;
  evidenceId: string;
}

/** What building a snapshot needs: the section, the report's parameters, and each figure's name and result. */
export interface SnapshotSource {
  title: string;
  content: string;
  reportParams: FigureParams;
  /** The figure's name and its result under these (effective) parameters; undefined when it is not in the library. */
  figure: (figureId: string, params: FigureParams) => { name: string; result: FigureResult } | undefined;
}

/** A figure's identity in a section: the same figure, shown the same way, with the same parameters, is the same use. */
export function figureKey(figureId: string, display: SnapshotFigure['display'], part: string | undefined, params: FigureParams): string {
  return canonicalJson({ figure: figureId, display, part: part ?? null, params });
}

function rowCount(n: number): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? 'row' : 'rows'}`;
}

/** A table's or chart's rows with every cell as the document prints it (shared/document/tree.ts uses the same call). */
export function printedTable(result: Pick<FigureResult, 'columns'>, rows: readonly Record<string, unknown>[]): PrintedTable {
  const columns = result.columns ?? [];
  return {
    columns: columns.map((c) => ({ key: c.key, label: c.label, ...(c.role ? { role: c.role } : {}), ...(c.numeric !== undefined ? { numeric: c.numeric } : {}) })),
    rows: rows.map((r) => columns.map((c) => formatCell((r[c.key] ?? null) as string | number | null, c.format, c.numeric))),
  };
}

/** The section as it reads now. Content that cannot be read gives an empty snapshot (the checks report it). */
export function snapshotOf(src: SnapshotSource): SectionSnapshot {
  const snap: SectionSnapshot = { title: src.title, blocks: [], citations: [], figures: [] };
  let blocks: LxBlock[];
  try {
    blocks = parseLexical(src.content, src.title).blocks;
  } catch (e) {
    if (e instanceof ContentError) return snap;
    throw e;
  }
  const figure = (figureId: string, display: SnapshotFigure['display'], nodeParams: FigureParams | undefined, part: string | undefined, paragraph: number): number => {
    const params: FigureParams = { ...src.reportParams, ...(nodeParams ?? {}) };
    const found = src.figure(figureId, params);
    let f: SnapshotFigure;
    if (!found) {
      f = { key: figureKey(figureId, display, part, params), figureId, name: `figure ${figureId}`, display, params, shown: '[figure missing]', formatted: '', fingerprint: '', paragraph };
    } else {
      const { result, name } = found;
      const used = approvalParams(result, params);
      const table = display === 'inline' || result.error ? undefined : printedTable(result, result.rows ?? []);
      f = {
        key: figureKey(figureId, display, part, used),
        figureId,
        name,
        display,
        params: used,
        shown: display === 'inline' ? inlineValue(result, part).text : result.error ? '[figure unavailable]' : rowCount((result.rows ?? []).length),
        formatted: result.formatted,
        fingerprint: result.provenance.fingerprint,
        ...(table ? { table } : {}),
        paragraph,
      };
    }
    if (part) f.part = part;
    snap.figures.push(f);
    return snap.figures.length - 1;
  };
  const inline = (xs: LxInline[], paragraph: number, out: SnapshotBlock): SnapshotBlock => {
    for (const x of xs) {
      if (x.type === 'text') out.push(x.text);
      else if (x.type === 'linebreak') out.push(' ');
      else if (x.type === 'link') inline(x.children, paragraph, out);
      else if (x.type === 'live-figure') out.push({ figure: figure(x.figureId, 'inline', x.params, x.part, paragraph) });
      else snap.citations.push({ evidenceId: x.evidenceId, ...(x.locator ? { locator: x.locator } : {}), paragraph });
    }
    return out;
  };
  blocks.forEach((b, i) => {
    const paragraph = i + 1;
    switch (b.type) {
      case 'paragraph':
      case 'quote':
      case 'heading':
        snap.blocks.push(inline(b.children, paragraph, []));
        break;
      case 'list': {
        const walk = (l: LxList): void => {
          for (const it of l.items) {
            snap.blocks.push(inline(it.children, paragraph, []));
            for (const s of it.sublists) walk(s);
          }
        };
        walk(b);
        break;
      }
      case 'table':
        for (const row of b.rows) {
          const out: SnapshotBlock = [];
          row.forEach((c, k) => {
            if (k > 0) out.push(' | ');
            inline(c.children, paragraph, out);
          });
          snap.blocks.push(out);
        }
        break;
      case 'figure-block': {
        const out: SnapshotBlock = [{ figure: figure(b.figureId, b.display, b.params, undefined, paragraph) }];
        if (b.caption) out.push(` ${b.caption}`);
        snap.blocks.push(out);
        break;
      }
      case 'page-break':
        break;
    }
  });
  return snap;
}

/** The snapshot an approval stores. */
export function approvalSnapshot(content: SectionSnapshot, by: string, at: string, cleared: readonly ClearedCitation[] = []): ApprovalSnapshot {
  return { version: SNAPSHOT_VERSION, approvedBy: by, approvedAt: at, ...content, ...(cleared.length ? { cleared: [...cleared] } : {}) };
}

/** A stored snapshot, or undefined when there is none or it cannot be read (an approval from before snapshots). */
export function readApprovalSnapshot(json: string | null | undefined): ApprovalSnapshot | undefined {
  if (!json) return undefined;
  try {
    const s = JSON.parse(json) as Partial<ApprovalSnapshot>;
    if (s && s.version === SNAPSHOT_VERSION && Array.isArray(s.blocks) && Array.isArray(s.citations) && Array.isArray(s.figures) && typeof s.title === 'string') {
      return s as ApprovalSnapshot;
    }
  } catch {
    /* Unreadable: as if there were none. */
  }
  return undefined;
}

/** A block's plain text, each figure shown through `figureText`. */
export function blockText(block: SnapshotBlock, figureText: (index: number) => string): string {
  return block.map((x) => (typeof x === 'string' ? x : figureText(x.figure))).join('');
}

/** How much text a snapshot holds, in words, figures shown as printed. */
export function wordCount(s: SectionSnapshot): number {
  return s.blocks.reduce((n, b) => n + (blockText(b, (i) => s.figures[i]?.shown ?? '').match(/\S+/g)?.length ?? 0), 0);
}
