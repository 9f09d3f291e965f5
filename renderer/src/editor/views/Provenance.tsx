import type { EvaluatedFigure } from '../../../../shared/ipc/contract';
import type { EvidenceRow } from '../store';
import { formatDateTime, formatNumber } from '../../lib/format';
import { isRestricted, SENSITIVITY_LABELS } from './sensitivity';
import { STATE_LABELS, STATE_WORDS, type ShownState } from './state';

export function StateBadge({ state }: { state: ShownState }) {
  return <span className={`badge badge--${state}`}>{STATE_LABELS[state]}</span>;
}

/** What a reviewer needs to trust a number: the state, and for a stale one what was signed off. */
export function StateExplanation({ figure, state }: { figure: EvaluatedFigure | undefined; state: ShownState }) {
  if (state === 'stale' && figure?.approved) {
    return (
      <p className="prov__state prov__state--stale">
        Stale: approved as <strong>{figure.approved.formatted}</strong> by {figure.approved.by} on {formatDateTime(figure.approved.at)}; the data it
        reads has changed since. Once checked, re-approve its section on the Review screen.
      </p>
    );
  }
  if (state === 'approved' && figure?.approved) {
    return (
      <p className="prov__state prov__state--approved">
        Approved by {figure.approved.by} on {formatDateTime(figure.approved.at)}; the data is unchanged since.
      </p>
    );
  }
  return <p className={`prov__state prov__state--${state}`}>{STATE_WORDS[state].replace(/^./, (c) => c.toUpperCase())}.</p>;
}

/** A figure whose date the data cannot answer: said plainly wherever its state is explained. */
export function CoverageWarning({ figure }: { figure: EvaluatedFigure | undefined }) {
  const c = figure?.result.coverage;
  if (!c || c.ok) return null;
  return (
    <p className="prov__state prov__state--outside" role="note">
      {c.message}
    </p>
  );
}

/**
 * Provenance, in plain words first: what the figure counts, where the data came from and the evidence behind it. The
 * exact query, its parameters, the tables and rows it read and the data's fingerprint follow under "Technical details",
 * for the analyst who checks the working.
 */
export function Provenance({ figure, evidence, compact }: { figure: EvaluatedFigure; evidence: ReadonlyMap<string, EvidenceRow>; compact?: boolean }) {
  const p = figure.result.provenance;
  const params = Object.entries(p.params);
  return (
    <div className={`prov${compact ? ' prov--compact' : ''}`}>
      <dl className="prov__plain">
        {p.notes?.length ? (
          <>
            <dt>What it counts</dt>
            <dd>
              <ul className="prov__list">
                {p.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        <dt>Data</dt>
        <dd>
          {p.imports.length ? (
            <ul className="prov__list">
              {p.imports.map((i) => (
                <li key={i.id}>
                  {i.fileName}, imported {formatDateTime(i.importedAt)} ({formatNumber(i.rows)} rows)
                </li>
              ))}
            </ul>
          ) : (
            'Entered in Assay (no import)'
          )}
        </dd>
        <dt>Evidence</dt>
        <dd>
          {p.evidenceIds.length ? (
            <ul className="prov__list">
              {p.evidenceIds.map((id) => {
                const e = evidence.get(id);
                return (
                  <li key={id}>
                    {e ? e.title : id}
                    {e && (
                      <span className={`sens sens--${e.sensitivity}${isRestricted(e.sensitivity) ? ' sens--restricted' : ''}`}>
                        {SENSITIVITY_LABELS[e.sensitivity] ?? e.sensitivity}
                      </span>
                    )}
                  </li>
                );
              })}
            </ul>
          ) : (
            'None linked'
          )}
        </dd>
        <dt>Computed</dt>
        <dd>{formatDateTime(p.computedAt)}</dd>
      </dl>
      <details className="prov__tech">
        <summary>Technical details</summary>
        <dl>
          <dt>Parameters</dt>
          <dd>
            {params.length ? (
              <ul className="prov__params">
                {params.map(([k, v]) => (
                  <li key={k}>
                    <code>{k}</code> = <code>{String(v)}</code>
                  </li>
                ))}
              </ul>
            ) : (
              'None'
            )}
          </dd>
          <dt>Tables read</dt>
          <dd>{p.tables.length ? p.tables.map((t) => <code key={t} className="prov__table">{t}</code>) : 'None'}</dd>
          <dt>Rows read</dt>
          <dd>{formatNumber(p.rowsRead)}</dd>
          <dt>Data fingerprint</dt>
          <dd>
            <code className="prov__fp" title={p.fingerprint}>
              {p.fingerprint.slice(0, 16)}
            </code>
          </dd>
          <dt>Query</dt>
          <dd>
            <pre className="prov__sql" tabIndex={0} aria-label="SQL the figure ran">
              {p.sql}
            </pre>
          </dd>
        </dl>
      </details>
    </div>
  );
}
