import { z } from 'zod';
import type { SqlValue, Tx } from './workspace';
import { audit } from './audit';
import { invalidField, WorkspaceError } from './errors';
import { optionalText, parseInput, requiredText } from './validate';
import { insertRows, placeholders, read, type Db } from './query';
import { locationExists, locationNames, providerExists, providerNames } from './locations';
import { areaReviewExists, areaReviewTitles, themeExists, themeNames } from './area-reviews';
import { evidenceExists } from './evidence';
import { keyQuestionExists } from './ratings';
import { assessmentExists, qualityStatementExists } from './assessments';
import { LIMITS } from '../util/limits';
import { newId } from '../util/runtime';

/** Findings (a statement about a location, provider, area review or the nation) and the evidence behind each. */

export const JUDGEMENTS = ['strength', 'concern', 'recommendation'] as const;
export const FINDING_STATUSES = ['draft', 'agreed', 'published', 'withdrawn'] as const;
export const SUBJECT_TYPES = ['location', 'provider', 'area review', 'national'] as const;

export const FindingInput = z
  .object({
    id: z.string().optional(),
    subjectType: z.enum(SUBJECT_TYPES),
    subjectId: z.string().nullish(),
    themeId: z.string().nullish(),
    judgement: z.enum(JUDGEMENTS),
    status: z.enum(FINDING_STATUSES).default('draft'),
    text: requiredText(LIMITS.findingText),
    author: optionalText(LIMITS.name),
    inspectionId: z.string().nullish(),
    /** The inspection or assessment it came from, and the key question and/or quality statement it is about. */
    assessmentId: z.string().nullish(),
    keyQuestionId: z.string().nullish(),
    qualityStatementId: z.string().nullish(),
    evidenceIds: z.array(z.string()).optional(),
  })
  .refine((f) => f.subjectType === 'national' || !!f.subjectId, { message: 'needs a subjectId unless it is national', path: ['subjectId'] });
export type FindingInput = z.input<typeof FindingInput>;

export interface FindingRecord {
  id: string;
  subjectType: string;
  subjectId: string | null;
  themeId: string | null;
  judgement: string;
  status: string;
  text: string;
  author: string | null;
  inspectionId: string | null;
  createdAt: string;
  updatedAt: string;
}

interface FindingRow {
  id: string;
  subject_type: string;
  subject_id: string | null;
  theme_id: string | null;
  judgement: string;
  status: string;
  text: string;
  author: string | null;
  inspection_id: string | null;
  created_at: string;
  updated_at: string;
}

function toFinding(r: FindingRow): FindingRecord {
  return {
    id: r.id,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    themeId: r.theme_id,
    judgement: r.judgement,
    status: r.status,
    text: r.text,
    author: r.author,
    inspectionId: r.inspection_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const SUBJECT_EXISTS: Record<string, (db: Db, id: string) => boolean> = {
  location: locationExists,
  provider: providerExists,
  'area review': areaReviewExists,
};

export function saveFinding(tx: Tx, input: FindingInput): FindingRecord {
  const f = parseInput('finding', FindingInput, input);
  const exists = SUBJECT_EXISTS[f.subjectType];
  if (exists && !exists(tx, f.subjectId ?? '')) {
    throw invalidField('finding', 'subjectId', `"${f.subjectId}" is not a ${f.subjectType} in this workspace`);
  }
  if (f.themeId && !themeExists(tx, f.themeId)) throw invalidField('finding', 'themeId', `"${f.themeId}" is not a theme in this workspace`);
  if (f.assessmentId && !assessmentExists(tx, f.assessmentId)) throw invalidField('finding', 'assessmentId', `"${f.assessmentId}" is not an inspection or assessment in this workspace`);
  if (f.qualityStatementId && !qualityStatementExists(tx, f.qualityStatementId)) throw invalidField('finding', 'qualityStatementId', `"${f.qualityStatementId}" is not a quality statement in this workspace`);
  if (f.keyQuestionId && !keyQuestionExists(tx, f.keyQuestionId)) throw invalidField('finding', 'keyQuestionId', `"${f.keyQuestionId}" is not a key question in this workspace`);
  const id = f.id ?? newId();
  const before = tx.get<FindingRow>('SELECT * FROM findings WHERE id = ?', [id]);
  const vals: SqlValue[] = [f.subjectType, f.subjectId ?? null, f.themeId ?? null, f.judgement, f.status, f.text, f.author ?? null, f.inspectionId ?? null];
  if (before) {
    tx.run(
      'UPDATE findings SET subject_type = ?, subject_id = ?, theme_id = ?, judgement = ?, status = ?, text = ?, author = ?, inspection_id = ?, updated_at = ? WHERE id = ?',
      [...vals, tx.at, id],
    );
  } else {
    tx.run(
      'INSERT INTO findings(subject_type, subject_id, theme_id, judgement, status, text, author, inspection_id, id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [...vals, id, tx.at, tx.at],
    );
  }
  // Schema version 8's links, written only when given, so a caller that predates them does not clear them.
  if (f.assessmentId !== undefined || f.keyQuestionId !== undefined || f.qualityStatementId !== undefined) {
    tx.run('UPDATE findings SET assessment_id = ?, key_question_id = ?, quality_statement_id = ? WHERE id = ?', [f.assessmentId ?? null, f.keyQuestionId ?? null, f.qualityStatementId ?? null, id]);
  }
  if (f.evidenceIds) {
    for (const ev of f.evidenceIds) if (!evidenceExists(tx, ev)) throw new WorkspaceError('invalid', `finding: evidence "${ev}" does not exist`);
    tx.run('DELETE FROM finding_evidence WHERE finding_id = ?', [id]);
    for (const ev of f.evidenceIds) tx.run('INSERT INTO finding_evidence(finding_id, evidence_id) VALUES (?, ?)', [id, ev]);
  }
  const after = tx.get<FindingRow>('SELECT * FROM findings WHERE id = ?', [id])!;
  audit(tx, before ? 'finding.update' : 'finding.add', 'findings', id, before ?? null, { ...after, evidenceIds: f.evidenceIds });
  tx.note({ table: 'findings', op: before ? 'update' : 'insert', key: { id } });
  return toFinding(after);
}

export const getFinding = read(['findings'], (db: Db, id: string): FindingRecord | undefined => {
  const r = db.get<FindingRow>('SELECT * FROM findings WHERE id = ?', [id]);
  return r ? toFinding(r) : undefined;
});

/** A finding as the data browser lists it: its subject and theme named, its evidence listed. */
export interface FindingListing {
  id: string;
  subjectType: string;
  subjectId: string | null;
  subjectName: string | null;
  theme: string | null;
  judgement: string;
  status: string;
  text: string;
  author: string | null;
  evidenceIds: string[];
  updatedAt: string;
  assessmentId: string | null;
  keyQuestionId: string | null;
  qualityStatementId: string | null;
}

/** Findings, latest first, optionally about one subject or theme. */
export const listFindings = read(
  ['findings', 'finding_evidence', 'locations', 'providers', 'area_reviews', 'themes'],
  (db: Db, q: { subjectType?: string | undefined; subjectId?: string | undefined; themeId?: string | undefined; assessmentId?: string | undefined; limit: number }): FindingListing[] => {
    const c: string[] = [];
    const p: SqlValue[] = [];
    if (q.subjectType) {
      c.push('subject_type = ?');
      p.push(q.subjectType);
    }
    if (q.subjectId) {
      c.push('subject_id = ?');
      p.push(q.subjectId);
    }
    if (q.themeId) {
      c.push('theme_id = ?');
      p.push(q.themeId);
    }
    if (q.assessmentId) {
      c.push('assessment_id = ?');
      p.push(q.assessmentId);
    }
    const rows = db.all<FindingRow>(`SELECT * FROM findings ${c.length ? `WHERE ${c.join(' AND ')}` : ''} ORDER BY updated_at DESC, id LIMIT ?`, [...p, q.limit]);
    const ids = (type: string) => rows.filter((r) => r.subject_type === type && r.subject_id).map((r) => r.subject_id!);
    const names: Record<string, Map<string, string>> = {
      location: locationNames(db, ids('location')),
      provider: providerNames(db, ids('provider')),
      'area review': areaReviewTitles(db, ids('area review')),
    };
    const themes = themeNames(db);
    const evidence = evidenceOfFindings(db, rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      subjectName: r.subject_type === 'national' ? 'England' : (names[r.subject_type]?.get(r.subject_id ?? '') ?? null),
      theme: r.theme_id ? (themes.get(r.theme_id) ?? null) : null,
      judgement: r.judgement,
      status: r.status,
      text: r.text,
      author: r.author,
      evidenceIds: evidence.get(r.id) ?? [],
      updatedAt: r.updated_at,
      assessmentId: (r as FindingRow & { assessment_id?: string | null }).assessment_id ?? null,
      keyQuestionId: (r as FindingRow & { key_question_id?: string | null }).key_question_id ?? null,
      qualityStatementId: (r as FindingRow & { quality_statement_id?: string | null }).quality_statement_id ?? null,
    }));
  },
);

/** The evidence behind each of some findings, by evidence id. */
export const evidenceOfFindings = read(['finding_evidence'], (db: Db, findingIds: readonly string[]): Map<string, string[]> => {
  const out = new Map<string, string[]>();
  for (let i = 0; i < findingIds.length; i += 10_000) {
    const slice = findingIds.slice(i, i + 10_000);
    for (const l of db.all<{ finding_id: string; evidence_id: string }>(
      `SELECT finding_id, evidence_id FROM finding_evidence WHERE finding_id IN (${placeholders(slice.length)}) ORDER BY finding_id, evidence_id`,
      slice,
    )) {
      const xs = out.get(l.finding_id) ?? [];
      xs.push(l.evidence_id);
      out.set(l.finding_id, xs);
    }
  }
  return out;
});

/** Findings that are not withdrawn: what a report's sentences may quote. */
/** One assessment's findings (not withdrawn): strengths, then concerns, then recommendations, each with the evidence it cites. */
export const findingsOfAssessment = read(
  ['findings', 'finding_evidence'],
  (db: Db, assessmentId: string): { id: string; keyQuestionId: string | null; qualityStatementId: string | null; judgement: string; text: string; evidenceIds: string[] }[] => {
    const rows = db.all<{ id: string; kq: string | null; qs: string | null; judgement: string; text: string }>(
      `SELECT id, key_question_id AS kq, quality_statement_id AS qs, judgement, text FROM findings
       WHERE assessment_id = ? AND status <> 'withdrawn'
       ORDER BY CASE judgement WHEN 'strength' THEN 0 WHEN 'concern' THEN 1 ELSE 2 END, created_at, id`,
      [assessmentId],
    );
    const links = new Map<string, string[]>();
    for (const l of db.all<{ finding_id: string; evidence_id: string }>(
      'SELECT fe.finding_id, fe.evidence_id FROM finding_evidence fe JOIN findings f ON f.id = fe.finding_id WHERE f.assessment_id = ? ORDER BY fe.evidence_id',
      [assessmentId],
    )) {
      links.set(l.finding_id, [...(links.get(l.finding_id) ?? []), l.evidence_id]);
    }
    return rows.map((r) => ({ id: r.id, keyQuestionId: r.kq, qualityStatementId: r.qs, judgement: r.judgement, text: r.text, evidenceIds: links.get(r.id) ?? [] }));
  },
);

export const activeFindings = read(['findings'], (db: Db): { id: string; text: string; status: string }[] =>
  db.all<{ id: string; text: string; status: string }>("SELECT id, text, status FROM findings WHERE status <> 'withdrawn'"),
);

/** Every finding's evidence, by finding, evidence ids in order. */
export const findingEvidenceLinks = read(['finding_evidence'], (db: Db): Map<string, string[]> => {
  const out = new Map<string, string[]>();
  for (const l of db.all<{ finding_id: string; evidence_id: string }>('SELECT finding_id, evidence_id FROM finding_evidence ORDER BY evidence_id')) {
    const xs = out.get(l.finding_id) ?? [];
    xs.push(l.evidence_id);
    out.set(l.finding_id, xs);
  }
  return out;
});

/** The findings that rest on an evidence source, latest first. */
export const findingsCiting = read(['findings', 'finding_evidence'], (db: Db, evidenceId: string): FindingRecord[] =>
  db
    .all<FindingRow>(
      `SELECT f.* FROM findings f JOIN finding_evidence fe ON fe.finding_id = f.id
        WHERE fe.evidence_id = ? ORDER BY f.updated_at DESC`,
      [evidenceId],
    )
    .map(toFinding),
);

/** How many findings rest on each of some evidence sources. */
export const findingCountsByEvidence = read(['finding_evidence'], (db: Db, evidenceIds: readonly string[]): Map<string, number> => {
  const out = new Map<string, number>();
  if (!evidenceIds.length) return out;
  for (const r of db.all<{ id: string; n: number }>(
    `SELECT evidence_id AS id, count(*) AS n FROM finding_evidence WHERE evidence_id IN (${placeholders(evidenceIds.length)}) GROUP BY evidence_id`,
    evidenceIds,
  )) {
    out.set(r.id, r.n);
  }
  return out;
});

/** How many findings each area review has. */
export const findingCountsByAreaReview = read(['findings'], (db: Db): Map<string, number> =>
  new Map(
    db
      .all<{ id: string; n: number }>("SELECT subject_id AS id, count(*) AS n FROM findings WHERE subject_type = 'area review' GROUP BY subject_id")
      .map((r) => [r.id, r.n]),
  ),
);

/** The subjects of findings of one type, once each: a merge brings their registration with them. */
export const findingSubjects = read(['findings'], (db: Db, subjectType: 'location' | 'provider'): string[] =>
  db.all<{ v: string }>('SELECT DISTINCT subject_id AS v FROM findings WHERE subject_type = ? AND subject_id IS NOT NULL', [subjectType]).map((r) => r.v),
);

export const countFindings = read(['findings'], (db: Db): number => Number(db.get<{ n: number }>('SELECT count(*) AS n FROM findings')?.n ?? 0));

// Bulk writes: the demo ------------------------------------------------------------------------------------------------
const HEAD = 'INSERT INTO findings(id, subject_type, subject_id, theme_id, judgement, status, text, author, inspection_id, created_at, updated_at)';

export function insertFindings(tx: Tx, findings: readonly FindingRecord[], links: readonly { findingId: string; evidenceId: string }[]): number {
  let n = insertRows(
    tx,
    HEAD,
    11,
    findings.map((f) => [f.id, f.subjectType, f.subjectId, f.themeId, f.judgement, f.status, f.text, f.author, f.inspectionId, f.createdAt, f.updatedAt]),
  );
  n += tx.runMany('INSERT INTO finding_evidence(finding_id, evidence_id) VALUES (?, ?)', links.map((l) => [l.findingId, l.evidenceId]));
  return n;
}
