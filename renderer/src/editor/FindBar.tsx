import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getNearestNodeFromDOMNode, $isTextNode } from 'lexical';
import { findPattern, matchesIn, type FindOptions } from '../../../shared/document/find-replace';
import { Icon } from './Toolbar';

const ALL = 'assay-find';
const CURRENT = 'assay-find-current';

/** What the find bar is looking for; kept by the report editor, so it survives moving from section to section. */
export interface FindState extends FindOptions {
  query: string;
  replacement: string;
  replaceOpen: boolean;
  scope: 'report' | 'section';
  /** A match to show when a section opens: stepping past the last match of one section into the next. */
  pending: { sectionId: string; index: number | 'last' } | null;
}

export const NEW_FIND: FindState = { query: '', replacement: '', replaceOpen: false, matchCase: false, wholeWord: false, scope: 'report', pending: null };

/** A "Replace all" that can be undone in one step, across every section it changed. */
export interface ReplaceDone {
  count: number;
  sections: number;
  undo: () => Promise<void>;
}

/** What the report gives the find bar: its sections, matches in those not open, and a way to act on them. */
export interface ReportFind {
  sections: readonly { id: string; title: string }[];
  sectionId: string;
  /** Matches in a section's latest content (for sections other than the open one). */
  countIn: (sectionId: string, query: string, opts: FindOptions) => number;
  goTo: (sectionId: string, index: number | 'last') => void;
  /** Replaces every match in the sections other than the open one; returns how many, where, and what they held. */
  replaceInOthers: (query: string, replacement: string, opts: FindOptions) => Promise<{ count: number; before: Map<string, string> }>;
  /** Puts back what sections held (an undo of "Replace all" in sections not open). */
  restore: (before: ReadonlyMap<string, string>) => Promise<void>;
  lastReplace: ReplaceDone | null;
  setLastReplace: (r: ReplaceDone | null) => void;
}

/** Ranges of every match in the open section's text, skipping decorators (figure values are not the author's text). */
function findRanges(root: HTMLElement, pattern: RegExp | undefined): Range[] {
  if (!pattern) return [];
  const out: Range[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement?.closest('[contenteditable="false"]') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    for (const m of matchesIn(n.textContent ?? '', pattern)) {
      const r = document.createRange();
      r.setStart(n, m.start);
      r.setEnd(n, m.start + m.length);
      out.push(r);
    }
  }
  return out;
}

/**
 * Find and replace, in the open section or across the whole report. Matches are painted with the CSS Custom Highlight
 * API, which draws over the DOM without touching it, so finding never edits the document. Only the author's text is
 * searched and replaced: never a live figure, a citation or template guidance. Stepping past the last match of a
 * section opens the next section with a match. "Replace all" is one undo step: its Undo button puts back every section
 * it changed (and Ctrl+Z undoes it in the open section).
 */
export function FindBar({ state, setState, report, onClose, readOnly }: { state: FindState; setState: (f: (s: FindState) => FindState) => void; report: ReportFind; onClose: () => void; readOnly: boolean }) {
  const [editor] = useLexicalComposerContext();
  const [ranges, setRanges] = useState<Range[]>([]);
  const [index, setIndex] = useState(0);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const supported = typeof CSS !== 'undefined' && 'highlights' in CSS;
  const opts = useMemo<FindOptions>(() => ({ matchCase: state.matchCase, wholeWord: state.wholeWord }), [state.matchCase, state.wholeWord]);
  const { query } = state;

  useEffect(() => {
    if (state.pending?.sectionId === report.sectionId) return;
    input.current?.focus();
    input.current?.select();
    // Only when the bar opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const recompute = useCallback(() => {
    const root = editor.getRootElement();
    setRanges(root ? findRanges(root, findPattern(query, opts)) : []);
  }, [editor, query, opts]);

  useEffect(() => {
    recompute();
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

  // A new query starts from the first match.
  useEffect(() => setIndex(0), [query, opts]);

  const reveal = useCallback(
    (i: number, list: Range[]) => {
      list[i]?.startContainer.parentElement?.scrollIntoView({ block: 'center' });
    },
    [],
  );

  // Arrived from another section: show the match asked for once this section's matches are known.
  useEffect(() => {
    const p = state.pending;
    if (!p || p.sectionId !== report.sectionId || !ranges.length) return;
    const i = p.index === 'last' ? ranges.length - 1 : Math.min(p.index, ranges.length - 1);
    setIndex(i);
    reveal(i, ranges);
    setState((s) => ({ ...s, pending: null }));
  }, [state.pending, report.sectionId, ranges, reveal, setState]);

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

  // Matches in the other sections, from their latest content, in report order.
  const counts = useMemo(() => {
    if (state.scope !== 'report' || !query) return new Map<string, number>();
    return new Map(report.sections.filter((s) => s.id !== report.sectionId).map((s) => [s.id, report.countIn(s.id, query, opts)]));
    // Re-counted when the matches here change (a replace), which is when the others may have too.
  }, [state.scope, query, opts, report, ranges]); // eslint-disable-line react-hooks/exhaustive-deps
  const order = report.sections.map((s) => s.id);
  const here = order.indexOf(report.sectionId);
  const before = order.slice(0, here).reduce((n, id) => n + (counts.get(id) ?? 0), 0);
  const total = before + ranges.length + order.slice(here + 1).reduce((n, id) => n + (counts.get(id) ?? 0), 0);

  const step = (dir: 1 | -1) => {
    const next = current + dir;
    if (next >= 0 && next < ranges.length) {
      setIndex(next);
      reveal(next, ranges);
      return;
    }
    if (state.scope === 'report') {
      // The next section (in reading order, wrapping) that has a match.
      for (let k = 1; k < order.length; k++) {
        const id = order[(here + dir * k + order.length * k) % order.length]!;
        if ((counts.get(id) ?? 0) > 0) {
          setState((s) => ({ ...s, pending: { sectionId: id, index: dir > 0 ? 0 : 'last' } }));
          report.goTo(id, dir > 0 ? 0 : 'last');
          return;
        }
      }
    }
    if (!ranges.length) return;
    const wrapped = (current + dir + ranges.length) % ranges.length;
    setIndex(wrapped);
    reveal(wrapped, ranges);
  };

  const replaceOne = () => {
    const r = ranges[current];
    if (!r || readOnly) return;
    editor.update(() => {
      const node = $getNearestNodeFromDOMNode(r.startContainer);
      if ($isTextNode(node)) node.spliceText(r.startOffset, r.endOffset - r.startOffset, state.replacement, true);
    });
  };

  const replaceAll = async () => {
    if (readOnly || !query) return;
    setBusy(true);
    try {
      const prevHere = JSON.stringify(editor.getEditorState().toJSON());
      const hereCount = ranges.length;
      // Last first, so each earlier range keeps its offsets; one update, so one undo step in this section.
      editor.update(() => {
        for (const r of [...ranges].reverse()) {
          const node = $getNearestNodeFromDOMNode(r.startContainer);
          if ($isTextNode(node)) node.spliceText(r.startOffset, r.endOffset - r.startOffset, state.replacement, false);
        }
      });
      const others = state.scope === 'report' ? await report.replaceInOthers(query, state.replacement, opts) : { count: 0, before: new Map<string, string>() };
      const sectionId = report.sectionId;
      const count = hereCount + others.count;
      report.setLastReplace({
        count,
        sections: (hereCount ? 1 : 0) + others.before.size,
        undo: async () => {
          await report.restore(others.before);
          if (hereCount) {
            if (editor.getRootElement() && report.sectionId === sectionId) editor.setEditorState(editor.parseEditorState(prevHere));
            else await report.restore(new Map([[sectionId, prevHere]]));
          }
        },
      });
    } finally {
      setBusy(false);
    }
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

  const position = current >= 0 ? before + current + 1 : 0;
  const where = state.scope === 'report' ? 'in the report' : 'in this section';
  const done = report.lastReplace;

  return (
    <div className="find" role="search" aria-label="Find and replace">
      <div className="find__row">
        <Icon name="search" />
        <label htmlFor="find-input" className="visually-hidden">
          Find
        </label>
        <input
          id="find-input"
          ref={input}
          className="find__input"
          value={query}
          placeholder={state.scope === 'report' ? 'Find in the report' : 'Find in this section'}
          onChange={(e) => setState((s) => ({ ...s, query: e.target.value, pending: null }))}
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
          {query ? (total ? `${position || '–'} of ${total} ${where}` : `No matches ${where}`) : ''}
        </span>
        <button type="button" className="tb__btn" onClick={() => step(-1)} disabled={!total} aria-label="Previous match" title="Previous match (Shift+Enter)">
          <Icon name="up" />
        </button>
        <button type="button" className="tb__btn" onClick={() => step(1)} disabled={!total} aria-label="Next match" title="Next match (Enter)">
          <Icon name="down" />
        </button>
        <label className="find__opt">
          <input type="checkbox" checked={state.matchCase} onChange={(e) => setState((s) => ({ ...s, matchCase: e.target.checked }))} /> Match case
        </label>
        <label className="find__opt">
          <input type="checkbox" checked={state.wholeWord} onChange={(e) => setState((s) => ({ ...s, wholeWord: e.target.checked }))} /> Whole word
        </label>
        <label className="find__opt">
          <span className="visually-hidden">Where to find</span>
          <select className="find__scope" value={state.scope} onChange={(e) => setState((s) => ({ ...s, scope: e.target.value as FindState['scope'], pending: null }))}>
            <option value="report">Whole report</option>
            <option value="section">This section</option>
          </select>
        </label>
        <button
          type="button"
          className="tb__btn find__toggle"
          aria-expanded={state.replaceOpen}
          onClick={() => setState((s) => ({ ...s, replaceOpen: !s.replaceOpen }))}
          disabled={readOnly}
        >
          Replace…
        </button>
        <button type="button" className="tb__btn" onClick={close} aria-label="Close find" title="Close (Esc)">
          <Icon name="close" />
        </button>
      </div>
      {state.replaceOpen && !readOnly && (
        <div className="find__row">
          <label htmlFor="replace-input" className="find__label">
            Replace with
          </label>
          <input id="replace-input" className="find__input" value={state.replacement} onChange={(e) => setState((s) => ({ ...s, replacement: e.target.value }))} />
          <button type="button" className="tb__btn tb__btn--text" onClick={replaceOne} disabled={current < 0 || busy}>
            Replace
          </button>
          <button type="button" className="tb__btn tb__btn--text" onClick={() => void replaceAll()} disabled={!total || busy}>
            Replace all
          </button>
          {done && (
            <span className="find__done" role="status">
              Replaced {done.count} in {done.sections} section{done.sections === 1 ? '' : 's'}.{' '}
              <button
                type="button"
                className="tb__btn tb__btn--text"
                onClick={() => {
                  report.setLastReplace(null);
                  void done.undo();
                }}
              >
                Undo replace all
              </button>
            </span>
          )}
          <span className="find__hint">Figures and citations are never changed.</span>
        </div>
      )}
    </div>
  );
}
