import type { Command } from '../command';
import { newCommand } from './new';
import { infoCommand } from './info';

/** Every `assay` command, in the order `assay --help` lists them. */
export const COMMANDS: readonly Command[] = [newCommand, infoCommand];
