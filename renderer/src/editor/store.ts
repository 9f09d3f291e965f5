import { createContext, useContext, useSyncExternalStore } from 'react';
import type { EvaluatedFigure, RequestOutputs } from '../../../shared/ipc/contract';
import type { FigureDef } from '../../../shared/figures/types';

/**
 * The editor's small reactive stores. Figure values deliberately live here and not in the Lexical nodes: nodes keep
 * only ids and overrides (so values never end up in saved content), and a live update touches only the store, which
 * means no editor update, no new undo step and no caret movement. Each decorator subscribes to its own key, so a
 * keystroke, or a refresh of one figure, re-renders at most the decorators whose data changed.
 */
export class KeyedStore<V> {
  private values = new Map<string, V>();
  private listeners = new Map<string, Set<() => void>>();

  get(key: string): V | undefined {
    return this.values.get(key);
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  keys(): IterableIterator<string> {
    return this.values.keys();
  }

  set(key: string, value: V): void {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    this.emit(key);
  }

  delete(key: string): void {
    if (!this.values.delete(key)) return;
    this.emit(key);
  }

  subscribe(key: string, listener: () => void): () => void {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  private emit(key: string): void {
    const set = this.listeners.get(key);
    if (set) for (const l of [...set]) l();
  }
}

/** A single value with subscribers, for state that many components read but that changes rarely. */
export class Cell<V> {
  private listeners = new Set<() => void>();
  constructor(private value: V) {}
  get = (): V => this.value;
  set(value: V): void {
    if (Object.is(value, this.value)) return;
    this.value = value;
    for (const l of [...this.listeners]) l();
  }
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

export type FigureEntry =
  | { status: 'loading'; previous?: EvaluatedFigure }
  | { status: 'ready'; figure: EvaluatedFigure; /** When a live update last changed the shown value, for a brief highlight. */ changedAt?: number }
  | { status: 'error'; message: string; previous?: EvaluatedFigure };

export type EvidenceRow = RequestOutputs['evidence.list']['rows'][number];

export interface CardTarget {
  nodeKey: string;
  refKey: string;
  figureId: string;
  part?: string;
  /** Why the card is open: the pointer over the figure, or the caret on it (which pins it until the caret moves). */
  reason: 'hover' | 'focus';
}

/** Everything the decorators of one section's editor read. One instance per mounted section editor. */
export class EditorServices {
  readonly figures = new KeyedStore<FigureEntry>();
  /** Citation number by node key, in document order (same evidence, same number). */
  readonly citations = new KeyedStore<number>();
  /** Lexical key of the Assay node that is the current node selection, if any, so only it draws a selection ring. */
  readonly selectedKey = new Cell<string | null>(null);
  readonly card = new Cell<CardTarget | null>(null);
  readonly defs = new Cell<ReadonlyMap<string, FigureDef>>(new Map());
  readonly evidence = new Cell<ReadonlyMap<string, EvidenceRow>>(new Map());

  constructor(
    readonly reportId: string,
    readonly sectionId: string,
  ) {}

  private hoverTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * The pointer entered a figure. A short delay keeps the card from flashing while the pointer crosses a sentence; a
   * card pinned by the caret (reason 'focus') is not replaced by a passing pointer.
   */
  hoverIn(target: Omit<CardTarget, 'reason'>): void {
    clearTimeout(this.hoverTimer);
    // A selected figure already shows everything in the side panel; a card over it would only hide the panel.
    if (this.selectedKey.get() === target.nodeKey) return;
    const open = this.card.get();
    if (open?.reason === 'focus' && open.nodeKey !== target.nodeKey) return;
    if (open?.nodeKey === target.nodeKey) return;
    this.hoverTimer = setTimeout(() => {
      // The figure may have been clicked (selected) while the pointer rested on it.
      if (this.selectedKey.get() !== target.nodeKey) this.card.set({ ...target, reason: 'hover' });
    }, open ? 0 : 180);
  }

  /** The pointer left a figure or the card: close after a grace period so the pointer can travel into the card. */
  hoverOut(): void {
    clearTimeout(this.hoverTimer);
    this.hoverTimer = setTimeout(() => {
      if (this.card.get()?.reason === 'hover') this.card.set(null);
    }, 260);
  }

  /** The pointer is over the card itself: keep it. */
  hoverHold(): void {
    clearTimeout(this.hoverTimer);
  }

  dispose(): void {
    clearTimeout(this.hoverTimer);
  }
}

export const EditorServicesContext = createContext<EditorServices | null>(null);

export function useServices(): EditorServices {
  const s = useContext(EditorServicesContext);
  if (!s) throw new Error('Editor services are missing: render inside <EditorServicesContext.Provider>.');
  return s;
}

export function useFigureEntry(services: EditorServices, key: string): FigureEntry | undefined {
  return useSyncExternalStore(
    (l) => services.figures.subscribe(key, l),
    () => services.figures.get(key),
  );
}

export function useCitationNumber(services: EditorServices, nodeKey: string): number | undefined {
  return useSyncExternalStore(
    (l) => services.citations.subscribe(nodeKey, l),
    () => services.citations.get(nodeKey),
  );
}

export function useCell<V>(cell: Cell<V>): V {
  return useSyncExternalStore(cell.subscribe, cell.get);
}

/** True only for the one node that is selected: a selection change re-renders two decorators, not all of them. */
export function useIsSelected(services: EditorServices, nodeKey: string): boolean {
  return useSyncExternalStore(services.selectedKey.subscribe, () => services.selectedKey.get() === nodeKey);
}

export function shownFigure(entry: FigureEntry | undefined): EvaluatedFigure | undefined {
  if (!entry) return undefined;
  return entry.status === 'ready' ? entry.figure : entry.previous;
}

const partNumber = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/** The text a live figure shows in the sentence: the formatted value, or one named part of the result. */
export function figureText(figure: EvaluatedFigure | undefined, part: string | undefined): string {
  if (!figure) return '…';
  const r = figure.result;
  if (r.error) return 'figure error';
  if (part) {
    const v = r.parts?.[part];
    if (v === undefined || v === null) return '[no value]';
    return typeof v === 'number' ? partNumber.format(v) : v;
  }
  return r.formatted || '[no value]';
}
