import type { Command } from '../command';
import { UsageError } from '../command';
import { parse, filePath } from '../args';
import { WorkspaceFile, writeAtomic } from '../../services/workspace-file';
import { auditCsv, listAudit, type AuditFilters } from '../../../shared/review/audit-log';
import { showControls } from '../../../shared/util/escape';

function brief(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = showControls(typeof v === 'string' ? v : JSON.stringify(v));
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

/**
 * JSON that a terminal cannot be steered by: JSON.stringify escapes C0 controls but leaves C1 controls (U+009B is a
 * terminal's CSI) and bidi overrides as they are, so those are written as \u escapes too. It parses to the same values.
 */
function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
        io.out(terminalSafeJson({ total, rows }));
        return 0;
      }
      // Everything stored is shown with its control characters visible: names and records may carry terminal escapes
      // written before names were cleaned, or by another program.
      for (const r of rows) {
        const [actor, action, table, record] = [r.actor, r.action, r.table ?? '', r.recordId ?? ''].map(showControls);
        io.out(`${showControls(r.at).replace('T', ' ').slice(0, 19)}  ${actor!.padEnd(16)}  ${action!.padEnd(18)}  ${table}${record ? ` ${record}` : ''}`);
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
