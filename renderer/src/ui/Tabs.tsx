import { useRef, type KeyboardEvent } from 'react';

/** WAI-ARIA tabs with automatic activation: arrows move and select, Home/End jump to the ends. */
export function Tabs<T extends string>(props: { label: string; tabs: { id: T; label: string; count?: number }[]; value: T; onChange: (id: T) => void; idPrefix: string }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (e: KeyboardEvent, i: number) => {
    const n = props.tabs.length;
    let j = -1;
    if (e.key === 'ArrowRight') j = (i + 1) % n;
    else if (e.key === 'ArrowLeft') j = (i - 1 + n) % n;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = n - 1;
    if (j < 0) return;
    e.preventDefault();
    props.onChange(props.tabs[j]!.id);
    refs.current[j]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={props.label}>
      {props.tabs.map((t, i) => {
        const selected = t.id === props.value;
        return (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${props.idPrefix}-tab-${t.id}`}
            aria-selected={selected}
            aria-controls={`${props.idPrefix}-panel`}
            tabIndex={selected ? 0 : -1}
            className="tabs__tab"
            onClick={() => props.onChange(t.id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t.label}
            {t.count !== undefined && <span className="tabs__count">{t.count.toLocaleString('en-GB')}</span>}
          </button>
        );
      })}
    </div>
  );
}
