import type { JSX } from 'react';
import { $create, $getDocument, $getState, $setState, createState, DecoratorNode, type DOMExportOutput, type LexicalNode } from 'lexical';
import type { SerializedEvidenceCitationNode } from '../../../../shared/document/lexical-nodes';
import { parseId, parseOptionalText } from './parse';
import { CitationView } from '../views/CitationView';

const evidenceIdState = createState('evidenceId', { parse: parseId });
const locatorState = createState('locator', { parse: parseOptionalText });

/** An inline citation of an evidence source, drawn as a superscript marker; exporters turn it into a footnote. */
export class EvidenceCitationNode extends DecoratorNode<JSX.Element> {
  override $config() {
    return this.config('evidence-citation', {
      extends: DecoratorNode,
      stateConfigs: [
        { stateConfig: evidenceIdState, flat: true },
        { stateConfig: locatorState, flat: true },
      ],
    });
  }

  getEvidenceId(): string {
    return $getState(this, evidenceIdState);
  }
  setEvidenceId(id: string): this {
    return $setState(this, evidenceIdState, id);
  }
  getLocator(): string | undefined {
    return $getState(this, locatorState);
  }
  setLocator(locator: string | undefined): this {
    return $setState(this, locatorState, parseOptionalText(locator));
  }

  override createDOM(): HTMLElement {
    const sup = $getDocument().createElement('sup');
    sup.className = 'cite-host';
    return sup;
  }

  override updateDOM(): false {
    return false;
  }

  override exportDOM(): DOMExportOutput {
    const sup = $getDocument().createElement('sup');
    sup.textContent = `[evidence ${this.getEvidenceId()}${this.getLocator() ? `, ${this.getLocator()}` : ''}]`;
    return { element: sup };
  }

  override isInline(): true {
    return true;
  }

  override isKeyboardSelectable(): boolean {
    return true;
  }

  override decorate(): JSX.Element {
    return <CitationView nodeKey={this.getKey()} evidenceId={this.getEvidenceId()} locator={this.getLocator()} />;
  }
}

export function $createEvidenceCitationNode(data: Omit<SerializedEvidenceCitationNode, 'type' | 'version'>): EvidenceCitationNode {
  const node = $create(EvidenceCitationNode).setEvidenceId(parseId(data.evidenceId));
  if (data.locator) node.setLocator(data.locator);
  return node;
}

export function $isEvidenceCitationNode(node: LexicalNode | null | undefined): node is EvidenceCitationNode {
  return node instanceof EvidenceCitationNode;
}
