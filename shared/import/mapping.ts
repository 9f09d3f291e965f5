import { loose, TableImporter } from './table';
import { problemAt, type ImportProblem, type RowPosition } from './problems';

/**
 * Column mapping for the generic imports (indicators, evidence): which column of the file feeds which field. A field
 * is found by its own name or a common alias unless the person maps it explicitly, on the command line
 * (`--map value=Rate per 100k,area=LA code`) or in the import wizard.
 */

export interface TargetField {
  target: string;
  label: string;
  required: boolean;
  aliases: readonly string[];
  /** The most characters the field may hold (shared/util/limits.ts); other cells have LIMITS.importCell. */
  max?: number;
}

export type ColumnMap = Record<string, string>;

/** Parses `target=Source Column,target2=Other Column`. A comma inside a column name is written `\,`. */
export function parseColumnMap(text: string, targets: readonly TargetField[]): { map: ColumnMap; problems: ImportProblem[] } {
  const map: ColumnMap = {};
  const problems: ImportProblem[] = [];
  const known = new Map(targets.map((t) => [loose(t.target), t.target]));
  const parts = text.split(/(?<!\\),/).map((p) => p.replace(/\\,/g, ',').trim()).filter(Boolean);
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) {
      problems.push({ code: 'mapping', message: `"${part}" is not a mapping: write target=Source Column` });
      continue;
    }
    const target = known.get(loose(part.slice(0, eq)));
    if (!target) {
      problems.push({ code: 'mapping', message: `"${part.slice(0, eq).trim()}" is not a field this import fills (fields: ${targets.map((t) => t.target).join(', ')})` });
      continue;
    }
    map[target] = part.slice(eq + 1).trim();
  }
  return { map, problems };
}

/** Column index per target for a header; problems name the header row and the column that is missing. */
export function resolveMapping(
  targets: readonly TargetField[],
  header: readonly string[],
  explicit: ColumnMap = {},
): { index: Record<string, number>; problems: ImportProblem[] } {
  const index: Record<string, number> = {};
  const problems: ImportProblem[] = [];
  const byLoose = new Map<string, number>();
  header.forEach((h, i) => {
    if (!byLoose.has(loose(h))) byLoose.set(loose(h), i);
  });
  const pos = { row: 1, line: 1 };
  for (const t of targets) {
    const source = explicit[t.target];
    if (source !== undefined) {
      const i = byLoose.get(loose(source));
      if (i === undefined) problems.push(problemAt('missing-column', pos, source, `the mapping sends column "${source}" to ${t.label}, but the file has no such column`));
      else index[t.target] = i;
      continue;
    }
    const i = [t.target, t.label, ...t.aliases].map((n) => byLoose.get(loose(n))).find((x) => x !== undefined);
    if (i !== undefined) index[t.target] = i;
    else if (t.required) problems.push(problemAt('missing-column', pos, t.label, `no column gives ${t.label}; name one "${t.label}" or map it with ${t.target}=<column>`));
  }
  return { index, problems };
}

/** The mapping the wizard should propose for a header: target -> column name, for the targets it could find. */
export function suggestMapping(targets: readonly TargetField[], header: readonly string[]): ColumnMap {
  const { index } = resolveMapping(targets, header);
  const out: ColumnMap = {};
  for (const [t, i] of Object.entries(index)) out[t] = header[i]!;
  return out;
}

/** Reads a number as spreadsheets write it: thousands separators allowed, nothing else. */
export function parseNumber(text: string): number | undefined {
  const s = text.trim().replace(/,(?=\d{3}(?:\D|$))/g, '');
  if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * An importer whose columns are found through a mapping (the file's own names, or an explicit map from the wizard):
 * it resolves the mapping from the header, refuses every row when the mapping is broken, and gives subclasses a
 * field by target name and problems named by the file's own column.
 */
export abstract class MappedImporter<S> extends TableImporter<S> {
  protected index: Record<string, number> = {};
  private mappingBroken = false;

  constructor(
    private readonly targets: readonly TargetField[],
    private readonly map: ColumnMap = {},
  ) {
    super();
  }

  protected onHeader(): void {
    const { index, problems } = resolveMapping(this.targets, this.columns, this.map);
    this.index = index;
    for (const p of problems) this.problem(p);
    this.mappingBroken = problems.length > 0;
  }

  /** The trimmed field mapped to a target ('' when the target has no column). */
  protected get(fields: string[], target: string): string {
    const i = this.index[target];
    return i === undefined ? '' : (fields[i] ?? '').trim();
  }

  /** The file's name for a target's column, for messages. */
  protected column(target: string): string {
    const i = this.index[target];
    return i === undefined ? target : this.columns[i]!;
  }

  /** A problem in one row, named by the file's column for the target. */
  protected problemIn(pos: RowPosition, code: Parameters<typeof problemAt>[0], target: string, message: string): void {
    this.problem(problemAt(code, pos, this.column(target), message));
  }

  protected onRow(fields: string[], pos: RowPosition): void {
    if (!this.mappingBroken) this.onMappedRow(fields, pos);
  }

  protected override limitOf(index: number): { limit: number; what: string } {
    for (const t of this.targets) {
      if (this.index[t.target] === index && t.max !== undefined) return { limit: t.max, what: t.label };
    }
    return super.limitOf(index);
  }

  protected abstract onMappedRow(fields: string[], pos: RowPosition): void;
}
