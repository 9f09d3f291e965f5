import type { FigureDef } from '../../../../shared/figures/types';

/**
 * The row under the builder: delete (asking first) for a figure already in the library, and save. The save button
 * submits the builder's form.
 */
export function BuilderActions(props: {
  existing: FigureDef | null;
  confirmingDelete: boolean;
  saving: boolean;
  onAskToDelete: () => void;
  onDelete: () => void;
  onKeep: () => void;
}) {
  const { existing } = props;
  return (
    <div className="builder__actions">
      {existing && !props.confirmingDelete && (
        <button type="button" className="btn btn--danger-ghost" onClick={props.onAskToDelete}>
          Delete figure
        </button>
      )}
      {existing && props.confirmingDelete && (
        <span className="confirm" role="group" aria-label="Confirm deletion">
          <span>Delete “{existing.name}”?</span>
          <button type="button" className="btn btn--danger btn--small" onClick={props.onDelete}>
            Delete
          </button>
          <button type="button" className="btn btn--secondary btn--small" onClick={props.onKeep}>
            Keep
          </button>
        </span>
      )}
      <span className="spacer" />
      <button type="submit" className="btn btn--primary" disabled={props.saving}>
        {props.saving ? 'Saving…' : existing ? 'Save figure' : 'Add to library'}
      </button>
    </div>
  );
}
