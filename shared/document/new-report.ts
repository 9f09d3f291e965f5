import type { TemplateSection } from './templates';
import { lxFigure, lxFigureBlock, lxParagraph, lxQuote, lxRoot, lxText, TEXT_FORMAT } from './lexical';

/**
 * What a new report's section holds when it is made from a template: the content only. The report and its sections are
 * written by the store (shared/store/reports.ts createReportFromTemplate), for the app, the CLI and the demo alike.
 */

/** A figure of the workspace's library that a template section suggests. */
export interface SuggestedFigure {
  id: string;
  kind: 'value' | 'table' | 'chart';
  name: string;
}

/** An empty section, as the editor saves one. */
export const EMPTY_CONTENT = JSON.stringify(lxRoot([]));

/**
 * A template section as the editor's JSON. The guidance is a quote that opens with a bold "Guidance (delete before
 * review)" and is set in italics, so it can never be taken for the report's own text; suggested values go inside it,
 * as live figures the author can move into a sentence. Starter paragraphs follow, then a block for each suggested table
 * or chart. Suggestions the library lacks are left out rather than inserted broken.
 */
export function templateSectionContent(section: TemplateSection, figures: readonly SuggestedFigure[], opts: { guidance: boolean }): string {
  const children: Record<string, unknown>[] = [];
  if (opts.guidance) {
    const italic = (text: string) => lxText(text, TEXT_FORMAT.italic);
    const runs = [lxText('Guidance (delete before review): ', TEXT_FORMAT.bold), italic(section.instructions)];
    const values = figures.filter((f) => f.kind === 'value');
    if (values.length) {
      runs.push(italic(' Suggested figures: '));
      values.forEach((f, i) => runs.push(italic(`${i > 0 ? '; ' : ''}${f.name} `), lxFigure(f.id)));
      runs.push(italic('.'));
    }
    children.push(lxQuote(runs));
  }
  for (const p of section.starter) children.push(lxParagraph([lxText(p)]));
  for (const f of figures) if (f.kind !== 'value') children.push(lxFigureBlock(f.id, f.kind, f.name));
  if (!children.length) children.push(lxParagraph([]));
  return JSON.stringify(lxRoot(children));
}
