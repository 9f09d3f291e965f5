import { diffWords } from 'diff';
import { blockText, type PrintedTable, type SectionSnapshot, type SnapshotBlock, type SnapshotFigure } from './snapshot';

/**
 * What changed in a section since it was approved, from two snapshots (snapshot.ts): the approved one and the section
 * as it is now. The text is compared word by word (jsdiff's diffWords), with each figure one word that is the same
 * wherever it is the same figure shown the same way, so a changed value is a figure change, not a text change; the
 * evidence cited is compared as a list of sources; each figure is compared at the precision it is printed (inline
 * text, or each table row's cells as printed, rows matched by their category columns).
 */

export interface TextPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

export interface CitationChange {
  evidenceId: string;
  /** The evidence's title, or a sentence saying it is not in the workspace. */
  title: string;
  locator?: string;
  paragraph: number;
}

export interface FigureChange {
  key: string;
  name: string;
  display: SnapshotFigure['display'];
  part?: string;
  paragraph: number;
  /** As printed at approval (inline) or its row count (tables, charts); absent for an added figure. */
  before?: string;
  /** As printed now; absent for a removed figure. */
  after?: string;
  /** For a changed figure, what changed in words ("75% → 80%", "1 of 9 rows differs: North East 77% → 78%"). */
  change?: string;
}

export interface SectionChanges {
  /** Whether anything approval covered is different now. */
  changed: boolean;
  title?: { before: string; after: string };
  /** The text word by word (null when it is the same); added and removed count the passages. */
  text: { parts: TextPart[]; added: number; removed: number } | null;
  citations: { added: CitationChange[]; removed: CitationChange[] };
  figures: { added: FigureChange[]; removed: FigureChange[]; changed: FigureChange[] };
}

/** Figures are single characters from Unicode's private use area while the text is compared: one word each. */
const FIRST_TOKEN = 0xe000;

export function compareSnapshots(before: SectionSnapshot, after: SectionSnapshot, evidenceTitle: (id: string) => string): SectionChanges {
  const changes: SectionChanges = {
    changed: false,
    text: compareText(before, after),
    citations: compareCitations(before, after, evidenceTitle),
    figures: compareFigures(before, after),
  };
  if (before.title !== after.title) changes.title = { before: before.title, after: after.title };
  changes.changed = hasChanges(changes);
  return changes;
}

export function hasChanges(c: Omit<SectionChanges, 'changed'>): boolean {
  return !!c.title || !!c.text || c.citations.added.length + c.citations.removed.length > 0 || c.figures.added.length + c.figures.removed.length + c.figures.changed.length > 0;
}

// Text ------------------------------------------------------------------------------------------------------------------

function tidy(s: string): string {
  return s.replace(/[ \t\u00a0]+/g, ' ').trim();
}

function compareText(before: SectionSnapshot, after: SectionSnapshot): SectionChanges['text'] {
  const tokens = new Map<string, string>();
  const token = (key: string): string => {
    let t = tokens.get(key);
    if (!t) {
      t = String.fromCharCode(FIRST_TOKEN + tokens.size);
      tokens.set(key, t);
    }
    return t;
  };
  const shown = new Map<string, string>();
  // Text that happens to hold private-use characters must not read as a figure.
  const plain = (b: SnapshotBlock): SnapshotBlock => b.map((x) => (typeof x === 'string' ? x.replace(/[\ue000-\uf8ff]/g, '\ufffd') : x));
  const render = (s: SectionSnapshot, side: 'before' | 'after'): string =>
    s.blocks
      .map((b) =>
        tidy(
          blockText(plain(b), (i) => {
            const f = s.figures[i];
            if (!f) return '';
            const t = token(f.key);
            shown.set(`${side}${t}`, f.display === 'inline' ? f.shown : `[${f.display}]`);
            return t;
          }),
        ),
      )
      .filter((x) => x)
      .join('\n');
  const a = render(before, 'before');
  const b = render(after, 'after');
  if (a === b) return null;
  const reveal = (text: string, side: 'before' | 'after'): string =>
    text.replace(/[\ue000-\uf8ff]/g, (t) => shown.get(`${side}${t}`) ?? shown.get(`${side === 'before' ? 'after' : 'before'}${t}`) ?? '');
  const parts: TextPart[] = [];
  for (const c of diffWords(a, b)) {
    const kind: TextPart['kind'] = c.added ? 'added' : c.removed ? 'removed' : 'same';
    const text = reveal(c.value, kind === 'removed' ? 'before' : 'after');
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) last.text += text;
    else parts.push({ kind, text });
  }
  const joined = slide(parts);
  const count = (k: TextPart['kind']) => joined.filter((p) => p.kind === k && p.text.trim()).length;
  return { parts: joined, added: count('added'), removed: count('removed') };
}

/**
 * One passage where a reader sees one: a word diff may keep a lone "." or "," as unchanged between two additions
 * ("…Europe" + "." + " Staff said so."), when the added text ends with the same mark. The unchanged mark slides to the
 * end ("…Europe. Staff said so" + "."), which reads the same and counts as one passage added (likewise for removals).
 */
function slide(parts: readonly TextPart[]): TextPart[] {
  const out: TextPart[] = [];
  for (const p of parts) {
    const a = out[out.length - 2];
    const same = out[out.length - 1];
    const mark = same?.text.trimEnd() ?? '';
    if (a && same && same.kind === 'same' && a.kind === p.kind && p.kind !== 'same' && mark && mark.trim().length <= 2 && p.text.endsWith(mark)) {
      a.text += same.text + p.text.slice(0, p.text.length - mark.length);
      same.text = mark; // stays after `a`, now the mark that ends the passage
      continue;
    }
    out.push({ ...p });
  }
  return out;
}

/**
 * The parts of a text diff with long unchanged passages shortened to `context` words either side of a change, as a
 * summary shows them. Whole paragraphs between changes become "…".
 */
export function condense(parts: readonly TextPart[], context = 8): TextPart[] {
  return parts.map((p, i) => {
    if (p.kind !== 'same') return p;
    const words = p.text.split(/(\s+)/);
    const n = Math.ceil(words.length / 2);
    if (n <= context * 2 + 1) return p;
    const first = i === 0;
    const last = i === parts.length - 1;
    const head = first ? '' : words.slice(0, context * 2).join('');
    const tail = last ? '' : words.slice(words.length - context * 2).join('');
    return { kind: 'same', text: `${head}${head ? ' ' : ''}…${tail ? ' ' : ''}${tail}` };
  });
}

// Citations -------------------------------------------------------------------------------------------------------------

function compareCitations(before: SectionSnapshot, after: SectionSnapshot, evidenceTitle: (id: string) => string): SectionChanges['citations'] {
  const key = (c: { evidenceId: string; locator?: string }) => `${c.evidenceId}|${c.locator ?? ''}`;
  const surplus = (xs: SectionSnapshot['citations'], ys: SectionSnapshot['citations']): CitationChange[] => {
    const left = new Map<string, number>();
    for (const y of ys) left.set(key(y), (left.get(key(y)) ?? 0) + 1);
    const out: CitationChange[] = [];
    for (const x of xs) {
      const n = left.get(key(x)) ?? 0;
      if (n > 0) left.set(key(x), n - 1);
      else out.push({ evidenceId: x.evidenceId, title: evidenceTitle(x.evidenceId), ...(x.locator ? { locator: x.locator } : {}), paragraph: x.paragraph });
    }
    return out;
  };
  return { added: surplus(after.citations, before.citations), removed: surplus(before.citations, after.citations) };
}

// Figures ---------------------------------------------------------------------------------------------------------------

function figureChange(f: SnapshotFigure, side: 'before' | 'after'): FigureChange {
  return { key: f.key, name: f.name, display: f.display, ...(f.part ? { part: f.part } : {}), paragraph: f.paragraph, [side]: f.shown };
}

function compareFigures(before: SectionSnapshot, after: SectionSnapshot): SectionChanges['figures'] {
  const group = (s: SectionSnapshot) => {
    const m = new Map<string, SnapshotFigure[]>();
    for (const f of s.figures) m.set(f.key, [...(m.get(f.key) ?? []), f]);
    return m;
  };
  const a = group(before);
  const b = group(after);
  const out: SectionChanges['figures'] = { added: [], removed: [], changed: [] };
  for (const [key, now] of b) {
    const was = a.get(key) ?? [];
    for (const f of now.slice(was.length)) out.added.push(figureChange(f, 'after'));
    const x = was[0];
    const y = now[0]!;
    if (!x) continue;
    const change = describeFigureChange(x, y);
    if (change) out.changed.push({ ...figureChange(y, 'after'), before: x.shown, change });
  }
  for (const [key, was] of a) for (const f of was.slice((b.get(key) ?? []).length)) out.removed.push(figureChange(f, 'before'));
  return out;
}

/** What changed in a figure as printed, or undefined when it prints the same. */
export function describeFigureChange(before: Pick<SnapshotFigure, 'display' | 'shown' | 'table'>, after: Pick<SnapshotFigure, 'display' | 'shown' | 'table'>): string | undefined {
  if (after.display === 'inline' || !before.table || !after.table) return before.shown === after.shown ? undefined : `${before.shown} → ${after.shown}`;
  const d = describeRows(before.table, after.table);
  return d.same ? undefined : d.text;
}

// Tables ----------------------------------------------------------------------------------------------------------------

/**
 * The columns that name a row: the category column(s), else the columns that are not numbers, else the first. Rows are
 * matched by them, so a row that moved or a row inserted above does not make every row below "differ".
 */
export function keyColumns(columns: readonly { key: string; role?: string; numeric?: boolean }[]): string[] {
  const category = columns.filter((c) => c.role === 'category').map((c) => c.key);
  if (category.length) return category;
  const text = columns.filter((c) => c.numeric === false).map((c) => c.key);
  if (text.length && text.length < columns.length) return text;
  return columns.length ? [columns[0]!.key] : [];
}

interface RowDiff {
  label: string;
  cells: { label: string; role?: string; before: string; after: string }[];
}

/**
 * Compares two tables as printed, row by row (rows matched by their key columns) and cell by cell, and says what
 * changed: "1 of 9 rows differs: North East 77% → 78%"; "added Oldham"; "removed Bury".
 */
export function describeRows(before: PrintedTable, after: PrintedTable): { same: boolean; differ: number; total: number; text: string } {
  const columns = after.columns.length ? after.columns : before.columns;
  const keys = keyColumns(columns);
  const index = (t: PrintedTable): Map<string, Map<string, string>> => {
    const at = new Map(t.columns.map((c, i) => [c.key, i]));
    const out = new Map<string, Map<string, string>>();
    const seen = new Map<string, number>();
    for (const row of t.rows) {
      const base = keys.map((k) => row[at.get(k) ?? -1] ?? '').join(' · ') || '(blank)';
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      out.set(n === 1 ? base : `${base} (${n})`, new Map(t.columns.map((c, i) => [c.key, row[i] ?? ''])));
    }
    return out;
  };
  const a = index(before);
  const b = index(after);
  const values = columns.filter((c) => !keys.includes(c.key));
  const differing: RowDiff[] = [];
  const added: string[] = [];
  for (const [label, now] of b) {
    const was = a.get(label);
    if (!was) {
      added.push(label);
      continue;
    }
    const cells = values.filter((c) => (was.get(c.key) ?? '') !== (now.get(c.key) ?? '')).map((c) => ({ label: c.label, ...(c.role ? { role: c.role } : {}), before: was.get(c.key) ?? '', after: now.get(c.key) ?? '' }));
    if (cells.length) differing.push({ label, cells });
  }
  const removed = [...a.keys()].filter((k) => !b.has(k));
  const total = new Set([...a.keys(), ...b.keys()]).size;
  const pieces: string[] = [];
  const measures = values.filter((c) => c.role === 'measure').length || values.length;
  if (differing.length) {
    const shown = differing.slice(0, 3).map((r) => rowText(r, measures));
    const more = differing.length - shown.length;
    pieces.push(`${differing.length} of ${plural(total, 'row')} ${differing.length === 1 ? 'differs' : 'differ'}: ${shown.join('; ')}${more ? `; and ${more} more` : ''}`);
  }
  if (added.length) pieces.push(`${plural(added.length, 'row')} added (${list(added)})`);
  if (removed.length) pieces.push(`${plural(removed.length, 'row')} removed (${list(removed)})`);
  const same = !pieces.length && before.columns.map((c) => c.label).join('|') === after.columns.map((c) => c.label).join('|');
  if (!pieces.length) pieces.push(same ? `no row differs as printed (${plural(total, 'row')})` : `the columns changed (${list(after.columns.map((c) => c.label))})`);
  return { same, differ: differing.length, total, text: pieces.join('; ') };
}

/** One changed row: its measure(s) when they changed ("North East 77% → 78%"), else every changed cell, by column. */
function rowText(r: RowDiff, measures: number): string {
  const main = r.cells.filter((c) => c.role === 'measure');
  const cells = main.length ? main : r.cells;
  if (cells.length === 1 && measures === 1 && main.length === 1) return `${r.label} ${cells[0]!.before || 'blank'} → ${cells[0]!.after || 'blank'}`;
  return `${r.label}: ${cells.map((c) => `${c.label} ${c.before || 'blank'} → ${c.after || 'blank'}`).join(', ')}`;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-GB')} ${word}${n === 1 ? '' : 's'}`;
}

function list(xs: readonly string[], max = 3): string {
  return xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`;
}

// In words --------------------------------------------------------------------------------------------------------------

/** The changes in one line, for a problem's message and `assay check`: "the text (2 passages added, 1 removed); …". */
export function describeChanges(c: SectionChanges): string {
  const out: string[] = [];
  if (c.title) out.push(`the title (“${c.title.before}” → “${c.title.after}”)`);
  if (c.text) {
    const bits = [c.text.added ? `${plural(c.text.added, 'passage')} added` : '', c.text.removed ? `${c.text.removed.toLocaleString('en-GB')} removed` : ''].filter((x) => x);
    if (!c.text.added && c.text.removed) bits[0] = `${plural(c.text.removed, 'passage')} removed`;
    out.push(`the text (${bits.join(', ') || 'paragraphs split or joined'})`);
  }
  const cites = (xs: CitationChange[], verb: string) => (xs.length ? `${plural(xs.length, 'citation')} ${verb} (${list(xs.map((x) => `“${x.title}”`))})` : '');
  out.push(...[cites(c.citations.added, 'added'), cites(c.citations.removed, 'removed')].filter((x) => x));
  const figs = (xs: FigureChange[], verb: string) => (xs.length ? `${plural(xs.length, 'figure')} ${verb} (${list(xs.map((x) => `“${x.name}”${x.change ? `: ${x.change}` : ''}`))})` : '');
  out.push(...[figs(c.figures.added, 'added'), figs(c.figures.removed, 'removed'), figs(c.figures.changed, 'changed')].filter((x) => x));
  return out.join('; ');
}

/** The text diff as lines for a terminal: each added or removed passage with a few words of context. */
export function textDiffLines(parts: readonly TextPart[], context = 6): string[] {
  const lines: string[] = [];
  parts.forEach((p, i) => {
    if (p.kind === 'same') return;
    // Context from the same paragraph only: the words before a change back to its paragraph's start, and after it.
    // An ellipsis only where words were left out.
    const words = (s: string | undefined, from: 'start' | 'end') => {
      if (!s) return '';
      const lines = s.split('\n');
      const line = from === 'end' ? lines.pop()! : lines[0]!;
      const w = line.trim().split(/\s+/).filter((x) => x);
      const cut = w.length > context || (from === 'start' && lines.length > 1);
      if (from === 'end') return `${w.length > context ? '…' : ''}${w.slice(-context).join(' ')}`;
      return `${w.slice(0, context).join(' ')}${cut ? '…' : ''}`;
    };
    const before = parts[i - 1]?.kind === 'same' ? words(parts[i - 1]!.text, 'end') : '';
    const after = parts[i + 1]?.kind === 'same' ? words(parts[i + 1]!.text, 'start') : '';
    const text = p.text.replace(/\s+/g, ' ').trim();
    if (!text) return;
    lines.push(`${p.kind === 'added' ? '+' : '-'} ${before ? `${before} ` : ''}[${text}]${after ? ` ${after}` : ''}`);
  });
  return lines;
}
