import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $insertNodeToNearestRoot, mergeRegister } from '@lexical/utils';
import {
  $createParagraphNode,
  $getRoot,
  $getSelection,
  $insertNodes,
  $isNodeSelection,
  $isRangeSelection,
  COMMAND_PRIORITY_EDITOR,
  type LexicalNode,
} from 'lexical';
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

function $insertBlock(node: LexicalNode): boolean {
  $ensureRangeSelection();
  $insertNodeToNearestRoot(node);
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
