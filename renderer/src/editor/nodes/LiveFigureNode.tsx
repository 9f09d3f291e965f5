import type { JSX } from 'react';
import {
  $create,
  $getDocument,
  $getState,
  $setState,
  createState,
  DecoratorNode,
  type DOMConversionOutput,
  type DOMExportOutput,
  type LexicalNode,
} from 'lexical';
import type { FigureParams } from '../../../../shared/figures/types';
import type { SerializedLiveFigureNode } from '../../../../shared/document/lexical-nodes';
import { parseId, parseOptionalText, parseParams, paramsEqual, refKey } from './parse';
import { LiveFigureView } from '../views/LiveFigureView';

// Flat NodeState: each value is written at the top level of the node's JSON, which gives exactly the shape in
// shared/document/lexical-nodes.ts ({type, version, figureId, params?, part?}) with Lexical doing the parsing.
const figureIdState = createState('figureId', { parse: parseId });
const paramsState = createState('params', { parse: parseParams, isEqual: paramsEqual });
const partState = createState('part', { parse: parseOptionalText });

/** An inline live figure: stores the figure id and parameter overrides only; its value comes from the figure store. */
export class LiveFigureNode extends DecoratorNode<JSX.Element> {
  override $config() {
    return this.config('live-figure', {
      extends: DecoratorNode,
      stateConfigs: [
        { stateConfig: figureIdState, flat: true },
        { stateConfig: paramsState, flat: true },
        { stateConfig: partState, flat: true },
      ],
      importDOM: {
        span: (el: HTMLElement) =>
          el.hasAttribute('data-assay-figure') ? { conversion: $convertFigureSpan, priority: 2 } : null,
      },
    });
  }

  getFigureId(): string {
    return $getState(this, figureIdState);
  }
  setFigureId(figureId: string): this {
    return $setState(this, figureIdState, figureId);
  }
  getParams(): FigureParams | undefined {
    return $getState(this, paramsState);
  }
  setParams(params: FigureParams | undefined): this {
    return $setState(this, paramsState, parseParams(params));
  }
  getPart(): string | undefined {
    return $getState(this, partState);
  }
  setPart(part: string | undefined): this {
    return $setState(this, partState, parseOptionalText(part));
  }
  getRefKey(): string {
    return refKey(this.getFigureId(), this.getParams());
  }

  override createDOM(): HTMLElement {
    const span = $getDocument().createElement('span');
    span.className = 'lf-host';
    return span;
  }

  override updateDOM(): false {
    return false;
  }

  /** Pasted into another program the figure keeps its id, so pasting back into Assay restores the live node. */
  override exportDOM(): DOMExportOutput {
    const span = $getDocument().createElement('span');
    span.setAttribute('data-assay-figure', this.getFigureId());
    const params = this.getParams();
    if (params) span.setAttribute('data-assay-params', JSON.stringify(params));
    const part = this.getPart();
    if (part) span.setAttribute('data-assay-part', part);
    span.textContent = `[figure ${this.getFigureId()}]`;
    return { element: span };
  }

  override isInline(): true {
    return true;
  }

  override isKeyboardSelectable(): boolean {
    return true;
  }

  override decorate(): JSX.Element {
    return (
      <LiveFigureView nodeKey={this.getKey()} figureId={this.getFigureId()} refKey={this.getRefKey()} part={this.getPart()} />
    );
  }
}

function $convertFigureSpan(el: HTMLElement): DOMConversionOutput {
  let params: FigureParams | undefined;
  try {
    params = parseParams(JSON.parse(el.getAttribute('data-assay-params') ?? 'null'));
  } catch {
    params = undefined;
  }
  const node = $createLiveFigureNode({
    figureId: el.getAttribute('data-assay-figure') ?? '',
    params,
    part: el.getAttribute('data-assay-part') ?? undefined,
  });
  return { node: node.getFigureId() ? node : null };
}

export function $createLiveFigureNode(data: Omit<SerializedLiveFigureNode, 'type' | 'version'>): LiveFigureNode {
  const node = $create(LiveFigureNode).setFigureId(parseId(data.figureId));
  if (data.params) node.setParams(data.params);
  if (data.part) node.setPart(data.part);
  return node;
}

export function $isLiveFigureNode(node: LexicalNode | null | undefined): node is LiveFigureNode {
  return node instanceof LiveFigureNode;
}
