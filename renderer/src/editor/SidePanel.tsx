import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { fillParams } from '../../../shared/document/format';
import { RowsDialog } from './views/RowsDialog';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getNodeByKey } from 'lexical';
import type { FigureDef, FigureParams } from '../../../shared/figures/types';
import type { EvaluatedFigure } from '../../../shared/ipc/contract';
import { call, toIpcError } from '../lib/api';
import { useReference } from '../lib/reference';
import { paramRefs } from '../../../shared/figures/spec';
import { sqlParamNames } from '../../../shared/figures/sql';
import { formatDate } from '../lib/format';
import { INSERT_EVIDENCE_CITATION_COMMAND, INSERT_FIGURE_BLOCK_COMMAND, INSERT_LIVE_FIGURE_COMMAND } from './commands';
import { figureText, shownFigure, useCell, useFigureEntry, useServices, type EvidenceRow } from './store';
import type { SelectedAssayNode } from './plugins/SelectionPlugin';
import { $isLiveFigureNode } from './nodes/LiveFigureNode';
import { $isFigureBlockNode } from './nodes/FigureBlockNode';
import { $isEvidenceCitationNode } from './nodes/EvidenceCitationNode';
import { figureStateOf } from './views/state';
import { Provenance, StateBadge, StateExplanation } from './views/Provenance';
import { isRestricted, SENSITIVITY_LABELS } from './views/sensitivity';
import { Icon } from './Toolbar';

export type PanelTab = 'figures' | 'evidence' | 'details' | 'comments';
export type FigureMode = 'inline' | 'table' | 'chart';

const KIND_LABELS: Record<FigureDef['kind'], string> = { value: 'Value', table: 'Table', chart: 'Chart' };

/** The side panel: figure and evidence pickers, and the details of the selected figure, citation or break. */
export function SidePanel(props: {
  tab: PanelTab;
  setTab: (t: PanelTab) => void;
  figureMode: FigureMode;
  setFigureMode: (m: FigureMode) => void;
  selected: SelectedAssayNode | null;
  reportParams: Record<string, string>;
  focusToken: number;
  readOnly: boolean;
  /** The section's comments, when the window is too narrow for a margin beside the page. */
  comments?: React.ReactNode | undefined;
}) {
  const commentsTab: { id: PanelTab; label: string }[] = props.comments ? [{ id: 'comments', label: 'Comments' }] : [];
  const tabs: { id: PanelTab; label: string }[] = [
    { id: 'figures', label: 'Figures' },
    { id: 'evidence', label: 'Evidence' },
    { id: 'details', label: 'Selected' },
    ...commentsTab,
  ];
  const tab: PanelTab = props.tab === 'comments' && !props.comments ? 'figures' : props.tab;
  const baseId = useId();
  const onKey = (e: React.KeyboardEvent, i: number) => {
    const dir = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!dir) return;
    e.preventDefault();
    const next = tabs[(i + dir + tabs.length) % tabs.length]!;
    props.setTab(next.id);
    document.getElementById(`${baseId}-tab-${next.id}`)?.focus();
  };
  return (
    <aside className="sp" aria-label="Figures, evidence and selection">
      <div className="sp__tabs" role="tablist" aria-label="Side panel">
        {tabs.map((t, i) => (
          <button
            key={t.id}
            id={`${baseId}-tab-${t.id}`}
            type="button"
            role="tab"
            className="sp__tab"
            aria-selected={tab === t.id}
            aria-controls={`${baseId}-panel`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => props.setTab(t.id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t.label}
            {t.id === 'details' && props.selected && <span className="sp__dot" aria-label="(something is selected)" />}
          </button>
        ))}
      </div>
      <div className="sp__panel" role="tabpanel" id={`${baseId}-panel`} aria-labelledby={`${baseId}-tab-${tab}`}>
        {tab === 'comments' && props.comments}
        {tab === 'figures' && (
          <FigurePicker mode={props.figureMode} setMode={props.setFigureMode} focusToken={props.focusToken} reportParams={props.reportParams} readOnly={props.readOnly} />
        )}
        {tab === 'evidence' && <EvidencePicker focusToken={props.focusToken} readOnly={props.readOnly} />}
        {tab === 'details' && <Details selected={props.selected} reportParams={props.reportParams} readOnly={props.readOnly} />}
      </div>
    </aside>
  );
}

/** A search box driving a listbox by aria-activedescendant: type to filter, arrows to move, Enter to insert. */
function useListKeys<T>(items: T[], onChoose: (item: T) => void) {
  const [active, setActive] = useState(0);
  useEffect(() => setActive((a) => Math.min(a, Math.max(0, items.length - 1))), [items.length]);
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(items.length - 1, a + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const item = items[active];
      if (item) onChoose(item);
    }
  };
  return { active, setActive, onKeyDown };
}

/** A picker's search box: a combobox that drives its listbox by aria-activedescendant. */
function PickerSearch(props: {
  listId: string;
  inputRef: React.RefObject<HTMLInputElement | null>;
  label: string;
  placeholder: string;
  query: string;
  setQuery: (q: string) => void;
  onKeyDown: (e: React.KeyboardEvent) => void;
  activeId: string | undefined;
}) {
  return (
    <>
      <label className="picker__label" htmlFor={`${props.listId}-search`}>
        {props.label}
      </label>
      <input
        id={`${props.listId}-search`}
        ref={props.inputRef}
        className="picker__search"
        type="search"
        placeholder={props.placeholder}
        value={props.query}
        onChange={(e) => props.setQuery(e.target.value)}
        onKeyDown={props.onKeyDown}
        role="combobox"
        aria-expanded="true"
        aria-controls={props.listId}
        aria-activedescendant={props.activeId ? `${props.listId}-${props.activeId}` : undefined}
        aria-autocomplete="list"
      />
    </>
  );
}

/** A picker's count line and options: hover highlights, a click chooses, and the editor keeps its focus meanwhile. */
function PickerOptions<T extends { id: string }>(props: {
  listId: string;
  label: string;
  count: string;
  items: T[];
  active: number;
  setActive: (i: number) => void;
  onChoose: (item: T) => void;
  data: (item: T) => Record<`data-${string}`, string>;
  children: (item: T) => React.ReactNode;
}) {
  return (
    <>
      <p className="picker__count" aria-live="polite">
        {props.count}
      </p>
      <ul className="picker__list" role="listbox" id={props.listId} aria-label={props.label}>
        {props.items.map((item, i) => (
          <li
            key={item.id}
            id={`${props.listId}-${item.id}`}
            role="option"
            aria-selected={i === props.active}
            className={`picker__item${i === props.active ? ' picker__item--active' : ''}`}
            onMouseEnter={() => props.setActive(i)}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => props.onChoose(item)}
            {...props.data(item)}
          >
            {props.children(item)}
          </li>
        ))}
      </ul>
    </>
  );
}

/** The parameters a figure refers to ($indicator in its spec, :area in its SQL), whatever supplies them. */
function figureParamNames(def: FigureDef): string[] {
  const names = def.spec ? paramRefs(def.spec) : [];
  if (def.sql) for (const n of sqlParamNames(def.sql)) if (!names.includes(n)) names.push(n);
  return names;
}

function FigurePicker({
  mode,
  setMode,
  focusToken,
  reportParams,
  readOnly,
}: {
  mode: FigureMode;
  setMode: (m: FigureMode) => void;
  focusToken: number;
  reportParams: Record<string, string>;
  readOnly: boolean;
}) {
  const services = useServices();
  const [editor] = useLexicalComposerContext();
  const defs = useCell(services.defs);
  const [query, setQuery] = useState('');
  const search = useRef<HTMLInputElement>(null);
  const listId = useId();
  useEffect(() => {
    if (focusToken) search.current?.focus();
  }, [focusToken]);

  const items = useMemo(() => {
    const q = query.trim().toLowerCase();
    const all = [...defs.values()].filter((d) => (mode === 'inline' ? true : mode === 'chart' ? d.kind === 'chart' || d.chart !== null : d.kind !== 'value' || d.chart !== null));
    const hits = q ? all.filter((d) => `${fillParams(d.name, reportParams)} ${d.slug} ${d.description ?? ''}`.toLowerCase().includes(q)) : all;
    // Value figures first for prose, then by name.
    return hits.sort((a, b) => (mode === 'inline' ? Number(a.kind !== 'value') - Number(b.kind !== 'value') : 0) || a.name.localeCompare(b.name, 'en-GB'));
  }, [defs, query, mode]);

  // Values for parameters the report does not set (a template figure's $indicator), per figure.
  const [given, setGiven] = useState<Record<string, Record<string, string>>>({});
  const missingOf = (d: FigureDef) => figureParamNames(d).filter((n) => reportParams[n] === undefined);
  const paramsFor = (d: FigureDef): FigureParams | undefined => {
    const out: FigureParams = {};
    for (const n of missingOf(d)) {
      const v = given[d.id]?.[n]?.trim();
      if (v) out[n] = v;
    }
    return Object.keys(out).length ? out : undefined;
  };
  const ready = (d: FigureDef) => missingOf(d).every((n) => !!given[d.id]?.[n]?.trim());

  const insert = (d: FigureDef) => {
    if (readOnly) return;
    if (!ready(d)) {
      // Choosing a figure that needs a value first highlights it and takes the writer to that value.
      setActive(items.indexOf(d));
      window.setTimeout(() => document.getElementById(`${listId}-param-${missingOf(d).find((n) => !given[d.id]?.[n]?.trim())}`)?.focus(), 0);
      return;
    }
    const params = paramsFor(d);
    if (mode === 'inline') editor.dispatchCommand(INSERT_LIVE_FIGURE_COMMAND, { figureId: d.id, ...(params ? { params } : {}) });
    else editor.dispatchCommand(INSERT_FIGURE_BLOCK_COMMAND, { figureId: d.id, display: mode, ...(params ? { params } : {}) });
    editor.focus();
  };
  const { active, setActive, onKeyDown } = useListKeys(items, insert);
  const activeDef = items[active];

  return (
    <div className="picker">
      <fieldset className="picker__modes">
        <legend className="visually-hidden">Insert as</legend>
        {(['inline', 'table', 'chart'] as FigureMode[]).map((m) => (
          <label key={m} className={`seg${mode === m ? ' seg--on' : ''}`}>
            <input type="radio" name="figure-mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
            {m === 'inline' ? 'In the text' : m === 'table' ? 'Table' : 'Chart'}
          </label>
        ))}
      </fieldset>
      <PickerSearch
        listId={listId}
        inputRef={search}
        label="Search figures"
        placeholder="Name, slug or description"
        query={query}
        setQuery={setQuery}
        onKeyDown={onKeyDown}
        activeId={activeDef?.id}
      />
      <PickerOptions
        listId={listId}
        label="Figures"
        count={defs.size === 0 ? 'Loading the figure library…' : `${items.length} of ${defs.size} figures`}
        items={items}
        active={active}
        setActive={setActive}
        onChoose={insert}
        data={(d) => ({ 'data-figure-slug': d.slug })}
      >
        {(d) => (
          <>
            <span className="picker__name">{fillParams(d.name, reportParams)}</span>
            <span className="picker__meta">
              <span className={`kind kind--${d.kind}`}>{KIND_LABELS[d.kind]}</span> <code>{d.slug}</code>
            </span>
          </>
        )}
      </PickerOptions>
      {activeDef && (
        <FigurePreview
          def={activeDef}
          mode={mode}
          missing={missingOf(activeDef)}
          values={given[activeDef.id] ?? {}}
          setValue={(name, v) => setGiven((g) => ({ ...g, [activeDef.id]: { ...g[activeDef.id], [name]: v } }))}
          params={paramsFor(activeDef)}
          ready={ready(activeDef)}
          idBase={`${listId}-param`}
          onInsert={() => insert(activeDef)}
          readOnly={readOnly}
        />
      )}
    </div>
  );
}

/** The highlighted figure's current value, computed with the report's parameters, before it is inserted. */
function FigurePreview({
  def,
  mode,
  missing,
  values,
  setValue,
  params,
  ready,
  idBase,
  onInsert,
  readOnly,
}: {
  def: FigureDef;
  mode: FigureMode;
  /** Parameters the figure refers to that the report does not set: the writer gives them here. */
  missing: string[];
  values: Record<string, string>;
  setValue: (name: string, value: string) => void;
  params: FigureParams | undefined;
  ready: boolean;
  idBase: string;
  onInsert: () => void;
  readOnly: boolean;
}) {
  const services = useServices();
  const reference = useReference();
  const [result, setResult] = useState<{ key: string; figure?: EvaluatedFigure; error?: string } | null>(null);
  const key = `${def.id}|${JSON.stringify(params ?? {})}`;
  useEffect(() => {
    if (!ready) return;
    let live = true;
    const t = setTimeout(() => {
      call('figures.evaluate', { reportId: services.reportId, sectionId: services.sectionId, refs: [{ figureId: def.id, ...(params ? { params } : {}) }], wait: true }).then(
        (r) => live && setResult({ key, ...(r.figures[0] ? { figure: r.figures[0] } : {}) }),
        (e: unknown) => live && setResult({ key, error: toIpcError(e).message }),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [key, ready, services]);
  const current = result?.key === key ? result : null;
  const ref = reference.status === 'ready' ? reference.data : undefined;
  /** Suggestions for the parameters figures take most: indicators, areas and dates. */
  const suggestions = (name: string): { value: string; label: string }[] => {
    if (!ref) return [];
    if (/indicator/i.test(name)) return ref.indicators.map((i) => ({ value: i.id, label: `${i.name} (${i.unit})` }));
    if (/area|authority|region/i.test(name)) {
      return [{ value: 'E92000001', label: 'England' }, ...ref.regions.map((r) => ({ value: r.id, label: r.name })), ...ref.localAuthorities.map((l) => ({ value: l.id, label: l.name }))];
    }
    return [];
  };
  return (
    <section className="fprev" aria-label="Preview">
      <h3 className="fprev__name">{fillParams(def.name, params ?? {})}</h3>
      {def.description && <p className="fprev__desc">{def.description}</p>}
      {missing.length > 0 && (
        <fieldset className="fprev__params">
          <legend>{missing.length === 1 ? 'Needs a value the report does not set' : 'Needs values the report does not set'}</legend>
          {missing.map((name) => {
            const options = suggestions(name);
            return (
              <div key={name} className="fprev__param">
                <label htmlFor={`${idBase}-${name}`}>{name}</label>
                {options.length > 0 ? (
                  <select id={`${idBase}-${name}`} value={values[name] ?? ''} onChange={(e) => setValue(name, e.target.value)} disabled={readOnly}>
                    <option value="">Choose…</option>
                    {options.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input id={`${idBase}-${name}`} value={values[name] ?? ''} onChange={(e) => setValue(name, e.target.value)} placeholder={/date|asat|from|to/i.test(name) ? 'yyyy-mm-dd' : ''} disabled={readOnly} />
                )}
              </div>
            );
          })}
        </fieldset>
      )}
      <p className="fprev__value">
        {!ready ? (
          <span className="fprev__hint">Give {missing.length === 1 ? 'the value' : 'the values'} above to see the figure.</span>
        ) : current?.error ? (
          <span className="prov__state--error">{current.error}</span>
        ) : current?.figure ? (
          current.figure.result.error ? (
            <span className="prov__state--error">{current.figure.result.error}</span>
          ) : def.kind === 'value' ? (
            current.figure.result.formatted
          ) : (
            `${(current.figure.result.rows ?? []).length.toLocaleString('en-GB')} rows`
          )
        ) : (
          'Calculating…'
        )}
      </p>
      <button type="button" className="re-btn re-btn--primary" onClick={onInsert} disabled={readOnly || !ready}>
        {mode === 'inline' ? 'Insert in the text' : mode === 'table' ? 'Insert as a table' : 'Insert as a chart'}
      </button>
    </section>
  );
}

function EvidencePicker({ focusToken, readOnly }: { focusToken: number; readOnly: boolean }) {
  const services = useServices();
  const [editor] = useLexicalComposerContext();
  const evidence = useCell(services.evidence);
  const [query, setQuery] = useState('');
  const [locator, setLocator] = useState('');
  const search = useRef<HTMLInputElement>(null);
  const listId = useId();
  useEffect(() => {
    if (focusToken) search.current?.focus();
  }, [focusToken]);
  const items = useMemo(() => {
    const q = query.trim().toLowerCase();
    const all = [...evidence.values()];
    return q ? all.filter((e) => `${e.title} ${e.reference ?? ''} ${e.kind} ${e.collectedBy ?? ''}`.toLowerCase().includes(q)) : all;
  }, [evidence, query]);
  const insert = (e: EvidenceRow) => {
    if (readOnly) return;
    editor.dispatchCommand(INSERT_EVIDENCE_CITATION_COMMAND, locator.trim() ? { evidenceId: e.id, locator: locator.trim() } : { evidenceId: e.id });
    setLocator('');
    editor.focus();
  };
  const { active, setActive, onKeyDown } = useListKeys(items, insert);
  const activeRow = items[active];
  return (
    <div className="picker">
      <PickerSearch
        listId={listId}
        inputRef={search}
        label="Search evidence"
        placeholder="Title, reference, kind or collector"
        query={query}
        setQuery={setQuery}
        onKeyDown={onKeyDown}
        activeId={activeRow?.id}
      />
      <label className="picker__label" htmlFor={`${listId}-locator`}>
        Pinpoint <span className="picker__optional">(optional, e.g. “para 4.2”)</span>
      </label>
      <input id={`${listId}-locator`} className="picker__search" value={locator} onChange={(e) => setLocator(e.target.value)} onKeyDown={onKeyDown} />
      <PickerOptions
        listId={listId}
        label="Evidence sources"
        count={evidence.size === 0 ? 'No evidence in this workspace yet.' : `${items.length} of ${evidence.size} sources`}
        items={items}
        active={active}
        setActive={setActive}
        onChoose={insert}
        data={(e) => ({ 'data-evidence-id': e.id })}
      >
        {(e) => (
          <>
            <span className="picker__name">{e.title}</span>
            <span className="picker__meta">
              <span className={`sens sens--${e.sensitivity}${isRestricted(e.sensitivity) ? ' sens--restricted' : ''}`}>
                {SENSITIVITY_LABELS[e.sensitivity] ?? e.sensitivity}
              </span>{' '}
              {e.kind}
              {e.collectedOn ? `, ${formatDate(e.collectedOn, 'short')}` : ''}
              {e.verifiedBy ? ', verified' : ''}
            </span>
            {isRestricted(e.sensitivity) && <span className="picker__warn">Left out of public exports</span>}
          </>
        )}
      </PickerOptions>
    </div>
  );
}

function Details({ selected, reportParams, readOnly }: { selected: SelectedAssayNode | null; reportParams: Record<string, string>; readOnly: boolean }) {
  const [editor] = useLexicalComposerContext();
  if (!selected) {
    return (
      <div className="details details--empty">
        <p>Select a live figure, a figure block or a citation in the text to see where it comes from and to change it.</p>
        <p className="details__hint">Tip: click a figure or citation, or put the caret just after one and press Alt+Enter.</p>
      </div>
    );
  }
  const remove = () =>
    editor.update(() => {
      $getNodeByKey(selected.nodeKey)?.remove();
    });
  if (selected.kind === 'page-break') {
    return (
      <div className="details">
        <h3 className="details__title">Page break</h3>
        <p>Word and PDF start a new page here.</p>
        <button type="button" className="re-btn re-btn--danger" onClick={remove} disabled={readOnly}>
          Remove page break
        </button>
      </div>
    );
  }
  if (selected.kind === 'evidence-citation') return <CitationDetails key={selected.nodeKey} selected={selected} onRemove={remove} readOnly={readOnly} />;
  return <FigureDetails key={selected.nodeKey} selected={selected} reportParams={reportParams} onRemove={remove} readOnly={readOnly} />;
}

function CitationDetails({ selected, onRemove, readOnly }: { selected: Extract<SelectedAssayNode, { kind: 'evidence-citation' }>; onRemove: () => void; readOnly: boolean }) {
  const services = useServices();
  const [editor] = useLexicalComposerContext();
  const row = useCell(services.evidence).get(selected.evidenceId);
  const [locator, setLocator] = useState(selected.locator ?? '');
  const id = useId();
  const apply = () =>
    editor.update(() => {
      const n = $getNodeByKey(selected.nodeKey);
      if ($isEvidenceCitationNode(n)) n.setLocator(locator);
    });
  return (
    <div className="details">
      <h3 className="details__title">Citation</h3>
      {row ? (
        <dl className="prov">
          <dt>Source</dt>
          <dd>{row.title}</dd>
          <dt>Kind</dt>
          <dd>{row.kind}</dd>
          {row.reference && (
            <>
              <dt>Reference</dt>
              <dd>{row.reference}</dd>
            </>
          )}
          <dt>Collected</dt>
          <dd>
            {row.collectedOn ? formatDate(row.collectedOn) : 'Date not recorded'}
            {row.collectedBy ? ` by ${row.collectedBy}` : ''}
          </dd>
          <dt>Sensitivity</dt>
          <dd>
            <span className={`sens sens--${row.sensitivity}${isRestricted(row.sensitivity) ? ' sens--restricted' : ''}`}>{SENSITIVITY_LABELS[row.sensitivity] ?? row.sensitivity}</span>
            {isRestricted(row.sensitivity) && <p className="picker__warn">Left out of public exports: the footnote is dropped there.</p>}
          </dd>
          <dt>Verified</dt>
          <dd>{row.verifiedBy ? `By ${row.verifiedBy}` : 'Not yet verified'}</dd>
        </dl>
      ) : (
        <p className="prov__state prov__state--error">Evidence {selected.evidenceId} is not in this workspace.</p>
      )}
      <form
        className="details__form"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <label htmlFor={id}>Pinpoint</label>
        <input id={id} value={locator} onChange={(e) => setLocator(e.target.value)} placeholder="e.g. para 4.2" disabled={readOnly} />
        <button type="submit" className="re-btn re-btn--small" disabled={readOnly}>
          Apply
        </button>
      </form>
      <button type="button" className="re-btn re-btn--danger" onClick={onRemove} disabled={readOnly}>
        Remove citation
      </button>
    </div>
  );
}

function FigureDetails({
  selected,
  reportParams,
  onRemove,
  readOnly,
}: {
  selected: Extract<SelectedAssayNode, { kind: 'live-figure' | 'figure-block' }>;
  reportParams: Record<string, string>;
  onRemove: () => void;
  readOnly: boolean;
}) {
  const services = useServices();
  const [editor] = useLexicalComposerContext();
  const entry = useFigureEntry(services, selected.refKey);
  const def = useCell(services.defs).get(selected.figureId);
  const evidence = useCell(services.evidence);
  const figure = shownFigure(entry);
  const state = figureStateOf(entry);
  const baseId = useId();

  // Parameter overrides: every parameter the figure ran with, prefilled with the node's override or the report's value.
  const names = useMemo(() => {
    const set = new Set<string>([...Object.keys(reportParams), ...Object.keys(selected.params ?? {})]);
    for (const k of Object.keys(figure?.params ?? {})) set.add(k);
    if (def) for (const k of figureParamNames(def)) set.add(k);
    return [...set].sort();
  }, [reportParams, selected.params, figure, def]);
  const [overrides, setOverrides] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(selected.params ?? {}).map(([k, v]) => [k, String(v)])),
  );
  const [caption, setCaption] = useState(selected.kind === 'figure-block' ? (selected.caption ?? '') : '');
  const [title, setTitle] = useState(selected.kind === 'figure-block' ? (selected.title ?? '') : '');

  const update = (fn: (n: import('./nodes/LiveFigureNode').LiveFigureNode | import('./nodes/FigureBlockNode').FigureBlockNode) => void) =>
    editor.update(() => {
      const n = $getNodeByKey(selected.nodeKey);
      if ($isLiveFigureNode(n) || $isFigureBlockNode(n)) fn(n);
    });

  const applyParams = () => {
    const p: FigureParams = {};
    for (const [k, v] of Object.entries(overrides)) if (v.trim() && v.trim() !== reportParams[k]) p[k] = v.trim();
    update((n) => n.setParams(Object.keys(p).length ? p : undefined));
  };

  const parts = figure?.result.parts ? Object.keys(figure.result.parts) : [];
  const [showRows, setShowRows] = useState(false);
  // Any structured figure lists what it counts; an analyst's SQL figure shows its rows in the figure builder.
  const drillable = !!def?.spec && typeof (def.spec as { measure?: unknown }).measure === 'string';

  return (
    <div className="details">
      <p className="details__eyebrow">{selected.kind === 'live-figure' ? 'Live figure' : selected.display === 'chart' ? 'Chart' : 'Table'}</p>
      <h3 className="details__title">{def ? fillParams(def.name, reportParams) : selected.figureId}</h3>
      {def?.description && <p className="details__desc">{def.description}</p>}
      <div className="details__value">
        <span className="details__big">{selected.kind === 'live-figure' ? figureText(figure, selected.part) : figure ? `${figure.result.rows?.length ?? 0} rows` : '…'}</span>
        <StateBadge state={state} />
      </div>
      <StateExplanation figure={figure} state={state} />
      {drillable && (
        <button type="button" className="re-btn re-btn--small" onClick={() => setShowRows(true)} data-testid="show-rows">
          Show the rows
        </button>
      )}
      {showRows && def && (
        <RowsDialog figureId={def.id} name={fillParams(def.name, reportParams)} params={{ ...reportParams, ...(selected.params ?? {}) }} onClose={() => setShowRows(false)} />
      )}
      {entry?.status === 'error' && <p className="prov__state prov__state--error">{entry.message}</p>}

      {selected.kind === 'live-figure' && parts.length > 0 && (
        <div className="details__form">
          <label htmlFor={`${baseId}-part`}>Show</label>
          <select id={`${baseId}-part`} value={selected.part ?? ''} disabled={readOnly} onChange={(e) => update((n) => $isLiveFigureNode(n) && n.setPart(e.target.value || undefined))}>
            <option value="">The value ({figure?.result.formatted})</option>
            {parts.map((p) => (
              <option key={p} value={p}>
                {p} ({figureText(figure, p)})
              </option>
            ))}
          </select>
        </div>
      )}

      {selected.kind === 'figure-block' && (
        <>
          <fieldset className="details__radios">
            <legend>Show as</legend>
            {(['table', 'chart'] as const).map((d) => (
              <label key={d} className={`seg${selected.display === d ? ' seg--on' : ''}`}>
                <input type="radio" name={`${baseId}-display`} checked={selected.display === d} disabled={readOnly} onChange={() => update((n) => $isFigureBlockNode(n) && n.setDisplay(d))} />
                {d === 'table' ? 'Table' : 'Chart'}
              </label>
            ))}
          </fieldset>
          <form
            className="details__form"
            onSubmit={(e) => {
              e.preventDefault();
              update((n) => $isFigureBlockNode(n) && n.setCaption(caption).setTitle(selected.display === 'chart' ? title : undefined));
            }}
          >
            {selected.display === 'chart' && (
              <>
                <label htmlFor={`${baseId}-title`}>Title stating the finding</label>
                <input
                  id={`${baseId}-title`}
                  value={title}
                  placeholder="e.g. Safe is still the weakest key question"
                  aria-describedby={`${baseId}-title-hint`}
                  onChange={(e) => setTitle(e.target.value)}
                  disabled={readOnly}
                />
                <p id={`${baseId}-title-hint`} className="details__hint">
                  Printed as “Figure n: …”, with the caption below it saying what the data is.
                </p>
              </>
            )}
            <label htmlFor={`${baseId}-caption`}>Caption</label>
            <input id={`${baseId}-caption`} value={caption} placeholder={def ? fillParams(def.name, reportParams) : undefined} onChange={(e) => setCaption(e.target.value)} disabled={readOnly} />
            <button type="submit" className="re-btn re-btn--small" disabled={readOnly}>
              Apply
            </button>
          </form>
        </>
      )}

      {names.length > 0 && (
        <form
          className="details__params"
          onSubmit={(e) => {
            e.preventDefault();
            applyParams();
          }}
        >
          <fieldset>
            <legend>Parameters</legend>
            <p className="details__hint">Leave blank to use the report’s value.</p>
            {names.map((k) => (
              <div key={k} className="details__param">
                <label htmlFor={`${baseId}-p-${k}`}>
                  <code>{k}</code>
                </label>
                <input
                  id={`${baseId}-p-${k}`}
                  value={overrides[k] ?? ''}
                  placeholder={reportParams[k] ?? String(figure?.params[k] ?? '')}
                  onChange={(e) => setOverrides((o) => ({ ...o, [k]: e.target.value }))}
                  disabled={readOnly}
                />
              </div>
            ))}
            <button type="submit" className="re-btn re-btn--small" disabled={readOnly}>
              Apply parameters
            </button>
          </fieldset>
        </form>
      )}

      {figure && (
        <section aria-label="Provenance">
          <h4 className="details__h4">Where it comes from</h4>
          <Provenance figure={figure} evidence={evidence} />
        </section>
      )}
      <button type="button" className="re-btn re-btn--danger" onClick={onRemove} disabled={readOnly}>
        <Icon name="trash" /> Remove from the text
      </button>
    </div>
  );
}
