import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../electron/services/sqljs';
import { lxMark, lxRoot } from '../document/lexical';
import { getSection, saveSectionContent } from '../store/reports';
import { activityFor, addComment, commentPeople, listComments, replyToComment, resolveComment } from './comments';
import { filterThreads, mentionAtCaret, mentionedIn, mentionRuns, mentions } from './mentions';
import { lxParagraph, lxText, reviewFixture, setContent } from './testing/fixtures';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

describe('comments in the margin', () => {
  it('adds, replies, resolves and reopens a thread on a marked passage; the thread knows its passage', async () => {
    const f = await reviewFixture(SQL);
    const c = await addComment(f.ws, { sectionId: f.sections.intro, body: 'Which year? @Ed Editor', quote: 'rotas were stretched', anchor: { mark: true }, author: 'Ruth Reviewer' });
    await setContent(f.ws, f.sections.intro, [lxParagraph([lxText('Staff told us '), lxMark([c.id], [lxText('rotas were stretched')]), lxText('.')])]);
    await replyToComment(f.ws, { parentId: c.id, body: 'The 2018 survey.', author: 'Ed Editor' });
    let [t] = listComments(f.ws, { reportId: f.reportId });
    expect(t).toMatchObject({ id: c.id, place: 'marked', passage: 'rotas were stretched', anchor: { mark: true }, author: 'Ruth Reviewer' });
    expect(t!.replies.map((r) => [r.author, r.body])).toEqual([['Ed Editor', 'The 2018 survey.']]);
    await resolveComment(f.ws, { id: c.id, by: 'Ed Editor' });
    expect(listComments(f.ws, { reportId: f.reportId })).toEqual([]);
    [t] = listComments(f.ws, { reportId: f.reportId, includeResolved: true });
    expect(t).toMatchObject({ resolvedBy: 'Ed Editor', place: 'marked' });
    await resolveComment(f.ws, { id: c.id, by: 'Ruth Reviewer', resolved: false });
    expect(listComments(f.ws, { reportId: f.reportId })[0]).toMatchObject({ resolvedAt: null, resolvedBy: null });
  });

  it("a comment's mark is not a change to the text: the section keeps its last editor, who is not the reviewer", async () => {
    const f = await reviewFixture(SQL);
    const words = [lxText('Staff told us '), lxText('rotas were stretched'), lxText('.')];
    await f.ws.write('edit', (tx) => saveSectionContent(tx, f.sections.intro, JSON.stringify(lxRoot([lxParagraph([lxText('Staff told us rotas were stretched.')])]))), { actor: 'Ed Editor' });
    const before = getSection(f.ws, f.sections.intro)!;
    const c = await addComment(f.ws, { sectionId: f.sections.intro, body: 'Which survey?', quote: 'rotas were stretched', anchor: { mark: true }, author: 'Ruth Reviewer' });
    const marked = JSON.stringify(lxRoot([lxParagraph([words[0]!, lxMark([c.id], [words[1]!]), words[2]!])]));
    await f.ws.write('mark', (tx) => saveSectionContent(tx, f.sections.intro, marked), { actor: 'Ruth Reviewer' });
    const after = getSection(f.ws, f.sections.intro)!;
    expect(after.content).toBe(marked);
    expect([after.updatedBy, after.updatedAt]).toEqual([before.updatedBy, before.updatedAt]);
    await f.ws.write('edit', (tx) => saveSectionContent(tx, f.sections.intro, marked.replace('stretched', 'thin')), { actor: 'Ruth Reviewer' });
    expect(getSection(f.ws, f.sections.intro)!.updatedBy).toBe('Ruth Reviewer');
  });

  it('a comment whose passage was deleted is detached and keeps its quote; an old comment with a unique quote can be marked', async () => {
    const f = await reviewFixture(SQL);
    const marked = await addComment(f.ws, { sectionId: f.sections.intro, body: 'Check', quote: 'broadly maintained', anchor: { mark: true }, author: 'Ruth' });
    const old = await addComment(f.ws, { sectionId: f.sections.intro, body: 'Source?', quote: 'Quality was', author: 'Ruth' });
    const nowhere = await addComment(f.ws, { sectionId: f.sections.intro, body: 'Gone', quote: 'not in the text', author: 'Ruth' });
    const twice = await addComment(f.ws, { sectionId: f.sections.intro, body: 'Which?', quote: 'o', author: 'Ruth' });
    const places = Object.fromEntries(listComments(f.ws, { sectionId: f.sections.intro }).map((t) => [t.id, [t.place, t.passage]]));
    // The marked comment's mark is not in the text (the passage was deleted): detached, though its words are still there.
    expect(places[marked.id]).toEqual(['detached', 'broadly maintained']);
    expect(places[old.id]).toEqual(['quoted', 'Quality was']);
    expect(places[nowhere.id]).toEqual(['detached', 'not in the text']);
    expect(places[twice.id]).toEqual(['detached', 'o']);
  });

  it('mentions: the people who have written in the workspace, the activity list for the person mentioned, and the filters', async () => {
    const f = await reviewFixture(SQL);
    const a = await addComment(f.ws, { sectionId: f.sections.safety, body: '@Ed Editor, can you check this?', quote: null, author: 'Ruth Reviewer' });
    await replyToComment(f.ws, { parentId: a.id, body: 'Noted, @Ruth Reviewer.', author: 'Ed Editor' });
    const b = await addComment(f.ws, { sectionId: f.sections.intro, body: 'Fine as it is.', quote: null, author: 'Sam Analyst' });
    await addComment(f.ws, { sectionId: f.sections.intro, body: 'Note to self @Sam Analyst', quote: null, author: 'Sam Analyst' });
    expect(commentPeople(f.ws, 'Me Myself')).toEqual(expect.arrayContaining(['Ed Editor', 'Me Myself', 'Ruth Reviewer', 'Sam Analyst']));
    expect(commentPeople(f.ws, null)).not.toContain('unknown');

    const ed = activityFor(f.ws, 'Ed Editor');
    expect(ed).toHaveLength(1);
    expect(ed[0]).toMatchObject({ author: 'Ruth Reviewer', threadId: a.id, sectionId: f.sections.safety, sectionTitle: 'Safety', reportId: f.reportId });
    expect(ed[0]!.reportTitle).toBeTruthy();
    expect(activityFor(f.ws, 'Ruth Reviewer').map((x) => x.body)).toEqual(['Noted, @Ruth Reviewer.']);
    // Mentioning oneself is not news.
    expect(activityFor(f.ws, 'Sam Analyst')).toEqual([]);

    await resolveComment(f.ws, { id: b.id, by: 'Sam Analyst' });
    const threads = listComments(f.ws, { reportId: f.reportId, includeResolved: true });
    expect(filterThreads(threads, 'all', 'Ed Editor')).toHaveLength(3);
    expect(filterThreads(threads, 'open', 'Ed Editor')).toHaveLength(2);
    expect(filterThreads(threads, 'mine', 'Ed Editor').map((t) => t.id)).toEqual([a.id]);
    expect(filterThreads(threads, 'mine', 'Sam Analyst')).toHaveLength(1);
    expect(filterThreads(threads, 'mine', 'Nobody')).toEqual([]);
  });

  it('reads mentions by whole names only', () => {
    expect(mentions('Thanks @Ruth Reviewer!', 'Ruth Reviewer')).toBe(true);
    expect(mentions('Thanks @ruth  reviewer', 'Ruth Reviewer')).toBe(true);
    expect(mentions('Thanks @Ruthless', 'Ruth')).toBe(false);
    expect(mentions('email ruth@example.org', 'example')).toBe(false);
    expect(mentionedIn('@Ann Lee and @Ann', ['Ann', 'Ann Lee', 'Bo'])).toEqual(['Ann Lee', 'Ann']);
    expect(mentionRuns('Ask @Ann Lee now', ['Ann Lee'])).toEqual([
      { text: 'Ask ', mention: false },
      { text: '@Ann Lee', mention: true },
      { text: ' now', mention: false },
    ]);
    expect(mentionAtCaret('Ask @Ru', 7)).toEqual({ query: 'Ru', start: 4 });
    expect(mentionAtCaret('Ask Ru', 6)).toBeUndefined();
  });
});
