import type { TemplateSection } from './templates';
import { lxFigureBlock, lxGuidance, lxParagraph, lxRoot, lxText } from './lexical';

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
 * A template section as the editor's JSON. The guidance is a guidance node (lexical-nodes.ts SerializedGuidanceNode),
 * not text: the editor shows it apart, labelled "Guidance", no edition prints it, and `assay check` blocks publication
 * while it is left. The suggested values it names are found in the figure picker. Starter paragraphs follow, then a
 * block for each suggested table or chart. Suggestions the library lacks are left out rather than inserted broken.
 */
export function templateSectionContent(section: TemplateSection, figures: readonly SuggestedFigure[], opts: { guidance: boolean }): string {
  const children: Record<string, unknown>[] = [];
  if (opts.guidance) {
    const values = figures.filter((f) => f.kind === 'value').map((f) => ({ figureId: f.id, name: f.name }));
    children.push(lxGuidance(section.instructions, values));
  }
  for (const p of section.starter) children.push(lxParagraph([lxText(p)]));
  // Guidance is not a place to write: a section without starter text gets an empty paragraph to write in.
  if (!section.starter.length) children.push(lxParagraph([]));
  for (const f of figures) if (f.kind !== 'value') children.push(lxFigureBlock(f.id, f.kind, f.name));
  return JSON.stringify(lxRoot(children));
}
