import { memo, useCallback } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { useLexicalEditable } from '@lexical/react/useLexicalEditable';
import { $createParagraphNode, $getNodeByKey, $getRoot } from 'lexical';
import { useCell, useIsSelected, useServices } from '../store';
import { useSelectNode } from './useSelectNode';

/**
 * Template guidance as the author sees it: set apart and labelled "Guidance", never part of the text, with a button
 * that removes it. The figures it suggests are named as the library names them now (they are inserted from the Figures
 * panel like any other).
 */
export const GuidanceView = memo(function GuidanceView({ nodeKey, text, figures }: { nodeKey: string; text: string; figures: readonly { figureId: string; name: string }[] }) {
  const [editor] = useLexicalComposerContext();
  const editable = useLexicalEditable();
  const services = useServices();
  const defs = useCell(services.defs);
  const selected = useIsSelected(services, nodeKey);
  const select = useSelectNode(nodeKey);
  const remove = useCallback(() => {
    editor.update(() => {
      const node = $getNodeByKey(nodeKey);
      if (!node) return;
      const next = node.getNextSibling() ?? node.getPreviousSibling();
      node.remove();
      // A section is never left without a place to type.
      const root = $getRoot();
      if (root.getChildrenSize() === 0) root.append($createParagraphNode()).selectEnd();
      else next?.selectStart();
    });
  }, [editor, nodeKey]);
  return (
    <aside className={`guidance${selected ? ' guidance--selected' : ''}`} aria-label="Guidance" data-testid="guidance" onMouseDown={select}>
      <div className="guidance__head">
        <span className="guidance__label">Guidance</span>
        <span className="guidance__hint">For you, not the reader: it is never printed, and the report cannot be published while it is here.</span>
        {editable && (
          <button
            type="button"
            className="guidance__remove"
            // The button acts on its own; a press on it must not first select the block.
            onMouseDown={(e) => e.stopPropagation()}
            onClick={remove}
          >
            Remove guidance
          </button>
        )}
      </div>
      <p className="guidance__text">{text}</p>
      {figures.length > 0 && (
        <p className="guidance__figures">
          Suggested figures (insert them from the Figures panel): {figures.map((f) => defs.get(f.figureId)?.name ?? f.name).join('; ')}.
        </p>
      )}
    </aside>
  );
});
