import type { EditorThemeClasses, Klass, LexicalNode } from 'lexical';
import { HeadingNode, QuoteNode } from '@lexical/rich-text';
import { ListItemNode, ListNode } from '@lexical/list';
import { AutoLinkNode, LinkNode } from '@lexical/link';
import { TableCellNode, TableNode, TableRowNode } from '@lexical/table';
import { MarkNode } from '@lexical/mark';
import { LiveFigureNode } from './nodes/LiveFigureNode';
import { FigureBlockNode } from './nodes/FigureBlockNode';
import { EvidenceCitationNode } from './nodes/EvidenceCitationNode';
import { PageBreakNode } from './nodes/PageBreakNode';
import { GuidanceNode } from './nodes/GuidanceNode';

/** Every node a section may hold; the exporters read the same set (shared/document/lexical.ts). */
export const EDITOR_NODES: readonly Klass<LexicalNode>[] = [
  HeadingNode,
  QuoteNode,
  ListNode,
  ListItemNode,
  LinkNode,
  AutoLinkNode,
  TableNode,
  TableRowNode,
  TableCellNode,
  LiveFigureNode,
  FigureBlockNode,
  EvidenceCitationNode,
  PageBreakNode,
  GuidanceNode,
  // A comment's passage (shared/document/lexical.ts reads it as its text; it is never printed).
  MarkNode,
];

export const EDITOR_THEME: EditorThemeClasses = {
  paragraph: 'rt-p',
  heading: { h1: 'rt-h1', h2: 'rt-h2', h3: 'rt-h3' },
  quote: 'rt-quote',
  list: {
    ul: 'rt-ul',
    ol: 'rt-ol',
    listitem: 'rt-li',
    nested: { listitem: 'rt-li--nested' },
  },
  link: 'rt-link',
  text: { bold: 'rt-bold', italic: 'rt-italic', underline: 'rt-underline', strikethrough: 'rt-strike' },
  table: 'rt-table',
  tableRow: 'rt-tr',
  tableCell: 'rt-td',
  tableCellHeader: 'rt-th',
  tableSelection: 'rt-table--selecting',
  tableCellSelected: 'rt-td--selected',
  tableScrollableWrapper: 'rt-tablewrap',
  mark: 'cm-mark',
  markOverlap: 'cm-mark--overlap',
};
