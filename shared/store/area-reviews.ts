import type { Tx } from './workspace';
import { placeholders, read, type Db } from './query';
import { localAuthorityNames } from './locations';

/** Local system reviews of one area, the themes they look at, and the themes themselves. */

export interface AreaReviewRecord {
  id: string;
  localAuthorityId: string;
  title: string;
  startedOn: string | null;
  publishedOn: string | null;
  status: string;
  summary: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ThemeRecord {
  id: string;
  name: string;
  description: string | null;
  position: number;
}

export const listThemes = read(['themes'], (db: Db): { id: string; name: string }[] => db.all<{ id: string; name: string }>('SELECT id, name FROM themes ORDER BY position'));

export const themeNames = read(['themes'], (db: Db): Map<string, string> => new Map(db.all<{ id: string; name: string }>('SELECT id, name FROM themes').map((t) => [t.id, t.name])));

export const themeExists = read(['themes'], (db: Db, id: string): boolean => !!db.get('SELECT 1 FROM themes WHERE id = ?', [id]));

export const areaReviewExists = read(['area_reviews'], (db: Db, id: string): boolean => !!db.get('SELECT 1 FROM area_reviews WHERE id = ?', [id]));

export const areaReviewIds = read(['area_reviews'], (db: Db): Set<string> => new Set(db.all<{ id: string }>('SELECT id FROM area_reviews').map((r) => r.id)));

export const areaReviewTitles = read(['area_reviews'], (db: Db, ids: readonly string[]): Map<string, string> => {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  return new Map(db.all<{ id: string; title: string }>(`SELECT id, title FROM area_reviews WHERE id IN (${placeholders(unique.length)})`, unique).map((r) => [r.id, r.title]));
});

/** Area reviews with their local authority's name, by that name then title. */
export const listAreaReviews = read(['area_reviews', 'local_authorities'], (db: Db): { id: string; title: string; localAuthority: string; status: string; publishedOn: string | null }[] => {
  const reviews = db.all<{ id: string; title: string; laId: string; status: string; publishedOn: string | null }>(
    'SELECT id, title, local_authority_id AS laId, status, published_on AS publishedOn FROM area_reviews',
  );
  const names = localAuthorityNames(
    db,
    reviews.map((r) => r.laId),
  );
  return reviews
    // Like the inner join it replaces: a review whose local authority is missing is not listed.
    .filter((r) => names.has(r.laId))
    .map((r) => ({ id: r.id, title: r.title, localAuthority: names.get(r.laId)!, status: r.status, publishedOn: r.publishedOn }))
    .sort((a, b) => cmp(a.localAuthority, b.localAuthority) || cmp(a.title, b.title));
});

/** SQLite's default (binary) collation, which the list was ordered by. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The area review of a local authority, by the authority's id. */
export const areaReviewOf = read(['area_reviews'], (db: Db, localAuthorityId: string): string | undefined =>
  db.get<{ id: string }>('SELECT id FROM area_reviews WHERE local_authority_id = ? ORDER BY id LIMIT 1', [localAuthorityId])?.id,
);

/** The local authorities reviewed, in id order. */
export const reviewedLocalAuthorities = read(['area_reviews'], (db: Db): string[] =>
  db.all<{ id: string }>('SELECT local_authority_id AS id FROM area_reviews ORDER BY local_authority_id').map((r) => r.id),
);

export const countAreaReviews = read(['area_reviews'], (db: Db): number => Number(db.get<{ n: number }>('SELECT count(*) AS n FROM area_reviews')?.n ?? 0));

export function insertThemes(tx: Tx, themes: readonly ThemeRecord[]): number {
  return tx.runMany(
    'INSERT INTO themes(id, name, description, position) VALUES (?, ?, ?, ?)',
    themes.map((t) => [t.id, t.name, t.description, t.position]),
  );
}

/** Adds area reviews with the summary of each theme they looked at (the demo). */
export function insertAreaReviews(tx: Tx, reviews: readonly (AreaReviewRecord & { themes: { themeId: string; summary: string | null }[] })[]): number {
  let n = tx.runMany(
    `INSERT INTO area_reviews(id, local_authority_id, title, started_on, published_on, status, summary, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    reviews.map((r) => [r.id, r.localAuthorityId, r.title, r.startedOn, r.publishedOn, r.status, r.summary, r.createdAt, r.updatedAt]),
  );
  n += tx.runMany(
    'INSERT INTO area_review_themes(area_review_id, theme_id, summary) VALUES (?, ?, ?)',
    reviews.flatMap((r) => r.themes.map((t) => [r.id, t.themeId, t.summary])),
  );
  return n;
}
