import type { Bench } from './types';
import { median, ms } from './types';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSqlJs } from '../../services/sqljs';
import { WorkspaceFile } from '../../services/workspace-file';
import { Workspace } from '../../../shared/store/workspace';
import { seedReference } from '../../../shared/store/reference';
import { sampleRatings, updateRating } from '../../../shared/store/ratings';
import { listFigures } from '../../../shared/store/figures';
import { derivedInfo } from '../../../shared/store/info';
import { createFigureEngine } from '../../../shared/figures/engine';
import { createWorkerSqlExecutor } from '../../services/sql-worker';
import { saveFiguresBulk } from '../../../shared/figures/library';
import { generateMovedLocations, generateSynthetic, insertSyntheticAreas, rng } from '../../../shared/figures/testing';
import type { FigureParams } from '../../../shared/figures/types';
import type { FigureInput } from '../../../shared/figures/library';

/**
 * `assay bench figures`: a generated workspace with 2 million rating rows and 300 figures. Prints the time to compute
 * every figure cold: on opening the saved workspace (the rating index read from the file's derived cache), and the
 * first time, before anything was saved (the index read from the rows); the median time to bring all affected figures up to date
 * after one rating is changed, and, as the baseline measured in the same run after the same kind of change, a full
 * recompute of all figures (and an estimate for a fresh SQL GROUP BY per figure). Targets: cold < 2 s, one change < 50 ms.
 * `--moved=N` gives N locations a details history (they moved area in 2018), so figures as at 2017 read details as at
 * their date.
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
    // Locations given a details history (moved area), so that figures as at the earlier date count them elsewhere.
    const moved = arg('moved', 0);
    let withHistory = 0;
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
        if (moved > 0) withHistory = generateMovedLocations(tx, { locations, moved });
      },
      { unjournaled: true, actor: 'bench' },
    );
    ws.db.run('PRAGMA foreign_keys = ON');
    await saveFiguresBulk(ws, benchFigures(nFigures), 'bench');
    const figures = listFigures(ws)
      .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
      .map((r) => r.id);
    io.out(`  generated in ${ms(performance.now() - t)}`);
    const params: FigureParams = { asAt: '2018-07-31', previousAsAt: '2017-07-31' };

    // Cold, first time: nothing saved yet, so the rating index is read from the two million rows.
    const engine = createFigureEngine(ws, { sql: createWorkerSqlExecutor(ws) });
    t = performance.now();
    let errors = 0;
    const first = figures.map((id) => engine.evaluateRef({ figureId: id }, params));
    for (const r of first) if (r.error) errors++;
    const coldRows = performance.now() - t;
    const rowStats = engine.stats();
    if (errors) io.err(`  ${errors} figures failed to compute`);

    // Save (the index goes into the file's derived cache), then open the file again: cold as a user meets it.
    const dir = mkdtempSync(join(tmpdir(), 'assay-bench-figures-'));
    const file = join(dir, 'bench.assay');
    const coldOpen: number[] = [];
    const opens: number[] = [];
    const exportWith: number[] = [];
    const exportWithout: number[] = [];
    let fileBytes = 0;
    let cacheBytes = 0;
    let identical = 0;
    let openStats = rowStats;
    try {
      t = performance.now();
      const bytes = ws.export({ derived: true });
      exportWith.push(performance.now() - t);
      writeFileSync(file, bytes);
      fileBytes = bytes.length;
      // What storing the index adds to a save (closing does it; autosaves do not): an export that leaves it out
      // against one, after a rating change, that stores it again.
      const someIds = sampleRatings(ws, { every: 1009, ratings: ['Good', 'Requires improvement'], limit: 5 }).map((r) => r.id);
      for (const id of someIds) {
        t = performance.now();
        ws.export({ derived: false });
        exportWithout.push(performance.now() - t);
        const w = await ws.write('bench.change', (tx) => updateRating(tx, id, { rating: 'Inadequate' }), { actor: 'bench' });
        engine.applyChange({ seq: w.seq, label: 'bench.change', tables: w.tables, changes: w.changes });
        t = performance.now();
        ws.export({ derived: true });
        exportWith.push(performance.now() - t);
      }
      cacheBytes = derivedInfo(ws).find((d) => d.name === 'rating-index')?.bytes ?? 0;
      for (let i = 0; i < Math.max(1, arg('opens', 3)); i++) {
        t = performance.now();
        const wf = await WorkspaceFile.open(file, { readOnly: true, sql: SQL });
        opens.push(performance.now() - t);
        try {
          const e = createFigureEngine(wf.workspace, { sql: createWorkerSqlExecutor(wf.workspace) });
          t = performance.now();
          const again = figures.map((id) => e.evaluateRef({ figureId: id }, params));
          coldOpen.push(performance.now() - t);
          openStats = e.stats();
          if (i === 0) {
            identical = again.filter((r, k) => {
              const a = first[k]!;
              return r.formatted === a.formatted && r.provenance.fingerprint === a.provenance.fingerprint && JSON.stringify(r.value) === JSON.stringify(a.value);
            }).length;
          }
          e.dispose();
        } finally {
          await wf.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // One change: a rating that is some series' latest as at the report date changes label, so figures really move.
    const candidates = sampleRatings(ws, { every: 97, ratings: ['Good', 'Requires improvement'], publishedFrom: '2017-08-01', publishedTo: '2018-07-31', limit: 500 });
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
    const sqlEngine = createFigureEngine(ws, { useIndex: false, sql: createWorkerSqlExecutor(ws) });
    const sample = figures.slice(0, 3);
    t = performance.now();
    for (const id of sample) sqlEngine.evaluateRef({ figureId: id }, params);
    const perSql = (performance.now() - t) / sample.length;
    sqlEngine.dispose();
    engine.dispose();

    const m = median(inc);
    io.out(`Figures bench: ${(locations * 6 * perSeries).toLocaleString('en-GB')} rating rows, ${figures.length} figures${moved ? `, ${withHistory.toLocaleString('en-GB')} locations with a details history` : ''}`);
    io.out(`  cold, opening the saved workspace: all figures computed   median ${ms(median(coldOpen))}   (target < 2 s; runs ${coldOpen.map((x) => x.toFixed(0)).join(', ')} ms; index read from the file's derived cache in ${ms(openStats.indexBuildMs)} [${openStats.indexSource}], ${openStats.aggregates} aggregates; results identical to the first computation: ${identical}/${figures.length})`);
    io.out(`    opening the file itself (not counted above): median ${ms(median(opens))}; the file ${(fileBytes / 1e6).toFixed(0)} MB, of which the index ${(cacheBytes / 1e6).toFixed(1)} MB`);
    io.out(`    saving: an export that stores the index (on close, after an import) median ${ms(median(exportWith))}; an autosave's export, which leaves it out, median ${ms(median(exportWithout))}`);
    io.out(`  cold, first time (nothing saved yet): all figures computed ${ms(coldRows)}   (reading ${rowStats.ratingRows.toLocaleString('en-GB')} rating rows into the index ${ms(rowStats.indexBuildMs)} [${rowStats.indexSource}])`);
    io.out(`  after one rating change: median   ${ms(m)}   (target < 50 ms; p90 ${ms([...inc].sort((a, b) => a - b)[Math.floor(inc.length * 0.9)]!)}; ${median(changedCounts)} figures changed value, median)`);
    io.out(`  baseline: full recompute after one change, median ${ms(median(full))}   ratio ${(median(full) / m).toFixed(0)}×`);
    io.out(`  for reference: a fresh SQL GROUP BY per figure ${ms(perSql)} each, about ${ms(perSql * figures.length)} for all ${figures.length}`);
  },
};
