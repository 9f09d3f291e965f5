import type { PartialHandlerMap } from '../handler';

export const figureHandlers: PartialHandlerMap<'figures.list' | 'figures.get' | 'figures.save' | 'figures.delete' | 'figures.preview' | 'figures.evaluate'> = {
  'figures.list': ({ search }, { session }) => ({ figures: session.figures.list(search) }),
  'figures.get': ({ id }, { session }) => session.figures.get(id),
  'figures.save': (input, { session }) => session.figures.save(input, session.actor()),
  'figures.delete': async ({ id }, { session }) => {
    await session.figures.delete(id, session.actor());
    return { id };
  },
  'figures.preview': (input, { session }) => session.figures.preview(input),
  'figures.evaluate': async (input, { session }) => ({ figures: await session.figures.evaluateSettled(input) }),
};
