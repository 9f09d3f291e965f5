import type { JSX } from 'react';
import { $create, $getDocument, $getState, $setState, createState, DecoratorNode, type DOMExportOutput, type LexicalNode } from 'lexical';
import type { SerializedGuidanceNode } from '../../../../shared/document/lexical-nodes';
import { parseGuidanceFigures, parseGuidanceText } from './parse';
import { GuidanceView } from '../views/GuidanceView';

type GuidanceFigure = NonNullable<SerializedGuidanceNode['figures']>[number];

// The shared shape requires `text`, and Lexical leaves a value equal to its default out of the JSON: the default is
// undefined, which no real text equals, and the unparse always writes a string.
const textState = createState('text', {
  parse: (v: unknown): string | undefined => (v === undefined ? undefined : parseGuidanceText(v)),
  unparse: (v) => v ?? '',
});
const figuresState = createState('figures', {
  parse: parseGuidanceFigures,
  isEqual: (a, b) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []),
});

/**
 * A template's guidance for the author of a section (shared/document/lexical-nodes.ts SerializedGuidanceNode). A block
 * decorator whose text is data, not editable children: text typed before or after it stays in its own paragraph and
 * can never become guidance, and guidance can never be merged into the report's text. It is shown as guidance (see
 * GuidanceView), never exported (nor copied to the clipboard), and blocks publication until it is removed.
 */
export class GuidanceNode extends DecoratorNode<JSX.Element> {
  override $config() {
    return this.config('guidance', {
      extends: DecoratorNode,
      stateConfigs: [
        { stateConfig: textState, flat: true },
        { stateConfig: figuresState, flat: true },
      ],
    });
  }

  getText(): string {
    return $getState(this, textState) ?? '';
  }
  setText(text: string): this {
    return $setState(this, textState, parseGuidanceText(text));
  }
  getFigures(): GuidanceFigure[] {
    return $getState(this, figuresState) ?? [];
  }
  setFigures(figures: readonly GuidanceFigure[] | undefined): this {
    return $setState(this, figuresState, parseGuidanceFigures(figures));
  }

  override createDOM(): HTMLElement {
    const div = $getDocument().createElement('div');
    div.className = 'guidance-host';
    return div;
  }

  override updateDOM(): false {
    return false;
  }

  /** Guidance is for the author: copying a passage that includes it does not carry it into other documents. */
  override exportDOM(): DOMExportOutput {
    return { element: null };
  }

  override isInline(): false {
    return false;
  }

  override decorate(): JSX.Element {
    return <GuidanceView nodeKey={this.getKey()} text={this.getText()} figures={this.getFigures()} />;
  }
}

export function $createGuidanceNode(data: Omit<SerializedGuidanceNode, 'type' | 'version'>): GuidanceNode {
  const node = $create(GuidanceNode).setText(data.text);
  if (data.figures?.length) node.setFigures(data.figures);
  return node;
}

export function $isGuidanceNode(node: LexicalNode | null | undefined): node is GuidanceNode {
  return node instanceof GuidanceNode;
}
