import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A deliberately simple CSV reader for tests, independent of csv-parse: the counts the import is checked against must
 * not come from the code under test. Handles quoted fields with doubled quotes; CQC's files have no line breaks
 * inside fields.
 */
export function readSimpleCsv(path: string): Record<string, string>[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  const header = splitLine(lines[0]!);
  return lines.slice(1).map((l) => {
    const f = splitLine(l);
    const o: Record<string, string> = {};
    header.forEach((h, i) => (o[h] = f[i] ?? ''));
    return o;
  });
}

export function splitLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** dd/mm/yyyy or yyyy-mm-dd to a sortable yyyy-mm-dd, written independently of shared/import/dates.ts. */
export function isoOf(d: string): string {
  const [a, b, c] = d.includes('/') ? d.split('/') : d.split('-').reverse();
  return `${c}-${b}-${a}`;
}

/** CQC's real files live beside the repository (../shared/data/cqc); ASSAY_CQC_DATA points elsewhere. */
const DATA = process.env.ASSAY_CQC_DATA ?? fileURLToPath(new URL('../../../../shared/data/cqc/', import.meta.url));
export const NATIONAL = join(DATA, 'cqc_latest_ratings_overall_locations_england_2021.csv');
export const OLDHAM = join(DATA, 'oldham_cqc_api_ratings_long_2025-03.csv');
export const OLDHAM_LOCATIONS = join(DATA, 'oldham_cqc_api_locations_2025-03.csv');

/** The national file's first rows (header included) written into `dir`: a few real locations, providers and authorities. */
export function nationalHead(dir: string, lines = 30): string {
  const path = join(dir, 'head.csv');
  writeFileSync(path, readFileSync(NATIONAL, 'utf8').split('\n').slice(0, lines).join('\n') + '\n');
  return path;
}
