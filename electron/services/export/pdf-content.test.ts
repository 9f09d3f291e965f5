import { describe, expect, it } from 'vitest';
import { parseContent, parseToUnicode, textRuns, wrapArtifacts } from './pdf-content';

describe('PDF content streams', () => {
  const page = [
    'q 1 1 1 rg 0 0 10 10 re f Q',
    'BT /F1 10 Tf 1 0 0 -1 0 20 Tm <0001> Tj ET',
    '/P <</MCID 0 >>BDC BT /F1 10 Tf 1 0 0 -1 0 40 Tm <00010002> Tj ET',
    'BT /F1 10 Tf 1 0 0 -1 0 52 Tm <0003> Tj ET EMC',
    '(a \\) string) Tj',
  ].join('\n');

  it('reads operators with their operands, strings and dictionaries whole', () => {
    const ops = parseContent(page);
    expect(ops.find((o) => o.op === 'BDC')!.operands).toEqual(['/P', '<</MCID 0 >>']);
    expect(ops[ops.length - 1]!.operands).toEqual(['(a \\) string)']);
  });

  it('marks painting outside marked content as artifacts, and leaves tagged content alone', () => {
    const { content, wrapped } = wrapArtifacts(page);
    expect(wrapped).toBe(2);
    const ops = parseContent(content).map((o) => o.op);
    expect(ops.slice(0, 2)).toEqual(['BMC', 'q']);
    expect(content).toContain('/P <</MCID 0 >>BDC');
    expect(wrapArtifacts(content).wrapped).toBe(0);
  });

  it('decodes text with a ToUnicode map, with its line and MCID', () => {
    const cmap = parseToUnicode('1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfchar <0003> <0020> endbfchar 1 beginbfrange <0001> <0002> <0061> endbfrange');
    const runs = textRuns(page, new Map([['F1', cmap]]));
    expect(runs.map((r) => [r.text, r.y, r.mcid ?? null, r.artifact])).toEqual([
      ['a', 20, null, true],
      ['ab', 40, 0, false],
      [' ', 52, 0, false],
      ['', 52, null, true],
    ]);
  });
});
