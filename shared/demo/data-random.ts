/**
 * Seeded randomness and calendar arithmetic for the demonstration workspace. Everything the generator stores derives
 * from these, never from Math.random or the clock, so one seed always gives the same bytes.
 */

/** mulberry32: tiny, fast and good enough for synthetic data; not for anything secret. */
export class Rng {
  private a: number;

  constructor(seed: number) {
    this.a = seed >>> 0;
  }

  next(): number {
    this.a = (this.a + 0x6d2b79f5) | 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi], both included. */
  between(lo: number, hi: number): number {
    return hi <= lo ? lo : lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  /** Standard normal by Box-Muller; the spare value is dropped so the stream stays simple to reason about. */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Picks an index with probability proportional to its weight. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** Fisher-Yates, in place. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = xs[i]!;
      xs[i] = xs[j]!;
      xs[j] = t;
    }
    return xs;
  }
}

/** FNV-1a: turns a label into a 32-bit number, so each part of the generator gets its own independent stream. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A stream per purpose: adding a sentence to the review prose must not reshuffle every rating, so the ratings, the
 * places and the prose each draw from their own stream.
 */
export function stream(seed: number, label: string): Rng {
  return new Rng((Math.imul(seed >>> 0, 0x9e3779b1) ^ hash32(label)) >>> 0);
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 for an ISO date. */
export function dayOf(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

export function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** A fixed time of day on a given day, for created_at/updated_at columns. */
export function stampOf(day: number, hour = 9): string {
  return new Date(day * DAY_MS + hour * 3_600_000).toISOString();
}

/** 1 to 31 with the month's name, as a UK reader writes dates ("14 March 2018"). */
export function longDate(day: number): string {
  const d = new Date(day * DAY_MS);
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return `${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}
