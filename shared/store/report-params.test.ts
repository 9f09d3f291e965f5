import { describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../electron/services/sqljs';
import { Workspace } from './workspace';
import { seedReference } from './reference';
import { createReportFromTemplate, findReport, reportParamProblems, setReportParams } from './reports';
import { isUserError } from '../util/errors';

describe('report parameters', () => {
  it('names each bad date, and a comparison date not before the as-at date', () => {
    expect(reportParamProblems({ asAt: '2018-07-31', previousAsAt: '2017-07-31', indicator: 'dtoc' })).toEqual({});
    expect(reportParamProblems({ asAt: '2018-02-30' })).toEqual({ asAt: 'must be a date written yyyy-mm-dd (“2018-02-30” is not one)' });
    expect(reportParamProblems({ asAt: '31/07/2018' }).asAt).toMatch(/yyyy-mm-dd/);
    expect(reportParamProblems({ asAt: '2018-07-31', previousAsAt: '2018-07-31' })).toEqual({ previousAsAt: 'must be before the “as at” date' });
    expect(reportParamProblems({ startAt: '' }).startAt).toBe('must be a date written yyyy-mm-dd');
  });

  it('are changed, audited, and refused with the field named and nothing written when wrong', async () => {
    const ws = Workspace.create(await loadSqlJs());
    await ws.write('seed', (tx) => seedReference(tx), { unjournaled: true });
    const { reportId } = (await ws.write('new', (tx) => createReportFromTemplate(tx, { templateId: 'state-of-care', title: 'State of Care' }))).value;
    await ws.write('params', (tx) => setReportParams(tx, reportId, { asAt: '2019-07-31', previousAsAt: '2018-07-31' }));
    expect(findReport(ws, reportId).params).toEqual({ asAt: '2019-07-31', previousAsAt: '2018-07-31' });
    const audits = Number(ws.value("SELECT count(*) FROM audit_log WHERE action = 'report.params'"));
    expect(audits).toBe(1);
    const err = await ws.write('params', (tx) => setReportParams(tx, reportId, { asAt: '2019-07-31', previousAsAt: '2020-07-31' })).catch((e: unknown) => e);
    expect(isUserError(err) && err.fields).toEqual({ previousAsAt: 'must be before the “as at” date' });
    expect(findReport(ws, reportId).params).toEqual({ asAt: '2019-07-31', previousAsAt: '2018-07-31' });
    expect(Number(ws.value("SELECT count(*) FROM audit_log WHERE action = 'report.params'"))).toBe(audits);
  });
});
