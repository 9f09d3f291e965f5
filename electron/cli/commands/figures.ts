import type { Command } from '../command';
import { parse, filePath } from '../args';
import { WorkspaceFile } from '../../services/workspace-file';
import { createWorkerSqlExecutor } from '../../services/sql-worker';
import { createFigureEngine, figureRefsInReport, listFigures, type FigureParams } from '../../../shared/figures';
import { paramArgs, resultJson } from './figure';
import { findReport } from '../../../shared/store/reports';
import type { ChangeRule } from '../../../shared/figures/format';

/**
 * `assay figures`: the figure library, or every figure a report uses, with current value, formatted value and
 * state (fresh: never approved; approved; stale: the value changed since approval; unapproved: approved only under
 * other parameters; error).
 */
export const figuresCommand: Command = {
  name: 'figures',
  summary: 'List figures (the library, or those a report uses) with their current value, formatted value and approval state.',
  usage: 'assay figures <file> [--report <id or slug>] [--param name=value ...] [--json]',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      { report: { type: 'string' }, param: { type: 'string', multiple: true }, json: { type: 'boolean' } },
      { min: 1, max: 1, names: 'the workspace file' },
    );
    const extra = paramArgs(values.param);
    const wf = await WorkspaceFile.open(filePath(io.cwd, positionals[0]!), { readOnly: true });
    const ws = wf.workspace;
    const engine = createFigureEngine(ws, { sql: createWorkerSqlExecutor(ws) });
    try {
      const defs = new Map(listFigures(ws).map((d) => [d.id, d]));
      let items: { sectionId: string | null; section: string | null; figureId: string; params: FigureParams; part?: string }[];
      let reportParams: FigureParams = {};
      let changes: ChangeRule | undefined;
      let title: string | undefined;
      if (values.report) {
        const report = findReport(ws, values.report);
        title = report.title;
        reportParams = { ...report.params, ...extra };
        changes = report.settings.changes;
        items = figureRefsInReport(ws, report.id).map((u) => ({ sectionId: u.sectionId, section: u.sectionTitle, figureId: u.figureId, params: u.params ?? {}, ...(u.part ? { part: u.part } : {}) }));
      } else {
        reportParams = extra;
        items = [...defs.values()].map((d) => ({ sectionId: null, section: null, figureId: d.id, params: {} }));
      }
      // SQL figures run in the worker: the first pass asks for them, and the pass after they settle has every value.
      const out = await engine.settle(() => items.map((it) => {
        const result = engine.evaluateRef({ figureId: it.figureId, params: it.params }, reportParams, changes ? { changes } : {});
        const st = engine.stateOf(it.figureId, it.sectionId, result);
        const def = defs.get(it.figureId);
        const shown = it.part && result.parts && it.part in result.parts ? String(result.parts[`${it.part}Formatted`] ?? result.parts[it.part]) : result.formatted;
        return { ...it, slug: def?.slug ?? null, name: def?.name ?? null, key: engine.keyOf({ figureId: it.figureId, params: it.params }, reportParams, changes ? { changes } : {}), state: st.state, approved: st.approved, shown, result };
      }));
      // Read a page at a time: what was read must all be from one state of the file.
      wf.checkUnchanged();
      if (values.json) {
        io.out(JSON.stringify({ report: values.report ?? null, params: reportParams, figures: out.map((o) => ({ ...o, result: resultJson(o.result) })) }, null, 2));
      } else {
        if (title) io.out(`Figures in “${title}” (parameters ${JSON.stringify(reportParams)}):`);
        const w = Math.min(48, Math.max(4, ...out.map((o) => (o.slug ?? o.figureId).length)));
        let section: string | null = null;
        for (const o of out) {
          if (o.section !== section && o.section) {
            section = o.section;
            io.out(`${section}`);
          }
          const s = (o.slug ?? o.figureId).padEnd(w);
          const p = Object.keys(o.params).length ? `  ${JSON.stringify(o.params)}` : '';
          io.out(`  ${s}  ${o.state.padEnd(10)}  ${o.result.error ? `[error] ${o.result.error}` : o.shown}${p}`);
        }
        const counts = out.reduce<Record<string, number>>((a, o) => ({ ...a, [o.state]: (a[o.state] ?? 0) + 1 }), {});
        io.out(`${out.length} figure${out.length === 1 ? '' : 's'}: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`);
      }
      return out.some((o) => o.result.error) ? 1 : 0;
    } finally {
      engine.dispose();
      await wf.close({ save: false });
    }
  },
};
