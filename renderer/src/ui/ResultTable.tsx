import type { FigureResult } from '../../../shared/figures/types';
import { formatCell } from '../../../shared/document/format';

/** Rows shown at most: a preview, not the export (which has every row). */
const MAX_ROWS = 200;

/**
 * A figure's rows as a table, each cell formatted as the exporters print it, so what the figure builder and the
 * editor show is what the report will say. The first column heads its row when `rowHeaders` is set.
 */
export function ResultTable(props: { result: FigureResult; wrapClass: string; tableClass?: string; messageClass: string; rowHeaders?: boolean }) {
  const cols = props.result.columns ?? [];
  const rows = props.result.rows ?? [];
  return (
    <div className={props.wrapClass}>
      <table className={props.tableClass}>
        <thead>
          <tr>
            {cols.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, MAX_ROWS).map((r, i) => (
            <tr key={i}>
              {cols.map((c, j) => {
                const text = formatCell(r[c.key], c.format, c.numeric);
                const cls = c.numeric ? 'num' : undefined;
                return props.rowHeaders && j === 0 ? (
                  <th key={c.key} scope="row" className={cls}>
                    {text}
                  </th>
                ) : (
                  <td key={c.key} className={cls}>
                    {text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > MAX_ROWS && (
        <p className={props.messageClass}>
          Showing the first {MAX_ROWS} of {rows.length.toLocaleString('en-GB')} rows.
        </p>
      )}
    </div>
  );
}
