import type { EventName, RequestName } from './contract';

/**
 * The contract's request and event names without the contract's schemas, for code that must not load zod: the
 * preload runs sandboxed, where only electron and a few built-ins can be required, so it is bundled with no
 * dependencies. The compiler checks these lists against the contract, both ways.
 */
export const REQUEST_CHANNEL_NAMES = [
  'workspace.info',
  'workspace.save',
  'settings.get',
  'settings.setUserName',
  'reference.get',
  'locations.list',
  'locations.get',
  'providers.list',
  'ratings.add',
  'ratings.update',
  'inspections.list',
  'areaReviews.list',
  'findings.list',
  'findings.save',
  'evidence.list',
  'evidence.save',
  'evidence.verify',
  'attachments.open',
  'evidence.get',
  'framework.get',
  'assessments.list',
  'assessments.get',
  'assessments.create',
  'assessments.update',
  'assessments.setStatus',
  'scores.set',
  'draftRatings.set',
  'assessments.publish',
  'ratings.correct',
  'indicators.list',
  'templates.list',
  'reports.list',
  'reports.get',
  'reports.create',
  'reports.setParams',
  'reports.setSettings',
  'reports.newEdition',
  'reports.blackline',
  'figures.rows',
  'sections.add',
  'sections.rename',
  'sections.move',
  'sections.delete',
  'sections.saveContent',
  'figures.list',
  'figures.get',
  'figures.save',
  'figures.delete',
  'figures.preview',
  'figures.evaluate',
  'export.run',
  'export.showInFolder',
  'review.ledger',
  'review.checks',
  'review.whatChanged',
  'review.copy',
  'sections.setStatus',
  'sections.approval',
  'review.settings',
  'review.setSelfApproval',
  'comments.list',
  'comments.add',
  'comments.reply',
  'comments.resolve',
  'comments.people',
  'comments.activity',
  'evidence.citedBy',
  'evidence.register',
  'audit.list',
  'audit.exportCsv',
  'import.open',
  'import.preview',
  'import.run',
  'merge.open',
  'merge.run',
  'merge.conflicts',
  'merge.resolve',
  'inspectorPack.options',
  'inspectorPack.export',
] as const satisfies readonly RequestName[];

export const EVENT_CHANNEL_NAMES = ['workspace.changed', 'figures.changed', 'export.progress', 'menu.command', 'import.progress'] as const satisfies readonly EventName[];

/** The prefix of every IPC channel (the same as the contract's IPC_CHANNEL_PREFIX). */
export const CHANNEL_PREFIX = 'assay:';
export const EVENT_CHANNEL = `${CHANNEL_PREFIX}event`;

// Each fails to compile when the contract gains a name these lists lack.
const _allRequests: Exclude<RequestName, (typeof REQUEST_CHANNEL_NAMES)[number]> extends never ? true : never = true;
const _allEvents: Exclude<EventName, (typeof EVENT_CHANNEL_NAMES)[number]> extends never ? true : never = true;
void _allRequests;
void _allEvents;
