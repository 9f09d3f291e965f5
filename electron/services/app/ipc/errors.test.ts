import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../shared/util/errors';
import { invalidField, WorkspaceError } from '../../../../shared/store/errors';
import { FigureSpecError } from '../../../../shared/figures/spec';
import { SqlFigureError } from '../../../../shared/figures/sql';
import { AppError, toIpcError } from './errors';

const ratingsAdd = new Set(['locationId', 'keyQuestionId', 'rating', 'publishedOn']);

describe('toIpcError: one mapping of UserError, no message parsing', () => {
  it('maps each kind to the contract code, keeping the exact reason on the workspace error', () => {
    const gone = new WorkspaceError('not-found-record', 'rating 7 does not exist');
    expect(gone.code).toBe('not-found');
    expect(gone.reason).toBe('not-found-record');
    expect(toIpcError(gone)).toEqual({ code: 'not-found', message: 'rating 7 does not exist' });
    const journal = new WorkspaceError('journal-line', 'Line 4 of the journal cannot be applied.', '/tmp/w.assay');
    expect(journal).toMatchObject({ code: 'invalid', reason: 'journal-line', file: '/tmp/w.assay' });
    expect(toIpcError(new WorkspaceError('locked', 'w.assay is locked.'))).toEqual({ code: 'locked', message: 'w.assay is locked.' });
    expect(toIpcError(new UserError('conflict', 'Already approved.'))).toEqual({ code: 'conflict', message: 'Already approved.' });
  });

  it('passes on the fields the store set, only those the request has', () => {
    const e = invalidField('rating', 'publishedOn', 'must be a date written yyyy-mm-dd');
    expect(e.message).toBe('rating: publishedOn must be a date written yyyy-mm-dd');
    expect(toIpcError(e, undefined, ratingsAdd)).toEqual({ code: 'invalid', message: e.message, fields: { publishedOn: 'must be a date written yyyy-mm-dd' } });
    // A request without that field gets the message alone, so a form shows it above rather than beside nothing.
    expect(toIpcError(e, undefined, new Set(['id']))).toEqual({ code: 'invalid', message: e.message });
    // The message is never read for a field, however much it looks like it names one.
    expect(toIpcError(new WorkspaceError('invalid', 'rating: publishedOn must be a date'), undefined, ratingsAdd)).toEqual({ code: 'invalid', message: 'rating: publishedOn must be a date' });
  });

  it('gives figure errors their own field: the spec path, or the SQL', () => {
    const spec = new FigureSpecError('spec.measure must be one of: rating_share', 'spec.measure');
    expect(toIpcError(spec, undefined, new Set(['spec', 'sql']))).toMatchObject({ code: 'invalid', fields: { 'spec.measure': spec.message } });
    const sql = new SqlFigureError('The query would delete rows.');
    expect(toIpcError(sql, undefined, new Set(['spec', 'sql']))).toMatchObject({ code: 'invalid', fields: { sql: sql.message } });
    // An export that meets a bad SQL figure has no SQL field to show it beside.
    expect(toIpcError(sql, undefined, new Set(['reportId', 'formats']))).toEqual({ code: 'invalid', message: sql.message });
  });

  it('passes a handler’s own fields as they are: they name the request', () => {
    const e = new AppError('invalid', 'big.csv is empty.', { file: 'is empty' });
    expect(toIpcError(e)).toEqual({ code: 'invalid', message: 'big.csv is empty.', fields: { file: 'is empty' } });
  });

  it('logs a disk failure and passes its message on; hides anything unexpected behind a safe sentence', () => {
    const logged: unknown[] = [];
    const log = (_m: string, e: unknown) => logged.push(e);
    const full = new WorkspaceError('io', 'The disk is full: w.assay could not be saved; your changes are kept in the journal.', '/tmp/w.assay');
    expect(toIpcError(full, log)).toEqual({ code: 'internal', message: full.message });
    const bug = new Error('SQLITE_IOERR at /home/someone/secret');
    const r = toIpcError(bug, log);
    expect(r.code).toBe('internal');
    expect(r.message).not.toContain('/home/someone');
    expect(logged).toEqual([full, bug]);
  });
});
