import type { Tx } from './workspace';
import { audit } from './audit';
import { read, type Db } from './query';

/** Area-level measures (delayed transfers per 100,000 aged 65+, say) and their values by area and period. */

export interface IndicatorRecord {
  id: string;
  name: string;
  unit: string;
  polarity: string;
  source: string;
  sourceUrl: string | null;
  description: string | null;
}

export interface IndicatorValueRecord {
  indicatorId: string;
  areaCode: string;
  period: string;
  value: number;
  numerator: number | null;
  denominator: number | null;
  importId: string | null;
  updatedAt: string;
}

interface ValueRow {
  indicator_id: string;
  area_code: string;
  period: string;
  value: number;
  numerator: number | null;
  denominator: number | null;
  import_id: string | null;
  updated_at: string;
}

function toValue(r: ValueRow): IndicatorValueRecord {
  return {
    indicatorId: r.indicator_id,
    areaCode: r.area_code,
    period: r.period,
    value: r.value,
    numerator: r.numerator,
    denominator: r.denominator,
    importId: r.import_id,
    updatedAt: r.updated_at,
  };
}

/** Indicators by name, for figure parameters such as $indicator. */
export const listIndicators = read(['indicators'], (db: Db): { id: string; name: string; unit: string }[] =>
  db.all<{ id: string; name: string; unit: string }>('SELECT id, name, unit FROM indicators ORDER BY name'),
);

/** Every indicator with the periods it has values for, newest first (period labels such as 2017/18 sort as text). */
export const listIndicatorsWithPeriods = read(
  ['indicators', 'indicator_values'],
  (db: Db): (Omit<IndicatorRecord, 'sourceUrl' | 'description'> & { periods: string[] })[] => {
    const periods = new Map<string, string[]>();
    for (const r of db.all<{ id: string; period: string }>('SELECT DISTINCT indicator_id AS id, period FROM indicator_values ORDER BY period DESC')) {
      const xs = periods.get(r.id) ?? [];
      xs.push(r.period);
      periods.set(r.id, xs);
    }
    return db
      .all<{ id: string; name: string; unit: string; polarity: string; source: string }>('SELECT id, name, unit, polarity, source FROM indicators ORDER BY name')
      .map((r) => ({ ...r, periods: periods.get(r.id) ?? [] }));
  },
);

export const indicatorNames = read(['indicators'], (db: Db): { id: string; name: string }[] => db.all<{ id: string; name: string }>('SELECT id, name FROM indicators'));

/** Every value held, for an importer's plan. */
export const allIndicatorValues = read(['indicator_values'], (db: Db): IndicatorValueRecord[] =>
  db.all<ValueRow>('SELECT * FROM indicator_values').map(toValue),
);

export const countIndicators = read(['indicators'], (db: Db): number => Number(db.get<{ n: number }>('SELECT count(*) AS n FROM indicators')?.n ?? 0));

export const countIndicatorValues = read(['indicator_values'], (db: Db): number => Number(db.get<{ n: number }>('SELECT count(*) AS n FROM indicator_values')?.n ?? 0));

export function insertIndicators(tx: Tx, indicators: readonly IndicatorRecord[]): number {
  return tx.runMany(
    'INSERT INTO indicators(id, name, unit, polarity, source, source_url, description) VALUES (?, ?, ?, ?, ?, ?, ?)',
    indicators.map((i) => [i.id, i.name, i.unit, i.polarity, i.source, i.sourceUrl, i.description]),
  );
}

export function insertIndicatorValues(tx: Tx, values: readonly IndicatorValueRecord[]): number {
  return tx.runMany(
    'INSERT INTO indicator_values(indicator_id, area_code, period, value, numerator, denominator, import_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    values.map((v) => [v.indicatorId, v.areaCode, v.period, v.value, v.numerator, v.denominator, v.importId, v.updatedAt]),
  );
}

/** Replaces values a new edition of a dataset revised, each change audited with the value it replaced. */
export function reviseIndicatorValues(tx: Tx, changes: readonly { before: IndicatorValueRecord; after: IndicatorValueRecord }[]): number {
  const n = tx.runMany(
    'UPDATE indicator_values SET value = ?, numerator = ?, denominator = ?, import_id = ?, updated_at = ? WHERE indicator_id = ? AND area_code = ? AND period = ?',
    changes.map(({ after: a }) => [a.value, a.numerator, a.denominator, a.importId, a.updatedAt, a.indicatorId, a.areaCode, a.period]),
  );
  for (const { before: b, after: a } of changes) {
    audit(
      tx,
      'indicator_value.update',
      'indicator_values',
      `${a.indicatorId}/${a.areaCode}/${a.period}`,
      { indicator_id: b.indicatorId, area_code: b.areaCode, period: b.period, value: b.value, numerator: b.numerator, denominator: b.denominator },
      { value: a.value, numerator: a.numerator, denominator: a.denominator },
    );
  }
  return n;
}
