import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../electron/services/sqljs';
import { Workspace } from '../store/workspace';
import { seedReference } from '../store/reference';
import { generateDemoData } from '../demo/data';
import { addDemoFigures } from '../demo/figures';
import { addDemoReports, DEMO_REPORT_SLUG } from '../demo/reports';
import { figureService } from '../figures/service';
import { createNextEdition, findReport, reportSections } from '../store/reports';
import { nextEditionParams, nextEditionTitle, yearLater } from '../document/editions';
import { inlineValue } from '../document/tree';
import { blackline } from './blackline';
import type { FigureParams } from '../figures/types';

let ws: Workspace;
beforeAll(async () => {
  const SQL = await loadSqlJs();
  ws = Workspace.create(SQL, { now: '2018-10-01T09:00:00.000Z' });
  await ws.write('workspace.create', (tx) => seedReference(tx), { unjournaled: true, actor: 'test' });
  await generateDemoData(ws);
  await addDemoFigures(ws);
  await addDemoReports(ws);
}, 300_000);

describe('next year’s edition', () => {
  it('shifts dates a year (this year’s as-at becomes the comparison) and the title’s years', () => {
    expect(yearLater('2018-07-31')).toBe('2019-07-31');
    expect(yearLater('2020-02-29')).toBe('2021-02-28');
    expect(nextEditionParams({ asAt: '2018-07-31', previousAsAt: '2017-07-31', indicator: 'dtoc' })).toEqual({ asAt: '2019-07-31', previousAsAt: '2018-07-31', indicator: 'dtoc' });
    expect(nextEditionTitle('State of Care 2017/18 (demonstration data)')).toBe('State of Care 2018/19 (demonstration data)');
    expect(nextEditionTitle('State of Care 2099/00')).toBe('State of Care 2100/01');
    expect(nextEditionTitle('Inspection report 2018')).toBe('Inspection report 2019');
    expect(nextEditionTitle('Local system review')).toBe('Local system review (next edition)');
  });

  it('copies the sections as drafts with no approval, linked to the edition it came from, and lists the numbers that moved', async () => {
    const from = findReport(ws, DEMO_REPORT_SLUG);
    const made = (await ws.write('New edition', (tx) => createNextEdition(tx, from.id), { actor: 'Editor' })).value;
    const next = findReport(ws, made.reportId);
    expect(next).toMatchObject({ title: 'State of Care 2018/19 (demonstration data)', previousEditionId: from.id, params: { asAt: '2019-07-31', previousAsAt: '2018-07-31' } });
    const before = reportSections(ws, { reportId: from.id });
    const after = reportSections(ws, { reportId: next.id });
    expect(after.map((s) => [s.title, s.content, s.owner])).toEqual(before.map((s) => [s.title, s.content, s.owner]));
    expect(after.every((s) => s.status === 'draft' && s.approvalSnapshot === null)).toBe(true);
    expect(ws.value("SELECT count(*) FROM audit_log WHERE action = 'report.new-edition' AND record_id = ?", [next.id])).toBe(1);

    const figures = figureService(ws);
    const b = await figures.settle(() => blackline(ws, figures, next.id));
    expect(b.previous?.id).toBe(from.id);
    expect(b.compared).toBeGreaterThan(60);
    expect(b.items.length).toBeGreaterThan(0);
    expect(b.items.length).toBeLessThanOrEqual(b.compared);
    for (const item of b.items) expect(item.after).not.toBe(item.before);
    // Each inline item, computed again here straight from the engine with each edition's parameters.
    const inline = b.items.filter((i) => i.display === 'inline');
    expect(inline.length).toBeGreaterThan(0);
    for (const item of inline.slice(0, 10)) {
      const section = after.find((s) => s.id === item.sectionId)!;
      const nodes: { figureId: string; params?: FigureParams; part?: string }[] = [];
      const walk = (n: { type?: string; children?: unknown[] } & Record<string, unknown>) => {
        if (n.type === 'live-figure' || n.type === 'figure-block') nodes.push(n as never);
        for (const c of (n.children ?? []) as never[]) walk(c);
      };
      walk((JSON.parse(section.content) as { root: never }).root);
      const node = nodes[item.figureIndex]!;
      expect(node.figureId).toBe(item.figureId);
      const at = (params: FigureParams) => inlineValue(figures.evaluate({ figureId: node.figureId }, { ...params, ...(node.params ?? {}) }), node.part).text;
      expect(item.before).toBe(at(from.params));
      expect(item.after).toBe(at(next.params));
    }
    // Last year's edition itself has nothing to compare with.
    expect((await figures.settle(() => blackline(ws, figures, from.id))).items).toEqual([]);
  });
});
