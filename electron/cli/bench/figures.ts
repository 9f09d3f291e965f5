import type { Bench } from './types';
import { median, ms } from './types';
import { loadSqlJs } from '../../services/sqljs';
import { Workspace } from '../../../shared/store/workspace';
import { seedReference } from '../../../shared/store/reference';
import { updateRating } from '../../../shared/store/repo';
import { createFigureEngine } from '../../../shared/figures/engine';
import { saveFiguresBulk } from '../../../shared/figures/library';
import { generateSynthetic, insertSyntheticAreas, rng } from '../../../shared/figures/testing';
import type { FigureParams } from '../../../shared/figures/types';
import type { FigureInput } from '../../../shared/figures/library';

/**
 * `assay bench figures`: a generated workspace with 2 million rating rows and 300 figures. Prints the time to compute
 * every figure cold (including building the rating index), the median time to bring all affected figures up to date
 * after one rating is changed, and, as the baseline measured in the same run after the same kind of change, a full
 * recompute of all figures (and an estimate for a fresh SQL GROUP BY per figure). Targets: cold < 2 s, one change < 50 ms.
 */

const SECTORS = ['asc', 'pms', 'hosp', undefined] as const;
const KQS = ['Safe', 'Effective', 'Caring', 'Responsive', 'Well-led', 'Overall'];
const SETS = [['Outstanding', 'Good'], ['Requires improvement'], ['Inadequate']];
const REGIONS = ['London', 'North West', 'South West', 'North East', 'East Midlands'];

/** 300 figures of the kinds a State of Care report quotes: shares, breakdowns, changes, counts, distributions. */
export function benchFigures(n = 300): FigureInput[] {
  const out: FigureInput[] = [];
  const add = (kind: FigureInput['kind'], spec: Record<string, unknown>) => out.push({ slug: `bench-${out.length}`, name: `Bench figure ${out.length}`, kind, spec });
  for (const kq of KQS) for (const sector of SECTORS) for (const ratings of SETS) for (const asAt of ['$asAt', '$previousAsAt']) {
    add('value', { measure: 'rating_share', keyQuestion: kq, ratings, asAt, ...(sector ? { filters: { sector } } : {}) });
  }
  for (const kq of KQS) for (const sector of SECTORS) add('table', { measure: 'rating_share', keyQuestion: kq, ratings: SETS[0], asAt: '$asAt', by: 'region', ...(sector ? { filters: { sector } } : {}) });
  for (const kq of KQS) for (const sector of SECTORS) add('value', { measure: 'rating_change', keyQuestion: kq, ratings: SETS[0], from: '$previousAsAt', to: '$asAt', ...(sector ? { filters: { sector } } : {}) });
  for (const kq of KQS) for (const region of REGIONS) add('value', { measure: 'rating_count', keyQuestion: kq, ratings: ['Inadequate'], asAt: '$asAt', filters: { region } });
  for (const kq of KQS) for (const by of ['sector', 'category', 'localAuthority']) add('table', { measure: 'rating_distribution', keyQuestion: kq, asAt: '$asAt', by });
  for (let i = 0; out.length < n; i++) {
    add('table', { measure: 'rating_change', keyQuestion: KQS[i % 6], ratings: SETS[i % 3], from: '$previousAsAt', to: '$asAt', by: i % 2 ? 'region' : 'careHome' });
  }
  return out.slice(0, n);
}

export const figuresBench: Bench = {
  name: 'figures',
  summary: 'Live figures on 2 million rating rows and 300 figures: cold compute, and bringing affected figures up to date after one rating change.',
  async run(argv, io) {
    const arg = (name: string, d: number) => Number(argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? d);
    const perSeries = 5;
    const ratings = arg('ratings', 2_000_000);
    const locations = Math.ceil(ratings / (6 * perSeries));
    const nFigures = arg('figures', 300);
    const changes = arg('changes', 30);
    const SQL = await loadSqlJs();
    const ws = Workspace.create(SQL);
    io.out(`Generating ${(locations * 6 * perSeries).toLocaleString('en-GB')} rating rows (${locations.toLocaleString('en-GB')} locations) and ${nFigures} figures…`);
    let t = performance.now();
    // Foreign keys are checked by the generator's construction; checking 2 million of them would only slow the bench.
    ws.db.run('PRAGMA foreign_keys = OFF');
    await ws.write(
      'bench.generate',
      (tx) => {
        seedReference(tx);
        insertSyntheticAreas(tx);
        generateSynthetic(tx, { locations, perSeries, seed: 3 });
      },
      { unjournaled: true, actor: 'bench' },
    );
    ws.db.run('PRAGMA foreign_keys = ON');
    await saveFiguresBulk(ws, benchFigures(nFigures), 'bench');
    const figures = ws.all<{ id: string }>('SELECT id FROM figures ORDER BY slug').map((r) => r.id);
    io.out(`  generated in ${ms(performance.now() - t)}`);
    const params: FigureParams = { asAt: '2018-07-31', previousAsAt: '2017-07-31' };

    const engine = createFigureEngine(ws);
    t = performance.now();
    let errors = 0;
    for (const id of figures) if (engine.evaluateRef({ figureId: id }, params).error) errors++;
    const cold = performance.now() - t;
    const coldStats = engine.stats();
    if (errors) io.err(`  ${errors} figures failed to compute`);

    // One change: a rating that is some series' latest as at the report date changes label, so figures really move.
    const candidates = ws.all<{ id: number; rating: string }>(
      `SELECT id, rating FROM ratings WHERE published_on BETWEEN '2017-08-01' AND '2018-07-31' AND rating IN ('Good', 'Requires improvement') AND id % 97 = 0 LIMIT 500`,
    );
    const rand = rng(11);
    const inc: number[] = [];
    const changedCounts: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < changes; i++) {
      const c = candidates[Math.floor(rand() * candidates.length)]!;
      const next = c.rating === 'Good' ? 'Requires improvement' : 'Good';
      c.rating = next;
      const w = await ws.write('bench.change', (tx) => updateRating(tx, c.id, { rating: next }), { actor: 'bench' });
      const t0 = performance.now();
      const changed = engine.applyChange({ seq: w.seq, label: 'bench.change', tables: w.tables, changes: w.changes });
      inc.push(performance.now() - t0);
      changedCounts.push(changed.length);
    }
    // Baseline, after the same kind of change: recompute every figure from scratch (the rating index rebuilt too).
    const baseRuns = Math.max(1, arg('baseline-runs', 2));
    for (let i = 0; i < baseRuns; i++) {
      const c = candidates[Math.floor(rand() * candidates.length)]!;
      const next = c.rating === 'Good' ? 'Requires improvement' : 'Good';
      c.rating = next;
      await ws.write('bench.change', (tx) => updateRating(tx, c.id, { rating: next }), { actor: 'bench' });
      const t0 = performance.now();
      engine.reset();
      for (const id of figures) engine.evaluateRef({ figureId: id }, params);
      full.push(performance.now() - t0);
    }
    // And what a fresh GROUP BY per figure costs (the approach the index replaces), timed on a few figures.
    const sqlEngine = createFigureEngine(ws, { useIndex: false });
    const sample = figures.slice(0, 3);
    t = performance.now();
    for (const id of sample) sqlEngine.evaluateRef({ figureId: id }, params);
    const perSql = (performance.now() - t) / sample.length;
    sqlEngine.dispose();
    engine.dispose();

    const m = median(inc);
    io.out(`Figures bench: ${(locations * 6 * perSeries).toLocaleString('en-GB')} rating rows, ${figures.length} figures`);
    io.out(`  cold: all figures computed        ${ms(cold)}   (target < 2 s; of which reading ${coldStats.ratingRows.toLocaleString('en-GB')} rating rows into the index ${ms(coldStats.indexBuildMs)}, ${coldStats.aggregates} aggregates)`);
    io.out(`  after one rating change: median   ${ms(m)}   (target < 50 ms; p90 ${ms([...inc].sort((a, b) => a - b)[Math.floor(inc.length * 0.9)]!)}; ${median(changedCounts)} figures changed value, median)`);
    io.out(`  baseline: full recompute after one change, median ${ms(median(full))}   ratio ${(median(full) / m).toFixed(0)}×`);
    io.out(`  for reference: a fresh SQL GROUP BY per figure ${ms(perSql)} each, about ${ms(perSql * figures.length)} for all ${figures.length}`);
  },
};
