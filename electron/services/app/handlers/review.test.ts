import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import type { RequestOutputs } from '../../../../shared/ipc/contract';
import { seedReviewFixture, type ReviewFixture } from '../../../../shared/review/testing/fixtures';
import { openTestSession, type TestSession } from '../testing/session';

let t: TestSession | undefined;
afterEach(async () => {
  await t?.session.close();
  t = undefined;
});

async function open(): Promise<{ t: TestSession; f: ReviewFixture }> {
  t = await openTestSession();
  await t.call('settings.setUserName', { name: 'Ruth Reviewer' });
  const f = await seedReviewFixture(t.session.ws);
  return { t, f };
}

describe('review requests', () => {
  it('moves a section through review, signs off its figures as the editor sees them, and shows what changed', async () => {
    const { t, f } = await open();
    const refused = await t.dispatch('sections.setStatus', { id: f.sections.intro, status: 'approved' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringMatching(/send it for review before approving/) } });

    await t.call('sections.setStatus', { id: f.sections.intro, status: 'in review' });
    const approved = await t.call<RequestOutputs['sections.setStatus']>('sections.setStatus', { id: f.sections.intro, status: 'approved' });
    expect(approved).toMatchObject({ status: 'approved', statusBy: 'Ruth Reviewer', approvedFigures: 1 });

    // The editor's badge comes from the engine's own state: it must read review's sign-off as an approval.
    const evaluate = () =>
      t.call<RequestOutputs['figures.evaluate']>('figures.evaluate', { reportId: f.reportId, sectionId: f.sections.intro, refs: [{ figureId: f.figure, params: { asAt: '2018-07-31' } }] });
    // The session's workspace has a location of its own rated Good: four of five locations are good or outstanding.
    expect((await evaluate()).figures[0]).toMatchObject({ state: 'approved', approved: { formatted: '80%', by: 'Ruth Reviewer' } });

    const rating = f.ws.value<number>("SELECT id FROM ratings WHERE location_id = '1-003'")!;
    await t.call('ratings.update', { id: rating, rating: 'Good' });
    expect((await evaluate()).figures[0]!.state).toBe('stale');

    const checks = await t.call<RequestOutputs['review.checks']>('review.checks', { reportId: 'state-of-care' });
    expect(checks.sections.find((s) => s.id === f.sections.intro)).toMatchObject({ status: 'approved', changedSinceApproval: true, staleFigures: 1 });
    expect(checks.problems.find((p) => p.code === 'figure-stale')).toMatchObject({ approved: { formatted: '80%' }, current: { formatted: '100%' } });
    const changed = await t.call<RequestOutputs['review.whatChanged']>('review.whatChanged', { reportId: f.reportId });
    expect(changed.sections.map((s) => [s.sectionTitle, s.figures.map((x) => `${x.approved?.shown} → ${x.shown}`)])).toEqual([['Introduction', ['80% → 100%']]]);

    await t.call('sections.setStatus', { id: f.sections.intro, status: 'approved' });
    expect((await evaluate()).figures[0]!.state).toBe('approved');
    expect((await t.call<RequestOutputs['review.whatChanged']>('review.whatChanged', { reportId: f.reportId })).sections).toEqual([]);

    const ledger = await t.call<RequestOutputs['review.ledger']>('review.ledger', { reportId: f.reportId });
    // A sentence quoting a live figure rests on its data; none here rests on nothing.
    expect(ledger.counts).toMatchObject({ claims: 3, noEvidence: 0, unverified: 1 });
  });

  it('previews an approval, refuses the last editor until self-approval is allowed (audited), and records the approval', async () => {
    const { t, f } = await open();
    await t.call('sections.setStatus', { id: f.sections.intro, status: 'in review' });
    // Ruth edits the section in the editor: she is now its last editor.
    const content = f.ws.value<string>('SELECT content FROM sections WHERE id = ?', [f.sections.intro])!.replace('Quality was broadly maintained.', 'Quality was maintained.');
    await t.call('sections.saveContent', { id: f.sections.intro, content });
    let preview = await t.call<RequestOutputs['sections.approval']>('sections.approval', { id: f.sections.intro });
    expect(preview).toMatchObject({ title: 'Introduction', approver: 'Ruth Reviewer', figures: 1, citations: 1, lastEditedBy: 'Ruth Reviewer', selfApproval: 'refused', lastApproval: null });
    expect(preview.refusal).toMatch(/^Ruth Reviewer made the last change to “Introduction”/);
    const refused = await t.dispatch('sections.setStatus', { id: f.sections.intro, status: 'approved' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/so cannot also approve it: approval needs a second person/) } });

    expect(await t.call('review.settings', {})).toEqual({ selfApproval: 'refused' });
    expect(await t.call('review.setSelfApproval', { selfApproval: 'allowed' })).toEqual({ selfApproval: 'allowed', changed: true });
    expect(await t.call('review.settings', {})).toEqual({ selfApproval: 'allowed' });
    const log = await t.call<RequestOutputs['audit.list']>('audit.list', { action: 'workspace.self-approval' });
    expect(log.rows).toEqual([expect.objectContaining({ actor: 'Ruth Reviewer', before: { selfApproval: 'refused' }, after: { selfApproval: 'allowed' } })]);

    preview = await t.call<RequestOutputs['sections.approval']>('sections.approval', { id: f.sections.intro });
    expect(preview.refusal).toBeNull();
    await t.call('sections.setStatus', { id: f.sections.intro, status: 'approved' });
    const checks = await t.call<RequestOutputs['review.checks']>('review.checks', { reportId: f.reportId });
    expect(checks.sections.find((s) => s.id === f.sections.intro)).toMatchObject({ status: 'approved', changedSinceApproval: false, approvalRecorded: true });
  });

  it('threads comments, reports what cites evidence, searches the register, and browses and exports the audit log', async () => {
    const { t, f } = await open();
    const bad = await t.dispatch('comments.list', {});
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const c = await t.call<RequestOutputs['comments.add']>('comments.add', { sectionId: f.sections.safety, body: 'Which home?', quote: 'rotas were stretched', anchor: { paragraph: 2, start: 42, end: 62 } });
    expect(c.author).toBe('Ruth Reviewer');
    await t.call('comments.reply', { parentId: c.id, body: 'Home 3, see the interview notes.' });
    let threads = await t.call<RequestOutputs['comments.list']>('comments.list', { reportId: f.reportId });
    expect(threads.threads[0]).toMatchObject({ body: 'Which home?', quote: 'rotas were stretched', replies: [{ body: 'Home 3, see the interview notes.' }] });
    await t.call('comments.resolve', { id: c.id });
    threads = await t.call<RequestOutputs['comments.list']>('comments.list', { sectionId: f.sections.safety });
    expect(threads.threads).toEqual([]);

    const cited = await t.call<RequestOutputs['evidence.citedBy']>('evidence.citedBy', { id: f.evidence.interview });
    expect(cited.sentences.map((s) => s.text)).toEqual(['Staff told us rotas were stretched.']);
    const register = await t.call<RequestOutputs['evidence.register']>('evidence.register', { verified: false, kind: ['interview'] });
    expect(register.rows.map((r) => r.id)).toEqual([f.evidence.interview]);

    const log = await t.call<RequestOutputs['audit.list']>('audit.list', { action: 'comment.', actor: 'Ruth Reviewer' });
    expect(log.rows.map((r) => r.action)).toEqual(['comment.resolve', 'comment.reply', 'comment.add']);
    const exported = await t.call<RequestOutputs['audit.exportCsv']>('audit.exportCsv', { action: 'comment.' });
    expect(exported.rows).toBe(3);
    expect(readFileSync(exported.path, 'utf8')).toMatch(/^\uFEFFid,at,actor,action,table,record_id,before,after\r\n/);
    // The exported file is one this session wrote, so the app may show it in its folder.
    expect(await t.call('export.showInFolder', { path: exported.path })).toEqual({ ok: true });

    const copy = await t.call<RequestOutputs['review.copy']>('review.copy', { reportId: f.reportId });
    expect(copy.comments).toBe(4);
    expect(existsSync(copy.path)).toBe(true);
  });
});
