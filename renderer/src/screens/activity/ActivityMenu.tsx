import { useEffect, useId, useRef, useState } from 'react';
import { useRequest } from '../../lib/api';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useNav } from '../../lib/route';
import './activity.css';

const SEEN_KEY = 'assay:activity-seen';

function readSeen(): string {
  try {
    return window.localStorage.getItem(SEEN_KEY) ?? '';
  } catch {
    return '';
  }
}

/**
 * The activity list in the top bar: "X mentioned you in <report>, <section>" for each comment or reply by someone else
 * that mentions me, newest first, each one click from the comment at its passage. Read from the comments themselves;
 * how many are new is kept on this computer (what was seen when the list was last opened).
 */
export function ActivityMenu() {
  const activity = useRequest('comments.activity', {});
  const items = activity.data?.items ?? [];
  const [open, setOpen] = useState(false);
  const [seen, setSeen] = useState(readSeen);
  const { navigate } = useNav();
  const id = useId();
  const wrap = useRef<HTMLDivElement>(null);
  const fresh = items.filter((i) => i.createdAt > seen).length;

  useEffect(() => {
    if (!open) return;
    const newest = items[0]?.createdAt ?? '';
    if (newest > seen) {
      try {
        window.localStorage.setItem(SEEN_KEY, newest);
      } catch {
        /* Storage may be unavailable; the count then resets with the page. */
      }
    }
    const away = (e: MouseEvent) => {
      if (!wrap.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open, items, seen]);

  return (
    <div
      className="activity"
      ref={wrap}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault();
          setOpen(false);
          document.getElementById(`${id}-button`)?.focus();
        }
      }}
    >
      <button
        id={`${id}-button`}
        type="button"
        className="btn btn--small btn--ghost activity__button"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => {
          if (open) setSeen(readSeen());
          setOpen((o) => !o);
        }}
      >
        Activity
        {fresh > 0 && (
          <span className="activity__count">
            {fresh}
            <span className="visually-hidden"> new</span>
          </span>
        )}
      </button>
      {open && (
        <section className="activity__panel" id={`${id}-panel`} aria-label="Activity" data-testid="activity">
          <h2 className="activity__title">Mentions of you</h2>
          {!items.length && <p className="activity__empty">No one has mentioned you in a comment yet.</p>}
          <ul className="activity__list">
            {items.map((i) => (
              <li key={i.id}>
                <button
                  type="button"
                  className={`activity__item${i.createdAt > seen ? ' activity__item--new' : ''}`}
                  onClick={() => {
                    setOpen(false);
                    navigate({ screen: 'reports', reportId: i.reportId, sectionId: i.sectionId, commentId: i.threadId });
                  }}
                >
                  <span className="activity__what">
                    <strong>{i.author}</strong> mentioned you in {i.reportTitle}, {i.sectionTitle}
                  </span>
                  <span className="activity__body">{i.body}</span>
                  <time className="activity__when" dateTime={i.createdAt} title={formatDateTime(i.createdAt)}>
                    {formatRelative(i.createdAt)}
                  </time>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
