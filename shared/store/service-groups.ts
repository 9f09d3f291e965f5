import type { Tx } from './workspace';
import { read, type Db } from './query';
import { insertLabels, type PublicationLabel } from './labels';

/**
 * One vocabulary of CQC's service and population groups. CQC's national "Latest ratings" file spells a GP practice's
 * population groups out ("Older people", "People with long term conditions"); the layout derived from its API uses
 * codes ("old", "conditions"). Ratings keep one spelling per group, the national file's name, so that the same group
 * from two files is one series. The vocabulary is data: `service_groups` holds the names, `service_group_spellings`
 * the other spellings layouts use; a spelling neither holds is a group of its own, kept as the file spells it.
 *
 * The words a publication prints for a group are publication labels (labels.ts, kind 'serviceGroup').
 */

export type ServiceGroupKind = 'location' | 'population group' | 'core service';

export interface ServiceGroupDef {
  /** The name ratings hold, as CQC's national file spells it. */
  name: string;
  kind: ServiceGroupKind;
  /** Other spellings of the group in CQC's layouts (the API layout's codes). */
  spellings: readonly string[];
  /** What a publication prints, where it differs from the name. */
  label?: string;
}

/**
 * CQC's groups whose spelling differs between its layouts, in CQC's order (the location itself, the six population
 * groups of GP practices, then hospital and community core services). Codes were matched to names on the same
 * locations, dates and ratings in the national file of February 2021 and the Oldham API extract of March 2025, and by
 * CQC's published list of population groups. Some codes span a service CQC renamed: "maternity" and "outpatients" are
 * also the API's codes for ratings published as "Maternity and gynaecology" and "Outpatients and diagnostic imaging"
 * before 2017; they are read as today's names, so such an old rating held from both layouts is two series.
 */
export const CQC_SERVICE_GROUPS: readonly ServiceGroupDef[] = [
  { name: 'Overall', kind: 'location', spellings: [] },
  { name: 'Older people', kind: 'population group', spellings: ['old'] },
  { name: 'People with long term conditions', kind: 'population group', spellings: ['conditions'], label: 'People with long-term conditions' },
  { name: 'Families, children and young people', kind: 'population group', spellings: ['mothers'] },
  { name: 'Working age people (including those recently retired and students)', kind: 'population group', spellings: ['population'] },
  { name: 'People whose circumstances may make them vulnerable', kind: 'population group', spellings: ['vulnerable'] },
  { name: 'People experiencing poor mental health (including people with dementia)', kind: 'population group', spellings: ['problems'] },
  { name: 'Urgent and emergency services', kind: 'core service', spellings: ['urgent'] },
  { name: "Medical care (including older people's care)", kind: 'core service', spellings: ['care'] },
  { name: 'Surgery', kind: 'core service', spellings: ['surgery'] },
  { name: 'Critical care', kind: 'core service', spellings: ['critical'] },
  { name: 'Maternity', kind: 'core service', spellings: ['maternity', 'npimaternity'] },
  { name: 'Services for children & young people', kind: 'core service', spellings: ['childrens'] },
  { name: 'End of life care', kind: 'core service', spellings: ['life'] },
  { name: 'Outpatients', kind: 'core service', spellings: ['outpatients'] },
  { name: 'Diagnostic imaging', kind: 'core service', spellings: ['diagnostic', 'diagnostics'] },
  { name: 'Dialysis services', kind: 'core service', spellings: ['dialysis'] },
  { name: 'Patient transport services', kind: 'core service', spellings: ['transport'] },
  { name: 'Community health services for adults', kind: 'core service', spellings: ['chsadults'] },
  { name: 'Community health services for children, young people and families', kind: 'core service', spellings: ['chschildren'] },
  { name: 'Community health sexual health services', kind: 'core service', spellings: ['communitysexual'] },
  { name: 'Forensic inpatient or secure wards', kind: 'core service', spellings: ['mhforensic'] },
  { name: 'Long stay or rehabilitation mental health wards for working age adults', kind: 'core service', spellings: ['mhlongstay'] },
];

/** A group of the vocabulary, as the workspace holds it. */
export interface ServiceGroupRecord {
  name: string;
  kind: ServiceGroupKind;
  position: number;
  spellings: string[];
}

/** The vocabulary, in its order, each group with its other spellings. */
export const listServiceGroups = read(['service_groups', 'service_group_spellings'], (db: Db): ServiceGroupRecord[] => {
  const groups = db.all<{ name: string; kind: ServiceGroupKind; position: number }>('SELECT name, kind, position FROM service_groups ORDER BY position, name');
  const spellings = new Map<string, string[]>();
  for (const s of db.all<{ spelling: string; group: string }>('SELECT spelling, service_group AS "group" FROM service_group_spellings ORDER BY spelling')) {
    const list = spellings.get(s.group) ?? [];
    list.push(s.spelling);
    spellings.set(s.group, list);
  }
  return groups.map((g) => ({ ...g, spellings: spellings.get(g.name) ?? [] }));
});

/**
 * Every spelling the workspace knows, each to the name of its group: the names themselves and their other spellings.
 * Importers look a file's value up loosely (case, spacing and punctuation aside) in this.
 */
export const serviceGroupSpellings = read(['service_groups', 'service_group_spellings'], (db: Db): Map<string, string> => {
  const out = new Map<string, string>();
  for (const g of db.all<{ name: string }>('SELECT name FROM service_groups')) out.set(g.name, g.name);
  for (const s of db.all<{ spelling: string; group: string }>('SELECT spelling, service_group AS "group" FROM service_group_spellings')) out.set(s.spelling, s.group);
  return out;
});

/**
 * Adds the groups and spellings of the reference vocabulary the workspace lacks, and their publication labels where
 * none is held. A group or spelling already held is left as the workspace has it (an editor may have changed it).
 * Returns how many groups and spellings were added.
 */
export function insertServiceGroups(tx: Tx, groups: readonly ServiceGroupDef[] = CQC_SERVICE_GROUPS): number {
  const names = new Set(tx.all<{ name: string }>('SELECT name FROM service_groups').map((r) => r.name));
  const spellings = new Set(tx.all<{ spelling: string }>('SELECT spelling FROM service_group_spellings').map((r) => r.spelling));
  const newGroups = groups.filter((g) => !names.has(g.name));
  const newSpellings = groups.flatMap((g) => g.spellings.filter((s) => !spellings.has(s)).map((s) => [s, g.name]));
  if (newGroups.length) {
    const last = Number(tx.get<{ n: number }>('SELECT coalesce(max(position), 0) AS n FROM service_groups')?.n ?? 0);
    tx.runMany(
      'INSERT INTO service_groups(name, kind, position) VALUES (?, ?, ?)',
      newGroups.map((g, i) => [g.name, g.kind, last + i + 1]),
    );
  }
  if (newSpellings.length) tx.runMany('INSERT INTO service_group_spellings(spelling, service_group) VALUES (?, ?)', newSpellings);
  const labels: PublicationLabel[] = newGroups.filter((g) => g.label).map((g) => ({ kind: 'serviceGroup', value: g.name, label: g.label! }));
  insertLabels(tx, labels);
  return newGroups.length + newSpellings.length;
}
