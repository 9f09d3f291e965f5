import type { CliIo } from '../command';

/** A benchmark prints figures (medians, ratios against a baseline measured in the same run); it never asserts. */
export interface Bench {
  name: string;
  summary: string;
  run(argv: string[], io: CliIo): Promise<void>;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function ms(x: number): string {
  return `${x.toFixed(x < 10 ? 2 : 0)} ms`;
}
