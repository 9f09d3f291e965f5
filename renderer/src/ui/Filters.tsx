import { Icon } from './bits';

/** One labelled select in a filter bar, with an empty "all" option first. */
export function FilterSelect(props: { id: string; label: string; value: string; onChange: (v: string) => void; options: readonly { value: string; label: string }[]; all: string }) {
  return (
    <div className="filters__item">
      <label htmlFor={props.id} className="filters__label">
        {props.label}
      </label>
      <select id={props.id} className="select" value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">{props.all}</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The search box that opens a filter bar. */
export function FilterSearch(props: { id: string; label?: string; placeholder: string; value: string; onChange: (v: string) => void }) {
  return (
    <div className="filters__search">
      <label htmlFor={props.id} className="filters__label">
        {props.label ?? 'Search'}
      </label>
      <div className="input-icon">
        <Icon name="search" size={16} />
        <input id={props.id} className="input" type="search" placeholder={props.placeholder} value={props.value} onChange={(e) => props.onChange(e.target.value)} />
      </div>
    </div>
  );
}
