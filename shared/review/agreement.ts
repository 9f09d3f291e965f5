import { formatCell } from '../document/format';
import { canonicalJson, filterList, type FigureSpec } from '../figures/spec';
import { roundTo } from '../figures/format';
import type { FigureColumn } from '../figures/types';
import type { ResolvedMention, ReviewFacts, SectionFacts } from './gather';
import { sentenceText } from './content';
import type { Problem } from './types';

/**
 * Printed numbers agree (DESIGN.md, Trust rules): within a section, the numbers a reader can add or subtract must give
 * what is printed beside them. Three kinds of disagreement are found, each judged on the numbers as printed:
 * (a) a table's Change cell that is not its row's To minus From;
 * (b) a change (or its direction word) in a sentence that is not the difference of the levels the same sentence
 *     prints for it: the change figure's own from/to parts, or share figures that measure the same thing (same
 *     ratings, key question and filters) at its from and to dates;
 * (c) component shares (Good, Outstanding) and the combined share (Good or Outstanding) of the same measure (same key
 *     question, filters and date: the figures' specs are compared) printed in one section whose sum differs from the
 *     combined, unless the section says "figures may not sum due to rounding".
 * Under the report's 'unrounded' change rule, (a) and (b)'s magnitudes are explained by the note the publication
 * carries ("changes are calculated from unrounded figures"), so only a direction word that contradicts the levels is
 * reported.
 */
export function printedNumbersAgree(s: SectionFacts, review: ReviewFacts): Problem[] {
  const mentions = s.mentions.filter((m): m is ResolvedMention => m.def !== undefined && !m.result.pending && !m.result.internalOnly && !m.result.error && m.use.state !== 'error');
  const problems = [...changeCells(mentions, review), ...changesInSentences(mentions, review), ...sumsOfShares(s, mentions)];
  const seen = new Set<string>();
  const at = (p: Problem) => (p.location?.paragraph ?? 0) * 1000 + (p.location?.sentence ?? 0);
  // In reading order, each place once.
  return problems
    .filter((p) => {
      const k = `${p.location?.paragraph ?? ''}|${p.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => at(a) - at(b));
}

/** The note that lets component shares and their total differ (GOV.UK, ONS): "figures may not sum due to rounding". */
export const ROUNDING_NOTE = /may not (sum|add up|total)/i;

// Printed numbers ----------------------------------------------------------------------------------------------------

/** The number a printed figure shows ("79%" → 79, "+3.0" → 3, "-1.5 percentage points" → -1.5); undefined for "[c]", "..". */
export function printedNumber(text: string): number | undefined {
  const m = /([+-]?)(\d[\d,]*(?:\.\d+)?)/.exec(text);
  if (!m) return undefined;
  const n = Number(m[2]!.replace(/,/g, ''));
  return m[1] === '-' ? -n : n;
}

function printedDecimals(text: string): number {
  const m = /\d[\d,]*(?:\.(\d+))?/.exec(text);
  return m?.[1]?.length ?? 0;
}

/** Equal as printed: the difference of printed numbers, at the finest precision printed, is the printed number. */
function agrees(value: number, printed: number, ...texts: string[]): boolean {
  const d = Math.max(0, ...texts.map(printedDecimals));
  return roundTo(value, d) === roundTo(printed, d);
}

function cell(row: Record<string, string | number | null>, col: FigureColumn): string {
  return formatCell(row[col.key] ?? null, col.format, col.numeric);
}

function captionOf(m: ResolvedMention): string {
  return m.mention.caption?.trim() || m.def.name;
}

function where(m: ResolvedMention): Pick<Problem, 'location' | 'figureId'> {
  return { location: m.use.location, figureId: m.use.figureId };
}

function signed(n: number, decimals: number): string {
  const r = roundTo(n, decimals);
  return `${r > 0 ? '+' : r < 0 ? '-' : ''}${Math.abs(r).toFixed(decimals)}`;
}

// (a) Change cells ---------------------------------------------------------------------------------------------------

function changeCells(mentions: ResolvedMention[], review: ReviewFacts): Problem[] {
  if (review.changes === 'unrounded') return [];
  const problems: Problem[] = [];
  for (const m of mentions) {
    if (m.mention.display !== 'table') continue;
    const cols = m.result.columns ?? [];
    const from = cols.find((c) => c.key === 'from');
    const to = cols.find((c) => c.key === 'to');
    const change = cols.find((c) => c.key === 'change');
    if (!from || !to || !change) continue;
    const label = cols.find((c) => c.role === 'category') ?? cols[0]!;
    for (const row of m.result.rows ?? []) {
      const [pf, pt, pc] = [cell(row, from), cell(row, to), cell(row, change)];
      const [f, t, c] = [printedNumber(pf), printedNumber(pt), printedNumber(pc)];
      if (f === undefined || t === undefined || c === undefined) continue;
      if (agrees(t - f, c, pf, pt, pc)) continue;
      problems.push({
        code: 'numbers-disagree',
        severity: 'blocking',
        message: `Table “${captionOf(m)}”: the change for ${cell(row, label)}, ${pc}, is not the difference of the figures printed beside it (${pf} to ${pt}, ${signed(t - f, Math.max(printedDecimals(pf), printedDecimals(pt)))}).`,
        ...where(m),
      });
    }
  }
  return problems;
}

// (b) Changes in sentences -------------------------------------------------------------------------------------------

type RatingMeasure = Extract<FigureSpec, { measure: 'rating_share' | 'rating_change' | 'rating_distribution' }>;

function isRating(spec: FigureSpec | undefined): spec is RatingMeasure {
  return spec?.measure === 'rating_share' || spec?.measure === 'rating_change' || spec?.measure === 'rating_distribution';
}

const DIRECTION = { up: 'rose', down: 'fell', same: 'was unchanged' };

function changesInSentences(mentions: ResolvedMention[], review: ReviewFacts): Problem[] {
  const bySentence = new Map<string, ResolvedMention[]>();
  for (const m of mentions) {
    if (m.mention.display !== 'inline') continue;
    const k = `${m.mention.paragraph}|${m.mention.sentence ?? 0}`;
    bySentence.set(k, [...(bySentence.get(k) ?? []), m]);
  }
  const problems: Problem[] = [];
  for (const group of bySentence.values()) {
    for (const c of group) {
      const spec = c.spec;
      if (spec?.measure !== 'rating_change') continue;
      const part = c.mention.part;
      if (part !== undefined && part !== 'change' && part !== 'direction') continue;
      const level = (date: string, own: 'from' | 'to'): string | undefined => {
        for (const o of group) {
          if (o === c) continue;
          if (o.use.figureId === c.use.figureId && canonicalJson(o.use.params) === canonicalJson(c.use.params) && o.mention.part === own) return o.use.shown;
        }
        for (const o of group) {
          const os = o.spec;
          if (os?.measure !== 'rating_share' || o.mention.part) continue;
          if ((os.asAt ?? 'latest') === date && sameRatings(os.ratings, spec.ratings) && measureKey(os, undefined) === measureKey(spec, undefined)) return o.use.shown;
        }
        return undefined;
      };
      const pf = level(spec.from, 'from');
      const pt = level(spec.to, 'to');
      if (pf === undefined || pt === undefined) continue;
      const [f, t] = [printedNumber(pf), printedNumber(pt)];
      if (f === undefined || t === undefined) continue;
      const words = c.def.format.directionWords ?? DIRECTION;
      const shown = c.use.shown;
      const diff = t - f;
      const isWord = [words.up, words.down, words.same].includes(shown);
      if (isWord) {
        const want = agrees(diff, 0, pf, pt) ? words.same : diff > 0 ? words.up : words.down;
        if (shown !== want) {
          problems.push({
            code: 'numbers-disagree',
            severity: 'blocking',
            message: `A sentence says the share ${shown} from ${pf} to ${pt}; as printed it ${want}.`,
            ...where(c),
          });
        }
        continue;
      }
      if (review.changes === 'unrounded') continue;
      const printed = printedNumber(shown);
      if (printed === undefined) continue;
      // Prose carries the direction in words, so a change is printed as a magnitude; a table-style "-2" keeps its sign.
      const magnitude = /^[+-]/.test(shown.trim()) ? printed : Math.abs(printed);
      const expected = /^[+-]/.test(shown.trim()) ? diff : Math.abs(diff);
      if (agrees(expected, magnitude, pf, pt, shown)) continue;
      problems.push({
        code: 'numbers-disagree',
        severity: 'blocking',
        message: `A sentence gives ${pf} and ${pt} but calls the change ${shown}; as printed the difference is ${Math.abs(roundTo(diff, Math.max(printedDecimals(pf), printedDecimals(pt))))} percentage point${Math.abs(diff) === 1 ? '' : 's'}.`,
        ...where(c),
      });
    }
  }
  return problems;
}

// (c) Sums of shares -------------------------------------------------------------------------------------------------

/** One printed share: the ratings it counts, of which measure (key question, filters, date, group), as printed. */
interface PrintedShare {
  key: string;
  ratings: string[];
  text: string;
  value: number;
  /** Where it is printed: "the text", "table “…”", "the chart “…”". */
  where: string;
  /** The breakdown's row it is in ("GP practices"), if any. */
  row?: string;
  mention: ResolvedMention;
}

function norm(v: string): string {
  return v.trim().toLowerCase();
}

function sameRatings(a: readonly string[], b: readonly string[]): boolean {
  return canonicalJson([...a].map(norm).sort()) === canonicalJson([...b].map(norm).sort());
}

/** Dimensions whose group label is the filter value itself, so a row of a breakdown is the same as that filter. */
const LABEL_IS_VALUE = new Set(['category', 'locationType', 'serviceGroup']);

/**
 * What a rating share measures apart from the ratings counted and the date: the key question and filters, normalised
 * (case, order, defaults), narrowed to a breakdown's group when there is one.
 */
function measureKey(spec: RatingMeasure, group: { by: string; label: string } | undefined): string {
  const filters: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec.filters ?? {})) {
    if (v === undefined) continue;
    if (typeof v === 'boolean' || k === 'careHome') {
      filters[k] = v === true || v === 'true';
      continue;
    }
    const fl = filterList(v as Parameters<typeof filterList>[0]);
    if (fl) filters[k] = { values: fl.values.map(norm).sort(), negate: fl.negate };
  }
  filters.serviceGroup ??= { values: ['overall'], negate: false };
  const kqs = spec.keyQuestion === undefined ? ['overall'] : typeof spec.keyQuestion === 'string' ? [spec.keyQuestion] : spec.keyQuestion;
  let kq: unknown = kqs.map(norm).sort();
  let other: unknown = null;
  if (group) {
    if (group.by === 'keyQuestion') kq = [norm(group.label)];
    else if (LABEL_IS_VALUE.has(group.by)) filters[group.by] = { values: [norm(group.label)], negate: false };
    else other = { by: group.by, label: norm(group.label) };
  }
  return canonicalJson({ kq, filters, other });
}

function printedShares(m: ResolvedMention): PrintedShare[] {
  const spec = m.spec;
  if (!isRating(spec)) return [];
  const out: PrintedShare[] = [];
  const inline = m.mention.display === 'inline';
  const where = inline ? 'the text' : `${m.mention.display === 'chart' ? 'the chart' : 'table'} “${captionOf(m)}”`;
  const add = (ratings: readonly string[], date: string, group: { by: string; label: string } | undefined, text: string) => {
    const value = printedNumber(text);
    if (value === undefined || !text.includes('%')) return;
    out.push({ key: `${measureKey(spec, group)}|${date}`, ratings: [...ratings], text, value, where, ...(group ? { row: group.label } : {}), mention: m });
  };
  if (inline) {
    const part = m.mention.part;
    const shown = m.use.shown;
    if (spec.measure === 'rating_share' && !part) add(spec.ratings, spec.asAt ?? 'latest', undefined, shown);
    else if (spec.measure === 'rating_change' && (part === 'from' || part === 'to')) add(spec.ratings, spec[part], undefined, shown);
    else if (spec.measure === 'rating_distribution' && part && m.result.parts?.[part] !== undefined) add([part], spec.asAt ?? 'latest', undefined, shown);
    return out;
  }
  const cols = m.result.columns ?? [];
  const rows = m.result.rows ?? [];
  if (!spec.by) {
    if (spec.measure === 'rating_distribution') {
      const share = cols.find((c) => c.key === 'share');
      if (share) for (const r of rows) add([String(r.rating)], spec.asAt ?? 'latest', undefined, cell(r, share));
    }
    return out;
  }
  const byCol = cols.find((c) => c.key === spec.by);
  for (const r of rows) {
    const group = { by: spec.by, label: String(r[spec.by] ?? '') };
    if (spec.measure === 'rating_distribution') {
      for (const c of cols) if (c.role === 'measure' && c !== byCol) add([c.key], spec.asAt ?? 'latest', group, cell(r, c));
    } else if (spec.measure === 'rating_share') {
      const c = cols.find((x) => x.key === 'share');
      if (c) add(spec.ratings, spec.asAt ?? 'latest', group, cell(r, c));
    } else {
      for (const k of ['from', 'to'] as const) {
        const c = cols.find((x) => x.key === k);
        if (c) add(spec.ratings, spec[k], group, cell(r, c));
      }
    }
  }
  return out;
}

function sumsOfShares(s: SectionFacts, mentions: ResolvedMention[]): Problem[] {
  const body = [...s.content.sentences.map((sen) => sentenceText(sen, () => '')), ...s.content.figureBlocks.map((b) => b.caption ?? '')].join(' ');
  if (ROUNDING_NOTE.test(body)) return [];
  const shares = mentions.flatMap(printedShares);
  const byKey = new Map<string, PrintedShare[]>();
  for (const p of shares) byKey.set(p.key, [...(byKey.get(p.key) ?? []), p]);
  const problems: Problem[] = [];
  for (const group of byKey.values()) {
    for (const combined of group) {
      if (combined.ratings.length < 2) continue;
      const parts: PrintedShare[] = [];
      for (const r of combined.ratings) {
        const p = group.find((x) => x.ratings.length === 1 && norm(x.ratings[0]!) === norm(r));
        if (p) parts.push(p);
      }
      if (parts.length !== combined.ratings.length) continue;
      // As the reader meets them.
      parts.sort((a, b) => group.indexOf(a) - group.indexOf(b));
      const sum = parts.reduce((a, p) => a + p.value, 0);
      if (agrees(sum, combined.value, combined.text, ...parts.map((p) => p.text))) continue;
      const d = Math.max(...parts.map((p) => printedDecimals(p.text)));
      const wheres = [...new Set(parts.map((p) => p.where))];
      const list = parts.map((p) => `${p.text} ${p.ratings[0]!.toLowerCase()}${wheres.length > 1 ? ` (${p.where})` : ''}`).join(' and ');
      const row = combined.row ?? parts.find((p) => p.row)?.row;
      const same = wheres.length === 1 && wheres[0] === combined.where;
      const lead = `${wheres.length > 1 ? 'The section' : wheres[0]!} gives ${list} (${roundTo(sum, d).toFixed(d)}% together) but ${same ? '' : `${combined.where} gives `}`;
      problems.push({
        code: 'numbers-disagree',
        severity: 'blocking',
        message:
          `${row ? `${row}: ` : ''}${row ? lead : lead.charAt(0).toUpperCase() + lead.slice(1)}${combined.text} ${parts.map((p) => p.ratings[0]!.toLowerCase()).join(' or ')}. ` +
          'Print shares that add up, or say that figures may not sum due to rounding.',
        ...where(combined.mention),
      });
    }
  }
  return problems;
}
