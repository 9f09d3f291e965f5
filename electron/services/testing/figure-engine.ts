import { createFigureEngine, type EngineOptions, type FigureEngine } from '../../../shared/figures/engine';
import type { SqlLimits } from '../../../shared/figures/sql';
import type { Workspace } from '../../../shared/store/workspace';
import { createWorkerSqlExecutor } from '../sql-worker';

/** A figure engine for tests, with the real SQL worker (its limits adjustable), as every production engine has. */
export function testFigureEngine(ws: Workspace, opts: Omit<EngineOptions, 'sql'> & Partial<SqlLimits> = {}): FigureEngine {
  const { rowLimit, timeoutMs, memoryMb, maxBytes, ...rest } = opts;
  const limits = Object.fromEntries(Object.entries({ rowLimit, timeoutMs, memoryMb, maxBytes }).filter(([, v]) => v !== undefined));
  return createFigureEngine(ws, { ...rest, sql: createWorkerSqlExecutor(ws, limits) });
}
