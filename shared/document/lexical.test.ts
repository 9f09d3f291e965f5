import { describe, expect, it } from 'vitest';
import { ContentError, lxCite, lxFigure, lxGuidance, lxParagraph, lxQuote, lxRoot, lxText, parseLexical, TEXT_FORMAT, upgradeLegacyGuidance } from './lexical';

describe('parseLexical', () => {
  it('reads the JSON the editor saves, with Assay nodes inline', () => {
    const json = JSON.stringify(lxRoot([lxParagraph([lxText('Share: ', 1), lxFigure('f1', 'direction'), lxCite('e1', 'para 2')])]));
    const { blocks, problems } = parseLexical(json);
    expect(problems).toEqual([]);
    expect(blocks).toEqual([
      {
        type: 'paragraph',
        children: [
          { type: 'text', text: 'Share: ', format: 1 },
          { type: 'live-figure', figureId: 'f1', part: 'direction' },
          { type: 'evidence-citation', evidenceId: 'e1', locator: 'para 2' },
        ],
      },
    ]);
  });

  it('reads lists with nested lists, tables with header cells, links, headings and page breaks', () => {
    const content = {
      root: {
        type: 'root',
        children: [
          { type: 'heading', tag: 'h5', children: [{ type: 'text', text: 'Deep', format: 0 }] },
          {
            type: 'list',
            listType: 'number',
            start: 3,
            children: [
              { type: 'listitem', children: [{ type: 'text', text: 'one', format: 0 }] },
              { type: 'listitem', children: [{ type: 'list', listType: 'bullet', children: [{ type: 'listitem', children: [{ type: 'text', text: 'sub', format: 0 }] }] }] },
            ],
          },
          {
            type: 'table',
            children: [
              { type: 'tablerow', children: [{ type: 'tablecell', headerState: 1, children: [{ type: 'paragraph', children: [{ type: 'text', text: 'H', format: 0 }] }] }] },
              { type: 'tablerow', children: [{ type: 'tablecell', headerState: 0, colSpan: 2, children: [{ type: 'paragraph', children: [{ type: 'link', url: 'https://www.cqc.org.uk', children: [{ type: 'text', text: 'CQC', format: 0 }] }] }] }] },
            ],
          },
          { type: 'page-break', version: 1 },
        ],
      },
    };
    const { blocks, problems } = parseLexical(content);
    expect(problems).toEqual(['section, block 1: heading h5 was shown as h3 (reports use three heading levels).']);
    expect(blocks[0]).toEqual({ type: 'heading', level: 3, children: [{ type: 'text', text: 'Deep', format: 0 }] });
    expect(blocks[1]).toMatchObject({ type: 'list', ordered: true, start: 3, items: [{ children: [{ text: 'one' }], sublists: [{ ordered: false, items: [{ children: [{ text: 'sub' }] }] }] }] });
    expect(blocks[2]).toMatchObject({ type: 'table', rows: [[{ header: true }], [{ header: false, colSpan: 2, children: [{ type: 'link', url: 'https://www.cqc.org.uk' }] }]] });
    expect(blocks[3]).toEqual({ type: 'page-break' });
  });

  it('repairs what it can and says what it did', () => {
    const { blocks, problems } = parseLexical({
      root: {
        children: [
          { type: 'mystery-box', children: [{ type: 'paragraph', children: [{ type: 'text', text: 'kept', format: 0 }] }] },
          { type: 'paragraph', children: [{ type: 'live-figure' }, { type: 'emoji', text: ':)' }, { type: 'link', url: 'javascript:alert(1)', children: [{ type: 'text', text: 'x', format: 0 }] }] },
          { type: 'figure-block', figureId: 'f', display: 'pie' },
          42,
        ],
      },
    });
    expect(blocks).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: 'kept', format: 0 }] },
      { type: 'paragraph', children: [{ type: 'text', text: ':)', format: 0 }, { type: 'text', text: 'x', format: 0 }] },
    ]);
    expect(problems.join('\n')).toMatch(/unknown block "mystery-box"/);
    expect(problems.join('\n')).toMatch(/dropped a live figure without a figure id/);
    expect(problems.join('\n')).toMatch(/link to "javascript:alert\(1\)" was kept as plain text/);
    expect(problems.join('\n')).toMatch(/dropped a figure block/);
    expect(problems.join('\n')).toMatch(/not a Lexical node/);
  });

  it('rejects content that is not an editor state, naming the problem', () => {
    expect(() => parseLexical('{not json', 'Section "A"')).toThrow(ContentError);
    expect(() => parseLexical('{not json', 'Section "A"')).toThrow(/Section "A": the content is not valid JSON/);
    expect(() => parseLexical('{"children": []}')).toThrow(/not a Lexical editor state/);
    expect(parseLexical('')).toEqual({ blocks: [], problems: [] });
  });

  it('reads guidance as guidance, including guidance written as a quote or paragraph before it had a node', () => {
    const label = lxText('Guidance (delete before review): ', TEXT_FORMAT.bold);
    const italic = (t: string) => lxText(t, TEXT_FORMAT.italic);
    const legacy = lxQuote([label, italic('Quote two or three headline figures at most.'), italic(' Suggested figures: '), italic('Share rated good '), lxFigure('f1'), italic('; Rated inadequate '), lxFigure('f2'), italic('.')]);
    const json = JSON.stringify(
      lxRoot([
        lxGuidance('Say what changed.', [{ figureId: 'f3', name: 'Change' }]),
        legacy,
        lxParagraph([label, lxText('A paragraph of guidance.')]),
        lxQuote([lxText('Guidance (delete before review): not bold, so a quotation.')]),
        lxParagraph([lxText('Body text.')]),
      ]),
    );
    const { blocks, problems } = parseLexical(json);
    expect(problems).toEqual([]);
    expect(blocks).toEqual([
      { type: 'guidance', text: 'Say what changed.', figures: [{ figureId: 'f3', name: 'Change' }] },
      {
        type: 'guidance',
        text: 'Quote two or three headline figures at most.',
        figures: [
          { figureId: 'f1', name: 'Share rated good' },
          { figureId: 'f2', name: 'Rated inadequate' },
        ],
      },
      { type: 'guidance', text: 'A paragraph of guidance.', figures: [] },
      { type: 'quote', children: [{ type: 'text', text: 'Guidance (delete before review): not bold, so a quotation.', format: 0 }] },
      { type: 'paragraph', children: [{ type: 'text', text: 'Body text.', format: 0 }] },
    ]);
    // The editor loads the same recognition as nodes; content without old guidance is handed back untouched.
    const upgraded = JSON.parse(upgradeLegacyGuidance(json)) as { root: { children: { type: string }[] } };
    expect(upgraded.root.children.map((c) => c.type)).toEqual(['guidance', 'guidance', 'guidance', 'quote', 'paragraph']);
    expect(parseLexical(upgradeLegacyGuidance(json)).blocks).toEqual(blocks);
    const plain = JSON.stringify(lxRoot([lxParagraph([lxText('Body text.')])]));
    expect(upgradeLegacyGuidance(plain)).toBe(plain);
    expect(upgradeLegacyGuidance('not json')).toBe('not json');
  });
});
