import { useMemo } from 'react';
import { useRequest } from '../../lib/api';
import { Dialog } from '../../ui/Dialog';
import { ErrorNotice, LoadingBlock } from '../../ui/bits';
import { csvCell } from '../../../../shared/util/escape';

const SHOWN = 200;

/**
 * "Show the rows": what a live figure counts, said in plain words first ("634 of 762 adult social care locations …
 * rated good or outstanding for Safe, as at 31 July 2018"), where the data came from, and every row it counts, with a
 * CSV download of them all. The rows are the figure's own query's, so their count is its denominator.
 */
export function RowsDialog(props: { figureId: string; name: string; params: Record<string, string | number | boolean>; onClose: () => void }) {
  const res = useRequest('figures.rows', { figureId: props.figureId, params: props.params });
  const v = res.data;
  const csv = useMemo(() => (v ? [v.columns.map((c) => csvCell(c.label)).join(','), ...v.rows.map((r) => r.map(csvCell).join(','))].join('\r\n') : ''), [v]);
  const download = () => {
    const url = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${props.name.replace(/[^\p{L}\p{N} ,()'-]+/gu, ' ').trim().slice(0, 80) || 'figure'} - rows.csv`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <Dialog
      title={`The rows behind “${props.name}”`}
      size="large"
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="btn btn--secondary" onClick={props.onClose}>
            Close
          </button>
          <button type="button" className="btn btn--primary" onClick={download} disabled={!v || !v.rows.length}>
            Download all {v ? v.rows.length.toLocaleString('en-GB') : ''} rows (CSV)
          </button>
        </>
      }
    >
      {res.status === 'error' && <ErrorNotice error={res.error} onRetry={res.reload} />}
      {!v && res.status !== 'error' && <LoadingBlock label="Finding the rows the figure counts" />}
      {v && (
        <div className="rows-dialog" data-testid="figure-rows">
          <p className="rows-dialog__statement">{v.statement}</p>
          <p className="muted">Source: {v.source}.</p>
          <div className="rows-dialog__table" role="region" aria-label="Rows counted" tabIndex={0}>
            <table className="table">
              <thead>
                <tr>
                  {v.columns.map((c) => (
                    <th key={c.key} scope="col">
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {v.rows.slice(0, SHOWN).map((r, i) => (
                  <tr key={i}>
                    {r.map((cell, j) => (
                      <td key={j}>{cell ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {v.rows.length > SHOWN && (
            <p className="muted">
              Showing the first {SHOWN} of {v.rows.length.toLocaleString('en-GB')} rows; the download has them all.
            </p>
          )}
        </div>
      )}
    </Dialog>
  );
}
