import type { Tx } from '../store/workspace';
import type { Db } from '../store/query';
import { ENGLAND_AREA_CODE, slugify } from '../store/reference';
import { allLocalAuthorities, allRegions } from '../store/locations';
import { allIndicatorValues, indicatorNames, insertIndicators, insertIndicatorValues, reviseIndicatorValues, type IndicatorValueRecord } from '../store/indicators';
import { problemAt, type RowPosition } from './problems';
import { MappedImporter, parseNumber, type ColumnMap, type TargetField } from './mapping';
import { auditImport, emptyCounts, loose, recordImport, type ImportRecord, type TableCounts } from './table';
import { LIMITS } from '../util/limits';

/**
 * Area-level indicator values (delayed transfers of care per 100,000 aged 65+, emergency admissions, ...): one row per
 * area x period x indicator. Values are keyed by (indicator, area, period), so re-importing a corrected file updates
 * values in place and importing the same file twice changes nothing.
 */

export const INDICATOR_TARGETS: readonly TargetField[] = [
  { target: 'area', label: 'area', required: true, aliases: ['area code', 'area_code', 'la code', 'local authority', 'geography code', 'ons code', 'code'], max: LIMITS.organisation },
  { target: 'period', label: 'period', required: true, aliases: ['year', 'time period', 'financial year', 'quarter'], max: LIMITS.name },
  { target: 'indicator', label: 'indicator', required: true, aliases: ['indicator id', 'indicator name', 'measure', 'metric'], max: LIMITS.organisation },
  { target: 'value', label: 'value', required: true, aliases: ['rate', 'indicator value'] },
  { target: 'numerator', label: 'numerator', required: false, aliases: ['count'] },
  { target: 'denominator', label: 'denominator', required: false, aliases: ['population'] },
  { target: 'unit', label: 'unit', required: false, aliases: ['units'], max: LIMITS.reference },
  { target: 'polarity', label: 'polarity', required: false, aliases: [] },
  { target: 'source', label: 'source', required: false, aliases: ['data source'], max: LIMITS.reference },
];

/** Markers statistical publications use for suppressed or missing values: skipped and counted, not errors. */
const SUPPRESSED = new Set(['[c]', '[x]', '[z]', '[u]', '[low]', 'c', 'x', 'z', '..', ':', '*', '-', 'n/a', 'na', 'suppressed']);

const POLARITIES = ['higher is better', 'lower is better', 'neutral'] as const;

export interface IndicatorContext {
  indicators: { id: string; name: string }[];
  /** Known area codes with their names: local authorities, regions and England. */
  areas: { id: string; name: string }[];
}

export function indicatorContext(db: Db): IndicatorContext {
  return {
    indicators: indicatorNames(db),
    areas: [
      ...allLocalAuthorities(db).map((la) => ({ id: la.id, name: la.name })),
      ...allRegions(db),
      { id: ENGLAND_AREA_CODE, name: 'England' },
    ],
  };
}

export interface IndicatorImportSummary {
  rowsRead: number;
  suppressed: number;
  tables: { indicators: TableCounts; indicator_values: TableCounts };
}

interface NewIndicator {
  id: string;
  name: string;
  unit: string;
  polarity: string;
  source: string;
  pos: RowPosition;
}

/** An ONS GSS code (E06000001 and the like): accepted for areas the workspace does not list yet. */
const GSS = /^[EWSNK]\d{8}$/;

export class IndicatorImporter extends MappedImporter<IndicatorImportSummary> {
  readonly kind = 'indicators';
  suppressed = 0;
  private readonly indicatorByName = new Map<string, string>();
  private readonly areaByName = new Map<string, string>();
  private readonly newIndicators = new Map<string, NewIndicator>();
  /** The sources the file names (its source column), for the import's own description of what it brought. */
  private readonly sources = new Set<string>();
  private readonly values = new Map<string, { value: Omit<IndicatorValueRecord, 'importId' | 'updatedAt'>; pos: RowPosition }>();

  constructor(ctx: IndicatorContext, map: ColumnMap = {}) {
    super(INDICATOR_TARGETS, map);
    for (const i of ctx.indicators) {
      this.indicatorByName.set(loose(i.id), i.id);
      this.indicatorByName.set(loose(i.name), i.id);
    }
    for (const a of ctx.areas) {
      this.areaByName.set(loose(a.id), a.id);
      if (!this.areaByName.has(loose(a.name))) this.areaByName.set(loose(a.name), a.id);
    }
  }

  protected onMappedRow(fields: string[], pos: RowPosition): void {
    const before = this.problemCount;
    const bad = (code: Parameters<typeof problemAt>[0], target: string, message: string) => this.problemIn(pos, code, target, message);
    const areaText = this.get(fields, 'area');
    let area: string | undefined;
    if (!areaText) bad('required', 'area', 'the area is empty');
    else {
      area = this.areaByName.get(loose(areaText)) ?? (GSS.test(areaText) ? areaText : undefined);
      if (!area) bad('unknown-value', 'area', `"${areaText}" is not a local authority, region or England in this workspace, nor an ONS area code`);
    }
    const period = this.get(fields, 'period');
    if (!period) bad('required', 'period', 'the period is empty');
    const indicatorText = this.get(fields, 'indicator');
    const sourceText = this.get(fields, 'source');
    if (sourceText && this.sources.size < 20) this.sources.add(sourceText);
    let indicatorId: string | undefined;
    if (!indicatorText) bad('required', 'indicator', 'the indicator is empty');
    else {
      indicatorId = this.indicatorByName.get(loose(indicatorText));
      if (!indicatorId) {
        // A new indicator: it needs its unit, polarity and source, which the file must then give.
        const unit = this.get(fields, 'unit') || null;
        const polarityText = this.get(fields, 'polarity');
        const polarity = POLARITIES.find((p) => loose(p) === loose(polarityText)) ?? null;
        const source = this.get(fields, 'source') || null;
        if (!unit || !polarity || !source) {
          const missing = [!unit && 'unit', !polarity && 'polarity', !source && 'source'].filter(Boolean).join(', ');
          bad(
            'unknown-value',
            'indicator',
            `"${indicatorText}" is not an indicator in this workspace; to add it, the file must give its ${missing}` +
              (polarityText && !polarity ? ` ("${polarityText}" is not one of: ${POLARITIES.join(', ')})` : ''),
          );
        } else {
          indicatorId = slugify(indicatorText);
          const prev = this.newIndicators.get(indicatorId);
          if (!prev) this.newIndicators.set(indicatorId, { id: indicatorId, name: indicatorText, unit, polarity, source, pos });
          else if (prev.unit !== unit || prev.polarity !== polarity || prev.source !== source) {
            bad('conflicting-record', 'indicator', `indicator "${indicatorText}" has a different unit, polarity or source here than on row ${prev.pos.row}`);
          }
        }
      }
    }
    const valueText = this.get(fields, 'value');
    let value: number | undefined;
    let suppressed = false;
    if (valueText === '' || SUPPRESSED.has(valueText.toLowerCase())) suppressed = true;
    else {
      value = parseNumber(valueText);
      if (value === undefined) bad('bad-number', 'value', `"${valueText}" is not a number`);
    }
    const optional = (target: string): number | null => {
      const t = this.get(fields, target);
      if (t === '' || SUPPRESSED.has(t.toLowerCase())) return null;
      const n = parseNumber(t);
      if (n === undefined) {
        bad('bad-number', target, `"${t}" is not a number`);
        return null;
      }
      return n;
    };
    const numerator = optional('numerator');
    const denominator = optional('denominator');
    if (this.problemCount !== before || !area || !indicatorId) return;
    const key = `${indicatorId}\u0001${area}\u0001${period}`;
    const prev = this.values.get(key);
    if (prev) {
      bad('duplicate-key', 'indicator', `duplicate key within the file: ${indicatorText}, ${areaText}, ${period} is also on row ${prev.pos.row}`);
      return;
    }
    if (suppressed) {
      this.suppressed++;
      return;
    }
    this.values.set(key, { value: { indicatorId, areaCode: area, period, value: value!, numerator, denominator }, pos });
  }

  write(tx: Tx, record: ImportRecord): { summary: IndicatorImportSummary; changed: number } {
    if (!this.ok) throw new Error('An import with problems must not be written.');
    const tables = { indicators: emptyCounts(), indicator_values: emptyCounts() };
    const existingIndicators = new Set(indicatorNames(tx).map((r) => r.id));
    const newIndicators = [...this.newIndicators.values()].filter((i) => !existingIndicators.has(i.id));
    tables.indicators.added = newIndicators.length;
    const existing = new Map(allIndicatorValues(tx).map((r) => [`${r.indicatorId}\u0001${r.areaCode}\u0001${r.period}`, r]));
    const inserts: IndicatorValueRecord[] = [];
    const updates: { before: IndicatorValueRecord; after: IndicatorValueRecord }[] = [];
    for (const [key, { value: v }] of this.values) {
      const e = existing.get(key);
      const after = { ...v, importId: record.id, updatedAt: tx.at };
      if (!e) inserts.push(after);
      else if (e.value !== v.value || e.numerator !== v.numerator || e.denominator !== v.denominator) updates.push({ before: e, after });
      else tables.indicator_values.unchanged++;
    }
    tables.indicator_values.added = inserts.length;
    tables.indicator_values.updated = updates.length;
    const summary: IndicatorImportSummary = { rowsRead: this.rowsRead, suppressed: this.suppressed, tables };
    const changed = newIndicators.length + inserts.length + updates.length;
    if (changed === 0) return { summary, changed };
    // A source line names the indicator's own source; the import says what the file brought, in the file's words.
    recordImport(tx, { ...record, source: record.source ?? ([...this.sources].join('; ') || 'Area indicators') });
    insertIndicators(
      tx,
      newIndicators.map((i) => ({ id: i.id, name: i.name, unit: i.unit, polarity: i.polarity, source: i.source, sourceUrl: null, description: null })),
    );
    insertIndicatorValues(tx, inserts);
    reviseIndicatorValues(tx, updates);
    tx.note({ table: 'indicators', op: 'insert' });
    tx.note({ table: 'indicator_values', op: 'insert' });
    auditImport(tx, record, summary);
    return { summary, changed };
  }
}
