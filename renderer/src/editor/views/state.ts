import type { FigureEntry } from '../store';
import type { FigureState } from '../../../../shared/figures/types';

/** The figure states (one vocabulary with the engine and review), and 'loading' while a value is on its way. */
export type ShownState = 'loading' | FigureState;

export function figureStateOf(entry: FigureEntry | undefined): ShownState {
  if (!entry) return 'loading';
  if (entry.status === 'error') return 'error';
  if (entry.status === 'loading') return entry.previous ? (entry.previous.result.error ? 'error' : entry.previous.state) : 'loading';
  if (entry.figure.result.error) return 'error';
  return entry.figure.state;
}

export const STATE_WORDS: Record<ShownState, string> = {
  loading: 'calculating',
  fresh: 'not yet approved',
  approved: 'approved',
  stale: 'stale: the data changed since approval',
  unapproved: 'approved only with other parameters',
  error: 'could not be calculated',
};

export const STATE_LABELS: Record<ShownState, string> = {
  loading: 'Calculating',
  fresh: 'Not approved',
  approved: 'Approved',
  stale: 'Stale',
  unapproved: 'Other parameters',
  error: 'Error',
};
