import type { JSX } from 'react';
import { $create, $getDocument, DecoratorNode, type DOMExportOutput, type LexicalNode } from 'lexical';
import { PageBreakView } from '../views/PageBreakView';

/** A page break for print and Word; in the editor a labelled rule. */
export class PageBreakNode extends DecoratorNode<JSX.Element> {
  override $config() {
    return this.config('page-break', { extends: DecoratorNode });
  }

  override createDOM(): HTMLElement {
    const div = $getDocument().createElement('div');
    div.className = 'pb-host';
    return div;
  }

  override updateDOM(): false {
    return false;
  }

  override exportDOM(): DOMExportOutput {
    const div = $getDocument().createElement('div');
    div.style.pageBreakAfter = 'always';
    return { element: div };
  }

  override isInline(): false {
    return false;
  }

  override decorate(): JSX.Element {
    return <PageBreakView nodeKey={this.getKey()} />;
  }
}

export function $createPageBreakNode(): PageBreakNode {
  return $create(PageBreakNode);
}

export function $isPageBreakNode(node: LexicalNode | null | undefined): node is PageBreakNode {
  return node instanceof PageBreakNode;
}
