import type { SectionChanges as Changes, TextPart } from '../../../../shared/review/report';
import { condense } from '../../../../shared/review/diff';

/**
 * What changed in a section since its approval: the title, the text word by word (added passages underlined in green,
 * removed ones struck through in red, long unchanged passages shortened), the evidence cited and the figures, each at
 * the precision it is printed. Used by the review screen's "What changed" tab and the approval dialog.
 */
export function SectionChanges(props: { changes: Changes; context?: number }) {
  const c = props.changes;
  const citations = [...c.citations.added.map((x) => ({ ...x, kind: 'added' as const })), ...c.citations.removed.map((x) => ({ ...x, kind: 'removed' as const }))];
  const figures = [
    ...c.figures.added.map((x) => ({ ...x, kind: 'added' as const })),
    ...c.figures.removed.map((x) => ({ ...x, kind: 'removed' as const })),
    ...c.figures.changed.map((x) => ({ ...x, kind: 'changed' as const })),
  ];
  return (
    <div className="review-changes">
      {c.title && (
        <p>
          <span className="review-changes__label">Title</span> <del className="diff-del">{c.title.before}</del> <ins className="diff-ins">{c.title.after}</ins>
        </p>
      )}
      {c.text && (
        <div>
          <div className="review-changes__label">
            Text: {c.text.added ? `${c.text.added} passage${c.text.added === 1 ? '' : 's'} added` : 'nothing added'},{' '}
            {c.text.removed ? `${c.text.removed} removed` : 'nothing removed'}
          </div>
          <TextDiff parts={c.text.parts} context={props.context ?? 12} />
        </div>
      )}
      {citations.length > 0 && (
        <div>
          <div className="review-changes__label">Citations</div>
          <ul className="review-changes__list" data-testid="citation-changes">
            {citations.map((x, i) => (
              <li key={i} className={x.kind === 'added' ? 'diff-line--added' : 'diff-line--removed'}>
                {x.kind === 'added' ? 'Added: ' : 'Removed: '}
                <span className="review-strong">{x.title}</span>
                {x.locator ? ` (${x.locator})` : ''} <span className="list__meta">paragraph {x.paragraph}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {figures.length > 0 && (
        <div>
          <div className="review-changes__label">Figures</div>
          <ul className="review-changes__list" data-testid="figure-changes">
            {figures.map((x, i) => (
              <li key={i} className={x.kind === 'added' ? 'diff-line--added' : x.kind === 'removed' ? 'diff-line--removed' : ''}>
                {x.kind === 'added' ? 'Added: ' : x.kind === 'removed' ? 'Removed: ' : 'Changed: '}
                <span className="review-strong">
                  {x.name}
                  {x.part ? ` (${x.part})` : ''}
                </span>{' '}
                {x.kind === 'changed' ? x.change : x.kind === 'added' ? x.after : `was ${x.before}`} <span className="list__meta">paragraph {x.paragraph}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** The text word by word, long unchanged passages shortened to a few words either side of each change. */
export function TextDiff(props: { parts: readonly TextPart[]; context?: number }) {
  const parts = condense(props.parts, props.context ?? 12);
  return (
    <p className="text-diff" data-testid="text-diff">
      {parts.map((p, i) =>
        p.kind === 'added' ? (
          <ins key={i} className="diff-ins">
            {p.text}
          </ins>
        ) : p.kind === 'removed' ? (
          <del key={i} className="diff-del">
            {p.text}
          </del>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </p>
  );
}
