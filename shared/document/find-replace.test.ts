import { describe, expect, it } from 'vitest';
import { countInLexical, findPattern, matchesIn, replaceInLexical } from './find-replace';
import { lxCite, lxFigure, lxParagraph, lxRoot, lxText } from './lexical';

const doc = JSON.stringify(
  lxRoot([
    lxParagraph([lxText('Vacancies rose. The vacancy rate, '), lxFigure('fig-vacancies'), lxText(' of posts, left vacancies unfilled.'), lxCite('ev-vacancies')]),
    { type: 'guidance', version: 1, text: 'Say what vacancies mean.' },
    lxParagraph([lxText('Vacancies', 1), lxText(' again; vacancies-led.')]),
  ]),
);

describe('find and replace over a section', () => {
  it('counts the author’s text only: never a figure, a citation or guidance', () => {
    expect(countInLexical(doc, 'vacancies', { matchCase: false, wholeWord: false })).toBe(4);
    expect(countInLexical(doc, 'vacancies', { matchCase: true, wholeWord: false })).toBe(2);
    expect(countInLexical(doc, 'vacanc', { matchCase: false, wholeWord: true })).toBe(0);
    expect(countInLexical(doc, 'vacancy', { matchCase: false, wholeWord: true })).toBe(1);
    expect(countInLexical(doc, '', { matchCase: false, wholeWord: false })).toBe(0);
    expect(countInLexical('not json', 'x', { matchCase: false, wholeWord: false })).toBe(0);
  });

  it('replaces every match and leaves figures, citations, guidance and formatting as they were', () => {
    const r = replaceInLexical(doc, 'vacancies', 'unfilled posts', { matchCase: false, wholeWord: true });
    expect(r.count).toBe(4);
    const after = JSON.parse(r.json) as { root: { children: { type: string; text?: string; children?: { type: string; text?: string; figureId?: string; evidenceId?: string; format?: number }[] }[] } };
    const [p1, guidance, p2] = after.root.children;
    expect(p1!.children!.map((c) => c.text ?? c.figureId ?? c.evidenceId)).toEqual(['unfilled posts rose. The vacancy rate, ', 'fig-vacancies', ' of posts, left unfilled posts unfilled.', 'ev-vacancies']);
    expect(guidance!.text).toBe('Say what vacancies mean.');
    expect(p2!.children!.map((c) => [c.text, c.format])).toEqual([
      ['unfilled posts', 1],
      [' again; unfilled posts-led.', 0],
    ]);
    expect(replaceInLexical(doc, 'nowhere', 'x', { matchCase: false, wholeWord: false })).toEqual({ json: doc, count: 0 });
  });

  it('treats the query as text, not a pattern, and finds letters beyond ASCII as words', () => {
    expect(matchesIn('a.b a+b (c)', findPattern('a+b', { matchCase: true, wholeWord: false })!)).toEqual([{ start: 4, length: 3 }]);
    expect(matchesIn('café cafés', findPattern('café', { matchCase: true, wholeWord: true })!)).toEqual([{ start: 0, length: 4 }]);
  });
});
