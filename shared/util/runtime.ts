/**
 * The few host facilities shared/ relies on. Both Node 20+ and every browser provide Web Crypto's `randomUUID` and
 * `getRandomValues` as globals; shared/ compiles without DOM or Node types, so they are declared here once.
 */
declare const crypto: {
  randomUUID(): string;
  getRandomValues<T extends Uint8Array>(array: T): T;
};

export function newId(): string {
  return crypto.randomUUID();
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** Today's date in ISO form (yyyy-mm-dd), UTC. */
export function todayIso(): string {
  return nowIso().slice(0, 10);
}
