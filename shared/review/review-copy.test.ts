import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../electron/services/sqljs';
import { strFromU8, unzipSync } from 'fflate';
import { buildDocx } from '../export/docx';
import { fixtureFigures, fixtureTree, reviewFixture } from './testing/fixtures';
import { reviewReport } from './report';
import { approveReport } from './workflow';
import { evidenceDetail } from './evidence';
import { annotateTree, COMMENT_ID_BASE, summarise } from './review-copy';
import { addComment, listComments, replyToComment } from './comments';
import { lxMark } from '../document/lexical';
import { lxCite, lxFigure, lxParagraph, lxText, setContent } from './testing/fixtures';

let SQL: SqlJsStatic;
beforeAll(async () => {
  // Through the Node loader, which also provides the SQL worker every figure engine needs.
  SQL = await loadSqlJs();
});

describe('review copy', () => {
  it('gives every live figure and citation a Word comment with provenance, sign-off and evidence', async () => {
    const f = await reviewFixture(SQL);
    const figures = fixtureFigures(f.ws);
    await approveReport(f.ws, figures, { report: f.reportId, sectionId: f.sections.intro, by: 'Ruth Reviewer' });
    const { review, tree } = await figures.settle(() => ({ review: reviewReport(f.ws, figures, f.reportId), tree: fixtureTree(f.ws, f.reportId, figures) }));
    const { annotations, comments } = annotateTree(tree, review, (id) => evidenceDetail(f.ws, id), { author: 'Assay review', date: '2026-01-01T00:00:00Z' });
    expect(comments).toHaveLength(4);
    expect(comments[0]!.paragraphs.slice(0, 2)).toEqual([
      'Live figure “Share rated good or outstanding” (share-good): 75%.',
      expect.stringMatching(/^Approved by Ruth Reviewer on \d{4}-\d{2}-\d{2} at 75%\.$/),
    ]);
    expect(comments[1]!.paragraphs[0]).toMatch(/^Evidence cited: “CQC ratings data” \(dataset, public\); collected 2018-07-31 by Analyst; verified by Lead analyst/);
    expect(comments[2]!.paragraphs[1]).toBe('Not yet approved.');
    expect(comments[3]!.paragraphs[0]).toMatch(/“Interview with a registered manager” \(interview, official\).*NOT VERIFIED/);

    const out = await buildDocx(tree, { rasterise: async () => new Uint8Array(), pageNumbers: false, annotations });
    const files = unzipSync(out);
    const xml = strFromU8(files['word/document.xml']!);
    // The figure's own text is the comment's range; nothing else was written into the text.
    expect(comments.map((c) => c.id)).toEqual([1, 2, 3, 4].map((n) => COMMENT_ID_BASE + n));
    expect(xml.match(/<w:commentReference /g)).toHaveLength(4);
    const first = /<w:commentRangeStart w:id="(\d+)"\/><w:r>(?:(?!<\/w:r>).)*75%<\/w:t><\/w:r><w:commentRangeEnd w:id="(\d+)"\/>/.exec(xml);
    expect(first?.[1]).toBe(first?.[2]);
    // Comment ids must not collide with the bookmarks' (Word's annotation ids are one space).
    const bookmarks = [...xml.matchAll(/<w:bookmarkStart [^>]*w:id="(\d+)"/g)].map((m) => m[1]);
    const commentIds = [...xml.matchAll(/<w:commentRangeStart w:id="(\d+)"/g)].map((m) => m[1]);
    expect(commentIds.filter((id) => bookmarks.includes(id))).toEqual([]);
    const commentsXml = strFromU8(files['word/comments.xml']!);
    expect(commentsXml.match(/<w:comment /g)).toHaveLength(4);
    expect(commentsXml).toContain('w:author="Assay review"');
    expect(strFromU8(files['word/_rels/document.xml.rels']!)).toContain('Target="comments.xml"');
    expect(strFromU8(files['[Content_Types].xml']!)).toContain('/word/comments.xml');
  });

  it("puts each reviewer's open comment on its passage as a Word comment from its author, with the replies", async () => {
    const f = await reviewFixture(SQL);
    const figures = fixtureFigures(f.ws);
    const c = await addComment(f.ws, { sectionId: f.sections.intro, body: 'Which survey says so?', quote: 'rotas were stretched', anchor: { mark: true }, author: 'Ruth Reviewer' });
    await setContent(f.ws, f.sections.intro, [
      lxParagraph([lxText('At 31 July, '), lxFigure(f.figure), lxText(' were good. Staff told us '), lxMark([c.id], [lxText('rotas were '), lxText('stretched', 2)]), lxText('.'), lxCite(f.evidence.dataset)]),
    ]);
    await replyToComment(f.ws, { parentId: c.id, body: 'The 2018 staff survey.', author: 'Ed Editor' });
    // A detached comment (no mark in the text) has no passage in the copy.
    await addComment(f.ws, { sectionId: f.sections.intro, body: 'Gone', quote: 'deleted words', anchor: { mark: true }, author: 'Ruth Reviewer' });
    const tree = await figures.settle(() => fixtureTree(f.ws, f.reportId, figures));
    const { annotations, comments } = annotateTree(tree, undefined, (id) => evidenceDetail(f.ws, id), {
      author: 'Assay review',
      date: '2026-01-01T00:00:00Z',
      threads: listComments(f.ws, { reportId: f.reportId }),
    });
    expect(summarise(comments)).toMatchObject({ reviewers: 1 });
    const mine = comments.find((x) => x.thread)!;
    expect(mine.paragraphs).toEqual(['Which survey says so?', expect.stringMatching(/^Reply from Ed Editor \(\d{4}-\d{2}-\d{2}\): The 2018 staff survey\.$/)]);

    const files = unzipSync(await buildDocx(tree, { rasterise: async () => new Uint8Array(), pageNumbers: false, annotations }));
    const xml = strFromU8(files['word/document.xml']!);
    // The range opens before the passage's first run and closes after its last (an italic run), then the reference.
    const range = new RegExp(
      `<w:commentRangeStart w:id="${mine.id}"/><w:r>(?:(?!</w:r>).)*rotas were </w:t></w:r><w:r>(?:(?!</w:r>).)*<w:i/>(?:(?!</w:r>).)*stretched</w:t></w:r><w:commentRangeEnd w:id="${mine.id}"/><w:r><w:commentReference w:id="${mine.id}"/></w:r>`,
    );
    expect(xml).toMatch(range);
    expect(xml.match(new RegExp(`w:id="${mine.id}"`, 'g'))).toHaveLength(3);
    const commentsXml = strFromU8(files['word/comments.xml']!);
    const word = new RegExp(`<w:comment w:id="${mine.id}" w:initials="RR" w:author="Ruth Reviewer" w:date="[^"]+">.*Which survey says so\\?.*Reply from Ed Editor`);
    expect(commentsXml).toMatch(word);
    expect(commentsXml).not.toContain('Gone');
  });
});
