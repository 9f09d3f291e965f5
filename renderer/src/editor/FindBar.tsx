import { useCallback, useEffect, useRef, useState } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { Icon } from './Toolbar';

const ALL = 'assay-find';
const CURRENT = 'assay-find-current';

/** Ranges of every match of `query` in the editor's text, skipping decorators (figure values are not the author's text). */
function findRanges(root: HTMLElement, query: string): Range[] {
  if (!query) return [];
  const needle = query.toLocaleLowerCase('en-GB');
  const out: Range[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement?.closest('[contenteditable="false"]') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const hay = (n.textContent ?? '').toLocaleLowerCase('en-GB');
    for (let i = hay.indexOf(needle); i !== -1; i = hay.indexOf(needle, i + needle.length)) {
      const r = document.createRange();
      r.setStart(n, i);
      r.setEnd(n, i + needle.length);
      out.push(r);
    }
  }
  return out;
}

/**
 * Find in the section. Matches are painted with the CSS Custom Highlight API, which draws over the DOM without
 * touching it, so finding never edits the document, never enters the undo history and never fights Lexical's
 * reconciler.
 */
export function FindBar({ onClose }: { onClose: () => void }) {
  const [editor] = useLexicalComposerContext();
  const [query, setQuery] = useState('');
  const [ranges, setRanges] = useState<Range[]>([]);
  const [index, setIndex] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const supported = typeof CSS !== 'undefined' && 'highlights' in CSS;

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  const recompute = useCallback(() => {
    const root = editor.getRootElement();
    setRanges(root ? findRanges(root, query) : []);
  }, [editor, query]);

  useEffect(() => {
    recompute();
    setIndex(0);
    let t: ReturnType<typeof setTimeout> | undefined;
    // Text changes while the bar is open: find again shortly after, not on every keystroke.
    const unregister = editor.registerUpdateListener(({ dirtyElements, dirtyLeaves }) => {
      if (!dirtyElements.size && !dirtyLeaves.size) return;
      clearTimeout(t);
      t = setTimeout(recompute, 150);
    });
    return () => {
      clearTimeout(t);
      unregister();
    };
  }, [editor, recompute]);

  const current = ranges.length ? Math.min(index, ranges.length - 1) : -1;

  useEffect(() => {
    if (!supported) return;
    CSS.highlights.set(ALL, new Highlight(...ranges));
    const cur = ranges[current];
    if (cur) CSS.highlights.set(CURRENT, new Highlight(cur));
    else CSS.highlights.delete(CURRENT);
  }, [ranges, current, supported]);

  useEffect(
    () => () => {
      if (supported) {
        CSS.highlights.delete(ALL);
        CSS.highlights.delete(CURRENT);
      }
    },
    [supported],
  );

  const reveal = (i: number) => {
    const r = ranges[i];
    r?.startContainer.parentElement?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  };

  const step = (dir: 1 | -1) => {
    if (!ranges.length) return;
    const next = (current + dir + ranges.length) % ranges.length;
    setIndex(next);
    reveal(next);
  };

  /** Closing puts the caret on the current match, like every word processor, so typing continues from there. */
  const close = () => {
    const r = ranges[current];
    onClose();
    const root = editor.getRootElement();
    if (root) {
      root.focus({ preventScroll: true });
      if (r) {
        const sel = window.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(r);
      }
    }
  };

  return (
    <div className="find" role="search" aria-label="Find in this section">
      <label htmlFor="find-input" className="visually-hidden">
        Find in this section
      </label>
      <Icon name="search" />
      <input
        id="find-input"
        ref={input}
        className="find__input"
        value={query}
        placeholder="Find in this section"
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            step(e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            close();
          }
        }}
        aria-describedby="find-count"
      />
      <span id="find-count" className="find__count" aria-live="polite">
        {query ? (ranges.length ? `${current + 1} of ${ranges.length}` : 'No matches') : ''}
      </span>
      <button type="button" className="tb__btn" onClick={() => step(-1)} disabled={!ranges.length} aria-label="Previous match" title="Previous match (Shift+Enter)">
        <Icon name="up" />
      </button>
      <button type="button" className="tb__btn" onClick={() => step(1)} disabled={!ranges.length} aria-label="Next match" title="Next match (Enter)">
        <Icon name="down" />
      </button>
      <button type="button" className="tb__btn" onClick={close} aria-label="Close find" title="Close (Esc)">
        <Icon name="close" />
      </button>
    </div>
  );
}
