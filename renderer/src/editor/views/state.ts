import type { FigureEntry } from '../store';

export type ShownState = 'loading' | 'fresh' | 'approved' | 'stale' | 'unapproved' | 'error';

export function figureStateOf(entry: FigureEntry | undefined): ShownState {
  if (!entry) return 'loading';
  if (entry.status === 'error') return 'error';
  if (entry.status === 'loading') return entry.previous ? (entry.previous.result.error ? 'error' : entry.previous.state) : 'loading';
  if (entry.figure.result.error) return 'error';
  return entry.figure.state;
}

export const STATE_WORDS: Record<ShownState, string> = {
  loading: 'calculating',
  fresh: 'fresh',
  approved: 'approved',
  stale: 'stale: the data changed since approval',
  unapproved: 'not yet approved',
  error: 'could not be calculated',
};

export const STATE_LABELS: Record<ShownState, string> = {
  loading: 'Calculating',
  fresh: 'Fresh',
  approved: 'Approved',
  stale: 'Stale',
  unapproved: 'Not approved',
  error: 'Error',
};
