import type { Command } from '../command';

/**
 * Every `assay` command, in the order `assay --help` lists them, each loaded when it runs: a pipeline's fresh
 * `assay figures` must not pay for loading what `assay export` needs (Chromium's driver, the spreadsheet and Word
 * writers), nor the benches. The names are here so that an unknown one is refused without loading anything.
 */
const LOADERS: readonly (readonly [string, () => Promise<Command>])[] = [
  ['new', () => import('./new').then((m) => m.newCommand)],
  ['info', () => import('./info').then((m) => m.infoCommand)],
  ['recover', () => import('./recover').then((m) => m.recoverCommand)],
  ['demo', () => import('./demo').then((m) => m.demoCommand)],
  ['bench', () => import('./bench').then((m) => m.benchCommand)],
  ['import', () => import('./import').then((m) => m.importCommand)],
  ['merge', () => import('./merge').then((m) => m.mergeCommand)],
  ['export-for-inspector', () => import('./export-for-inspector').then((m) => m.exportForInspectorCommand)],
  ['check', () => import('./check').then((m) => m.checkCommand)],
  ['approve', () => import('./approve').then((m) => m.approveCommand)],
  ['settings', () => import('./settings').then((m) => m.settingsCommand)],
  ['audit', () => import('./audit').then((m) => m.auditCommand)],
  ['review-copy', () => import('./review-copy').then((m) => m.reviewCopyCommand)],
  ['export', () => import('./export').then((m) => m.exportCommand)],
  ['figure', () => import('./figure').then((m) => m.figureCommand)],
  ['figures', () => import('./figures').then((m) => m.figuresCommand)],
];

export const COMMAND_NAMES: readonly string[] = LOADERS.map(([n]) => n);

/** The command of that name, loaded; undefined for a name that is not one. */
export async function loadCommand(name: string): Promise<Command | undefined> {
  const entry = LOADERS.find(([n]) => n === name);
  if (!entry) return undefined;
  const cmd = await entry[1]();
  if (cmd.name !== name) throw new Error(`command module for "${name}" exports "${cmd.name}"`);
  return cmd;
}

/** Every command, loaded (for the help text, which lists their summaries). */
export async function allCommands(): Promise<Command[]> {
  return Promise.all(LOADERS.map(([, load]) => load()));
}
