import { describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { buildDocument } from './tree';
import { fixtureInput } from '../export/testing/fixtures';
import { buildHtml } from '../export/html';
import { buildDocx } from '../export/docx';
import { lxMark, lxParagraph, lxRoot, lxText, parseLexical } from './lexical';
import { commentPlace, quoteOccurrences, sameApartFromMarks, sectionText } from './comment-marks';
import { countInLexical, replaceInLexical } from './find-replace';

const COMMENT = 'c0mment-1d-4f2a';
const content = JSON.stringify(
  lxRoot([lxParagraph([lxText('Staff told us '), lxMark([COMMENT], [lxText('rotas were '), lxText('stretched', 1)]), lxText(' at weekends.')])]),
);

describe('comment marks', () => {
  it('are read as the text they hold, each run knowing its comments, with nothing repaired', () => {
    const p = parseLexical(content);
    expect(p.problems).toEqual([]);
    expect(p.blocks[0]).toEqual({
      type: 'paragraph',
      children: [
        { type: 'text', text: 'Staff told us ', format: 0 },
        { type: 'text', text: 'rotas were ', format: 0, comments: [COMMENT] },
        { type: 'text', text: 'stretched', format: 1, comments: [COMMENT] },
        { type: 'text', text: ' at weekends.', format: 0 },
      ],
    });
    const t = sectionText(content);
    expect(t.blocks).toEqual(['Staff told us rotas were stretched at weekends.']);
    expect(t.marked.get(COMMENT)).toBe('rotas were stretched');
    expect(quoteOccurrences(t, 'e')).toBeGreaterThan(1);
    expect(commentPlace(t, { id: COMMENT, quote: null, hadMark: true })).toBe('marked');
    expect(commentPlace(t, { id: 'other', quote: 'at weekends', hadMark: false })).toBe('quoted');
    expect(commentPlace(t, { id: 'other', quote: 'at weekends', hadMark: true })).toBe('detached');
  });

  it('never print: every edition prints the passage as text, and no mark, comment id or comment', async () => {
    for (const audience of ['public', 'internal'] as const) {
      const input = fixtureInput(audience);
      const doc = buildDocument({ ...input, sections: [{ id: 's1', title: 'Workforce', content }] });
      expect(doc.problems).toEqual([]);
      const html = buildHtml(doc);
      expect(html).toContain('Staff told us rotas were <strong>stretched</strong> at weekends.');
      expect(html).not.toContain(COMMENT);
      expect(html).not.toMatch(/<mark\b/);
      const files = unzipSync(await buildDocx(doc, { rasterise: async () => new Uint8Array(), pageNumbers: false }));
      const xml = strFromU8(files['word/document.xml']!);
      expect(xml).toContain('rotas were ');
      expect(xml).not.toContain(COMMENT);
      expect(xml).not.toContain('commentRangeStart');
      expect(files['word/comments.xml']).toBeUndefined();
    }
  });

  it('tell a change of marks alone from a change of the text', () => {
    const plain = JSON.stringify(lxRoot([lxParagraph([lxText('Staff told us rotas were stretched at weekends.')])]));
    const twoRuns = JSON.stringify(lxRoot([lxParagraph([lxText('Staff told us '), lxMark([COMMENT], [lxText('rotas were stretched')]), lxText(' at weekends.')])]));
    expect(sameApartFromMarks(plain, twoRuns)).toBe(true);
    expect(sameApartFromMarks(twoRuns, plain)).toBe(true);
    // A bold run inside the mark is a change of the text's formatting.
    expect(sameApartFromMarks(plain, content)).toBe(false);
    expect(sameApartFromMarks(plain, plain.replace('rotas', 'shifts'))).toBe(false);
    expect(sameApartFromMarks(twoRuns, twoRuns.replace('rotas', 'shifts'))).toBe(false);
  });

  it('find and replace reach the text inside a mark and keep the mark', () => {
    expect(countInLexical(content, 'rotas', { matchCase: false, wholeWord: true })).toBe(1);
    const r = replaceInLexical(content, 'rotas', 'shifts', { matchCase: false, wholeWord: true });
    expect(r.count).toBe(1);
    expect(sectionText(r.json).marked.get(COMMENT)).toBe('shifts were stretched');
  });
});
