import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { UsageError } from './command';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util's parseArgs, with its errors turned into usage errors a person can read. */
export function parse<O extends Options>(argv: string[], options: O, positionals: { min: number; max: number; names: string }) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[\w+\]: /, ''));
  }
  const n = parsed.positionals.length;
  if (n < positionals.min) throw new UsageError(`missing ${positionals.names}.`);
  if (n > positionals.max) throw new UsageError(`unexpected argument "${parsed.positionals[positionals.max]}".`);
  return parsed;
}

export function filePath(cwd: string, p: string): string {
  return resolve(cwd, p);
}
