import type { Bench } from './types';
import { ms } from './types';
import { UsageError } from '../command';
import { runCrashCampaign } from '../../services/testing/crash-driver';

/** `--name 12` or `--name=12`, a whole number at least 1. */
function intOption(argv: string[], name: string, fallback: number): number {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const text = argv[i]!.includes('=') ? argv[i]!.slice(name.length + 3) : argv[i + 1];
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} needs a whole number of at least 1, not "${text ?? ''}".`);
  return n;
}

/**
 * `assay bench crash [--kills n] [--seed n]`: writers making acknowledged writes and saving every five, each killed
 * with SIGKILL at a seeded random moment (opening, appending or saving); after every kill the file is reopened as the
 * kill left it and every write ever acknowledged is looked for. Lost must be 0.
 */
export const crashBench: Bench = {
  name: 'crash',
  summary: 'SIGKILL writers at random moments (inside appends and saves) and check that no acknowledged write is lost.',
  async run(argv, io) {
    const kills = intOption(argv, 'kills', 300);
    const seed = intOption(argv, 'seed', 20181010);
    io.out(`Killing ${kills.toLocaleString('en-GB')} writers (seed ${seed})…`);
    const step = Math.max(1, Math.round(kills / 10));
    const r = await runCrashCampaign({
      kills,
      seed,
      onKill: (done, so) => {
        if (done % step === 0 && done < kills) io.progress(`  ${done} kills, ${so.acknowledged} acknowledged, ${so.lost} lost`);
      },
    });
    io.out(`Kills:                        ${r.kills}   (while opening ${r.during.open}, while appending ${r.during.write}, while saving ${r.during.save})`);
    io.out(`Acknowledged writes:          ${r.acknowledged}`);
    io.out(`Acknowledged writes checked:  ${r.checks}   (every acknowledged write, after every later kill)`);
    io.out(`Lost:                         ${r.lost}${r.firstLoss ? `   first: ${r.firstLoss}` : ''}`);
    io.out(`Integrity checks ok:          ${r.integrityOk} of ${r.kills}`);
    io.out(
      `Timings: total ${(r.ms.total / 1000).toFixed(1)} s; per kill ${ms(r.ms.total / Math.max(1, r.kills))}; ` +
        `writer life median ${ms(r.ms.writerLifeMedian)}; reopen and check median ${ms(r.ms.checkMedian)} (writers ran as ${r.writer === 'bundle' ? 'an esbuild bundle' : 'TypeScript through tsx'})`,
    );
    if (r.lost > 0 || r.integrityOk !== r.kills) throw new Error(`${r.lost} acknowledged writes lost; ${r.kills - r.integrityOk} reopens failed the integrity check.`);
  },
};
