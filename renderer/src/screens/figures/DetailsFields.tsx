import type { Dispatch } from 'react';
import type { FigureKind } from '../../../../shared/figures/types';
import { Field, FieldGroup } from '../../ui/Field';
import type { BuilderAction, BuilderState } from './builderState';

const KIND_WORDS: Record<FigureKind, string> = { value: 'Value in a sentence', table: 'Table', chart: 'Chart' };

/** What the figure is called, how reports refer to it, what it is for, and whether it is a value, a table or a chart. */
export function DetailsFields(props: { state: BuilderState; dispatch: Dispatch<BuilderAction> }) {
  const { state, dispatch } = props;
  const { errors } = state;
  return (
    <>
      <div className="form-grid">
        <Field label="Name" error={errors.name}>
          {(c) => <input {...c} className="input" value={state.name} onChange={(e) => dispatch({ type: 'setName', name: e.target.value })} />}
        </Field>
        <Field label="Slug" error={errors.slug} hint="How reports and the CLI refer to it">
          {(c) => <input {...c} className="input mono" value={state.slug} onChange={(e) => dispatch({ type: 'setSlug', slug: e.target.value })} />}
        </Field>
      </div>
      <Field label="Description" optional error={errors.description}>
        {(c) => <textarea {...c} className="textarea" rows={2} value={state.description} onChange={(e) => dispatch({ type: 'setDescription', description: e.target.value })} />}
      </Field>
      <FieldGroup legend="Kind" error={errors.kind}>
        <div className="radios radios--inline">
          {(['value', 'table', 'chart'] as const).map((k) => (
            <label key={k} className="radio">
              <input type="radio" name="kind" checked={state.kind === k} onChange={() => dispatch({ type: 'setKind', kind: k })} />
              <span>{KIND_WORDS[k]}</span>
            </label>
          ))}
        </div>
      </FieldGroup>
    </>
  );
}
