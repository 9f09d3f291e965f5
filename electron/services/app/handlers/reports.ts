import type { ReportSummary } from '../../../../shared/ipc/contract';
import { listTemplates, getTemplate } from '../../../../shared/document/templates';
import { ContentError, parseLexical } from '../../../../shared/document/lexical';
import { reportPublication } from '../../../../shared/document/publication';
import {
  addSection,
  createReport,
  createReportFromTemplate,
  createNextEdition,
  deleteSection,
  findReport,
  getSection,
  listReports,
  moveSection,
  renameSection,
  reportSections,
  saveSectionContent,
  setReportParams,
  setReportSettings,
  type ReportRecord,
  type SectionSummary,
} from '../../../../shared/store/reports';
import type { FigureParams } from '../../../../shared/figures/types';
import { figureService } from '../../../../shared/figures/service';
import { blackline } from '../../../../shared/review/blackline';
import { AppError } from '../ipc/errors';
import type { PartialHandlerMap } from '../ipc/handler';

/** A report with no template: one empty section to start writing in. */
export const BLANK_TEMPLATE = {
  id: 'blank',
  name: 'Blank report',
  description: 'An empty report with one section, for anything the templates do not cover.',
  sections: ['Introduction'],
};

/** The contract gives parameters as text, as the report's parameter form edits them. */
function paramText(params: FigureParams): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
}

function summary(r: ReportRecord, sections: readonly SectionSummary[], titleOf: (id: string) => string | undefined): ReportSummary {
  const previousTitle = r.previousEditionId ? titleOf(r.previousEditionId) : undefined;
  return {
    id: r.id,
    slug: r.slug,
    title: r.title,
    subtitle: r.subtitle,
    templateId: r.templateId,
    params: paramText(r.params),
    settings: { changes: r.settings.changes },
    previousEdition: r.previousEditionId && previousTitle !== undefined ? { id: r.previousEditionId, title: previousTitle } : null,
    updatedAt: r.updatedAt,
    sections: sections.map((s) => ({ id: s.id, title: s.title, status: s.status, position: s.position, owner: s.owner, updatedAt: s.updatedAt })),
  };
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
  | 'reports.setSettings'
  | 'reports.newEdition'
  | 'reports.blackline'
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

  'reports.list': (_input, { session }) => {
    const reports = listReports(session.ws);
    const titles = new Map(reports.map((r) => [r.id, r.title]));
    return { reports: reports.map((r) => summary(r, r.sections, (id) => titles.get(id))) };
  },

  'reports.get': ({ id }, { session }) => {
    const report = findReport(session.ws, id);
    const sections = reportSections(session.ws, { reportId: report.id });
    const titleOf = (rid: string) => listReports(session.ws).find((x) => x.id === rid)?.title;
    const template = getTemplate(report.templateId ?? '')?.publication;
    const publication = reportPublication(template, report.settings.publication);
    return {
      ...summary(report, sections, titleOf),
      sectionContents: Object.fromEntries(sections.map((s) => [s.id, s.content])),
      publication: publication ? { ...publication, defaults: template?.defaults ?? {} } : null,
    };
  },

  'reports.create': async ({ templateId, title, params }, { session }) => {
    const actor = session.actor();
    if (templateId !== BLANK_TEMPLATE.id && !getTemplate(templateId)) {
      throw new AppError('invalid', `There is no report template called “${templateId}”.`, { templateId: 'is not a template' });
    }
    const r = await session.ws.write(
      'Create a report',
      (tx) =>
        templateId === BLANK_TEMPLATE.id
          ? createReport(tx, { title, templateId: null, params: params ?? {}, author: actor, sections: BLANK_TEMPLATE.sections.map((t) => ({ title: t })) })
          : createReportFromTemplate(tx, { templateId, title, params: params ?? {}, author: actor }),
      { actor },
    );
    return { id: r.value.reportId };
  },

  'reports.newEdition': async ({ id, title, params }, { session }) => {
    const r = await session.ws.write('New edition', (tx) => createNextEdition(tx, id, { title, params }), { actor: session.actor() });
    const made = findReport(session.ws, r.value.reportId);
    return { id: made.id, slug: made.slug, title: made.title };
  },

  'reports.blackline': async ({ id }, { session }) => {
    await session.ws.idle();
    const figures = figureService(session.ws);
    return figures.settle(() => blackline(session.ws, figures, id));
  },

  'reports.setParams': async ({ id, params }, { session }) => {
    await session.ws.write('Change report parameters', (tx) => setReportParams(tx, id, params), { actor: session.actor() });
    return { id };
  },

  'reports.setSettings': async ({ id, settings }, { session }) => {
    const r = await session.ws.write('Change report settings', (tx) => setReportSettings(tx, id, settings), { actor: session.actor() });
    return { id, settings: r.value };
  },

  'sections.add': async ({ reportId, title, afterSectionId }, { session }) => {
    const r = await session.ws.write(
      'Add a section',
      (tx) => {
        if (afterSectionId && getSection(tx, afterSectionId)?.reportId !== findReport(tx, reportId).id) {
          throw new AppError('invalid', `Section ${afterSectionId} is not in this report.`, { afterSectionId: 'is not a section of this report' });
        }
        return addSection(tx, reportId, title, afterSectionId);
      },
      { actor: session.actor() },
    );
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
