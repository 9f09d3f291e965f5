import type { Tx, Workspace } from './workspace';
import { read, type Db } from './query';

/**
 * Publication labels: the words a publication prints for a value that the data spells its own way. CQC's files name
 * an inspection category "Acute hospital - NHS non-specialist"; State of Care prints "NHS acute hospitals". The labels
 * are data (reference data seeds CQC's, the importers add theirs, and an editor may change them), and the figure
 * engine's row and chart labels read them, so a table, a chart and its alt text all say the same plain words.
 */

/** What kind of value a label is for: the figure engine's grouping dimensions that hold source spellings. */
export type LabelKind = 'category' | 'serviceGroup' | 'locationType';

export interface PublicationLabel {
  kind: LabelKind;
  value: string;
  label: string;
}

/**
 * Adds labels. By default a label already held is kept (an editor's wording wins over the seed an importer brings
 * again); `replace` overwrites it.
 */
export function insertLabels(tx: Tx, labels: readonly PublicationLabel[], opts: { replace?: boolean } = {}): number {
  if (!labels.length) return 0;
  return tx.runMany(
    `INSERT ${opts.replace ? 'OR REPLACE' : 'OR IGNORE'} INTO publication_labels(kind, value, label) VALUES (?, ?, ?)`,
    labels.map((l) => [l.kind, l.value, l.label]),
  );
}

/** Every label, by kind and then by the value as the data holds it. */
export const publicationLabels = read(['publication_labels'], (db: Db): Map<string, Map<string, string>> => {
  const out = new Map<string, Map<string, string>>();
  for (const r of db.all<{ kind: string; value: string; label: string }>('SELECT kind, value, label FROM publication_labels')) {
    let m = out.get(r.kind);
    if (!m) out.set(r.kind, (m = new Map()));
    m.set(r.value, r.label);
  }
  return out;
});

const cache = new WeakMap<Workspace, { seq: number; labels: Map<string, Map<string, string>> }>();

/**
 * The labels, read once per write: the figure engine asks for every row of every table it builds, and the labels only
 * change in a write. Inside a write (a transaction sees its own changes) they are read afresh.
 */
export function labelsOf(ws: Workspace): Map<string, Map<string, string>> {
  if (ws.inWrite) return publicationLabels(ws);
  const hit = cache.get(ws);
  if (hit && hit.seq === ws.lastSeq) return hit.labels;
  const labels = publicationLabels(ws);
  cache.set(ws, { seq: ws.lastSeq, labels });
  return labels;
}
