import { useCallback } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $createNodeSelection, $setSelection } from 'lexical';

/** Selects a decorator node as a whole (a node selection), which is what opens its details in the side panel. */
export function useSelectNode(nodeKey: string): (e: React.MouseEvent) => void {
  const [editor] = useLexicalComposerContext();
  return useCallback(
    (e: React.MouseEvent) => {
      // Let controls inside a block (none today, but captions may become editable) keep their own clicks.
      if ((e.target as HTMLElement).closest('input, textarea, select, a[href]')) return;
      e.preventDefault();
      // Keyboard focus stays in (or moves to) the text, so Delete, arrows and shortcuts act on the selected node.
      editor.getRootElement()?.focus({ preventScroll: true });
      editor.update(() => {
        const sel = $createNodeSelection();
        sel.add(nodeKey);
        $setSelection(sel);
      });
    },
    [editor, nodeKey],
  );
}
