import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $createRangeSelectionFromDom, $getSelection, $isRangeSelection, $setSelection, COMMAND_PRIORITY_CRITICAL, KEY_DOWN_COMMAND } from 'lexical';

/**
 * A deleting key acts where the caret is on screen. Lexical handles keydown with the selection it last recorded, and
 * records caret moves from the browser's `selectionchange` event, which the browser may deliver after the next key
 * when the machine is busy: Home then Backspace in quick succession deleted the last character of the line instead of
 * doing nothing at its start. Before Backspace or Delete is handled, the recorded selection is brought up to date
 * with the one on screen when they differ.
 */
export function CaretSyncPlugin(): null {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      editor.registerCommand(
        KEY_DOWN_COMMAND,
        (event) => {
          if (event.key !== 'Backspace' && event.key !== 'Delete') return false;
          const recorded = $getSelection();
          if (!$isRangeSelection(recorded)) return false;
          const root = editor.getRootElement();
          const dom = root?.ownerDocument.defaultView?.getSelection() ?? null;
          if (!root || !dom || !dom.anchorNode || !root.contains(dom.anchorNode) || !dom.focusNode || !root.contains(dom.focusNode)) return false;
          const onScreen = $createRangeSelectionFromDom(dom, editor);
          if (onScreen && !onScreen.is(recorded)) $setSelection(onScreen);
          return false;
        },
        COMMAND_PRIORITY_CRITICAL,
      ),
    [editor],
  );
  return null;
}
