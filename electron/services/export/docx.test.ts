import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../../shared/document/tree';
import { buildDocx } from '../../../shared/export/docx';
import { fixtureInput } from '../../../shared/export/testing/fixtures';
import { tempDir } from '../testing/fixtures';
import { rasteriseSvg } from './rasterise';

const PY = '/usr/bin/python3';
const hasPythonDocx = existsSync(PY) && (() => {
  try {
    execFileSync(PY, ['-c', 'import docx'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Reads back what a Word user would see: styles, outline levels, footnotes, fields, properties. */
const INSPECT = `
import sys, json, zipfile, docx
d = docx.Document(sys.argv[1])
z = zipfile.ZipFile(sys.argv[1])
xml = z.read('word/document.xml').decode()
styles = z.read('word/styles.xml').decode()
foot = z.read('word/footnotes.xml').decode() if 'word/footnotes.xml' in z.namelist() else ''
print(json.dumps({
  'headings': [[p.style.name, p.text] for p in d.paragraphs if p.style.name.startswith('Heading')],
  'captions': [p.text for p in d.paragraphs if p.style.name == 'Caption'],
  'toc': ' TOC ' in xml or 'TOC \\\\' in xml,
  'tblHeader': xml.count('<w:tblHeader/>'),
  'footnoteRefs': xml.count('<w:footnoteReference '),
  'footnotes': foot,
  'seq': xml.count('SEQ Figure') + xml.count('SEQ Table'),
  'alt': 'descr="Stacked bar chart' in xml,
  'lang': 'w:lang w:val="en-GB"' in styles,
  'outline': styles.count('<w:outlineLvl '),
  'title': d.core_properties.title, 'author': d.core_properties.author, 'subject': d.core_properties.subject,
  'pagefield': 'PAGE' in z.read([n for n in z.namelist() if n.startswith('word/footer')][0]).decode(),
}))
`;

describe.skipIf(!hasPythonDocx)('Word export (read back with python-docx; skipped when /usr/bin/python3 with python-docx is missing)', () => {
  it('has real headings, a TOC field, captions, header rows, footnotes, alt text, en-GB and properties', async () => {
    const dir = tempDir('assay-docx-');
    const path = join(dir, 'r.docx');
    const doc = buildDocument(fixtureInput('public'));
    writeFileSync(path, await buildDocx(doc, { rasterise: rasteriseSvg }));
    const r = JSON.parse(execFileSync(PY, ['-c', INSPECT, path], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(r.headings).toEqual([
      ['Heading 1', '1\tSummary'],
      ['Heading 2', '1.1\tSafety'],
      ['Heading 1', '2\tThe integration lottery'],
    ]);
    expect(r.captions).toEqual(['Figure 1: Ratings by key question, adult social care', 'Table 1: Delayed transfers of care by area', 'Figure 2: Delayed transfers of care by area']);
    expect(r.toc).toBe(true);
    expect(r.tblHeader).toBeGreaterThanOrEqual(2);
    expect(r.footnoteRefs).toBe(2);
    expect(r.footnotes).toContain('Published survey of councils');
    expect(r.footnotes).toContain('Unpublished evidence held by CQC.');
    expect(r.footnotes).not.toContain('Mrs A');
    expect(r.seq).toBe(3);
    expect(r.alt).toBe(true);
    expect(r.lang).toBe(true);
    expect(r.outline).toBeGreaterThanOrEqual(3);
    expect(r).toMatchObject({ title: 'State of Care 2017/18', author: 'Care Quality Commission', pagefield: true });
    expect(r.subject).toMatch(/health care and adult social care/);
  });
});
