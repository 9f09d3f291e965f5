import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $dfs } from '@lexical/utils';
import { $createNodeSelection, $setSelection } from 'lexical';
import { $isLiveFigureNode } from '../nodes/LiveFigureNode';
import { $isFigureBlockNode } from '../nodes/FigureBlockNode';

/**
 * Takes the reader to a figure: the `index`th live figure or figure block of the section in document order (as the
 * blackline and review count them) is selected, which opens its details, and scrolled into the middle of the view.
 * Each new `token` is a new request, so the same figure can be asked for twice.
 */
export function FocusFigurePlugin({ target }: { target: { index: number; token: number } | undefined }): null {
  const [editor] = useLexicalComposerContext();
  const index = target?.index;
  const token = target?.token;
  useEffect(() => {
    if (index === undefined) return;
    // After the section's content has been set (the editor applies its initial state first).
    const t = setTimeout(() => {
      let key: string | null = null;
      editor.update(
        () => {
          const figures = $dfs()
            .map((d) => d.node)
            .filter((n) => $isLiveFigureNode(n) || $isFigureBlockNode(n));
          const node = figures[index];
          if (!node) return;
          const sel = $createNodeSelection();
          sel.add(node.getKey());
          $setSelection(sel);
          key = node.getKey();
        },
        {
          onUpdate: () => {
            const el = key ? editor.getElementByKey(key) : null;
            el?.scrollIntoView({ block: 'center' });
            editor.getRootElement()?.focus({ preventScroll: true });
          },
        },
      );
    }, 0);
    return () => clearTimeout(t);
  }, [editor, index, token]);
  return null;
}
