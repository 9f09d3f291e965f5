import type { FigureFormat } from '../../../../shared/figures/types';
import { Field, FieldGroup } from '../../ui/Field';

/** How the figure's numbers are written: style, decimal places, and the disclosure threshold. */
export function FormatFields(props: { format: FigureFormat; onChange: (change: Partial<FigureFormat>) => void }) {
  const { format, onChange } = props;
  return (
    <FieldGroup legend="Format" className="filters-group">
      <div className="form-grid form-grid--3">
        <Field label="Style">
          {(c) => (
            <select {...c} className="select" value={format.style ?? ''} onChange={(e) => onChange({ style: (e.target.value || undefined) as FigureFormat['style'] })}>
              <option value="">Automatic</option>
              <option value="percent">Percent (79%)</option>
              <option value="number">Number (1,234)</option>
              <option value="compact">Compact (1.2 million)</option>
              <option value="points">Percentage points</option>
              <option value="direction">Direction words (rose, fell)</option>
              <option value="text">Text</option>
            </select>
          )}
        </Field>
        <Field label="Decimal places">
          {(c) => (
            <input
              {...c}
              className="input"
              type="number"
              min={0}
              max={6}
              value={format.decimals ?? ''}
              onChange={(e) => onChange({ decimals: e.target.value === '' ? undefined : Math.max(0, Math.min(6, Number(e.target.value))) })}
            />
          )}
        </Field>
        <Field label="Suppress below" optional hint="Counts under this are not shown">
          {(c) => (
            <input
              {...c}
              className="input"
              type="number"
              min={0}
              value={format.suppressBelow ?? ''}
              onChange={(e) => onChange({ suppressBelow: e.target.value === '' ? undefined : Math.max(0, Number(e.target.value)) })}
            />
          )}
        </Field>
      </div>
    </FieldGroup>
  );
}
