import { join } from 'node:path';
import { loadavg, cpus } from 'node:os';
import { buildDocx } from '../../../shared/export/docx';
import { rasteriseSvg } from '../../services/export/rasterise';
import { rmSync } from 'node:fs';
import type { Bench } from './types';
import { median, ms } from './types';
import { WorkspaceFile } from '../../services/workspace-file';
import { tempDir } from '../../services/testing/fixtures';
import { render, renderDocx } from '../../services/export/export';
import { findLibreOffice } from '../../services/export/docx-pages';
import { launchChromium } from '../../services/export/pdf';
import { assembleReport } from '../../../shared/export/assemble';
import { figureService } from '../../../shared/figures/service';
import { createDemoWorkspace } from '../../services/demo/create';

/**
 * `assay bench export`: median times to export the demo State of Care report to Word and to PDF, each from the
 * workspace (figures computed afresh) to bytes. Targets: docx < 1 s, PDF < 5 s. The PDF figure excludes starting
 * Chromium, which the app and a batch export pay once; that cost is printed separately.
 */
export const exportBench: Bench = {
  name: 'export',
  summary: 'Median Word and PDF export times of the demo State of Care report (targets: docx < 1 s, PDF < 5 s).',
  async run(argv, io) {
    const runs = Number(argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5);
    const fileArg = argv.find((a) => !a.startsWith('--'));
    const dir = fileArg ? undefined : tempDir('assay-bench-export-');
    const path = fileArg ?? join(dir!, 'demo.assay');
    try {
      if (!fileArg) {
        io.out('Generating the demonstration workspace with its figures and reports…');
        const t = performance.now();
        await createDemoWorkspace(path);
        io.out(`  generated in ${ms(performance.now() - t)}`);
      }
      const wf = await WorkspaceFile.open(path, { readOnly: true });
      const ws = wf.workspace;
      const report = 'state-of-care-2017-18';
      // Figures are computed once cold (as on the first export after opening), then from the warm engine, as the app
      // and a batch export see them; the medians below are of the export itself.
      const tc = performance.now();
      const source = figureService(ws);
      const first = await source.settle(() => assembleReport(ws, source, report, { audience: 'public' }));
      const cold = performance.now() - tc;
      const build = () => assembleReport(ws, source, report, { audience: 'public' });
      io.out(`Report: ${first.meta.title}: ${first.headings.length} headings, ${first.figures.length} figure uses, ${first.notes.length} notes.`);
      io.out(`  computing every figure from a cold engine (first export after opening): ${ms(cold)}`);
      const docx: number[] = [];
      const docxSizes: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        const bytes = await render(ws, build(), 'docx');
        docx.push(performance.now() - t);
        docxSizes.push(bytes.length);
      }
      const docxNoPages: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await buildDocx(build(), { rasterise: rasteriseSvg, pageNumbers: true });
        docxNoPages.push(performance.now() - t);
      }
      // The contents' page numbers from LibreOffice's layout (exportReport's default when it is installed): one run, as
      // it is seconds, not milliseconds.
      let withLibreOffice: number | undefined;
      if (findLibreOffice()) {
        const t = performance.now();
        await renderDocx(build(), { docxPages: 'libreoffice' });
        withLibreOffice = performance.now() - t;
      }
      const t0 = performance.now();
      const browser = await launchChromium();
      const launch = performance.now() - t0;
      const pdf: number[] = [];
      try {
        for (let i = 0; i < Math.max(3, Math.ceil(runs / 2)); i++) {
          const t = performance.now();
          await render(ws, build(), 'pdf', { browser });
          pdf.push(performance.now() - t);
        }
      } finally {
        await browser.close();
      }
      await wf.close({ save: false });
      io.out(`docx  median ${ms(median(docx))} over ${docx.length} runs (${(docxSizes[0]! / 1024).toFixed(0)} KiB)   target < 1 s   ${median(docx) < 1000 ? 'met' : 'NOT met'}`);
      io.out(`      with --contents-pages estimate (docx lays the pages out): median ${ms(median(docxNoPages))}`);
      io.out(withLibreOffice === undefined ? '      with --contents-pages libreoffice: LibreOffice is not installed' : `      with --contents-pages libreoffice (the export's default here: laid out by LibreOffice, written again): ${ms(withLibreOffice)}, one run`);
      io.out(`pdf   median ${ms(median(pdf))} over ${pdf.length} runs (two print passes for contents page numbers)   target < 5 s   ${median(pdf) < 5000 ? 'met' : 'NOT met'}`);
      io.out(`      starting Chromium: ${ms(launch)}; median PDF including a cold start: ${ms(median(pdf) + launch)}`);
      io.out(`Machine: ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min): timings scale with load.`);
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  },
};
