import { WorkspaceFile } from './electron/services/workspace-file';
import { exportReport } from './electron/services/export/export';
const wf = await WorkspaceFile.open('/tmp/assay-r.assay', { readOnly: true });
const t = performance.now();
const r = await exportReport(wf.workspace, { report: 'state-of-care-2017-18', formats: ['pdf'], audience: 'public', out: '/tmp/assay-out' });
console.log(Math.round(performance.now() - t), r.files);
await wf.close({ save: false });
