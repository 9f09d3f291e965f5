import { getTemplate, listTemplates, type Template } from '../../../../shared/document/templates';
import { ContentError, lxFigure, lxFigureBlock, lxParagraph, lxQuote, lxRoot, lxText, parseLexical } from '../../../../shared/document/lexical';
import type { Workspace } from '../../../../shared/store/workspace';
import { AppError } from '../errors';
import type { PartialHandlerMap } from '../handler';
import {
  addSection,
  createReport,
  deleteSection,
  moveSection,
  renameSection,
  reportSummaries,
  reportWithContents,
  saveSectionContent,
  setReportParams,
} from '../reports-repo';

/** A report with no template: one empty section to start writing in. */
export const BLANK_TEMPLATE = {
  id: 'blank',
  name: 'Blank report',
  description: 'An empty report with one section, for anything the templates do not cover.',
  sections: ['Introduction'],
};

type FigureLookup = { id: string; kind: 'value' | 'table' | 'chart'; name: string };

/**
 * A template section as the editor's JSON: the guidance as a quote the author deletes when done, the starter
 * paragraphs, and the suggested figures that exist in this workspace's library (values inline, tables and charts as
 * blocks). Figures the library lacks are left out rather than inserted broken.
 */
export function sectionFromTemplate(ws: Workspace, section: Template['sections'][number]): string {
  const children: Record<string, unknown>[] = [lxQuote([lxText(section.instructions, 2)])];
  for (const p of section.starter) children.push(lxParagraph([lxText(p)]));
  const figures = section.suggestedFigures
    .map((slug) => ws.get<FigureLookup>('SELECT id, kind, name FROM figures WHERE slug = ?', [slug]))
    .filter((f): f is FigureLookup => !!f);
  const values = figures.filter((f) => f.kind === 'value');
  if (values.length > 0) {
    const runs: Record<string, unknown>[] = [lxText('Suggested figures: ')];
    values.forEach((f, i) => {
      if (i > 0) runs.push(lxText('; '));
      runs.push(lxText(`${f.name} `), lxFigure(f.id));
    });
    runs.push(lxText('.'));
    children.push(lxParagraph(runs));
  }
  for (const f of figures) if (f.kind !== 'value') children.push(lxFigureBlock(f.id, f.kind === 'chart' ? 'chart' : 'table', f.name));
  return JSON.stringify(lxRoot(children));
}

function checkContent(content: string): void {
  try {
    parseLexical(content);
  } catch (e) {
    if (e instanceof ContentError) throw new AppError('invalid', e.message, { content: e.message });
    throw e;
  }
}

type ReportRequests =
  | 'templates.list'
  | 'reports.list'
  | 'reports.get'
  | 'reports.create'
  | 'reports.setParams'
  | 'sections.add'
  | 'sections.rename'
  | 'sections.move'
  | 'sections.delete'
  | 'sections.saveContent';

export const reportHandlers: PartialHandlerMap<ReportRequests> = {
  'templates.list': () => ({
    templates: [
      ...listTemplates().map((t) => ({ id: t.id, name: t.name, description: t.description, sections: t.sections.map((s) => s.title) })),
      BLANK_TEMPLATE,
    ],
  }),

  'reports.list': (_input, { session }) => ({ reports: reportSummaries(session.ws) }),

  'reports.get': ({ id }, { session }) => reportWithContents(session.ws, id),

  'reports.create': async ({ templateId, title, params }, { session }) => {
    const ws = session.ws;
    let report: Parameters<typeof createReport>[1];
    if (templateId === BLANK_TEMPLATE.id) {
      report = { title, templateId: null, params: params ?? {}, sections: BLANK_TEMPLATE.sections.map((t) => ({ title: t })) };
    } else {
      const t = getTemplate(templateId);
      if (!t) throw new AppError('invalid', `There is no report template called “${templateId}”.`, { templateId: 'is not a template' });
      const defaults = Object.fromEntries(Object.entries(t.defaultParams).map(([k, v]) => [k, String(v)]));
      report = {
        title,
        subtitle: t.defaultSubtitle ?? null,
        templateId: t.id,
        params: { ...defaults, ...(params ?? {}) },
        sections: t.sections.map((s) => ({ title: s.title, content: sectionFromTemplate(ws, s) })),
      };
    }
    const r = await ws.write('Create a report', (tx) => createReport(tx, report), { actor: session.actor() });
    return { id: r.value };
  },

  'reports.setParams': async ({ id, params }, { session }) => {
    await session.ws.write('Change report parameters', (tx) => setReportParams(tx, id, params), { actor: session.actor() });
    return { id };
  },

  'sections.add': async ({ reportId, title, afterSectionId }, { session }) => {
    const r = await session.ws.write('Add a section', (tx) => addSection(tx, reportId, title, afterSectionId), { actor: session.actor() });
    return { id: r.value };
  },

  'sections.rename': async ({ id, title }, { session }) => {
    await session.ws.write('Rename a section', (tx) => renameSection(tx, id, title), { actor: session.actor() });
    return { id };
  },

  'sections.move': async ({ id, toIndex }, { session }) => {
    await session.ws.write('Move a section', (tx) => moveSection(tx, id, toIndex), { actor: session.actor() });
    return { id };
  },

  'sections.delete': async ({ id }, { session }) => {
    await session.ws.write('Delete a section', (tx) => deleteSection(tx, id), { actor: session.actor() });
    return { id };
  },

  'sections.saveContent': async ({ id, content }, { session }) => {
    checkContent(content);
    const r = await session.ws.write('Edit a section', (tx) => saveSectionContent(tx, id, content), { actor: session.actor() });
    return { id, savedAt: r.value };
  },
};
