import { useEffect, useState } from 'react';
import { ResultTable } from '../../ui/ResultTable';
import type { ChartOptions, FigureResult } from '../../../../shared/figures/types';
import { formatNumber } from '../../lib/format';
import { LoadingBlock } from '../../ui/bits';

/** The chart look of the app: the same palette as the rating badges, readable without colour thanks to the patterns. */
const LOOK = {
  palette: ['#1d5b8f', '#2e7d4f', '#b36b00', '#a4262c', '#5c4d99', '#4a5a6a'],
  fontFamily: 'system-ui, "Segoe UI", Roboto, Arial, sans-serif',
  textColour: '#1f2933',
  mutedColour: '#52606d',
  ruleColour: '#d9dee3',
};

export function FigurePreview(props: { result: FigureResult | null; loading: boolean; requestError?: string; chart: ChartOptions | null; title: string }) {
  const { result } = props;
  if (props.requestError)
    return (
      <div className="preview preview--error" role="alert">
        <div className="preview__label">The preview could not run</div>
        <p>{props.requestError}</p>
      </div>
    );
  if (!result) return <div className="preview">{props.loading ? <LoadingBlock label="Computing…" /> : <p className="muted">The preview appears here as you build the figure.</p>}</div>;
  if (result.error)
    return (
      <div className="preview preview--error" role="alert" data-testid="preview-error">
        <div className="preview__label">This figure cannot be computed yet</div>
        <p className="preview__error-text">{result.error}</p>
      </div>
    );
  return (
    <div className={`preview${props.loading ? ' preview--stale' : ''}`} aria-busy={props.loading} data-testid="figure-preview">
      <div className="preview__label">Preview{props.loading ? ' (updating…)' : ''}</div>
      {result.kind === 'value' || !result.rows?.length ? (
        <div className="preview__value" data-testid="preview-value">
          {result.formatted}
          {result.suppressed && <span className="preview__note">suppressed: below the disclosure threshold</span>}
        </div>
      ) : null}
      {result.numerator !== undefined && result.denominator !== undefined && (
        <p className="muted small">
          {formatNumber(result.numerator)} of {formatNumber(result.denominator)} {result.countOf ?? 'rated locations'}
        </p>
      )}
      {result.parts && Object.keys(result.parts).length > 0 && (
        <dl className="parts">
          {Object.entries(result.parts).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v === null ? '–' : String(v)}</dd>
            </div>
          ))}
        </dl>
      )}
      {result.kind === 'chart' && result.rows?.length ? <ChartImage result={result} chart={props.chart} title={props.title} /> : null}
      {result.columns && result.rows && result.rows.length > 0 && <ResultTable result={result} wrapClass="table-wrap table-wrap--preview" tableClass="table table--compact table--sticky" messageClass="muted small" />}
      <details className="provenance">
        <summary>Provenance</summary>
        <dl className="facts facts--stack">
          <div>
            <dt>Tables read</dt>
            <dd>{result.provenance.tables.join(', ') || '–'}</dd>
          </div>
          <div>
            <dt>Rows read</dt>
            <dd>{formatNumber(result.provenance.rowsRead)}</dd>
          </div>
          <div>
            <dt>Data fingerprint</dt>
            <dd className="mono">{result.provenance.fingerprint.slice(0, 16)}</dd>
          </div>
          <div>
            <dt>Parameters</dt>
            <dd className="mono">{JSON.stringify(result.provenance.params)}</dd>
          </div>
        </dl>
        <pre className="code-block">{result.provenance.sql}</pre>
      </details>
    </div>
  );
}

/**
 * Draws the chart with the exporters' own renderer, so the preview is the chart the report will print. Loaded on
 * demand: echarts is large and only the figure builder needs it.
 */
function ChartImage(props: { result: FigureResult; chart: ChartOptions | null; title: string }) {
  const [svg, setSvg] = useState<{ url: string; alt: string } | { error: string } | null>(null);
  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const [{ chartModel, chartAltText }, { renderChartSvg }] = await Promise.all([import('../../../../shared/charts/model'), import('../../../../shared/charts/render')]);
        const model = chartModel(props.result, props.chart, props.title || 'Figure');
        const out = renderChartSvg(model, LOOK, 560);
        if (live) setSvg({ url: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(out.svg)}`, alt: chartAltText(model) });
      } catch (e) {
        if (live) setSvg({ error: e instanceof Error ? e.message : String(e) });
      }
    })();
    return () => {
      live = false;
    };
  }, [props.result, props.chart, props.title]);
  if (!svg) return <LoadingBlock label="Drawing chart…" />;
  if ('error' in svg) return <p className="field__error">The chart could not be drawn: {svg.error}</p>;
  return <img className="preview__chart" src={svg.url} alt={svg.alt} />;
}
