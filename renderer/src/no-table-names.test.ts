/// <reference types="vite/client" />
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { TABLES } from '../../shared/store/schema';

/**
 * The renderer names no database table: which tables a read depends on is shared/ipc/live.ts's to say, what a table
 * is called in words shared/ipc/tables.ts's, and SQL lives on the other side of the contract. This fails when a string
 * literal anywhere in renderer/src is a table's name, or holds SQL that reads one.
 *
 * Some tables share their name with a word the interface uses for something else: the Reports screen, the Evidence
 * tab, the evidence import. Such a literal is that word, not a table, when the compiler knows it as one of a declared
 * set of words (a route, a tab, an icon, an import kind: its type is a union of string literals), so the check asks
 * the type checker what each literal is. A bare string that happens to equal a table's name (an array of table names,
 * `tables.includes(…)`, a record keyed by table) is not excused.
 */

/** A path on disk from a URL next to this file (the renderer takes no Node modules, tests included). */
const pathOf = (rel: string): string => decodeURIComponent(new URL(rel, import.meta.url).pathname);
const ROOT = pathOf('../../');
const TABLE_SET: ReadonlySet<string> = new Set(TABLES);
const SQL_READ = new RegExp(`\\b(?:from|join|into|update)\\s+["\`]?(${TABLES.join('|')})\\b`, 'i');

export interface TableMention {
  file: string;
  line: number;
  text: string;
}

/** Every TypeScript source of the renderer (vite lists them; nothing is imported). */
function sourceFiles(): string[] {
  return Object.keys(import.meta.glob(['./**/*.ts', './**/*.tsx'])).map(pathOf);
}

/**
 * A declared set of words: a type whose string members are all string literals (`'home' | 'data'`; what else it
 * allows, undefined or a function as in React's `S | (() => S)`, aside), none of them a table's name with an
 * underscore (so a literal typed by the table list itself is no excuse).
 */
function isVocabulary(checker: ts.TypeChecker, type: ts.Type | undefined, value: string): boolean {
  if (!type) return false;
  if (type.flags & ts.TypeFlags.TypeParameter) return isVocabulary(checker, checker.getBaseConstraintOfType(type), value);
  const strings = (type.isUnion() ? type.types : [type]).filter((t) => t.flags & ts.TypeFlags.StringLike);
  if (strings.length === 0 || !strings.every((t) => t.isStringLiteral())) return false;
  const words = strings.map((t) => (t as ts.StringLiteralType).value);
  return words.includes(value) && !words.some((w) => w.includes('_') && TABLE_SET.has(w));
}

/** Whether a literal equal to a table's name is, in its place, one of the interface's own words. */
function isWord(checker: ts.TypeChecker, node: ts.StringLiteralLike): boolean {
  const parent = node.parent;
  if (ts.isLiteralTypeNode(parent)) return true;
  if (isVocabulary(checker, checker.getContextualType(node), node.text)) return true;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) {
      const other = parent.left === node ? parent.right : parent.left;
      return isVocabulary(checker, checker.getTypeAtLocation(other), node.text);
    }
  }
  if (ts.isCaseClause(parent)) return isVocabulary(checker, checker.getTypeAtLocation(parent.parent.parent.expression), node.text);
  return false;
}

/**
 * A key of an object literal that is a table's name with an underscore (`{ area_reviews: … }`): a map keyed by table.
 * (Single-word keys are left alone: `{ evidence: 3 }` is as often a count of evidence as a table.)
 */
function isTableKey(node: ts.Node): boolean {
  if (!ts.isIdentifier(node) && !ts.isStringLiteral(node)) return false;
  const parent = node.parent;
  const isKey = (ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent) || ts.isMethodDeclaration(parent)) && parent.name === node && ts.isObjectLiteralExpression(parent.parent);
  return isKey && node.text.includes('_') && TABLE_SET.has(node.text);
}

/** Every string literal in the renderer's sources that names a table, or holds SQL reading one. */
export function tableMentions(tsconfig: string): TableMention[] {
  const config = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error(`${tsconfig} could not be read`);
  const files = sourceFiles();
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const found: TableMention[] = [];
  for (const file of files) {
    const sf = program.getSourceFile(file);
    if (!sf) continue;
    const visit = (node: ts.Node): void => {
      let text: string | undefined;
      if (ts.isStringLiteralLike(node)) text = node.text;
      else if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) text = node.text;
      if (text !== undefined) {
        const named = TABLE_SET.has(text) && ts.isStringLiteralLike(node) && !isWord(checker, node) && !isTableKey(node);
        if (named || SQL_READ.test(text)) {
          found.push({ file: file.startsWith(ROOT) ? file.slice(ROOT.length) : file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: text.slice(0, 80) });
        }
      }
      if (isTableKey(node)) found.push({ file: file.startsWith(ROOT) ? file.slice(ROOT.length) : file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: (node as ts.Identifier | ts.StringLiteral).text });
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

describe('the renderer', () => {
  it('names no database table in any string literal', () => {
    // The scan sees the renderer (this file among them), not an empty list.
    expect(sourceFiles().some((f) => f.endsWith('/renderer/src/App.tsx'))).toBe(true);
    const found = tableMentions(pathOf('../tsconfig.json'));
    expect(found.map((f) => `${f.file}:${f.line} ${JSON.stringify(f.text)}`)).toEqual([]);
  });

  it('is checked by a scanner that tells a table from a word of the interface', () => {
    // Table names taken from the list, so that this file names none: one that could pass for a word, one that could not.
    const word = TABLES.find((t) => !t.includes('_'))!;
    const table = TABLES.find((t) => t.includes('_'))!;
    const probe = ts.createSourceFile(
      'probe.ts',
      [
        `type Screen = '${word}' | 'home';`,
        `declare function useState<S>(initial: S | (() => S)): [S, (s: S | ((p: S) => S)) => void];`,
        `const s: Screen = '${word}';`,
        `const [screen, setScreen] = useState<Screen>('${word}');`,
        `setScreen('${word}');`,
        `const fine = s === '${word}' || screen !== '${word}';`,
        `type Everything = '${table}' | '${word}';`,
        `const typedAsTable: Everything = '${word}';`,
        `const list = ['${word}', '${table}'];`,
        `const sql = "SELECT x FROM ${word} WHERE id = $id";`,
        `declare const tables: string[];`,
        `const hit = tables.includes('${table}');`,
        `const words = { ${table}: 'Words', evidence: 3 };`,
      ].join('\n'),
      ts.ScriptTarget.ES2022,
      true,
    );
    const host = ts.createCompilerHost({ strict: true, noEmit: true });
    const getSourceFile = host.getSourceFile;
    host.getSourceFile = (name, ...rest) => (name === 'probe.ts' ? probe : getSourceFile.call(host, name, ...rest));
    const program = ts.createProgram(['probe.ts'], { strict: true, noEmit: true, lib: ['lib.es2023.d.ts'] }, host);
    const checker = program.getTypeChecker();
    const flagged: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteralLike(node) && ((TABLE_SET.has(node.text) && !isWord(checker, node)) || SQL_READ.test(node.text))) flagged.push(node.text);
      if (isTableKey(node)) flagged.push(`key ${(node as ts.Identifier).text}`);
      ts.forEachChild(node, visit);
    };
    visit(program.getSourceFile('probe.ts')!);
    expect(flagged).toEqual([word, word, table, `SELECT x FROM ${word} WHERE id = $id`, table, `key ${table}`]);
  });
});
