import { read, type Db } from './query';
import { getAssessmentRecord, listFrameworks, type AssessmentRecord } from './assessments';
import { findingsOfAssessment } from './findings';

/** What a report on one assessment is filled with when it is made: the assessment, and its findings with their evidence. */
export interface AssessmentReportFacts {
  assessment: AssessmentRecord;
  frameworkName: string;
  /** Each finding with its quality statement's name and the id of the framework group (a key question or a theme) it belongs to. */
  findings: { id: string; keyQuestionId: string | null; statement: string | null; groupId: string | null; judgement: string; text: string; evidenceIds: string[] }[];
}

/** The facts of one assessment for its report (shared/document/new-report.ts), from the modules that own them. */
export const assessmentReportFacts = read(
  ['assessments', 'locations', 'providers', 'local_authorities', 'assessment_frameworks', 'framework_versions', 'framework_groups', 'quality_statements', 'findings', 'finding_evidence'],
  (db: Db, id: string): AssessmentReportFacts | undefined => {
    const assessment = getAssessmentRecord(db, id);
    if (!assessment) return undefined;
    const framework = listFrameworks(db).find((f) => f.versions.some((v) => v.id === assessment.frameworkVersionId));
    const statements = new Map((framework?.groups ?? []).flatMap((g) => g.statements.map((q) => [q.id, { name: q.name, groupId: g.id }] as const)));
    return {
      assessment,
      frameworkName: framework?.name ?? '',
      findings: findingsOfAssessment(db, id).map((f) => {
        const q = f.qualityStatementId ? statements.get(f.qualityStatementId) : undefined;
        return { ...f, statement: q?.name ?? null, groupId: q?.groupId ?? null };
      }),
    };
  },
);
