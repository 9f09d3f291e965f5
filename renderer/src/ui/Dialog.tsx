import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A modal built on the native <dialog>: the browser traps focus, handles Escape and makes the rest of the page inert,
 * which is sturdier than re-implementing any of it.
 */
export function Dialog(props: {
  title: string;
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  size?: 'small' | 'medium' | 'large';
  /** The first-run prompt cannot be dismissed: the app needs a name for the audit log. */
  dismissable?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const dismissable = props.dismissable !== false;
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog dialog--${props.size ?? 'medium'}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        if (dismissable) props.onClose();
      }}
    >
      <div className="dialog__header">
        <h2 id={titleId} className="dialog__title">
          {props.title}
        </h2>
        {dismissable && (
          <button type="button" className="icon-btn" onClick={props.onClose} aria-label="Close">
            <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16">
              <path d="M3.5 3.5l9 9M12.5 3.5l-9 9" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            </svg>
          </button>
        )}
      </div>
      {props.description && <div className="dialog__description">{props.description}</div>}
      <div className="dialog__body">{props.children}</div>
      {props.footer && <div className="dialog__footer">{props.footer}</div>}
    </dialog>
  );
}

/** The form inside a form dialog: the browser's own validation is off (ours shows beside the fields), and submitting runs `onSubmit`. */
export function DialogForm(props: { id: string; onSubmit: () => Promise<void> | void; children: ReactNode }) {
  return (
    <form
      id={props.id}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void props.onSubmit();
      }}
    >
      {props.children}
    </form>
  );
}

/** The footer of a dialog that wraps a form: Cancel, and the submit button for the form with id `form`. */
export function FormDialogFooter(props: { form: string; onCancel: () => void; busy: boolean; disabled?: boolean; label: string; busyLabel?: string }) {
  return (
    <>
      <button type="button" className="btn btn--secondary" onClick={props.onCancel}>
        Cancel
      </button>
      <button type="submit" form={props.form} className="btn btn--primary" disabled={props.busy || props.disabled}>
        {props.busy ? (props.busyLabel ?? 'Saving…') : props.label}
      </button>
    </>
  );
}
