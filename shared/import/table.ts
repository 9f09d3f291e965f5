import type { Tx } from '../store/workspace';
import { audit } from '../store/audit';
import type { ImportRecord } from '../store/imports';
import { describeProblem, problemAt, type ImportProblem, type ImportWarning, type RowPosition } from './problems';
import { LIMITS, tooLongMessage } from '../util/limits';

/** Cells no longer than this are within every limit, so most cells are checked with one comparison. */
const SMALLEST_LIMIT = Math.min(...Object.values(LIMITS));

/** How many problems an import keeps in full. A wrong file can have one per row; the count is always exact. */
export const MAX_PROBLEMS = 10_000;

/** What every import writes to `imports`, and what the UI shows as the provenance of the rows it wrote. */
export type { ImportRecord };
export { recordImport } from '../store/imports';

/** Per table: how many records an import (or a merge) added, changed, and found already as the file has them. */
export interface TableCounts {
  added: number;
  updated: number;
  unchanged: number;
}

export function emptyCounts(): TableCounts {
  return { added: 0, updated: 0, unchanged: 0 };
}

export function totalChanged(counts: Record<string, TableCounts>): number {
  let n = 0;
  for (const c of Object.values(counts)) n += c.added + c.updated;
  return n;
}

/** Normalises a header or a value for matching: case, spacing and punctuation differences do not matter. */
export function loose(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/**
 * The part every CSV import shares: the header, rows whose field count disagrees with it, blank rows, and the list of
 * problems. Subclasses map one row at a time (so a reader can stream) and write everything in {@link write}, inside
 * the single transaction of the import.
 *
 * The reader (Node's csv-parse stream, or anything else) calls `header` once, then `row` for each record, and
 * `problem` for what it finds itself (encoding, CSV syntax).
 */
export abstract class TableImporter<S> {
  abstract readonly kind: string;
  readonly problems: ImportProblem[] = [];
  readonly warnings: ImportWarning[] = [];
  problemCount = 0;
  /** Data rows read (not counting the header or blank rows). */
  rowsRead = 0;
  blankRows = 0;
  protected columns: string[] = [];
  private headerSeen = false;

  header(columns: string[]): void {
    this.headerSeen = true;
    this.columns = columns.map((c) => c.trim());
    const seen = new Map<string, number>();
    this.columns.forEach((c, i) => {
      if (c === '') return;
      const prev = seen.get(loose(c));
      if (prev !== undefined) {
        this.problem(problemAt('duplicate-key', { row: 1, line: 1 }, c, `the header names this column twice (columns ${prev + 1} and ${i + 1})`));
      } else seen.set(loose(c), i);
    });
    this.onHeader();
  }

  row(fields: string[], pos: RowPosition): void {
    if (!this.headerSeen) {
      this.header(fields);
      return;
    }
    if (fields.every((f) => f.trim() === '')) {
      this.blankRows++;
      return;
    }
    this.rowsRead++;
    if (fields.length !== this.columns.length) {
      const last = fields.length > this.columns.length ? `column ${this.columns.length + 1} onwards has no header` : `it ends before column "${this.columns[fields.length] ?? ''}"`;
      this.problem(problemAt('ragged-row', pos, undefined, `the row has ${fields.length} fields but the header has ${this.columns.length} (${last})`));
      return;
    }
    // A cell over its limit is refused here, before an importer stores or compares it: one problem per cell.
    let tooLong = false;
    for (let i = 0; i < fields.length; i++) {
      const length = fields[i]!.length;
      if (length <= SMALLEST_LIMIT) continue;
      const { limit, what } = this.limitOf(i);
      if (length > limit) {
        tooLong = true;
        this.problem(problemAt('too-long', pos, this.columns[i] || `column ${i + 1}`, `the ${what} ${tooLongMessage(limit, length)}`));
      }
    }
    if (tooLong) return;
    this.onRow(fields, pos);
  }

  /** The most characters the cell in column `index` may hold, and what to call it in a message. */
  protected limitOf(_index: number): { limit: number; what: string } {
    return { limit: LIMITS.importCell, what: 'cell' };
  }

  problem(p: ImportProblem): void {
    this.problemCount++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
  }

  warn(w: ImportWarning): void {
    if (this.warnings.length < MAX_PROBLEMS) this.warnings.push(w);
  }

  /** Called at the end of input, before any write: checks that need every row (duplicates, empty files). */
  finish(): void {
    // A file refused before its first row (not text, UTF-16) is not also "empty".
    if (!this.headerSeen) {
      if (this.problemCount === 0) this.problem({ code: 'empty-file', message: 'the file is empty: it has no header row' });
    }
    else if (this.rowsRead === 0 && this.problemCount === 0) this.problem({ code: 'empty-file', row: 2, message: 'the file has a header but no data rows' });
    else this.onFinish();
  }

  get ok(): boolean {
    return this.problemCount === 0;
  }

  /** Index of each column by its loose name. */
  protected indexOf(name: string): number {
    const l = loose(name);
    return this.columns.findIndex((c) => loose(c) === l);
  }

  protected abstract onHeader(): void;
  protected abstract onRow(fields: string[], pos: RowPosition): void;
  protected onFinish(): void {}

  /**
   * Writes everything, inside the import's one transaction. When the workspace already holds every row as the file has
   * it (the same file imported twice), it writes nothing at all, not even an `imports` record, and says so with
   * `changed: 0`: a second import must leave the workspace exactly as it was.
   */
  abstract write(tx: Tx, record: ImportRecord): { summary: S; changed: number };
}

export function auditImport(tx: Tx, r: ImportRecord, summary: unknown): void {
  audit(tx, `import.${r.kind}`, 'imports', r.id, null, { ...r, summary });
}

export function describeProblems(ps: readonly ImportProblem[]): string[] {
  return ps.map(describeProblem);
}
