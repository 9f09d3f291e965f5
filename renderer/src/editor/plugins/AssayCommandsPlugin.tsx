import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $insertNodeToNearestRoot, mergeRegister } from '@lexical/utils';
import {
  $createParagraphNode,
  $getRoot,
  $getSelection,
  $insertNodes,
  $isDecoratorNode,
  $isElementNode,
  $isNodeSelection,
  $isParagraphNode,
  $isRangeSelection,
  COMMAND_PRIORITY_EDITOR,
  type ElementNode,
  type LexicalNode,
} from 'lexical';
import { $isTableNode } from '@lexical/table';
import {
  INSERT_EVIDENCE_CITATION_COMMAND,
  INSERT_FIGURE_BLOCK_COMMAND,
  INSERT_LIVE_FIGURE_COMMAND,
  INSERT_PAGE_BREAK_COMMAND,
} from '../commands';
import { $createLiveFigureNode } from '../nodes/LiveFigureNode';
import { $createFigureBlockNode } from '../nodes/FigureBlockNode';
import { $createEvidenceCitationNode } from '../nodes/EvidenceCitationNode';
import { $createPageBreakNode } from '../nodes/PageBreakNode';

/**
 * Where an insertion goes when the editor has no usable caret (for example after a click in the side panel on a
 * fresh section): the end of the document, like typing would.
 */
function $ensureRangeSelection(): void {
  const sel = $getSelection();
  if ($isRangeSelection(sel)) return;
  if ($isNodeSelection(sel)) {
    const last = sel.getNodes().at(-1);
    if (last && last.isInline()) {
      last.selectNext(0, 0);
      return;
    }
    if (last) {
      const p = $createParagraphNode();
      last.getTopLevelElementOrThrow().insertAfter(p);
      p.select();
      return;
    }
  }
  const root = $getRoot();
  const lastChild = root.getLastChild();
  if (!lastChild || lastChild.isInline() || !('select' in lastChild) || lastChild.getType() !== 'paragraph') {
    root.append($createParagraphNode());
  }
  root.selectEnd();
}

function $insertInline(node: LexicalNode): boolean {
  $ensureRangeSelection();
  $insertNodes([node]);
  return true;
}

/** Whether a collapsed caret sits at the very end of `block` (so inserting after it splits nothing). */
function $caretAtEndOf(block: ElementNode): boolean {
  const sel = $getSelection();
  if (!$isRangeSelection(sel) || !sel.isCollapsed()) return false;
  const { anchor } = sel;
  if (anchor.type === 'element') return anchor.key === block.getKey() && anchor.offset === block.getChildrenSize();
  const last = block.getLastDescendant();
  return last !== null && anchor.key === last.getKey() && anchor.offset === last.getTextContentSize();
}

/**
 * Blocks go between top-level blocks. An empty block at the caret is replaced; at the end of a block the new one goes
 * after it; only in the middle of a block is it split (Lexical's $insertNodeToNearestRoot), so inserting at the end of
 * a quote or heading does not leave an empty copy of it behind. The caret ends in a paragraph after the new block, so
 * writing continues in body text.
 */
function $insertBlock(node: LexicalNode): boolean {
  $ensureRangeSelection();
  const sel = $getSelection();
  const top = $isRangeSelection(sel) ? sel.anchor.getNode().getTopLevelElement() : null;
  if ($isElementNode(top) && !$isTableNode(top) && top.getTextContentSize() === 0 && top.getChildrenSize() <= 1 && top.getChildren().every((c) => !$isDecoratorNode(c))) {
    top.replace(node);
  } else if ($isElementNode(top) && $caretAtEndOf(top)) {
    top.insertAfter(node);
  } else {
    $insertNodeToNearestRoot(node);
  }
  let next = node.getNextSibling();
  if (!$isParagraphNode(next)) {
    const p = $createParagraphNode();
    node.insertAfter(p);
    next = p;
  }
  if ($isParagraphNode(next)) next.selectStart();
  return true;
}

export function AssayCommandsPlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      mergeRegister(
        editor.registerCommand(INSERT_LIVE_FIGURE_COMMAND, (p) => $insertInline($createLiveFigureNode(p)), COMMAND_PRIORITY_EDITOR),
        editor.registerCommand(INSERT_EVIDENCE_CITATION_COMMAND, (p) => $insertInline($createEvidenceCitationNode(p)), COMMAND_PRIORITY_EDITOR),
        editor.registerCommand(INSERT_FIGURE_BLOCK_COMMAND, (p) => $insertBlock($createFigureBlockNode(p)), COMMAND_PRIORITY_EDITOR),
        editor.registerCommand(INSERT_PAGE_BREAK_COMMAND, () => $insertBlock($createPageBreakNode()), COMMAND_PRIORITY_EDITOR),
      ),
    [editor],
  );
  return null;
}
