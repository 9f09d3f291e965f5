import type { EvidenceRecord } from '../../../../shared/ipc/contract';
import { getEvidence } from '../../../../shared/store/evidence';
import { listIndicatorsWithPeriods } from '../../../../shared/store/indicators';
import { notFound } from '../ipc/errors';
import type { PartialHandlerMap } from '../ipc/handler';

/** Typed reads the renderer used to make through the figure engine's SQL preview; the store answers them now. */
export const readHandlers: PartialHandlerMap<'evidence.get' | 'indicators.list'> = {
  'evidence.get': ({ id }, { session }): EvidenceRecord => {
    const e = getEvidence(session.ws, id);
    if (!e) throw notFound('Evidence source', id);
    return e;
  },

  'indicators.list': (_input, { session }) => ({ indicators: listIndicatorsWithPeriods(session.ws) }),
};
