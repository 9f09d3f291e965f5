import type { ChartOptions } from '../../../../shared/figures/types';
import { Field, FieldGroup } from '../../ui/Field';
import { FigurePreview } from './Preview';
import type { LivePreview } from './useLivePreview';

/**
 * The builder's right-hand pane: values to try for the figure's parameters, and the live preview (computed by
 * useLivePreview). In SQL mode the engine's error is shown under the query instead, so it is not repeated here.
 */
export function PreviewPane(props: {
  paramNames: string[];
  params: Record<string, string>;
  onParam: (name: string, value: string) => void;
  preview: LivePreview;
  previewing: boolean;
  showRequestError: boolean;
  chart: ChartOptions | null;
  title: string;
}) {
  return (
    <aside className="builder__preview" aria-label="Live preview">
      {props.paramNames.length > 0 && (
        <FieldGroup legend="Parameters for the preview" hint="Reports supply these; here you try values.">
          <div className="form-grid">
            {props.paramNames.map((p) => (
              <Field key={p} label={`$${p}`}>
                {(c) => <input {...c} className="input mono" value={props.params[p] ?? ''} placeholder="yyyy-mm-dd" onChange={(e) => props.onParam(p, e.target.value)} />}
              </Field>
            ))}
          </div>
        </FieldGroup>
      )}
      <FigurePreview result={props.preview.result} requestError={props.showRequestError ? props.preview.error : undefined} loading={props.previewing} chart={props.chart} title={props.title} />
    </aside>
  );
}
