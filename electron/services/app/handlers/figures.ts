import type { EvaluatedFigure, RequestParsed } from '../../../../shared/ipc/contract';
import type { FigureDef, FigureParams } from '../../../../shared/figures';
import { findReport } from '../../../../shared/store/reports';
import type { PartialHandlerMap } from '../ipc/handler';
import type { AppSession } from '../session/session';
import { figureRows } from '../../../../shared/figures/drill';

/** The figures of a request, each with its result, its sign-off state in the section, and the key it is announced under. */
function evaluate(session: AppSession, input: RequestParsed<'figures.evaluate'>): EvaluatedFigure[] {
  const figures = session.figures;
  const report = input.reportId ? findReport(session.ws, input.reportId) : undefined;
  const reportParams: FigureParams = report?.params ?? {};
  // The report's change rule decides how its rating changes are printed (README, "Numbers that agree").
  const opts = report ? { changes: report.settings.changes } : {};
  return input.refs.map((ref) => {
    const r = { figureId: ref.figureId, ...(ref.params ? { params: ref.params } : {}) };
    const result = figures.evaluate(r, reportParams, opts);
    const { state, approved } = figures.stateOf(ref.figureId, input.sectionId ?? null, result);
    return { figureId: ref.figureId, params: ref.params ?? {}, key: figures.keyOf(r, reportParams, opts), result, state, ...(approved ? { approved } : {}) };
  });
}

export const figureHandlers: PartialHandlerMap<'figures.list' | 'figures.get' | 'figures.save' | 'figures.delete' | 'figures.preview' | 'figures.evaluate' | 'figures.rows'> = {
  'figures.rows': async ({ figureId, params }, { session }) => {
    await session.ws.idle();
    return figureRows(session.ws, { figureId }, params ?? {});
  },
  'figures.list': ({ search }, { session }) => ({ figures: session.library.list(search) }),
  'figures.get': ({ id }, { session }) => session.library.get(id),
  'figures.save': (input, { session }) => session.library.save(input, session.actor()),
  'figures.delete': async ({ id }, { session }) => {
    await session.library.delete(id, session.actor());
    return { id };
  },
  // The builder's preview waits for SQL figures (it shows its own progress).
  'figures.preview': (input, { session }) => {
    const draft = { kind: input.kind, spec: input.spec ?? null, sql: input.sql ?? null, format: input.format as FigureDef['format'] };
    return session.figures.settle(() => session.figures.evaluateDraft(draft, input.params));
  },
  // The editor's request answers at once, SQL figures pending, unless it asks to wait (the picker's preview does).
  'figures.evaluate': async (input, { session }) => ({ figures: input.wait ? await session.figures.settle(() => evaluate(session, input)) : evaluate(session, input) }),
};
