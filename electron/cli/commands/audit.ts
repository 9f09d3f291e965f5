import type { Command } from '../command';
import { UsageError } from '../command';
import { parse, filePath } from '../args';
import { WorkspaceFile, writeAtomic } from '../../services/workspace-file';
import { auditCsv, listAudit, type AuditFilters } from '../../../shared/review/audit-log';

function brief(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'Browse the audit log (who changed what, when, before and after), or export it as CSV.',
  usage:
    'assay audit <file> [--csv <out.csv | ->] [--json] [--actor <name>] [--action <action or prefix.>] [--table <table>] [--record <id>] ' +
    '[--since <date>] [--until <date>] [--search <text>] [--limit <n>]',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        csv: { type: 'string' },
        json: { type: 'boolean' },
        actor: { type: 'string' },
        action: { type: 'string' },
        table: { type: 'string' },
        record: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        search: { type: 'string' },
        limit: { type: 'string' },
      },
      { min: 1, max: 1, names: 'the workspace file' },
    );
    const limit = values.limit === undefined ? 50 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a whole number, 1 or more.');
    const filters: AuditFilters = {
      ...(values.actor ? { actor: values.actor } : {}),
      ...(values.action ? { action: values.action } : {}),
      ...(values.table ? { table: values.table } : {}),
      ...(values.record ? { recordId: values.record } : {}),
      ...(values.since ? { since: values.since } : {}),
      ...(values.until ? { until: values.until } : {}),
      ...(values.search ? { search: values.search } : {}),
    };
    const path = filePath(io.cwd, positionals[0]!);
    const wf = await WorkspaceFile.open(path, { readOnly: true });
    try {
      if (values.csv !== undefined) {
        const { csv, rows } = auditCsv(wf.workspace, filters);
        if (values.csv === '-') {
          io.out(csv.trimEnd());
        } else {
          const out = filePath(io.cwd, values.csv);
          // A byte order mark so that spreadsheet software reads the names as UTF-8.
          await writeAtomic(out, new TextEncoder().encode(`\uFEFF${csv}`));
          io.err(`Wrote ${rows.toLocaleString('en-GB')} audit entr${rows === 1 ? 'y' : 'ies'} to ${out}`);
        }
        return 0;
      }
      const { total, rows } = listAudit(wf.workspace, { ...filters, limit });
      if (values.json) {
        io.out(JSON.stringify({ total, rows }, null, 2));
        return 0;
      }
      for (const r of rows) {
        io.out(`${r.at.replace('T', ' ').slice(0, 19)}  ${r.actor.padEnd(16)}  ${r.action.padEnd(18)}  ${r.table ?? ''}${r.recordId ? ` ${r.recordId}` : ''}`);
        if (r.before !== null) io.out(`    before  ${brief(r.before)}`);
        if (r.after !== null) io.out(`    after   ${brief(r.after)}`);
      }
      io.out(`${rows.length} of ${total.toLocaleString('en-GB')} entr${total === 1 ? 'y' : 'ies'}, newest first.`);
      return 0;
    } finally {
      await wf.close({ save: false });
    }
  },
};
