import type { FigureParams } from '../../../../shared/figures/types';

/**
 * Parsers for the values Assay's nodes keep in Lexical NodeState. Section content comes from disk, from older editors
 * and from paste, so each parser repairs what it can (drops a parameter that is not a string, number or boolean) and
 * falls back to the default otherwise. Lexical calls every parser with `undefined` once to learn the default, and leaves
 * a value equal to its default out of the JSON, which is how the optional fields stay optional.
 */

export function parseId(value: unknown): string {
  return typeof value === 'string' ? value.trim().slice(0, 200) : '';
}

export function parseOptionalText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  return t ? t.slice(0, 2000) : undefined;
}

export function parseParams(value: unknown): FigureParams | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: FigureParams = {};
  let any = false;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) continue;
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) {
      out[k] = v;
      any = true;
    }
  }
  return any ? out : undefined;
}

/** Order-insensitive equality, so re-saving a node never rewrites its params just because key order changed. */
export function paramsEqual(a: FigureParams | undefined, b: FigureParams | undefined): boolean {
  return stableParams(a) === stableParams(b);
}

export function stableParams(p: FigureParams | undefined): string {
  if (!p) return '';
  const keys = Object.keys(p).sort();
  return keys.length ? JSON.stringify(keys.map((k) => [k, p[k]])) : '';
}

/**
 * The key under which the editor caches a figure's evaluation: the figure id plus the node's own parameter overrides.
 * Two nodes showing the same figure with the same overrides share one evaluation and one store entry.
 */
export function refKey(figureId: string, params: FigureParams | undefined): string {
  const p = stableParams(params);
  return p ? `${figureId}|${p}` : figureId;
}

export function parseDisplay(value: unknown): 'table' | 'chart' {
  return value === 'chart' ? 'chart' : 'table';
}

/** Template guidance's text: a string, cut to a sane length. */
export function parseGuidanceText(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 4000) : '';
}

/** The figures guidance suggests: entries without a figure id are dropped, a missing name becomes the id. */
export function parseGuidanceFigures(value: unknown): { figureId: string; name: string }[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: { figureId: string; name: string }[] = [];
  for (const v of value.slice(0, 50)) {
    if (!v || typeof v !== 'object') continue;
    const figureId = parseId((v as { figureId?: unknown }).figureId);
    if (!figureId) continue;
    const name = parseOptionalText((v as { name?: unknown }).name) ?? figureId;
    out.push({ figureId, name });
  }
  return out.length ? out : undefined;
}
