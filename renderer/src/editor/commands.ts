import { createCommand, type LexicalCommand } from 'lexical';
import type { SerializedEvidenceCitationNode, SerializedFigureBlockNode, SerializedLiveFigureNode } from '../../../shared/document/lexical-nodes';

/** Inserting Assay's nodes goes through commands, so toolbar, pickers, shortcuts and tests all take one path. */
export const INSERT_LIVE_FIGURE_COMMAND: LexicalCommand<Omit<SerializedLiveFigureNode, 'type' | 'version'>> =
  createCommand('INSERT_LIVE_FIGURE_COMMAND');
export const INSERT_FIGURE_BLOCK_COMMAND: LexicalCommand<Omit<SerializedFigureBlockNode, 'type' | 'version'>> =
  createCommand('INSERT_FIGURE_BLOCK_COMMAND');
export const INSERT_EVIDENCE_CITATION_COMMAND: LexicalCommand<Omit<SerializedEvidenceCitationNode, 'type' | 'version'>> =
  createCommand('INSERT_EVIDENCE_CITATION_COMMAND');
export const INSERT_PAGE_BREAK_COMMAND: LexicalCommand<void> = createCommand('INSERT_PAGE_BREAK_COMMAND');
