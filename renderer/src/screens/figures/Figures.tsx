import { useEffect, useMemo, useRef, useState } from 'react';
import type { FigureDef, FigureFormat, FigureResult } from '../../../../shared/figures/types';
import { call, toIpcError, useRequest } from '../../lib/api';
import { STARTER_SQL } from '../../../../shared/figures/starter-sql';
import { capitalise, plural } from '../../lib/format';
import { useDebounced, useReference } from '../../lib/reference';
import { useNav, type Route } from '../../lib/route';
import { EmptyState, ErrorNotice, Icon, LoadingBlock, PageHeader, RequestPending, Tag } from '../../ui/bits';
import { ErrorSummary, Field, FieldGroup, SelectField } from '../../ui/Field';
import { useToast } from '../../ui/Toast';
import { FigurePreview } from './Preview';
import { byOptions, MEASURES, fromSpec, isIndicatorMeasure, isRatingMeasure, paramsIn, paramsInSpec, slugify, toSpec, type SpecForm } from './spec';

type FiguresRoute = Extract<Route, { screen: 'figures' }>;
type Kind = 'value' | 'table' | 'chart';

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

/** Preview parameters default to those of the newest report, so the preview shows what the report would. */
function useDefaultParams(): Record<string, string> {
  const reports = useRequest('reports.list', {});
  return useMemo(() => {
    const newest = [...(reports.data?.reports ?? [])].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
    return newest?.params ?? {};
  }, [reports.data]);
}

const LABELS: Record<string, string> = { name: 'Name', slug: 'Slug', kind: 'Kind', spec: 'Definition', sql: 'SQL', format: 'Format', description: 'Description' };

function FigureBuilder(props: { existing: FigureDef | null; initialMode: 'structured' | 'sql'; onSaved: (id: string) => void; onDeleted: () => void }) {
  const { existing } = props;
  const toast = useToast();
  const reference = useReference();
  const reviews = useRequest('areaReviews.list', {});
  const indicatorList = useRequest('indicators.list', {});
  const [mode, setMode] = useState<'structured' | 'sql'>(props.initialMode);
  const [name, setName] = useState(existing?.name ?? '');
  const [slug, setSlug] = useState(existing?.slug ?? '');
  const [slugTouched, setSlugTouched] = useState(!!existing);
  const [description, setDescription] = useState(existing?.description ?? '');
  const [kind, setKind] = useState<Kind>(existing?.kind ?? 'value');
  const [spec, setSpec] = useState<SpecForm>(() => fromSpec(existing?.spec ?? null));
  const [sql, setSql] = useState(existing?.sql ?? STARTER_SQL);
  const [format, setFormat] = useState<FigureFormat>(existing?.format ?? {});
  const defaults = useDefaultParams();
  const [params, setParams] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const set = <K extends keyof SpecForm>(k: K, v: SpecForm[K]) => setSpec((s) => ({ ...s, [k]: v }));
  const specJson = useMemo(() => toSpec(spec), [spec]);
  const paramNames = useMemo(() => (mode === 'sql' ? paramsIn(sql) : paramsInSpec(specJson)), [mode, sql, specJson]);
  const effectiveParams = useMemo(() => {
    const p: Record<string, string> = {};
    for (const n of paramNames) p[n] = params[n] ?? defaults[n] ?? '';
    return p;
  }, [paramNames, params, defaults]);

  // The live preview: debounced so typing SQL does not run a query per keystroke; a newer request wins.
  const previewInput = useMemo(
    () => JSON.stringify({ kind, spec: mode === 'structured' ? specJson : null, sql: mode === 'sql' ? sql : null, format, params: effectiveParams }),
    [kind, mode, specJson, sql, format, effectiveParams],
  );
  const debouncedInput = useDebounced(previewInput, 350);
  const [preview, setPreview] = useState<{ result: FigureResult | null; error?: string }>({ result: null });
  const [previewing, setPreviewing] = useState(false);
  const seq = useRef(0);
  useEffect(() => {
    const n = ++seq.current;
    setPreviewing(true);
    call('figures.preview', JSON.parse(debouncedInput)).then(
      (result) => n === seq.current && setPreview({ result }),
      (e: unknown) => {
        if (n !== seq.current) return;
        const err = toIpcError(e);
        // A request the host refuses outright (bad spec shape) is still an error in the figure, shown inline.
        const detail = err.fields ? Object.entries(err.fields).map(([k, v]) => `${k.replace(/^spec\./, '')}: ${v}`).join('; ') : err.message;
        setPreview({ result: null, error: detail });
      },
    ).finally(() => n === seq.current && setPreviewing(false));
  }, [debouncedInput]);

  const sqlError = mode === 'sql' ? (preview.result?.error ?? preview.error) : undefined;

  const save = async () => {
    const f: Record<string, string> = {};
    if (!name.trim()) f.name = 'Enter a name for the figure';
    if (!slug) f.slug = 'Enter a slug';
    else if (!/^[a-z0-9][a-z0-9-]*$/.test(slug)) f.slug = 'Use lower-case letters, digits and hyphens only';
    if (mode === 'sql' && !sql.trim()) f.sql = 'Write a SELECT query';
    if (mode === 'structured' && isRatingMeasure(spec.measure) && spec.measure !== 'rating_distribution' && spec.ratings.length === 0) f.ratings = 'Choose at least one rating';
    if (mode === 'structured' && isIndicatorMeasure(spec.measure) && !spec.indicator.trim()) f.indicator = 'Enter the indicator';
    setErrors(f);
    setMessage(undefined);
    if (Object.keys(f).length) return;
    setBusy(true);
    try {
      const r = await call('figures.save', {
        id: existing?.id,
        slug,
        name: name.trim(),
        description: description.trim() || null,
        kind,
        spec: mode === 'structured' ? specJson : null,
        sql: mode === 'sql' ? sql : null,
        format: format as Record<string, unknown>,
        chart: kind === 'chart' ? ((existing?.chart as Record<string, unknown> | null) ?? { type: 'bar', orientation: 'horizontal' }) : null,
      });
      toast(existing ? `Figure “${name.trim()}” saved` : `Figure “${name.trim()}” added to the library`);
      props.onSaved(r.id);
    } catch (e) {
      const err = toIpcError(e);
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries(err.fields ?? {})) fields[k.split('.')[0]!] = v;
      setErrors(fields);
      setMessage(Object.keys(fields).length ? undefined : err.message);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    try {
      await call('figures.delete', { id: existing!.id });
      toast(`Figure “${existing!.name}” deleted`);
      props.onDeleted();
    } catch (e) {
      setConfirmDelete(false);
      setMessage(toIpcError(e).message);
    }
  };

  const indicators = indicatorList.data?.indicators;
  const indicatorPeriods = indicators?.find((i) => i.id === spec.indicator)?.periods ?? [];
  const ref = reference.data;
  const kqScale = ref?.keyQuestions.find((k) => k.name === spec.keyQuestion)?.scaleId;
  const ratingValues = ref?.ratingValues.filter((v) => v.onScale && (!kqScale || v.scaleId === kqScale)) ?? [];
  const las = ref?.localAuthorities.filter((l) => !spec.region || ref.regions.find((r) => r.name === spec.region)?.id === l.regionId) ?? [];

  return (
    <form
      className="builder"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="builder__head">
        <div>
          <div className="page-header__eyebrow">{existing ? 'Edit figure' : 'New figure'}</div>
          <h2 className="builder__title">{name.trim() || (existing ? existing.name : 'Untitled figure')}</h2>
        </div>
        <div className="segmented" role="group" aria-label="How the figure is defined">
          <button type="button" className="segmented__btn" aria-pressed={mode === 'structured'} onClick={() => setMode('structured')}>
            Form
          </button>
          <button type="button" className="segmented__btn" aria-pressed={mode === 'sql'} onClick={() => setMode('sql')}>
            SQL
          </button>
        </div>
      </div>
      <ErrorSummary message={message} errors={errors} labels={LABELS} />
      <div className="builder__grid">
        <div className="builder__form">
          <div className="form-grid">
            <Field label="Name" error={errors.name}>
              {(c) => (
                <input
                  {...c}
                  className="input"
                  value={name}
                  onChange={(e) => {
                    setName(e.target.value);
                    if (!slugTouched) setSlug(slugify(e.target.value));
                  }}
                />
              )}
            </Field>
            <Field label="Slug" error={errors.slug} hint="How reports and the CLI refer to it">
              {(c) => (
                <input
                  {...c}
                  className="input mono"
                  value={slug}
                  onChange={(e) => {
                    setSlugTouched(true);
                    setSlug(e.target.value);
                  }}
                />
              )}
            </Field>
          </div>
          <Field label="Description" optional error={errors.description}>
            {(c) => <textarea {...c} className="textarea" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />}
          </Field>
          <FieldGroup legend="Kind" error={errors.kind}>
            <div className="radios radios--inline">
              {(['value', 'table', 'chart'] as const).map((k) => (
                <label key={k} className="radio">
                  <input type="radio" name="kind" checked={kind === k} onChange={() => setKind(k)} />
                  <span>{k === 'value' ? 'Value in a sentence' : k === 'table' ? 'Table' : 'Chart'}</span>
                </label>
              ))}
            </div>
          </FieldGroup>

          {mode === 'structured' ? (
            <div className="builder__spec">
              <Field label="Measure" hint={MEASURES.find((m) => m.id === spec.measure)?.help}>
                {(c) => (
                  <select {...c} className="select" value={spec.measure} onChange={(e) => set('measure', e.target.value as SpecForm['measure'])}>
                    {MEASURES.map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {isRatingMeasure(spec.measure) && (
                <>
                  <Field label="Key question">
                    {(c) => (
                      <select {...c} className="select" value={spec.keyQuestion} onChange={(e) => set('keyQuestion', e.target.value)}>
                        {ref?.keyQuestions.map((k) => (
                          <option key={k.id} value={k.name}>
                            {k.name}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  {spec.measure !== 'rating_distribution' && (
                    <FieldGroup legend="Ratings counted" error={errors.ratings} hint="Shares are out of all locations rated on the scale.">
                      <div className="checks checks--inline">
                        {ratingValues.map((v) => (
                          <label key={v.label} className="check">
                            <input
                              type="checkbox"
                              checked={spec.ratings.includes(v.label)}
                              onChange={(e) => set('ratings', e.target.checked ? [...spec.ratings, v.label] : spec.ratings.filter((x) => x !== v.label))}
                            />
                            <span>{v.label}</span>
                          </label>
                        ))}
                      </div>
                    </FieldGroup>
                  )}
                  {spec.measure === 'rating_change' ? (
                    <div className="form-grid">
                      <Field label="From" hint="A date or a report parameter such as $previousAsAt">
                        {(c) => <input {...c} className="input mono" value={spec.from} onChange={(e) => set('from', e.target.value)} />}
                      </Field>
                      <Field label="To" hint="A date or $asAt">
                        {(c) => <input {...c} className="input mono" value={spec.to} onChange={(e) => set('to', e.target.value)} />}
                      </Field>
                    </div>
                  ) : (
                    <Field label="As at" hint="A date (yyyy-mm-dd) or a report parameter such as $asAt">
                      {(c) => <input {...c} className="input mono" value={spec.asAt} onChange={(e) => set('asAt', e.target.value)} />}
                    </Field>
                  )}
                  <FieldGroup legend="Filters" className="filters-group">
                    <div className="form-grid form-grid--3">
                      <SelectField label="Sector" value={spec.sector} onChange={(v) => set('sector', v)} empty="All sectors" options={ref?.sectors.map((s) => ({ value: s.name, label: s.name })) ?? []} />
                      <SelectField
                        label="Region"
                        value={spec.region}
                        onChange={(v) => setSpec((s) => ({ ...s, region: v, localAuthority: '' }))}
                        empty="All regions"
                        options={ref?.regions.map((r) => ({ value: r.name, label: r.name })) ?? []}
                      />
                      <SelectField label="Local authority" value={spec.localAuthority} onChange={(v) => set('localAuthority', v)} empty="All local authorities" options={las.map((l) => ({ value: l.name, label: l.name }))} />
                      <Field label="Care homes">
                        {(c) => (
                          <select {...c} className="select" value={spec.careHome} onChange={(e) => set('careHome', e.target.value as SpecForm['careHome'])}>
                            <option value="">Care homes and others</option>
                            <option value="true">Care homes only</option>
                            <option value="false">Not care homes</option>
                          </select>
                        )}
                      </Field>
                      <Field label="Service group">
                        {(c) => (
                          <select {...c} className="select" value={spec.serviceGroup} onChange={(e) => set('serviceGroup', e.target.value)}>
                            <option value="">Whole location (Overall)</option>
                            {ref?.serviceGroups
                              .filter((g) => g !== 'Overall')
                              .map((g) => (
                                <option key={g} value={g}>
                                  {g}
                                </option>
                              ))}
                          </select>
                        )}
                      </Field>
                      <Field label="Inspection category" optional>
                        {(c) => <input {...c} className="input" value={spec.category} onChange={(e) => set('category', e.target.value)} />}
                      </Field>
                    </div>
                  </FieldGroup>
                </>
              )}
              {isIndicatorMeasure(spec.measure) && (
                <div className="form-grid form-grid--3">
                  <Field label="Indicator" error={errors.indicator}>
                    {(c) =>
                      indicators && indicators.length > 0 ? (
                        <select {...c} className="select" value={spec.indicator} onChange={(e) => set('indicator', e.target.value)}>
                          <option value="">Choose an indicator…</option>
                          {indicators.map((i) => (
                            <option key={i.id} value={i.id}>
                              {i.name}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <input {...c} className="input mono" value={spec.indicator} onChange={(e) => set('indicator', e.target.value)} />
                      )
                    }
                  </Field>
                  {spec.measure !== 'indicator_spread' && (
                    <Field label="Area" optional={spec.measure === 'indicator_value'} hint={spec.measure === 'indicator_value' ? 'England when empty' : undefined}>
                      {(c) => (
                        <select {...c} className="select" value={spec.area} onChange={(e) => set('area', e.target.value)}>
                          <option value="">{spec.measure === 'indicator_value' ? 'England' : 'Choose an area…'}</option>
                          <optgroup label="Regions">
                            {ref?.regions.map((r) => (
                              <option key={r.id} value={r.id}>
                                {r.name}
                              </option>
                            ))}
                          </optgroup>
                          <optgroup label="Local authorities">
                            {ref?.localAuthorities.map((l) => (
                              <option key={l.id} value={l.id}>
                                {l.name}
                              </option>
                            ))}
                          </optgroup>
                        </select>
                      )}
                    </Field>
                  )}
                  <Field label="Period" hint="As the indicator’s source writes it, e.g. 2017/18">
                    {(c) =>
                      indicatorPeriods.length > 0 ? (
                        <select {...c} className="select" value={spec.period} onChange={(e) => set('period', e.target.value)}>
                          <option value="">Choose a period…</option>
                          {indicatorPeriods.map((p) => (
                            <option key={p} value={p}>
                              {p}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <input {...c} className="input" value={spec.period} onChange={(e) => set('period', e.target.value)} />
                      )
                    }
                  </Field>
                </div>
              )}
              {(spec.measure === 'finding_count' || spec.measure === 'evidence_count') && (
                <div className="form-grid form-grid--3">
                  {spec.measure === 'finding_count' ? (
                    <>
                      <SelectField label="Theme" value={spec.theme} onChange={(v) => set('theme', v)} empty="All themes" options={ref?.themes.map((t) => ({ value: t.id, label: t.name })) ?? []} />
                      <Field label="Judgement">
                        {(c) => (
                          <select {...c} className="select" value={spec.judgement} onChange={(e) => set('judgement', e.target.value)}>
                            <option value="">All judgements</option>
                            <option value="strength">Strength</option>
                            <option value="concern">Concern</option>
                            <option value="recommendation">Recommendation</option>
                          </select>
                        )}
                      </Field>
                    </>
                  ) : (
                    <>
                      <SelectField
                        label="Sensitivity"
                        value={spec.sensitivity}
                        onChange={(v) => set('sensitivity', v)}
                        empty="Any sensitivity"
                        options={['public', 'official', 'official-sensitive', 'personal'].map((s) => ({ value: s, label: capitalise(s) }))}
                      />
                      <SelectField
                        label="Kind of evidence"
                        value={spec.kind}
                        onChange={(v) => set('kind', v)}
                        empty="All kinds"
                        options={['document', 'interview', 'observation', 'dataset', 'survey', 'case file', 'meeting notes'].map((s) => ({ value: s, label: capitalise(s) }))}
                      />
                    </>
                  )}
                  <Field label="Area review">
                    {(c) => (
                      <select {...c} className="select" value={spec.areaReview} onChange={(e) => set('areaReview', e.target.value)}>
                        <option value="">All area reviews</option>
                        {reviews.data?.rows.map((r) => (
                          <option key={r.id} value={r.id}>
                            {r.title}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                </div>
              )}
              {byOptions(spec.measure).length > 0 && (
                <Field label="Break down by" hint="A breakdown turns the value into a table or chart.">
                  {(c) => (
                    <select
                      {...c}
                      className="select"
                      value={spec.by}
                      onChange={(e) => {
                        set('by', e.target.value);
                        if (e.target.value && kind === 'value') setKind('table');
                      }}
                    >
                      <option value="">No breakdown (a single value)</option>
                      {byOptions(spec.measure).map((b) => (
                        <option key={b.id} value={b.id}>
                          {b.label}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              )}
            </div>
          ) : (
            <SqlEditor value={sql} onChange={setSql} error={errors.sql ?? sqlError} />
          )}

          <FieldGroup legend="Format" className="filters-group">
            <div className="form-grid form-grid--3">
              <Field label="Style">
                {(c) => (
                  <select {...c} className="select" value={format.style ?? ''} onChange={(e) => setFormat((f) => ({ ...f, style: (e.target.value || undefined) as FigureFormat['style'] }))}>
                    <option value="">Automatic</option>
                    <option value="percent">Percent (79%)</option>
                    <option value="number">Number (1,234)</option>
                    <option value="compact">Compact (1.2 million)</option>
                    <option value="points">Percentage points</option>
                    <option value="direction">Direction words (rose, fell)</option>
                    <option value="text">Text</option>
                  </select>
                )}
              </Field>
              <Field label="Decimal places">
                {(c) => (
                  <input
                    {...c}
                    className="input"
                    type="number"
                    min={0}
                    max={6}
                    value={format.decimals ?? ''}
                    onChange={(e) => setFormat((f) => ({ ...f, decimals: e.target.value === '' ? undefined : Math.max(0, Math.min(6, Number(e.target.value))) }))}
                  />
                )}
              </Field>
              <Field label="Suppress below" optional hint="Counts under this are not shown">
                {(c) => (
                  <input
                    {...c}
                    className="input"
                    type="number"
                    min={0}
                    value={format.suppressBelow ?? ''}
                    onChange={(e) => setFormat((f) => ({ ...f, suppressBelow: e.target.value === '' ? undefined : Math.max(0, Number(e.target.value)) }))}
                  />
                )}
              </Field>
            </div>
          </FieldGroup>
        </div>

        <aside className="builder__preview" aria-label="Live preview">
          {paramNames.length > 0 && (
            <FieldGroup legend="Parameters for the preview" hint="Reports supply these; here you try values.">
              <div className="form-grid">
                {paramNames.map((p) => (
                  <Field key={p} label={`$${p}`}>
                    {(c) => <input {...c} className="input mono" value={effectiveParams[p] ?? ''} placeholder="yyyy-mm-dd" onChange={(e) => setParams((x) => ({ ...x, [p]: e.target.value }))} />}
                  </Field>
                ))}
              </div>
            </FieldGroup>
          )}
          <FigurePreview result={preview.result} requestError={mode === 'structured' ? preview.error : undefined} loading={previewing} chart={(existing?.chart ?? null) || (kind === 'chart' ? { type: 'bar', orientation: 'horizontal' } : null)} title={name} />
        </aside>
      </div>
      <div className="builder__actions">
        {existing && !confirmDelete && (
          <button type="button" className="btn btn--danger-ghost" onClick={() => setConfirmDelete(true)}>
            Delete figure
          </button>
        )}
        {existing && confirmDelete && (
          <span className="confirm" role="group" aria-label="Confirm deletion">
            <span>Delete “{existing.name}”?</span>
            <button type="button" className="btn btn--danger btn--small" onClick={() => void remove()}>
              Delete
            </button>
            <button type="button" className="btn btn--secondary btn--small" onClick={() => setConfirmDelete(false)}>
              Keep
            </button>
          </span>
        )}
        <span className="spacer" />
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {busy ? 'Saving…' : existing ? 'Save figure' : 'Add to library'}
        </button>
      </div>
    </form>
  );
}

/**
 * A plain textarea with a line-number gutter: analysts paste and edit queries; the engine's error is shown right
 * under the query, and the line it names (when it names one) is marked in the gutter.
 */
function SqlEditor(props: { value: string; onChange: (v: string) => void; error?: string }) {
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

