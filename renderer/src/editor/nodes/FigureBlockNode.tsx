import type { JSX } from 'react';
import { $create, $getDocument, $getState, $setState, createState, DecoratorNode, type DOMExportOutput, type LexicalNode } from 'lexical';
import type { FigureParams } from '../../../../shared/figures/types';
import type { SerializedFigureBlockNode } from '../../../../shared/document/lexical-nodes';
import { parseDisplay, parseId, parseOptionalText, parseParams, paramsEqual, refKey } from './parse';
import { FigureBlockView } from '../views/FigureBlockView';

const figureIdState = createState('figureId', { parse: parseId });
// 'table' is the default, so Lexical would leave it out of the JSON; the shared shape requires `display`, hence the
// unparse that always writes it and a default that never equals a real value.
const displayState = createState('display', {
  parse: (v: unknown): 'table' | 'chart' | undefined => (v === undefined ? undefined : parseDisplay(v)),
  unparse: (v) => v ?? 'table',
});
const paramsState = createState('params', { parse: parseParams, isEqual: paramsEqual });
const captionState = createState('caption', { parse: parseOptionalText });
/** A chart's title stating its finding ("Safe is still the weakest key question"): printed before the caption. */
const titleState = createState('title', { parse: parseOptionalText });

/** A figure shown as a block: its table or its chart, with a caption. */
export class FigureBlockNode extends DecoratorNode<JSX.Element> {
  override $config() {
    return this.config('figure-block', {
      extends: DecoratorNode,
      stateConfigs: [
        { stateConfig: figureIdState, flat: true },
        { stateConfig: displayState, flat: true },
        { stateConfig: paramsState, flat: true },
        { stateConfig: captionState, flat: true },
        { stateConfig: titleState, flat: true },
      ],
    });
  }

  getFigureId(): string {
    return $getState(this, figureIdState);
  }
  setFigureId(figureId: string): this {
    return $setState(this, figureIdState, figureId);
  }
  getDisplay(): 'table' | 'chart' {
    return $getState(this, displayState) ?? 'table';
  }
  setDisplay(display: 'table' | 'chart'): this {
    return $setState(this, displayState, display);
  }
  getParams(): FigureParams | undefined {
    return $getState(this, paramsState);
  }
  setParams(params: FigureParams | undefined): this {
    return $setState(this, paramsState, parseParams(params));
  }
  getCaption(): string | undefined {
    return $getState(this, captionState);
  }
  setCaption(caption: string | undefined): this {
    return $setState(this, captionState, parseOptionalText(caption));
  }
  getTitle(): string | undefined {
    return $getState(this, titleState);
  }
  setTitle(title: string | undefined): this {
    return $setState(this, titleState, parseOptionalText(title));
  }
  getRefKey(): string {
    return refKey(this.getFigureId(), this.getParams());
  }

  override createDOM(): HTMLElement {
    const div = $getDocument().createElement('div');
    div.className = 'fb-host';
    return div;
  }

  override updateDOM(): false {
    return false;
  }

  override exportDOM(): DOMExportOutput {
    const p = $getDocument().createElement('p');
    p.textContent = `[${this.getDisplay()}: ${this.getCaption() ?? this.getFigureId()}]`;
    return { element: p };
  }

  override isInline(): false {
    return false;
  }

  override decorate(): JSX.Element {
    return (
      <FigureBlockView
        nodeKey={this.getKey()}
        figureId={this.getFigureId()}
        refKey={this.getRefKey()}
        display={this.getDisplay()}
        caption={this.getCaption()}
        finding={this.getDisplay() === 'chart' ? this.getTitle() : undefined}
      />
    );
  }
}

export function $createFigureBlockNode(data: Omit<SerializedFigureBlockNode, 'type' | 'version'>): FigureBlockNode {
  const node = $create(FigureBlockNode).setFigureId(parseId(data.figureId)).setDisplay(parseDisplay(data.display));
  if (data.params) node.setParams(data.params);
  if (data.caption) node.setCaption(data.caption);
  if (data.title) node.setTitle(data.title);
  return node;
}

export function $isFigureBlockNode(node: LexicalNode | null | undefined): node is FigureBlockNode {
  return node instanceof FigureBlockNode;
}
