import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSqlJs } from '../sqljs';
import { tempDir } from '../testing/fixtures';
import { rasteriseSvg } from '../export/rasterise';
import { buildDocx } from '../../../shared/export/docx';
import { fixtureFigures, fixtureTree, reviewFixture } from '../../../shared/review/testing/fixtures';
import { reviewReport } from '../../../shared/review/report';
import { approveReport } from '../../../shared/review/workflow';
import { evidenceDetail } from '../../../shared/review/evidence';
import { annotateTree } from '../../../shared/review/review-copy';

// Debian's python-docx lives with the system Python, which may not be the first python3 on PATH.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const READ_COMMENTS = `
import sys, json, docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
d = docx.Document(sys.argv[1])
part = next(r.target_part for r in d.part.rels.values() if r.reltype == RT.COMMENTS)
from lxml import etree
root = etree.fromstring(part.blob)
ns = {'w': 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'}
out = [{'id': c.get('{%s}id' % ns['w']), 'author': c.get('{%s}author' % ns['w']), 'text': ' '.join(t.text for t in c.iter('{%s}t' % ns['w']))} for c in root.findall('w:comment', ns)]
body = d.element.body
print(json.dumps({'comments': out, 'ranges': len(body.findall('.//w:commentRangeStart', ns)), 'refs': len(body.findall('.//w:commentReference', ns)), 'text': '\\n'.join(p.text for p in d.paragraphs)}))
`;

function hasPythonDocx(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import docx'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the review copy in Word readers', () => {
  it('python-docx finds a comment on every figure and citation, and LibreOffice opens the file', async () => {
    const f = await reviewFixture(await loadSqlJs());
    const figures = fixtureFigures(f.ws);
    await approveReport(f.ws, figures, { report: f.reportId, by: 'Ruth Reviewer' });
    await f.ws.write('rating', (tx) => tx.run("UPDATE ratings SET rating = 'Good' WHERE location_id = '1-003'"));
    const { review, tree } = await figures.settle(() => ({ review: reviewReport(f.ws, figures, f.reportId), tree: fixtureTree(f.ws, f.reportId, figures) }));
    const { annotations, comments } = annotateTree(tree, review, (id) => evidenceDetail(f.ws, id), { author: 'Assay', date: '2026-01-01T00:00:00Z' });
    const bytes = await buildDocx(tree, { rasterise: rasteriseSvg, pageNumbers: false, annotations });
    const dir = tempDir('assay-review-copy-');
    const file = join(dir, 'state-of-care-review.docx');
    writeFileSync(file, bytes);

    if (!hasPythonDocx()) throw new Error(`python-docx is needed for this test (apt-get install python3-docx); ${PYTHON} cannot import it.`);
    const read = JSON.parse(execFileSync(PYTHON, ['-c', READ_COMMENTS, file], { encoding: 'utf8' })) as {
      comments: { id: string; author: string; text: string }[];
      ranges: number;
      refs: number;
      text: string;
    };
    expect(read.comments).toHaveLength(4);
    expect(read.ranges).toBe(4);
    expect(read.refs).toBe(4);
    expect(read.comments.every((c) => c.author === 'Assay')).toBe(true);
    expect(read.comments[0]!.text).toMatch(/^Live figure “Share rated good or outstanding” \(share-good\): 100%\. CHANGED SINCE APPROVAL: Ruth Reviewer approved 75%/);
    expect(read.comments[0]!.text).toMatch(/Reads: ratings .*data fingerprint [0-9a-f]{8}/);
    expect(read.comments[1]!.text).toMatch(/Evidence cited: “CQC ratings data” \(dataset, public\)/);
    expect(read.text).toContain('At 31 July, 100% of services were rated good or outstanding.');
    expect(read.text).not.toMatch(/[\uE000-\uE003]/);

    execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--convert-to', 'pdf', '--outdir', dir, file], { stdio: 'ignore', timeout: 120_000 });
    const text = execFileSync('pdftotext', [join(dir, 'state-of-care-review.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('100% of services were rated good or outstanding');
    // Each footnote stays with its own citation (comment ids sharing bookmark ids once made LibreOffice swap them).
    const intro = text.slice(text.indexOf('100% of services'));
    // (Notes in house style: the source's title in quotes, what kind of unpublished source it is, and in an internal
    // edition when it was collected.)
    expect(intro.indexOf('‘CQC ratings data’, unpublished dataset.')).toBeGreaterThan(0);
    expect(intro.indexOf('‘CQC ratings data’, unpublished dataset.')).toBeLessThan(intro.indexOf('‘Interview with a registered manager’, unpublished interview.'));
  });
});
