import type { JSX } from 'react';
import { $create, $getDocument, DecoratorNode, type DOMExportOutput, type LexicalNode } from 'lexical';
import { PageBreakView } from '../views/PageBreakView';

/** A page break for print and Word; in the editor a labelled rule. */
export class PageBreakNode extends DecoratorNode<JSX.Element> {
  $config() {
    return this.config('page-break', { extends: DecoratorNode });
  }

  createDOM(): HTMLElement {
    const div = $getDocument().createElement('div');
    div.className = 'pb-host';
    return div;
  }

  updateDOM(): false {
    return false;
  }

  exportDOM(): DOMExportOutput {
    const div = $getDocument().createElement('div');
    div.style.pageBreakAfter = 'always';
    return { element: div };
  }

  isInline(): false {
    return false;
  }

  decorate(): JSX.Element {
    return <PageBreakView nodeKey={this.getKey()} />;
  }
}

export function $createPageBreakNode(): PageBreakNode {
  return $create(PageBreakNode);
}

export function $isPageBreakNode(node: LexicalNode | null | undefined): node is PageBreakNode {
  return node instanceof PageBreakNode;
}
