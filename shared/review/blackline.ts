import type { Workspace } from '../store/workspace';
import type { FigureParams, FigureResult } from '../figures/types';
import { findReport, reportSections, type ReportRecord } from '../store/reports';
import { WorkspaceError } from '../store/errors';
import { inlineValue } from '../document/tree';
import { fillParams } from '../document/format';
import { readSection, type FigureMention, type Sentence } from './content';
import { effectiveParams, figureDefs, type FigureSource } from './figures';
import { printedTable } from './snapshot';
import { describeRows } from './diff';

/**
 * The blackline of numbers between two editions of a report: every figure the new edition shows, computed with last
 * edition's parameters and with this one's, listed in document order where what it prints differs ("82% → 84%"), with
 * where it is; and every sentence whose typed direction word ("rose", "fell") no longer fits the change it quotes. The
 * text is this edition's: both columns are today's data, so the list is exactly the numbers that move with the year.
 */

export interface BlacklineItem {
  sectionId: string;
  sectionTitle: string;
  /** The block (1-based) it is in, as review locations count them. */
  paragraph: number;
  /** Its place among the section's figures in document order (0-based): the editor selects it by this. */
  figureIndex: number;
  figureId: string;
  /** The figure's name as this edition prints it. */
  name: string;
  display: 'inline' | 'table' | 'chart';
  part?: string;
  before: string;
  after: string;
}

export interface DirectionFlag {
  sectionId: string;
  sectionTitle: string;
  paragraph: number;
  sentence: number;
  /** The sentence as this edition prints it. */
  text: string;
  /** The typed word, and the direction the quoted change now has. */
  word: string;
  now: 'up' | 'down' | 'same';
  /** Whether the word fitted last edition's numbers. */
  fittedBefore: boolean;
}

export interface Blackline {
  report: Pick<ReportRecord, 'id' | 'slug' | 'title' | 'params'>;
  previous: Pick<ReportRecord, 'id' | 'slug' | 'title' | 'params'> | null;
  /** Figures compared (every figure the edition shows). */
  compared: number;
  items: BlacklineItem[];
  flags: DirectionFlag[];
}

const UP = /\b(rose|risen|rises|rise|increased|increases|increase|improved|improves|grew|grown|higher|up)\b/i;
const DOWN = /\b(fell|fallen|falls|fall|decreased|decreases|decrease|declined|declines|dropped|deteriorated|worsened|lower|down)\b/i;

interface Node {
  type?: string;
  figureId?: string;
  params?: FigureParams;
  part?: string;
  display?: 'table' | 'chart';
  children?: Node[];
}

/** Every figure node of a section in document order (the order the editor walks them), with its top-level block. */
function figureNodes(content: string): { node: Node; paragraph: number }[] {
  let root: Node | undefined;
  try {
    root = (JSON.parse(content) as { root?: Node }).root;
  } catch {
    return [];
  }
  const out: { node: Node; paragraph: number }[] = [];
  const walk = (n: Node, paragraph: number): void => {
    if ((n.type === 'live-figure' || n.type === 'figure-block') && typeof n.figureId === 'string') out.push({ node: n, paragraph });
    for (const c of n.children ?? []) walk(c, paragraph);
  };
  (root?.children ?? []).forEach((c, i) => walk(c, i + 1));
  return out;
}

function printed(result: FigureResult, display: 'inline' | 'table' | 'chart', part: string | undefined): { text: string; table?: ReturnType<typeof printedTable> } {
  if (display === 'inline') return { text: inlineValue(result, part).text };
  if (result.error) return { text: '[figure unavailable]' };
  const rows = result.rows ?? [];
  return { text: `${rows.length} row${rows.length === 1 ? '' : 's'}`, table: printedTable(result, rows) };
}

/** The change a sentence quotes: a change figure's value or its change part, with its sign. */
function changeOf(result: FigureResult, m: FigureMention, measure: string | undefined): number | undefined {
  if (result.error) return undefined;
  const change = result.parts?.change;
  if (typeof change === 'number') return change;
  if (!m.part && measure === 'rating_change' && typeof result.value === 'number') return result.value;
  return undefined;
}

const sign = (x: number): 'up' | 'down' | 'same' => (x > 0 ? 'up' : x < 0 ? 'down' : 'same');

/** Call inside figures.settle so that no SQL figure is pending. */
export function blackline(ws: Workspace, figures: FigureSource, reportIdOrSlug: string): Blackline {
  const report = findReport(ws, reportIdOrSlug);
  const previous = report.previousEditionId ? findReportOrNull(ws, report.previousEditionId) : null;
  const brief = (r: ReportRecord) => ({ id: r.id, slug: r.slug, title: r.title, params: r.params });
  if (!previous) return { report: brief(report), previous: null, compared: 0, items: [], flags: [] };
  const defs = figureDefs(ws);
  const evaluate = (figureId: string, base: FigureParams, node: FigureParams | undefined) =>
    figures.evaluate({ figureId }, effectiveParams(base, node), { changes: report.settings.changes });
  const items: BlacklineItem[] = [];
  const flags: DirectionFlag[] = [];
  let compared = 0;
  for (const s of reportSections(ws, { reportId: report.id })) {
    figureNodes(s.content).forEach(({ node, paragraph }, figureIndex) => {
      const def = defs.get(node.figureId!);
      if (!def) return;
      compared++;
      const display = node.type === 'figure-block' ? (node.display ?? 'table') : 'inline';
      const was = printed(evaluate(def.id, previous.params, node.params), display, node.part);
      const now = printed(evaluate(def.id, report.params, node.params), display, node.part);
      let after = now.text;
      let before = was.text;
      if (was.table && now.table) {
        const d = describeRows(was.table, now.table);
        if (d.same) return;
        before = was.text;
        after = `${now.text}: ${d.text}`;
      } else if (was.text === now.text) return;
      items.push({
        sectionId: s.id,
        sectionTitle: s.title,
        paragraph,
        figureIndex,
        figureId: def.id,
        name: fillParams(def.name, report.params),
        display,
        ...(node.part ? { part: node.part } : {}),
        before,
        after,
      });
    });
    for (const sen of readSection(s.content, s.title).sentences) {
      const flag = directionFlag(sen, s, (m) => {
        const measure = (defs.get(m.figureId)?.spec as { measure?: string } | null | undefined)?.measure;
        const before = changeOf(evaluate(m.figureId, previous.params, m.params), m, measure);
        const after = changeOf(evaluate(m.figureId, report.params, m.params), m, measure);
        return { before, after, shown: inlineValue(evaluate(m.figureId, report.params, m.params), m.part).text };
      });
      if (flag) flags.push(flag);
    }
  }
  return { report: brief(report), previous: brief(previous), compared, items, flags };
}

function directionFlag(
  sen: Sentence,
  s: { id: string; title: string },
  change: (m: FigureMention) => { before: number | undefined; after: number | undefined; shown: string },
): DirectionFlag | undefined {
  const typed = sen.segments.map((g) => (g.kind === 'text' ? g.text : ' ')).join('');
  const up = UP.exec(typed);
  const down = DOWN.exec(typed);
  // Only a sentence with one direction in words is judged: "rose in some areas and fell in others" says both.
  if ((!up && !down) || (up && down)) return undefined;
  const word = (up ?? down)![0];
  const says = up ? 'up' : 'down';
  const shown = new Map<FigureMention, string>();
  let judged: { before: number | undefined; after: number } | undefined;
  for (const m of sen.figures) {
    const c = change(m);
    shown.set(m, c.shown);
    if (judged === undefined && c.after !== undefined) judged = { before: c.before, after: c.after };
  }
  if (!judged || sign(judged.after) === says) return undefined;
  const text = sen.segments
    .map((g) => (g.kind === 'text' ? g.text : g.kind === 'figure' ? (shown.get(g.mention) ?? '') : ''))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  return {
    sectionId: s.id,
    sectionTitle: s.title,
    paragraph: sen.paragraph,
    sentence: sen.sentence,
    text,
    word,
    now: sign(judged.after),
    fittedBefore: judged.before !== undefined && sign(judged.before) === says,
  };
}

function findReportOrNull(ws: Workspace, id: string): ReportRecord | null {
  try {
    return findReport(ws, id);
  } catch (e) {
    if (e instanceof WorkspaceError) return null;
    throw e;
  }
}
