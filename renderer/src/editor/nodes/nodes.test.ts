/// <reference lib="dom" />
// The nodes build DOM for Lexical; the root program that typechecks tests has no DOM types of its own.
import { describe, expect, it } from 'vitest';
import { $createParagraphNode, $createTextNode, $getRoot, createEditor } from 'lexical';
import { $createHeadingNode } from '@lexical/rich-text';
import { $createListItemNode, $createListNode } from '@lexical/list';
import { $createTableNodeWithDimensions } from '@lexical/table';
import { parseLexical } from '../../../../shared/document/lexical';
import { lxCite, lxFigure, lxFigureBlock, lxGuidance, lxPageBreak, lxParagraph, lxQuote, lxRoot, lxText, TEXT_FORMAT, upgradeLegacyGuidance } from '../../../../shared/document/lexical';
import { EDITOR_NODES } from '../theme';
import { $createLiveFigureNode, $isLiveFigureNode } from './LiveFigureNode';
import { $createFigureBlockNode } from './FigureBlockNode';
import { $createEvidenceCitationNode } from './EvidenceCitationNode';
import { $createPageBreakNode } from './PageBreakNode';
import { $createGuidanceNode, $isGuidanceNode } from './GuidanceNode';
import { refKey } from './parse';

function editor() {
  return createEditor({
    nodes: EDITOR_NODES,
    onError: (e) => {
      throw e;
    },
  });
}

describe('Assay editor nodes', () => {
  it('serialise to exactly the shapes in shared/document/lexical-nodes.ts', () => {
    const ed = editor();
    ed.update(
      () => {
        const p = $createParagraphNode();
        p.append(
          $createTextNode('Share: '),
          $createLiveFigureNode({ figureId: 'f1' }),
          $createLiveFigureNode({ figureId: 'f2', params: { asAt: '2017-07-31' }, part: 'change' }),
          $createEvidenceCitationNode({ evidenceId: 'e1', locator: 'para 2' }),
        );
        $getRoot().append(p, $createFigureBlockNode({ figureId: 'f3', display: 'table' }), $createFigureBlockNode({ figureId: 'f4', display: 'chart', caption: 'By region' }), $createPageBreakNode());
      },
      { discrete: true },
    );
    const root = ed.getEditorState().toJSON().root as unknown as { children: { children?: unknown[] }[] };
    expect(root.children[0]!.children!.slice(1)).toEqual([
      { type: 'live-figure', version: 1, figureId: 'f1' },
      { type: 'live-figure', version: 1, figureId: 'f2', params: { asAt: '2017-07-31' }, part: 'change' },
      { type: 'evidence-citation', version: 1, evidenceId: 'e1', locator: 'para 2' },
    ]);
    expect(root.children.slice(1)).toEqual([
      { type: 'figure-block', version: 1, figureId: 'f3', display: 'table' },
      { type: 'figure-block', version: 1, figureId: 'f4', display: 'chart', caption: 'By region' },
      { type: 'page-break', version: 1 },
    ]);
  });

  it('load what the exporters and templates write, and save it back unchanged', () => {
    const json = JSON.stringify(
      lxRoot([lxParagraph([lxText('Rated good: ', 1), lxFigure('f1', 'direction', { asAt: '2018-07-31' }), lxCite('e1', 'p. 4')]), lxFigureBlock('f2', 'chart', 'Cap'), lxPageBreak()]),
    );
    const ed = editor();
    ed.setEditorState(ed.parseEditorState(json));
    const again = JSON.stringify(ed.getEditorState().toJSON());
    const { blocks, problems } = parseLexical(again);
    expect(problems).toEqual([]);
    expect(blocks).toEqual(parseLexical(json).blocks);
  });

  it('produce content the exporters read without problems, for every kind of block the toolbar makes', () => {
    const ed = editor();
    ed.update(
      () => {
        const h = $createHeadingNode('h2').append($createTextNode('Safety'));
        const list = $createListNode('bullet').append($createListItemNode().append($createTextNode('one ')), $createListItemNode().append($createLiveFigureNode({ figureId: 'f1' })));
        $getRoot().append(h, list, $createTableNodeWithDimensions(2, 2, true));
      },
      { discrete: true },
    );
    const { problems } = parseLexical(JSON.stringify(ed.getEditorState().toJSON()));
    expect(problems).toEqual([]);
  });

  it('repair what they can from untrusted JSON: bad parameters are dropped, not kept', () => {
    const bad = lxRoot([lxParagraph([{ type: 'live-figure', version: 1, figureId: 'f1', params: { ok: 1, 'bad key': 2, nested: { a: 1 } } }])]);
    const ed = editor();
    ed.setEditorState(ed.parseEditorState(JSON.stringify(bad)));
    ed.getEditorState().read(() => {
      const node = $getRoot().getFirstChildOrThrow<import('lexical').ElementNode>().getFirstChild();
      expect($isLiveFigureNode(node)).toBe(true);
      if ($isLiveFigureNode(node)) {
        expect(node.getParams()).toEqual({ ok: 1 });
        expect(node.getRefKey()).toBe(refKey('f1', { ok: 1 }));
      }
    });
  });

  it('share one cache key for equal overrides in any order', () => {
    expect(refKey('f', { a: 1, b: 'x' })).toBe(refKey('f', { b: 'x', a: 1 }));
    expect(refKey('f', undefined)).toBe('f');
    expect(refKey('f', { a: 1 })).not.toBe(refKey('f', { a: 2 }));
  });

  it('keep guidance as a node of its own, in its shared shape, outside the section text', () => {
    const ed = editor();
    ed.update(
      () => {
        $getRoot().append(
          $createParagraphNode().append($createTextNode('Before.')),
          $createGuidanceNode({ text: 'Quote two or three headline figures at most.', figures: [{ figureId: 'f1', name: 'Share' }] }),
          $createGuidanceNode({ text: 'No figures.' }),
          $createParagraphNode().append($createTextNode('After.')),
        );
      },
      { discrete: true },
    );
    const root = ed.getEditorState().toJSON().root as unknown as { children: unknown[] };
    expect(root.children.slice(1, 3)).toEqual([
      { type: 'guidance', version: 1, text: 'Quote two or three headline figures at most.', figures: [{ figureId: 'f1', name: 'Share' }] },
      { type: 'guidance', version: 1, text: 'No figures.' },
    ]);
    const json = JSON.stringify(ed.getEditorState().toJSON());
    expect(parseLexical(json).blocks.map((b) => b.type)).toEqual(['paragraph', 'guidance', 'guidance', 'paragraph']);
    // What templates write loads as the same node, and guidance from before the node is upgraded when loaded.
    const legacy = lxQuote([lxText('Guidance (delete before review): ', TEXT_FORMAT.bold), lxText('Old guidance.', TEXT_FORMAT.italic)]);
    const loaded = editor();
    loaded.setEditorState(loaded.parseEditorState(upgradeLegacyGuidance(JSON.stringify(lxRoot([lxGuidance('New guidance.'), legacy])))));
    loaded.getEditorState().read(() => {
      const kids = $getRoot().getChildren();
      expect(kids.every((k) => $isGuidanceNode(k))).toBe(true);
      expect(kids.map((k) => ($isGuidanceNode(k) ? k.getText() : ''))).toEqual(['New guidance.', 'Old guidance.']);
      expect($getRoot().getTextContent()).not.toContain('guidance');
    });
  });
});
