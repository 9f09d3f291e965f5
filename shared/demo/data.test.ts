import { beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { loadSqlJs } from '../../electron/services/sqljs';
import { Workspace } from '../store/workspace';
import { ENGLAND_AREA_CODE, REGIONS, THEMES, seedReference, slugify } from '../store/reference';
import { generateDemoData, type DemoSummary } from './data';
import { REVIEW_AREAS } from './data-narrative';

/**
 * The demonstration workspace, generated once with the default seed and checked with SQL written here, independently
 * of the generator's own calibration check.
 */

let ws: Workspace;
let summary: DemoSummary;

beforeAll(async () => {
  const SQL = await loadSqlJs();
  ws = Workspace.create(SQL, { now: '2018-10-01T09:00:00.000Z' });
  await ws.write('workspace.create', (tx) => seedReference(tx), { unjournaled: true, actor: 'test' });
  summary = await generateDemoData(ws);
  // Generous: the whole demo takes seconds on an idle machine, but CI runners and shared machines are not idle.
}, 600_000);

const n = (sql: string, params: (string | number)[] = []) => Number(ws.value(sql, params) ?? 0);

const SECTORS = {
  'adult social care': "l.sector_id = 'asc' AND x.service_group = 'Overall'",
  'NHS acute core services': "l.category = 'Acute hospital - NHS non-specialist' AND x.service_group <> 'Overall'",
  'NHS mental health core services': "l.category = 'Mental health - community & residential - NHS' AND x.service_group <> 'Overall'",
  'GP practices': "l.category = 'GP Practices' AND x.service_group = 'Overall'",
} as const;
type SectorName = keyof typeof SECTORS;

const asAtCache = new Map<string, { sector: string; kq: string; rating: string; c: number }[]>();

/**
 * Counts of on-scale ratings as at a date: the latest rating per location, service group and key question published
 * on or before it. One pass per date over every rating, cached, because the tests ask many questions of each date.
 */
function asAtCounts(asAt: string) {
  let rows = asAtCache.get(asAt);
  if (!rows) {
    const sectorCase = `CASE ${Object.entries(SECTORS).map(([name, where]) => `WHEN ${where} THEN '${name}'`).join(' ')} ELSE 'other' END`;
    rows = ws.all<{ sector: string; kq: string; rating: string; c: number }>(
      `SELECT ${sectorCase} AS sector, x.key_question_id AS kq, x.rating, count(*) AS c
       FROM (SELECT location_id, service_group, key_question_id, rating,
                    row_number() OVER (PARTITION BY location_id, service_group, key_question_id ORDER BY published_on DESC) AS rn
             FROM ratings WHERE published_on <= ?) x
       JOIN locations l ON l.id = x.location_id
       WHERE x.rn = 1 AND x.rating IN ('Outstanding', 'Good', 'Requires improvement', 'Inadequate')
       GROUP BY 1, 2, 3`,
      [asAt],
    );
    asAtCache.set(asAt, rows);
  }
  return rows;
}

/** Percent of on-scale ratings in each category for one sector and key question, as at a date. */
function shares(asAt: string, kq: string, sector: SectorName): { O: number; G: number; RI: number; I: number; n: number } {
  const rows = asAtCounts(asAt).filter((r) => r.sector === sector && r.kq === kq);
  const total = rows.reduce((a, r) => a + Number(r.c), 0);
  const pct = (label: string) => (100 * Number(rows.find((r) => r.rating === label)?.c ?? 0)) / total;
  return { O: pct('Outstanding'), G: pct('Good'), RI: pct('Requires improvement'), I: pct('Inadequate'), n: total };
}

// State of Care 2017/18, overall ratings: [outstanding, good, requires improvement, inadequate], whole percent.
const PUBLISHED: Record<SectorName, Record<string, number[]>> = {
  'adult social care': { '2017-07-31': [2, 78, 19, 1], '2018-07-31': [3, 79, 17, 1] },
  'NHS acute core services': { '2017-07-31': [6, 55, 37, 3], '2018-07-31': [6, 60, 31, 3] },
  'NHS mental health core services': { '2017-07-31': [6, 68, 24, 1], '2018-07-31': [8, 70, 21, 1] },
  'GP practices': { '2017-07-31': [4, 89, 6, 2], '2018-07-31': [5, 91, 4, 1] },
};

describe('calibration to State of Care 2017/18', () => {
  for (const sector of Object.keys(SECTORS) as SectorName[]) {
    for (const asAt of ['2017-07-31', '2018-07-31']) {
      it(`${sector}, overall, as at ${asAt}, rounds to the published shares`, () => {
        const s = shares(asAt, 'overall', sector);
        expect(s.n).toBeGreaterThan(300);
        expect([s.O, s.G, s.RI, s.I].map(Math.round)).toEqual(PUBLISHED[sector][asAt]);
      });
      it(`${sector}: Safe is the weakest key question as at ${asAt}`, () => {
        const good = (kq: string) => {
          const s = shares(asAt, kq, sector);
          return s.O + s.G;
        };
        const safe = good('safe');
        for (const kq of ['effective', 'caring', 'responsive', 'well-led']) expect(safe).toBeLessThan(good(kq));
      });
    }
  }

  it('40% of NHS acute and 37% of mental health core services were rated requires improvement for safe at 31 July 2018', () => {
    expect(Math.round(shares('2018-07-31', 'safe', 'NHS acute core services').RI)).toBe(40);
    expect(Math.round(shares('2018-07-31', 'safe', 'NHS mental health core services').RI)).toBe(37);
  });

  it('adult social care rated good or outstanding for safe rose from about 76.5% to 79.5%', () => {
    const a = shares('2017-07-31', 'safe', 'adult social care');
    const b = shares('2018-07-31', 'safe', 'adult social care');
    expect(a.O + a.G).toBeCloseTo(76.5, 0);
    expect(b.O + b.G).toBeCloseTo(79.5, 0);
  });

  it('the summary reports the same shares as the independent SQL', () => {
    const asc2018 = summary.calibration.find((c) => c.sector === 'Adult social care' && c.asAt === '2018-07-31' && c.keyQuestion === 'overall')!;
    const s = shares('2018-07-31', 'overall', 'adult social care');
    expect(asc2018.n).toBe(s.n);
    expect(asc2018.good).toBeCloseTo(s.G, 1);
  });

  it('shows an integration lottery: adult social care quality differs between regions and areas', () => {
    const byRegion = ws.all<{ region_id: string; go: number }>(
      `SELECT l.region_id, 100.0 * sum(x.rating IN ('Outstanding', 'Good')) / count(*) AS go
       FROM (SELECT location_id, rating, row_number() OVER (PARTITION BY location_id ORDER BY published_on DESC) AS rn
             FROM ratings WHERE key_question_id = 'overall' AND service_group = 'Overall' AND published_on <= '2018-07-31') x
       JOIN locations l ON l.id = x.location_id
       WHERE x.rn = 1 AND l.sector_id = 'asc' AND x.rating IN ('Outstanding', 'Good', 'Requires improvement', 'Inadequate')
       GROUP BY l.region_id`,
    );
    const go = byRegion.map((r) => Number(r.go));
    expect(byRegion).toHaveLength(9);
    expect(Math.max(...go) - Math.min(...go)).toBeGreaterThan(6);
  });

  it('key questions go with the overall rating', () => {
    // Where overall is Good or Outstanding, Safe is mostly Good or Outstanding too, and the reverse for Inadequate.
    const agree = (overall: string, safeIn: string) =>
      n(
        `SELECT 1.0 * sum(s.rating IN (${safeIn})) / count(*) FROM ratings o
         JOIN ratings s ON s.location_id = o.location_id AND s.service_group = o.service_group
          AND s.published_on = o.published_on AND s.key_question_id = 'safe'
         WHERE o.key_question_id = 'overall' AND o.rating = ?`,
        [overall],
      );
    expect(agree('Outstanding', "'Outstanding', 'Good'")).toBeGreaterThan(0.95);
    expect(agree('Good', "'Outstanding', 'Good'")).toBeGreaterThan(0.75);
    expect(agree('Inadequate', "'Inadequate', 'Requires improvement'")).toBeGreaterThan(0.95);
  });
});

describe('contents', () => {
  it('has England: 9 regions, all 151 local authorities, with ids slugified from CQC’s names', () => {
    expect(n('SELECT count(*) FROM regions')).toBe(9);
    expect(n('SELECT count(DISTINCT region_id) FROM local_authorities')).toBe(REGIONS.length);
    const las = ws.all<{ id: string; name: string }>('SELECT id, name FROM local_authorities');
    expect(las).toHaveLength(151);
    for (const la of las) expect(la.id).toBe(slugify(la.name));
    for (const name of ['Bristol, City of', 'Herefordshire, County of', 'St. Helens', 'Bournemouth, Christchurch and Poole', 'Isles of Scilly']) {
      expect(las.some((l) => l.name === name)).toBe(true);
    }
  });

  it('has about 25,000 adult social care locations, 60% care homes with beds, across every area', () => {
    const asc = n("SELECT count(*) FROM locations WHERE sector_id = 'asc'");
    expect(asc).toBeGreaterThan(24_000);
    expect(asc).toBeLessThan(26_000);
    const homes = n("SELECT count(*) FROM locations WHERE sector_id = 'asc' AND care_home = 1 AND category = 'Residential social care' AND beds > 0");
    expect(homes / asc).toBeGreaterThan(0.57);
    expect(homes / asc).toBeLessThan(0.63);
    expect(n("SELECT count(*) FROM locations WHERE sector_id = 'asc' AND category = 'Community based adult social care services' AND care_home = 0")).toBe(asc - homes);
    expect(n("SELECT count(DISTINCT local_authority_id) FROM locations WHERE sector_id = 'asc'")).toBe(151);
    // Bigger places get more services.
    expect(n("SELECT count(*) FROM locations WHERE local_authority_id = 'kent'")).toBeGreaterThan(5 * n("SELECT count(*) FROM locations WHERE local_authority_id = 'rutland'"));
  });

  it('has GP practices, NHS acute and mental health trusts with core services, and independent hospitals', () => {
    const gp = n("SELECT count(*) FROM locations WHERE sector_id = 'pms' AND location_type = 'Primary Medical Services' AND category = 'GP Practices'");
    expect(gp).toBeGreaterThan(6_500);
    expect(gp).toBeLessThan(7_500);
    const acuteTrusts = n("SELECT count(DISTINCT provider_id) FROM locations WHERE category = 'Acute hospital - NHS non-specialist' AND location_type = 'NHS Healthcare Organisation' AND sector_id = 'hosp'");
    expect(acuteTrusts).toBeGreaterThan(140);
    expect(acuteTrusts).toBeLessThan(160);
    const coreServices = ws.all<{ service_group: string }>(
      "SELECT DISTINCT r.service_group FROM ratings r JOIN locations l ON l.id = r.location_id WHERE l.category = 'Acute hospital - NHS non-specialist'",
    ).map((r) => r.service_group);
    for (const cs of ['Urgent and emergency services', "Medical care (including older people's care)", 'Surgery', 'Critical care', 'Maternity', 'Services for children & young people', 'End of life care', 'Outpatients and diagnostic imaging']) {
      expect(coreServices).toContain(cs);
    }
    expect(n("SELECT count(*) FROM locations WHERE category = 'Mental health - community & residential - NHS'")).toBeGreaterThan(40);
    expect(n("SELECT count(*) FROM locations WHERE location_type = 'Independent Healthcare Org'")).toBeGreaterThan(100);
  });

  it('gives every location a provider, a postcode and coordinates near its area', () => {
    expect(n('SELECT count(*) FROM locations WHERE provider_id IS NULL OR postcode IS NULL OR latitude IS NULL OR registered_on IS NULL')).toBe(0);
    expect(n("SELECT count(*) FROM locations WHERE postcode NOT GLOB '[A-Z]*[0-9]* [0-9][A-Z][A-Z]'")).toBe(0);
    expect(n('SELECT count(*) FROM locations WHERE latitude NOT BETWEEN 49.8 AND 55.85 OR longitude NOT BETWEEN -6.5 AND 1.8')).toBe(0);
    const birmingham = ws.get<{ lat: number; lon: number }>("SELECT avg(latitude) AS lat, avg(longitude) AS lon FROM locations WHERE local_authority_id = 'birmingham'")!;
    expect(birmingham.lat).toBeCloseTo(52.48, 1);
    expect(birmingham.lon).toBeCloseTo(-1.89, 1);
  });

  it('has rating history: every key question, several publications, first ratings after July 2017, re-ratings after July 2018', () => {
    const ratings = n('SELECT count(*) FROM ratings');
    expect(ratings).toBeGreaterThan(300_000);
    expect(ratings).toBeLessThan(600_000);
    expect(ws.all('SELECT DISTINCT key_question_id FROM ratings')).toHaveLength(6);
    expect(n("SELECT count(*) FROM ratings WHERE published_on < '2014-10-01' OR published_on > '2019-12-31'")).toBe(0);
    const multi = n("SELECT count(*) FROM (SELECT location_id FROM ratings WHERE key_question_id = 'overall' GROUP BY location_id HAVING count(DISTINCT published_on) >= 3)");
    expect(multi).toBeGreaterThan(2_000);
    expect(n("SELECT count(*) FROM (SELECT location_id FROM ratings GROUP BY location_id HAVING min(published_on) > '2017-07-31')")).toBeGreaterThan(500);
    expect(n("SELECT count(DISTINCT location_id) FROM ratings WHERE published_on > '2018-07-31'")).toBeGreaterThan(3_000);
    expect(n("SELECT count(*) FROM ratings WHERE rating = 'Insufficient evidence to rate'")).toBeGreaterThan(0);
    // Every rating is a label of the CQC scale.
    expect(n("SELECT count(*) FROM ratings r LEFT JOIN rating_values v ON v.scale_id = 'cqc' AND v.label = r.rating WHERE v.label IS NULL")).toBe(0);
  });

  it('has inspections for a few thousand locations, linked to their latest ratings', () => {
    const inspections = n("SELECT count(*) FROM inspections WHERE status = 'published'");
    expect(inspections).toBeGreaterThan(2_000);
    const mismatched = n(
      `SELECT count(*) FROM inspections i WHERE i.published_on <> (SELECT max(published_on) FROM ratings r WHERE r.location_id = i.location_id)
         OR i.id NOT IN (SELECT inspection_id FROM ratings WHERE inspection_id IS NOT NULL)`,
    );
    expect(mismatched).toBe(0);
    expect(n('SELECT count(*) FROM inspections WHERE started_on > ended_on OR ended_on > published_on')).toBe(0);
  });

  it('has the 20 local system reviews, each with themes and 10 to 15 findings linked to evidence', () => {
    const reviews = ws.all<{ id: string; name: string; started_on: string; published_on: string }>(
      'SELECT a.id, la.name, a.started_on, a.published_on FROM area_reviews a JOIN local_authorities la ON la.id = a.local_authority_id',
    );
    expect(reviews.map((r) => r.name).sort()).toEqual([...REVIEW_AREAS].sort());
    expect(REVIEW_AREAS).toHaveLength(20);
    const themeIds = new Set(THEMES.map((t) => t.id));
    for (const r of reviews) {
      expect(r.started_on >= '2017-01-01' && r.published_on <= '2018-12-31').toBe(true);
      const findings = n("SELECT count(*) FROM findings WHERE subject_type = 'area review' AND subject_id = ?", [r.id]);
      expect(findings).toBeGreaterThanOrEqual(10);
      expect(findings).toBeLessThanOrEqual(15);
      const themes = ws.all<{ theme_id: string; summary: string }>('SELECT theme_id, summary FROM area_review_themes WHERE area_review_id = ?', [r.id]);
      expect(themes.length).toBeGreaterThanOrEqual(5);
      for (const t of themes) {
        expect(themeIds.has(t.theme_id)).toBe(true);
        expect(t.summary.length).toBeGreaterThan(40);
      }
      const linked = n(
        "SELECT count(DISTINCT f.id) FROM findings f JOIN finding_evidence fe ON fe.finding_id = f.id WHERE f.subject_type = 'area review' AND f.subject_id = ?",
        [r.id],
      );
      expect(linked).toBeGreaterThanOrEqual(findings - 3);
    }
    expect(n("SELECT count(DISTINCT judgement) FROM findings WHERE subject_type = 'area review'")).toBe(3);
    expect(n("SELECT count(*) FROM findings WHERE text LIKE '%older woman%' AND text LIKE '%over a month%' AND text LIKE '%residential care%'")).toBe(1);
    expect(n("SELECT count(*) FROM findings WHERE subject_type = 'national'")).toBeGreaterThan(5);
    expect(n("SELECT count(*) FROM findings WHERE subject_type = 'location' AND inspection_id IS NOT NULL")).toBeGreaterThan(20);
  });

  it('has a few hundred evidence sources of every kind and sensitivity, some verified, some with attachments', () => {
    const total = n('SELECT count(*) FROM evidence');
    expect(total).toBeGreaterThanOrEqual(300);
    expect(total).toBeLessThanOrEqual(500);
    expect(ws.all('SELECT DISTINCT kind FROM evidence').map((r) => r.kind).sort()).toEqual(
      ['case file', 'dataset', 'document', 'interview', 'meeting notes', 'observation', 'survey'],
    );
    expect(ws.all('SELECT DISTINCT sensitivity FROM evidence').map((r) => r.sensitivity).sort()).toEqual(['official', 'official-sensitive', 'personal', 'public']);
    expect(n('SELECT count(*) FROM evidence WHERE verified_by IS NOT NULL AND verified_at IS NOT NULL')).toBeGreaterThan(50);
    expect(n('SELECT count(*) FROM evidence WHERE reference IS NULL OR collected_by IS NULL OR collected_on IS NULL')).toBe(0);
    // Restricted evidence reads as restricted, so that a leak would be recognisable.
    expect(n("SELECT count(*) FROM evidence WHERE sensitivity = 'personal' AND title NOT LIKE '%Mrs %' AND title NOT LIKE '%Mr %' AND title NOT LIKE '%names%'")).toBe(0);
    const atts = ws.all<{ hash: string; size: number; data: Uint8Array }>('SELECT hash, size, data FROM attachments');
    expect(atts.length).toBeGreaterThanOrEqual(3);
    for (const a of atts) {
      expect(a.hash).toBe(bytesToHex(sha256(a.data)));
      expect(a.size).toBe(a.data.length);
    }
    expect(n('SELECT count(*) FROM evidence WHERE attachment_hash IS NOT NULL AND attachment_name IS NULL')).toBe(0);
    expect(n('SELECT count(DISTINCT evidence_id) FROM finding_evidence')).toBeGreaterThan(200);
  });

  it('has area indicators for every local authority in both periods, with wide variation, and national facts', () => {
    const ids = ['dtoc-per-100k-65', 'emergency-admissions-65', 'reablement-at-home-91-days', 'care-home-admissions-65'];
    for (const id of ids) {
      for (const period of ['2016/17', '2017/18']) {
        expect(n('SELECT count(*) FROM indicator_values v JOIN local_authorities la ON la.id = v.area_code WHERE indicator_id = ? AND period = ?', [id, period])).toBe(151);
      }
    }
    const spread = (id: string) => n("SELECT max(value) / min(value) FROM indicator_values WHERE indicator_id = ? AND period = '2017/18'", [id]);
    expect(spread('dtoc-per-100k-65')).toBeGreaterThan(3);
    expect(spread('care-home-admissions-65')).toBeGreaterThan(2.5);
    expect(ws.value("SELECT polarity FROM indicators WHERE id = 'reablement-at-home-91-days'")).toBe('higher is better');
    expect(ws.value("SELECT polarity FROM indicators WHERE id = 'dtoc-per-100k-65'")).toBe('lower is better');
    const national = (id: string) =>
      ws.get<{ value: number; source: string }>(
        "SELECT v.value, i.source FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id WHERE v.indicator_id = ? AND v.area_code = ? AND v.period = '2017/18'",
        [id, ENGLAND_AREA_CODE],
      )!;
    expect(national('councils-home-care-handed-back').value).toBe(43);
    expect(national('councils-home-care-handed-back').source).toMatch(/Association of Directors of Adult Social Services/);
    expect(national('people-affected-home-care-handed-back').value).toBeGreaterThanOrEqual(3_000);
    expect(national('older-people-unmet-care-needs').value).toBe(1_200_000);
    expect(national('older-people-unmet-care-needs').source).toMatch(/Age UK/);
    expect(national('adult-social-care-vacancies').value).toBeGreaterThanOrEqual(90_000);
    expect(national('adult-social-care-vacancies').source).toMatch(/Skills for Care/);
  });

  it('is labelled as demonstration data, with one demo import that generated rows point to', () => {
    expect(ws.metaValue('demonstration')).toBe('true');
    expect(ws.metaValue('name')).toBe('Demonstration workspace: synthetic England (not real data)');
    expect(ws.metaValue('demo_seed')).toBe(String(summary.seed));
    expect(ws.metaValue('workspace_id')).toBe(summary.workspaceId);
    const imp = ws.get<{ id: string; kind: string; rows: number }>("SELECT id, kind, rows FROM imports WHERE kind = 'demo'")!;
    expect(n('SELECT count(*) FROM imports')).toBe(1);
    expect(imp.rows).toBeGreaterThan(300_000);
    for (const t of ['providers', 'locations', 'ratings', 'indicator_values', 'evidence']) {
      expect(n(`SELECT count(*) FROM ${t} WHERE import_id IS NOT ?`, [imp.id])).toBe(0);
    }
  });

  it('passes SQLite’s quick check and foreign key check', () => {
    expect(ws.value('PRAGMA quick_check')).toBe('ok');
    expect(ws.all('PRAGMA foreign_key_check')).toEqual([]);
  });
});
