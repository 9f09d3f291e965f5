/**
 * The serialised shapes of Assay's own Lexical nodes: the contract between the editor (renderer/), the document tree
 * (shared/document) and review tools. Nodes store references only (ids and parameter overrides), never values, so a
 * report always shows the figure's current value.
 *
 * Standard Lexical nodes (root, paragraph, heading, text, list, listitem, quote, link, table, tablerow, tablecell,
 * linebreak) keep Lexical's own JSON shapes.
 */
import type { FigureParams } from '../figures/types';

/** An inline live figure in a sentence. */
export interface SerializedLiveFigureNode {
  type: 'live-figure';
  version: 1;
  figureId: string;
  params?: FigureParams;
  /** Which named part of the result to show, e.g. 'change' or 'direction' for rating_change; default the value. */
  part?: string;
}

/** A figure shown as a block: its table or its chart, with a caption. */
export interface SerializedFigureBlockNode {
  type: 'figure-block';
  version: 1;
  figureId: string;
  display: 'table' | 'chart';
  params?: FigureParams;
  caption?: string;
  /** A chart's title stating its finding; the caption then describes the data. */
  title?: string;
}

/** An inline citation of an evidence source; exported as a footnote. */
export interface SerializedEvidenceCitationNode {
  type: 'evidence-citation';
  version: 1;
  evidenceId: string;
  /** Optional pinpoint, e.g. "para 4.2". */
  locator?: string;
}

/** A page break for print and Word. */
export interface SerializedPageBreakNode {
  type: 'page-break';
  version: 1;
}

/**
 * A template's guidance for the author of a section: shown in the editor as guidance (labelled, set apart, with a way
 * to remove it), never exported in any edition, and a blocker for publication while it is left (check
 * 'guidance-left'). It holds its text as data, not as editable children, so text typed beside it can never become
 * guidance and guidance can never become the report's text.
 */
export interface SerializedGuidanceNode {
  type: 'guidance';
  version: 1;
  text: string;
  /** Figures of the library the template suggests for the section, with their names when suggested. */
  figures?: { figureId: string; name: string }[];
}

/** The bold label that opened template guidance before it was a node of its own: how old guidance is recognised. */
export const LEGACY_GUIDANCE_LABEL = 'Guidance (delete before review):';

export const ASSAY_NODE_TYPES = ['live-figure', 'figure-block', 'evidence-citation', 'page-break', 'guidance'] as const;
