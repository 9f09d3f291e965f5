import { useState } from 'react';
import { useRequest } from '../../lib/api';
import { ErrorNotice, LoadingBlock } from '../../ui/bits';
import './blackline.css';

/**
 * The blackline of numbers: for an edition made from another, every figure whose printed value differs between the two
 * (old → new) in document order, each one click from its place in the text, and sentences whose direction word no
 * longer fits the numbers they quote. Collapsible, so it does not take the writing space.
 */
export function BlacklinePanel(props: { reportId: string; previousTitle: string; onShow: (sectionId: string, figureIndex: number) => void }) {
  const res = useRequest('reports.blackline', { id: props.reportId });
  const [open, setOpen] = useState(true);
  const b = res.data;
  const count = b ? b.items.length : undefined;
  return (
    <section className={`blackline${open ? ' blackline--open' : ''}`} aria-label="Numbers that moved" data-testid="blackline">
      <button type="button" className="blackline__toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        <span className="blackline__title">
          Numbers that moved since “{props.previousTitle}”
          {b && (
            <>
              : {count} of {b.compared} figures
              {b.flags.length > 0 && `, ${b.flags.length} direction word${b.flags.length === 1 ? '' : 's'} to check`}
            </>
          )}
        </span>
        <span aria-hidden="true">{open ? '▾' : '▸'}</span>
      </button>
      {open && (
        <div className="blackline__body">
          {res.status === 'error' && <ErrorNotice error={res.error} onRetry={res.reload} />}
          {!b && res.status !== 'error' && <LoadingBlock label="Comparing every figure with the last edition" />}
          {b && b.flags.length > 0 && (
            <ul className="blackline__flags" aria-label="Direction words that no longer fit">
              {b.flags.map((f) => (
                <li key={`${f.sectionId}:${f.paragraph}:${f.sentence}`} className="blackline__flag">
                  <strong>{f.sectionTitle}</strong>, paragraph {f.paragraph}: “{f.word}” but the change now {f.now === 'up' ? 'rises' : f.now === 'down' ? 'falls' : 'is nil'}
                  {f.fittedBefore ? ' (it fitted last edition)' : ''}. <span className="blackline__text">“{f.text.length > 160 ? `${f.text.slice(0, 157)}…` : f.text}”</span>
                </li>
              ))}
            </ul>
          )}
          {b && b.items.length === 0 && <p className="muted">No figure prints a different number from the last edition.</p>}
          {b && b.items.length > 0 && (
            <ol className="blackline__items">
              {b.items.map((i) => (
                <li key={`${i.sectionId}:${i.figureIndex}`}>
                  <button type="button" className="blackline__item" onClick={() => props.onShow(i.sectionId, i.figureIndex)}>
                    <span className="blackline__where">
                      {i.sectionTitle}, paragraph {i.paragraph}
                    </span>
                    <span className="blackline__name">
                      {i.name}
                      {i.display !== 'inline' ? ` (${i.display})` : ''}
                    </span>
                    <span className="blackline__change">
                      <del>{i.before}</del> → <ins>{i.after}</ins>
                    </span>
                  </button>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
