import { memo } from 'react';
import { figureText, shownFigure, useCell, useFigureEntry, useIsSelected, useServices } from '../store';
import { useSelectNode } from './useSelectNode';
import { figureStateOf, STATE_WORDS } from './state';

/**
 * The inline face of a live figure. Memoised on its props and subscribed to its own figure key only, so typing
 * elsewhere in a section of hundreds of figures re-renders none of them, and a live update re-renders only those whose
 * value changed.
 */
export const LiveFigureView = memo(function LiveFigureView(props: { nodeKey: string; figureId: string; refKey: string; part: string | undefined }) {
  const { nodeKey, figureId, refKey, part } = props;
  const services = useServices();
  const entry = useFigureEntry(services, refKey);
  const selected = useIsSelected(services, nodeKey);
  const figure = shownFigure(entry);
  const state = figureStateOf(entry);
  const text = figureText(figure, part);
  const changedAt = entry?.status === 'ready' ? entry.changedAt : undefined;
  const name = useCell(services.defs).get(figureId)?.name;
  // A date outside what the data covers gives a confident wrong number: marked whatever the approval state.
  const outside = figure?.result.coverage && !figure.result.coverage.ok ? figure.result.coverage.message : undefined;

  const select = useSelectNode(nodeKey);

  return (
    <span
      className={`lf lf--${state}${outside ? ' lf--outside' : ''}${selected ? ' lf--selected' : ''}`}
      title={outside}
      data-figure-id={figureId}
      data-ref-key={refKey}
      data-state={state}
      data-lexical-node-key={nodeKey}
      onMouseEnter={() => services.hoverIn({ nodeKey, refKey, figureId, ...(part ? { part } : {}) })}
      onMouseLeave={() => services.hoverOut()}
      onMouseDown={select}
    >
      {/* Keyed by the time of the last live change so the highlight animation restarts on every change. */}
      <span key={changedAt ?? 0} className={changedAt ? 'lf__value lf__value--changed' : 'lf__value'}>
        {text}
      </span>
      {(state === 'stale' || outside) && (
        <span className="lf__flag" aria-hidden="true">
          !
        </span>
      )}
      <span className="visually-hidden">
        {` (live figure${name ? ` “${name}”` : ''}: ${STATE_WORDS[state]}${outside ? `; outside what the data covers: ${outside}` : ''})`}
      </span>
    </span>
  );
});
