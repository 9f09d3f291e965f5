import { canonicalJson } from './spec';
import { SqlFigureError, type SqlExecutor, type SqlJob, type SqlRunResult } from './sql';

/**
 * The figure engine is synchronous (the editor, exports and checks ask for many figures at once and get answers from
 * its caches), but an analyst's SQL query may take seconds, or never end, and must never run on the thread that serves
 * the user. So SQL figures are two-step: the engine asks for a result; when there is none yet it requests a run and
 * reports the figure as pending; the run happens in the executor (a worker) while the host goes on serving; when it
 * settles, listeners are told and the engine is asked again. Exports and checks wait for every run they started
 * (`FigureEngine.settle`), so nothing pending is ever printed or approved.
 */

export interface SqlOutcome {
  result?: SqlRunResult;
  error?: SqlFigureError;
  /** The write sequence of the workspace copy the outcome came from. */
  seq: number;
  /** The tables the query reads, when known. */
  tables: string[] | undefined;
  /** An error of the runner itself (it could not start, or load the workspace), not of the query: worth trying again after any write. */
  transient: boolean;
}

/** Outcomes kept: enough for every SQL figure of a large report and the figure builder's recent previews. */
const MAX_OUTCOMES = 1000;

export class SqlJobs {
  private outcomes = new Map<string, SqlOutcome>();
  private running = new Map<string, { minSeq: number; done: Promise<void> }>();
  private listeners = new Set<() => void>();
  private notifyQueued = false;
  private disposed = false;

  constructor(readonly executor: SqlExecutor) {}

  static keyOf(job: Pick<SqlJob, 'sql' | 'params' | 'view'>): string {
    return `${job.view}\u0000${job.sql}\u0000${canonicalJson(job.params)}`;
  }

  /** The last outcome of this query, if any; the caller decides whether it is recent enough. */
  peek(job: Pick<SqlJob, 'sql' | 'params' | 'view'>): SqlOutcome | undefined {
    return this.outcomes.get(SqlJobs.keyOf(job));
  }

  /** Whether a run of this query is under way that will answer from data at least as new as `minSeq`. */
  isRunning(job: SqlJob): boolean {
    const r = this.running.get(SqlJobs.keyOf(job));
    return !!r && r.minSeq >= job.minSeq;
  }

  /** Starts a run unless one that will do is under way. Never throws: failures become outcomes. */
  request(job: SqlJob): void {
    if (this.disposed || this.isRunning(job)) return;
    const key = SqlJobs.keyOf(job);
    const run = { minSeq: job.minSeq, done: Promise.resolve() };
    run.done = this.executor.execute(job).then(
      (result) => this.store(key, run, { result, seq: result.seq, tables: result.tables, transient: false }),
      (e: unknown) => {
        const err = e instanceof SqlFigureError ? e : new SqlFigureError(`The query could not be run: ${(e as Error)?.message ?? String(e)}.`);
        const seq = typeof (err as { seq?: unknown }).seq === 'number' ? (err as unknown as { seq: number }).seq : job.minSeq;
        this.store(key, run, { error: err, seq, tables: err.tables, transient: err.transient });
      },
    );
    this.running.set(key, run);
  }

  private store(key: string, run: { minSeq: number; done: Promise<void> }, outcome: SqlOutcome): void {
    if (this.running.get(key) === run) this.running.delete(key);
    if (this.disposed) return;
    this.outcomes.delete(key);
    this.outcomes.set(key, outcome);
    if (this.outcomes.size > MAX_OUTCOMES) this.outcomes.delete(this.outcomes.keys().next().value!);
    if (!this.notifyQueued) {
      this.notifyQueued = true;
      // One notice for a batch of runs that finish together.
      queueMicrotask(() => {
        this.notifyQueued = false;
        for (const l of this.listeners) {
          try {
            l();
          } catch {
            /* a listener's failure must not stop the others */
          }
        }
      });
    }
  }

  /** How many runs are under way. */
  get busy(): number {
    return this.running.size;
  }

  /** Resolves when every run under way, and any started meanwhile, has settled. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Called after runs settle (batched), so a host can recompute the figures that were waiting and tell the page. */
  onSettled(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    this.outcomes.clear();
    this.executor.dispose();
  }
}
