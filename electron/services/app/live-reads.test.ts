import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from 'sql.js';
import type { RequestInput } from '../../../shared/ipc/contract';
import { EVERY_TABLE, LIVE_READS, type ReadName } from '../../../shared/ipc/live';
import { TABLES } from '../../../shared/store/schema';
import { lxParagraph, lxRoot, lxText, lxFigure } from '../../../shared/document/lexical';
import { openTestSession, type TestSession } from './testing/session';

/**
 * shared/ipc/live.ts says which tables each read's answer comes from; the renderer refreshes a read only after a write
 * to one of them. This runs every read of the contract against a real workspace, records every statement it prepares,
 * asks SQLite (EXPLAIN) which tables each one opens, and fails when a read opened a table its entry lacks: a list
 * that has fallen behind its handler (say after its SQL moved, or a join was added) would leave a screen stale.
 */

let t: TestSession | undefined;
afterEach(async () => {
  await t?.session.close();
  t = undefined;
});

/** The tables a statement opens for reading, by SQLite's own account. */
function tablesRead(db: Database, prepare: Database['prepare'], sql: string, roots: Map<number, string>): string[] {
  const out = new Set<string>();
  let ex;
  try {
    ex = prepare.call(db, `EXPLAIN ${sql}`);
  } catch {
    return [];
  }
  try {
    while (ex.step()) {
      const r = ex.getAsObject();
      if (r.opcode === 'OpenRead' || r.opcode === 'OpenWrite') {
        const table = roots.get(Number(r.p2));
        if (table) out.add(table);
      }
    }
  } finally {
    ex.free();
  }
  return [...out];
}

type Samples = { [N in ReadName]: (ids: Ids) => RequestInput<N> };
interface Ids {
  reportId: string;
  assessmentId: string;
  evidenceId: string;
  figureId: string;
  sectionId: string;
}

/** One input per read: the compiler asks for one when a read is added to the contract. */
const SAMPLES: Samples = {
  'workspace.info': () => ({}),
  'settings.get': () => ({}),
  'reference.get': () => ({}),
  'locations.list': () => ({ filters: { search: 'sea' } }),
  'locations.get': () => ({ id: '1-200' }),
  'providers.list': () => ({}),
  'inspections.list': () => ({}),
  'areaReviews.list': () => ({}),
  'findings.list': () => ({}),
  'evidence.list': () => ({ search: 'ward' }),
  'evidence.get': ({ evidenceId }) => ({ id: evidenceId }),
  'framework.get': () => ({}),
  'assessments.list': () => ({}),
  'assessments.get': ({ assessmentId }) => ({ id: assessmentId }),
  'evidence.citedBy': ({ evidenceId }) => ({ id: evidenceId }),
  'evidence.register': () => ({}),
  'indicators.list': () => ({}),
  'templates.list': () => ({}),
  'reports.list': () => ({}),
  'reports.get': ({ reportId }) => ({ id: reportId }),
  'reports.blackline': ({ reportId }) => ({ id: reportId }),
  'figures.rows': ({ figureId }) => ({ figureId, params: { asAt: '2018-07-31' } }),
  'figures.list': () => ({}),
  'figures.get': ({ figureId }) => ({ id: figureId }),
  'figures.preview': () => ({ kind: 'value', spec: { measure: 'rating_share', keyQuestion: 'safe', ratings: ['Good', 'Outstanding'], asAt: '2018-07-31' } }),
  'figures.evaluate': ({ reportId, figureId }) => ({ reportId, refs: [{ figureId }], wait: true }),
  'review.ledger': ({ reportId }) => ({ reportId }),
  'review.checks': ({ reportId }) => ({ reportId }),
  'review.whatChanged': ({ reportId }) => ({ reportId }),
  'sections.approval': ({ sectionId }) => ({ id: sectionId }),
  'review.settings': () => ({}),
  'comments.list': ({ reportId }) => ({ reportId }),
  'comments.people': () => ({}),
  'comments.activity': () => ({}),
  'audit.list': () => ({}),
  'merge.conflicts': () => ({ includeResolved: true }),
  'inspectorPack.options': () => ({}),
};

describe('the live-query map', () => {
  it('lists every table each read opens', async () => {
    t = await openTestSession();
    const call = t.call.bind(t);
    // Something of each kind for the reads to find: evidence cited by a finding and a figure, a report that uses the
    // figure, a comment on it.
    const { id: evidenceId } = await call<{ id: string }>('evidence.save', { kind: 'interview', title: 'Interview with the ward lead', sensitivity: 'official' });
    await call('findings.save', { subjectType: 'location', subjectId: '1-200', judgement: 'concern', text: 'Weekend discharge cover is thin.', evidenceIds: [evidenceId] });
    const { id: figureId } = await call<{ id: string }>('figures.save', {
      slug: 'safe-good',
      name: 'Safe rated good or outstanding',
      kind: 'value',
      spec: { measure: 'rating_share', keyQuestion: 'safe', ratings: ['Good', 'Outstanding'], asAt: '$asAt' },
      format: { style: 'percent', decimals: 0 },
      evidenceIds: [evidenceId],
    });
    const { id: reportId } = await call<{ id: string }>('reports.create', { templateId: 'blank', title: 'Local review', params: { asAt: '2018-07-31' } });
    const report = await call<{ sections: { id: string }[] }>('reports.get', { id: reportId });
    const sectionId = report.sections[0]!.id;
    await call('sections.saveContent', { id: sectionId, content: JSON.stringify(lxRoot([lxParagraph([lxText('Safe: '), lxFigure(figureId)])])) });
    await call('comments.add', { sectionId, body: 'Is this all sectors?' });
    const { id: assessmentId } = await call<{ id: string }>('assessments.create', { subjectType: 'location', subjectId: '1-200', kind: 'Comprehensive assessment', siteVisits: ['2025-02-03'] });
    await call('scores.set', { assessmentId, scores: [{ statementId: 'saf-safeguarding', score: 3 }] });
    const ids: Ids = { reportId, evidenceId, figureId, sectionId, assessmentId };

    const db = t.session.ws.db;
    const prepare = db.prepare;
    const roots = new Map<number, string>();
    for (const r of t.session.ws.all<{ rootpage: number; tbl_name: string }>("SELECT rootpage, tbl_name FROM sqlite_schema WHERE type IN ('table', 'index')")) roots.set(r.rootpage, r.tbl_name);
    const known: ReadonlySet<string> = new Set(TABLES);

    const missing: Record<string, string[]> = {};
    const opened: Record<string, string[]> = {};
    for (const name of Object.keys(SAMPLES) as ReadName[]) {
      const seen: string[] = [];
      db.prepare = ((sql: string, params?: never) => {
        seen.push(sql);
        return prepare.call(db, sql, params);
      }) as Database['prepare'];
      try {
        await call(name, (SAMPLES[name] as (ids: Ids) => unknown)(ids));
      } finally {
        db.prepare = prepare;
      }
      const read = [...new Set(seen.flatMap((sql) => tablesRead(db, prepare, sql, roots)))].filter((x) => known.has(x)).sort();
      opened[name] = read;
      const declared = LIVE_READS[name];
      if (declared === EVERY_TABLE) continue;
      const lacking = read.filter((x) => !(declared as readonly string[]).includes(x));
      if (lacking.length) missing[name] = lacking;
    }
    expect(missing, 'tables a read opened that shared/ipc/live.ts does not list for it').toEqual({});
    // The check saw real work: the reads that answer from the workspace opened tables.
    expect(opened['evidence.get']).toContain('evidence');
    expect(opened['reports.get']).toEqual(['reports', 'sections']);
    expect(opened['review.checks']!.length).toBeGreaterThan(3);
  });
});
