import { useEffect, useMemo, useRef, useState } from 'react';
import type { FigureFormat, FigureKind, FigureResult } from '../../../../shared/figures/types';
import { call, toIpcError, useRequest } from '../../lib/api';
import { useDebounced } from '../../lib/reference';
import type { BuilderMode } from './builderState';

/** What the live preview shows: the engine's result (which may itself carry an error), or a request it refused. */
export interface LivePreview {
  result: FigureResult | null;
  error?: string;
}

/** Preview parameters default to those of the newest report, so the preview shows what the report would. */
function useDefaultParams(): Record<string, string> {
  const reports = useRequest('reports.list', {});
  return useMemo(() => {
    const newest = [...(reports.data?.reports ?? [])].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
    return newest?.params ?? {};
  }, [reports.data]);
}

/** The value of each parameter the figure refers to: what the user typed, else the newest report's, else empty. */
export function usePreviewParams(paramNames: string[], typed: Record<string, string>): Record<string, string> {
  const defaults = useDefaultParams();
  return useMemo(() => {
    const p: Record<string, string> = {};
    for (const n of paramNames) p[n] = typed[n] ?? defaults[n] ?? '';
    return p;
  }, [paramNames, typed, defaults]);
}

/**
 * The live preview: calls `figures.preview` with the figure as it stands, debounced so typing SQL does not run a query
 * per keystroke; a newer request wins.
 */
export function useLivePreview(input: {
  kind: FigureKind;
  mode: BuilderMode;
  spec: Record<string, unknown>;
  sql: string;
  format: FigureFormat;
  params: Record<string, string>;
}): { preview: LivePreview; previewing: boolean } {
  const { kind, mode, spec, sql, format, params } = input;
  const previewInput = useMemo(
    () => JSON.stringify({ kind, spec: mode === 'structured' ? spec : null, sql: mode === 'sql' ? sql : null, format, params }),
    [kind, mode, spec, sql, format, params],
  );
  const debouncedInput = useDebounced(previewInput, 350);
  const [preview, setPreview] = useState<LivePreview>({ result: null });
  const [previewing, setPreviewing] = useState(false);
  const seq = useRef(0);
  useEffect(() => {
    const n = ++seq.current;
    setPreviewing(true);
    call('figures.preview', JSON.parse(debouncedInput)).then(
      (result) => n === seq.current && setPreview({ result }),
      (e: unknown) => {
        if (n !== seq.current) return;
        const err = toIpcError(e);
        // A request the host refuses outright (bad spec shape) is still an error in the figure, shown inline.
        const detail = err.fields ? Object.entries(err.fields).map(([k, v]) => `${k.replace(/^spec\./, '')}: ${v}`).join('; ') : err.message;
        setPreview({ result: null, error: detail });
      },
    ).finally(() => n === seq.current && setPreviewing(false));
  }, [debouncedInput]);
  return { preview, previewing };
}
