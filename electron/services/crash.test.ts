import { describe, it, expect } from 'vitest';
import { runCrashCampaign } from './testing/crash-driver';

describe('crash safety', () => {
  it('keeps every acknowledged write across 300 seeded SIGKILLs at random moments, inside saves and appends', async () => {
    const r = await runCrashCampaign({ kills: 300, seed: 20181010, maxDelayMs: 120, saveEvery: 5 });
    console.info(
      `crash test: ${r.kills} kills (${r.during.open} while opening, ${r.during.write} while writing, ${r.during.save} while saving), ` +
        `${r.acknowledged} acknowledged writes, ${r.checks} checks, ${r.lost} lost, ${r.integrityOk} integrity checks ok, ` +
        `${(r.ms.total / 1000).toFixed(1)} s`,
    );
    expect(r.firstLoss).toBeUndefined();
    expect(r.lost).toBe(0);
    expect(r.kills).toBe(300);
    expect(r.integrityOk).toBe(300);
    // The kills really landed among acknowledged writes, and inside saves and recovery as well as appends.
    expect(r.acknowledged).toBeGreaterThan(300);
    expect(r.during.save).toBeGreaterThan(10);
    expect(r.during.write).toBeGreaterThan(10);
    expect(r.during.open).toBeGreaterThan(0);
  }, 400_000);
});
