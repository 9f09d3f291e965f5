import type { Dispatch } from 'react';
import { useRequest } from '../../lib/api';
import { capitalise } from '../../lib/format';
import { useReference } from '../../lib/reference';
import { Field, FieldGroup, SelectField } from '../../ui/Field';
import type { BuilderAction } from './builderState';
import { byOptions, isIndicatorMeasure, isRatingMeasure, MEASURES, type SpecForm } from './spec';

/**
 * The lists the structured form offers (key questions, ratings, places, indicators, area reviews). Loaded by the
 * builder as soon as it opens, so switching from SQL to the form finds them ready.
 */
export function useSpecChoices() {
  const reference = useReference();
  const reviews = useRequest('areaReviews.list', {});
  const indicatorList = useRequest('indicators.list', {});
  const frameworks = useRequest('framework.get', {});
  return { reference: reference.data, indicators: indicatorList.data?.indicators, areaReviews: reviews.data?.rows, frameworks: frameworks.data?.frameworks };
}
type SpecChoices = ReturnType<typeof useSpecChoices>;

interface PartProps {
  spec: SpecForm;
  errors: Record<string, string>;
  choices: SpecChoices;
  set: <K extends keyof SpecForm>(field: K, value: SpecForm[K]) => void;
  dispatch: Dispatch<BuilderAction>;
}

/**
 * The figure defined in a form rather than SQL: a measure, then the fields that measure uses (spec.ts turns them into
 * the engine's spec), then an optional breakdown.
 */
export function StructuredSpecForm(props: { spec: SpecForm; errors: Record<string, string>; choices: SpecChoices; dispatch: Dispatch<BuilderAction> }) {
  const { spec, dispatch } = props;
  const set = <K extends keyof SpecForm>(field: K, value: SpecForm[K]) => dispatch({ type: 'setSpecField', field, value } as BuilderAction);
  const part: PartProps = { ...props, set };
  return (
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
      {isRatingMeasure(spec.measure) && <RatingFields {...part} />}
      {isIndicatorMeasure(spec.measure) && <IndicatorFields {...part} />}
      {(spec.measure === 'finding_count' || spec.measure === 'evidence_count') && <CountFields {...part} />}
      {spec.measure === 'assessment_score' && <AssessmentFields {...part} />}
      {spec.measure === 'assessment_rating' && (
        <Field label="Assessment" hint="Its id, or a report parameter such as $assessment." error={props.errors.assessment}>
          {(c) => <input {...c} className="input" value={spec.assessment} onChange={(e) => set('assessment', e.target.value)} />}
        </Field>
      )}
      {byOptions(spec.measure).length > 0 && <BreakdownField {...part} />}
    </div>
  );
}

/** Rating measures: the key question, the ratings counted, the date(s), and filters on the locations. */
function RatingFields({ spec, errors, choices, set, dispatch }: PartProps) {
  const ref = choices.reference;
  const kqScale = ref?.keyQuestions.find((k) => k.name === spec.keyQuestion)?.scaleId;
  const ratingValues = ref?.ratingValues.filter((v) => v.onScale && (!kqScale || v.scaleId === kqScale)) ?? [];
  const las = ref?.localAuthorities.filter((l) => !spec.region || ref.regions.find((r) => r.name === spec.region)?.id === l.regionId) ?? [];
  return (
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
      {spec.measure !== 'rating_distribution' && spec.measure !== 'rating_movement' && (
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
      {spec.measure === 'rating_movement' && (
        <Field label="Compare">
          {(c) => (
            <select {...c} className="select" value={spec.compare} onChange={(e) => set('compare', e.target.value as SpecForm['compare'])}>
              <option value="">Each location’s rating on one date with its rating on another</option>
              <option value="reinspection">Each location’s latest rating with its previous one (re-inspection)</option>
            </select>
          )}
        </Field>
      )}
      {spec.measure === 'rating_change' || spec.measure === 'rating_movement' ? (
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
      <Field label="Locations counted">
        {(c) => (
          <select {...c} className="select" value={spec.registered} onChange={(e) => set('registered', e.target.value as SpecForm['registered'])}>
            <option value="">Registered on the date (the register as it was)</option>
            <option value="all">Every location ever rated, registered or not</option>
          </select>
        )}
      </Field>
      <FieldGroup legend="Filters" className="filters-group">
        <div className="form-grid form-grid--3">
          <SelectField label="Sector" value={spec.sector} onChange={(v) => set('sector', v)} empty="All sectors" options={ref?.sectors.map((s) => ({ value: s.name, label: s.name })) ?? []} />
          <SelectField
            label="Region"
            value={spec.region}
            onChange={(v) => dispatch({ type: 'setRegion', region: v })}
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
  );
}

/** Indicator measures: which indicator, the area (except for the spread across areas) and the period. */
function IndicatorFields({ spec, errors, choices, set }: PartProps) {
  const ref = choices.reference;
  const indicators = choices.indicators;
  const indicatorPeriods = indicators?.find((i) => i.id === spec.indicator)?.periods ?? [];
  return (
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
  );
}

/** Finding and evidence counts: their own filters, and the area review they belong to. */
function CountFields({ spec, choices, set }: PartProps) {
  const ref = choices.reference;
  return (
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
            {choices.areaReviews?.map((r) => (
              <option key={r.id} value={r.id}>
                {r.title}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}

/** Assessment scores: the framework, one quality statement or all of them, the statistic, and the date. */
function AssessmentFields({ spec, errors, choices, set }: PartProps) {
  const frameworks = choices.frameworks ?? [];
  const chosen = frameworks.find((f) => f.name === spec.framework || f.id === spec.framework);
  const statements = chosen?.groups.flatMap((g) => g.statements) ?? [];
  return (
    <div className="form-grid form-grid--3">
      <SelectField
        label="Framework"
        value={chosen?.name ?? spec.framework}
        onChange={(v) => {
          set('framework', v);
          set('qualityStatement', '');
        }}
        empty="Choose a framework"
        options={frameworks.map((f) => ({ value: f.name, label: f.name }))}
        error={errors.framework}
      />
      <SelectField
        label="Quality statement"
        value={statements.find((q) => q.name === spec.qualityStatement || q.id === spec.qualityStatement)?.name ?? spec.qualityStatement}
        onChange={(v) => set('qualityStatement', v)}
        empty="All quality statements"
        options={statements.map((q) => ({ value: q.name, label: q.name }))}
        error={errors.qualityStatement}
      />
      <SelectField
        label="Statistic"
        value={spec.statistic}
        onChange={(v) => set('statistic', v as SpecForm['statistic'])}
        options={[
          { value: 'share', label: 'Share scoring at least…' },
          { value: 'median', label: 'Median score' },
          { value: 'mean', label: 'Mean score' },
          { value: 'count', label: 'Number assessed' },
        ]}
      />
      {spec.statistic === 'share' && (
        <SelectField label="Scoring at least" value={spec.minScore} onChange={(v) => set('minScore', v)} options={['1', '2', '3', '4'].map((n) => ({ value: n, label: n }))} error={errors.minScore} />
      )}
      <Field label="One assessment" hint="Its id or $assessment, for its report; empty for every published one." error={errors.assessment}>
        {(c) => <input {...c} className="input" value={spec.assessment} onChange={(e) => set('assessment', e.target.value)} />}
      </Field>
      <Field label="As at" hint="A date or $asAt; empty for each one's latest published assessment." error={errors.asAt}>
        {(c) => <input {...c} className="input" value={spec.asAt} onChange={(e) => set('asAt', e.target.value)} />}
      </Field>
    </div>
  );
}

/** The breakdown the measure allows; choosing one makes a single-value figure a table (builderState). */
function BreakdownField({ spec, dispatch }: PartProps) {
  return (
    <Field label="Break down by" hint="A breakdown turns the value into a table or chart.">
      {(c) => (
        <select {...c} className="select" value={spec.by} onChange={(e) => dispatch({ type: 'setBreakdown', by: e.target.value })}>
          <option value="">No breakdown (a single value)</option>
          {byOptions(spec.measure).map((b) => (
            <option key={b.id} value={b.id}>
              {b.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
