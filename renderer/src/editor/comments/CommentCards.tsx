import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CommentThread } from '../../../../shared/review/comments';
import { COMMENT_FILTERS, mentionAtCaret, mentionRuns } from '../../../../shared/review/mentions';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useSectionComments } from './SectionComments';
import './comments.css';

/**
 * The comment cards: in a margin beside the page, each card at its passage's height (wide windows), or listed in the
 * side panel in the order of their passages (narrow ones). Detached comments (their passage deleted) come last and say
 * so, with the words they were made on.
 */

const GAP = 8;

/** Page and margin together: the margin shows only when the sheet has room for both at a comfortable width. */
export const MARGIN_MIN_SHEET = 1008;

export function CommentMargin() {
  const c = useSectionComments();
  const cards = useRef(new Map<string, HTMLElement>());
  const column = useRef<HTMLDivElement>(null);
  const ordered = useOrdered();

  // Cards at their passages' heights without overlapping: the active one (or the one being written) exactly at its
  // passage, those above it pushed up and those below pushed down, as word processors do.
  useLayoutEffect(() => {
    const items = [
      ...(c.composer ? [{ id: '__new', top: c.composer.top }] : []),
      ...ordered.map((t) => ({ id: t.id, top: c.tops.get(t.id) })),
    ];
    const placed = items.filter((i): i is { id: string; top: number } => i.top !== undefined).sort((a, b) => a.top - b.top);
    const loose = items.filter((i) => i.top === undefined);
    const h = (id: string) => cards.current.get(id)?.offsetHeight ?? 0;
    const head = 44;
    const pinned = Math.max(0, placed.findIndex((i) => i.id === (c.composer ? '__new' : c.active)));
    const y = new Map<string, number>();
    if (placed.length) {
      const p = placed[pinned]!;
      y.set(p.id, Math.max(head, p.top));
      for (let i = pinned + 1; i < placed.length; i++) {
        const prev = placed[i - 1]!;
        y.set(placed[i]!.id, Math.max(placed[i]!.top, y.get(prev.id)! + h(prev.id) + GAP));
      }
      for (let i = pinned - 1; i >= 0; i--) {
        const next = placed[i + 1]!;
        y.set(placed[i]!.id, Math.max(head, Math.min(placed[i]!.top, y.get(next.id)! - h(placed[i]!.id) - GAP)));
      }
      // Pushed up against the top: push the rest down again.
      for (let i = 1; i < placed.length; i++) {
        const prev = placed[i - 1]!;
        y.set(placed[i]!.id, Math.max(y.get(placed[i]!.id)!, y.get(prev.id)! + h(prev.id) + GAP));
      }
    }
    let bottom = head;
    for (const [id, top] of y) bottom = Math.max(bottom, top + h(id) + GAP);
    for (const i of loose) {
      y.set(i.id, bottom);
      bottom += h(i.id) + GAP;
    }
    for (const [id, top] of y) {
      const el = cards.current.get(id);
      if (el) el.style.top = `${top}px`;
    }
    if (column.current) column.current.style.minHeight = `${bottom}px`;
  });

  const ref = (id: string) => (el: HTMLElement | null) => {
    if (el) cards.current.set(id, el);
    else cards.current.delete(id);
  };
  return (
    <>
      {c.composer && (
        <div className="cm-pending" aria-hidden="true">
          {c.composer.rects.map((r, i) => (
            <span key={i} className="cm-pending__rect" style={{ top: r.top, left: r.left, width: r.width, height: r.height }} />
          ))}
        </div>
      )}
      <aside className="cm-margin" aria-label="Comments" ref={column} data-testid="comment-margin">
        <FilterBar />
        {c.message && (
          <p className="cm-message" role="status">
            {c.message}
          </p>
        )}
        {c.composer && (
          <div className="cm-slot" ref={ref('__new')}>
            <NewComment />
          </div>
        )}
        {ordered.map((t) => (
          <div key={t.id} className="cm-slot" ref={ref(t.id)}>
            <Card thread={t} />
          </div>
        ))}
      </aside>
    </>
  );
}

/** The same cards as a list, for the side panel when the window is too narrow for a margin. */
export function CommentList() {
  const c = useSectionComments();
  const ordered = useOrdered();
  return (
    <section className="cm-list" aria-label="Comments" data-testid="comment-list">
      <FilterBar />
      {c.message && (
        <p className="cm-message" role="status">
          {c.message}
        </p>
      )}
      {c.composer && <NewComment />}
      {!ordered.length && !c.composer && <p className="cm-empty">{c.filter === 'all' ? 'No comments on this section.' : 'No open comments here. Select some words and choose Comment.'}</p>}
      {ordered.map((t) => (
        <Card key={t.id} thread={t} />
      ))}
    </section>
  );
}

/** Threads in the order of their passages on the page; those without one (detached) last. */
function useOrdered(): CommentThread[] {
  const c = useSectionComments();
  return useMemo(
    () =>
      [...c.shown].sort((a, b) => {
        const ta = c.tops.get(a.id);
        const tb = c.tops.get(b.id);
        if (ta !== undefined && tb !== undefined) return ta - tb;
        if (ta !== undefined) return -1;
        if (tb !== undefined) return 1;
        return a.createdAt.localeCompare(b.createdAt);
      }),
    [c.shown, c.tops],
  );
}

function FilterBar() {
  const c = useSectionComments();
  const open = c.threads.filter((t) => !t.resolvedAt).length;
  return (
    <div className="cm-filters" role="group" aria-label="Show comments">
      {COMMENT_FILTERS.map((f) => (
        <button key={f.id} type="button" className="cm-filter" aria-pressed={c.filter === f.id} onClick={() => c.setFilter(f.id)}>
          {f.label}
          {f.id === 'open' && open > 0 ? ` (${open})` : ''}
        </button>
      ))}
    </div>
  );
}

function When({ iso }: { iso: string }) {
  // Re-rendered each minute, so "just now" becomes "2 minutes ago" while the card is open.
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 60_000);
    return () => clearInterval(t);
  }, []);
  return (
    <time className="cm-when" dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso)}
    </time>
  );
}

function Body({ text }: { text: string }) {
  const c = useSectionComments();
  return (
    <p className="cm-body">
      {mentionRuns(text, c.people).map((r, i) =>
        r.mention ? (
          <strong key={i} className="cm-mention">
            {r.text}
          </strong>
        ) : (
          <span key={i}>{r.text}</span>
        ),
      )}
    </p>
  );
}

function Card({ thread: t }: { thread: CommentThread }) {
  const c = useSectionComments();
  const active = c.active === t.id;
  const headingId = useId();
  const detached = t.place !== 'marked';
  return (
    <article
      className={`cm-card${active ? ' cm-card--active' : ''}${t.resolvedAt ? ' cm-card--resolved' : ''}${detached ? ' cm-card--detached' : ''}`}
      aria-labelledby={headingId}
      data-testid="comment-card"
      data-comment-id={t.id}
      onClick={(e) => {
        if (!active && !(e.target as HTMLElement).closest('button, textarea, a')) c.activate(t.id, 'card');
      }}
    >
      <header className="cm-head">
        <h3 className="cm-author" id={headingId}>
          <button type="button" className="cm-focus" aria-expanded={active} onClick={() => c.activate(active ? null : t.id, 'card')}>
            {t.author}
          </button>
        </h3>
        <When iso={t.createdAt} />
      </header>
      {detached && (
        <p className="cm-detached">
          {t.place === 'quoted' ? 'Not yet marked in the text; it was made on the words:' : 'Detached: the passage it was made on is no longer in the text. It was made on:'}
        </p>
      )}
      {(detached || active) && t.passage && <blockquote className="cm-quote">{t.passage}</blockquote>}
      {t.resolvedAt && <p className="cm-state">Resolved by {t.resolvedBy}</p>}
      <Body text={t.body} />
      {t.replies.length > 0 && (
        <ol className="cm-replies" aria-label="Replies">
          {(active ? t.replies : t.replies.slice(-1)).map((r) => (
            <li key={r.id} className="cm-reply">
              <div className="cm-head">
                <span className="cm-author">{r.author}</span>
                <When iso={r.createdAt} />
              </div>
              <Body text={r.body} />
            </li>
          ))}
          {!active && t.replies.length > 1 && <li className="cm-more">{t.replies.length - 1} earlier {t.replies.length === 2 ? 'reply' : 'replies'}</li>}
        </ol>
      )}
      {active && (
        <div className="cm-actions">
          {!t.resolvedAt && !c.readOnly && <ReplyBox threadId={t.id} />}
          <button type="button" className="re-btn re-btn--small" onClick={() => void c.resolve(t.id, !t.resolvedAt)}>
            {t.resolvedAt ? 'Reopen' : 'Resolve'}
          </button>
        </div>
      )}
    </article>
  );
}

/** A comment's text and its sending: cleared once sent; sent once at a time. */
function useDraft(write: (text: string) => Promise<boolean>) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const send = async () => {
    if (!text.trim() || busy) return;
    setBusy(true);
    if (await write(text.trim())) setText('');
    setBusy(false);
  };
  return { text, setText, busy, send };
}

function ReplyBox({ threadId }: { threadId: string }) {
  const c = useSectionComments();
  const { text, setText, busy, send } = useDraft((t) => c.reply(threadId, t));
  return (
    <form
      className="cm-form"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <MentionBox label="Reply" value={text} onChange={setText} onSubmit={() => void send()} />
      <button type="submit" className="re-btn re-btn--primary re-btn--small" disabled={busy || !text.trim()}>
        Reply
      </button>
    </form>
  );
}

function NewComment() {
  const c = useSectionComments();
  const { text, setText, busy, send } = useDraft(c.submitComment);
  return (
    <form
      className="cm-card cm-card--active cm-card--new"
      aria-label="New comment"
      data-testid="new-comment"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          c.cancelComment();
        }
      }}
    >
      {c.composer && <blockquote className="cm-quote">{c.composer.quote}</blockquote>}
      <MentionBox label="Comment" value={text} onChange={setText} onSubmit={() => void send()} autoFocus />
      <div className="cm-actions">
        <button type="submit" className="re-btn re-btn--primary re-btn--small" disabled={busy || !text.trim()}>
          Comment
        </button>
        <button type="button" className="re-btn re-btn--quiet re-btn--small" onClick={c.cancelComment}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * A comment's text box: typing "@" and the start of a name offers the people who have written in the workspace; arrow
 * keys move through them and Enter or Tab puts the name in. Ctrl+Enter sends.
 */
function MentionBox(props: { label: string; value: string; onChange: (v: string) => void; onSubmit: () => void; autoFocus?: boolean }) {
  const c = useSectionComments();
  const id = useId();
  const box = useRef<HTMLTextAreaElement>(null);
  const [caret, setCaret] = useState(0);
  const [pick, setPick] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const at = mentionAtCaret(props.value, caret);
  const matches = useMemo(() => {
    if (!at) return [];
    const q = at.query.toLowerCase();
    return c.people.filter((p) => p.toLowerCase().split(/\s+/).some((w) => w.startsWith(q)) || p.toLowerCase().startsWith(q)).slice(0, 6);
  }, [at, c.people]);
  const open = !dismissed && !!at && matches.length > 0;
  useEffect(() => {
    if (props.autoFocus) box.current?.focus();
  }, [props.autoFocus]);
  useEffect(() => setPick(0), [at?.query]);
  const choose = (name: string) => {
    if (!at) return;
    const next = `${props.value.slice(0, at.start)}@${name} ${props.value.slice(caret)}`;
    props.onChange(next);
    const pos = at.start + name.length + 2;
    setCaret(pos);
    requestAnimationFrame(() => {
      box.current?.focus();
      box.current?.setSelectionRange(pos, pos);
    });
  };
  return (
    <div className="cm-mentionbox">
      <label className="visually-hidden" htmlFor={`${id}-text`}>
        {props.label}
      </label>
      <textarea
        id={`${id}-text`}
        ref={box}
        className="cm-text"
        rows={2}
        value={props.value}
        placeholder={`${props.label}… (@ to mention someone)`}
        aria-controls={open ? `${id}-people` : undefined}
        aria-activedescendant={open ? `${id}-person-${pick}` : undefined}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          props.onChange(e.target.value);
          setCaret(e.target.selectionStart);
          setDismissed(false);
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={(e) => {
          if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
            e.preventDefault();
            setPick((p) => (p + (e.key === 'ArrowDown' ? 1 : -1) + matches.length) % matches.length);
          } else if (open && (e.key === 'Enter' || e.key === 'Tab') && !e.ctrlKey && !e.metaKey) {
            e.preventDefault();
            choose(matches[pick]!);
          } else if (open && e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            setDismissed(true);
          } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            props.onSubmit();
          }
        }}
      />
      <span id={`${id}-hint`} className="visually-hidden">
        Type @ and a name to mention someone; Ctrl+Enter sends.
      </span>
      {open && (
        <ul className="cm-people" role="listbox" id={`${id}-people`} aria-label="People to mention">
          {matches.map((p, i) => (
            <li
              key={p}
              id={`${id}-person-${i}`}
              role="option"
              aria-selected={i === pick}
              className="cm-person"
              onMouseDown={(e) => {
                e.preventDefault();
                choose(p);
              }}
            >
              {p}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The sheet under the page: the page, and the margin beside it when the section has comments (or one is being
 * written) and there is room; without room the comments are in the side panel. With the side panel closed the margin
 * shows anyway, narrower, so comments are never out of sight.
 */
export function CommentSheet(props: { sidePanel: boolean; children: React.ReactNode }) {
  const c = useSectionComments();
  const { sheetRef, setWide } = c;
  useEffect(() => {
    const scroller = sheetRef.current?.parentElement;
    if (!scroller) return;
    const ro = new ResizeObserver(() => setWide(scroller.clientWidth >= MARGIN_MIN_SHEET));
    ro.observe(scroller);
    return () => ro.disconnect();
  }, [sheetRef, setWide]);
  const any = c.threads.length > 0 || !!c.composer || !!c.message;
  const margin = any && (c.wide || !props.sidePanel);
  return (
    <div ref={sheetRef} className={`se__sheet${margin ? (c.wide ? ' se__sheet--margin' : ' se__sheet--margin-narrow') : ''}`}>
      {props.children}
      {margin && <CommentMargin />}
    </div>
  );
}

/** In a narrow window the side panel shows the comments whenever they ask to be seen (a new or an activated one). */
export function useCommentsAttention(open: () => void, sidePanel: boolean): void {
  const c = useSectionComments();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (!c.wide && sidePanel) open();
  }, [c.attention]); // eslint-disable-line react-hooks/exhaustive-deps
}
