import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../electron/services/sqljs';
import { Workspace } from '../store/workspace';
import { seedReference } from '../store/reference';
import { saveFigure } from '../store/figures';
import { createReport, setReportSettings } from '../store/reports';
import { figureService } from '../figures/service';
import { UNROUNDED_CHANGES_NOTE } from '../figures/format';
import { lxFigure, lxFigureBlock, lxParagraph, lxRoot, lxText } from '../document/lexical';
import { assembleReport } from '../export/assemble';
import { gatherReview } from './gather';
import { printedNumbersAgree, printedNumber } from './agreement';
import { reviewReport } from './report';

/**
 * Printed numbers agree: eight adult social care services, 62.5% good or outstanding in 2017 and 75% in 2018
 * (37.5% good, 37.5% outstanding). Printed as whole numbers that is 63% to 75%, 38% + 38% against 75%: a change from
 * unrounded figures (12.5) disagrees with the printed levels (12), and the components do not sum to the whole.
 */

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const GO = ['Outstanding', 'Good'];
const FROM = '2017-07-31';
const TO = '2018-07-31';

async function workspace(content: Record<string, unknown>[]): Promise<{ ws: Workspace; reportId: string }> {
  const ws = Workspace.create(SQL, { name: 'Agreement test' });
  const r = await ws.write(
    'fixture',
    (tx) => {
      seedReference(tx);
      const t = tx.at;
      const before = ['Good', 'Good', 'Good', 'Outstanding', 'Outstanding', 'Requires improvement', 'Requires improvement', 'Requires improvement'];
      const after = ['Good', 'Good', 'Good', 'Outstanding', 'Outstanding', 'Outstanding', 'Requires improvement', 'Requires improvement'];
      for (let i = 0; i < 8; i++) {
        tx.run("INSERT INTO locations(id, name, sector_id, location_type, updated_at) VALUES (?, ?, 'asc', 'Social Care Org', ?)", [`1-${i}`, `Home ${i}`, t]);
        tx.run("INSERT INTO ratings(location_id, key_question_id, rating, published_on, updated_at) VALUES (?, 'overall', ?, '2017-07-01', ?)", [`1-${i}`, before[i]!, t]);
        tx.run("INSERT INTO ratings(location_id, key_question_id, rating, published_on, updated_at) VALUES (?, 'overall', ?, '2018-07-01', ?)", [`1-${i}`, after[i]!, t]);
      }
      const share = (id: string, ratings: string[]) =>
        saveFigure(tx, { id, slug: id, name: id, kind: 'value', spec: { measure: 'rating_share', ratings, asAt: '$d', filters: { sector: 'asc' } }, format: { style: 'percent' } });
      share('go', GO);
      share('good', ['Good']);
      share('out', ['Outstanding']);
      const change = { measure: 'rating_change', ratings: GO, from: FROM, to: TO, filters: { sector: 'asc' } };
      saveFigure(tx, { id: 'chg', slug: 'chg', name: 'Change', kind: 'value', spec: change, format: { style: 'points' } });
      saveFigure(tx, { id: 'chg1', slug: 'chg1', name: 'Change to one decimal', kind: 'value', spec: change, format: { style: 'points', decimals: 1 } });
      saveFigure(tx, { id: 'tbl', slug: 'tbl', name: 'Change by sector', kind: 'table', spec: { ...change, by: 'sector' }, format: { style: 'percent' } });
      return createReport(tx, { title: 'Agreement', params: {}, sections: [{ title: 'Ratings', content: JSON.stringify(lxRoot(content)) }] });
    },
    { actor: 'test' },
  );
  return { ws, reportId: r.value.reportId };
}

const at = (d: string) => ({ d });
const sentence = (figure = 'chg') =>
  lxParagraph([lxText('In 2018, '), lxFigure('go', undefined, at(TO)), lxText(' were rated good or outstanding, up from '), lxFigure('go', undefined, at(FROM)), lxText(', a change of '), lxFigure(figure), lxText('.')]);

function disagreements(ws: Workspace, reportId: string): string[] {
  return reviewReport(ws, figureService(ws), reportId)
    .problems.filter((p) => p.code === 'numbers-disagree')
    .map((p) => p.message);
}

describe('the change rule', () => {
  it('by default prints a change as the difference of the printed levels, in prose and in tables', async () => {
    const { ws, reportId } = await workspace([sentence(), lxFigureBlock('tbl', 'table', 'Change')]);
    const tree = assembleReport(ws, figureService(ws), reportId, { audience: 'public' });
    const shown = tree.figures.filter((u) => u.display === 'inline').map((u) => u.formatted);
    expect(shown).toEqual(['75%', '63%', '12 percentage points']);
    const table = tree.blocks.find((b) => b.type === 'figure-table');
    expect(table?.type === 'figure-table' && table.rows).toEqual([['Adult social care', '63%', '75%', '+12 percentage points']]);
    expect(tree.meta.notices).not.toContain(UNROUNDED_CHANGES_NOTE);
    expect(disagreements(ws, reportId)).toEqual([]);
  });

  it("'unrounded' computes changes from the unrounded shares, and the publication says so", async () => {
    const { ws, reportId } = await workspace([sentence(), lxFigureBlock('tbl', 'table', 'Change')]);
    await ws.write('settings', (tx) => setReportSettings(tx, reportId, { changes: 'unrounded' }));
    const tree = assembleReport(ws, figureService(ws), reportId, { audience: 'public' });
    expect(tree.figures.filter((u) => u.display === 'inline').map((u) => u.formatted)).toEqual(['75%', '63%', '12.5 percentage points']);
    const table = tree.blocks.find((b) => b.type === 'figure-table');
    expect(table?.type === 'figure-table' && table.rows).toEqual([['Adult social care', '63%', '75%', '+12.5 percentage points']]);
    expect(tree.meta.notices).toContain(UNROUNDED_CHANGES_NOTE);
    // The note explains the difference, so the check accepts it.
    expect(disagreements(ws, reportId)).toEqual([]);
  });
});

describe('the check that printed numbers agree', () => {
  it('(a) finds a Change cell that is not its row’s To minus From', async () => {
    const { ws, reportId } = await workspace([lxFigureBlock('tbl', 'table', 'Change')]);
    // Computed from unrounded figures, judged as a report that promises rounded ones.
    await ws.write('settings', (tx) => setReportSettings(tx, reportId, { changes: 'unrounded' }));
    const facts = gatherReview(ws, figureService(ws), reportId, { audience: 'public', maxEvidenceAgeDays: 730 });
    facts.changes = 'rounded';
    expect(printedNumbersAgree(facts.sections[0]!, facts).map((p) => p.message)).toEqual([
      'Table “Change”: the change for Adult social care, +12.5 percentage points, is not the difference of the figures printed beside it (63% to 75%, +12).',
    ]);
  });

  it('(b) finds a change in a sentence that is not the difference of the levels the sentence prints', async () => {
    const { ws, reportId } = await workspace([sentence('chg1')]);
    expect(disagreements(ws, reportId)).toEqual(['A sentence gives 63% and 75% but calls the change 12.5 percentage points; as printed the difference is 12 percentage points.']);
  });

  it('(b) compares the change figure with its own printed parts too', async () => {
    const { ws, reportId } = await workspace([lxParagraph([lxText('It went from '), lxFigure('chg1', 'from'), lxText(' to '), lxFigure('chg1', 'to'), lxText(', up '), lxFigure('chg1', 'change'), lxText('.')])]);
    // One decimal throughout: 62.5% to 75.0% is 12.5 points, as printed.
    expect(disagreements(ws, reportId)).toEqual([]);
  });

  it('(c) finds component shares that do not sum to the combined share of the same measure, unless the page says why', async () => {
    const parts = [lxText('In 2018, '), lxFigure('go', undefined, at(TO)), lxText(' were rated good or outstanding ('), lxFigure('good', undefined, at(TO)), lxText(' good and '), lxFigure('out', undefined, at(TO)), lxText(' outstanding).')];
    const { ws, reportId } = await workspace([lxParagraph(parts)]);
    expect(disagreements(ws, reportId)).toEqual([
      'The text gives 38% good and 38% outstanding (76% together) but 75% good or outstanding. Print shares that add up, or say that figures may not sum due to rounding.',
    ]);
    // A different date is a different measure: nothing to compare.
    const other = await workspace([lxParagraph([lxFigure('go', undefined, at(FROM)), lxText(' then; '), lxFigure('good', undefined, at(TO)), lxText(' and '), lxFigure('out', undefined, at(TO)), lxText(' now.')])]);
    expect(disagreements(other.ws, other.reportId)).toEqual([]);
    const noted = await workspace([lxParagraph([...parts, lxText(' Figures may not sum due to rounding.')])]);
    expect(disagreements(noted.ws, noted.reportId)).toEqual([]);
  });

  it('reads printed numbers as a reader does', () => {
    expect(printedNumber('79%')).toBe(79);
    expect(printedNumber('+3.0 percentage points')).toBe(3);
    expect(printedNumber('-1.5')).toBe(-1.5);
    expect(printedNumber('12,345')).toBe(12345);
    expect(printedNumber('[c]')).toBeUndefined();
  });
});
