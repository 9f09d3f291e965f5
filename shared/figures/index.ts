/** The figure engine's public surface: consumers import from here (and types from ./types). */
export * from './types';
export { createFigureEngine, sharedFigureEngine, provideSqlExecutor, usedParams, type FigureEngine, type FigureDraft, type EngineOptions, type EvaluateOptions } from './engine';
export { approveFigure, type ApprovalRow } from './approvals';
export {
  listFigures,
  getFigure,
  saveFigure,
  saveFiguresBulk,
  deleteFigure,
  approvalValue,
  matchesApproval,
  figureRefsInReport,
  figureUses,
  figureNodesIn,
  validateFigureInput,
  loadApproval,
  FigureInputSchema,
  type FigureInput,
  type FigureUse,
} from './library';
export { parseSpec, resolveSpec, paramRefs, canonicalJson, FigureSpecError, MEASURES, RATING_BY, type FigureSpec, type Measure } from './spec';
export { checkSql, SqlFigureError, DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_MS, type SqlExecutor, type SqlJob, type SqlLimits, type SqlRunResult, type SqlView } from './sql';
export * from './format';
