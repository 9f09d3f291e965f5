import { useRef } from 'react';
import { Field } from '../../ui/Field';

/**
 * A plain textarea with a line-number gutter: analysts paste and edit queries; the engine's error is shown right
 * under the query, and the line it names (when it names one) is marked in the gutter.
 */
export function SqlEditor(props: { value: string; onChange: (v: string) => void; error?: string }) {
  const lines = props.value.split('\n').length;
  const gutter = useRef<HTMLDivElement>(null);
  const badLine = props.error ? Number(/line (\d+)/i.exec(props.error)?.[1] ?? 0) : 0;
  return (
    <Field label="SQL query" hint="One SELECT or WITH statement. Use :name or $name for parameters such as $asAt. It runs read-only, with a row and time limit. Tab indents; press Esc, then Tab, to move on." error={props.error}>
      {(c) => (
        <div className={`sql-editor${props.error ? ' sql-editor--error' : ''}`}>
          <div className="sql-editor__gutter" ref={gutter} aria-hidden="true">
            {Array.from({ length: lines }, (_, i) => (
              <div key={i} className={i + 1 === badLine ? 'sql-editor__line--bad' : undefined}>
                {i + 1}
              </div>
            ))}
          </div>
          <textarea
            {...c}
            className="sql-editor__text"
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            wrap="off"
            rows={Math.max(8, Math.min(24, lines + 1))}
            value={props.value}
            onChange={(e) => props.onChange(e.target.value)}
            onScroll={(e) => {
              if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
            }}
            onKeyDown={(e) => {
              // Tab indents inside the query; Escape then Tab leaves the editor, so keyboard users are never trapped.
              if (e.key === 'Tab' && !e.shiftKey && !e.currentTarget.dataset.escaped) {
                e.preventDefault();
                const t = e.currentTarget;
                const { selectionStart: s, selectionEnd: end } = t;
                const next = `${t.value.slice(0, s)}  ${t.value.slice(end)}`;
                props.onChange(next);
                requestAnimationFrame(() => t.setSelectionRange(s + 2, s + 2));
              } else if (e.key === 'Escape') {
                e.currentTarget.dataset.escaped = '1';
              } else if (e.key !== 'Tab') {
                delete e.currentTarget.dataset.escaped;
              }
            }}
          />
        </div>
      )}
    </Field>
  );
}

