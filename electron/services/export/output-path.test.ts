import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WorkspaceFile } from '../workspace-file';
import { tempDir } from '../testing/fixtures';
import { createReportFromTemplate } from '../../../shared/store/reports';
import { exportReport, exportFileStem, outputPath } from './export';

/**
 * A report's slug names its export files. A slug is data (from a workspace someone sent, a merge, or a hand-edited
 * file), so it must never decide which folder is written to.
 */
describe('export file names from report slugs', () => {
  it('keep letters, digits and hyphens, and fall back to "report"', () => {
    expect(exportFileStem('state-of-care-2017-18')).toBe('state-of-care-2017-18');
    expect(exportFileStem('../../../x')).toBe('x');
    expect(exportFileStem('/etc/cron.d/evil')).toBe('etc-cron-d-evil');
    expect(exportFileStem('C:\\Windows\\win.ini')).toBe('C-Windows-win-ini');
    expect(exportFileStem('..')).toBe('report');
    expect(exportFileStem('')).toBe('report');
    expect(exportFileStem('\u0000')).toBe('report');
    expect(exportFileStem('CON')).toBe('report-CON');
    expect(exportFileStem('x'.repeat(500))).toHaveLength(120);
  });

  it('stay inside the chosen folder', () => {
    const out = tempDir('assay-out-');
    expect(outputPath(out, '../../../x', 'html', 'public', false)).toBe(join(resolve(out), 'x.html'));
    expect(outputPath(out, '../../../x', 'pdf', 'internal', false)).toBe(join(resolve(out), 'x-internal.pdf'));
    expect(outputPath(out, '/tmp/evil', 'csv', 'public', false)).toBe(join(resolve(out), 'tmp-evil.csv'));
    // A single file named by the person exporting (the CLI's --out x.pdf) is theirs to place.
    expect(outputPath(join(out, 'mine.pdf'), '../../../x', 'pdf', 'public', true)).toBe(join(resolve(out), 'mine.pdf'));
  });

  it('names every edition but the final public one for what it is, even a single file named by the person exporting', () => {
    const out = resolve(tempDir('assay-names-'));
    expect(outputPath(out, 'soc', 'pdf', 'public', false, 'final')).toBe(join(out, 'soc.pdf'));
    expect(outputPath(out, 'soc', 'pdf', 'public', false, 'draft')).toBe(join(out, 'soc-draft.pdf'));
    expect(outputPath(out, 'soc', 'docx', 'internal', false)).toBe(join(out, 'soc-internal.docx'));
    expect(outputPath(out, 'soc', 'docx', 'internal', false, 'draft')).toBe(join(out, 'soc-internal-draft.docx'));
    // A draft cannot be saved under the name of the final edition.
    expect(outputPath(join(out, 'report.pdf'), 'soc', 'pdf', 'public', true, 'draft')).toBe(join(out, 'report-draft.pdf'));
    expect(outputPath(join(out, 'report-draft.pdf'), 'soc', 'pdf', 'public', true, 'draft')).toBe(join(out, 'report-draft.pdf'));
  });

  it('a report whose slug climbs out of the folder exports inside it', async () => {
    const dir = tempDir('assay-slug-');
    const wf = await WorkspaceFile.create(join(dir, 'w.assay'));
    try {
      await wf.workspace.write('test', (tx) => {
        const r = createReportFromTemplate(tx, { templateId: 'inspection-report', title: 'Escape', withGuidance: false });
        tx.run('UPDATE reports SET slug = ? WHERE id = ?', ['../../escaped', r.reportId]);
      });
      const out = join(dir, 'a', 'b', 'exports');
      const r = await exportReport(wf.workspace, { report: '../../escaped', formats: ['html', 'csv'], audience: 'public', draft: true, out });
      expect(r.files.map((f) => f.path)).toEqual([join(out, 'escaped-draft.html'), join(out, 'escaped-draft.csv')]);
      expect(readdirSync(out).sort()).toEqual(['escaped-draft.csv', 'escaped-draft.html']);
      expect(existsSync(join(dir, 'a', 'escaped-draft.html'))).toBe(false);
    } finally {
      await wf.close();
    }
  });
});
