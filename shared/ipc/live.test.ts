import { describe, expect, it } from 'vitest';
import { REQUEST_NAMES } from './contract';
import { REQUEST_CHANNEL_NAMES } from './channels';
import { changeAffects, COMMANDS, EVERY_TABLE, FIGURE_DATA, FIGURE_DEFINITION, figureRefreshFor, isRead, LIVE_READS, NOT_FIGURE_DATA } from './live';
import { COUNTED, countOf, tableWords } from './tables';
import { TABLES } from '../store/schema';

describe('the live-query map', () => {
  it('says of every request of the contract whether it is a read (with its tables) or a command, and never both', () => {
    const reads = Object.keys(LIVE_READS);
    const missing = REQUEST_NAMES.filter((n) => !reads.includes(n) && !(COMMANDS as readonly string[]).includes(n));
    expect(missing, 'requests that are neither a live read nor a command: add them to shared/ipc/live.ts').toEqual([]);
    expect(reads.filter((n) => (COMMANDS as readonly string[]).includes(n))).toEqual([]);
    // Nothing listed that the contract does not have (a renamed request).
    expect([...reads, ...COMMANDS].filter((n) => !(REQUEST_NAMES as string[]).includes(n))).toEqual([]);
    expect([...REQUEST_CHANNEL_NAMES].sort()).toEqual([...reads, ...COMMANDS].sort());
  });

  it('names only tables of the schema', () => {
    const tables: ReadonlySet<string> = new Set(TABLES);
    for (const [name, deps] of Object.entries(LIVE_READS)) {
      if (deps === EVERY_TABLE) continue;
      expect(deps.filter((t) => !tables.has(t)), name).toEqual([]);
    }
  });

  it('puts every table in exactly one of figure data, figure definition and the rest, so a new table is decided on', () => {
    const all = [...FIGURE_DATA, ...FIGURE_DEFINITION, ...NOT_FIGURE_DATA];
    expect([...all].sort()).toEqual([...TABLES].sort());
    expect(new Set(all).size).toBe(all.length);
  });

  it('re-runs a read only when a write touched one of its tables', () => {
    expect(changeAffects('evidence.list', ['evidence', 'audit_log'])).toBe(true);
    expect(changeAffects('evidence.list', ['sections', 'reports', 'audit_log'])).toBe(false);
    expect(changeAffects('reports.list', ['sections'])).toBe(true);
    expect(changeAffects('workspace.info', ['comments'])).toBe(true);
    expect(changeAffects('workspace.info', [])).toBe(false);
    expect(changeAffects('settings.get', ['meta'])).toBe(false);
    // The lists two screens used to disagree about are one list now.
    expect(LIVE_READS['reports.list']).toEqual(['reports', 'sections']);
    expect(isRead('evidence.get')).toBe(true);
    expect(isRead('evidence.save')).toBe(false);
  });
});

describe('figureRefreshFor', () => {
  it('leaves figures alone after the editor’s own autosave, comments and the audit log', () => {
    expect(figureRefreshFor(['sections', 'reports', 'audit_log'])).toBe('none');
    expect(figureRefreshFor(['comments', 'audit_log'])).toBe('none');
    expect(figureRefreshFor([])).toBe('none');
  });

  it('re-evaluates every figure when a definition, its evidence or an approval changed', () => {
    expect(figureRefreshFor(['figures', 'audit_log'])).toBe('all');
    expect(figureRefreshFor(['figure_approvals', 'sections', 'audit_log'])).toBe('all');
    expect(figureRefreshFor(['ratings', 'figure_evidence'])).toBe('all');
  });

  it('re-evaluates the figures that read changed data', () => {
    expect(figureRefreshFor(['ratings', 'meta', 'audit_log'])).toBe('reading');
    expect(figureRefreshFor(['indicator_values', 'imports'])).toBe('reading');
    expect(figureRefreshFor(['evidence'])).toBe('reading');
  });
});

describe('table words and counts', () => {
  it('says a table in words, and counts by the interface’s names', () => {
    expect(tableWords('area_reviews')).toBe('Area reviews');
    expect(tableWords('merge_conflicts')).toBe('Merge conflicts');
    expect(countOf({ area_reviews: 4 }, 'areaReviews')).toBe(4);
    expect(countOf({}, 'areaReviews')).toBeUndefined();
    const tables: ReadonlySet<string> = new Set(TABLES);
    expect(Object.values(COUNTED).filter((t) => !tables.has(t))).toEqual([]);
  });
});
