import type { Dispatch } from 'react';
import type { FigureDef } from '../../../../shared/figures/types';
import { call, toIpcError } from '../../lib/api';
import { useToast } from '../../ui/Toast';
import { validateFigure, type BuilderAction, type BuilderState } from './builderState';

/**
 * Saving and deleting the figure. A save is checked first (validateFigure); problems the host finds come back by
 * field too, so both are shown beside the fields they concern. Anything else is one message in the summary.
 */
export function useFigureActions(props: {
  state: BuilderState;
  dispatch: Dispatch<BuilderAction>;
  existing: FigureDef | null;
  specJson: Record<string, unknown>;
  onSaved: (id: string) => void;
  onDeleted: () => void;
}): { save: () => Promise<void>; remove: () => Promise<void> } {
  const { state, dispatch, existing } = props;
  const toast = useToast();

  const save = async () => {
    const problems = validateFigure(state);
    dispatch({ type: 'validated', errors: problems });
    if (Object.keys(problems).length) return;
    dispatch({ type: 'saveStarted' });
    const name = state.name.trim();
    try {
      const r = await call('figures.save', {
        id: existing?.id,
        slug: state.slug,
        name,
        description: state.description.trim() || null,
        kind: state.kind,
        spec: state.mode === 'structured' ? props.specJson : null,
        sql: state.mode === 'sql' ? state.sql : null,
        format: state.format as Record<string, unknown>,
        chart: state.kind === 'chart' ? ((existing?.chart as Record<string, unknown> | null) ?? { type: 'bar', orientation: 'horizontal' }) : null,
      });
      toast(existing ? `Figure “${name}” saved` : `Figure “${name}” added to the library`);
      props.onSaved(r.id);
    } catch (e) {
      const err = toIpcError(e);
      // The host names fields by path (spec.measure); the form shows them against the top-level field.
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries(err.fields ?? {})) fields[k.split('.')[0]!] = v;
      dispatch({ type: 'saveFailed', errors: fields, message: Object.keys(fields).length ? undefined : err.message });
    } finally {
      dispatch({ type: 'saveSettled' });
    }
  };

  const remove = async () => {
    try {
      await call('figures.delete', { id: existing!.id });
      toast(`Figure “${existing!.name}” deleted`);
      props.onDeleted();
    } catch (e) {
      dispatch({ type: 'deleteFailed', message: toIpcError(e).message });
    }
  };

  return { save, remove };
}
