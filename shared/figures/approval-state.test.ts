import { describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../electron/services/sqljs';
import { testFigureEngine } from '../../electron/services/testing/figure-engine';
import { Workspace } from '../store/workspace';
import { seedReference } from '../store/reference';
import { insertLocations } from '../store/locations';
import { addRating } from '../store/ratings';
import { approvalsOf } from '../store/figures';
import { saveFigure } from './library';
import { approveFigure } from './approvals';
import { ApprovalIndex, approvalParams, figureState } from './approval-state';
import { FIGURE_STATES, type FigureParams, type FigureState } from './types';
import { STATE_LABELS, STATE_WORDS } from '../../renderer/src/editor/views/state';

/**
 * A figure's state against its sign-off has one vocabulary: the engine's stateOf (the editor's badge, `assay
 * figures`), review's checks and the app's labels all use FIGURE_STATES. This walks one figure through every state and
 * asks both the engine and review's rule, which must agree.
 */
describe('the approval state of a figure', () => {
  it('takes each state of one vocabulary, and the engine and review agree on every one', async () => {
    const SQL = await loadSqlJs();
    const ws = Workspace.create(SQL);
    await ws.write('seed', (tx) => {
      seedReference(tx);
      insertLocations(
        tx,
        ['L1', 'L2'].map((id) => ({
          id,
          name: `Location ${id}`,
          providerId: null,
          sectorId: 'asc',
          locationType: 'Social Care Org',
          category: null,
          careHome: true,
          localAuthorityId: null,
          regionId: 'E12000001',
          street: null,
          city: null,
          postcode: null,
          latitude: null,
          longitude: null,
          registeredOn: null,
          deregisteredOn: null,
          beds: null,
          importId: null,
          updatedAt: '2018-01-01',
        })),
      );
      addRating(tx, { locationId: 'L1', keyQuestionId: 'safe', rating: 'Inadequate', publishedOn: '2018-03-01' });
      addRating(tx, { locationId: 'L2', keyQuestionId: 'safe', rating: 'Good', publishedOn: '2018-03-01' });
    });
    const figure = await saveFigure(ws, { slug: 'safe-inadequate', name: 'Inadequate for safety', kind: 'value', spec: { measure: 'rating_count', keyQuestion: 'safe', ratings: ['Inadequate'], asAt: '$asAt' } }, 'editor');
    const engine = testFigureEngine(ws);
    const approved: FigureParams = { asAt: '2018-07-31' };
    const seen: FigureState[] = [];
    const both = (params: FigureParams): FigureState => {
      const result = engine.evaluateRef({ figureId: figure.id }, params);
      const fromEngine = engine.stateOf(figure.id, null, result).state;
      const fromReview = figureState(result, new ApprovalIndex(approvalsOf(ws, figure.id, null)).find(figure.id, null, approvalParams(result, params)));
      expect(fromReview, `review's state for ${JSON.stringify(params)}`).toBe(fromEngine);
      seen.push(fromEngine);
      return fromEngine;
    };

    expect(both(approved)).toBe('fresh');
    await approveFigure(ws, { figureId: figure.id, sectionId: null, params: approved, by: 'Ruth Reviewer' }, engine);
    expect(both(approved)).toBe('approved');
    expect(both({ asAt: '2017-07-31' })).toBe('unapproved');
    const w = await ws.write('rating', (tx) => addRating(tx, { locationId: 'L2', keyQuestionId: 'safe', rating: 'Inadequate', publishedOn: '2018-06-01' }));
    engine.applyChange({ seq: w.seq, label: 'rating', tables: w.tables, changes: w.changes });
    expect(both(approved)).toBe('stale');
    expect(both({ asAt: 'not a date' })).toBe('error');

    expect([...new Set(seen)].sort()).toEqual([...FIGURE_STATES].sort());
    // The app shows every state, and no other.
    expect(Object.keys(STATE_LABELS).filter((s) => s !== 'loading').sort()).toEqual([...FIGURE_STATES].sort());
    expect(Object.keys(STATE_WORDS).filter((s) => s !== 'loading').sort()).toEqual([...FIGURE_STATES].sort());
    engine.dispose();
    ws.close();
  });
});
