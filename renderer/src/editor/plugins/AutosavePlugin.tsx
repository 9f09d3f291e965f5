import { useEffect, useRef } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { call, toIpcError } from '../../lib/api';

export type SaveStatus =
  | { state: 'saved'; at: string | null }
  | { state: 'pending' }
  | { state: 'saving' }
  | { state: 'error'; message: string };

const DEBOUNCE_MS = 800;
const RETRY_MS = 3000;

/**
 * Saves the section's content a moment after typing stops, one save at a time, always the newest content. Typing is
 * never lost: a failed save keeps the content dirty and retries; leaving the section, hiding the window or closing the
 * page flushes at once; and `onContent` hands every snapshot to the report editor, so switching back to a section
 * shows the latest text even while its save is still in flight.
 */
export function AutosavePlugin(props: {
  sectionId: string;
  readOnly: boolean;
  onStatus: (s: SaveStatus) => void;
  onContent: (sectionId: string, json: string) => void;
}) {
  const [editor] = useLexicalComposerContext();
  const propsRef = useRef(props);
  propsRef.current = props;

  useEffect(() => {
    const { sectionId } = propsRef.current;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let dirty = false;
    let inFlight: Promise<void> | null = null;
    let lastSaved = JSON.stringify(editor.getEditorState().toJSON());

    const snapshot = () => JSON.stringify(editor.getEditorState().toJSON());

    const save = async (): Promise<void> => {
      clearTimeout(timer);
      if (inFlight) {
        // Chain rather than overlap: the write queue is serial anyway, and the later save must land last.
        await inFlight;
        if (!dirty) return;
      }
      if (!dirty) return;
      const json = snapshot();
      dirty = false;
      if (json === lastSaved) {
        propsRef.current.onStatus({ state: 'saved', at: null });
        return;
      }
      propsRef.current.onContent(sectionId, json);
      propsRef.current.onStatus({ state: 'saving' });
      inFlight = call('sections.saveContent', { id: sectionId, content: json }).then(
        (r) => {
          lastSaved = json;
          if (!dirty) propsRef.current.onStatus({ state: 'saved', at: r.savedAt });
        },
        (e: unknown) => {
          dirty = true;
          propsRef.current.onStatus({ state: 'error', message: toIpcError(e).message });
          clearTimeout(timer);
          timer = setTimeout(() => void save(), RETRY_MS);
        },
      );
      try {
        await inFlight;
      } finally {
        inFlight = null;
      }
    };

    const unregister = editor.registerUpdateListener(({ dirtyElements, dirtyLeaves }) => {
      // Selection-only updates change nothing worth saving.
      if (dirtyElements.size === 0 && dirtyLeaves.size === 0) return;
      if (propsRef.current.readOnly) return;
      dirty = true;
      propsRef.current.onStatus({ state: 'pending' });
      clearTimeout(timer);
      timer = setTimeout(() => void save(), DEBOUNCE_MS);
    });

    const flushNow = () => {
      if (dirty) void save();
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flushNow();
    };
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', flushNow);
    window.addEventListener('beforeunload', flushNow);

    return () => {
      unregister();
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', flushNow);
      window.removeEventListener('beforeunload', flushNow);
      // Leaving the section: hand over the newest content synchronously and start its save; the request completes
      // on its own after this editor is gone.
      if (dirty) {
        propsRef.current.onContent(sectionId, snapshot());
        void save();
      }
    };
  }, [editor]);

  return null;
}
