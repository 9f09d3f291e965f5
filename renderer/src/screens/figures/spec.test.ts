import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../../../shared/figures/spec';
import { EMPTY_SPEC, MEASURES, byOptions, fromSpec, paramsIn, paramsInSpec, toSpec, type SpecForm } from './spec';

// What the form produces for each measure must be a spec the engine accepts, and must come back to the same form.
const filled: SpecForm = {
  ...EMPTY_SPEC,
  sector: 'Adult social care',
  region: 'North West',
  careHome: 'true',
  indicator: 'dtoc-per-100k',
  area: 'E08000004',
  period: '2017/18',
  theme: 'step-down',
  judgement: 'concern',
  sensitivity: 'public',
  kind: 'document',
  framework: 'Local authority assessment',
  qualityStatement: 'Safeguarding',
  assessment: '$assessment',
};

describe('the figure form and the engine spec', () => {
  for (const m of MEASURES) {
    it(`${m.id}: the form’s spec parses, and reads back unchanged`, () => {
      const form: SpecForm = { ...filled, measure: m.id, by: byOptions(m.id)[0]?.id ?? '' };
      const spec = toSpec(form);
      expect(() => parseSpec(spec)).not.toThrow();
      expect(toSpec(fromSpec(spec))).toEqual(spec);
    });
  }

  it('keeps what the form does not show on every measure: the register option and re-inspection survive a round trip', () => {
    for (const spec of [
      { measure: 'rating_share', keyQuestion: 'Safe', ratings: ['Good'], asAt: '$asAt', registered: 'all' },
      { measure: 'rating_movement', keyQuestion: 'Overall', compare: 'reinspection', to: '$asAt', by: 'localAuthority', registered: 'all' },
      { measure: 'rating_movement', keyQuestion: 'Overall', from: '$previousAsAt', to: '$asAt', filters: { sector: 'asc' } },
      // An assessment figure with no date (each one's latest published assessment) stays without one.
      { measure: 'assessment_score', framework: 'Local authority assessment', statistic: 'median', by: 'region' },
      { measure: 'assessment_score', framework: 'cqc-la', qualityStatement: 'la-safe-systems', statistic: 'share', minScore: 4, asAt: '2025-01-31' },
      // One assessment's scores for its report: the framework is the assessment's own.
      { measure: 'assessment_score', assessment: '$assessment', statistic: 'mean', by: 'qualityStatement' },
    ]) {
      expect(() => parseSpec(spec)).not.toThrow();
      expect(toSpec(fromSpec(spec))).toEqual(spec);
    }
  });

  it('a breakdown the measure does not support is left out', () => {
    expect(toSpec({ ...filled, measure: 'indicator_spread', by: 'region' }).by).toBeUndefined();
    expect(toSpec({ ...filled, measure: 'finding_count', by: 'region' }).by).toBeUndefined();
    expect(toSpec({ ...filled, measure: 'finding_count', by: 'theme' }).by).toBe('theme');
  });

  it('finds the parameters a spec or a query refers to', () => {
    expect(paramsInSpec(toSpec({ ...EMPTY_SPEC, measure: 'rating_change' }))).toEqual(['previousAsAt', 'asAt']);
    expect(paramsIn("SELECT * FROM t WHERE published_on <= $asAt AND rating = 'Good' AND x = :area AND y = '$not'")).toEqual(['asAt', 'area']);
    expect(paramsIn('SELECT CAST(x AS TEXT)::text FROM t')).toEqual([]);
  });
});
