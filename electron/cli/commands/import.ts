import type { Command, CliIo } from '../command';
import { UsageError } from '../command';
import { parse, filePath } from '../args';
import { WorkspaceFile } from '../../services/workspace-file';
import { importFile, IMPORT_KINDS, type ImportKind, type ImportOutcome } from '../../services/import/index';
import { parseColumnMap } from '../../../shared/import/mapping';
import { INDICATOR_TARGETS } from '../../../shared/import/indicators';
import { EVIDENCE_TARGETS } from '../../../shared/import/evidence';
import { describeProblem } from '../../../shared/import/problems';
import type { TextEncoding } from '../../../shared/import/encoding';
import { cleanName } from '../../../shared/util/escape';

const USAGE = [
  'assay import cqc-ratings <file> <csv> [--edition <label>] [--by <name>] [--strict-duplicates] [--encoding utf-16le|utf-16be] [--json]',
  '       assay import cqc-locations <file> <csv> [--edition YYYY-MM-DD] [--by <name>] [--json]   (CQC\'s register: registration, details)',
  '       assay import indicators <file> <csv> [--map target=Column,...] [--by <name>] [--edition <label>] [--json]',
  '       assay import evidence <file> <csv> [--map target=Column,...] [--by <name>] [--allow-lower-sensitivity] [--json]',
].join('\n');

/** How many problems the text output lists before summarising; --json lists them all. */
const SHOWN = 50;

function report(io: CliIo, o: ImportOutcome, json: boolean): number {
  if (json) {
    io.out(JSON.stringify(o, null, 2));
    if (!o.ok) io.err(`assay import: ${o.problemCount} problem${o.problemCount === 1 ? '' : 's'} in ${o.fileName}; nothing was imported.`);
    return o.ok ? 0 : 1;
  }
  if (!o.ok) {
    io.err(`assay import: ${o.fileName} has ${o.problemCount} problem${o.problemCount === 1 ? '' : 's'}; nothing was imported.`);
    for (const p of o.problems.slice(0, SHOWN)) io.err(`  ${describeProblem(p)}`);
    if (o.problemCount > SHOWN) io.err(`  … and ${o.problemCount - SHOWN} more (use --json to list them all)`);
    return 1;
  }
  if (o.import) io.out(`Imported ${o.fileName} (${o.rowsRead.toLocaleString('en-GB')} rows, ${(o.ms / 1000).toFixed(1)} s) as import ${o.import.id}.`);
  else io.out(`Nothing to import: the workspace already holds every row of ${o.fileName} as the file has it.`);
  for (const [t, c] of Object.entries(o.tables)) {
    io.out(`  ${t.padEnd(18)} ${String(c.added).padStart(7)} added ${String(c.updated).padStart(7)} updated ${String(c.unchanged).padStart(7)} unchanged`);
  }
  const s = o.summary as { skippedNoRating?: number; identicalDuplicates?: number; suppressed?: number };
  if (s.skippedNoRating) io.out(`  ${s.skippedNoRating.toLocaleString('en-GB')} rows skipped: no published rating`);
  if (s.identicalDuplicates) io.out(`  ${s.identicalDuplicates} identical duplicate rows imported once`);
  if (s.suppressed) io.out(`  ${s.suppressed} suppressed values skipped`);
  for (const w of o.warnings) io.err(`warning: ${describeProblem(w)}`);
  return 0;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'Import CQC ratings, CQC\'s register of locations, indicator values or an evidence register from CSV (all or nothing).',
  usage: USAGE,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (!sub || !IMPORT_KINDS.includes(sub as ImportKind)) {
      throw new UsageError(sub ? `unknown import "${sub}" (expected one of: ${IMPORT_KINDS.join(', ')}).` : `say what to import: ${IMPORT_KINDS.join(', ')}.`);
    }
    const kind = sub as ImportKind;
    const { values, positionals } = parse(
      rest,
      {
        json: { type: 'boolean' },
        edition: { type: 'string' },
        by: { type: 'string' },
        map: { type: 'string', multiple: true },
        encoding: { type: 'string' },
        'strict-duplicates': { type: 'boolean' },
        'allow-lower-sensitivity': { type: 'boolean' },
      },
      { min: 2, max: 2, names: 'the workspace file and the CSV file' },
    );
    if (values.map && (kind === 'cqc-ratings' || kind === 'cqc-locations')) throw new UsageError('--map is for indicators and evidence; CQC files are recognised by their header.');
    if (values['strict-duplicates'] && kind !== 'cqc-ratings') throw new UsageError('--strict-duplicates is for cqc-ratings.');
    if (values['allow-lower-sensitivity'] && kind !== 'evidence') throw new UsageError('--allow-lower-sensitivity is for evidence.');
    const encoding = values.encoding?.toLowerCase();
    if (encoding !== undefined && !['utf-8', 'utf-16le', 'utf-16be'].includes(encoding)) throw new UsageError(`--encoding must be utf-8, utf-16le or utf-16be, not "${values.encoding}".`);
    let map: Record<string, string> | undefined;
    if (values.map) {
      const targets = kind === 'indicators' ? INDICATOR_TARGETS : EVIDENCE_TARGETS;
      const parsed = parseColumnMap(values.map.join(','), targets);
      if (parsed.problems.length) throw new UsageError(parsed.problems.map((p) => p.message).join('; '));
      map = parsed.map;
    }
    const workspacePath = filePath(io.cwd, positionals[0]!);
    const csvPath = filePath(io.cwd, positionals[1]!);
    const wf = await WorkspaceFile.open(workspacePath);
    try {
      const outcome = await importFile(wf, kind, csvPath, {
        // Cleaned: the name is stored with the import and printed by `assay audit`.
        by: cleanName(values.by ?? process.env.USER ?? '') || 'unknown',
        ...(values.edition ? { edition: values.edition } : {}),
        ...(map ? { map } : {}),
        ...(encoding ? { encoding: encoding as TextEncoding } : {}),
        ...(values['strict-duplicates'] ? { duplicates: 'error' as const } : {}),
        ...(values['allow-lower-sensitivity'] ? { allowLowerSensitivity: true } : {}),
        onProgress: (p) => {
          if (p.phase === 'reading' && p.totalBytes) io.progress(`reading ${Math.round((100 * (p.bytesRead ?? 0)) / p.totalBytes)}%`);
          else io.progress(p.phase);
        },
      });
      io.progress('');
      return report(io, outcome, !!values.json);
    } finally {
      await wf.close();
    }
  },
};
