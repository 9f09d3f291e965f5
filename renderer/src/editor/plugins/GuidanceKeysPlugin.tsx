import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { mergeRegister } from '@lexical/utils';
import { $getSelection, $isElementNode, $isRangeSelection, COMMAND_PRIORITY_HIGH, KEY_BACKSPACE_COMMAND, KEY_DELETE_COMMAND, type LexicalNode } from 'lexical';
import { $isGuidanceNode } from '../nodes/GuidanceNode';

/**
 * Template guidance is removed only on purpose (its "Remove guidance" button, or Delete with the guidance itself
 * selected): Delete at the end of the paragraph before it, or Backspace at the start of the paragraph after it, would
 * otherwise take the guidance away with a keystroke meant for the text, or pull text towards it. Those keys do nothing
 * there, as at the edge of any block that cannot be merged.
 */
function $guidanceAcross(forward: boolean): boolean {
  const sel = $getSelection();
  if (!$isRangeSelection(sel) || !sel.isCollapsed()) return false;
  const anchor = sel.anchor;
  const node = anchor.getNode();
  const block = node.getTopLevelElement();
  if (!block) return false;
  if (forward) {
    if (!$isGuidanceNode(block.getNextSibling())) return false;
    const last = block.getLastDescendant() ?? block;
    const size = (n: LexicalNode) => ($isElementNode(n) ? n.getChildrenSize() : n.getTextContentSize());
    return (node.is(last) || node.is(block)) && anchor.offset === size(node);
  }
  if (!$isGuidanceNode(block.getPreviousSibling())) return false;
  const first = block.getFirstDescendant() ?? block;
  return anchor.offset === 0 && (node.is(first) || node.is(block));
}

export function GuidanceKeysPlugin(): null {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    const guard = (forward: boolean) => (event: KeyboardEvent | null) => {
      if (!$guidanceAcross(forward)) return false;
      event?.preventDefault();
      return true;
    };
    return mergeRegister(editor.registerCommand(KEY_DELETE_COMMAND, guard(true), COMMAND_PRIORITY_HIGH), editor.registerCommand(KEY_BACKSPACE_COMMAND, guard(false), COMMAND_PRIORITY_HIGH));
  }, [editor]);
  return null;
}
