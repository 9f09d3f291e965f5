import { useMemo, useReducer } from 'react';
import type { FigureDef } from '../../../../shared/figures/types';
import { ErrorSummary } from '../../ui/Field';
import { BuilderActions } from './BuilderActions';
import { builderReducer, loadFigure, type BuilderMode } from './builderState';
import { DetailsFields } from './DetailsFields';
import { FormatFields } from './FormatFields';
import { PreviewPane } from './PreviewPane';
import { paramsIn, paramsInSpec, toSpec } from './spec';
import { SqlEditor } from './SqlEditor';
import { StructuredSpecForm, useSpecChoices } from './StructuredSpecForm';
import { useFigureActions } from './useFigureActions';
import { useLivePreview, usePreviewParams } from './useLivePreview';

/** Field names as the error summary calls them. */
const LABELS: Record<string, string> = { name: 'Name', slug: 'Slug', kind: 'Kind', spec: 'Definition', sql: 'SQL', format: 'Format', description: 'Description' };

/**
 * Builds or edits one figure: its details, its definition (the structured form or SQL), its format, and a live
 * preview beside them. The state and its named changes are in builderState.ts; each part of the page is its own file.
 */
export function FigureBuilder(props: { existing: FigureDef | null; initialMode: BuilderMode; onSaved: (id: string) => void; onDeleted: () => void }) {
  const { existing } = props;
  const [state, dispatch] = useReducer(builderReducer, null, () => loadFigure(existing, props.initialMode));
  const { mode, spec, sql, kind } = state;
  const choices = useSpecChoices();

  const specJson = useMemo(() => toSpec(spec), [spec]);
  const paramNames = useMemo(() => (mode === 'sql' ? paramsIn(sql) : paramsInSpec(specJson)), [mode, sql, specJson]);
  const params = usePreviewParams(paramNames, state.params);
  const { preview, previewing } = useLivePreview({ kind, mode, spec: specJson, sql, format: state.format, params });
  const sqlError = mode === 'sql' ? (preview.result?.error ?? preview.error) : undefined;

  const { save, remove } = useFigureActions({ state, dispatch, existing, specJson, onSaved: props.onSaved, onDeleted: props.onDeleted });

  return (
    <form
      className="builder"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="builder__head">
        <div>
          <div className="page-header__eyebrow">{existing ? 'Edit figure' : 'New figure'}</div>
          <h2 className="builder__title">{state.name.trim() || (existing ? existing.name : 'Untitled figure')}</h2>
        </div>
        <div className="segmented" role="group" aria-label="How the figure is defined">
          <button type="button" className="segmented__btn" aria-pressed={mode === 'structured'} onClick={() => dispatch({ type: 'setMode', mode: 'structured' })}>
            Form
          </button>
          <button type="button" className="segmented__btn" aria-pressed={mode === 'sql'} onClick={() => dispatch({ type: 'setMode', mode: 'sql' })}>
            SQL
          </button>
        </div>
      </div>
      <ErrorSummary message={state.message} errors={state.errors} labels={LABELS} />
      <div className="builder__grid">
        <div className="builder__form">
          <DetailsFields state={state} dispatch={dispatch} />
          {mode === 'structured' ? (
            <StructuredSpecForm spec={spec} errors={state.errors} choices={choices} dispatch={dispatch} />
          ) : (
            <SqlEditor value={sql} onChange={(v) => dispatch({ type: 'setSql', sql: v })} error={state.errors.sql ?? sqlError} />
          )}
          <FormatFields format={state.format} onChange={(change) => dispatch({ type: 'setFormat', format: change })} />
        </div>
        <PreviewPane
          paramNames={paramNames}
          params={params}
          onParam={(name, value) => dispatch({ type: 'setParam', name, value })}
          preview={preview}
          previewing={previewing}
          showRequestError={mode === 'structured'}
          chart={(existing?.chart ?? null) || (kind === 'chart' ? { type: 'bar', orientation: 'horizontal' } : null)}
          title={state.name}
        />
      </div>
      <BuilderActions
        existing={existing}
        confirmingDelete={state.confirmingDelete}
        saving={state.saving}
        onAskToDelete={() => dispatch({ type: 'askToDelete' })}
        onDelete={() => void remove()}
        onKeep={() => dispatch({ type: 'keepFigure' })}
      />
    </form>
  );
}
