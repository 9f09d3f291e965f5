import type { Command } from '../command';
import { UsageError } from '../command';
import { parse, filePath } from '../args';
import { WorkspaceFile } from '../../services/workspace-file';
import { reviewReport, whatChanged, type Problem, type SectionReview } from '../../../shared/review/report';
import { textDiffLines } from '../../../shared/review/diff';

function where(p: Problem): string {
  const l = p.location;
  if (!l) return '';
  return `“${l.sectionTitle}”${l.paragraph ? ` ¶${l.paragraph}` : ''}${l.sentence ? ` s${l.sentence}` : ''}`;
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'Publication checks for a report: stale or unapproved figures, claims without evidence, restricted evidence, accessibility. Exits 1 when anything blocks.',
  usage: 'assay check <file> --report <id or slug> [--json] [--internal] [--max-age-days <n>]',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      { report: { type: 'string' }, json: { type: 'boolean' }, internal: { type: 'boolean' }, 'max-age-days': { type: 'string' } },
      { min: 1, max: 1, names: 'the workspace file' },
    );
    if (!values.report) throw new UsageError('--report is required (a report id or slug).');
    let maxAge: number | undefined;
    if (values['max-age-days'] !== undefined) {
      maxAge = Number(values['max-age-days']);
      if (!Number.isInteger(maxAge) || maxAge < 1) throw new UsageError('--max-age-days must be a whole number of days, 1 or more.');
    }
    const path = filePath(io.cwd, positionals[0]!);
    // Loaded on use: the figure engine and the exporters are large, and other commands do not need them.
    const { figureService } = await import('../../../shared/figures/service');
    const wf = await WorkspaceFile.open(path, { readOnly: true });
    try {
      const ws = wf.workspace;
      const audience = values.internal ? 'internal' : 'public';
      // A public edition's checks see SQL figures as a public export would: on the workspace without restricted material.
      const figures = figureService(ws, { view: audience });
      const r = await figures.settle(() =>
        reviewReport(ws, figures, values.report!, { audience, ...(maxAge ? { maxEvidenceAgeDays: maxAge } : {}) }),
      );
      wf.checkUnchanged();
      const publishable = r.blocking === 0;
      if (values.json) {
        io.out(
          JSON.stringify(
            {
              report: { id: r.report.id, slug: r.report.slug, title: r.report.title },
              audience: r.audience,
              publishable,
              blocking: r.blocking,
              warnings: r.warnings,
              sections: r.sections,
              whatChanged: whatChanged(r),
              problems: r.problems,
              checkedAt: r.checkedAt,
            },
            null,
            2,
          ),
        );
      } else {
        io.out(`${r.report.title} (${r.report.slug}), ${r.audience} edition`);
        for (const s of r.sections) {
          const flag = s.changedSinceApproval ? `  CHANGED SINCE APPROVAL (${changedWhat(s)})` : '';
          io.out(`  ${s.status.padEnd(9)}  ${s.title}${s.statusBy && s.status !== 'draft' ? ` (${s.statusBy}, ${s.statusAt?.slice(0, 10)})` : ''}${flag}`);
        }
        const changed = whatChanged(r);
        if (changed.length) {
          io.out('');
          io.out('What changed since approval:');
          for (const w of changed) {
            io.out(`  “${w.sectionTitle}”${w.approvedBy ? ` (approved by ${w.approvedBy}, ${w.approvedAt?.slice(0, 10)})` : ''}: ${w.summary}`);
            const c = w.changes;
            if (c?.title) io.out(`    title: “${c.title.before}” → “${c.title.after}”`);
            if (c?.text) for (const line of textDiffLines(c.text.parts)) io.out(`    ${line}`);
            for (const x of c?.citations.added ?? []) io.out(`    + citation: ${x.title}${x.locator ? ` (${x.locator})` : ''}, paragraph ${x.paragraph}`);
            for (const x of c?.citations.removed ?? []) io.out(`    - citation: ${x.title}${x.locator ? ` (${x.locator})` : ''}, paragraph ${x.paragraph}`);
            for (const x of c?.figures.added ?? []) io.out(`    + figure: ${x.name}${x.part ? ` (${x.part})` : ''}, ${x.after}`);
            for (const x of c?.figures.removed ?? []) io.out(`    - figure: ${x.name}${x.part ? ` (${x.part})` : ''}, was ${x.before}`);
            for (const x of c?.figures.changed ?? []) io.out(`    ~ figure: ${x.name}${x.part ? ` (${x.part})` : ''}: ${x.change}`);
            for (const f of w.figures) io.out(`    ~ figure: ${f.name}${f.part ? ` (${f.part})` : ''}: ${f.change}`);
          }
        }
        for (const sev of ['blocking', 'warning'] as const) {
          const ps = r.problems.filter((p) => p.severity === sev);
          if (!ps.length) continue;
          io.out('');
          io.out(sev === 'blocking' ? `Blocking (${ps.length}):` : `Warnings (${ps.length}):`);
          for (const p of ps) io.out(`  [${p.code}] ${where(p)}${where(p) ? ': ' : ''}${p.message}`);
        }
        io.out('');
        io.out(
          publishable
            ? `Nothing blocks publication${r.warnings ? ` (${r.warnings} warning${r.warnings === 1 ? '' : 's'})` : ''}.`
            : `${r.blocking} problem${r.blocking === 1 ? '' : 's'} block${r.blocking === 1 ? 's' : ''} publication.`,
        );
      }
      return publishable ? 0 : 1;
    } finally {
      await wf.close({ save: false });
    }
  },
};

/** What changed in a section since its approval, in a few words: "text, 1 citation, 2 figures". */
function changedWhat(s: SectionReview): string {
  if (!s.approvalRecorded) return 'approved before approvals recorded the text';
  const c = s.changes;
  const figures = s.staleFigures + (c ? c.figures.added.length + c.figures.removed.length + c.figures.changed.length : 0);
  const citations = c ? c.citations.added.length + c.citations.removed.length : 0;
  return [
    c?.title ? 'title' : '',
    c?.text ? 'text' : '',
    citations ? `${citations} citation${citations === 1 ? '' : 's'}` : '',
    figures ? `${figures} figure${figures === 1 ? '' : 's'}` : '',
  ]
    .filter((x) => x)
    .join(', ');
}
