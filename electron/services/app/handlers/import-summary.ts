import type { ImportOutcome } from '../../import';
import { describeProblem } from '../../../../shared/import/problems';

/** An import's outcome in two sentences for a message box: what happened, then the detail a user can act on. */
export function describeImportOutcome(o: ImportOutcome): { message: string; detail: string } {
  const rows = `${o.rowsRead.toLocaleString('en-GB')} row${o.rowsRead === 1 ? '' : 's'}`;
  if (!o.ok) {
    const shown = o.problems.slice(0, 8).map((p) => `• ${describeProblem(p)}`);
    const more = o.problemCount > shown.length ? [`…and ${(o.problemCount - shown.length).toLocaleString('en-GB')} more.`] : [];
    return {
      message: `${o.fileName} was not imported: ${o.problemCount.toLocaleString('en-GB')} problem${o.problemCount === 1 ? '' : 's'} found in ${rows}.`,
      detail: ['Nothing was changed. Correct the file and import it again.', '', ...shown, ...more].join('\n'),
    };
  }
  const warnings = o.warnings.slice(0, 5).map((w) => `• ${describeProblem(w)}`);
  if (!o.import) {
    return { message: `${o.fileName}: the workspace already holds all ${rows}.`, detail: 'Nothing needed changing.' };
  }
  return {
    message: `Imported ${rows} from ${o.fileName}.`,
    detail: [
      `The import is recorded as ${o.import.kind}, by ${o.import.importedBy}.`,
      ...(warnings.length ? ['', `${o.warnings.length.toLocaleString('en-GB')} warning${o.warnings.length === 1 ? '' : 's'}:`, ...warnings] : []),
    ].join('\n'),
  };
}
