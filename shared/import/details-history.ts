import { detailsOf, LOCATION_DETAIL_FIELDS, type LocationDetails, type LocationDetailsEntry } from '../store/locations';

/**
 * A location's details history from dated extracts (see location_details in shared/store/schema.ts, version 6). Each
 * import is one observation: the details a file showed as at its extract date. Entries are runs of observations that
 * agree, from the earliest (`effectiveFrom`) to the latest (`observedTo`). A detail an observation does not give (null:
 * the ratings layouts have no beds, CQC leaves some categories empty) agrees with any value and is filled by one that
 * gives it.
 *
 * The rule is built so that files imported in any order give the same history: an observation joins the entry whose
 * span holds its date, or extends the one before it or the one after it when it agrees with it, or else is a new entry.
 * An extract older than everything held is as welcome as a newer one; it never changes what a newer one said. The
 * only case that depends on order is a detail that changed and changed back, observed out of order inside one entry's
 * span: the entry is split at the observation and the ends keep the dates known to them.
 */

const NULLABLE = new Set<keyof LocationDetails>(['category', 'localAuthorityId', 'regionId', 'beds']);

/** Whether two sets of details can be the same: every detail equal, or missing from one of them. */
export function agrees(a: LocationDetails, b: LocationDetails): boolean {
  for (const f of LOCATION_DETAIL_FIELDS) {
    const x = a[f];
    const y = b[f];
    if (x === y) continue;
    if (NULLABLE.has(f) && (x === null || y === null)) continue;
    return false;
  }
  return true;
}

/** `a` with the details it lacks taken from `b`. */
function filled<T extends LocationDetails>(a: T, b: LocationDetails): T {
  let out = a;
  for (const f of NULLABLE) {
    if (a[f] === null && b[f] !== null) {
      if (out === a) out = { ...a };
      (out as Record<string, unknown>)[f] = b[f];
    }
  }
  return out;
}

function sameEntry(a: LocationDetailsEntry, b: LocationDetailsEntry): boolean {
  return a.effectiveFrom === b.effectiveFrom && a.observedTo === b.observedTo && LOCATION_DETAIL_FIELDS.every((f) => a[f] === b[f]);
}

function entry(locationId: string, d: LocationDetails, from: string, to: string, importId: string | null): LocationDetailsEntry {
  return { locationId, effectiveFrom: from, observedTo: to, ...detailsOf(d), importId };
}

/**
 * The history (oldest first) with one more observation: `details` as at `at`, from import `importId`. Entries the
 * observation leaves alone are returned as they were (the same objects), so a caller can tell what changed.
 */
export function observe(history: readonly LocationDetailsEntry[], locationId: string, details: LocationDetails, at: string, importId: string): LocationDetailsEntry[] {
  const out = [...history];
  const changed = (i: number, e: LocationDetailsEntry) => {
    out[i] = sameEntry(e, history[i]!) && e.importId === history[i]!.importId ? history[i]! : e;
  };
  const inside = out.findIndex((e) => e.effectiveFrom <= at && at <= e.observedTo);
  if (inside >= 0) {
    const e = out[inside]!;
    if (agrees(e, details)) {
      const next = filled(e, details);
      if (next !== e) changed(inside, { ...next, importId });
      return normalised(out, history);
    }
    // Two extracts disagree inside one entry's span: the observation is a correction at its date (the same date) or a
    // change and a change back (a later one inside); the entry is split around it.
    const parts: LocationDetailsEntry[] = [];
    if (e.effectiveFrom < at) parts.push({ ...e, observedTo: e.effectiveFrom });
    parts.push(entry(locationId, at === e.effectiveFrom ? filled(details, e) : details, at, at, importId));
    if (e.observedTo > at) parts.push({ ...e, effectiveFrom: e.observedTo });
    out.splice(inside, 1, ...parts);
    return normalised(out, history);
  }
  // Between entries (or before the first, or after the last).
  let after = out.findIndex((e) => e.effectiveFrom > at);
  if (after < 0) after = out.length;
  const prev = after > 0 ? out[after - 1]! : undefined;
  const next = after < out.length ? out[after]! : undefined;
  if (prev && agrees(prev, details)) changed(after - 1, { ...filled(prev, details), observedTo: at, importId });
  else if (next && agrees(next, details)) changed(after, { ...filled(next, details), effectiveFrom: at, importId });
  else out.splice(after, 0, entry(locationId, details, at, at, importId));
  return normalised(out, history);
}

/** Neighbouring entries that agree become one (an observation between them may have closed the gap). */
function normalised(list: LocationDetailsEntry[], original: readonly LocationDetailsEntry[]): LocationDetailsEntry[] {
  for (let i = 0; i + 1 < list.length; ) {
    const a = list[i]!;
    const b = list[i + 1]!;
    if (agrees(a, b)) {
      const merged = { ...filled(a, b), observedTo: b.observedTo, importId: b.importId ?? a.importId };
      list.splice(i, 2, original.includes(a) && sameEntry(merged, a) ? a : merged);
    } else i++;
  }
  return list;
}

/**
 * The latest details the history knows, detail by detail: the last entry's, and for a detail it lacks the latest
 * entry that gives it. What a location's own row holds.
 */
export function latestDetails(history: readonly LocationDetailsEntry[]): LocationDetails | undefined {
  const last = history[history.length - 1];
  if (!last) return undefined;
  let out: LocationDetails = last;
  for (let i = history.length - 2; i >= 0; i--) out = filled(out, history[i]!);
  return out;
}

/** Whether two histories hold the same entries. */
export function sameHistory(a: readonly LocationDetailsEntry[], b: readonly LocationDetailsEntry[]): boolean {
  return a.length === b.length && a.every((e, i) => e === b[i] || (sameEntry(e, b[i]!) && e.importId === b[i]!.importId));
}
