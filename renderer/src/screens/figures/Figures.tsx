import { useEffect, useState } from 'react';
import type { FigureDef } from '../../../../shared/figures/types';
import { call, toIpcError, useRequest } from '../../lib/api';
import { plural } from '../../lib/format';
import { useDebounced } from '../../lib/reference';
import { useNav, type Route } from '../../lib/route';
import { EmptyState, ErrorNotice, Icon, LoadingBlock, PageHeader, RequestPending, Tag } from '../../ui/bits';
import { FigureBuilder } from './FigureBuilder';

type FiguresRoute = Extract<Route, { screen: 'figures' }>;

export default function Figures(props: { route: FiguresRoute }) {
  const { navigate } = useNav();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 200);
  const list = useRequest('figures.list', { search: q || undefined });
  const editing = props.route.figureId ?? (props.route.create ? `new:${props.route.create}` : undefined);

  return (
    <div className="page page--wide page--fill">
      <PageHeader
        title="Figures"
        description="The workspace’s library of live figures. A figure is a definition, not a number: reports show its current value."
        actions={
          <>
            <button type="button" className="btn btn--secondary" onClick={() => navigate({ screen: 'figures', create: 'sql' })}>
              New SQL figure
            </button>
            <button type="button" className="btn btn--primary" onClick={() => navigate({ screen: 'figures', create: 'structured' })}>
              <Icon name="plus" size={16} /> New figure
            </button>
          </>
        }
      />
      <div className="library">
        <section className="library__list" aria-label="Figure library">
          <div className="library__search">
            <label htmlFor="fig-search" className="visually-hidden">
              Search figures
            </label>
            <div className="input-icon">
              <Icon name="search" size={16} />
              <input id="fig-search" type="search" className="input" placeholder="Search figures by name or slug" value={search} onChange={(e) => setSearch(e.target.value)} />
            </div>
            {list.data && (
              <div className="muted small library__count" aria-live="polite">
                {plural(list.data.figures.length, 'figure')}
              </div>
            )}
          </div>
          {!list.data ? (
            <RequestPending req={list} />
          ) : list.data.figures.length === 0 ? (
            <EmptyState title={q ? 'No figures match' : 'No figures yet'}>{q ? 'Try another word.' : 'Build the first one with “New figure”.'}</EmptyState>
          ) : (
            <ul className="figure-list">
              {list.data.figures.map((f) => (
                <li key={f.id}>
                  <button type="button" className="figure-item" aria-current={props.route.figureId === f.id ? 'true' : undefined} onClick={() => navigate({ screen: 'figures', figureId: f.id })}>
                    <span className="figure-item__top">
                      <span className="figure-item__name">{f.name}</span>
                      <Tag tone={f.kind === 'value' ? 'info' : f.kind === 'table' ? 'neutral' : 'accent'}>{f.kind === 'value' ? 'Value' : f.kind === 'table' ? 'Table' : 'Chart'}</Tag>
                    </span>
                    <span className="figure-item__meta">
                      <span className="mono">{f.slug}</span>
                      <span>
                        {f.sql ? 'SQL' : String((f.spec as { measure?: string } | null)?.measure ?? '').replace(/_/g, ' ')}
                        {f.usedIn > 0 ? ` · in ${plural(f.usedIn, 'section')}` : ' · not used'}
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="library__editor" aria-label="Figure editor">
          {editing ? (
            <FigureLoader key={editing} id={props.route.figureId} mode={props.route.create} onSaved={(id) => navigate({ screen: 'figures', figureId: id })} onDeleted={() => navigate({ screen: 'figures' })} />
          ) : (
            <EmptyState
              title="Choose a figure, or build a new one"
              icon={<Icon name="figures" size={40} />}
              action={
                <button type="button" className="btn btn--primary" onClick={() => navigate({ screen: 'figures', create: 'structured' })}>
                  Build a figure
                </button>
              }
            >
              Build a figure in a form (a share, a count, a change, an indicator’s spread) and see its value as you go, or write SQL for anything else.
            </EmptyState>
          )}
        </section>
      </div>
    </div>
  );
}

function FigureLoader(props: { id?: string; mode?: 'structured' | 'sql'; onSaved: (id: string) => void; onDeleted: () => void }) {
  const [def, setDef] = useState<FigureDef | null>(null);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!props.id) return;
    call('figures.get', { id: props.id }).then(setDef, (e: unknown) => setError(toIpcError(e).message));
  }, [props.id]);
  if (props.id && !def) return error ? <ErrorNotice error={{ code: 'internal', message: error }} /> : <LoadingBlock />;
  return <FigureBuilder existing={def} initialMode={def ? (def.sql ? 'sql' : 'structured') : (props.mode ?? 'structured')} onSaved={props.onSaved} onDeleted={props.onDeleted} />;
}
