import { describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../electron/services/sqljs';
import { Workspace } from '../store/workspace';
import { seedReference } from '../store/reference';
import { createReportFromTemplate } from '../store/reports';
import { parseLexical } from './lexical';
import { listTemplates } from './templates';

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
      expect(first.blocks[0]).toMatchObject({ type: 'quote' });
    }
    // A second report from the same template gets its own slug; an explicit clash is refused.
    const again = await ws.write('report.create', (tx) => createReportFromTemplate(tx, { templateId: 'state-of-care' }));
    expect(again.value.slug).toBe('state-of-care-2');
    await expect(ws.write('x', (tx) => createReportFromTemplate(tx, { templateId: 'state-of-care', slug: 'state-of-care' }))).rejects.toThrow(/already exists/);
    await expect(ws.write('x', (tx) => createReportFromTemplate(tx, { templateId: 'nope' }))).rejects.toThrow(/there is no template "nope"/);
    expect(ws.value("SELECT count(*) FROM audit_log WHERE action = 'report.create'")).toBe(4);
  });
});
