import { useEffect, useRef } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getNodeByKey, type LexicalEditor } from 'lexical';
import type { FigureRef } from '../../../../shared/figures/types';
import type { EvaluatedFigure } from '../../../../shared/ipc/contract';
import { figureRefreshFor } from '../../../../shared/ipc/live';
import { api, call, toIpcError } from '../../lib/api';
import { shownFigure, type EditorServices } from '../store';
import { $isLiveFigureNode, LiveFigureNode } from '../nodes/LiveFigureNode';
import { $isFigureBlockNode, FigureBlockNode } from '../nodes/FigureBlockNode';

/**
 * Keeps the figure store true for the figures in this section:
 * - tracks which figure references the section holds (mutation listeners, so no work per keystroke);
 * - evaluates every reference the store lacks in one batched figures.evaluate call per tick;
 * - on 'figures.changed' and 'workspace.changed', re-evaluates only the affected references, writing results to the
 *   store, never to the editor state: the caret, the selection and the undo history are untouched.
 */
export function FigureEvaluationPlugin({ services, paramsKey }: { services: EditorServices; paramsKey: string }) {
  const [editor] = useLexicalComposerContext();
  const evaluator = useRef<FigureEvaluator | null>(null);
  useEffect(() => {
    const e = new FigureEvaluator(editor, services);
    evaluator.current = e;
    return e.start();
  }, [editor, services]);
  // New report parameters (say a new "as at" date) change every figure that uses them.
  const firstParams = useRef(paramsKey);
  useEffect(() => {
    if (paramsKey !== firstParams.current) evaluator.current?.refreshAll();
  }, [paramsKey]);
  return null;
}

class FigureEvaluator {
  /** Lexical node key -> the reference it shows. */
  private nodes = new Map<string, { refKey: string; ref: FigureRef }>();
  /** Host figure key (EvaluatedFigure.key) -> our reference keys, to route 'figures.changed'. */
  private hostKeys = new Map<string, Set<string>>();
  private pending = new Set<string>();
  private pendingLive = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Per reference, the latest request's generation, so a slow older answer never overwrites a newer one. */
  private generation = new Map<string, number>();
  private disposed = false;

  constructor(
    private editor: LexicalEditor,
    private services: EditorServices,
  ) {}

  start(): () => void {
    const onMutation = (mutations: Map<string, 'created' | 'updated' | 'destroyed'>) => {
      this.editor.getEditorState().read(() => {
        for (const [key, mutation] of mutations) {
          if (mutation === 'destroyed') {
            this.nodes.delete(key);
            continue;
          }
          const node = $getNodeByKey(key);
          if (!$isLiveFigureNode(node) && !$isFigureBlockNode(node)) continue;
          const params = node.getParams();
          const ref: FigureRef = params ? { figureId: node.getFigureId(), params } : { figureId: node.getFigureId() };
          const refKey = node.getRefKey();
          this.nodes.set(key, { refKey, ref });
          if (this.services.figures.has(refKey)) continue;
          if (ref.figureId) this.queue(refKey, false);
          else this.services.figures.set(refKey, { status: 'error', message: 'This reference names no figure; remove it and insert the figure again.' });
        }
      });
    };
    const unregister = [
      this.editor.registerMutationListener(LiveFigureNode, onMutation),
      this.editor.registerMutationListener(FigureBlockNode, onMutation),
      api().on('figures.changed', ({ keys }) => {
        for (const k of keys) for (const refKey of this.hostKeys.get(k) ?? []) this.queue(refKey, true);
      }),
      api().on('workspace.changed', ({ tables }) => {
        // What to re-evaluate is shared/ipc/live.ts's to say: its own autosaves change no figure; a definition or an
        // approval changes every figure; data changes the figures that read it.
        const refresh = figureRefreshFor(tables);
        if (refresh === 'none') return;
        const all = refresh === 'all';
        for (const refKey of this.refKeysInUse()) {
          const figure = shownFigure(this.services.figures.get(refKey));
          if (all || !figure || figure.result.provenance.tables.some((t) => tables.includes(t))) this.queue(refKey, true);
        }
      }),
    ];
    return () => {
      this.disposed = true;
      clearTimeout(this.timer);
      for (const u of unregister) u();
    };
  }

  refreshAll(): void {
    for (const k of this.refKeysInUse()) this.queue(k, true);
  }

  private refKeysInUse(): Set<string> {
    return new Set([...this.nodes.values()].map((n) => n.refKey));
  }

  private queue(refKey: string, live: boolean): void {
    this.pending.add(refKey);
    this.pendingLive ||= live;
    // One short tick gathers a whole section load, or the 'figures.changed' and 'workspace.changed' of one write,
    // into a single request.
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), live ? 40 : 0);
  }

  private async flush(): Promise<void> {
    const live = this.pendingLive;
    const inUse = new Map<string, FigureRef>();
    for (const n of this.nodes.values()) inUse.set(n.refKey, n.ref);
    const batch = [...this.pending].filter((k) => inUse.has(k));
    this.pending.clear();
    this.pendingLive = false;
    if (!batch.length) return;
    const gens = new Map<string, number>();
    for (const k of batch) {
      const g = (this.generation.get(k) ?? 0) + 1;
      this.generation.set(k, g);
      gens.set(k, g);
      const current = this.services.figures.get(k);
      // Keep showing the previous value while recalculating, so text never flickers to a placeholder.
      if (!current) this.services.figures.set(k, { status: 'loading' });
    }
    const refs = batch.map((k) => inUse.get(k)!);
    await this.evaluateBatch(batch, refs, gens, live);
  }

  /**
   * One request for the batch. If the host refuses it as a whole (say one figure was deleted from the library), the
   * batch is split until the bad reference stands alone, so it marks only itself and the rest of the section still
   * shows its numbers.
   */
  private async evaluateBatch(batch: string[], refs: FigureRef[], gens: Map<string, number>, live: boolean): Promise<void> {
    try {
      const { figures } = await call('figures.evaluate', { reportId: this.services.reportId, sectionId: this.services.sectionId, refs });
      if (this.disposed) return;
      batch.forEach((k, i) => {
        if (this.generation.get(k) !== gens.get(k)) return;
        // The host answers in the order asked; match on the figure id as well in case a host ever reorders.
        const ref = refs[i]!;
        const fig = figures[i]?.figureId === ref.figureId ? figures[i] : figures.find((f) => f.figureId === ref.figureId);
        if (!fig) {
          this.services.figures.set(k, { status: 'error', message: 'The workspace returned no result for this figure.' });
          return;
        }
        this.store(k, fig, live);
      });
    } catch (e) {
      if (this.disposed) return;
      if (batch.length > 1) {
        // Halve and ask again: a few requests find the bad reference instead of one request per figure.
        const mid = batch.length >> 1;
        await Promise.all([
          this.evaluateBatch(batch.slice(0, mid), refs.slice(0, mid), gens, live),
          this.evaluateBatch(batch.slice(mid), refs.slice(mid), gens, live),
        ]);
        return;
      }
      const message = toIpcError(e).message;
      for (const k of batch) {
        if (this.generation.get(k) !== gens.get(k)) continue;
        const previous = shownFigure(this.services.figures.get(k));
        this.services.figures.set(k, previous ? { status: 'error', message, previous } : { status: 'error', message });
      }
    }
  }

  private store(refKey: string, fig: EvaluatedFigure, live: boolean): void {
    const current = this.services.figures.get(refKey);
    const before = shownFigure(current);
    if (fig.result.pending) {
      // A SQL figure still running in the host's worker: keep what is shown (or the loading mark) and listen for the
      // 'figures.changed' that comes when it settles.
      let keys = this.hostKeys.get(fig.key);
      if (!keys) this.hostKeys.set(fig.key, (keys = new Set()));
      keys.add(refKey);
      if (!before) this.services.figures.set(refKey, { status: 'loading' });
      return;
    }
    // An answer that says the same thing keeps the stored object, so nothing re-renders for a no-op refresh.
    if (current?.status === 'ready' && before && sameFigure(before, fig)) return;
    let set = this.hostKeys.get(fig.key);
    if (!set) this.hostKeys.set(fig.key, (set = new Set()));
    set.add(refKey);
    const changed = live && before !== undefined && (before.result.formatted !== fig.result.formatted || before.state !== fig.state);
    this.services.figures.set(refKey, changed ? { status: 'ready', figure: fig, changedAt: Date.now() } : { status: 'ready', figure: fig });
  }
}

function sameFigure(a: EvaluatedFigure, b: EvaluatedFigure): boolean {
  return (
    a.key === b.key &&
    a.state === b.state &&
    a.result.formatted === b.result.formatted &&
    a.result.value === b.result.value &&
    a.result.error === b.result.error &&
    a.result.provenance.fingerprint === b.result.provenance.fingerprint &&
    JSON.stringify(a.approved ?? null) === JSON.stringify(b.approved ?? null) &&
    JSON.stringify(a.result.rows ?? null) === JSON.stringify(b.result.rows ?? null)
  );
}
