import type { Workspace } from '../../../store/workspace';
import { nowIso } from '../../../util/runtime';
import { changeBetween, DEFAULT_CHANGE_RULE, DEFAULT_SUPPRESSED, directionWord, formatDate, formatPercent, formatPoints, formatValue, isSuppressed, roundTo, type ChangeRule } from '../../format';
import { RatingIndex, REGISTER_OPEN, type AggDef, type GroupDim, type LocFilterSpec, type RatingAgg } from '../../../store/rating-index';
import { locationsAsAtSql, registeredAtSql } from '../../../store/locations';
import { longDate } from '../../../store/imports';
import { asBool, canonicalJson, filterList, FigureSpecError, type RatingSpec } from '../../spec';
import type { FigureColumn, FigureCoverage, FigureFormat, FigureResult, Provenance } from '../../types';
import type { EngineCaches } from '../caches';
import type { CurrentRatings } from '../../../store/current-ratings';
import { hashHex } from '../provenance';
import { labelsOf } from '../../../store/labels';
import type { Computed, FigureDraft } from '../types';

/**
 * The rating measures (share, count, distribution, change): the latest rating per location, service group and key
 * question as at a date, filtered and grouped, counted from the rating index (or, for tests and the bench's
 * comparison, with the equivalent GROUP BY).
 */

/** Tables a rating measure reads besides ratings and locations. */
export const RATING_TABLES = ['key_questions', 'locations', 'rating_values', 'ratings', 'regions', 'local_authorities', 'sectors'];

/** Tables a rating figure counting only registered locations reads besides: when each location was first listed, and what the imports cover. */
const REGISTER_TABLES = ['location_details', 'imports'];

const BY_LABEL: Record<string, string> = {
  region: 'Region',
  localAuthority: 'Local authority',
  sector: 'Sector',
  category: 'Type of service',
  keyQuestion: 'Key question',
  rating: 'Rating',
  serviceGroup: 'Service',
  locationType: 'Location type',
  careHome: 'Care home',
};

/**
 * Grouping dimensions whose values are the source's own spellings (CQC's "Acute hospital - NHS non-specialist"): their
 * rows are labelled with the workspace's publication labels (shared/store/labels.ts) where it has one.
 */
const PUBLICATION_LABELLED = new Set<string>(['category', 'serviceGroup', 'locationType']);

/** A result's rows read the publication labels too, so a label edited is a result recomputed. */
const RESULT_TABLES = [...RATING_TABLES, ...REGISTER_TABLES, 'publication_labels'];

interface Counts {
  /** raw group key (as SQL returns it, '' without `by`) → rating label → count */
  groups: Map<string, Map<string, number>>;
  rowsRead: number;
  imports: Map<string, number>;
  fingerprint: string;
}

type Plan = ReturnType<typeof ratingPlan>;

export interface RatingContext {
  ws: Workspace;
  caches: EngineCaches;
  index: CurrentRatings;
  useIndex: boolean;
}

/**
 * A rating spec's filters on locations and service groups, with the places named resolved to their ids: one reading
 * for the rating measures and movement.
 */
export function locationFilters(caches: EngineCaches, f: NonNullable<RatingSpec['filters']>) {
  const resolved = (field: 'sector' | 'region' | 'localAuthority', table: Map<string, string>, what: string) => {
    const fl = filterList(f[field]);
    return fl && { ...fl, values: caches.resolveNames(`filters.${field}`, fl.values, table, what) };
  };
  return {
    sector: resolved('sector', caches.sectors, 'a sector'),
    region: resolved('region', caches.regions, 'a region'),
    localAuthority: resolved('localAuthority', caches.localAuthorities, 'a local authority'),
    locationType: filterList(f.locationType),
    category: filterList(f.category),
    providerId: filterList(f.providerId),
    serviceGroup: filterList(f.serviceGroup) ?? { values: ['Overall'], negate: false },
    careHome: asBool(f.careHome),
  };
}

/** What a spec asks for, with its names resolved to ids and its rating labels to the scale's own spelling. */
function ratingPlan(caches: EngineCaches, spec: RatingSpec) {
  const kqNames = caches.keyQuestions;
  const kqIn = spec.keyQuestion === undefined ? (spec.by === 'keyQuestion' ? [...kqNames.keys()] : ['overall']) : typeof spec.keyQuestion === 'string' ? [spec.keyQuestion] : spec.keyQuestion;
  const kqs = caches.resolveNames('keyQuestion', kqIn, kqNames, 'a key question');
  const f = spec.filters ?? {};
  const scaleLabels = caches.scaleLabels(kqs);
  const onScale = scaleLabels.filter((l) => l.on_scale === 1 && l.rank !== null).map((l) => l.label);
  const allLabels = scaleLabels.map((l) => l.label);
  // A new array: the spec is cached and shared, so it is never written to.
  const ratings =
    'ratings' in spec && spec.ratings
      ? spec.ratings.map((r, i) => {
          const exact = allLabels.find((l) => l.toLowerCase() === r.toLowerCase());
          if (!exact) throw new FigureSpecError(`spec.ratings.${i}: "${r}" is not a rating on the scale of ${kqs.join(', ')} (expected one of: ${allLabels.join(', ')})`, `spec.ratings.${i}`);
          if (spec.measure !== 'rating_count' && !onScale.includes(exact)) {
            throw new FigureSpecError(`spec.ratings.${i}: "${exact}" is not on the rating scale; shares count only ratings on the scale (${onScale.join(', ')})`, `spec.ratings.${i}`);
          }
          return exact;
        })
      : undefined;
  const filters = locationFilters(caches, f);
  // Registered on the date unless the spec asks for every location ever rated. Register data answers dates from the
  // earliest date an import of locations data covers (see RegisterTest in store/rating-index.ts).
  const registered = spec.registered === 'all' ? null : { coveredFrom: caches.registerCoveredFrom() };
  return { kqs, onScale, allLabels, ratings, filters, by: spec.by as GroupDim, registered };
}

/**
 * The SQL condition, on a locations row `l`, for "on the register on :asAt": store/locations.ts registeredAtSql, and,
 * where register data answers the date (:coveredFrom on or before it), listed in it by then (its details history
 * starts on or before the date). The same rule as the rating index's RegisterTest.
 */
export function onRegisterSql(l: string, asAt: string, coveredFrom: string | null): string {
  const base = registeredAtSql(l, asAt);
  if (coveredFrom === null) return base;
  return `${base}
  AND NOT (${coveredFrom} <= ${asAt} AND ${asAt} < coalesce((SELECT min(d.effective_from) FROM location_details d WHERE d.location_id = ${l}.id), ''))`;
}

/** The SQL equivalent of an aggregate: per group and rating label, the number of latest ratings as at the date. */
function ratingSql(plan: Plan, asAt: string): { sql: string; params: Record<string, string | number> } {
  return ratingQuery(plan, asAt, 'counts');
}

/**
 * The query behind an aggregate, as counts per group and rating ('counts', what figures use) or as the rows it counts
 * ('rows', one per location, service group and key question: what "Show the rows" lists). One WHERE for both, so the
 * rows a reader sees are exactly the ones counted.
 */
function ratingQuery(plan: Plan, asAt: string, shape: 'counts' | 'rows'): { sql: string; params: Record<string, string | number> } {
  const params: Record<string, string | number> = { ':asAt': asAt };
  let n = 0;
  const list = (vals: string[]) =>
    vals
      .map((v) => {
        const k = `:p${n++}`;
        params[k] = v;
        return k;
      })
      .join(', ');
  const where: string[] = ['r.rn = 1'];
  const f = plan.filters;
  const cond = (col: string, fl: { values: string[]; negate: boolean } | undefined, ci = false) => {
    if (!fl) return;
    const c = ci ? `lower(${col})` : col;
    const vals = ci ? fl.values.map((v) => v.toLowerCase()) : fl.values;
    where.push(fl.negate ? `coalesce(${c}, '') NOT IN (${list(vals)})` : `${c} IN (${list(vals)})`);
  };
  cond('r.service_group', f.serviceGroup);
  cond('l.sector_id', f.sector);
  cond('l.region_id', f.region);
  cond('l.local_authority_id', f.localAuthority);
  cond('l.location_type', f.locationType, true);
  cond('l.category', f.category, true);
  cond('l.provider_id', f.providerId);
  if (f.careHome !== undefined) where.push(`l.care_home = ${f.careHome ? 1 : 0}`);
  if (plan.registered) {
    if (plan.registered.coveredFrom !== null) params[':coveredFrom'] = plan.registered.coveredFrom;
    where.push(onRegisterSql('l', ':asAt', plan.registered.coveredFrom === null ? null : ':coveredFrom'));
  }
  const grp: Record<string, string> = {
    region: 'l.region_id',
    localAuthority: 'l.local_authority_id',
    sector: 'l.sector_id',
    category: 'l.category',
    keyQuestion: 'r.key_question_id',
    rating: 'r.rating',
    serviceGroup: 'r.service_group',
    locationType: 'l.location_type',
    careHome: 'l.care_home',
  };
  const g = plan.by ? grp[plan.by]! : "''";
  if (shape === 'rows') {
    const sql = `WITH latest AS (
  SELECT r.*, row_number() OVER (PARTITION BY r.location_id, r.service_group, r.key_question_id ORDER BY r.published_on DESC) AS rn
  FROM ratings r
  WHERE r.published_on <= :asAt AND r.key_question_id IN (${list(plan.kqs)})
)
SELECT l.id AS location_id, l.name AS location, la.name AS local_authority, rg.name AS region, l.category AS category,
       r.service_group AS service_group, r.key_question_id AS key_question, r.rating AS rating, r.published_on AS published_on,
       coalesce(${g}, '') AS grp
FROM latest r JOIN ${locationsAsAtSql(':asAt')} l ON l.id = r.location_id
LEFT JOIN local_authorities la ON la.id = l.local_authority_id
LEFT JOIN regions rg ON rg.id = l.region_id
WHERE ${where.join('\n  AND ')}
ORDER BY l.name, l.id, r.service_group, r.key_question_id`;
    return { sql, params };
  }
  const sql = `WITH latest AS (
  SELECT r.*, row_number() OVER (PARTITION BY r.location_id, r.service_group, r.key_question_id ORDER BY r.published_on DESC) AS rn
  FROM ratings r
  WHERE r.published_on <= :asAt AND r.key_question_id IN (${list(plan.kqs)})
)
SELECT coalesce(${g}, '') AS grp, r.rating AS rating, count(*) AS n, r.import_id AS import_id
FROM latest r JOIN ${locationsAsAtSql(':asAt')} l ON l.id = r.location_id
WHERE ${where.join('\n  AND ')}
GROUP BY grp, r.rating, r.import_id`;
  return { sql, params };
}

function aggDefFor(plan: Plan, asAt: string, index: RatingIndex): AggDef {
  const f = plan.filters;
  const sgWant = new Set(f.serviceGroup.values);
  const sgNegate = f.serviceGroup.negate;
  const loc: LocFilterSpec = {
    sector: f.sector,
    region: f.region,
    localAuthority: f.localAuthority,
    locationType: f.locationType,
    category: f.category,
    providerId: f.providerId,
    careHome: f.careHome,
    registered: plan.registered
      ? { day: RatingIndex.dateInt(asAt), coveredFrom: plan.registered.coveredFrom === null ? REGISTER_OPEN : RatingIndex.dateInt(plan.registered.coveredFrom) }
      : undefined,
  };
  const kq = new Set(plan.kqs.map((k) => index.kqCodes.get(k)).filter((c): c is number => c !== undefined));
  return {
    key: canonicalJson({ kqs: plan.kqs, f, by: plan.by ?? null, asAt, registered: loc.registered ?? null }),
    date: RatingIndex.dateInt(asAt),
    kq,
    sgOk: (sg) => sgWant.has(sg) !== sgNegate,
    loc,
    by: plan.by,
  };
}

function counts(ctx: RatingContext, plan: Plan, asAt: string, used: { agg: RatingAgg; version: number }[]): { counts: Counts; sql: string; params: Record<string, string | number> } {
  const q = ratingSql(plan, asAt);
  if (ctx.useIndex) {
    const index = ctx.index.get();
    const agg = index.aggFor(aggDefFor(plan, asAt, index));
    used.push({ agg, version: agg.version });
    const groups = new Map<string, Map<string, number>>();
    for (const [g, arr] of agg.groups) {
      const m = new Map<string, number>();
      arr.forEach((n, label) => {
        if (n) m.set(index.labels.values[label]!, n);
      });
      groups.set(plan.by ? index.groupName(plan.by, g) : '', m);
    }
    const imports = new Map<string, number>();
    for (const [code, n] of agg.imports) if (code >= 0) imports.set(index.imports.values[code]!, n);
    const fp = `${agg.lane1.toString(16).padStart(8, '0')}${agg.lane2.toString(16).padStart(8, '0')}${agg.rows.toString(16)}`;
    return { counts: { groups, rowsRead: agg.rows, imports, fingerprint: fp }, ...q };
  }
  const rows = ctx.ws.all<{ grp: string | number; rating: string; n: number; import_id: string | null }>(q.sql, q.params);
  const groups = new Map<string, Map<string, number>>();
  const imports = new Map<string, number>();
  let total = 0;
  for (const r of rows) {
    const g = String(r.grp);
    const m = groups.get(g) ?? new Map<string, number>();
    m.set(r.rating, (m.get(r.rating) ?? 0) + r.n);
    groups.set(g, m);
    total += r.n;
    if (r.import_id) imports.set(r.import_id, (imports.get(r.import_id) ?? 0) + r.n);
  }
  const fp = hashHex(canonicalJson(rows.map((r) => [r.grp, r.rating, r.n, r.import_id]).sort()));
  return { counts: { groups, rowsRead: total, imports, fingerprint: fp }, ...q };
}

/** The date a figure "as at" no date is computed for: the latest rating on any date. */
const LATEST = '9999-12-31';

/** Whether the ratings data answers a figure's dates; undefined when it does, or when no import says what it answers. */
export function ratingCoverage(caches: EngineCaches, dates: readonly string[]): FigureCoverage | undefined {
  const outside = dates.filter((d) => d !== LATEST).map((d) => caches.coverage('ratings', d)).filter((c) => c.status === 'not covered');
  if (!outside.length) return undefined;
  const when = outside.map((c) => longDate(c.date));
  const first = outside[0]!;
  const message = `${when.length === 1 ? `As at ${when[0]}` : `As at ${when.join(' and ')}`} is outside what the data covers: ${first.message}.`;
  return { ok: false, message: message.charAt(0).toUpperCase() + message.slice(1), dates: outside.map((c) => c.date), datasets: first.datasets.map((d) => d.description) };
}

/** Whether a plan filters or groups by a location's details (which are taken as at the figure's date). */
export function readsLocationDetails(plan: { by?: string | undefined; filters: Record<string, unknown> }): boolean {
  const f = plan.filters;
  return ['region', 'localAuthority', 'sector', 'category', 'locationType', 'careHome'].includes(plan.by ?? '') || ['sector', 'region', 'localAuthority', 'locationType', 'category', 'careHome'].some((k) => f[k] !== undefined);
}

/** What a rating figure counts, in words for its provenance. */
function registerNotes(plan: Plan, dates: readonly string[]): string[] {
  const shown = dates.map((d) => (d === LATEST ? 'today' : longDate(d)));
  const details = readsLocationDetails(plan) ? [`each location's area, sector and type of service ${dates.length > 1 ? 'as they were on each date' : dates[0] === LATEST ? 'as they are now' : `as they were on ${shown[0]}`}`] : [];
  if (!plan.registered) return ['counting every location ever rated, registered or not', ...details];
  return [`counting locations registered on ${shown.join(' and on ')}`, ...details];
}

export function computeRating(ctx: RatingContext, def: FigureDraft, spec: RatingSpec, changes: ChangeRule = DEFAULT_CHANGE_RULE): Computed {
  const { caches } = ctx;
  const plan = ratingPlan(caches, spec);
  const dates = spec.measure === 'rating_change' ? [spec.from, spec.to] : [spec.asAt ?? LATEST];
  const coverage = ratingCoverage(caches, dates);
  const notes = [...registerNotes(plan, dates), ...(coverage ? [coverage.message] : [])];
  const used: { agg: RatingAgg; version: number }[] = [];
  const fmt = def.format ?? {};
  const sum = (m: Map<string, number> | undefined, labels: string[]) => labels.reduce((a, l) => a + (m?.get(l) ?? 0), 0);
  const merge = (c: Counts) => {
    const all = new Map<string, number>();
    for (const m of c.groups.values()) for (const [l, n] of m) all.set(l, (all.get(l) ?? 0) + n);
    return all;
  };
  const published = plan.by && PUBLICATION_LABELLED.has(plan.by) ? labelsOf(ctx.ws).get(plan.by) : undefined;
  /** How a group's row reads: its publication label, else the reference name or the value as held. */
  const rowLabel = (k: string) => published?.get(k) ?? caches.groupLabel(plan.by, k);
  const sortedGroups = (c: Counts) => {
    const keys = [...c.groups.keys()];
    if (plan.by === 'rating') return plan.allLabels.filter((l) => keys.includes(l)).concat(keys.filter((k) => !plan.allLabels.includes(k)));
    if (plan.by === 'keyQuestion') return plan.kqs.filter((k) => keys.includes(k));
    return keys.sort((a, b) => rowLabel(a).localeCompare(rowLabel(b), 'en-GB'));
  };
  const byCol: FigureColumn[] = plan.by ? [{ key: plan.by, label: BY_LABEL[plan.by] ?? plan.by, role: 'category' }] : [];
  const prov = (main: { counts: Counts; sql: string; params: Record<string, string | number> }, extra?: { counts: Counts; sql: string; params: Record<string, string | number> }): Provenance => {
    const imports = new Map(main.counts.imports);
    if (extra) for (const [k, n] of extra.counts.imports) imports.set(k, (imports.get(k) ?? 0) + n);
    return {
      sql: extra ? `${main.sql};\n-- and, for the later date:\n${extra.sql}` : main.sql,
      params: extra ? { from: main.params, to: extra.params } : main.params,
      tables: RATING_TABLES,
      rowsRead: main.counts.rowsRead + (extra?.counts.rowsRead ?? 0),
      fingerprint: hashHex(`${main.counts.fingerprint}|${extra?.counts.fingerprint ?? ''}`),
      imports: caches.importsFor(imports),
      evidenceIds: [],
      computedAt: nowIso(),
      engine: ctx.useIndex ? 'index' : 'sql',
      notes,
    };
  };
  const done = (result: FigureResult): Computed => ({ result: coverage ? { ...result, coverage } : result, aggs: used, tables: new Set(RESULT_TABLES) });
  if (spec.measure === 'rating_change') {
    const a = counts(ctx, plan, spec.from, used);
    const b = counts(ctx, plan, spec.to, used);
    const decimals = fmt.decimals ?? 0;
    // The change rule (README, "Numbers that agree"; the report's setting, passed in by the engine). 'rounded', the
    // default: a change is the difference of the levels as printed (from, to), at their precision, so "77% to 79%" is
    // "2 percentage points" and every Change cell equals To minus From. 'unrounded': the difference of the unrounded
    // shares to one decimal, and the publication's notes say so.
    const rounded = changes === 'rounded';
    const headDecimals = rounded ? decimals : fmt.style === 'points' || !fmt.style ? (fmt.decimals ?? 1) : 1;
    const cellDecimals = rounded ? decimals : 1;
    const shareOf = (m: Map<string, number> | undefined) => {
      const den = sum(m, plan.onScale);
      return { num: sum(m, plan.ratings!), den, share: den ? sum(m, plan.ratings!) / den : null };
    };
    const mk = (ma: Map<string, number> | undefined, mb: Map<string, number> | undefined) => {
      const x = shareOf(ma);
      const y = shareOf(mb);
      const change = x.share !== null && y.share !== null ? changeBetween(x.share, y.share, decimals, changes).change : null;
      // The direction word follows the figures as printed: "rose from 79% to 79%" must never appear.
      const shown = change === null ? null : roundTo(y.share! * 100, decimals) - roundTo(x.share! * 100, decimals);
      return { x, y, change, direction: shown === null ? null : directionWord(roundTo(shown, 9), fmt.directionWords) };
    };
    const all = mk(merge(a.counts), merge(b.counts));
    const suppressed = isSuppressed(Math.min(all.x.den, all.y.den), fmt);
    const pfmt: FigureFormat = { ...fmt, style: fmt.style ?? 'points', decimals: rounded || fmt.style === 'points' || !fmt.style ? headDecimals : fmt.decimals };
    const result: FigureResult = {
      figureId: null,
      kind: def.kind,
      value: all.change,
      formatted: suppressed ? (fmt.suppressedText ?? DEFAULT_SUPPRESSED) : all.change === null ? '..' : fmt.style === 'direction' ? (all.direction ?? '..') : formatValue(all.change, pfmt),
      numerator: all.y.num,
      denominator: all.y.den,
      parts: {
        from: all.x.share,
        to: all.y.share,
        change: all.change,
        direction: all.direction,
        fromFormatted: all.x.share === null ? '..' : formatPercent(all.x.share, decimals),
        toFormatted: all.y.share === null ? '..' : formatPercent(all.y.share, decimals),
        changeFormatted: all.change === null ? '..' : formatPoints(all.change, rounded ? decimals : fmt.style === 'points' ? (fmt.decimals ?? 1) : 1),
        fromDate: spec.from,
        toDate: spec.to,
        fromDateFormatted: formatDate(spec.from),
        toDateFormatted: formatDate(spec.to),
        fromNumerator: all.x.num,
        fromDenominator: all.x.den,
      },
      ...(suppressed ? { suppressed } : {}),
      provenance: prov(a, b),
    };
    if (plan.by) {
      const keys = [...new Set([...sortedGroups(a.counts), ...sortedGroups(b.counts)])];
      result.columns = [
        ...byCol,
        { key: 'from', label: formatDate(spec.from), numeric: true, format: { style: 'percent', decimals }, role: 'measure' },
        { key: 'to', label: formatDate(spec.to), numeric: true, format: { style: 'percent', decimals }, role: 'measure' },
        { key: 'change', label: 'Change', numeric: true, format: { style: 'points', decimals: cellDecimals, signed: true }, role: 'detail' },
      ];
      result.rows = keys.map((k) => {
        const g = mk(a.counts.groups.get(k), b.counts.groups.get(k));
        return { [plan.by!]: rowLabel(k), from: g.x.share, to: g.y.share, change: g.change };
      });
    }
    return done(result);
  }
  const asAt = spec.asAt ?? LATEST;
  const c = counts(ctx, plan, asAt, used);
  const all = merge(c.counts);
  const den = sum(all, plan.onScale);
  const provenance = prov(c);
  if (spec.measure === 'rating_distribution') {
    const decimals = fmt.decimals ?? 0;
    const pct: FigureFormat = { style: 'percent', decimals };
    const total: FigureColumn = { key: 'rated', label: 'Number rated', numeric: true, format: { style: 'number' }, role: 'total' };
    let columns: FigureColumn[];
    let rows: Record<string, string | number | null>[];
    if (!plan.by) {
      columns = [
        { key: 'rating', label: 'Rating', role: 'category' },
        { key: 'count', label: 'Number', numeric: true, format: { style: 'number', ...(fmt.suppressBelow !== undefined ? { suppressBelow: fmt.suppressBelow } : {}) }, role: 'detail' },
        { key: 'share', label: 'Share', numeric: true, format: pct, role: 'measure' },
      ];
      rows = plan.onScale.map((l) => ({ rating: l, count: all.get(l) ?? 0, share: den ? (all.get(l) ?? 0) / den : null }));
    } else {
      columns = [...byCol, ...plan.onScale.map((l): FigureColumn => ({ key: l, label: l, numeric: true, format: pct, role: 'measure' })), total];
      rows = sortedGroups(c.counts).map((k) => {
        const m = c.counts.groups.get(k);
        const d = sum(m, plan.onScale);
        return { [plan.by!]: rowLabel(k), ...Object.fromEntries(plan.onScale.map((l) => [l, d ? (m?.get(l) ?? 0) / d : null])), rated: d };
      });
    }
    return done({
      figureId: null,
      kind: def.kind,
      value: den,
      formatted: formatValue(den, { ...fmt, style: 'number', decimals: 0 }),
      denominator: den,
      columns,
      rows,
      parts: Object.fromEntries(plan.onScale.map((l) => [l, den ? (all.get(l) ?? 0) / den : null])),
      provenance,
    });
  }
  const labels = plan.ratings ?? plan.onScale;
  const num = sum(all, labels);
  const isShare = spec.measure === 'rating_share';
  const value = isShare ? (den ? num / den : null) : num;
  const base = isShare ? den : num;
  const vfmt: FigureFormat = { style: isShare ? 'percent' : 'number', ...fmt };
  const suppressed = isSuppressed(base, vfmt);
  const result: FigureResult = {
    figureId: null,
    kind: def.kind,
    value,
    formatted: value === null ? '..' : formatValue(value, vfmt, base),
    numerator: num,
    denominator: den,
    ...(suppressed ? { suppressed } : {}),
    provenance,
  };
  if (plan.by) {
    result.columns = [
      ...byCol,
      isShare
        ? { key: 'share', label: 'Share', numeric: true, format: { style: 'percent', decimals: fmt.decimals ?? 0, ...(fmt.suppressBelow !== undefined ? { suppressBelow: fmt.suppressBelow } : {}) }, role: 'measure' }
        : { key: 'count', label: 'Number', numeric: true, format: { style: 'number', ...(fmt.suppressBelow !== undefined ? { suppressBelow: fmt.suppressBelow } : {}) }, role: 'measure' },
      { key: 'numerator', label: 'Number', numeric: true, format: { style: 'number' }, role: 'detail' },
      { key: 'denominator', label: 'Number rated', numeric: true, format: { style: 'number' }, role: 'total' },
    ];
    if (!isShare) result.columns.splice(2, 1);
    result.rows = sortedGroups(c.counts).map((k) => {
      const m = c.counts.groups.get(k);
      const n = sum(m, labels);
      const d = sum(m, plan.onScale);
      return isShare ? { [plan.by!]: rowLabel(k), share: d ? n / d : null, numerator: n, denominator: d } : { [plan.by!]: rowLabel(k), count: n, denominator: d };
    });
  }
  return done(result);
}

/** The rows behind a rating figure: each latest rating it counts, and whether it is in the numerator. */
export interface RatingRows {
  asAt: string;
  rows: {
    locationId: string;
    location: string;
    localAuthority: string | null;
    region: string | null;
    category: string | null;
    serviceGroup: string;
    keyQuestion: string;
    rating: string;
    publishedOn: string;
    group: string | null;
    /** Counted in the share's denominator: a rating on the four-point scale (every row for a count). */
    inDenominator: boolean;
    /** Counted in the numerator: one of the ratings the figure asks about. */
    inNumerator: boolean;
  }[];
  numerator: number;
  denominator: number;
  /** What the figure counts, in words: "adult social care locations in the North East", for the statement. */
  subject: string;
  ratingsAsked: string[] | null;
  keyQuestions: string[];
  registered: boolean;
}

/**
 * The rows a rating figure counts, at its date (a change: at its later date), with the same filters, registration rule
 * and service group as the figure: what "Show the rows" lists and exports.
 */
export function ratingRows(ctx: RatingContext, spec: RatingSpec): RatingRows {
  const { caches } = ctx;
  const plan = ratingPlan(caches, spec);
  const asAt = spec.measure === 'rating_change' ? spec.to : (spec.asAt ?? LATEST);
  const { sql, params } = ratingQuery(plan, asAt, 'rows');
  const asked = plan.ratings ?? null;
  const rows: RatingRows['rows'] = [];
  let numerator = 0;
  let denominator = 0;
  const kqName = caches.keyQuestions;
  type Row = { location_id: string; location: string; local_authority: string | null; region: string | null; category: string | null; service_group: string; key_question: string; rating: string; published_on: string; grp: string | number };
  for (const r of ctx.ws.all<Row>(sql, params)) {
    const v = [r.location_id, r.location, r.local_authority, r.region, r.category, r.service_group, r.key_question, r.rating, r.published_on, String(r.grp)];
    const rating = v[7] as string;
    const inDenominator = spec.measure === 'rating_count' || spec.measure === 'rating_distribution' ? true : plan.onScale.includes(rating);
    const inNumerator = asked ? asked.includes(rating) && inDenominator : inDenominator;
    if (inDenominator) denominator++;
    if (inNumerator) numerator++;
    rows.push({
      locationId: v[0] as string,
      location: v[1] as string,
      localAuthority: (v[2] as string | null) ?? null,
      region: (v[3] as string | null) ?? null,
      category: (v[4] as string | null) ?? null,
      serviceGroup: v[5] as string,
      keyQuestion: kqName.get(v[6] as string) ?? (v[6] as string),
      rating,
      publishedOn: v[8] as string,
      group: plan.by ? caches.groupLabel(plan.by, v[9] as string) : null,
      inDenominator,
      inNumerator,
    });
  }
  const f = plan.filters;
  const names = (fl: { values: string[]; negate: boolean } | undefined, dim: GroupDim) => (fl && !fl.negate ? fl.values.map((x) => caches.groupLabel(dim, x)) : []);
  const sectors = names(f.sector, 'sector');
  const places = [...names(f.region, 'region'), ...names(f.localAuthority, 'localAuthority')];
  const categories = f.category && !f.category.negate ? f.category.values : [];
  const what = [sectors.join(' and ').toLowerCase() || null, categories.join(' and ') || null].filter(Boolean).join(' ');
  const subject = `${what ? `${what} ` : ''}location${denominator === 1 ? '' : 's'}${places.length ? ` in ${places.join(' and ')}` : ''}`;
  return { asAt, rows, numerator, denominator, subject, ratingsAsked: asked, keyQuestions: plan.kqs.map((k) => kqName.get(k) ?? k), registered: plan.registered !== null };
}
