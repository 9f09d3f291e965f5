import { describe, expect, it } from 'vitest';
import { applyRules, parseRules, scoreProblem, versionOn, type FrameworkShape } from './scoring';
import { FRAMEWORK_VERSIONS, LA_ASSESSMENT, SAF } from './framework-seed';

/**
 * CQC's scoring rules, as the seeded framework versions hold them, against CQC's worked examples and the edge cases its
 * rules name.
 *
 * - Worked example, evidence categories to a quality statement score (infection prevention and control, GP practice):
 *   https://www.cqc.org.uk/guidance-regulation/providers/assessment/assessing-quality-and-performance/reach-rating/example-gp-practice
 *   "People's experiences 3, Feedback from staff and leaders 2, Observation 3, Processes 3 … Total 11 … the maximum
 *   score is 16 … a percentage score for the quality statement of 69% (this is 11 divided by 16)".
 * - The percentage bands and the build-up to key question and overall ratings: "How we reach a rating",
 *   https://www.cqc.org.uk/guidance-regulation/providers/assessment/assessing-quality-and-performance/reach-rating
 * - Aggregating key question ratings (principles 4 to 6):
 *   https://www.cqc.org.uk/guidance-providers/adult-social-care/how-we-aggregate-ratings-using-rating-principles-adult-social
 * - December 2024: scores at quality statement level only, https://managementinpractice.com/?p=87207
 * - Local authorities, "How we determine ratings":
 *   https://www.cqc.org.uk/guidance-regulation/local-authorities/how-we-determine-ratings
 *   "We combine the scores for all the quality statements assessed to give an overall score as a percentage. All
 *   quality statements are weighted equally … 25 to 38% = inadequate, 39 to 62% = requires improvement, 63 to 87% =
 *   good, 88% and above = outstanding"; "we no longer award scores at evidence category level".
 */

const version = (id: string) => {
  const v = FRAMEWORK_VERSIONS.find((x) => x.id === id)!;
  return { ...v, parsed: parseRules(JSON.stringify(v.rules)) };
};
const before = version('cqc-saf-2023');
const after = version('cqc-saf-2024-12');
const la = version('cqc-la-2023');

const shape = (f: typeof SAF): FrameworkShape => ({ groups: f.groups.map((g) => ({ id: g.id, name: g.name, statements: g.statements.map(([id]) => ({ id })) })) });
const saf = shape(SAF);

/** Every statement of a key question given the same score, but for the overrides. */
function scoresFor(framework: typeof SAF, byGroup: Record<string, number>, overrides: Record<string, number> = {}): Map<string, number> {
  const m = new Map<string, number>();
  for (const g of framework.groups) for (const [id] of g.statements) if (byGroup[g.id] !== undefined) m.set(id, overrides[id] ?? byGroup[g.id]!);
  return m;
}

describe('the framework as data', () => {
  it('holds CQC’s 34 quality statements under the five key questions, and nine under four local authority themes', () => {
    expect(SAF.groups.map((g) => [g.name, g.statements.length])).toEqual([
      ['Safe', 8],
      ['Effective', 6],
      ['Caring', 5],
      ['Responsive', 7],
      ['Well-led', 8],
    ]);
    expect(SAF.groups.flatMap((g) => g.statements).length).toBe(34);
    expect(LA_ASSESSMENT.groups.map((g) => g.statements.length)).toEqual([3, 2, 2, 2]);
  });

  it('picks the rules in force on a date: evidence category scores before 2 December 2024, statement scores from then', () => {
    const saf = FRAMEWORK_VERSIONS.filter((v) => v.frameworkId === 'cqc-saf');
    expect(versionOn(saf, '2024-06-01')?.id).toBe('cqc-saf-2023');
    expect(versionOn(saf, '2024-12-01')?.id).toBe('cqc-saf-2023');
    expect(versionOn(saf, '2024-12-02')?.id).toBe('cqc-saf-2024-12');
    expect(versionOn(saf, '2025-05-01')?.id).toBe('cqc-saf-2024-12');
    expect(versionOn(saf, '2023-01-01')).toBeUndefined();
  });

  it('refuses a score outside the scale the rules give', () => {
    expect(scoreProblem(after.parsed, 0)).toBe('must be a whole number from 1 to 4');
    expect(scoreProblem(after.parsed, 2.5)).toBe('must be a whole number from 1 to 4');
    expect(scoreProblem(after.parsed, 4)).toBeUndefined();
  });
});

describe('CQC’s worked example: evidence category scores to a quality statement score (before December 2024)', () => {
  it('3 + 2 + 3 + 3 = 11 of 16 = 69%, a score of 3', () => {
    const categories = new Map([['saf-infection-control', new Map([['people', 3], ['staff', 2], ['observation', 3], ['processes', 3]])]]);
    const r = applyRules(before.parsed, saf, { statements: new Map(), categories });
    expect(r.statements).toEqual([{ id: 'saf-infection-control', score: 3, percent: 69, derived: true }]);
    // Safe, with just that statement scored: 3 of 4, 75%, good.
    expect(r.groups[0]).toMatchObject({ id: 'safe', total: 3, max: 4, percent: 75, rating: 'Good' });
  });

  it('under the December 2024 rules, categories are not scored: the statement’s own score is used', () => {
    const categories = new Map([['saf-infection-control', new Map([['people', 1], ['staff', 1]])]]);
    const r = applyRules(after.parsed, saf, { statements: new Map([['saf-infection-control', 3]]), categories });
    expect(r.statements).toEqual([{ id: 'saf-infection-control', score: 3, percent: null, derived: false }]);
  });

  it('the bands’ edges: 62% is a 2 and 63% a 3; 87% a 3 and 88% a 4; 38% a 1 and 39% a 2', () => {
    const one = (cats: number[]) =>
      applyRules(before.parsed, saf, { statements: new Map(), categories: new Map([['saf-medicines', new Map(cats.map((s, i) => [`c${i}`, s]))]]) }).statements[0];
    // 5 of 8 = 62.5%, rounded half up to 63%: a 3.
    expect(one([3, 2])).toMatchObject({ percent: 63, score: 3 });
    // 10 of 16 = 62.5% as well.
    expect(one([3, 3, 2, 2])).toMatchObject({ percent: 63, score: 3 });
    // 7 of 12 = 58%: a 2.
    expect(one([3, 2, 2])).toMatchObject({ percent: 58, score: 2 });
    // 21 of 24 = 87.5%, 88%: a 4; 20 of 24 = 83%: a 3.
    expect(one([4, 4, 4, 3, 3, 3])).toMatchObject({ percent: 88, score: 4 });
    expect(one([4, 4, 3, 3, 3, 3])).toMatchObject({ percent: 83, score: 3 });
    // 6 of 16 = 37.5%, 38%: a 1; 5 of 12 = 42%: a 2.
    expect(one([2, 2, 1, 1])).toMatchObject({ percent: 38, score: 1 });
    expect(one([2, 2, 1])).toMatchObject({ percent: 42, score: 2 });
  });
});

describe('quality statement scores to key question ratings', () => {
  it('Safe with eight statements scored 3 but one 2: 23 of 32, 72%, good', () => {
    const r = applyRules(after.parsed, saf, { statements: scoresFor(SAF, { safe: 3 }, { 'saf-medicines': 2 }) });
    expect(r.groups.find((g) => g.id === 'safe')).toMatchObject({ total: 23, max: 32, percent: 72, rating: 'Good', limitedBy: [] });
  });

  it('a statement scored 1 limits its key question to requires improvement, however high the rest', () => {
    const r = applyRules(after.parsed, saf, { statements: scoresFor(SAF, { safe: 4 }, { 'saf-safeguarding': 1 }) });
    // 29 of 32 = 91%: outstanding by the bands, requires improvement by the limit.
    expect(r.groups[0]).toMatchObject({ percent: 91, bandRating: 'Outstanding', rating: 'Requires improvement' });
    expect(r.groups[0]!.limitedBy).toEqual(['A quality statement is scored 1 (significant shortfalls).']);
  });

  it('the limit never raises a rating: all 1s stay inadequate', () => {
    const r = applyRules(after.parsed, saf, { statements: scoresFor(SAF, { caring: 1 }) });
    expect(r.groups.find((g) => g.id === 'caring')).toMatchObject({ percent: 25, rating: 'Inadequate', bandRating: null });
  });

  it('a key question with nothing scored has no rating, and then there is no overall rating', () => {
    const r = applyRules(after.parsed, saf, { statements: scoresFor(SAF, { safe: 3, effective: 3, caring: 3, responsive: 3 }) });
    expect(r.groups.find((g) => g.id === 'well-led')).toMatchObject({ percent: null, rating: null });
    expect(r.overall.rating).toBeNull();
    expect(r.notes).toContain('Well-led has no rating yet, so there is no overall rating');
  });
});

describe('key question ratings to the overall rating, by the aggregation principles', () => {
  const overallOf = (byGroup: Record<string, number>) => applyRules(after.parsed, saf, { statements: scoresFor(SAF, byGroup) }).overall;

  it('all good is good', () => {
    expect(overallOf({ safe: 3, effective: 3, caring: 3, responsive: 3, 'well-led': 3 })).toMatchObject({ percent: 75, rating: 'Good' });
  });

  it('three outstanding and two good is outstanding (18 of 20, 90%)', () => {
    expect(overallOf({ safe: 3, effective: 4, caring: 4, responsive: 4, 'well-led': 3 })).toMatchObject({ percent: 90, rating: 'Outstanding' });
  });

  it('one inadequate key question holds the overall rating at requires improvement (13 of 20, 65%, would be good)', () => {
    const o = overallOf({ safe: 1, effective: 3, caring: 3, responsive: 3, 'well-led': 3 });
    expect(o).toMatchObject({ percent: 65, bandRating: 'Good', rating: 'Requires improvement' });
    expect(o.limitedBy).toEqual(['A key question is rated inadequate.']);
  });

  it('two inadequate key questions make it inadequate, whatever the rest', () => {
    const o = overallOf({ safe: 1, effective: 4, caring: 4, responsive: 4, 'well-led': 1 });
    expect(o).toMatchObject({ percent: 70, bandRating: 'Good', rating: 'Inadequate' });
  });

  it('two requires improvement make it requires improvement; one alone does not', () => {
    expect(overallOf({ safe: 2, effective: 3, caring: 4, responsive: 4, 'well-led': 2 })).toMatchObject({ percent: 75, rating: 'Requires improvement' });
    expect(overallOf({ safe: 2, effective: 3, caring: 3, responsive: 3, 'well-led': 3 })).toMatchObject({ percent: 70, rating: 'Good', limitedBy: [] });
  });
});

describe('local authority assessments: nine statement scores to an overall rating, themes scored not rated', () => {
  const laShape = shape(LA_ASSESSMENT);
  it('scores each theme and rates the whole from all nine scores', () => {
    const scores = new Map([
      ['la-assessing-needs', 2],
      ['la-healthier-lives', 3],
      ['la-equity', 2],
      ['la-continuity', 2],
      ['la-partnerships', 3],
      ['la-safe-systems', 2],
      ['la-safeguarding', 3],
      ['la-governance', 2],
      ['la-learning', 3],
    ]);
    const r = applyRules(la.parsed, laShape, { statements: scores });
    expect(r.groups.map((g) => [g.id, g.total, g.max, g.percent, g.rating])).toEqual([
      ['working-with-people', 7, 12, 58, null],
      ['providing-support', 5, 8, 63, null],
      ['ensuring-safety', 5, 8, 63, null],
      ['leadership', 5, 8, 63, null],
    ]);
    // 22 of 36 = 61%: requires improvement; one more 3 (23 of 36, 64%) is good.
    expect(r.overall).toMatchObject({ percent: 61, rating: 'Requires improvement' });
    scores.set('la-equity', 3);
    expect(applyRules(la.parsed, laShape, { statements: scores }).overall).toMatchObject({ percent: 64, rating: 'Good' });
  });

  it('follows the bands of CQC’s local authority page at each edge, all nine statements weighted equally', () => {
    const ids = LA_ASSESSMENT.groups.flatMap((g) => g.statements.map(([id]) => id));
    // Nine scores adding up to `total` (as evenly as the scale allows): the overall percentage is total of 36.
    const overall = (total: number) => {
      const scores = new Map(ids.map((id, i) => [id, Math.floor(total / 9) + (i < total % 9 ? 1 : 0)]));
      return applyRules(la.parsed, laShape, { statements: scores }).overall;
    };
    expect(overall(9)).toMatchObject({ percent: 25, rating: 'Inadequate' });
    expect(overall(13)).toMatchObject({ percent: 36, rating: 'Inadequate' });
    expect(overall(14)).toMatchObject({ percent: 39, rating: 'Requires improvement' });
    expect(overall(22)).toMatchObject({ percent: 61, rating: 'Requires improvement' });
    expect(overall(23)).toMatchObject({ percent: 64, rating: 'Good' });
    expect(overall(31)).toMatchObject({ percent: 86, rating: 'Good' });
    expect(overall(32)).toMatchObject({ percent: 89, rating: 'Outstanding' });
    expect(overall(36)).toMatchObject({ percent: 100, rating: 'Outstanding' });
    // The same total however it is spread: no statement or theme counts for more than another.
    const lopsided = new Map(ids.map((id, i) => [id, i < 5 ? 4 : 1]));
    expect(applyRules(la.parsed, laShape, { statements: lopsided }).overall).toMatchObject({ percent: 67, rating: 'Good' });
    expect(overall(24)).toMatchObject({ percent: 67, rating: 'Good' });
  });
});

describe('rules are data', () => {
  it('another regulator’s rules, with other bands and labels, need no code', () => {
    const rules = parseRules({
      scores: { '1': 'Unsatisfactory', '2': 'Weak', '3': 'Adequate', '4': 'Good', '5': 'Very good', '6': 'Excellent' },
      round: 'none',
      statement: { basis: 'direct' },
      group: { bands: [{ min: 80, rating: 'Excellent' }, { min: 50, rating: 'Adequate' }, { min: 0, rating: 'Weak' }] },
      overall: { from: 'statement scores', bands: [{ min: 75, rating: 'Excellent' }, { min: 0, rating: 'Adequate' }] },
    });
    const r = applyRules(rules, { groups: [{ id: 'g', name: 'Care and support', statements: [{ id: 'a' }, { id: 'b' }] }] }, { statements: new Map([['a', 6], ['b', 4]]) });
    expect(r.groups[0]).toMatchObject({ total: 10, max: 12, rating: 'Excellent' });
    expect(r.overall.percent).toBeCloseTo(83.33, 2);
    expect(r.overall.rating).toBe('Excellent');
  });
});
