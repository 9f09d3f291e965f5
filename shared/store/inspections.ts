import type { Tx } from './workspace';
import { read, type Db } from './query';
import { locationNames } from './locations';

/** Inspections of a location: when, what kind, who led them, where they stand. */

export interface InspectionRecord {
  id: string;
  locationId: string;
  startedOn: string | null;
  endedOn: string | null;
  publishedOn: string | null;
  kind: string;
  status: string;
  leadInspector: string | null;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface InspectionListing {
  id: string;
  locationId: string;
  locationName: string;
  startedOn: string | null;
  publishedOn: string | null;
  status: string;
  leadInspector: string | null;
}

/** Inspections, latest first (by publication, else start), with the location's name; optionally of one location. */
export const listInspections = read(['inspections', 'locations'], (db: Db, q: { locationId?: string | undefined; limit: number }): InspectionListing[] => {
  const rows = db.all<Omit<InspectionListing, 'locationName'>>(
    `SELECT id, location_id AS locationId, started_on AS startedOn, published_on AS publishedOn, status, lead_inspector AS leadInspector
     FROM inspections ${q.locationId ? 'WHERE location_id = ?' : ''}
     ORDER BY COALESCE(published_on, started_on) DESC, id LIMIT ?`,
    q.locationId ? [q.locationId, q.limit] : [q.limit],
  );
  const names = locationNames(
    db,
    rows.map((r) => r.locationId),
  );
  // The foreign key keeps every inspection's location; one missing from a damaged file is left out, as a join would.
  return rows.filter((r) => names.has(r.locationId)).map((r) => ({ ...r, locationName: names.get(r.locationId)! }));
});

export const inspectedLocationIds = read(['inspections'], (db: Db): string[] => db.all<{ id: string }>('SELECT DISTINCT location_id AS id FROM inspections').map((r) => r.id));

export const countInspections = read(['inspections'], (db: Db): number => Number(db.get<{ n: number }>('SELECT count(*) AS n FROM inspections')?.n ?? 0));

export function insertInspections(tx: Tx, inspections: readonly InspectionRecord[]): number {
  return tx.runMany(
    `INSERT INTO inspections(id, location_id, started_on, ended_on, published_on, kind, status, lead_inspector, notes, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    inspections.map((i) => [i.id, i.locationId, i.startedOn, i.endedOn, i.publishedOn, i.kind, i.status, i.leadInspector, i.notes, i.createdAt, i.updatedAt]),
  );
}

export const inspectionExists = read(['inspections'], (db: Db, id: string): boolean => !!db.get('SELECT 1 FROM inspections WHERE id = ?', [id]));
