import { useEffect, useState } from 'react';
import { useRequest } from './api';

/** Tables whose change alters the reference lists (a new local authority arrives with an import, for example). */
const REFERENCE_TABLES = ['regions', 'local_authorities', 'sectors', 'key_questions', 'rating_values', 'rating_scales', 'themes', 'indicators'] as const;

export function useReference() {
  return useRequest('reference.get', {}, REFERENCE_TABLES);
}

export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = window.setTimeout(() => setV(value), ms);
    return () => window.clearTimeout(t);
  }, [value, ms]);
  return v;
}
