import { useEffect, useState } from 'react';
import { useRequest } from './api';

/** The reference lists, kept true as imports and edits add to them (a new local authority arrives with an import). */
export function useReference() {
  return useRequest('reference.get', {});
}

export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = window.setTimeout(() => setV(value), ms);
    return () => window.clearTimeout(t);
  }, [value, ms]);
  return v;
}
