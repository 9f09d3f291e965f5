import { memo, useMemo } from 'react';
import type { EvaluatedFigure } from '../../../../shared/ipc/contract';
import type { FigureDef } from '../../../../shared/figures/types';
import { chartAltText, chartModel } from '../../../../shared/charts/model';
import { renderChartSvg, type ChartLook } from '../../../../shared/charts/render';
import { ResultTable } from '../../ui/ResultTable';
import { shownFigure, useCell, useFigureEntry, useIsSelected, useServices } from '../store';
import { useSelectNode } from './useSelectNode';
import { figureStateOf, STATE_LABELS } from './state';

// The house look on screen matches the exports (same chart builder), so what an editor sees is what gets printed.
const LOOK: ChartLook = {
  palette: ['#12365c', '#e08a00', '#56b4e9', '#7a2e8e', '#8c8c8c', '#009e73'],
  fontFamily: 'system-ui, "Segoe UI", Roboto, Arial, sans-serif',
  textColour: '#1f2328',
  mutedColour: '#4f5661',
  ruleColour: '#8a939e',
};

/** A figure table or chart as a block, with caption, state and source line. */
export const FigureBlockView = memo(function FigureBlockView(props: {
  nodeKey: string;
  figureId: string;
  refKey: string;
  display: 'table' | 'chart';
  caption: string | undefined;
  /** A chart's title stating its finding: shown first, the caption under it. */
  finding?: string | undefined;
}) {
  const { nodeKey, figureId, refKey, display, caption, finding } = props;
  const services = useServices();
  const entry = useFigureEntry(services, refKey);
  const def = useCell(services.defs).get(figureId);
  const selected = useIsSelected(services, nodeKey);
  const select = useSelectNode(nodeKey);
  const figure = shownFigure(entry);
  const state = figureStateOf(entry);
  const title = caption ?? def?.name ?? 'Figure';
  const outside = figure?.result.coverage && !figure.result.coverage.ok ? figure.result.coverage.message : undefined;

  return (
    <figure
      className={`fb fb--${state}${outside ? ' fb--outside' : ''}${selected ? ' fb--selected' : ''}`}
      title={outside}
      data-figure-id={figureId}
      data-ref-key={refKey}
      data-state={state}
      onMouseDown={select}
      onMouseEnter={() => services.hoverOut()}
    >
      <figcaption className="fb__caption">
        <span className="fb__kind">{display === 'chart' ? 'Chart' : 'Table'}</span>
        <span className="fb__title">{finding ?? title}</span>
        <span className={`badge badge--${state}`}>{STATE_LABELS[state]}</span>
        {finding && <span className="fb__subtitle">{title}</span>}
      </figcaption>
      {outside && (
        <p className="fb__message fb__message--outside" role="note">
          {outside}
        </p>
      )}
      <div className="fb__body">
        {entry?.status === 'error' && !figure ? (
          <p className="fb__message fb__message--error">This figure could not be calculated: {entry.message}</p>
        ) : !figure ? (
          <p className="fb__message">Calculating…</p>
        ) : figure.result.error ? (
          <p className="fb__message fb__message--error">This figure could not be calculated: {figure.result.error}</p>
        ) : display === 'chart' ? (
          <ChartBody figure={figure} def={def} title={title} />
        ) : (
          <TableBody figure={figure} />
        )}
      </div>
      {figure && (
        <p className="fb__source">
          Source: {def ? `figure “${def.slug}”` : figureId}; {figure.result.provenance.rowsRead.toLocaleString('en-GB')} rows read from{' '}
          {figure.result.provenance.tables.join(', ') || 'no tables'}.
        </p>
      )}
    </figure>
  );
});

function TableBody({ figure }: { figure: EvaluatedFigure }) {
  if (!figure.result.columns?.length) return <p className="fb__message">{figure.result.formatted || 'No rows.'}</p>;
  return <ResultTable result={figure.result} wrapClass="fb__tablewrap" tableClass="fb__table" messageClass="fb__message" rowHeaders />;
}

function ChartBody({ figure, def, title }: { figure: EvaluatedFigure; def: FigureDef | undefined; title: string }) {
  const drawn = useMemo(() => {
    try {
      const model = chartModel(figure.result, def?.chart, title);
      return { ok: true as const, svg: renderChartSvg(model, LOOK, 640).svg, alt: chartAltText(model) };
    } catch (e) {
      return { ok: false as const, message: e instanceof Error ? e.message : String(e) };
    }
  }, [figure, def, title]);
  if (!drawn.ok) return <p className="fb__message fb__message--error">{drawn.message}</p>;
  return (
    <div className="fb__chart" role="img" aria-label={drawn.alt}>
      {/* The SVG comes from our own chart builder over figure data; echarts escapes text it writes into SVG. */}
      <div dangerouslySetInnerHTML={{ __html: drawn.svg }} />
    </div>
  );
}
