import type { Command } from '../command';
import { newCommand } from './new';
import { infoCommand } from './info';
import { benchCommand } from './bench';

/** Every `assay` command, in the order `assay --help` lists them. */
export const COMMANDS: readonly Command[] = [newCommand, infoCommand, benchCommand];
