import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChartCache, chartCacheDir, chartKey } from './chart-cache';
import { forgetRecentCharts, rasteriserWith } from './rasterise';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'assay-chart-cache-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) {
    chmodSync(d, 0o700);
    rmSync(d, { recursive: true, force: true });
  }
  forgetRecentCharts();
});

const png = (n: number) => new Uint8Array(Array.from({ length: 200 + n }, (_, i) => (i * 7 + n) % 256));
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><rect x="10" y="10" width="100" height="40" fill="#00a"/></svg>';

describe('chart cache folder', () => {
  it('is the platform cache folder, or ASSAY_CHART_CACHE (off switches it off)', () => {
    const home = () => '/home/ann';
    expect(chartCacheDir({}, 'linux', home)).toBe('/home/ann/.cache/assay/charts');
    expect(chartCacheDir({ XDG_CACHE_HOME: '/var/cache/ann' }, 'linux', home)).toBe('/var/cache/ann/assay/charts');
    expect(chartCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux', home)).toBe('/home/ann/.cache/assay/charts');
    expect(chartCacheDir({}, 'darwin', home)).toBe('/home/ann/Library/Caches/assay/charts');
    expect(chartCacheDir({ LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' }, 'win32', home)).toContain(join('assay', 'cache', 'charts'));
    expect(chartCacheDir({ ASSAY_CHART_CACHE: '/x/charts' }, 'linux', home)).toBe('/x/charts');
    expect(chartCacheDir({ ASSAY_CHART_CACHE: 'off' }, 'linux', home)).toBeUndefined();
  });

  it('keys by every part, length-prefixed', () => {
    expect(chartKey('a', 'bc')).not.toBe(chartKey('ab', 'c'));
    expect(chartKey('a', 'bc')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('ChartCache', () => {
  it('returns the bytes it was given, from a folder it makes private', () => {
    const dir = join(tmp(), 'nested', 'charts');
    const c = new ChartCache(dir);
    const key = chartKey('one');
    expect(c.get(key)).toBeUndefined();
    c.put(key, png(1));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, `${key}.png`)).mode & 0o777).toBe(0o600);
    // Another process (a new cache object) reads the same bytes.
    expect(Buffer.from(new ChartCache(dir).get(key)!)).toEqual(Buffer.from(png(1)));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('ignores a damaged file and writes it again', () => {
    const dir = tmp();
    const c = new ChartCache(dir);
    const key = chartKey('two');
    c.put(key, png(2));
    const file = join(dir, `${key}.png`);
    const bytes = readFileSync(file);
    bytes[bytes.length - 5]! ^= 0xff;
    writeFileSync(file, bytes);
    expect(c.get(key)).toBeUndefined();
    writeFileSync(file, bytes.subarray(0, 20)); // truncated
    expect(c.get(key)).toBeUndefined();
    expect(c.stats.corrupt).toBe(2);
    c.put(key, png(2));
    expect(Buffer.from(c.get(key)!)).toEqual(Buffer.from(png(2)));
  });

  it('never fails when the folder cannot be made or written', () => {
    const parent = tmp();
    const blocker = join(parent, 'file');
    writeFileSync(blocker, 'not a folder');
    const c = new ChartCache(join(blocker, 'charts'));
    c.put(chartKey('x'), png(3));
    expect(c.get(chartKey('x'))).toBeUndefined();
    expect(c.stats.disabled).toBeTruthy();

    if (process.getuid?.() === 0) return; // root writes anywhere
    const ro = join(parent, 'ro');
    new ChartCache(ro).put(chartKey('y'), png(4));
    chmodSync(ro, 0o500);
    const r = new ChartCache(ro);
    r.put(chartKey('z'), png(5));
    expect(r.get(chartKey('z'))).toBeUndefined();
    expect(Buffer.from(r.get(chartKey('y'))!)).toEqual(Buffer.from(png(4)));
    chmodSync(ro, 0o700);
  });

  it('is not used when others can write to the folder', () => {
    const dir = tmp();
    chmodSync(dir, 0o777);
    const c = new ChartCache(dir);
    c.put(chartKey('w'), png(6));
    expect(readdirSync(dir)).toEqual([]);
    expect(c.stats.disabled).toMatch(/others can write/);
  });

  it('stays within its bound, the least recently used going first', () => {
    const dir = tmp();
    const entry = 14 + 32 + 300;
    const c = new ChartCache(dir, entry * 3);
    const keys = [0, 1, 2].map((i) => chartKey(`k${i}`));
    keys.forEach((k, i) => {
      c.put(k, new Uint8Array(300).fill(i));
      const t = new Date(Date.now() - (10 - i) * 60_000);
      utimesSync(join(dir, `${k}.png`), t, t);
    });
    expect(c.get(keys[0]!)).toBeDefined(); // used: now the most recent
    c.put(chartKey('k3'), new Uint8Array(300).fill(3));
    expect(existsSync(join(dir, `${keys[1]}.png`))).toBe(false);
    expect(existsSync(join(dir, `${keys[0]}.png`))).toBe(true);
    expect(readdirSync(dir).length).toBe(3);
  });
});

/** A chart for the rasteriser: keyed by its SVG here, and counting how often it is drawn. */
let drawnSvgs = 0;
const chartOf = (svg: string) => ({ key: `test chart ${svg}`, width: 120, height: 60, svg: async () => (drawnSvgs++, svg) });

describe('rasteriseSvg with the cache', () => {
  it('draws a chart once; a hit gives identical bytes without drawing', async () => {
    const dir = tmp();
    const cache = new ChartCache(dir);
    const rasterise = rasteriserWith(() => cache);
    const first = await rasterise(chartOf(SVG));
    expect(Buffer.from(first.subarray(1, 4)).toString('latin1')).toBe('PNG');
    expect(cache.stats.writes).toBe(1);
    forgetRecentCharts();
    const drawnBefore = drawnSvgs;
    const again = await rasteriserWith(() => new ChartCache(dir))(chartOf(SVG));
    expect(Buffer.from(again)).toEqual(Buffer.from(first));
    // Found by its key: the chart was not drawn again.
    expect(drawnSvgs).toBe(drawnBefore);
    // A damaged file is drawn again and replaced.
    const [name] = readdirSync(dir);
    writeFileSync(join(dir, name!), 'garbage');
    forgetRecentCharts();
    const fresh = new ChartCache(dir);
    expect(Buffer.from(await rasteriserWith(() => fresh)(chartOf(SVG)))).toEqual(Buffer.from(first));
    expect(fresh.stats).toMatchObject({ corrupt: 1, writes: 1 });
  });

  it('still draws when the folder is unusable', async () => {
    const parent = tmp();
    writeFileSync(join(parent, 'file'), '');
    const png = await rasteriserWith(() => new ChartCache(join(parent, 'file', 'charts')))(chartOf(SVG));
    expect(png.length).toBeGreaterThan(100);
  });
});
