import { describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../electron/services/sqljs';
import { Workspace } from '../store/workspace';
import { seedReference } from '../store/reference';
import { createReportFromTemplate } from '../store/reports';
import { parseLexical } from './lexical';
import { listTemplates, getTemplate } from './templates';
import { assembleReport } from '../export/assemble';
import { buildHtml } from '../export/html';
import { figureService } from '../figures/service';
import { reviewReport } from '../review/report';

describe('createReportFromTemplate', () => {
  it('makes a report with the template’s sections, guidance, starter text and parameters, in one write', async () => {
    const ws = Workspace.create(await loadSqlJs());
    await ws.write('seed', (tx) => seedReference(tx), { unjournaled: true });
    for (const t of listTemplates()) {
      const r = await ws.write('report.create', (tx) => createReportFromTemplate(tx, { templateId: t.id, author: 'A. Editor' }), { actor: 'A. Editor' });
      const row = ws.get<{ title: string; slug: string; params: string; template_id: string }>('SELECT * FROM reports WHERE id = ?', [r.value.reportId])!;
      expect(row).toMatchObject({ title: t.defaultTitle, template_id: t.id });
      expect(JSON.parse(row.params)).toEqual(t.defaultParams);
      const sections = ws.all<{ title: string; content: string }>('SELECT title, content FROM sections WHERE report_id = ? ORDER BY position', [r.value.reportId]);
      expect(sections.map((s) => s.title)).toEqual(t.sections.map((s) => s.title));
      const first = parseLexical(sections[0]!.content);
      expect(first.problems).toEqual([]);
      expect(first.blocks[0]).toMatchObject({ type: 'guidance', text: t.sections[0]!.instructions });
    }
    // A second report from the same template gets its own slug; an explicit clash is refused.
    const again = await ws.write('report.create', (tx) => createReportFromTemplate(tx, { templateId: 'state-of-care' }));
    expect(again.value.slug).toBe('state-of-care-2');
    await expect(ws.write('x', (tx) => createReportFromTemplate(tx, { templateId: 'state-of-care', slug: 'state-of-care' }))).rejects.toThrow(/already exists/);
    await expect(ws.write('x', (tx) => createReportFromTemplate(tx, { templateId: 'nope' }))).rejects.toThrow(/there is no template "nope"/);
    // One report per template, and the second State of Care.
    expect(ws.value("SELECT count(*) FROM audit_log WHERE action = 'report.create'")).toBe(listTemplates().length + 1);
  });

  it('puts the template’s guidance where the author sees it and no reader does: never exported, and a blocker until removed', async () => {
    const ws = Workspace.create(await loadSqlJs());
    await ws.write('seed', (tx) => seedReference(tx), { unjournaled: true });
    const r = await ws.write('report.create', (tx) => createReportFromTemplate(tx, { templateId: 'state-of-care', author: 'A. Editor' }), { actor: 'A. Editor' });
    const template = getTemplate('state-of-care')!;
    const figures = figureService(ws);
    for (const audience of ['public', 'internal'] as const) {
      const html = buildHtml(await figures.settle(() => assembleReport(ws, figures, r.value.reportId, { audience })));
      expect(html).not.toContain('Quote two or three headline figures at most.');
      for (const s of template.sections) expect(html).not.toContain(s.instructions);
      expect(html).not.toContain('Guidance');
    }
    const review = reviewReport(ws, figures, r.value.reportId);
    const left = review.problems.filter((p) => p.code === 'guidance-left');
    expect(left.map((p) => p.location?.sectionTitle)).toEqual(template.sections.map((s) => s.title));
    expect(left.every((p) => p.severity === 'blocking')).toBe(true);
    expect(left[0]!.message).toContain(`Section “${template.sections[0]!.title}” still has the template’s guidance`);
  });
});
