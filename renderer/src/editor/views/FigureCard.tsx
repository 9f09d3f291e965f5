import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { COMMAND_PRIORITY_HIGH, KEY_ESCAPE_COMMAND } from 'lexical';
import { figureText, shownFigure, useCell, useFigureEntry, useServices, type CardTarget } from '../store';
import { figureStateOf } from './state';
import { CoverageWarning, Provenance, StateBadge, StateExplanation } from './Provenance';

/**
 * One card for the whole section, shown for the figure under the pointer or under the caret. A single card (instead of
 * one per figure) keeps each of hundreds of figures to a span and one subscription.
 */
export function FigureCard() {
  const services = useServices();
  const target = useCell(services.card);
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      editor.registerCommand(
        KEY_ESCAPE_COMMAND,
        () => {
          if (!services.card.get()) return false;
          services.card.set(null);
          return true;
        },
        COMMAND_PRIORITY_HIGH,
      ),
    [editor, services],
  );
  if (!target) return null;
  return <CardBody key={target.nodeKey} target={target} />;
}

function CardBody({ target }: { target: CardTarget }) {
  const services = useServices();
  const [editor] = useLexicalComposerContext();
  const entry = useFigureEntry(services, target.refKey);
  const def = useCell(services.defs).get(target.figureId);
  const evidence = useCell(services.evidence);
  const figure = shownFigure(entry);
  const state = figureStateOf(entry);
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<{ top: number; left: number; maxHeight: number } | null>(null);

  useLayoutEffect(() => {
    const place = () => {
      const anchor = editor.getElementByKey(target.nodeKey);
      const card = ref.current;
      if (!anchor || !card) return setPos(null);
      const a = anchor.getBoundingClientRect();
      const h = card.scrollHeight;
      const w = card.offsetWidth;
      // Below the figure when it fits (or when there is more room below); otherwise above. The card never covers the
      // figure and never runs off the window: it scrolls inside the space it has.
      const below = window.innerHeight - a.bottom - 16;
      const above = a.top - 16;
      const placeBelow = below >= Math.min(h, 320) || below >= above;
      const maxHeight = Math.max(160, placeBelow ? below : above);
      const shown = Math.min(h, maxHeight);
      const top = placeBelow ? a.bottom + 8 : a.top - 8 - shown;
      const left = Math.max(8, Math.min(a.left, window.innerWidth - w - 8));
      setPos({ top, left, maxHeight });
    };
    place();
    window.addEventListener('scroll', place, true);
    window.addEventListener('resize', place);
    return () => {
      window.removeEventListener('scroll', place, true);
      window.removeEventListener('resize', place);
    };
  }, [editor, target.nodeKey, figure]);

  return (
    <div
      ref={ref}
      className={`fcard fcard--${state}`}
      role="dialog"
      aria-label={`Live figure: ${def?.name ?? target.figureId}`}
      style={pos ? { top: pos.top, left: pos.left, maxHeight: pos.maxHeight } : { visibility: 'hidden', top: 0, left: 0 }}
      onMouseEnter={() => services.hoverHold()}
      onMouseLeave={() => services.hoverOut()}
      data-testid="figure-card"
    >
      <div className="fcard__head">
        <div className="fcard__value">{figureText(figure, target.part)}</div>
        <StateBadge state={state} />
      </div>
      <div className="fcard__name">{def?.name ?? target.figureId}</div>
      {def?.description && <p className="fcard__desc">{def.description}</p>}
      <StateExplanation figure={figure} state={state} />
      <CoverageWarning figure={figure} />
      {entry?.status === 'error' && <p className="prov__state prov__state--error">{entry.message}</p>}
      {figure?.result.error && <p className="prov__state prov__state--error">{figure.result.error}</p>}
      {figure && <Provenance figure={figure} evidence={evidence} compact />}
      <p className="fcard__hint">{target.reason === 'focus' ? 'Esc closes this card. ' : ''}Select the figure to change its parameters.</p>
    </div>
  );
}
