import type { Workspace } from './workspace';
import { REGIONS, SECTORS } from './reference';

/**
 * A large, plainly synthetic workspace for benchmarks: N rating rows spread over locations with history. Not the demo
 * workspace (that one is calibrated and realistic); this one exists to measure the store and the engine at scale.
 */
export async function generateRatingsAtScale(ws: Workspace, opts: { ratings: number; seed?: number }): Promise<{ locations: number; ratings: number }> {
  const random = mulberry32(opts.seed ?? 1);
  const kqs = ['safe', 'effective', 'caring', 'responsive', 'well-led', 'overall'];
  const labels = ['Outstanding', 'Good', 'Good', 'Good', 'Good', 'Requires improvement', 'Requires improvement', 'Inadequate'];
  const perLocation = kqs.length * 3; // three publications per key question on average
  const locations = Math.max(1, Math.ceil(opts.ratings / perLocation));
  const at = '2019-01-01T00:00:00.000Z';
  let written = 0;
  await ws.write(
    'synthetic.generate',
    (tx) => {
      const las: string[] = [];
      tx.runMany(
        'INSERT INTO local_authorities(id, name, region_id) VALUES (?, ?, ?)',
        Array.from({ length: 150 }, (_, i) => {
          const id = `synthetic-la-${i}`;
          las.push(id);
          return [id, `Synthetic authority ${i + 1}`, REGIONS[i % REGIONS.length]!.id];
        }),
      );
      tx.runMany(
        'INSERT INTO providers(id, name, updated_at) VALUES (?, ?, ?)',
        Array.from({ length: Math.ceil(locations / 4) }, (_, i) => [`SP${i}`, `Synthetic provider ${i + 1}`, at]),
      );
      tx.runMany(
        `INSERT INTO locations(id, name, provider_id, sector_id, location_type, category, care_home, local_authority_id, region_id, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        (function* () {
          for (let i = 0; i < locations; i++) {
            const la = i % las.length;
            const sector = SECTORS[i % 5 === 0 ? 2 : i % 7 === 0 ? 1 : 0]!.id;
            yield [`SL${i}`, `Synthetic location ${i + 1}`, `SP${i >> 2}`, sector, sector === 'asc' ? 'Social Care Org' : sector === 'pms' ? 'Primary Medical Services' : 'NHS Healthcare Organisation', null, sector === 'asc' && i % 2 === 0 ? 1 : 0, las[la]!, REGIONS[la % REGIONS.length]!.id, at];
          }
        })(),
      );
      written = tx.runMany(
        `INSERT INTO ratings(location_id, service_group, key_question_id, rating, published_on, updated_at) VALUES (?, 'Overall', ?, ?, ?, ?)`,
        (function* () {
          let n = 0;
          for (let i = 0; i < locations && n < opts.ratings; i++) {
            for (const kq of kqs) {
              let year = 2014 + Math.floor(random() * 2);
              for (let h = 0; h < 3 && n < opts.ratings; h++) {
                const month = 1 + Math.floor(random() * 12);
                const day = 1 + Math.floor(random() * 28);
                yield [`SL${i}`, kq, labels[Math.floor(random() * labels.length)]!, `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, at];
                year += 1 + Math.floor(random() * 2);
                n++;
              }
            }
          }
        })(),
      );
    },
    { unjournaled: true, actor: 'synthetic' },
  );
  return { locations, ratings: written };
}

export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
