import type { Command } from '../command';
import { newCommand } from './new';
import { infoCommand } from './info';
import { demoCommand } from './demo';
import { benchCommand } from './bench';
import { importCommand } from './import';
import { mergeCommand } from './merge';
import { exportCommand } from './export';
import { checkCommand } from './check';
import { approveCommand } from './approve';
import { auditCommand } from './audit';
import { reviewCopyCommand } from './review-copy';
import { figureCommand } from './figure';
import { figuresCommand } from './figures';
import { recoverCommand } from './recover';
import { settingsCommand } from './settings';

/** Every `assay` command, in the order `assay --help` lists them. */
export const COMMANDS: readonly Command[] = [newCommand, infoCommand, recoverCommand, demoCommand, benchCommand, importCommand, mergeCommand, checkCommand, approveCommand, settingsCommand, auditCommand, reviewCopyCommand, exportCommand, figureCommand, figuresCommand];
