import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $createNodeSelection, $setSelection, $getSelection, $isNodeSelection, $isRangeSelection, $isTextNode, $isElementNode, type LexicalEditor, type LexicalNode } from 'lexical';
import type { EditorServices } from '../store';
import { $isLiveFigureNode, type LiveFigureNode } from '../nodes/LiveFigureNode';
import { $isFigureBlockNode } from '../nodes/FigureBlockNode';
import { $isEvidenceCitationNode } from '../nodes/EvidenceCitationNode';
import { $isPageBreakNode } from '../nodes/PageBreakNode';

export type SelectedAssayNode =
  | { kind: 'live-figure'; nodeKey: string; figureId: string; refKey: string; params?: Record<string, string | number | boolean>; part?: string }
  | { kind: 'figure-block'; nodeKey: string; figureId: string; refKey: string; display: 'table' | 'chart'; caption?: string; title?: string; params?: Record<string, string | number | boolean> }
  | { kind: 'evidence-citation'; nodeKey: string; evidenceId: string; locator?: string }
  | { kind: 'page-break'; nodeKey: string };

function describe(node: LexicalNode): SelectedAssayNode | null {
  if ($isLiveFigureNode(node)) {
    const params = node.getParams();
    const part = node.getPart();
    return { kind: 'live-figure', nodeKey: node.getKey(), figureId: node.getFigureId(), refKey: node.getRefKey(), ...(params ? { params } : {}), ...(part ? { part } : {}) };
  }
  if ($isFigureBlockNode(node)) {
    const params = node.getParams();
    const caption = node.getCaption();
    const title = node.getTitle();
    return {
      kind: 'figure-block',
      nodeKey: node.getKey(),
      figureId: node.getFigureId(),
      refKey: node.getRefKey(),
      display: node.getDisplay(),
      ...(caption ? { caption } : {}),
      ...(title ? { title } : {}),
      ...(params ? { params } : {}),
    };
  }
  if ($isEvidenceCitationNode(node)) {
    const locator = node.getLocator();
    return { kind: 'evidence-citation', nodeKey: node.getKey(), evidenceId: node.getEvidenceId(), ...(locator ? { locator } : {}) };
  }
  if ($isPageBreakNode(node)) return { kind: 'page-break', nodeKey: node.getKey() };
  return null;
}

/** The node just before a collapsed caret, if any: what a keyboard user has just moved past. */
export function $nodeBeforeCaret(): LexicalNode | null {
  const sel = $getSelection();
  if (!$isRangeSelection(sel) || !sel.isCollapsed()) return null;
  const anchor = sel.anchor;
  const node = anchor.getNode();
  let before: LexicalNode | null = null;
  if ($isTextNode(node)) before = anchor.offset === 0 ? node.getPreviousSibling() : null;
  else if ($isElementNode(node)) before = anchor.offset > 0 ? node.getChildAtIndex(anchor.offset - 1) : null;
  return before;
}

function $figureBeforeCaret(): LiveFigureNode | null {
  const before = $nodeBeforeCaret();
  return $isLiveFigureNode(before) ? before : null;
}

/** Alt+Enter on a figure or citation (caret just after it) selects it, which opens its details in the side panel. */
export function $selectAssayNodeBeforeCaret(): boolean {
  const before = $nodeBeforeCaret();
  if (!before || !describe(before)) return false;
  const sel = $createNodeSelection();
  sel.add(before.getKey());
  $setSelection(sel);
  return true;
}

/**
 * One listener for the whole section works out which Assay node is selected and whether the caret rests on a live
 * figure, and tells only the decorators concerned. (Lexical's per-node selection hook would add one listener per
 * figure, 200 listeners running on every keystroke.)
 */
export function SelectionPlugin({ services, onSelected }: { services: EditorServices; onSelected: (n: SelectedAssayNode | null) => void }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    let last = '';
    return editor.registerUpdateListener(({ editorState }) => {
      editorState.read(() => {
        const sel = $getSelection();
        let selected: SelectedAssayNode | null = null;
        if ($isNodeSelection(sel)) {
          const nodes = sel.getNodes();
          if (nodes.length === 1) selected = describe(nodes[0]!);
        }
        services.selectedKey.set(selected?.nodeKey ?? null);
        const serial = JSON.stringify(selected);
        if (serial !== last) {
          last = serial;
          onSelected(selected);
        }
        // The keyboard focus card: shown while the caret sits just after a live figure. A selected figure shows its
        // details in the side panel instead, so any card is closed rather than covering the panel.
        const open = services.card.get();
        if (selected) {
          if (open) services.card.set(null);
          return;
        }
        const f = $figureBeforeCaret();
        const focused = f ? { nodeKey: f.getKey(), figureId: f.getFigureId(), refKey: f.getRefKey(), part: f.getPart() } : null;
        if (focused && editor.getRootElement()?.contains(document.activeElement)) {
          if (open?.nodeKey !== focused.nodeKey || open.reason !== 'focus') {
            services.card.set({ nodeKey: focused.nodeKey, refKey: focused.refKey, figureId: focused.figureId, ...(focused.part ? { part: focused.part } : {}), reason: 'focus' });
          }
        } else if (open?.reason === 'focus') {
          services.card.set(null);
        }
      });
    });
  }, [editor, services, onSelected]);
  useEffect(() => releaseNodeSelectionOnTextPointer(editor), [editor]);
  return null;
}

/**
 * Clicking text after a figure, citation or block was selected must put the caret where the user clicked. Lexical
 * leaves the node selection in place until the browser's selectionchange arrives, and any editor update before that
 * (its own click handler makes one) reconciles the node selection by removing the caret the browser has just placed:
 * the next keystroke then lands at the start of the section, and the view jumps there. So when a pointer goes down on
 * anything in the text other than an Assay node while a node is selected, the node selection is dropped at once,
 * before the browser places the caret; Lexical then takes the caret from the browser as for any click.
 */
function releaseNodeSelectionOnTextPointer(editor: LexicalEditor): () => void {
  const onPointerDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    const target = e.target instanceof Element ? e.target : null;
    // A click on an Assay node selects that node (its own handler); controls inside it keep their clicks.
    if (!target || target.closest('[data-lexical-decorator="true"]')) return;
    const isNode = editor.getEditorState().read(() => $isNodeSelection($getSelection()));
    if (!isNode) return;
    editor.update(() => $setSelection(null), { discrete: true });
  };
  return editor.registerRootListener((root, prev) => {
    prev?.removeEventListener('pointerdown', onPointerDown, true);
    root?.addEventListener('pointerdown', onPointerDown, true);
  });
}
