import { describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../electron/services/sqljs';
import { Workspace } from '../store/workspace';
import { seedReference, REGIONS } from '../store/reference';
import { insertLocalAuthorities } from '../store/locations';
import { createAssessment, listFrameworks, setAssessmentStatus, setScores } from '../store/assessments';
import { saveEvidence } from '../store/evidence';
import { saveFinding } from '../store/findings';
import { createReportFromTemplate } from '../store/reports';
import { getTemplate } from './templates';
import { councilInWords } from './format';

/**
 * A council's assessment report, made before the assessment is published: worded for a council under the Care Act, its
 * scores and rating marked as a draft, each finding under the theme of its quality statement (the framework's groups,
 * read from the workspace), and nothing a service's inspection report would say.
 */

/** A section's words as a reader sees them: its text nodes, guidance left out. */
function words(content: string): string {
  const out: string[] = [];
  const walk = (n: { type?: string; text?: string; children?: unknown[] }): void => {
    if (n.type === 'guidance') return;
    if (typeof n.text === 'string') out.push(n.text);
    for (const c of n.children ?? []) walk(c as typeof n);
  };
  walk((JSON.parse(content) as { root: { children?: unknown[] } }).root);
  return out.join('');
}

describe('a local authority assessment report', () => {
  it('is worded for a council, marks draft scores as a draft, and puts each finding under its statement’s theme with its evidence', async () => {
    const ws = Workspace.create(await loadSqlJs(), { now: '2025-04-01T09:00:00.000Z' });
    await ws.write('seed', (tx) => seedReference(tx), { unjournaled: true });
    const la = listFrameworks(ws).find((f) => f.subjectTypes.includes('local authority'))!;
    const statements = la.groups.flatMap((g) => g.statements);
    const safety = la.groups.find((g) => g.statements.some((s) => s.id === 'la-safeguarding'))!;
    const people = la.groups.find((g) => g.statements.some((s) => s.id === 'la-assessing-needs'))!;
    const id = (
      await ws.write('setup', (tx) => {
        insertLocalAuthorities(tx, [{ id: 'hull', name: 'Kingston upon Hull, City of', regionId: REGIONS[0]!.id }]);
        const a = createAssessment(tx, {
          subjectType: 'local authority',
          subjectId: 'hull',
          kind: 'Local authority assessment',
          siteVisits: ['2025-03-03', '2025-03-04'],
          team: [{ name: 'Aisha Okafor', role: 'Lead inspector' }],
          leadInspector: 'Aisha Okafor',
        });
        setScores(tx, a.id, { scores: statements.map((s) => ({ statementId: s.id, score: s.id === 'la-safeguarding' ? 1 : 3 })) });
        const ev = saveEvidence(tx, { id: 'ev-cases', kind: 'case file', title: 'Case tracking', sensitivity: 'official', assessmentId: a.id });
        saveFinding(tx, { subjectType: 'national', judgement: 'concern', text: 'Safeguarding enquiries waited too long.', assessmentId: a.id, qualityStatementId: 'la-safeguarding', evidenceIds: [ev.id] });
        saveFinding(tx, { subjectType: 'national', judgement: 'strength', text: 'Needs were assessed in good time.', assessmentId: a.id, qualityStatementId: 'la-assessing-needs', evidenceIds: [ev.id] });
        for (const s of ['in progress', 'draft report', 'in moderation'] as const) setAssessmentStatus(tx, a.id, s);
        return a.id;
      })
    ).value;
    const template = getTemplate('local-authority-assessment')!;
    const r = await ws.write('report', (tx) => createReportFromTemplate(tx, { templateId: template.id, title: 'Report', params: { assessment: id }, author: 'test' }));
    const sections = ws.all<{ title: string; content: string }>('SELECT title, content FROM sections WHERE report_id = ? ORDER BY position', [r.value.reportId]);
    const text = (title: string) => words(sections.find((s) => s.title === title)!.content);
    const raw = (title: string) => sections.find((s) => s.title === title)!.content;

    expect(councilInWords('Kingston upon Hull, City of')).toBe('City of Kingston upon Hull');
    expect(text('Overall rating')).toBe(
      'We assessed how City of Kingston upon Hull meets its duties under Part 1 of the Care Act 2014, under CQC’s local authority assessment framework. We visited on 3 and 4 March 2025. The assessment team was led by Aisha Okafor.' +
        'The scores and the rating are a draft (the assessment is in moderation): they are final only when the assessment is published.',
    );
    expect(text(safety.name)).toBe('Area for improvement (Safeguarding): Safeguarding enquiries waited too long.');
    expect(raw(safety.name)).toContain('"evidenceId":"ev-cases"');
    expect(text(people.name)).toBe('What is working well (Assessing needs): Needs were assessed in good time.');
    // A theme with no findings is left to write in, with nothing from another theme.
    for (const g of la.groups.filter((x) => x.id !== safety.id && x.id !== people.id)) expect(text(g.name)).toBe('');
    const all = sections.map((s) => `${s.title} ${words(s.content)}`).join(' ');
    expect(all).not.toMatch(/inspection|the service|key question|Concern/i);
  });
});
