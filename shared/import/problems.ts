/**
 * What an import found wrong, in a form a person can act on: the row as a spreadsheet shows it (the header is row 1),
 * the line a text editor shows when a quoted field spans lines, and the column by its name in the file.
 */

export type ProblemCode =
  | 'missing-column'
  | 'unknown-layout'
  | 'encoding'
  | 'ragged-row'
  | 'csv-syntax'
  | 'bad-date'
  | 'unknown-rating'
  | 'unknown-value'
  | 'required'
  | 'bad-number'
  | 'duplicate-key'
  | 'conflicting-record'
  | 'mapping'
  | 'empty-file'
  | 'too-long'
  | 'lowers-sensitivity';

export interface ImportProblem {
  code: ProblemCode;
  /** 1-based row number, the header being row 1; undefined for problems with the file as a whole. */
  row?: number;
  /** The line the row starts on, when it differs from the row (a quoted field spanning lines). */
  line?: number;
  /** The column's name as the file spells it. */
  column?: string;
  message: string;
}

/** A problem that does not stop the import (e.g. conflicting duplicate ratings withheld): reported and recorded. */
export interface ImportWarning extends ImportProblem {
  /** Other rows involved, e.g. the first occurrence of a duplicate key. */
  rows?: number[];
}

/** Where a record sits in the file, for messages. */
export interface RowPosition {
  row: number;
  line: number;
}

export function describeProblem(p: ImportProblem): string {
  const where: string[] = [];
  if (p.row !== undefined) where.push(p.line !== undefined && p.line !== p.row ? `row ${p.row} (line ${p.line})` : `row ${p.row}`);
  if (p.column !== undefined) where.push(`column "${p.column}"`);
  return where.length ? `${where.join(', ')}: ${p.message}` : p.message;
}

export function problemAt(code: ProblemCode, pos: RowPosition | undefined, column: string | undefined, message: string): ImportProblem {
  const p: ImportProblem = { code, message };
  if (pos) {
    p.row = pos.row;
    if (pos.line !== pos.row) p.line = pos.line;
  }
  if (column !== undefined) p.column = column;
  return p;
}
