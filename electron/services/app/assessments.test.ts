import { afterEach, describe, expect, it } from 'vitest';
import { openTestSession, type TestSession } from './testing/session';
import type { RequestOutputs } from '../../../shared/ipc/contract';
import { SAF } from '../../../shared/store/framework-seed';

let t: TestSession | undefined;
afterEach(async () => {
  await t?.session.close();
  t = undefined;
});

/** Every quality statement of the single assessment framework scored the same, but for the overrides. */
function allScores(score: number, overrides: Record<string, number> = {}) {
  return SAF.groups.flatMap((g) => g.statements.map(([id]) => ({ statementId: id, score: overrides[id] ?? score })));
}

/** Safe rated good at Anchor Court (1-201) or not, as at a date: the live figure the tests watch. */
const goodSafe = { kind: 'value', spec: { measure: 'rating_count', ratings: ['Good'], keyQuestion: 'safe', asAt: '2025-06-30', registered: 'all' } };

describe('inspections and assessments: draft, moderated, published, corrected', () => {
  it('draft ratings are never counted by a live figure; publishing counts them; a correction needs a reason and is marked', async () => {
    t = await openTestSession();
    const before = await t.call<RequestOutputs['figures.preview']>('figures.preview', goodSafe);
    expect(before.value).toBe(0);

    const created = await t.call<RequestOutputs['assessments.create']>('assessments.create', {
      subjectType: 'location',
      subjectId: '1-201',
      kind: 'Comprehensive assessment',
      siteVisits: ['2025-03-04', '2025-03-03'],
      team: [{ name: 'Sam Okoro', role: 'Lead inspector' }],
    });
    // The version in force on the first site visit: statement scores, after December 2024.
    expect(created).toMatchObject({ status: 'planned', frameworkVersionId: 'cqc-saf-2024-12', siteVisits: ['2025-03-03', '2025-03-04'], subjectName: 'Anchor Court' });

    const scored = await t.call<RequestOutputs['scores.set']>('scores.set', { assessmentId: created.id, scores: allScores(3, { 'saf-safeguarding': 4 }) });
    expect(scored.result.groups.find((g) => g.id === 'safe')).toMatchObject({ total: 25, max: 32, percent: 78, rating: 'Good' });
    expect(scored.draftRatings.find((r) => r.keyQuestionId === 'overall')).toMatchObject({ computed: 'Good', rating: 'Good', reason: null });

    // Still draft: the figure does not count it.
    expect((await t.call<RequestOutputs['figures.preview']>('figures.preview', goodSafe)).value).toBe(0);

    // A rating that departs from the rules needs its reason, named by field.
    const noReason = await t.dispatch('draftRatings.set', { assessmentId: created.id, ratings: [{ keyQuestionId: 'caring', rating: 'Outstanding' }] });
    expect(noReason).toMatchObject({ ok: false, error: { code: 'invalid', fields: { 'ratings.0.reason': expect.stringContaining('differs from Good') } } });
    // A score off the scale is refused by field too.
    const badScore = await t.dispatch('scores.set', { assessmentId: created.id, scores: [{ statementId: 'saf-kindness', score: 5 }] });
    expect(badScore).toMatchObject({ ok: false, error: { fields: { 'scores.0.score': 'must be a whole number from 1 to 4' } } });

    // Publishing needs moderation first, and confirmation.
    const early = await t.dispatch('assessments.publish', { id: created.id, publishedOn: '2025-05-01', confirm: true });
    expect(early).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringContaining('must be in moderation before it is published') } });
    const skip = await t.dispatch('assessments.setStatus', { id: created.id, status: 'draft report' });
    expect(skip).toMatchObject({ ok: false, error: { fields: { status: expect.stringContaining('one step at a time') } } });
    for (const status of ['in progress', 'draft report', 'in moderation']) await t.call('assessments.setStatus', { id: created.id, status });
    const unconfirmed = await t.dispatch('assessments.publish', { id: created.id, publishedOn: '2025-05-01' });
    expect(unconfirmed).toMatchObject({ ok: false, error: { code: 'bad-request', fields: { confirm: expect.any(String) } } });
    expect((await t.call<RequestOutputs['figures.preview']>('figures.preview', goodSafe)).value).toBe(0);

    const published = await t.call<RequestOutputs['assessments.publish']>('assessments.publish', { id: created.id, publishedOn: '2025-05-01', confirm: true });
    expect(published.assessment).toMatchObject({ status: 'published', publishedOn: '2025-05-01' });
    expect(published.publishedRatings.map((r) => [r.keyQuestionId, r.rating])).toEqual([
      ['safe', 'Good'],
      ['effective', 'Good'],
      ['caring', 'Good'],
      ['responsive', 'Good'],
      ['well-led', 'Good'],
      ['overall', 'Good'],
    ]);
    expect((await t.call<RequestOutputs['figures.preview']>('figures.preview', goodSafe)).value).toBe(1);
    // Published means fixed: scores no longer change.
    const late = await t.dispatch('scores.set', { assessmentId: created.id, scores: [{ statementId: 'saf-kindness', score: 1 }] });
    expect(late).toMatchObject({ ok: false, error: { code: 'conflict' } });

    // A correction without a reason is refused by field; with one it is written, marked and audited.
    const safe = published.publishedRatings.find((r) => r.keyQuestionId === 'safe')!;
    const bare = await t.dispatch('ratings.correct', { id: safe.id, rating: 'Requires improvement', reason: '  ' });
    expect(bare).toMatchObject({ ok: false, error: { code: 'bad-request', fields: { reason: expect.any(String) } } });
    const corrected = await t.call<RequestOutputs['ratings.correct']>('ratings.correct', { id: safe.id, rating: 'Requires improvement', reason: 'Moderation error: medicines audit missed.' });
    expect(corrected).toMatchObject({ rating: 'Requires improvement', correctionReason: 'Moderation error: medicines audit missed.' });
    const after = await t.call<RequestOutputs['assessments.get']>('assessments.get', { id: created.id });
    expect(after.publishedRatings.find((r) => r.keyQuestionId === 'safe')).toMatchObject({ rating: 'Requires improvement', correctedAt: expect.any(String) });
    expect((await t.call<RequestOutputs['figures.preview']>('figures.preview', goodSafe)).value).toBe(0);
    const info = await t.call<RequestOutputs['workspace.info']>('workspace.info');
    expect(info.recentChanges[0]).toMatchObject({ action: 'rating.correct', tableName: 'ratings' });
  });

  it('refuses an unknown subject by field, links findings and evidence to an assessment, and lists by status', async () => {
    t = await openTestSession();
    const bad = await t.dispatch('assessments.create', { subjectType: 'location', subjectId: 'nope', kind: 'Focused assessment' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid', fields: { subjectId: expect.stringContaining('not a location') } } });
    const la = await t.call<RequestOutputs['assessments.create']>('assessments.create', { subjectType: 'local authority', subjectId: 'E06000001', kind: 'Local authority assessment', siteVisits: ['2024-06-10'] });
    expect(la).toMatchObject({ frameworkVersionId: 'cqc-la-2023', subjectName: 'Hartlepool' });
    const ev = await t.call<RequestOutputs['evidence.save']>('evidence.save', { kind: 'interview', title: 'Director of adult social services', sensitivity: 'official', assessmentId: la.id, evidenceCategoryId: 'staff' });
    const f = await t.call<RequestOutputs['findings.save']>('findings.save', {
      subjectType: 'national',
      judgement: 'concern',
      text: 'Waiting lists for Care Act assessments were long.',
      assessmentId: la.id,
      qualityStatementId: 'la-assessing-needs',
      evidenceIds: [ev.id],
    });
    const badLink = await t.dispatch('findings.save', { subjectType: 'national', judgement: 'concern', text: 'x', qualityStatementId: 'nope' });
    expect(badLink).toMatchObject({ ok: false, error: { fields: { qualityStatementId: expect.any(String) } } });
    const detail = await t.call<RequestOutputs['assessments.get']>('assessments.get', { id: la.id });
    expect(detail).toMatchObject({ findingIds: [f.id], evidenceIds: [ev.id], framework: { version: { statementBasis: 'direct' } } });
    const planned = await t.call<RequestOutputs['assessments.list']>('assessments.list', { status: 'planned' });
    expect(planned.rows.map((r) => r.id)).toEqual([la.id]);
    const fw = await t.call<RequestOutputs['framework.get']>('framework.get');
    expect(fw.frameworks.map((x) => x.name)).toEqual(['Local authority assessment', 'Single assessment framework']);
    expect(fw.evidenceCategories).toHaveLength(6);
  });
});
