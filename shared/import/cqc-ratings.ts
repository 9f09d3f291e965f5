import type { Tx } from '../store/workspace';
import type { Db } from '../store/query';
import { WorkspaceError } from '../store/errors';
import { allRegions } from '../store/locations';
import { importScale } from '../store/ratings';
import { problemAt, type ImportProblem, type RowPosition } from './problems';
import { auditImport, recordImport, TableImporter, type ImportRecord } from './table';
import { CQC_LAYOUTS, CqcFileRecords, CqcRowParser, detectCqcLayout, type CqcContext, type CqcLayout, type CqcLayoutId, type DuplicatePolicy } from './cqc-parse';
import { applyCqcPlan, planCqcImport, readCqcState, type CqcTables } from './cqc-plan';
import { LIMITS } from '../util/limits';
import { insertLabels } from '../store/labels';
import { setImportCoverage, type ImportCoverage } from '../store/imports';
import { CQC_PUBLICATION_LABELS } from '../store/reference';

/** What a CQC ratings import brings, in the words a publication's source line prints. */
export const CQC_RATINGS_SOURCE = 'CQC ratings data';

export {
  CQC_LAYOUTS,
  DIRECTORATE_SECTORS,
  LOCATION_TYPE_SECTORS,
  detectCqcLayout,
  sectorFor,
  type CqcContext,
  type CqcLayout,
  type CqcLayoutId,
  type DuplicatePolicy,
} from './cqc-parse';

/**
 * CQC's "Latest ratings" data in its long layout: one row per location x service/population group x key question.
 * Two variants exist and the header decides which: the national file CQC publishes (with addresses, provider names,
 * brands and coordinates, dates dd/mm/yyyy) and the layout derived from CQC's API (with registration status and
 * inspection directorate, ISO dates, and statuses such as "No published rating").
 *
 * The import is three steps: parse (cqc-parse.ts: each row to a typed record with its problems by row and column, and
 * the records gathered into what the file says), plan (cqc-plan.ts: what to insert, update or leave, against the
 * workspace as it is, as data), and apply (cqc-plan.ts: the plan written through the store's bulk functions). This
 * class feeds the rows of a reader to the first and runs the other two inside the import's one transaction.
 */

/** Columns naming organisations and places, held to LIMITS.organisation; every other cell to LIMITS.importCell. */
const NAMED_COLUMNS = ['Location Name', 'Provider Name', 'Brand Name', 'Location Local Authority', 'Location Street Address', 'Location Address Line 2', 'Location City'] as const;

export interface CqcImportOptions {
  /**
   * Rows with the same location, service group, key question and publication date but different ratings. The national
   * file of February 2021 has one such pair (a GP practice's "People with long term conditions" rating, Good and
   * Requires improvement, both published 14/08/2018). CQC's file cannot be corrected by the person importing it, and
   * refusing 74,000 good rows over one ambiguous pair helps nobody, so by default ('withhold') neither row is imported,
   * the pair is reported as a warning with both row numbers and recorded in the import's notes for follow-up, and no
   * figure silently rests on a guess. 'error' refuses the file instead, for stewards who want that.
   * Rows repeated identically are always harmless and are imported once.
   */
  duplicates?: DuplicatePolicy;
}

export interface CqcImportSummary {
  layout: CqcLayoutId;
  rowsRead: number;
  /** Rows with no rating to import: an empty rating, or "No published rating" without a date. */
  skippedNoRating: number;
  /** Rows repeated identically, imported once. */
  identicalDuplicates: number;
  /** Keys withheld because the file gives conflicting ratings for them (see {@link CqcImportOptions.duplicates}). */
  withheld: number;
  latestPublication: string | null;
  tables: CqcTables;
}

/** Reads the key questions and labels of CQC's scale (or the default scale) and the regions from a workspace. */
export function cqcContext(db: Db): CqcContext {
  const scale = importScale(db);
  if (!scale) throw new WorkspaceError('invalid', 'The workspace has no rating scale to import CQC ratings against.');
  return { keyQuestions: scale.keyQuestions, ratingLabels: scale.ratingLabels, regions: allRegions(db) };
}

export class CqcRatingsImporter extends TableImporter<CqcImportSummary> {
  readonly kind = 'cqc-ratings';
  layout: CqcLayout = CQC_LAYOUTS['cqc-latest-ratings'];
  private parser: CqcRowParser | undefined;
  private readonly file = new CqcFileRecords();
  private readonly duplicates: DuplicatePolicy;
  private readonly report = (p: ImportProblem): void => this.problem(p);

  constructor(
    private readonly ctx: CqcContext,
    opts: CqcImportOptions = {},
  ) {
    super();
    this.duplicates = opts.duplicates ?? 'withhold';
  }

  get skippedNoRating(): number {
    return this.file.skippedNoRating;
  }

  get identicalDuplicates(): number {
    return this.file.identicalDuplicates;
  }

  get latestPublication(): string | null {
    return this.file.latestPublication;
  }

  /** The ratings that will be written: every key once, conflicting keys withheld. */
  get ratingCount(): number {
    return this.file.ratingsToWrite().length;
  }

  protected onHeader(): void {
    this.layout = detectCqcLayout(this.columns);
    if (this.layout.id === 'cqc-api-locations') {
      // One row per location, with no ratings by publication date: the register, imported on its own.
      this.problem(problemAt('missing-column', { row: 1, line: 1 }, undefined, `this is CQC's locations file (the register), not a ratings file: import it as CQC's register of locations (assay import cqc-locations)`));
      return;
    }
    this.parser = new CqcRowParser(this.ctx, this.layout, (name) => this.indexOf(name));
    for (const name of this.parser.missing) {
      this.problem(problemAt('missing-column', { row: 1, line: 1 }, name, `the ${this.layout.name} needs a column "${name}"; it is missing`));
    }
  }

  protected override limitOf(index: number): { limit: number; what: string } {
    for (const name of NAMED_COLUMNS) if (this.parser?.indexOf(name) === index) return { limit: LIMITS.organisation, what: name.toLowerCase() };
    return super.limitOf(index);
  }

  protected onRow(fields: string[], pos: RowPosition): void {
    const parser = this.parser;
    // A file with missing columns (or of another layout) is reported once, at the header, not once per row.
    if (!parser || parser.missing.length) return;
    this.file.add(parser.parse(fields, pos, this.report), this.report);
  }

  protected override onFinish(): void {
    this.file.finish(this.duplicates, this.report, (w) => this.warn(w));
  }

  write(tx: Tx, record: ImportRecord): { summary: CqcImportSummary; changed: number } {
    if (!this.ok) throw new Error('An import with problems must not be written.');
    const parser = this.parser!;
    const coverage = this.coverage(record);
    const plan = planCqcImport(this.file, readCqcState(tx), {
      importId: record.id,
      at: tx.at,
      locationColumns: this.layout.locationColumns,
      hasReportType: parser.has('Report Type'),
      hasInherited: parser.has('Inherited Rating (Y/N)'),
      regions: parser.regionByName.values(),
      asOf: coverage.from,
    });
    const summary: CqcImportSummary = {
      layout: this.layout.id,
      rowsRead: this.rowsRead,
      skippedNoRating: this.file.skippedNoRating,
      identicalDuplicates: this.file.identicalDuplicates,
      withheld: this.file.withheld,
      latestPublication: this.file.latestPublication,
      tables: plan.tables,
    };
    if (plan.changed === 0) return { summary, changed: 0 };
    recordImport(tx, { ...record, source: record.source ?? CQC_RATINGS_SOURCE, notes: record.notes ?? JSON.stringify(this.notes(summary)) });
    setImportCoverage(tx, record.id, coverage);
    // The words CQC's publications use for its categories and service groups, kept where an editor has changed them.
    insertLabels(tx, CQC_PUBLICATION_LABELS);
    applyCqcPlan(tx, plan);
    auditImport(tx, record, summary);
    return { summary, changed: plan.changed };
  }

  /**
   * What the file can answer: a latest ratings edition holds each series' latest rating as at its extract date, so it
   * answers dates from then on. The extract date is the edition date given (an ISO date), else the latest publication
   * date in the file, else the day of the import.
   */
  private coverage(record: ImportRecord): ImportCoverage {
    if (record.edition && /^\d{4}-\d{2}-\d{2}$/.test(record.edition)) return { kind: 'latest', from: record.edition, to: null, basis: 'edition' };
    if (this.file.latestPublication) return { kind: 'latest', from: this.file.latestPublication, to: null, basis: 'latest publication date' };
    return { kind: 'latest', from: record.importedAt.slice(0, 10), to: null, basis: 'latest date in the file' };
  }

  private notes(summary: CqcImportSummary): Record<string, unknown> {
    return {
      layout: summary.layout,
      latestPublication: summary.latestPublication,
      skippedNoRating: summary.skippedNoRating,
      identicalDuplicates: summary.identicalDuplicates,
      withheld: this.warnings.filter((w) => w.code === 'duplicate-key').map((w) => ({ rows: w.rows, message: w.message })),
    };
  }
}
