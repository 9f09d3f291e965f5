import type { ReactNode } from 'react';
import type { IpcError } from '../../../shared/ipc/contract';

export function Spinner(props: { label?: string; inline?: boolean }) {
  return (
    <span className={`spinner${props.inline ? ' spinner--inline' : ''}`} role="status">
      <span className="spinner__ring" aria-hidden="true" />
      <span className={props.inline ? 'visually-hidden' : 'spinner__label'}>{props.label ?? 'Loading…'}</span>
    </span>
  );
}

export function LoadingBlock(props: { label?: string }) {
  return (
    <div className="loading-block">
      <Spinner label={props.label ?? 'Loading…'} />
    </div>
  );
}

export function EmptyState(props: { title: string; children?: ReactNode; action?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="empty-state">
      <div className="empty-state__icon" aria-hidden="true">
        {props.icon ?? (
          <svg width="40" height="40" viewBox="0 0 40 40" fill="none">
            <rect x="6" y="9" width="28" height="22" rx="3" stroke="currentColor" strokeWidth="2" />
            <path d="M6 16h28" stroke="currentColor" strokeWidth="2" />
          </svg>
        )}
      </div>
      <h3 className="empty-state__title">{props.title}</h3>
      {props.children && <div className="empty-state__text">{props.children}</div>}
      {props.action && <div className="empty-state__action">{props.action}</div>}
    </div>
  );
}

export function ErrorNotice(props: { error: IpcError; onRetry?: () => void }) {
  return (
    <div className="notice notice--error" role="alert">
      <strong>Something went wrong.</strong> {props.error.message}
      {props.onRetry && (
        <button type="button" className="btn btn--small btn--secondary notice__action" onClick={props.onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** What a request shows before its data arrives: the error with a retry, or a spinner. */
export function RequestPending(props: { req: { status: string; error?: IpcError; reload: () => void }; label?: string }) {
  const { req } = props;
  return req.status === 'error' && req.error ? <ErrorNotice error={req.error} onRetry={req.reload} /> : <LoadingBlock label={props.label} />;
}

/** Rating colours are paired with a text label, never colour alone, and each pair passes WCAG AA. */
const RATING_CLASS: Record<string, string> = {
  Outstanding: 'outstanding',
  Good: 'good',
  'Requires improvement': 'ri',
  Inadequate: 'inadequate',
};
export function RatingBadge(props: { rating: string | null | undefined }) {
  if (!props.rating) return <span className="muted">Not rated</span>;
  const c = RATING_CLASS[props.rating] ?? 'other';
  return (
    <span className={`rating rating--${c}`}>
      <span className="rating__dot" aria-hidden="true" />
      {props.rating}
    </span>
  );
}

export function Tag(props: { tone?: 'neutral' | 'info' | 'success' | 'warning' | 'danger' | 'accent'; children: ReactNode; title?: string }) {
  return (
    <span className={`tag tag--${props.tone ?? 'neutral'}`} title={props.title}>
      {props.children}
    </span>
  );
}

export function SensitivityTag(props: { sensitivity: string }) {
  const tone = props.sensitivity === 'public' ? 'success' : props.sensitivity === 'official' ? 'info' : 'danger';
  return <Tag tone={tone}>{props.sensitivity.replace(/^./, (c) => c.toUpperCase())}</Tag>;
}

export function PageHeader(props: { title: string; description?: ReactNode; actions?: ReactNode; eyebrow?: string }) {
  return (
    <header className="page-header">
      <div>
        {props.eyebrow && <div className="page-header__eyebrow">{props.eyebrow}</div>}
        <h1 className="page-header__title" tabIndex={-1} data-page-title>
          {props.title}
        </h1>
        {props.description && <p className="page-header__description">{props.description}</p>}
      </div>
      {props.actions && <div className="page-header__actions">{props.actions}</div>}
    </header>
  );
}

/** The small "Edit" button at the end of a list row; `label` names what it edits for screen readers. */
/** A titled card on a dashboard: a section labelled by its heading, with an optional action beside the title. */
export function Card(props: { id: string; title: string; action?: ReactNode; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={props.id}>
      <div className="card__header">
        <h2 id={props.id} className="card__title">
          {props.title}
        </h2>
        {props.action}
      </div>
      {props.children}
    </section>
  );
}

export function EditButton(props: { label: string; onClick: () => void; disabled?: boolean }) {
  return (
    <button type="button" className="btn btn--small btn--ghost" onClick={props.onClick} disabled={props.disabled} aria-label={props.label}>
      <Icon name="edit" size={15} /> Edit
    </button>
  );
}

export function Icon(props: { name: keyof typeof ICONS; size?: number }) {
  const s = props.size ?? 18;
  return (
    <svg aria-hidden="true" width={s} height={s} viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
      {ICONS[props.name]}
    </svg>
  );
}

const ICONS = {
  home: <path d="M3 9.5L10 3.5l7 6M5 8v8.5h4V12h2v4.5h4V8" />,
  data: (
    <>
      <ellipse cx="10" cy="5" rx="6" ry="2.5" />
      <path d="M4 5v10c0 1.4 2.7 2.5 6 2.5s6-1.1 6-2.5V5M4 10c0 1.4 2.7 2.5 6 2.5s6-1.1 6-2.5" />
    </>
  ),
  reports: (
    <>
      <path d="M5 2.5h7l3.5 3.5v11.5H5z" />
      <path d="M12 2.5V6h3.5M7.5 10h5M7.5 13h5" />
    </>
  ),
  figures: (
    <>
      <path d="M3 17h14" />
      <path d="M5.5 17V10M10 17V5M14.5 17v-4.5" strokeWidth="2.4" />
    </>
  ),
  evidence: (
    <>
      <path d="M4 3.5h8.5L16 7v9.5H4z" />
      <circle cx="9.5" cy="11" r="2.5" />
      <path d="M11.3 12.8l2.2 2.2" />
    </>
  ),
  plus: <path d="M10 4v12M4 10h12" />,
  search: (
    <>
      <circle cx="8.5" cy="8.5" r="5" />
      <path d="M12.5 12.5L17 17" />
    </>
  ),
  import: <path d="M10 3v9M6.5 8.5L10 12l3.5-3.5M4 14.5V17h12v-2.5" />,
  export: <path d="M10 12V3M6.5 6.5L10 3l3.5 3.5M4 14.5V17h12v-2.5" />,
  check: <path d="M4.5 10.5l3.5 3.5 7.5-8" />,
  user: (
    <>
      <circle cx="10" cy="7" r="3.2" />
      <path d="M3.8 17c.8-3.2 3.3-4.8 6.2-4.8s5.4 1.6 6.2 4.8" />
    </>
  ),
  save: <path d="M4 3.5h9.5L16.5 6.5V16.5h-12.5zM7 3.5v4h6v-4M7 16.5v-5h6v5" />,
  back: <path d="M12 4.5L6.5 10 12 15.5" />,
  close: <path d="M5 5l10 10M15 5L5 15" />,
  edit: <path d="M4 16l1-4 8.5-8.5 3 3L8 15zM11.5 5.5l3 3" />,
  folder: <path d="M2.5 5.5h5l1.5 2h8.5v9h-15z" />,
  paperclip: <path d="M14.5 9l-5.2 5.2a3 3 0 01-4.3-4.2l6-6a2 2 0 012.9 2.8l-5.9 6a1 1 0 01-1.4-1.4l5.1-5.1" />,
  clock: (
    <>
      <circle cx="10" cy="10" r="7" />
      <path d="M10 6v4l2.5 2" />
    </>
  ),
} as const;
