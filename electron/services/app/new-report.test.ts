import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { listTemplates } from '../../../shared/document/templates';
import { parseLexical } from '../../../shared/document/lexical';
import { createReportFromTemplate, reportSections } from '../../../shared/store/reports';
import { saveFigure } from '../../../shared/figures/library';
import { createReportFromTemplate as servicesCreateReportFromTemplate } from '../export';
import { openTestSession, type TestSession } from './testing/session';

/**
 * "New report from template" is one function (shared/store/reports.ts): the app's reports.create, the CLI's export
 * services and the demo all call it, so a report made in any of them has the same sections.
 */

let t: TestSession | undefined;
afterEach(async () => {
  await t?.session.close();
  if (t) rmSync(t.dir, { recursive: true, force: true });
  t = undefined;
});

describe('a new report from a template', () => {
  it('has the same sections whether the app, the CLI or the demo makes it: numbered from 1, guidance marked as guidance', async () => {
    t = await openTestSession();
    const ws = t.session.ws;
    expect(servicesCreateReportFromTemplate).toBe(createReportFromTemplate);
    // A suggested chart the library has, so sections carry figure blocks too.
    await saveFigure(
      ws,
      {
        slug: 'soc-asc-ratings-by-key-question',
        name: 'Ratings by key question',
        kind: 'chart',
        spec: { measure: 'rating_distribution', keyQuestion: 'Overall', by: 'keyQuestion', asAt: '$asAt' },
        chart: { type: 'stacked-bar' },
      },
      'Test',
    );
    const actor = t.session.actor();
    for (const template of listTemplates()) {
      const { id: appReport } = await t.call<{ id: string }>('reports.create', { templateId: template.id, title: `${template.name} (app)` });
      const cli = await ws.write('Create a report', (tx) => createReportFromTemplate(tx, { templateId: template.id, title: `${template.name} (CLI)`, author: actor }), { actor });
      const shape = (reportId: string) => reportSections(ws, { reportId }).map((s) => ({ position: s.position, title: s.title, owner: s.owner, status: s.status, content: s.content }));
      const app = shape(appReport);
      expect(shape(cli.value.reportId)).toEqual(app);
      expect(app.map((s) => s.position)).toEqual(template.sections.map((_s, i) => i + 1));
      expect(app.map((s) => s.title)).toEqual(template.sections.map((s) => s.title));
      for (const s of app) {
        const blocks = parseLexical(s.content).blocks;
        expect(blocks[0]).toMatchObject({ type: 'guidance' });
      }
    }
    const withChart = reportSections(ws, { reportId: (await t.call<{ reports: { id: string; templateId: string | null }[] }>('reports.list')).reports.find((r) => r.templateId === 'state-of-care')!.id });
    expect(withChart.some((s) => s.content.includes('"figure-block"'))).toBe(true);
  });
});
