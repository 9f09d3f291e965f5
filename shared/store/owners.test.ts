import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { TABLES, type TableName } from './schema';

/**
 * One owner per table (DESIGN.md, Conventions 10): SQL on a domain table lives in its shared/store/ module, and each
 * store read declares the tables it reads. This scans the source as text (TypeScript's own parser finds the strings),
 * so it fails the build the moment SQL appears anywhere else, and prints where every table's SQL is.
 */

const ROOT = join(__dirname, '..', '..');

/** Which store module owns each table. */
const OWNER: Record<TableName, string> = {
  meta: 'workspace.ts',
  migrations: 'workspace.ts',
  regions: 'locations.ts',
  local_authorities: 'locations.ts',
  providers: 'locations.ts',
  sectors: 'locations.ts',
  locations: 'locations.ts',
  location_details: 'locations.ts',
  rating_scales: 'ratings.ts',
  rating_values: 'ratings.ts',
  key_questions: 'ratings.ts',
  service_groups: 'service-groups.ts',
  service_group_spellings: 'service-groups.ts',
  publication_labels: 'labels.ts',
  ratings: 'ratings.ts',
  inspections: 'inspections.ts',
  assessment_frameworks: 'assessments.ts',
  framework_versions: 'assessments.ts',
  framework_groups: 'assessments.ts',
  quality_statements: 'assessments.ts',
  evidence_categories: 'assessments.ts',
  assessments: 'assessments.ts',
  assessment_scores: 'assessments.ts',
  assessment_category_scores: 'assessments.ts',
  assessment_ratings: 'assessments.ts',
  themes: 'area-reviews.ts',
  area_reviews: 'area-reviews.ts',
  area_review_themes: 'area-reviews.ts',
  indicators: 'indicators.ts',
  indicator_values: 'indicators.ts',
  attachments: 'evidence.ts',
  evidence: 'evidence.ts',
  findings: 'findings.ts',
  finding_evidence: 'findings.ts',
  reports: 'reports.ts',
  sections: 'reports.ts',
  figures: 'figures.ts',
  figure_evidence: 'figures.ts',
  figure_approvals: 'figures.ts',
  comments: 'comments.ts',
  audit_log: 'audit.ts',
  imports: 'imports.ts',
  merge_bases: 'replica.ts',
  merge_conflicts: 'replica.ts',
};

/**
 * Store modules that read many aggregates' tables by design, besides the owners: the schema ledger itself, the public
 * view (the statements that strip restricted material from a copy), and the current-ratings service with its rating
 * index, a derived structure built from ratings and locations and kept in step with them.
 */
const STORE_VIEWS = new Set(['schema.ts', 'public-view.ts', 'rating-index.ts', 'current-ratings.ts']);

/**
 * Outside shared/store, SQL may appear only in the figure engine (its generated SQL), the SQL worker, tests and
 * testing/ folders. shared/figures/testing.ts is the engine's test data generator, to move into a testing/ folder
 * with the engine.
 */
function allowedOutsideStore(file: string): boolean {
  return (
    /\.test\.tsx?$/.test(file) ||
    file.split('/').includes('testing') ||
    file === 'shared/figures/engine.ts' ||
    file === 'shared/figures/rating-index.ts' ||
    file.startsWith('shared/figures/engine/') ||
    file === 'electron/services/sql-worker.ts' ||
    file === 'shared/figures/testing.ts'
  );
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    if (name === 'node_modules' || name === 'out') continue;
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path.split(sep).join('/'));
  }
  return out;
}

interface SqlString {
  text: string;
  line: number;
  node: ts.Node;
}

/** Every string literal in a file; a template's substitutions read as `${…}`. */
function strings(file: string): { source: ts.SourceFile; found: SqlString[] } {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: SqlString[] = [];
  const visit = (n: ts.Node): void => {
    let s: string | undefined;
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) s = n.text;
    else if (ts.isTemplateExpression(n)) s = n.head.text + n.templateSpans.map((span) => `\${…}${span.literal.text}`).join('');
    if (s !== undefined) found.push({ text: s, line: source.getLineAndCharacterOfPosition(n.getStart(source)).line + 1, node: n });
    if (!ts.isTemplateExpression(n)) ts.forEachChild(n, visit);
    else n.templateSpans.forEach((span) => visit(span.expression));
  };
  visit(source);
  return { source, found };
}

const DOMAIN = new Set<string>(TABLES);
const TABLE_AFTER = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+["`[]?(\w+|\$\{…\})/g;

/** The domain tables a string's SQL names; '(by name)' for a table given by a substitution (FROM "${table}"). */
function tablesIn(s: string): string[] {
  const out = new Set<string>();
  for (const m of s.matchAll(TABLE_AFTER)) {
    const t = m[1]!;
    if (t === '${…}') out.add('(by name)');
    else if (DOMAIN.has(t)) out.add(t);
  }
  for (const m of s.matchAll(/pragma_table_info\('(\w+)'\)/g)) if (DOMAIN.has(m[1]!)) out.add(m[1]!);
  return [...out];
}

interface Hit {
  file: string;
  line: number;
  table: string;
}

function hitsIn(files: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  for (const file of files) for (const s of strings(file).found) for (const table of tablesIn(s.text)) hits.push({ file, line: s.line, table });
  return hits;
}

const code = (f: string) => !/\.test\.tsx?$/.test(f);
const SHARED_AND_ELECTRON = [...sourceFiles('shared'), ...sourceFiles('electron')].filter(code);
const STORE = SHARED_AND_ELECTRON.filter((f) => f.startsWith('shared/store/'));
const hits = hitsIn(SHARED_AND_ELECTRON);

describe('one owner per table', () => {
  it('has no SQL on a domain table outside shared/store, and prints who holds SQL on each table', () => {
    const byTable = new Map<string, Set<string>>();
    for (const h of hits) {
      const files = byTable.get(h.table) ?? new Set<string>();
      files.add(h.file);
      byTable.set(h.table, files);
    }
    const lines = ['Files holding SQL on each domain table (shared/store/ shortened to store/):'];
    for (const t of [...TABLES, '(by name)']) {
      const files = [...(byTable.get(t) ?? [])].sort().map((f) => f.replace(/^shared\/store\//, 'store/'));
      lines.push(`  ${t.padEnd(20)} ${files.length}  ${files.join(', ')}`);
    }
    // Counted here, owned elsewhere: renderer/src/no-table-names.test.ts tells a table's name from an interface word
    // that happens to be spelt the same (the Reports screen), so a string equal to a table's name is only a candidate.
    const rendererFiles = sourceFiles('renderer/src').filter(code);
    const withSql = [...new Set(hitsIn(rendererFiles).map((h) => h.file))].sort();
    const withName = rendererFiles.filter((f) => !withSql.includes(f) && strings(f).found.some((s) => DOMAIN.has(s.text)));
    lines.push(
      `Renderer files naming a database table: ${withSql.length} with SQL${withSql.length ? ` (${withSql.join(', ')})` : ''}; ` +
        `${withName.length} more with a string spelt as a table's name${withName.length ? ` (${withName.join(', ')})` : ''}`,
    );
    console.log(lines.join('\n'));

    const outside = hits.filter((h) => !h.file.startsWith('shared/store/') && !allowedOutsideStore(h.file));
    expect(
      outside.map((h) => `${h.file}:${h.line} has SQL on ${h.table}`),
      'SQL on a domain table belongs in its shared/store/ module (DESIGN.md, Conventions 10); call the store from here',
    ).toEqual([]);
  });

  it('keeps each table’s SQL in the one store module that owns it', () => {
    const stray = hits.filter(
      (h) => h.file.startsWith('shared/store/') && h.table !== '(by name)' && !STORE_VIEWS.has(h.file.slice('shared/store/'.length)) && h.file !== `shared/store/${OWNER[h.table as TableName]}`,
    );
    expect(
      stray.map((h) => `${h.file}:${h.line} has SQL on ${h.table}, which ${OWNER[h.table as TableName]} owns`),
      'call the owning module’s function instead',
    ).toEqual([]);
    for (const [table, owner] of Object.entries(OWNER)) {
      expect(STORE, `${table}'s owner`).toContain(`shared/store/${owner}`);
    }
  });

  it('has every store read declare the tables its SQL reads, and those of the reads it calls', () => {
    const declared = new Map<string, Set<string>>();
    const reads: { file: string; name: string; tables: Set<string>; body: ts.Node; locals: Map<string, ts.Node> }[] = [];
    for (const file of STORE) {
      const { source } = strings(file);
      const locals = new Map<string, ts.Node>();
      ts.forEachChild(source, (n) => {
        if (ts.isFunctionDeclaration(n) && n.name) locals.set(n.name.text, n);
      });
      const visit = (n: ts.Node): void => {
        if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.isCallExpression(n.initializer)) {
          const call = n.initializer;
          if (ts.isIdentifier(call.expression) && call.expression.text === 'read' && call.arguments.length === 2 && ts.isArrayLiteralExpression(call.arguments[0]!)) {
            const tables = new Set(call.arguments[0].elements.filter(ts.isStringLiteral).map((e) => e.text));
            declared.set(n.name.text, tables);
            reads.push({ file, name: n.name.text, tables, body: call.arguments[1]!, locals });
          }
        }
        ts.forEachChild(n, visit);
      };
      visit(source);
    }
    expect(reads.length).toBeGreaterThan(50);
    const problems: string[] = [];
    for (const r of reads) {
      const seen = new Set<ts.Node>();
      const walk = (n: ts.Node): void => {
        if (seen.has(n)) return;
        seen.add(n);
        if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n)) {
          const text = ts.isTemplateExpression(n) ? n.head.text + n.templateSpans.map((s) => `\${…}${s.literal.text}`).join('') : n.text;
          for (const t of tablesIn(text)) if (t !== '(by name)' && !r.tables.has(t)) problems.push(`${r.file} ${r.name} reads ${t} but does not declare it`);
        }
        if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
          const callee = n.expression.text;
          const local = r.locals.get(callee);
          if (local) walk(local);
          for (const t of declared.get(callee) ?? []) if (!r.tables.has(t)) problems.push(`${r.file} ${r.name} calls ${callee}, which reads ${t}, but does not declare it`);
        }
        ts.forEachChild(n, walk);
      };
      walk(r.body);
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it('keeps testing/ modules for tests: no other module imports one', () => {
    const offenders: string[] = [];
    for (const file of [...SHARED_AND_ELECTRON, ...sourceFiles('renderer/src').filter(code)]) {
      // The benchmarks are measuring harnesses shipped with the CLI; they share the test harness's temporary folders.
      if (file.split('/').includes('testing') || file.startsWith('electron/cli/bench/')) continue;
      for (const s of strings(file).found) {
        const parent = s.node.parent;
        if (parent && (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent)) && /(^|\/)testing\//.test(s.text)) offenders.push(`${file} imports ${s.text}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
