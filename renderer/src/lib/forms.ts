import { useCallback, useState } from 'react';
import { toIpcError } from './api';

/** The error state every form dialog keeps: errors by field, a form-level message, and whether a save is running. */
export function useFormErrors() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const clear = useCallback((k: string) => setErrors(({ [k]: _gone, ...rest }) => rest), []);
  /** A failed save: the host's field errors beside their fields, or else its message above the form. */
  const fail = useCallback((e: unknown) => {
    const err = toIpcError(e);
    setErrors(err.fields ?? {});
    setMessage(err.fields ? undefined : err.message);
  }, []);
  /**
   * Checks the form's values against a schema before sending them: on a problem, each field's first message beside it
   * and undefined; else the parsed values, with the old messages cleared.
   */
  const check = useCallback(<T,>(schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } } }, values: unknown): T | undefined => {
    const r = schema.safeParse(values);
    setErrors(r.success ? {} : issuesByField(r.error.issues));
    setMessage(undefined);
    return r.success ? r.data : undefined;
  }, []);
  return { errors, setErrors, message, setMessage, busy, setBusy, clear, fail, check };
}

/** Zod issues to one message per top-level field, keeping the first issue of each. */
export function issuesByField(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> {
  const f: Record<string, string> = {};
  for (const i of issues) {
    const k = String(i.path[0]);
    if (!(k in f)) f[k] = i.message;
  }
  return f;
}
