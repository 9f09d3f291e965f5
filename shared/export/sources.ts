import type { Workspace } from '../store/workspace';
import { importSources } from '../store/imports';
import { listIndicatorsWithPeriods } from '../store/indicators';
import { getAssessmentRecord, listFrameworks } from '../store/assessments';
import { councilInWords, longDate } from '../document/format';
import type { FigureResult } from '../figures/types';
import type { SourceText } from '../document/tree';

/**
 * What a published table or chart says it is made from, in words: the data and its date ("CQC ratings data, as at 31
 * July 2018"), never a slug, a table name or a file name. The words come from the data: each import says what it
 * brought (`imports.source`, set by the importers), each indicator names its source, and the date is the one the
 * figure was computed at (the `asAt` of its parameters, or the indicator's period).
 */

/** What an import of each kind brought, for imports made before imports said so themselves. */
const KIND_WORDS: Record<string, string> = {
  'cqc-ratings': 'CQC ratings data',
  'cqc-locations': 'CQC register of locations',
  demo: 'CQC ratings data',
  merge: 'CQC ratings data',
  indicators: 'area indicators',
  evidence: 'inspection evidence records',
};

/** Data a figure may read other than through an import, named as a reader knows it. */
const TABLE_WORDS: Record<string, string> = {
  ratings: 'CQC ratings data',
  locations: 'CQC registration data',
  inspections: 'CQC inspection records',
  indicator_values: 'area indicators',
  indicators: 'area indicators',
  findings: 'CQC local system review findings',
  area_reviews: 'CQC local system reviews',
  evidence: 'CQC inspection evidence records',
};

function asAtOf(params: unknown): string | undefined {
  if (!params || typeof params !== 'object') return undefined;
  const v = (params as Record<string, unknown>)[':asAt'];
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined;
}

/** The dates a rating figure was computed at: one as-at date, or both ends of a change. */
function ratingDates(params: Record<string, unknown>): string[] {
  const one = asAtOf(params);
  if (one) return one === '9999-12-31' ? [] : [one];
  return [asAtOf(params.from), asAtOf(params.to)].filter((d): d is string => !!d && d !== '9999-12-31');
}

/** Reads shared by the source lines of one document: indicators' sources and imports' descriptions. */
export interface SourceCache {
  indicators?: Map<string, string>;
  imports: Map<string, { kind: string; source: string | null } | null>;
}

export function sourceCache(): SourceCache {
  return { imports: new Map() };
}

function importsOf(ws: Workspace, ids: string[], cache: SourceCache): Map<string, { kind: string; source: string | null }> {
  const missing = ids.filter((id) => !cache.imports.has(id));
  if (missing.length) {
    const read = importSources(ws, missing);
    for (const id of missing) cache.imports.set(id, read.get(id) ?? null);
  }
  const out = new Map<string, { kind: string; source: string | null }>();
  for (const id of ids) {
    const v = cache.imports.get(id);
    if (v) out.set(id, v);
  }
  return out;
}

export function describeSource(ws: Workspace, result: FigureResult, cache: SourceCache = sourceCache()): SourceText {
  const p = result.provenance;
  if (!p) return { data: [], date: '' };
  const data: string[] = [];
  const add = (s: string | null | undefined) => {
    // Joined into one sentence ("Source: …, as at …."), so a description's own full stop is dropped.
    const t = s?.trim().replace(/\.+$/, '');
    if (t && !data.includes(t)) data.push(t);
  };
  const tables = new Set(p.tables ?? []);
  let date = '';
  if (tables.has('indicator_values')) {
    // An indicator names its own source ("NHS England"); its period is the date.
    const id = typeof p.params?.[':indicator'] === 'string' ? (p.params[':indicator'] as string) : undefined;
    cache.indicators ??= new Map(listIndicatorsWithPeriods(ws).map((i) => [i.id, i.source]));
    add(id ? cache.indicators.get(id) : undefined);
    const period = p.params?.[':period'];
    if (typeof period === 'string') date = period;
  }
  if (tables.has('assessments') || tables.has('assessment_ratings')) {
    // One assessment's own scores or ratings (its report), or the published assessments under a framework.
    const one = typeof p.params?.[':assessment'] === 'string' ? getAssessmentRecord(ws, p.params[':assessment'] as string) : undefined;
    if (one) {
      add(`CQC’s ${one.kind.toLowerCase()} of ${one.subjectType === 'local authority' ? councilInWords(one.subjectName) : one.subjectName}${one.status === 'published' ? '' : ` (draft, ${one.status})`}`);
      if (one.publishedOn) date = `published ${longDate(one.publishedOn)}`;
    } else {
      const fw = typeof p.params?.[':framework'] === 'string' ? listFrameworks(ws).find((f) => f.id === p.params![':framework']) : undefined;
      const name = fw ? `${fw.name.charAt(0).toLowerCase()}${fw.name.slice(1)}` : '';
      add(!fw ? 'CQC assessments, as published' : /framework$/.test(name) ? `CQC assessments under its ${name}, as published` : `CQC ${name}s, as published`);
      const asAt = asAtOf(p.params);
      if (asAt && asAt !== '9999-12-31') date = `as at ${longDate(asAt)}`;
    }
  }
  if (tables.has('ratings')) {
    // A rating figure's source is the ratings it counts: the imports that supplied them.
    const sources = importsOf(ws, p.imports.map((i) => i.id), cache);
    for (const i of p.imports) {
      const s = sources.get(i.id);
      add(s?.source ?? KIND_WORDS[s?.kind ?? i.kind] ?? TABLE_WORDS.ratings);
    }
    if (!p.imports.length) add(TABLE_WORDS.ratings);
    const dates = ratingDates(p.params ?? {});
    if (dates.length) date = `as at ${dates.map(longDate).join(' and ')}`;
  }
  if (!data.length) {
    if (p.imports.length) {
      const sources = importsOf(ws, p.imports.map((i) => i.id), cache);
      for (const i of p.imports) {
        const s = sources.get(i.id);
        add(s?.source ?? KIND_WORDS[s?.kind ?? i.kind]);
      }
    }
    for (const t of p.tables ?? []) add(TABLE_WORDS[t]);
  }
  return { data, date };
}
