import { describe, expect, it } from 'vitest';
import type { FigureDef } from '../../../../shared/figures/types';
import { builderReducer, loadFigure, validateFigure, type BuilderAction, type BuilderState } from './builderState';

const run = (s: BuilderState, ...actions: BuilderAction[]) => actions.reduce(builderReducer, s);
const fresh = () => loadFigure(null, 'structured');

describe('the figure builder’s state', () => {
  it('a new figure’s slug follows its name until the slug is typed into', () => {
    let s = run(fresh(), { type: 'setName', name: 'Safe: Good & Outstanding' });
    expect(s.slug).toBe('safe-good-and-outstanding');
    s = run(s, { type: 'setSlug', slug: 'safe' }, { type: 'setName', name: 'Something else' });
    expect(s.slug).toBe('safe');
  });

  it('an existing figure keeps its slug when renamed', () => {
    const def: FigureDef = { id: 'f1', slug: 'kept', name: 'Old', description: null, kind: 'table', spec: null, sql: 'SELECT 1', format: {}, chart: null, evidenceIds: [] };
    const s = run(loadFigure(def, 'sql'), { type: 'setName', name: 'New name' });
    expect(s).toMatchObject({ mode: 'sql', slug: 'kept', name: 'New name', kind: 'table', sql: 'SELECT 1' });
  });

  it('a breakdown makes a single value a table, and leaves a chart a chart', () => {
    expect(run(fresh(), { type: 'setBreakdown', by: 'region' }).kind).toBe('table');
    expect(run(fresh(), { type: 'setKind', kind: 'chart' }, { type: 'setBreakdown', by: 'region' }).kind).toBe('chart');
    expect(run(fresh(), { type: 'setBreakdown', by: '' }).kind).toBe('value');
  });

  it('choosing a region clears the local authority', () => {
    const s = run(fresh(), { type: 'setSpecField', field: 'localAuthority', value: 'Oldham' }, { type: 'setRegion', region: 'London' });
    expect(s.spec).toMatchObject({ region: 'London', localAuthority: '' });
  });

  it('a failed delete closes the question and says why', () => {
    const s = run(fresh(), { type: 'askToDelete' }, { type: 'deleteFailed', message: 'In use' });
    expect(s).toMatchObject({ confirmingDelete: false, message: 'In use' });
  });

  it('validation names each field with a problem', () => {
    expect(validateFigure(fresh())).toEqual({ name: 'Enter a name for the figure', slug: 'Enter a slug' });
    const named = run(fresh(), { type: 'setName', name: 'X' }, { type: 'setSlug', slug: 'Bad Slug' }, { type: 'setSpecField', field: 'ratings', value: [] });
    expect(validateFigure(named)).toEqual({ slug: 'Use lower-case letters, digits and hyphens only', ratings: 'Choose at least one rating' });
    const sql = run(fresh(), { type: 'setName', name: 'X' }, { type: 'setMode', mode: 'sql' }, { type: 'setSql', sql: '  ' });
    expect(validateFigure(sql)).toEqual({ sql: 'Write a SELECT query' });
    const indicator = run(fresh(), { type: 'setName', name: 'X' }, { type: 'setSpecField', field: 'measure', value: 'indicator_value' });
    expect(validateFigure(indicator)).toEqual({ indicator: 'Enter the indicator' });
  });
});
