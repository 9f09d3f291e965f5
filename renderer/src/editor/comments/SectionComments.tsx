import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getMarkIDs, $isMarkNode, $unwrapMarkNode, $wrapSelectionInMarkNode, MarkNode } from '@lexical/mark';
import { mergeRegister, $dfs, $findMatchingParent } from '@lexical/utils';
import {
  $createRangeSelection,
  $getNodeByKey,
  $getRoot,
  $getSelection,
  $isElementNode,
  $isRangeSelection,
  $setSelection,
  COMMAND_PRIORITY_HIGH,
  KEY_DOWN_COMMAND,
  SELECTION_INSERT_CLIPBOARD_NODES_COMMAND,
  type BaseSelection,
  type LexicalEditor,
  type LexicalNode,
  type TextNode,
} from 'lexical';
import type { CommentThread } from '../../../../shared/review/comments';
import { filterThreads, type CommentFilter } from '../../../../shared/review/mentions';
import { call, toIpcError, useRequest } from '../../lib/api';

/**
 * Comments in the margin, as word processors do them: a comment's passage is a mark in the text (@lexical/mark's
 * MarkNode, with the comment's id), so it moves with the words around it; the comment sits beside it. This holds what
 * the section's comments need: the threads, where each passage is on the page, which one is active, the comment being
 * written, and the writes. The cards themselves are in CommentCards.tsx.
 */

export interface Composer {
  /** The passage's height on the sheet, and its lines' rectangles (drawn as a highlight while the comment is written). */
  top: number;
  rects: { top: number; left: number; width: number; height: number }[];
  quote: string;
}

export interface SectionCommentsValue {
  sectionId: string;
  readOnly: boolean;
  /** Every thread on the section, resolved ones too. */
  threads: CommentThread[];
  /** The threads the filter shows. */
  shown: CommentThread[];
  filter: CommentFilter;
  setFilter: (f: CommentFilter) => void;
  people: string[];
  me: string | null;
  active: string | null;
  /** Makes a thread the active one; from a card, its passage is scrolled into view. */
  activate: (id: string | null, from?: 'card' | 'text') => void;
  /** Thread id → its passage's top on the sheet (px), for threads whose mark is in the text. */
  tops: ReadonlyMap<string, number>;
  composer: Composer | null;
  /** "Comment" (toolbar, Ctrl+Alt+M): starts a comment on the selected text, or says why it cannot. */
  startComment: () => void;
  submitComment: (body: string) => Promise<boolean>;
  cancelComment: () => void;
  reply: (id: string, body: string) => Promise<boolean>;
  resolve: (id: string, resolved: boolean) => Promise<void>;
  message: string | null;
  setMessage: (m: string | null) => void;
  /** The sheet the page and the margin share: the passages' heights are measured from its top. */
  sheetRef: React.RefObject<HTMLDivElement | null>;
  /** Wide enough for a margin beside the page; else the comments are listed in the side panel. */
  wide: boolean;
  setWide: (w: boolean) => void;
  /** Bumped whenever the comments ask to be seen (a new comment, an activated one): the side panel opens its tab. */
  attention: number;
}

const Ctx = createContext<SectionCommentsValue | null>(null);

export function useSectionComments(): SectionCommentsValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSectionComments outside SectionComments');
  return v;
}

/** The comment marks in the editor: comment id → the keys of its mark nodes. */
function markKeys(editor: LexicalEditor): Map<string, string[]> {
  const out = new Map<string, string[]>();
  editor.getEditorState().read(() => {
    for (const { node } of $dfs()) {
      if ($isMarkNode(node)) for (const id of node.getIDs()) out.set(id, [...(out.get(id) ?? []), node.getKey()]);
    }
  });
  return out;
}

/**
 * A comment made before marks (its words typed in by hand): when its words occur exactly once in one block of the
 * section, they are wrapped in its mark. Returns whether it was marked.
 */
function $markQuote(id: string, quote: string): boolean {
  const q = quote.trim();
  if (!q) return false;
  const groups = new Map<string, TextNode[]>();
  for (const t of $getRoot().getAllTextNodes()) {
    const block = $findMatchingParent(t, (n) => $isElementNode(n) && !n.isInline());
    const k = block?.getKey() ?? '';
    groups.set(k, [...(groups.get(k) ?? []), t]);
  }
  const found: { nodes: TextNode[]; at: number }[] = [];
  for (const nodes of groups.values()) {
    const text = nodes.map((n) => n.getTextContent()).join('');
    for (let at = text.indexOf(q); at >= 0; at = text.indexOf(q, at + 1)) found.push({ nodes, at });
  }
  if (found.length !== 1) return false;
  const { nodes, at } = found[0]!;
  const point = (offset: number, end: boolean): { key: string; offset: number } => {
    let seen = 0;
    for (const n of nodes) {
      const len = n.getTextContentSize();
      if (offset < seen + len || (end && offset === seen + len)) return { key: n.getKey(), offset: offset - seen };
      seen += len;
    }
    const last = nodes[nodes.length - 1]!;
    return { key: last.getKey(), offset: last.getTextContentSize() };
  };
  const a = point(at, false);
  const b = point(at + q.length, true);
  const sel = $createRangeSelection();
  sel.anchor.set(a.key, a.offset, 'text');
  sel.focus.set(b.key, b.offset, 'text');
  $wrapSelectionInMarkNode(sel, false, id);
  return true;
}

/**
 * Pasted text leaves its comments behind: a comment is on the words it was made on, not on a copy of them (the copy's
 * marks would give one comment two passages). The marks in what is pasted are unwrapped before it is inserted.
 */
function $withoutMarks(nodes: LexicalNode[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if ($isMarkNode(n)) {
      const kids = n.getChildren();
      for (const k of kids) k.remove();
      nodes.splice(i, 1, ...kids);
      i--;
    } else if ($isElementNode(n)) {
      const marks: MarkNode[] = [];
      const walk = (e: LexicalNode): void => {
        if (!$isElementNode(e)) return;
        for (const c of e.getChildren()) {
          if ($isMarkNode(c)) marks.push(c);
          walk(c);
        }
      };
      walk(n);
      marks.reverse().forEach($unwrapMarkNode);
    }
  }
}

export function SectionComments(props: { sectionId: string; readOnly: boolean; focusComment?: string | undefined; children: React.ReactNode }) {
  const { sectionId, readOnly } = props;
  const [editor] = useLexicalComposerContext();
  const list = useRequest('comments.list', { sectionId, includeResolved: true });
  const peopleReq = useRequest('comments.people', {});
  const threads = useMemo(() => list.data?.threads ?? [], [list.data]);
  const people = peopleReq.data?.people ?? [];
  const me = peopleReq.data?.me ?? null;
  const [filter, setFilter] = useState<CommentFilter>('open');
  const [active, setActive] = useState<string | null>(null);
  const [composer, setComposer] = useState<Composer | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [wide, setWide] = useState(false);
  const [attention, setAttention] = useState(0);
  const [marks, setMarks] = useState<Map<string, string[]>>(() => new Map());
  const [tops, setTops] = useState<ReadonlyMap<string, number>>(() => new Map());
  const sheetRef = useRef<HTMLDivElement | null>(null);
  const saved = useRef<BaseSelection | null>(null);

  // Which marks are in the text, kept as the text changes (a deleted passage takes its mark with it).
  useEffect(
    () =>
      editor.registerMutationListener(MarkNode, () => setMarks(markKeys(editor)), { skipInitialization: false }),
    [editor],
  );

  // Where each passage is on the sheet: measured after every change and when the sheet is resized.
  const measure = useCallback(() => {
    const sheet = sheetRef.current;
    if (!sheet) return;
    const origin = sheet.getBoundingClientRect().top;
    const next = new Map<string, number>();
    for (const [id, keys] of marks) {
      let top = Infinity;
      for (const k of keys) {
        const el = editor.getElementByKey(k);
        if (el) top = Math.min(top, el.getBoundingClientRect().top - origin);
      }
      if (top !== Infinity) next.set(id, Math.round(top));
    }
    setTops((cur) => (cur.size === next.size && [...next].every(([k, v]) => cur.get(k) === v) ? cur : next));
  }, [editor, marks]);
  useEffect(() => {
    let frame = 0;
    const soon = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(measure);
    };
    soon();
    const ro = new ResizeObserver(soon);
    if (sheetRef.current) ro.observe(sheetRef.current);
    const off = editor.registerUpdateListener(soon);
    return () => {
      cancelAnimationFrame(frame);
      ro.disconnect();
      off();
    };
  }, [editor, measure]);

  // The highlight: open threads' passages are marked; a resolved thread's mark stays in the text but is not shown;
  // the active thread's passage is stronger.
  useEffect(() => {
    const state = new Map(threads.map((t) => [t.id, t.resolvedAt ? 'resolved' : 'open']));
    for (const [id, keys] of marks) {
      for (const k of keys) {
        const el = editor.getElementByKey(k);
        if (!el) continue;
        // An overlapping mark is open while any of its threads is.
        const ids = editor.getEditorState().read(() => {
          const n = $getNodeByKey(k);
          return $isMarkNode(n) ? n.getIDs() : [id];
        });
        const open = ids.some((x) => state.get(x) === 'open');
        el.classList.toggle('cm-mark--resolved', !open);
        el.classList.toggle('cm-mark--active', !!active && ids.includes(active));
        el.dataset.commentIds = ids.join(' ');
      }
    }
  });

  // The caret in a passage makes its thread active (clicking the highlight focuses its comment).
  useEffect(
    () =>
      editor.registerUpdateListener(({ editorState, tags }) => {
        if (tags.has('collaboration') || !editor.getRootElement()?.contains(document.activeElement)) return;
        const id = editorState.read(() => {
          const sel = $getSelection();
          if (!$isRangeSelection(sel)) return null;
          const node = sel.anchor.getNode();
          const ids = node.getType() === 'text' ? $getMarkIDs(node as TextNode, sel.anchor.offset) : null;
          return ids?.[0] ?? null;
        });
        if (id) {
          setActive(id);
          setAttention((n) => n + 1);
        }
      }),
    [editor],
  );

  // Old comments (their words typed in by hand, no mark): marked where their words occur once, as an ordinary edit.
  const migrated = useRef(new Set<string>());
  useEffect(() => {
    if (readOnly || list.status !== 'ready') return;
    const todo = threads.filter((t) => t.place === 'quoted' && t.quote && !marks.has(t.id) && !migrated.current.has(t.id));
    if (!todo.length) return;
    for (const t of todo) migrated.current.add(t.id);
    editor.update(() => {
      const before = $getSelection()?.clone() ?? null;
      for (const t of todo) $markQuote(t.id, t.quote!);
      $setSelection(before);
    });
  }, [editor, threads, marks, readOnly, list.status]);

  const startComment = useCallback(() => {
    if (readOnly) return;
    const picked = editor.getEditorState().read(() => {
      const sel = $getSelection();
      return $isRangeSelection(sel) && !sel.isCollapsed() ? { sel: sel.clone(), text: sel.getTextContent() } : null;
    });
    const dom = window.getSelection();
    const sheet = sheetRef.current;
    if (!picked || !picked.text.trim() || !dom || dom.rangeCount === 0 || !sheet) {
      setMessage('Select the words to comment on first.');
      setAttention((n) => n + 1);
      return;
    }
    const origin = sheet.getBoundingClientRect();
    const range = dom.getRangeAt(0);
    const rects = [...range.getClientRects()]
      .filter((r) => r.width > 0)
      .map((r) => ({ top: r.top - origin.top, left: r.left - origin.left, width: r.width, height: r.height }));
    saved.current = picked.sel;
    setMessage(null);
    setActive(null);
    setComposer({ top: Math.round(range.getBoundingClientRect().top - origin.top), rects, quote: picked.text.trim().slice(0, 1000) });
    setAttention((n) => n + 1);
  }, [editor, readOnly]);

  const cancelComment = useCallback(() => {
    setComposer(null);
    const sel = saved.current;
    saved.current = null;
    editor.update(() => {
      if (sel) $setSelection(sel.clone());
    });
    editor.focus();
  }, [editor]);

  const submitComment = useCallback(
    async (body: string): Promise<boolean> => {
      const sel = saved.current;
      if (!composer || !sel) return false;
      try {
        const c = await call('comments.add', { sectionId, body, quote: composer.quote, anchor: { mark: true } });
        editor.update(() => {
          $setSelection(sel.clone());
          const s = $getSelection();
          if ($isRangeSelection(s)) $wrapSelectionInMarkNode(s, s.isBackward(), c.id);
        });
        saved.current = null;
        setComposer(null);
        setActive(c.id);
        list.reload();
        return true;
      } catch (e) {
        setMessage(toIpcError(e).message);
        return false;
      }
    },
    [composer, editor, sectionId, list],
  );

  const reply = useCallback(
    async (id: string, body: string): Promise<boolean> => {
      try {
        await call('comments.reply', { parentId: id, body });
        list.reload();
        return true;
      } catch (e) {
        setMessage(toIpcError(e).message);
        return false;
      }
    },
    [list],
  );

  const resolve = useCallback(
    async (id: string, resolved: boolean) => {
      try {
        await call('comments.resolve', { id, resolved });
        list.reload();
      } catch (e) {
        setMessage(toIpcError(e).message);
      }
    },
    [list],
  );

  const activate = useCallback(
    (id: string | null, from: 'card' | 'text' = 'card') => {
      setActive(id);
      if (!id || from !== 'card') return;
      const key = marks.get(id)?.[0];
      const el = key ? editor.getElementByKey(key) : null;
      el?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    },
    [editor, marks],
  );

  // Ctrl+Alt+M (Cmd+Alt+M): comment on the selection, as in Word. Pasted words come without comment marks.
  useEffect(
    () =>
      mergeRegister(
        editor.registerCommand(
          SELECTION_INSERT_CLIPBOARD_NODES_COMMAND,
          ({ nodes }) => {
            $withoutMarks(nodes);
            return false;
          },
          COMMAND_PRIORITY_HIGH,
        ),
        editor.registerCommand(
          KEY_DOWN_COMMAND,
          (e: KeyboardEvent) => {
            if ((e.ctrlKey || e.metaKey) && e.altKey && !e.shiftKey && e.code === 'KeyM') {
              e.preventDefault();
              startComment();
              return true;
            }
            return false;
          },
          COMMAND_PRIORITY_HIGH,
        ),
      ),
    [editor, startComment],
  );

  // Opened at a comment (a link from the Review screen or the activity list): it is made active at its passage.
  const focused = useRef<string | null>(null);
  useEffect(() => {
    const id = props.focusComment;
    if (!id || focused.current === id || list.status !== 'ready') return;
    const t = threads.find((x) => x.id === id);
    if (!t) return;
    if (!marks.has(id) && t.place === 'marked') return;
    focused.current = id;
    if (t.resolvedAt) setFilter('all');
    setActive(id);
    setAttention((n) => n + 1);
    const key = marks.get(id)?.[0];
    requestAnimationFrame(() => (key ? editor.getElementByKey(key) : null)?.scrollIntoView({ block: 'center' }));
  }, [props.focusComment, threads, marks, list.status, editor]);

  // A thread is in the text while its mark is: the server's word for it lags the autosave.
  const placed = useMemo(
    () => threads.map((t) => (marks.has(t.id) ? { ...t, place: 'marked' as const } : t.place === 'marked' ? { ...t, place: 'detached' as const } : t)),
    [threads, marks],
  );
  const shown = useMemo(() => filterThreads(placed, filter, me), [placed, filter, me]);

  const value: SectionCommentsValue = {
    sectionId,
    readOnly,
    threads: placed,
    shown,
    filter,
    setFilter,
    people,
    me,
    active,
    activate,
    tops,
    composer,
    startComment,
    submitComment,
    cancelComment,
    reply,
    resolve,
    message,
    setMessage,
    sheetRef,
    wide,
    setWide,
    attention,
  };
  return <Ctx.Provider value={value}>{props.children}</Ctx.Provider>;
}
