import { setMeta, type Tx, type Workspace } from '../store/workspace';
import { countLocations, countProviders, insertLocalAuthorities, insertLocations, insertProviders, listLocalAuthorities, listRegions, locationClasses } from '../store/locations';
import { countRatings, eachLatestRating, insertRatings, onScaleLabels, type NewRating } from '../store/ratings';
import { countInspections, insertInspections, type InspectionRecord } from '../store/inspections';
import { countAreaReviews } from '../store/area-reviews';
import { countFindings } from '../store/findings';
import { countAttachments, countEvidence } from '../store/evidence';
import { countIndicators, countIndicatorValues } from '../store/indicators';
import { recordImport, setImportRows } from '../store/imports';
import { REGIONS, slugify } from '../store/reference';
import { PLACES, type Place } from './places';
import { Rng, dayOf, isoOf, stampOf, stream } from './data-random';
import {
  CARE_GROUPS,
  STAFF,
  ascProviderName,
  careHomeName,
  communityServiceName,
  gpPracticeName,
  gpProviderName,
  inwardCode,
  stem,
  streetAddress,
  trustStem,
} from './data-names';
import { buildNarrative, type NarrativeInput } from './data-narrative';
import { buildIndicators } from './data-indicators';

/**
 * The demonstration workspace: a synthetic England whose ratings reproduce the shares CQC published in State of Care
 * 2017/18, as at 31 July 2017 and 31 July 2018, to the whole percent.
 *
 * Calibration works on "rating units" (a location's Overall for adult social care and GP practices; each core service
 * of an NHS acute or mental health location). Units are given ratings by quota rather than by chance: sorted on a
 * latent quality score, the best-placed units take the published share of Outstanding, the next the share of Good,
 * and so on. The latent score mixes a local authority effect with the unit's own, so areas differ (the "integration
 * lottery") while the national shares stay exact. Between the two dates some units are re-inspected; their new
 * ratings fill exactly the gap between what the unchanged units hold and the 2018 shares.
 */

export interface DemoSummary {
  seed: number;
  workspaceId: string;
  name: string;
  counts: Record<string, number>;
  /** As-at shares (percent of on-scale ratings) per calibrated sector, read back from the stored rows. */
  calibration: CalibrationCheck[];
}

export interface CalibrationCheck {
  sector: string;
  asAt: string;
  keyQuestion: string;
  n: number;
  outstanding: number;
  good: number;
  requiresImprovement: number;
  inadequate: number;
}

export const DEMO_DEFAULT_SEED = 20180731;
export const DEMO_NAME = 'Demonstration workspace: synthetic England (not real data)';
/** Every stored timestamp the generator writes that is not a domain date: the data's notional "as generated" time. */
export const DEMO_GENERATED_AT = '2018-10-01T09:00:00.000Z';
export const DEMO_ACTOR = 'assay demo';

export const AS_AT_2017 = '2017-07-31';
export const AS_AT_2018 = '2018-07-31';

/** Key questions in the order units hold them; the last is Overall. */
export const KQ_IDS = ['safe', 'effective', 'caring', 'responsive', 'well-led', 'overall'] as const;
const OVERALL = 5;
const LABELS = ['Outstanding', 'Good', 'Requires improvement', 'Inadequate'] as const;
const INSUFFICIENT = 'Insufficient evidence to rate';
/** A rank for "not on the scale": the unit was inspected but could not be rated. */
const IE = -1;

export const ACUTE_CORE_SERVICES = [
  'Urgent and emergency services',
  "Medical care (including older people's care)",
  'Surgery',
  'Critical care',
  'Maternity',
  'Services for children & young people',
  'End of life care',
  'Outpatients and diagnostic imaging',
] as const;

export const MENTAL_HEALTH_CORE_SERVICES = [
  'Acute wards for adults of working age and psychiatric intensive care units',
  'Long stay or rehabilitation mental health wards for working age adults',
  'Forensic inpatient or secure wards',
  'Child and adolescent mental health wards',
  'Wards for older people with mental health problems',
  'Wards for people with a learning disability or autism',
  'Community-based mental health services for adults of working age',
  'Mental health crisis services and health-based places of safety',
  'Specialist community mental health services for children and young people',
  'Community-based mental health services for older people',
  'Community mental health services for people with a learning disability or autism',
] as const;

export const CATEGORY = {
  residential: 'Residential social care',
  community: 'Community based adult social care services',
  gp: 'GP Practices',
  acute: 'Acute hospital - NHS non-specialist',
  mentalHealth: 'Mental health - community & residential - NHS',
  independentAcute: 'Acute hospital - Independent non-specialist',
  independentMentalHealth: 'Mental health - community & hospital - independent',
  hospice: 'Hospice services',
} as const;

/** Shares in percent [Outstanding, Good, Requires improvement, Inadequate] per key question (KQ_IDS order). */
type Targets = readonly (readonly [number, number, number, number])[];

/**
 * The published State of Care 2017/18 overall shares, with key questions chosen so that Safe is the weakest and the
 * safety facts hold. Where published percentages do not add up to 100 (rounding), the shares used add to 100 and sit
 * a quarter of a point inside every published figure, so that a unit more or less (another seed, a few more or fewer
 * core services) still rounds to what CQC published.
 */
export const CALIBRATION: Record<'asc' | 'acute' | 'mh' | 'gp', { label: string; d2017: Targets; d2018: Targets }> = {
  asc: {
    label: 'Adult social care',
    d2017: [[1.0, 75.5, 21.8, 1.7], [1.5, 84.5, 13.3, 0.7], [3.0, 93.5, 3.3, 0.2], [3.0, 85.0, 11.4, 0.6], [2.0, 76.5, 19.5, 2.0], [2.0, 78.0, 19.0, 1.0]],
    d2018: [[1.3, 78.2, 19.1, 1.4], [2.0, 86.0, 11.4, 0.6], [3.8, 93.2, 2.8, 0.2], [3.6, 86.2, 9.7, 0.5], [2.6, 78.4, 17.3, 1.7], [3.0, 79.0, 17.0, 1.0]],
  },
  acute: {
    label: 'NHS acute hospital core services',
    d2017: [[1.2, 51.3, 44.0, 3.5], [4.0, 66.0, 28.5, 1.5], [8.0, 88.0, 3.8, 0.2], [4.0, 62.0, 31.5, 2.5], [5.0, 60.0, 32.0, 3.0], [5.75, 54.75, 36.75, 2.75]],
    d2018: [[1.5, 55.5, 40.0, 3.0], [4.5, 70.0, 24.5, 1.0], [9.0, 88.0, 2.9, 0.1], [4.5, 66.0, 27.5, 2.0], [6.0, 64.0, 27.5, 2.5], [6.0, 60.0, 31.0, 3.0]],
  },
  mh: {
    label: 'NHS mental health core services',
    d2017: [[1.5, 55.0, 41.0, 2.5], [4.0, 74.0, 20.5, 1.5], [8.0, 89.5, 2.4, 0.1], [6.0, 78.0, 15.0, 1.0], [6.0, 70.0, 22.5, 1.5], [6.25, 68.25, 24.25, 1.25]],
    d2018: [[2.0, 59.5, 37.0, 1.5], [5.0, 76.0, 18.0, 1.0], [9.5, 88.5, 1.9, 0.1], [7.0, 79.5, 12.8, 0.7], [7.5, 72.0, 19.5, 1.0], [8.0, 70.0, 21.0, 1.0]],
  },
  gp: {
    label: 'GP practices',
    d2017: [[0.5, 87.5, 10.0, 2.0], [3.0, 89.0, 6.5, 1.5], [3.5, 94.0, 2.3, 0.2], [5.0, 89.0, 5.2, 0.8], [3.5, 86.5, 8.0, 2.0], [3.75, 88.75, 5.75, 1.75]],
    d2018: [[0.6, 90.4, 7.5, 1.5], [3.8, 90.7, 4.5, 1.0], [4.0, 94.5, 1.4, 0.1], [6.0, 90.0, 3.5, 0.5], [4.5, 89.0, 5.5, 1.0], [4.75, 90.75, 3.75, 0.75]],
  },
};

/** Published overall shares, whole percent, that the demo must reproduce: [Outstanding, Good, RI, Inadequate]. */
export const PUBLISHED_OVERALL: Record<'asc' | 'acute' | 'mh' | 'gp', { d2017: number[]; d2018: number[] }> = {
  asc: { d2017: [2, 78, 19, 1], d2018: [3, 79, 17, 1] },
  acute: { d2017: [6, 55, 37, 3], d2018: [6, 60, 31, 3] },
  mh: { d2017: [6, 68, 24, 1], d2018: [8, 70, 21, 1] },
  gp: { d2017: [4, 89, 6, 2], d2018: [5, 91, 4, 1] },
};

const D1 = dayOf(AS_AT_2017);
const D2 = dayOf(AS_AT_2018);
/** CQC's ratings began in October 2014; nothing is rated before it. */
const FIRST_RATINGS = dayOf('2014-10-01');
const LAST_DAY = dayOf('2019-11-29');
const HSCA_DAY = dayOf('2010-10-01');

type Sector = 'asc' | 'pms' | 'hosp';
type CalibKey = 'asc' | 'acute' | 'mh' | 'gp';

interface Unit {
  group: string;
  calibrated: boolean;
  /** Ranks per event (aligned with the location's `events`), 6 key questions each; IE for "insufficient evidence". */
  byEvent: Int8Array[];
  latent: number;
}

interface Loc {
  id: string;
  name: string;
  providerId: string;
  sector: Sector;
  type: string;
  category: string;
  careHome: 0 | 1;
  place: Place;
  laId: string;
  street: string;
  city: string;
  postcode: string;
  lat: number;
  lon: number;
  registered: number;
  beds: number | null;
  quality: number;
  calib: CalibKey | null;
  units: Unit[];
  /** Publication days, ascending, once the history is built. */
  events: number[];
  inspectionId: string | null;
  reportType: string;
}

interface Provider {
  id: string;
  name: string;
  brandId: string | null;
  brandName: string | null;
}

/** Exact counts for shares of n by largest remainder, so the stored shares are as close to the targets as n allows. */
function quota(shares: readonly number[], n: number): number[] {
  const total = shares.reduce((a, b) => a + b, 0);
  const raw = shares.map((s) => (s / total) * n);
  const out = raw.map(Math.floor);
  let left = n - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]![1]]! += 1;
  return out;
}

/** Gives ranks 0..3 to items sorted best first, in the quantities asked. */
function assignByQuota<T>(items: T[], score: (t: T) => number, counts: readonly number[], set: (t: T, rank: number) => void): void {
  const scored = items.map((t, i) => ({ t, s: score(t), i }));
  scored.sort((a, b) => b.s - a.s || a.i - b.i);
  let k = 0;
  for (let rank = 0; rank < 4; rank++) for (let c = 0; c < counts[rank]!; c++) set(scored[k++]!.t, rank);
}

/** Regional leanings, so that some regions do better than others as the published regional breakdowns show. */
const REGION_EFFECT: Record<string, number> = {
  E12000001: 0.25,
  E12000002: -0.12,
  E12000003: -0.1,
  E12000004: -0.05,
  E12000005: -0.22,
  E12000006: -0.02,
  E12000007: 0.05,
  E12000008: 0.06,
  E12000009: 0.18,
};

function clampRank(r: number): number {
  return r < 0 ? 0 : r > 3 ? 3 : r;
}

/** Key questions around an overall rating, for history the calibration does not govern. Safe leans worse, Caring better. */
function deriveKqs(overall: number, rng: Rng): Int8Array {
  const out = new Int8Array(6);
  out[OVERALL] = overall;
  if (overall === IE) return out.fill(IE);
  const lean = [0.24, 0.1, -0.1, 0.04, 0.12];
  for (let k = 0; k < 5; k++) {
    const l = lean[k]!;
    let r = overall;
    const u = rng.next();
    if (l > 0 && u < l) r += 1;
    else if (l < 0 && u < -l) r -= 1;
    else if (u > 0.95) r += overall >= 2 ? -1 : 1;
    out[k] = clampRank(r);
  }
  return out;
}

/** The location's own Overall for a hospital, from its core services, roughly as CQC's aggregation rules work. */
function aggregate(ranks: number[]): number {
  const on = ranks.filter((r) => r >= 0);
  if (on.length === 0) return IE;
  const count = (r: number) => on.filter((x) => x === r).length;
  if (count(3) >= 2) return 3;
  if (count(3) === 1 || count(2) >= 2) return 2;
  if (count(0) >= 2 && count(2) === 0) return 0;
  return 1;
}

export async function generateDemoData(ws: Workspace, opts: { seed?: number } = {}): Promise<DemoSummary> {
  const seed = (opts.seed ?? DEMO_DEFAULT_SEED) >>> 0;
  const g = generate(seed);
  await ws.write(
    'demo.generate',
    (tx) => {
      insertAll(tx, g);
    },
    { unjournaled: true, actor: DEMO_ACTOR },
  );
  const counts: Record<string, number> = {
    regions: listRegions(ws).length,
    localAuthorities: listLocalAuthorities(ws).length,
    providers: countProviders(ws),
    locations: countLocations(ws),
    adultSocialCare: countLocations(ws, { sectorId: 'asc' }),
    careHomes: countLocations(ws, { sectorId: 'asc', careHome: true }),
    gpPractices: countLocations(ws, { category: CATEGORY.gp }),
    nhsAcuteLocations: countLocations(ws, { category: CATEGORY.acute }),
    nhsMentalHealthLocations: countLocations(ws, { category: CATEGORY.mentalHealth }),
    independentHealthcare: countLocations(ws, { locationType: 'Independent Healthcare Org' }),
    ratings: countRatings(ws),
    inspections: countInspections(ws),
    areaReviews: countAreaReviews(ws),
    findings: countFindings(ws),
    evidence: countEvidence(ws),
    attachments: countAttachments(ws),
    indicators: countIndicators(ws),
    indicatorValues: countIndicatorValues(ws),
  };
  return { seed, workspaceId: g.workspaceId, name: DEMO_NAME, counts, calibration: calibrationCheck(ws) };
}

/** Reads the as-at shares back from the stored rows: what the summary prints and what a reader can check. */
export function calibrationCheck(ws: Workspace): CalibrationCheck[] {
  const sets: { key: CalibKey; match: (r: { sector_id: string; category: string; overall: number }) => boolean }[] = [
    { key: 'asc', match: (r) => r.sector_id === 'asc' && r.overall === 1 },
    { key: 'acute', match: (r) => r.category === CATEGORY.acute && r.overall === 0 },
    { key: 'mh', match: (r) => r.category === CATEGORY.mentalHealth && r.overall === 0 },
    { key: 'gp', match: (r) => r.category === CATEGORY.gp && r.overall === 1 },
  ];
  const out: CalibrationCheck[] = [];
  const classes = locationClasses(ws);
  const rated = onScaleLabels(ws, 'cqc');
  for (const asAt of [AS_AT_2017, AS_AT_2018]) {
    for (const kq of ['overall', 'safe']) {
      // One pass per date and key question over every sector, grouped by what tells the calibrated sets apart.
      const groups = new Map<string, { sector_id: string; category: string; overall: number; rating: string; n: number }>();
      eachLatestRating(ws, { keyQuestionId: kq, asAt }, (locationId, serviceGroup, rating) => {
        const l = classes.get(locationId);
        if (!l || !rated.has(rating)) return;
        const overall = serviceGroup === 'Overall' ? 1 : 0;
        const key = `${l.sectorId}\u0001${l.category}\u0001${overall}\u0001${rating}`;
        const g = groups.get(key);
        if (g) g.n++;
        else groups.set(key, { sector_id: l.sectorId, category: l.category, overall, rating, n: 1 });
      });
      const rows = [...groups.values()];
      for (const s of sets) {
        const mine = rows.filter(s.match);
        const by = (label: string) => mine.filter((r) => r.rating === label).reduce((a, r) => a + Number(r.n), 0);
        const n = mine.reduce((a, r) => a + Number(r.n), 0);
        const pct = (label: string) => (n ? Math.round((by(label) / n) * 1000) / 10 : 0);
        out.push({
          sector: CALIBRATION[s.key].label,
          asAt,
          keyQuestion: kq,
          n,
          outstanding: pct('Outstanding'),
          good: pct('Good'),
          requiresImprovement: pct('Requires improvement'),
          inadequate: pct('Inadequate'),
        });
      }
    }
  }
  const order = sets.map((s) => CALIBRATION[s.key].label);
  return out.sort((a, b) => order.indexOf(a.sector) - order.indexOf(b.sector));
}

// ---------------------------------------------------------------------------------------------------------------------
// Generation: everything is built in memory first, then written in one transaction.

interface Generated {
  seed: number;
  workspaceId: string;
  importId: string;
  providers: Provider[];
  locs: Loc[];
  laEffect: Map<string, number>;
  narrative: ReturnType<typeof buildNarrative>;
  indicators: ReturnType<typeof buildIndicators>;
}

function uuidFrom(rng: Rng): string {
  const hex = () => rng.int(16).toString(16);
  let s = '';
  for (let i = 0; i < 32; i++) s += hex();
  // Shaped as a version 4 UUID so tools that validate workspace ids accept it.
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${'89ab'[rng.int(4)]}${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

function generate(seed: number): Generated {
  const idRng = stream(seed, 'ids');
  const workspaceId = uuidFrom(stream(seed, 'workspace-id'));
  const importId = `demo-${seed}`;

  const effRng = stream(seed, 'area-effects');
  const laEffect = new Map<string, number>();
  for (const p of PLACES) laEffect.set(slugify(p.name), (REGION_EFFECT[p.regionId] ?? 0) + effRng.normal() * 0.32);

  const usedIds = new Set<string>();
  const cqcId = (digits: number) => {
    for (;;) {
      let s = '1-';
      s += String(1 + idRng.int(9));
      for (let i = 1; i < digits; i++) s += String(idRng.int(10));
      if (!usedIds.has(s)) {
        usedIds.add(s);
        return s;
      }
    }
  };

  const providers: Provider[] = [];
  const locs: Loc[] = [];
  const placeRng = stream(seed, 'places');
  // Within two spreads of the area's typical location: wider scatter would put coastal services in the sea.
  const offset = () => Math.max(-2, Math.min(2, placeRng.normal())) * 0.7;
  const jitter = (p: Place) => {
    const lat = p.lat + offset() * p.spreadLat;
    const lon = p.lon + offset() * p.spreadLon;
    return { lat: Math.round(lat * 1e6) / 1e6, lon: Math.round(lon * 1e6) / 1e6 };
  };
  const postcode = (p: Place) => `${p.outcodes.length ? placeRng.pick(p.outcodes) : 'ZZ1'} ${inwardCode(placeRng)}`;
  const town = (p: Place) => (p.towns.length ? placeRng.pick(p.towns) : p.name);

  const newLoc = (
    place: Place,
    fields: Pick<Loc, 'id' | 'name' | 'providerId' | 'sector' | 'type' | 'category' | 'careHome' | 'beds' | 'calib' | 'reportType'>,
    city: string,
    spread = 1,
  ): Loc => {
    const laId = slugify(place.name);
    const { lat, lon } = jitter(place);
    const loc: Loc = {
      ...fields,
      place,
      laId,
      street: streetAddress(placeRng),
      city,
      postcode: postcode(place),
      lat,
      lon,
      registered: HSCA_DAY,
      quality: (laEffect.get(laId) ?? 0) + placeRng.normal() * spread,
      units: [],
      events: [],
      inspectionId: null,
    };
    locs.push(loc);
    return loc;
  };

  // How many services each area gets: adult social care follows people aged 65+, GP practices the whole population.
  const spreadOver = (total: number, weight: (p: Place) => number, rng: Rng) => {
    const w = PLACES.map((p) => weight(p) * Math.exp(rng.normal() * 0.12));
    return quota(w, total).map((n) => Math.max(n, 1));
  };

  // Adult social care --------------------------------------------------------------------------------------------
  const ascRng = stream(seed, 'asc');
  const groups: Provider[] = CARE_GROUPS.map((name, i) => ({
    id: cqcId(9),
    name: `${name} ${i % 3 === 0 ? 'Healthcare Group Limited' : 'Care Group Limited'}`,
    brandId: `BD${String(100 + i * 37)}`,
    brandName: `BRAND ${name} Care`,
  }));
  providers.push(...groups);
  const groupWeights = groups.map((_, i) => 1 / (i + 1.5));
  const ascCounts = spreadOver(25_000, (p) => p.population65, ascRng);
  PLACES.forEach((place, pi) => {
    const n = ascCounts[pi]!;
    let local: Provider | null = null;
    for (let i = 0; i < n; i++) {
      const residential = ascRng.chance(0.6);
      let prov: Provider;
      const r = ascRng.next();
      if (r < 0.1) prov = groups[ascRng.weighted(groupWeights)]!;
      else if (local && r < 0.3) prov = local;
      else {
        prov = { id: cqcId(9), name: ascProviderName(ascRng), brandId: null, brandName: null };
        providers.push(prov);
        local = prov;
      }
      let beds: number | null = null;
      if (residential) {
        const b = ascRng.next();
        beds = b < 0.3 ? ascRng.between(3, 12) : b < 0.75 ? ascRng.between(18, 50) : ascRng.between(51, 120);
      }
      const t = town(place);
      newLoc(
        place,
        {
          id: cqcId(10),
          name: residential ? careHomeName(ascRng) : communityServiceName(ascRng, t),
          providerId: prov.id,
          sector: 'asc',
          type: 'Social Care Org',
          category: residential ? CATEGORY.residential : CATEGORY.community,
          careHome: residential ? 1 : 0,
          beds,
          calib: 'asc',
          reportType: 'Location',
        },
        t,
      );
    }
  });

  // GP practices -------------------------------------------------------------------------------------------------
  const gpRng = stream(seed, 'gp');
  const gpCounts = spreadOver(7_000, (p) => p.population, gpRng);
  PLACES.forEach((place, pi) => {
    for (let i = 0; i < gpCounts[pi]!; i++) {
      const t = town(place);
      const name = gpPracticeName(gpRng, t);
      const prov: Provider = { id: cqcId(9), name: gpProviderName(gpRng, name), brandId: null, brandName: null };
      providers.push(prov);
      newLoc(
        place,
        { id: cqcId(10), name, providerId: prov.id, sector: 'pms', type: 'Primary Medical Services', category: CATEGORY.gp, careHome: 0, beds: null, calib: 'gp', reportType: 'Location' },
        t,
      );
    }
  });

  // NHS trusts: trust codes are three letters starting with Z, which no real NHS organisation uses.
  const trustRng = stream(seed, 'trusts');
  const trustCodes = new Set<string>();
  const trustCode = () => {
    const A = 'ABCDEFGHJKLMNPQRTUVWXY';
    for (;;) {
      const c = `Z${A[trustRng.int(A.length)]}${A[trustRng.int(A.length)]}`;
      if (!trustCodes.has(c)) {
        trustCodes.add(c);
        return c;
      }
    }
  };
  const popWeights = PLACES.map((p) => p.population);
  const hostOf = (rng: Rng) => PLACES[rng.weighted(popWeights)]!;
  const acuteTrusts: { code: string; name: string; place: Place }[] = [];
  for (let i = 0; i < 150; i++) {
    const place = hostOf(trustRng);
    const code = trustCode();
    const s = trustStem(trustRng);
    const name = `${s} ${trustRng.pick(['Hospitals NHS Foundation Trust', 'Hospitals NHS Trust', 'University Hospitals NHS Foundation Trust', 'Healthcare NHS Trust', 'and District Hospitals NHS Foundation Trust'])}`;
    providers.push({ id: code, name, brandId: null, brandName: null });
    acuteTrusts.push({ code, name, place });
    const sites = trustRng.weighted([0.3, 0.38, 0.22, 0.1]) + 1;
    for (let si = 0; si < sites; si++) {
      const main = si === 0;
      const t = town(place);
      const siteName = main
        ? `${s} ${trustRng.pick(['General Hospital', 'District General Hospital', 'Royal Hospital', 'University Hospital'])}`
        : `${t} ${trustRng.pick(['Community Hospital', 'Hospital', 'Infirmary', 'Treatment Centre'])}`;
      const loc = newLoc(
        place,
        { id: `${code}${String(si + 1).padStart(2, '0')}`, name: siteName, providerId: code, sector: 'hosp', type: 'NHS Healthcare Organisation', category: CATEGORY.acute, careHome: 0, beds: null, calib: 'acute', reportType: 'Location' },
        t,
        0.6,
      );
      loc.registered = dayOf('2010-04-01');
      const services = main
        ? [...ACUTE_CORE_SERVICES]
        : ACUTE_CORE_SERVICES.filter((c, ci) => ci === 1 || ci === 7 || (c !== 'Critical care' && c !== 'Maternity' && trustRng.chance(0.45)));
      loc.units.push({ group: 'Overall', calibrated: false, byEvent: [], latent: 0 });
      for (const sv of services) loc.units.push({ group: sv, calibrated: true, byEvent: [], latent: 0 });
    }
  }
  const mhTrusts: { code: string; name: string; place: Place }[] = [];
  for (let i = 0; i < 54; i++) {
    const place = hostOf(trustRng);
    const code = trustCode();
    const s = trustStem(trustRng);
    const name = `${s} ${trustRng.pick(['Partnership NHS Foundation Trust', 'Mental Health NHS Foundation Trust', 'Health and Care NHS Trust', 'Mental Health and Wellbeing NHS Trust'])}`;
    providers.push({ id: code, name, brandId: null, brandName: null });
    mhTrusts.push({ code, name, place });
    const loc = newLoc(
      place,
      { id: `${code}HQ`, name: `${name.replace(/ NHS .*$/, '')} headquarters`, providerId: code, sector: 'hosp', type: 'NHS Healthcare Organisation', category: CATEGORY.mentalHealth, careHome: 0, beds: null, calib: 'mh', reportType: 'Provider' },
      town(place),
      0.6,
    );
    loc.registered = dayOf('2010-04-01');
    loc.units.push({ group: 'Overall', calibrated: false, byEvent: [], latent: 0 });
    for (const [ci, sv] of MENTAL_HEALTH_CORE_SERVICES.entries()) {
      if (ci < 2 || ci === 4 || ci === 6 || ci === 7 || trustRng.chance(0.6)) loc.units.push({ group: sv, calibrated: true, byEvent: [], latent: 0 });
    }
  }

  // Independent hospitals and hospices: rated, but outside the calibrated NHS figures.
  const indRng = stream(seed, 'independent');
  for (let i = 0; i < 380; i++) {
    const place = hostOf(indRng);
    const kind = indRng.weighted([0.45, 0.33, 0.22]);
    const category = [CATEGORY.independentAcute, CATEGORY.independentMentalHealth, CATEGORY.hospice][kind]!;
    const s = stem(indRng);
    const prov: Provider = {
      id: cqcId(9),
      name: kind === 2 ? `${s} Hospice Care` : `${s} ${indRng.pick(['Healthcare Limited', 'Hospitals Limited', 'Clinical Services Ltd'])}`,
      brandId: null,
      brandName: null,
    };
    providers.push(prov);
    const name = kind === 0 ? `${s} ${indRng.pick(['Hospital', 'Clinic', 'Private Hospital'])}` : kind === 1 ? `${s} ${indRng.pick(['House', 'Lodge', 'Unit'])}` : `${s} Hospice`;
    const loc = newLoc(
      place,
      { id: cqcId(10), name, providerId: prov.id, sector: 'hosp', type: 'Independent Healthcare Org', category, careHome: 0, beds: kind === 2 ? indRng.between(8, 30) : null, calib: null, reportType: 'Location' },
      town(place),
    );
    loc.registered = indRng.chance(0.5) ? HSCA_DAY : indRng.between(HSCA_DAY, dayOf('2016-06-30'));
    loc.units.push({ group: 'Overall', calibrated: false, byEvent: [], latent: 0 });
    if (kind === 0) for (const sv of ['Surgery', 'Outpatients and diagnostic imaging']) loc.units.push({ group: sv, calibrated: false, byEvent: [], latent: 0 });
  }
  for (const loc of locs) if (loc.units.length === 0) loc.units.push({ group: 'Overall', calibrated: true, byEvent: [], latent: 0 });

  const histRng = stream(seed, 'history');
  calibrate(locs.filter((l) => l.calib === 'asc'), 'asc', histRng, { pNew: 0.07, pLate: 0.02, pIE: 0.004 });
  calibrate(locs.filter((l) => l.calib === 'gp'), 'gp', histRng, { pNew: 0.03, pLate: 0.01, pIE: 0.002 });
  calibrate(locs.filter((l) => l.calib === 'acute'), 'acute', histRng, { pNew: 0, pLate: 0, pIE: 0 });
  calibrate(locs.filter((l) => l.calib === 'mh'), 'mh', histRng, { pNew: 0, pLate: 0, pIE: 0 });
  for (const loc of locs) if (loc.calib === null) uncalibratedHistory(loc, histRng);
  for (const loc of locs) {
    const overall = loc.units.find((u) => !u.calibrated && u.group === 'Overall' && loc.calib !== null);
    if (!overall) continue;
    // A hospital's own Overall follows its core services at each inspection.
    overall.byEvent = loc.events.map((_, e) => {
      const ranks = new Int8Array(6);
      for (let k = 0; k < 6; k++) ranks[k] = aggregate(loc.units.filter((u) => u.calibrated).map((u) => u.byEvent[e]![k]!));
      return ranks;
    });
  }

  // Inspection records for every hospital and a sample of other services, tied to the latest published ratings.
  const insRng = stream(seed, 'inspections');
  let insN = 0;
  for (const loc of locs) {
    if (loc.events.length === 0) continue;
    const take = loc.sector === 'hosp' ? 1 : loc.sector === 'pms' ? 0.12 : 0.1;
    if (insRng.next() < take) loc.inspectionId = `INS2-${String(100001 + insN++ * 7 + insRng.int(7))}`;
  }

  const narrativeInput: NarrativeInput = {
    seed,
    laEffect,
    locations: locs
      .filter((l) => l.events.length > 0)
      .map((l) => ({
        id: l.id,
        name: l.name,
        laId: l.laId,
        sector: l.sector,
        category: l.category,
        inspectionId: l.inspectionId,
        latestDay: l.events[l.events.length - 1]!,
        latestOverall: (() => {
          const u = l.units.find((x) => x.group === 'Overall') ?? l.units[0]!;
          return u.byEvent[u.byEvent.length - 1]![OVERALL]!;
        })(),
      })),
    acuteTrusts: acuteTrusts.map((t) => ({ code: t.code, name: t.name, laId: slugify(t.place.name) })),
    providers: providers.filter((p) => p.brandId !== null).map((p) => ({ id: p.id, name: p.name })),
    staff: STAFF,
  };
  return {
    seed,
    workspaceId,
    importId,
    providers,
    locs,
    laEffect,
    narrative: buildNarrative(narrativeInput),
    indicators: buildIndicators(seed, laEffect),
  };
}

/**
 * Builds the rating history of one calibrated set so that the as-at shares at both dates match the targets exactly.
 * Timing is per location (a hospital's core services are inspected together); ratings are per unit.
 */
function calibrate(locs: Loc[], key: CalibKey, rng: Rng, p: { pNew: number; pLate: number; pIE: number }): void {
  const spec = CALIBRATION[key];
  type Status = 'old' | 'new' | 'late';
  const status = new Map<Loc, Status>();
  const ie = new Set<Loc>();
  const t1 = new Map<Loc, number>();
  const d1 = new Map<Unit, Int8Array>();
  const d2 = new Map<Unit, Int8Array>();
  const earliest = Math.max(FIRST_RATINGS + 30, 0);

  for (const loc of locs) {
    const r = rng.next();
    const st: Status = r < p.pLate ? 'late' : r < p.pLate + p.pNew ? 'new' : 'old';
    status.set(loc, st);
    if (loc.sector !== 'hosp') {
      if (st === 'late') loc.registered = rng.between(dayOf('2018-02-01'), dayOf('2018-07-15'));
      else if (st === 'new') loc.registered = rng.between(dayOf('2016-09-01'), dayOf('2018-02-28'));
      else if (loc.sector === 'pms') loc.registered = dayOf('2013-04-01');
      else loc.registered = rng.chance(0.35) ? HSCA_DAY : rng.between(HSCA_DAY + 1, dayOf('2016-09-30'));
    }
    if (st === 'old') {
      t1.set(loc, rng.between(Math.max(loc.registered + 150, earliest), D1 - 3));
      if (rng.chance(p.pIE)) ie.add(loc);
    }
    for (const u of loc.units) if (u.calibrated) u.latent = loc.quality + rng.normal() * 0.5;
  }

  // 31 July 2017: every rated unit gets its ratings by quota.
  const rated1 = locs.filter((l) => status.get(l) === 'old' && !ie.has(l)).flatMap((l) => l.units.filter((u) => u.calibrated));
  const n1 = rated1.length;
  for (const u of rated1) d1.set(u, new Int8Array(6));
  const overall1 = quota(spec.d2017[OVERALL]!, n1);
  assertPublished(key, AS_AT_2017, overall1, PUBLISHED_OVERALL[key].d2017);
  assignByQuota(rated1, (u) => u.latent, overall1, (u, r) => (d1.get(u)![OVERALL] = r));
  for (let k = 0; k < 5; k++) {
    const noise = new Map(rated1.map((u) => [u, rng.normal() * 0.45] as const));
    assignByQuota(rated1, (u) => -d1.get(u)![OVERALL]! + noise.get(u)! + u.latent * 0.15, quota(spec.d2017[k]!, n1), (u, r) => (d1.get(u)![k] = r));
  }
  for (const loc of ie) for (const u of loc.units) if (u.calibrated) d1.set(u, new Int8Array(6).fill(IE));

  // Who is re-inspected before 31 July 2018: poorer services far more often, as CQC's risk-based approach works.
  const reinspect = new Set<Loc>();
  for (const loc of locs) {
    if (status.get(loc) !== 'old' || ie.has(loc)) continue;
    const ranks = loc.units.filter((u) => u.calibrated).map((u) => d1.get(u)![OVERALL]!);
    const poor = ranks.filter((r) => r >= 2).length / ranks.length;
    const worst = Math.max(...ranks);
    const pr = key === 'acute' || key === 'mh' ? 0.25 + 0.45 * poor : worst === 3 ? 0.85 : worst === 2 ? 0.55 : ranks[0] === 0 ? 0.12 : 0.16;
    if (rng.chance(pr)) reinspect.add(loc);
  }
  const kept = () => locs.filter((l) => status.get(l) === 'old' && !ie.has(l) && !reinspect.has(l));
  const n2 =
    n1 + locs.filter((l) => status.get(l) === 'new').reduce((a, l) => a + l.units.filter((u) => u.calibrated).length, 0);
  const target2 = Array.from({ length: 6 }, (_, k) => quota(spec.d2018[k]!, n2));
  assertPublished(key, AS_AT_2018, target2[OVERALL]!, PUBLISHED_OVERALL[key].d2018);
  const keptCounts = Array.from({ length: 6 }, () => [0, 0, 0, 0]);
  for (const loc of kept()) for (const u of loc.units) if (u.calibrated) for (let k = 0; k < 6; k++) keptCounts[k]![d1.get(u)![k]!]! += 1;
  // If the services left alone already hold more of some rating than 2018 allows, re-inspect some of them too.
  const candidates = rng.shuffle(kept());
  let ci = 0;
  for (;;) {
    let bad: [number, number] | null = null;
    for (let k = 0; k < 6 && !bad; k++) for (let c = 0; c < 4; c++) if (target2[k]![c]! - keptCounts[k]![c]! < 0) bad = [k, c];
    if (!bad) break;
    const [k, c] = bad;
    let moved = false;
    while (!moved && ci < candidates.length) {
      const loc = candidates[ci++]!;
      if (reinspect.has(loc) || !loc.units.some((u) => u.calibrated && d1.get(u)![k] === c)) continue;
      reinspect.add(loc);
      for (const u of loc.units) if (u.calibrated) for (let kk = 0; kk < 6; kk++) keptCounts[kk]![d1.get(u)![kk]!]! -= 1;
      moved = true;
    }
    if (!moved) throw new Error(`demo calibration for ${key} cannot reach the 2018 shares`);
  }

  // 31 July 2018: the re-inspected and the newly rated fill exactly what the 2018 shares still need.
  const pool = locs
    .filter((l) => reinspect.has(l) || status.get(l) === 'new')
    .flatMap((l) => l.units.filter((u) => u.calibrated));
  const need = target2.map((t, k) => t.map((x, c) => x - keptCounts[k]![c]!));
  for (const u of pool) d2.set(u, new Int8Array(6));
  const prevScore = (u: Unit) => {
    const r = d1.get(u);
    return r ? (1.4 - r[OVERALL]!) * 0.6 : 0;
  };
  const noise2 = new Map(pool.map((u) => [u, rng.normal() * 0.7] as const));
  assignByQuota(pool, (u) => u.latent * 0.8 + prevScore(u) + noise2.get(u)!, need[OVERALL]!, (u, r) => (d2.get(u)![OVERALL] = r));
  for (let k = 0; k < 5; k++) {
    const noise = new Map(pool.map((u) => [u, rng.normal() * 0.45] as const));
    assignByQuota(pool, (u) => -d2.get(u)![OVERALL]! + noise.get(u)! + u.latent * 0.15, need[k]!, (u, r) => (d2.get(u)![k] = r));
  }

  // Dates and the history either side of the calibrated pair.
  for (const loc of locs) {
    const st = status.get(loc)!;
    const units = loc.units.filter((u) => u.calibrated);
    const events: { day: number; ranks: Map<Unit, Int8Array> }[] = [];
    if (st === 'old') {
      const day1 = t1.get(loc)!;
      const at1 = new Map(units.map((u) => [u, d1.get(u)!] as const));
      // Earlier inspections: usually the same or a step worse, since services that improve are re-rated.
      const pre: number[] = [];
      let hi = day1 - 120;
      const lo = Math.max(loc.registered + 90, FIRST_RATINGS + 14);
      const wantPre = rng.chance(loc.sector === 'hosp' ? 0.85 : 0.55) ? (rng.chance(0.25) ? 2 : 1) : 0;
      for (let i = 0; i < wantPre && hi > lo; i++) {
        const d = rng.between(Math.max(lo, hi - 500), hi);
        pre.unshift(d);
        hi = d - 120;
      }
      let next = at1;
      const preEvents: typeof events = [];
      for (let i = pre.length - 1; i >= 0; i--) {
        const ranks = new Map<Unit, Int8Array>();
        for (const u of units) {
          const cur = next.get(u)![OVERALL]!;
          const u2 = rng.next();
          const prev = cur === IE ? IE : clampRank(cur + (u2 < 0.4 ? 1 : u2 < 0.9 ? 0 : -1));
          ranks.set(u, deriveKqs(prev, rng));
        }
        preEvents.unshift({ day: pre[i]!, ranks });
        next = ranks;
      }
      events.push(...preEvents, { day: day1, ranks: at1 });
      if (reinspect.has(loc)) {
        events.push({ day: rng.between(D1 + 1, D2), ranks: new Map(units.map((u) => [u, d2.get(u)!] as const)) });
      }
    } else if (st === 'new') {
      events.push({ day: rng.between(Math.max(loc.registered + 60, D1 + 1), D2), ranks: new Map(units.map((u) => [u, d2.get(u)!] as const)) });
    }
    // After 31 July 2018: some re-inspections (poorer services first) and first ratings for the newest services.
    const last = events[events.length - 1];
    if (last) {
      const worst = Math.max(...units.map((u) => last.ranks.get(u)![OVERALL]!));
      if (rng.chance(worst >= 2 ? 0.55 : 0.25)) {
        const ranks = new Map<Unit, Int8Array>();
        for (const u of units) {
          const cur = last.ranks.get(u)![OVERALL]!;
          const x = rng.next();
          const nextRank = cur === IE ? (x < 0.8 ? 1 : 2) : cur >= 2 ? clampRank(cur + (x < 0.55 ? -1 : x < 0.9 ? 0 : 1)) : clampRank(cur + (x < 0.82 ? 0 : x < 0.94 ? 1 : -1));
          ranks.set(u, deriveKqs(nextRank, rng));
        }
        events.push({ day: rng.between(D2 + 1, LAST_DAY), ranks });
      }
    } else if (rng.chance(0.7)) {
      const ranks = new Map<Unit, Int8Array>();
      for (const u of units) ranks.set(u, deriveKqs(u.latent > 1.4 ? 0 : u.latent > -0.9 ? 1 : u.latent > -2.2 ? 2 : 3, rng));
      events.push({ day: rng.between(Math.max(loc.registered + 90, D2 + 1), LAST_DAY), ranks });
    }
    loc.events = events.map((e) => e.day);
    for (const u of units) u.byEvent = events.map((e) => e.ranks.get(u)!);
  }
}

/** Another seed gives other unit counts; make sure the quotas still round to what CQC published before writing anything. */
function assertPublished(key: CalibKey, asAt: string, counts: number[], published: number[]): void {
  const n = counts.reduce((a, b) => a + b, 0);
  const got = counts.map((c) => Math.round((100 * c) / n));
  if (got.some((g, i) => g !== published[i])) {
    throw new Error(`demo calibration for ${key} as at ${asAt} gives ${got.join('/')}%, not the published ${published.join('/')}%`);
  }
}

/** Independent services: a plausible history, not calibrated to any published figure. */
function uncalibratedHistory(loc: Loc, rng: Rng): void {
  const n = rng.weighted([0.15, 0.45, 0.3, 0.1]);
  const days: number[] = [];
  let d = Math.max(loc.registered + 120, FIRST_RATINGS + 30) + rng.int(500);
  for (let i = 0; i < n && d <= LAST_DAY; i++) {
    days.push(d);
    d += 300 + rng.int(500);
  }
  loc.events = days;
  for (const u of loc.units) {
    let q = loc.quality + rng.normal() * 0.4;
    u.byEvent = days.map(() => {
      const rank = q > 1.6 ? 0 : q > -0.9 ? 1 : q > -2.1 ? 2 : 3;
      q += 0.25 + rng.normal() * 0.4;
      return deriveKqs(rank, rng);
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Writing: one prepared statement per table, every row stamped with the demo import and a fixed time.

function insertAll(tx: Tx, g: Generated): void {
  const at = DEMO_GENERATED_AT;
  const imp = g.importId;
  recordImport(tx, {
    id: imp,
    kind: 'demo',
    fileName: 'assay demo (generated)',
    fileHash: g.narrative.generatorHash,
    edition: 'Synthetic England calibrated to State of Care 2017/18',
    rows: 0,
    importedBy: DEMO_ACTOR,
    importedAt: at,
    notes:
      `Demonstration data generated by Assay from seed ${g.seed}. Every provider, location, rating, finding and piece of ` +
      'evidence is fictional. Local authority and region names are real; ratings are calibrated so that as at 31 July 2017 ' +
      'and 31 July 2018 the national shares match those CQC published in State of Care 2017/18.',
  });
  let rows = 0;
  insertLocalAuthorities(
    tx,
    PLACES.map((p) => ({ id: slugify(p.name), name: p.name, regionId: p.regionId })),
  );
  if (!REGIONS.every((r) => PLACES.some((p) => p.regionId === r.id))) throw new Error('demo places miss a region');
  rows += insertProviders(
    tx,
    g.providers.map((p) => ({ id: p.id, name: p.name, brandId: p.brandId, brandName: p.brandName, importId: imp, updatedAt: at })),
  );
  rows += insertLocations(
    tx,
    g.locs.map((l) => ({
      id: l.id,
      name: l.name,
      providerId: l.providerId,
      sectorId: l.sector,
      locationType: l.type,
      category: l.category,
      careHome: l.careHome === 1,
      localAuthorityId: l.laId,
      regionId: l.place.regionId,
      street: l.street,
      city: l.city,
      postcode: l.postcode,
      latitude: l.lat,
      longitude: l.lon,
      registeredOn: isoOf(l.registered),
      deregisteredOn: null,
      beds: l.beds,
      importId: imp,
      updatedAt: at,
    })),
  );
  const insRng = new Rng(g.seed ^ 0x5eed);
  const inspections: InspectionRecord[] = [];
  for (const l of g.locs) {
    if (!l.inspectionId) continue;
    const pub = l.events[l.events.length - 1]!;
    const start = pub - 42 - insRng.int(60);
    const end = start + (l.sector === 'hosp' ? 1 + insRng.int(3) : insRng.int(2));
    const focused = l.events.length > 1 && insRng.chance(0.25);
    inspections.push({
      id: l.inspectionId,
      locationId: l.id,
      startedOn: isoOf(start),
      endedOn: isoOf(end),
      publishedOn: isoOf(pub),
      kind: focused ? 'focused' : 'comprehensive',
      status: 'published',
      leadInspector: insRng.pick(STAFF),
      notes: focused ? 'Focused inspection following concerns raised at the previous comprehensive inspection.' : null,
      createdAt: stampOf(start),
      updatedAt: stampOf(pub),
    });
  }
  rows += insertInspections(tx, inspections);
  rows += insertRatings(tx, ratingRows(g));
  rows += g.indicators.insert(tx, imp, at);
  rows += g.narrative.insert(tx, imp, at);
  setImportRows(tx, imp, rows);
  setMeta(tx, {
    demonstration: 'true',
    name: DEMO_NAME,
    demo_seed: String(g.seed),
    workspace_id: g.workspaceId,
    demo_import_id: imp,
  });
}

/**
 * Rows in the order of the ratings' unique key (location, service group, key question, date), so rating ids run
 * location by location and a location's history sits together in the file, as a reader browsing the table expects.
 */
function* ratingRows(g: Generated): Generator<NewRating> {
  const at = DEMO_GENERATED_AT;
  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const locs = [...g.locs].sort((a, b) => byId(a.id, b.id));
  const kqOrder = KQ_IDS.map((id, k) => ({ id, k })).sort((a, b) => byId(a.id, b.id));
  for (const l of locs) {
    const lastE = l.events.length - 1;
    const days = l.events.map(isoOf);
    const units = [...l.units].sort((a, b) => byId(a.group, b.group));
    for (const u of units) {
      for (const { id, k } of kqOrder) {
        for (let e = 0; e < u.byEvent.length; e++) {
          const r = u.byEvent[e]![k]!;
          yield {
            locationId: l.id,
            serviceGroup: u.group,
            keyQuestionId: id,
            rating: r === IE ? INSUFFICIENT : LABELS[r]!,
            publishedOn: days[e]!,
            reportType: l.reportType,
            inherited: false,
            inspectionId: e === lastE ? l.inspectionId : null,
            importId: g.importId,
            updatedAt: at,
          };
        }
      }
    }
  }
}
