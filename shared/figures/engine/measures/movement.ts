import { locationFilters, onRegisterSql, ratingCoverage, readsLocationDetails, type RatingContext } from './ratings';
import { locationsAsAtSql } from '../../../store/locations';
import { RatingIndex, REGISTER_OPEN } from '../../../store/rating-index';
import { labelsOf } from '../../../store/labels';
import { nowIso } from '../../../util/runtime';
import { DEFAULT_SUPPRESSED, formatDate, formatNumber, formatPercent, formatPoints, formatValue, isSuppressed, roundTo } from '../../format';
import { canonicalJson, type RatingMovementSpec } from '../../spec';
import type { FigureColumn, FigureFormat, FigureResult, Provenance } from '../../types';
import type { EngineCaches } from '../caches';
import { hashHex } from '../provenance';
import type { Computed, FigureDraft } from '../types';
import type { CountedRows } from './counts';

/**
 * rating_movement, "the tipping point": of the locations rated at two points, how many improved, held or deteriorated.
 *
 * - Two dates (`compare: 'dates'`, the default): each location's latest rating as at `from` against its latest as at
 *   `to`, for one key question (default Overall) and service group (default Overall), as the rating measures read
 *   "as at". A location whose latest rating is the same published rating at both dates held (it was not re-inspected;
 *   the part `notReinspected` says how many).
 * - On re-inspection (`compare: 'reinspection'`): each location's latest rating as at `to` against its previous rating
 *   (the latest published on an earlier date); with `from`, only ratings published after `from`.
 *
 * Improved and deteriorated follow the order of the key question's rating scale (rating_values.rank: Inadequate <
 * Requires improvement < Good < Outstanding for CQC). A rating off the scale at either point ("Insufficient evidence to
 * rate") leaves the location out; so does, by default (`locations: 'registered'`), not being on the register at both
 * points, by the register's one rule (registeredAtSql in shared/store/locations.ts). Both are counted in the result's
 * parts and provenance. Filters and groups read each location's details as at `to` (detailsVersions in
 * shared/store/locations.ts), as the other rating measures read them as at their date.
 *
 * Results: without `by`, the transition table (rating then by rating now); with `by`, one row per group with its
 * counts, shares and net movement (improved minus deteriorated, as a number and as percentage points of those rated at
 * both), ordered from the most improving group to the most deteriorating (for the diverging bar chart). The value is
 * the net movement as a number of locations, or in percentage points when the format's style is 'points'. Computed
 * with one SQL read that aggregates in the database.
 */

/** Tables the measure reads (a change to any of them recomputes it). */
export const MOVEMENT_TABLES = ['key_questions', 'locations', 'rating_values', 'ratings', 'regions', 'local_authorities', 'sectors', 'location_details', 'imports', 'publication_labels'];

const BY_LABEL: Record<string, string> = {
  region: 'Region',
  localAuthority: 'Local authority',
  sector: 'Sector',
  category: 'Type of service',
  keyQuestion: 'Key question',
  serviceGroup: 'Service',
  locationType: 'Location type',
  careHome: 'Care home',
};
const PUBLICATION_LABELLED = new Set(['category', 'serviceGroup', 'locationType']);
const GROUP_SQL: Record<string, string> = {
  region: 'l.region_id',
  localAuthority: 'l.local_authority_id',
  sector: 'l.sector_id',
  category: 'l.category',
  keyQuestion: 't.key_question_id',
  serviceGroup: 't.service_group',
  locationType: 'l.location_type',
  careHome: 'l.care_home',
};

interface Plan {
  kqs: string[];
  reinspection: boolean;
  from: string | undefined;
  to: string;
  /** null: every location rated at both; else on the register at both, with the first date register data answers. */
  registered: { coveredFrom: string | null } | null;
  by: RatingMovementSpec['by'];
  filters: {
    sector?: { values: string[]; negate: boolean };
    region?: { values: string[]; negate: boolean };
    localAuthority?: { values: string[]; negate: boolean };
    locationType?: { values: string[]; negate: boolean };
    category?: { values: string[]; negate: boolean };
    providerId?: { values: string[]; negate: boolean };
    serviceGroup: { values: string[]; negate: boolean };
    careHome?: boolean;
  };
}

function movementPlan(caches: EngineCaches, spec: RatingMovementSpec): Plan {
  const kqIn = spec.keyQuestion === undefined ? (spec.by === 'keyQuestion' ? [...caches.keyQuestions.keys()] : ['overall']) : typeof spec.keyQuestion === 'string' ? [spec.keyQuestion] : spec.keyQuestion;
  const kqs = caches.resolveNames('keyQuestion', kqIn, caches.keyQuestions, 'a key question');
  const f = spec.filters ?? {};
  return {
    kqs,
    reinspection: spec.compare === 'reinspection',
    from: spec.from,
    to: spec.to,
    registered: spec.registered === 'all' ? null : { coveredFrom: caches.registerCoveredFrom() },
    by: spec.by,
    filters: locationFilters(caches, f),
  };
}

/**
 * The SQL: per group, rating then, rating now, whether it is the same published rating, whether the location was on
 * the register at both points, and the imports of the two ratings, with how many locations. `t` is each series'
 * latest rating date as at `to`; `f` its earlier point (latest as at `from`, or the previous rating).
 */
export function movementSql(plan: Plan, mode: 'counts' | 'rows' = 'counts'): { sql: string; params: Record<string, string | number> } {
  const params: Record<string, string | number> = { ':to': plan.to };
  if (plan.from !== undefined) params[':from'] = plan.from;
  let n = 0;
  const list = (vals: string[]) =>
    vals
      .map((v) => {
        const k = `:p${n++}`;
        params[k] = v;
        return k;
      })
      .join(', ');
  const kqList = list(plan.kqs);
  const sg = plan.filters.serviceGroup;
  const sgCond = (col: string) => (sg.negate ? `coalesce(${col}, '') NOT IN (${list(sg.values)})` : `${col} IN (${list(sg.values)})`);
  const where: string[] = [];
  const cond = (col: string, fl: { values: string[]; negate: boolean } | undefined, ci = false) => {
    if (!fl) return;
    const c = ci ? `lower(${col})` : col;
    const vals = ci ? fl.values.map((v) => v.toLowerCase()) : fl.values;
    where.push(fl.negate ? `coalesce(${c}, '') NOT IN (${list(vals)})` : `${c} IN (${list(vals)})`);
  };
  const f = plan.filters;
  cond('l.sector_id', f.sector);
  cond('l.region_id', f.region);
  cond('l.local_authority_id', f.localAuthority);
  cond('l.location_type', f.locationType, true);
  cond('l.category', f.category, true);
  cond('l.provider_id', f.providerId);
  if (f.careHome !== undefined) where.push(`l.care_home = ${f.careHome ? 1 : 0}`);
  // The earlier point of each series, looked up by the ratings' (location, group, key question, date) key.
  const earlier = `SELECT t.location_id, t.service_group, t.key_question_id, (SELECT max(r.published_on) FROM ratings r
    WHERE r.location_id = t.location_id AND r.service_group = t.service_group AND r.key_question_id = t.key_question_id AND r.published_on ${plan.reinspection ? '< t.d' : '<= :from'}) AS d
  FROM t`;
  let registered = '1';
  if (plan.registered) {
    // The register's one rule, as the rating measures apply it (onRegisterSql in ./ratings.ts), at both points.
    const covered = plan.registered.coveredFrom === null ? null : ':coveredFrom';
    if (plan.registered.coveredFrom !== null) params[':coveredFrom'] = plan.registered.coveredFrom;
    registered = `(${onRegisterSql('l', plan.reinspection ? 'f.d' : ':from', covered)})\n    AND (${onRegisterSql('l', ':to', covered)})`;
  }
  const grp = plan.by ? GROUP_SQL[plan.by]! : "''";
  const sql = `WITH loc AS (
  SELECT l.id FROM ${locationsAsAtSql(':to')} l${where.length ? `\n  WHERE ${where.join('\n    AND ')}` : ''}
), t AS (
  SELECT r.location_id, r.service_group, r.key_question_id, max(r.published_on) AS d
  FROM loc JOIN ratings r ON r.location_id = loc.id
  WHERE r.key_question_id IN (${kqList}) AND r.published_on <= :to AND ${sgCond('r.service_group')}
  GROUP BY r.location_id, r.service_group, r.key_question_id${plan.reinspection && plan.from !== undefined ? '\n  HAVING max(r.published_on) > :from' : ''}
), f AS (
  ${earlier}
)
SELECT coalesce(${grp}, '') AS grp, rf.rating AS rating_from, rt.rating AS rating_to,
  coalesce(f.d = t.d, 0) AS same,
  CASE WHEN f.d IS NULL THEN 1 WHEN ${registered} THEN 1 ELSE 0 END AS registered,
  ${mode === 'rows' ? `l.id AS location_id, l.name AS location, la.name AS local_authority, t.service_group, t.key_question_id, f.d AS date_from, t.d AS date_to, 1 AS n` : 'rf.import_id AS import_from, rt.import_id AS import_to, count(*) AS n'}
FROM t
JOIN ratings rt ON rt.location_id = t.location_id AND rt.service_group = t.service_group AND rt.key_question_id = t.key_question_id AND rt.published_on = t.d
JOIN ${locationsAsAtSql(':to')} l ON l.id = t.location_id
LEFT JOIN f ON f.location_id = t.location_id AND f.service_group = t.service_group AND f.key_question_id = t.key_question_id
LEFT JOIN ratings rf ON rf.location_id = f.location_id AND rf.service_group = f.service_group AND rf.key_question_id = f.key_question_id AND rf.published_on = f.d
${
  mode === 'rows'
    ? 'LEFT JOIN local_authorities la ON la.id = l.local_authority_id\nORDER BY l.name, l.id, t.key_question_id, t.service_group'
    : 'GROUP BY grp, rating_from, rating_to, same, registered, import_from, import_to\nORDER BY grp, rating_from, rating_to, same, registered, import_from, import_to'
}`;
  return { sql, params };
}

interface Row {
  grp: string | number;
  rating_from: string | null;
  rating_to: string;
  same: number;
  registered: number;
  import_from: string | null;
  import_to: string | null;
  n: number;
}

/** One group's (or the whole figure's) counts. */
interface Tally {
  improved: number;
  held: number;
  deteriorated: number;
  notReinspected: number;
  /** rating then → rating now → count, on-scale pairs of registered locations only */
  transitions: Map<string, Map<string, number>>;
  offScale: number;
  notRegistered: number;
  ratedOnce: number;
}

const emptyTally = (): Tally => ({ improved: 0, held: 0, deteriorated: 0, notReinspected: 0, transitions: new Map(), offScale: 0, notRegistered: 0, ratedOnce: 0 });
const ratedOf = (t: Tally) => t.improved + t.held + t.deteriorated;

/** SQLite's ORDER BY for the values a row holds: NULL, then numbers, then text (binary). */
function sqliteCompare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const na = typeof a === 'number';
  const nb = typeof b === 'number';
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : 1;
}

/**
 * The rows {@link movementSql} returns, from the rating index instead of SQL: each series' latest row as at `to` (the
 * index's materialised table for that date) against its latest as at `from`, or its previous row, with the register
 * rule and the location filters the rating measures use. Grouped and ordered as the SQL groups and orders them, so
 * everything made from them (counts, shares, the fingerprint) is the same; a fresh process does not read every
 * rating row through SQL for each movement figure.
 */
export function movementRowsFromIndex(ix: RatingIndex, plan: Plan): Row[] {
  const toDay = RatingIndex.dateInt(plan.to);
  const fromDay = plan.from === undefined ? undefined : RatingIndex.dateInt(plan.from);
  const f = plan.filters;
  const lf = ix.locFilter({
    sector: f.sector,
    region: f.region,
    localAuthority: f.localAuthority,
    locationType: f.locationType,
    category: f.category,
    providerId: f.providerId,
    careHome: f.careHome,
  }, toDay);
  const kqs = new Set<number>();
  for (const id of plan.kqs) {
    const c = ix.kqCodes.get(id);
    if (c !== undefined) kqs.add(c);
  }
  const sgWant = new Set(f.serviceGroup.values);
  const sgOk = ix.sgs.values.map((v) => sgWant.has(v) !== f.serviceGroup.negate);
  const covered = plan.registered?.coveredFrom == null ? REGISTER_OPEN : RatingIndex.dateInt(plan.registered.coveredFrom);
  // Filters and groups read each location's details as at `to`, the rating measures' rule for their one date.
  const cols = ix.locColsAt(toDay);
  const onRegister = (loc: number, day: number) => ix.onRegister(loc, day, covered);
  const best = ix.bestFor(toDay);
  const series: number[] = [];
  for (const k of kqs) {
    for (const s of ix.seriesByKq[k] ?? []) {
      if (!sgOk[ix.sSg[s]!] || lf.match[ix.sLoc[s]!] !== 1) continue;
      const slot = best[s] ?? -1;
      if (slot < 0) continue;
      if (plan.reinspection && fromDay !== undefined && ix.rDate[slot]! <= fromDay) continue;
      series.push(s);
    }
  }
  // The earlier point: the latest as at `from`, or (re-inspection) the latest before the series' latest, found in one
  // pass over the rows.
  let earlier: Int32Array;
  if (!plan.reinspection) {
    earlier = fromDay === undefined ? new Int32Array(0) : ix.bestFor(fromDay);
  } else {
    earlier = new Int32Array(Math.max(ix.seriesCount, 1)).fill(-1);
    const wanted = new Uint8Array(Math.max(ix.seriesCount, 1));
    for (const s of series) wanted[s] = 1;
    const { rSeries, rDate } = ix;
    for (let slot = 0; slot < ix.rowCount; slot++) {
      const s = rSeries[slot]!;
      if (s < 0 || wanted[s] !== 1) continue;
      const d = rDate[slot]!;
      if (d >= rDate[best[s]!]!) continue;
      const cur = earlier[s]!;
      if (cur === -1 || rDate[cur]! < d) earlier[s] = slot;
    }
  }
  const label = (slot: number) => ix.labels.values[ix.rLabel[slot]!]!;
  const importOf = (slot: number) => {
    const i = ix.rImport[slot]!;
    return i < 0 ? null : ix.imports.values[i]!;
  };
  const groups = new Map<string, Row>();
  for (const s of series) {
    const ts = best[s]!;
    const fs = earlier.length ? (earlier[s] ?? -1) : -1;
    const loc = ix.sLoc[s]!;
    let grp: string | number;
    switch (plan.by) {
      case undefined:
        grp = '';
        break;
      case 'careHome':
        grp = cols.careHome[loc]!;
        break;
      default:
        grp = ix.groupName(plan.by, ix.groupOf(plan.by, s, ts, toDay));
    }
    const same = fs >= 0 && ix.rDate[fs] === ix.rDate[ts] ? 1 : 0;
    let registered = 1;
    if (fs >= 0 && plan.registered) {
      const thenDay = plan.reinspection ? ix.rDate[fs]! : fromDay!;
      registered = onRegister(loc, thenDay) && onRegister(loc, toDay) ? 1 : 0;
    }
    const row: Row = { grp, rating_from: fs >= 0 ? label(fs) : null, rating_to: label(ts), same, registered, import_from: fs >= 0 ? importOf(fs) : null, import_to: importOf(ts), n: 1 };
    const key = JSON.stringify([row.grp, row.rating_from, row.rating_to, row.same, row.registered, row.import_from, row.import_to]);
    const g = groups.get(key);
    if (g) g.n++;
    else groups.set(key, row);
  }
  const keys: (keyof Row)[] = ['grp', 'rating_from', 'rating_to', 'same', 'registered', 'import_from', 'import_to'];
  return [...groups.values()].sort((a, b) => {
    for (const k of keys) {
      const c = sqliteCompare(a[k], b[k]);
      if (c) return c;
    }
    return 0;
  });
}

export function computeMovement(ctx: RatingContext, def: FigureDraft, spec: RatingMovementSpec): Computed {
  const { ws, caches } = ctx;
  const plan = movementPlan(caches, spec);
  const scale = caches.scaleLabels(plan.kqs);
  const rank = new Map(scale.filter((l) => l.on_scale === 1 && l.rank !== null).map((l) => [l.label, l.rank!]));
  const onScale = scale.filter((l) => rank.has(l.label)).map((l) => l.label);
  const q = movementSql(plan);
  const rows = ctx.useIndex ? movementRowsFromIndex(ctx.index.get(), plan) : ws.all<Row>(q.sql, q.params);

  const total = emptyTally();
  const groups = new Map<string, Tally>();
  const imports = new Map<string, number>();
  let read = 0;
  for (const r of rows) {
    read += r.n;
    for (const id of [r.import_from, r.import_to]) if (id) imports.set(id, (imports.get(id) ?? 0) + r.n);
    const key = String(r.grp);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = emptyTally()));
    for (const t of [total, g]) {
      if (r.rating_from === null) t.ratedOnce += r.n;
      else if (!rank.has(r.rating_from) || !rank.has(r.rating_to)) t.offScale += r.n;
      else if (!r.registered) t.notRegistered += r.n;
      else {
        const a = rank.get(r.rating_from)!;
        const b = rank.get(r.rating_to)!;
        // Rank 1 is the best rating: a smaller rank now is an improvement.
        if (b < a) t.improved += r.n;
        else if (b > a) t.deteriorated += r.n;
        else t.held += r.n;
        if (r.same) t.notReinspected += r.n;
        const m = t.transitions.get(r.rating_from) ?? new Map<string, number>();
        m.set(r.rating_to, (m.get(r.rating_to) ?? 0) + r.n);
        t.transitions.set(r.rating_from, m);
      }
    }
  }

  const fmt = def.format ?? {};
  const decimals = fmt.decimals ?? 0;
  const suppressedText = fmt.suppressedText ?? DEFAULT_SUPPRESSED;
  const countFmt: FigureFormat = { style: 'number', ...(fmt.suppressBelow !== undefined ? { suppressBelow: fmt.suppressBelow, ...(fmt.suppressedText ? { suppressedText: fmt.suppressedText } : {}) } : {}) };
  const pct: FigureFormat = { style: 'percent', decimals };
  const pointsFmt: FigureFormat = { style: 'points', decimals, signed: true };
  /** Shares of the rated at both, and the net in percentage points as the difference of the shares as printed. */
  const shares = (t: Tally) => {
    const rated = ratedOf(t);
    if (!rated) return { improvedShare: null, heldShare: null, deterioratedShare: null, netPoints: null, netExact: null };
    const improvedShare = t.improved / rated;
    const deterioratedShare = t.deteriorated / rated;
    const netPoints = roundTo(roundTo(improvedShare * 100, decimals) - roundTo(deterioratedShare * 100, decimals), decimals) / 100;
    return { improvedShare, heldShare: t.held / rated, deterioratedShare, netPoints, netExact: (t.improved - t.deteriorated) / rated };
  };

  const rated = ratedOf(total);
  const net = total.improved - total.deteriorated;
  const s = shares(total);
  const suppressed = isSuppressed(rated, fmt);
  // The value: net movement in percentage points (style 'points'), as a direction word ('direction'), or else as a
  // number of locations.
  const asPoints = fmt.style === 'points';
  const value = rated === 0 ? null : asPoints ? s.netPoints : net;
  const valueFmt: FigureFormat = asPoints ? { ...fmt, decimals } : fmt.style === 'direction' ? fmt : { ...fmt, style: fmt.style === 'compact' ? 'compact' : 'number', decimals: fmt.decimals ?? 0 };
  const formatted = suppressed ? suppressedText : value === null ? '..' : formatValue(value, valueFmt, rated);

  const fromText = plan.from === undefined ? null : formatDate(plan.from);
  const toText = formatDate(plan.to);
  const count = (n: number) => (suppressed ? suppressedText : formatValue(n, countFmt));
  const share = (v: number | null) => (suppressed ? suppressedText : v === null ? '..' : formatPercent(v, decimals));
  const balance = rated === 0 ? null : net > 0 ? 'more improved than deteriorated' : net < 0 ? 'more deteriorated than improved' : 'as many improved as deteriorated';
  const parts: Record<string, number | string | null> = {
    compare: plan.reinspection ? 'reinspection' : 'dates',
    rated,
    ratedFormatted: count(rated),
    improved: total.improved,
    improvedFormatted: count(total.improved),
    held: total.held,
    heldFormatted: count(total.held),
    deteriorated: total.deteriorated,
    deterioratedFormatted: count(total.deteriorated),
    net,
    netFormatted: suppressed ? suppressedText : formatNumber(Math.abs(net)),
    improvedShare: s.improvedShare,
    improvedShareFormatted: share(s.improvedShare),
    heldShare: s.heldShare,
    heldShareFormatted: share(s.heldShare),
    deterioratedShare: s.deterioratedShare,
    deterioratedShareFormatted: share(s.deterioratedShare),
    netPoints: s.netPoints,
    netPointsFormatted: suppressed ? suppressedText : s.netPoints === null ? '..' : formatPoints(s.netPoints, decimals),
    balance: suppressed ? suppressedText : balance,
    notReinspected: total.notReinspected,
    excludedOffScale: total.offScale,
    excludedNotRegistered: total.notRegistered,
    ratedOnce: total.ratedOnce,
    fromDate: plan.from ?? null,
    toDate: plan.to,
    fromDateFormatted: fromText,
    toDateFormatted: toText,
  };

  const published = plan.by && PUBLICATION_LABELLED.has(plan.by) ? labelsOf(ws).get(plan.by) : undefined;
  const rowLabel = (k: string) => published?.get(k) ?? caches.groupLabel(plan.by, k);
  let columns: FigureColumn[];
  let tableRows: Record<string, string | number | null>[];
  const counts = (t: Tally) => ({ rated: ratedOf(t), deteriorated: t.deteriorated, held: t.held, improved: t.improved });
  if (plan.by) {
    const by = plan.by;
    const list = [...groups.entries()].map(([k, t]) => ({ k, label: rowLabel(k), t, s: shares(t), hidden: isSuppressed(ratedOf(t), fmt) }));
    // Only groups with someone rated at both points are rows: a group whose locations were all left out has no movement.
    const shown = list.filter((g) => ratedOf(g.t) > 0);
    // Most improving first, most deteriorating last; suppressed groups after, by name, so their order says nothing.
    shown.sort((a, b) => Number(a.hidden) - Number(b.hidden) || (a.hidden ? 0 : b.s.netExact! - a.s.netExact!) || a.label.localeCompare(b.label, 'en-GB'));
    columns = [
      { key: by, label: BY_LABEL[by] ?? by, role: 'category' },
      { key: 'rated', label: 'Rated at both', numeric: true, format: countFmt, role: 'total' },
      { key: 'deteriorated', label: 'Deteriorated', numeric: true, format: countFmt, role: 'detail' },
      { key: 'held', label: 'Held', numeric: true, format: countFmt, role: 'detail' },
      { key: 'improved', label: 'Improved', numeric: true, format: countFmt, role: 'detail' },
      { key: 'deterioratedShare', label: 'Share deteriorated', numeric: true, format: pct, role: 'measure' },
      { key: 'improvedShare', label: 'Share improved', numeric: true, format: pct, role: 'measure' },
      { key: 'net', label: 'Net movement', numeric: true, format: { style: 'number' }, role: 'detail' },
      { key: 'netPoints', label: 'Net movement (percentage points)', numeric: true, format: pointsFmt, role: 'detail' },
    ];
    tableRows = shown.map((g) => {
      if (g.hidden) {
        return { [by]: g.label, code: g.k, rated: suppressedText, deteriorated: suppressedText, held: suppressedText, improved: suppressedText, deterioratedShare: suppressedText, improvedShare: suppressedText, net: suppressedText, netPoints: suppressedText };
      }
      return { [by]: g.label, code: g.k, ...counts(g.t), deterioratedShare: g.s.deterioratedShare, improvedShare: g.s.improvedShare, net: g.t.improved - g.t.deteriorated, netPoints: g.s.netPoints };
    });
    const visible = shown.filter((g) => !g.hidden);
    parts.groups = shown.length;
    parts.groupsImproving = visible.filter((g) => g.t.improved > g.t.deteriorated).length;
    parts.groupsDeteriorating = visible.filter((g) => g.t.improved < g.t.deteriorated).length;
    parts.groupsLevel = visible.filter((g) => g.t.improved === g.t.deteriorated).length;
    parts.groupsSuppressed = shown.length - visible.length;
    parts.mostImproving = visible[0]?.label ?? null;
    parts.mostDeteriorating = visible[visible.length - 1]?.label ?? null;
  } else {
    const thenLabel = plan.reinspection ? 'Previous rating' : `Rating at ${fromText}`;
    const nowLabel = (l: string) => (plan.reinspection ? `Now ${l}` : `${l} at ${toText}`);
    columns = [
      { key: 'then', label: thenLabel, role: 'category' },
      ...onScale.map((l): FigureColumn => ({ key: l, label: nowLabel(l), numeric: true, format: countFmt, role: 'measure' })),
      { key: 'rated', label: 'Rated at both', numeric: true, format: countFmt, role: 'total' },
    ];
    tableRows = onScale.map((then) => {
      const m = total.transitions.get(then);
      const cells = Object.fromEntries(onScale.map((now) => [now, suppressed ? suppressedText : (m?.get(now) ?? 0)]));
      const sum = onScale.reduce((a, now) => a + (m?.get(now) ?? 0), 0);
      return { then, ...cells, rated: suppressed ? suppressedText : sum };
    });
  }

  const excluded: NonNullable<Provenance['excluded']> = [
    { reason: `rated off the ${onScale.length}-point scale at one of the two points (e.g. "Insufficient evidence to rate")`, count: total.offScale },
    ...(plan.registered ? [{ reason: 'not on the register at both points', count: total.notRegistered }] : []),
    { reason: plan.reinspection ? 'no earlier rating to compare with' : `no rating as at ${fromText} (first rated later)`, count: total.ratedOnce },
  ];
  const provenance: Provenance = {
    sql: q.sql,
    params: q.params,
    tables: MOVEMENT_TABLES.filter((t) => t !== 'publication_labels'),
    rowsRead: read,
    fingerprint: hashHex(canonicalJson(rows.map((r) => [r.grp, r.rating_from, r.rating_to, r.same, r.registered, r.import_from, r.import_to, r.n]))),
    imports: caches.importsFor(imports),
    evidenceIds: [],
    computedAt: nowIso(),
    engine: ctx.useIndex ? 'index' : 'sql',
    excluded,
    notes: [
      plan.reinspection
        ? `Each location's latest rating as at ${toText} against its previous rating${fromText ? `, for ratings published after ${fromText}` : ''}.`
        : `Each location's latest rating as at ${fromText} against its latest as at ${toText}.`,
      plan.registered ? 'Counting only locations on the register at both points.' : 'Counting every location rated at both points, registered or not.',
      ...(readsLocationDetails(plan) ? [`Each location's area, sector and type of service as they were on ${toText}.`] : []),
      `Left out: ${excluded
        .filter((e) => e.count > 0)
        .map((e) => `${formatNumber(e.count)} ${e.reason}`)
        .join('; ') || 'none'}.`,
    ],
  };
  const coverage = ratingCoverage(caches, plan.from === undefined ? [plan.to] : [plan.from, plan.to]);
  if (coverage) provenance.notes!.push(coverage.message);
  const result: FigureResult = {
    figureId: null,
    kind: def.kind,
    value,
    formatted,
    denominator: rated,
    parts,
    columns,
    rows: tableRows,
    ...(suppressed ? { suppressed } : {}),
    ...(coverage ? { coverage } : {}),
    provenance,
  };
  return { result, aggs: [], tables: new Set(MOVEMENT_TABLES) };
}

/**
 * "Show the rows" for rating_movement: each series the figure compares (a location's rating for a key question and
 * service), its rating at the two points and what the figure counted it as: improved, held or deteriorated (the rated
 * at both, the figure's denominator), or left out and why. Read with SQL, whichever path computed the figure.
 */
export function movementRows(ctx: RatingContext, spec: RatingMovementSpec): CountedRows & { statement: string; numerator: number; denominator: number } {
  const { ws, caches } = ctx;
  const plan = movementPlan(caches, spec);
  const scale = caches.scaleLabels(plan.kqs);
  const rank = new Map(scale.filter((l) => l.on_scale === 1 && l.rank !== null).map((l) => [l.label, l.rank!]));
  const q = movementSql(plan, 'rows');
  type Detail = Row & { location_id: string; location: string; local_authority: string | null; service_group: string; key_question_id: string; date_from: string | null; date_to: string };
  const tally = emptyTally();
  const rows = ws.all<Detail>(q.sql, q.params).map((r) => {
    let counted: string;
    if (r.rating_from === null) counted = plan.reinspection ? 'left out: no earlier rating' : 'left out: first rated later';
    else if (!rank.has(r.rating_from) || !rank.has(r.rating_to)) counted = 'left out: off the rating scale';
    else if (!r.registered) counted = 'left out: not on the register at both points';
    else {
      const a = rank.get(r.rating_from)!;
      const b = rank.get(r.rating_to)!;
      counted = b < a ? 'improved' : b > a ? 'deteriorated' : 'held';
      tally[counted as 'improved' | 'held' | 'deteriorated']++;
    }
    return [r.location_id, r.location, r.local_authority, caches.keyQuestions.get(r.key_question_id) ?? r.key_question_id, r.service_group, r.rating_from, r.date_from, r.rating_to, r.date_to, counted];
  });
  const rated = ratedOf(tally);
  const when = plan.reinspection ? 'at their latest inspection against the one before' : `between ${formatDate(plan.from ?? '')} and ${formatDate(plan.to)}`;
  return {
    statement: `Of ${formatNumber(rated)} ratings compared ${when}, ${formatNumber(tally.improved)} improved, ${formatNumber(tally.held)} held and ${formatNumber(tally.deteriorated)} deteriorated.`,
    numerator: tally.improved,
    denominator: rated,
    columns: [
      { key: 'locationId', label: 'Location ID' },
      { key: 'location', label: 'Location' },
      { key: 'localAuthority', label: 'Local authority' },
      { key: 'keyQuestion', label: 'Key question' },
      { key: 'serviceGroup', label: 'Service or population group' },
      { key: 'ratingFrom', label: 'Rating then' },
      { key: 'dateFrom', label: 'Published then' },
      { key: 'ratingTo', label: 'Rating now' },
      { key: 'dateTo', label: 'Published now' },
      { key: 'counted', label: 'Counted as' },
    ],
    rows,
  };
}
