import { readFileSync } from 'node:fs';
import type { Command, CliIo } from '../command';
import { UsageError } from '../command';
import { parse, filePath } from '../args';
import { WorkspaceFile } from '../../services/workspace-file';
import { createWorkerSqlExecutor } from '../../services/sql-worker';
import { createFigureEngine, formatValue, type FigureKind, type FigureParams, type FigureResult } from '../../../shared/figures';

/** `--spec @path` and `--sql @path` read the file; anything else is the text itself. */
export function textArg(cwd: string, v: string): string {
  if (!v.startsWith('@')) return v;
  const p = filePath(cwd, v.slice(1));
  try {
    return readFileSync(p, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${p}: ${(e as Error).message}`);
  }
}

/** `--param asAt=2018-07-31` (repeatable). */
export function paramArgs(list: string[] | undefined): FigureParams {
  const out: FigureParams = {};
  for (const p of list ?? []) {
    const i = p.indexOf('=');
    if (i <= 0) throw new UsageError(`--param needs name=value (got "${p}").`);
    out[p.slice(0, i).trim()] = p.slice(i + 1);
  }
  return out;
}

/** A result as JSON for scripts: value, formatted, rows, numerator/denominator and provenance. */
export function resultJson(r: FigureResult): Record<string, unknown> {
  return {
    value: r.value,
    formatted: r.formatted,
    ...(r.numerator !== undefined ? { numerator: r.numerator, denominator: r.denominator } : {}),
    ...(r.parts ? { parts: r.parts } : {}),
    ...(r.columns ? { columns: r.columns, rows: r.rows } : {}),
    ...(r.suppressed ? { suppressed: true } : {}),
    ...(r.error ? { error: r.error, errorPath: r.errorPath } : {}),
    ...(r.coverage ? { coverage: r.coverage } : {}),
    kind: r.kind,
    provenance: r.provenance,
  };
}

/** Prints a result for a person: the value as it reads in prose, the table if there is one, and where it came from. */
export function printResult(io: CliIo, r: FigureResult): void {
  if (r.error) {
    io.out(`error: ${r.error}`);
    return;
  }
  const extra = r.numerator !== undefined && r.denominator !== undefined ? `  (${r.numerator.toLocaleString('en-GB')} of ${r.denominator.toLocaleString('en-GB')})` : '';
  io.out(`${r.formatted}${extra}`);
  if (r.coverage && !r.coverage.ok) io.out(`  warning: ${r.coverage.message}`);
  if (r.parts && 'direction' in r.parts) io.out(`  ${r.parts.direction} from ${r.parts.fromFormatted} to ${r.parts.toFormatted}`);
  if (r.columns && r.rows) {
    const cells = r.rows.map((row) => r.columns!.map((c) => (typeof row[c.key] === 'number' && c.format ? formatValue(row[c.key] as number, c.format) : String(row[c.key] ?? ''))));
    const widths = r.columns.map((c, i) => Math.max(c.label.length, ...cells.map((x) => x[i]!.length)));
    const line = (xs: string[]) => `  ${xs.map((x, i) => (r.columns![i]!.numeric ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join('  ')}`;
    io.out(line(r.columns.map((c) => c.label)));
    for (const c of cells) io.out(line(c));
  }
  const p = r.provenance;
  io.out(`  read ${p.rowsRead.toLocaleString('en-GB')} rows from ${p.tables.join(', ') || 'no tables'}; fingerprint ${p.fingerprint}${p.engine ? `; computed by ${p.engine === 'index' ? 'the rating index' : 'SQL'}` : ''}`);
  for (const n of p.notes ?? []) if (n !== r.coverage?.message) io.out(`  ${n}`);
  if (p.imports.length) io.out(`  imports: ${p.imports.map((i) => `${i.fileName || i.id} (${i.kind}, ${i.importedAt.slice(0, 10)})`).join('; ')}`);
}

export const figureCommand: Command = {
  name: 'figure',
  summary: 'Compute an ad-hoc figure from a structured spec or one read-only SQL query, with its provenance.',
  usage: 'assay figure <file> (--spec <json or @path> | --sql <query or @path>) [--param name=value ...] [--kind value|table|chart] [--timeout <ms>] [--json]',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        spec: { type: 'string' },
        sql: { type: 'string' },
        param: { type: 'string', multiple: true },
        kind: { type: 'string' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 1, max: 1, names: 'the workspace file' },
    );
    if (!!values.spec === !!values.sql) throw new UsageError('give exactly one of --spec and --sql.');
    const kind = (values.kind ?? (values.sql ? 'table' : undefined)) as FigureKind | undefined;
    if (kind && !['value', 'table', 'chart'].includes(kind)) throw new UsageError('--kind must be value, table or chart.');
    const timeoutMs = values.timeout ? Number(values.timeout) : 5000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError('--timeout must be a number of milliseconds.');
    let spec: Record<string, unknown> | null = null;
    if (values.spec) {
      try {
        spec = JSON.parse(textArg(io.cwd, values.spec)) as Record<string, unknown>;
      } catch (e) {
        throw new UsageError(`--spec is not valid JSON: ${(e as Error).message}`);
      }
    }
    const params = paramArgs(values.param);
    const wf = await WorkspaceFile.open(filePath(io.cwd, positionals[0]!), { readOnly: true });
    const ws = wf.workspace;
    const engine = createFigureEngine(ws, { sql: createWorkerSqlExecutor(ws, { timeoutMs }) });
    try {
      const k: FigureKind = kind ?? (spec && (spec.by || spec.measure === 'rating_distribution') ? 'table' : 'value');
      const draft = { kind: k, spec, sql: values.sql ? textArg(io.cwd, values.sql) : null, format: {} };
      const r = await engine.settle(() => engine.evaluate(draft, params));
      wf.checkUnchanged();
      if (values.json) io.out(JSON.stringify(resultJson(r), null, 2));
      else printResult(io, r);
      return r.error ? 1 : 0;
    } finally {
      engine.dispose();
      await wf.close({ save: false });
    }
  },
};
