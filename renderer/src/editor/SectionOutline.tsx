import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ReportSummary } from '../../../shared/ipc/contract';
import { Dialog } from '../ui/Dialog';
import { Icon } from './Toolbar';

type Section = ReportSummary['sections'][number];

const STATUS_LABELS: Record<string, string> = { draft: 'Draft', 'in review': 'In review', approved: 'Approved' };

/**
 * The report's sections: select, add, rename, reorder (drag, or Alt+Up/Down on the focused section, or the move
 * buttons) and delete with confirmation. Changes go straight to the workspace; the list reloads from it.
 */
export function SectionOutline(props: {
  sections: Section[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onAdd: (title: string) => Promise<void>;
  onRename: (id: string, title: string) => Promise<void>;
  onMove: (id: string, toIndex: number) => Promise<void>;
  onDelete: (id: string) => Promise<void>;
  busy: boolean;
}) {
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Section | null>(null);
  const [dragId, setDragId] = useState<string | null>(null);
  const [dropIndex, setDropIndex] = useState<number | null>(null);
  const [announce, setAnnounce] = useState('');
  const listRef = useRef<HTMLOListElement>(null);

  // Focus goes back to a section's button once React has drawn it: after a rename or a move the button is mounted
  // anew, and a timer or animation frame can fire before that commit, leaving focus nowhere.
  const pendingFocus = useRef<string | null>(null);
  const [, setFocusTick] = useState(0);
  const focusSection = (id: string) => {
    pendingFocus.current = id;
    setFocusTick((n) => n + 1);
  };
  useLayoutEffect(() => {
    const id = pendingFocus.current;
    if (!id) return;
    const button = listRef.current?.querySelector<HTMLElement>(`[data-section-id="${CSS.escape(id)}"] .secs__select`);
    if (button) {
      button.focus();
      pendingFocus.current = null;
    }
  });

  const [lastMove, setLastMove] = useState<{ id: string; title: string; from: number; to: number } | null>(null);
  const move = async (s: Section, to: number, undoing = false) => {
    if (to < 0 || to >= props.sections.length) return;
    const from = props.sections.findIndex((x) => x.id === s.id);
    await props.onMove(s.id, to);
    setAnnounce(`${s.title} moved to position ${to + 1} of ${props.sections.length}.`);
    setLastMove(undoing ? null : { id: s.id, title: s.title, from, to });
    focusSection(s.id);
  };
  /** A move is undone like any edit: the Undo beside the notice, or Ctrl+Z while the outline has focus. */
  const undoMove = () => {
    const m = lastMove;
    const s = m && props.sections.find((x) => x.id === m.id);
    if (m && s) void move(s, m.from, true);
  };

  return (
    <nav
      className="secs"
      aria-label="Sections"
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'z' && lastMove && !(e.target instanceof HTMLInputElement)) {
          e.preventDefault();
          undoMove();
        }
      }}
    >
      <div className="secs__head">
        <h2 className="secs__title">Sections</h2>
        <button type="button" className="re-btn re-btn--small" onClick={() => setAdding(true)} disabled={props.busy} aria-label="Add section" title="Add a section after the current one">
          <Icon name="plus" /> Add
        </button>
      </div>
      {adding && (
        <TitleForm
          label="New section title"
          initial=""
          submitLabel="Add"
          onCancel={() => setAdding(false)}
          onSubmit={async (t) => {
            await props.onAdd(t);
            setAdding(false);
          }}
        />
      )}
      <ol className="secs__list" ref={listRef} onDragLeave={(e) => !e.currentTarget.contains(e.relatedTarget as Node) && setDropIndex(null)}>
        {props.sections.map((s, i) => (
          <li
            key={s.id}
            data-section-id={s.id}
            className={`secs__item${s.id === props.selectedId ? ' secs__item--current' : ''}${dragId === s.id ? ' secs__item--dragging' : ''}${dropIndex === i && dragId !== s.id ? ' secs__item--drop' : ''}`}
            onDragOver={(e) => {
              if (!dragId) return;
              e.preventDefault();
              e.dataTransfer.dropEffect = 'move';
              setDropIndex(i);
            }}
            onDrop={(e) => {
              e.preventDefault();
              const dragged = props.sections.find((x) => x.id === dragId);
              setDragId(null);
              setDropIndex(null);
              if (dragged && dragged.id !== s.id) void move(dragged, i);
            }}
            onDragEnd={() => {
              setDragId(null);
              setDropIndex(null);
            }}
          >
            {renaming === s.id ? (
              <TitleForm
                label={`Rename “${s.title}”`}
                initial={s.title}
                submitLabel="Save"
                onCancel={() => {
                  setRenaming(null);
                  focusSection(s.id);
                }}
                onSubmit={async (t) => {
                  await props.onRename(s.id, t);
                  setRenaming(null);
                  focusSection(s.id);
                }}
              />
            ) : (
              <>
                {/* Reordering is by this handle (or the keyboard): a click on the title only opens the section. */}
                <span
                  className="secs__grip"
                  aria-hidden="true"
                  title="Drag to reorder"
                  draggable={!props.busy}
                  onDragStart={(e) => {
                    setDragId(s.id);
                    e.dataTransfer.effectAllowed = 'move';
                    e.dataTransfer.setData('text/x-assay-section', s.id);
                    const item = e.currentTarget.closest('li');
                    if (item) e.dataTransfer.setDragImage(item, 12, 12);
                  }}
                >
                  <Icon name="grip" />
                </span>
                <button
                  type="button"
                  className="secs__select"
                  aria-current={s.id === props.selectedId ? 'true' : undefined}
                  aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown F2 Delete"
                  onClick={() => props.onSelect(s.id)}
                  onKeyDown={(e) => {
                    if (e.altKey && e.key === 'ArrowUp') {
                      e.preventDefault();
                      void move(s, i - 1);
                    } else if (e.altKey && e.key === 'ArrowDown') {
                      e.preventDefault();
                      void move(s, i + 1);
                    } else if (e.key === 'F2') {
                      e.preventDefault();
                      setRenaming(s.id);
                    } else if (e.key === 'Delete') {
                      e.preventDefault();
                      setDeleting(s);
                    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                      e.preventDefault();
                      const next = props.sections[i + (e.key === 'ArrowDown' ? 1 : -1)];
                      if (next) focusSection(next.id);
                    }
                  }}
                >
                  <span className="secs__num">{i + 1}</span>
                  <span className="secs__name">{s.title}</span>
                  <span className={`status status--${s.status.replace(/\s+/g, '-')}`}>{STATUS_LABELS[s.status] ?? s.status}</span>
                </button>
                <span className="secs__actions">
                  <button type="button" className="icon-only" onClick={() => void move(s, i - 1)} disabled={i === 0 || props.busy} aria-label={`Move “${s.title}” up`} title="Move up (Alt+↑)">
                    <Icon name="up" />
                  </button>
                  <button
                    type="button"
                    className="icon-only"
                    onClick={() => void move(s, i + 1)}
                    disabled={i === props.sections.length - 1 || props.busy}
                    aria-label={`Move “${s.title}” down`}
                    title="Move down (Alt+↓)"
                  >
                    <Icon name="down" />
                  </button>
                  <button type="button" className="icon-only" onClick={() => setRenaming(s.id)} aria-label={`Rename “${s.title}”`} title="Rename (F2)" disabled={props.busy}>
                    <Icon name="pencil" />
                  </button>
                  <button type="button" className="icon-only icon-only--danger" onClick={() => setDeleting(s)} aria-label={`Delete “${s.title}”`} title="Delete (Delete)" disabled={props.busy}>
                    <Icon name="trash" />
                  </button>
                </span>
              </>
            )}
          </li>
        ))}
      </ol>
      {lastMove && (
        <p className="secs__undo" role="status">
          Moved “{lastMove.title}” to position {lastMove.to + 1}.{' '}
          <button type="button" className="re-btn re-btn--small" onClick={undoMove} disabled={props.busy}>
            Undo
          </button>
        </p>
      )}
      <p className="secs__hint">Drag a section by its handle to reorder, or use Alt+↑ and Alt+↓ on it; Ctrl+Z undoes a move.</p>
      <div className="visually-hidden" aria-live="polite">
        {announce}
      </div>
      {deleting && (
        <Dialog
          title={`Delete “${deleting.title}”?`}
          size="small"
          onClose={() => setDeleting(null)}
          footer={
            <>
              <button type="button" className="re-btn" onClick={() => setDeleting(null)} autoFocus>
                Keep the section
              </button>
              <button
                type="button"
                className="re-btn re-btn--danger-solid"
                onClick={async () => {
                  const s = deleting;
                  setDeleting(null);
                  await props.onDelete(s.id);
                  setAnnounce(`${s.title} deleted.`);
                }}
              >
                Delete section
              </button>
            </>
          }
        >
          <p>Its text, figures and citations are removed from the report. The figures themselves stay in the library.</p>
        </Dialog>
      )}
    </nav>
  );
}

function TitleForm(props: { label: string; initial: string; submitLabel: string; onSubmit: (title: string) => Promise<void>; onCancel: () => void }) {
  const [title, setTitle] = useState(props.initial);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  return (
    <form
      className="secs__form"
      onSubmit={async (e) => {
        e.preventDefault();
        const t = title.trim();
        if (!t) return setError('Enter a title.');
        setSaving(true);
        try {
          await props.onSubmit(t);
        } catch (err) {
          setError(err instanceof Error ? err.message : String((err as { message?: string })?.message ?? err));
          setSaving(false);
        }
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          props.onCancel();
        }
      }}
    >
      <label className="secs__formlabel" htmlFor="outline-title">
        {props.label}
      </label>
      <input id="outline-title" ref={input} value={title} maxLength={300} onChange={(e) => setTitle(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? 'outline-title-error' : undefined} />
      {error && (
        <p className="secs__error" id="outline-title-error">
          {error}
        </p>
      )}
      <div className="secs__formbtns">
        <button type="submit" className="re-btn re-btn--primary re-btn--small" disabled={saving}>
          {props.submitLabel}
        </button>
        <button type="button" className="re-btn re-btn--quiet re-btn--small" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
