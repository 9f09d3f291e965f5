import type { Workspace } from '../store/workspace';
import { longDate } from '../document/format';
import { importSources } from '../store/imports';
import { sharedFigureEngine } from './engine';
import type { FigureParams, FigureRef } from './types';

/**
 * "Show the rows": what a live figure counts, as a statement in plain words ("634 of 762 adult social care locations
 * in the North East rated good or outstanding for Safe, as at 31 July 2018"), where the data came from, and every row
 * it counts, in a table a reader can export. Rows are those of the figure's own query (engine rows), so their count
 * is the figure's denominator. Any structured figure has rows: a rating figure's ratings, and for the other measures
 * the findings, evidence, indicator values, assessment scores and ratings, or rating series it reads.
 */

export interface FigureRowsView {
  statement: string;
  /** Where the rows came from, in words: "CQC ratings data imported 3 May 2018". */
  source: string;
  numerator: number;
  denominator: number;
  columns: { key: string; label: string }[];
  rows: (string | number | null)[][];
}

const COLUMNS = [
  { key: 'locationId', label: 'Location ID' },
  { key: 'location', label: 'Location' },
  { key: 'localAuthority', label: 'Local authority' },
  { key: 'region', label: 'Region' },
  { key: 'category', label: 'Inspection category' },
  { key: 'serviceGroup', label: 'Service or population group' },
  { key: 'keyQuestion', label: 'Key question' },
  { key: 'rating', label: 'Rating' },
  { key: 'publishedOn', label: 'Published' },
  { key: 'counted', label: 'Counted as' },
] as const;

function words(list: readonly string[], join = 'or'): string {
  if (list.length <= 1) return list[0] ?? '';
  return `${list.slice(0, -1).join(', ')} ${join} ${list[list.length - 1]}`;
}

/** Where a figure's data came from, in words, from the imports its provenance names. */
function sourceOf(ws: Workspace, imports: readonly { id: string; kind: string; fileName?: string | null; importedAt?: string | null }[], none: string): string {
  const described = importSources(ws, imports.map((i) => i.id));
  return imports.length
    ? imports.map((i) => `${described.get(i.id)?.source ?? (i.kind === 'demo' ? 'demonstration data' : i.kind)} imported ${i.importedAt ? longDate(i.importedAt.slice(0, 10)) : 'on an unknown date'}${i.fileName && i.kind !== 'demo' ? `, from the file ${i.fileName}` : ''}`).join('; ')
    : none;
}

export function figureRows(ws: Workspace, ref: FigureRef, reportParams: FigureParams): FigureRowsView {
  const engine = sharedFigureEngine(ws);
  const drilled = engine.rows(ref, reportParams);
  const result = engine.evaluateRef(ref, reportParams);
  const imports = result.provenance?.imports ?? [];
  if (drilled.kind === 'records') {
    const d = drilled.records;
    return {
      statement: d.statement,
      source: d.source ?? sourceOf(ws, imports, 'records held in this workspace'),
      numerator: d.numerator,
      denominator: d.denominator,
      columns: d.columns,
      rows: d.rows,
    };
  }
  const r = drilled.ratings;
  const kq = r.keyQuestions.length === 1 && r.keyQuestions[0]!.toLowerCase() !== 'overall' ? ` for ${r.keyQuestions[0]}` : r.keyQuestions.length > 1 ? ` for ${words(r.keyQuestions)}` : ' overall';
  const date = r.asAt === '9999-12-31' ? 'on their latest ratings' : `as at ${longDate(r.asAt)}`;
  const registered = r.registered ? ' (counting locations registered on that date)' : '';
  const statement = r.ratingsAsked
    ? `${r.numerator.toLocaleString('en-GB')} of ${r.denominator.toLocaleString('en-GB')} ${r.subject} rated ${words(r.ratingsAsked.map((x) => x.toLowerCase()))}${kq}, ${date}${registered}.`
    : `${r.denominator.toLocaleString('en-GB')} ${r.subject} with a rating${kq}, ${date}${registered}.`;
  return {
    statement,
    source: sourceOf(ws, imports, 'ratings held in this workspace'),
    numerator: r.numerator,
    denominator: r.denominator,
    columns: [...COLUMNS],
    rows: r.rows.map((x) => [x.locationId, x.location, x.localAuthority, x.region, x.category, x.serviceGroup, x.keyQuestion, x.rating, x.publishedOn, x.inNumerator ? 'numerator' : x.inDenominator ? 'denominator only' : 'not counted (off the scale)']),
  };
}
