import type { RequestOutputs } from '../../../shared/ipc/contract';
import { useRequest, type Loadable } from '../lib/api';
import { countOf, tableWords, type Counted } from '../../../shared/ipc/tables';
import { formatDate, formatNumber, formatRelative, plural } from '../lib/format';
import { useNav, useSession } from '../lib/route';
import { useImportWizard } from '../lib/import-wizard';
import { Card, EmptyState, ErrorNotice, Icon, LoadingBlock, PageHeader, Tag } from '../ui/bits';

/** Counts worth a card on the home screen, in the order a user thinks of them. */
const COUNT_CARDS: { what: Counted; label: string; go?: () => Parameters<ReturnType<typeof useNav>['navigate']>[0] }[] = [
  { what: 'locations', label: 'Locations', go: () => ({ screen: 'data', tab: 'locations' }) },
  { what: 'providers', label: 'Providers', go: () => ({ screen: 'data', tab: 'providers' }) },
  { what: 'ratings', label: 'Ratings' },
  { what: 'inspections', label: 'Inspections', go: () => ({ screen: 'data', tab: 'inspections' }) },
  { what: 'areaReviews', label: 'Area reviews', go: () => ({ screen: 'data', tab: 'areaReviews' }) },
  { what: 'findings', label: 'Findings', go: () => ({ screen: 'data', tab: 'findings' }) },
  { what: 'evidence', label: 'Evidence sources', go: () => ({ screen: 'evidence' }) },
  { what: 'indicators', label: 'Indicators' },
  { what: 'figures', label: 'Figures', go: () => ({ screen: 'figures' }) },
  { what: 'reports', label: 'Reports', go: () => ({ screen: 'reports' }) },
];

export default function Home(props: { info: Loadable<RequestOutputs['workspace.info']> & { reload: () => void } }) {
  const { navigate } = useNav();
  const session = useSession();
  const importWizard = useImportWizard();
  const { info } = props;
  const reports = useRequest('reports.list', {});

  if (!info.data) return info.status === 'error' ? <ErrorNotice error={info.error} onRetry={info.reload} /> : <LoadingBlock label="Opening workspace…" />;
  const w = info.data;
  const greeting = session.userName ? `Welcome back, ${session.userName.split(/\s+/)[0]}` : 'Welcome';

  return (
    <div className="page">
      <PageHeader
        eyebrow={greeting}
        title={w.name}
        description={
          w.demonstration
            ? 'A demonstration workspace: generated locations, ratings, area reviews and evidence to try Assay with. Nothing in it is real inspection data.'
            : 'Everything in this workspace: registrations and ratings, area reviews, findings and evidence, figures and reports.'
        }
        actions={
          <>
            <button type="button" className="btn btn--secondary" onClick={() => navigate({ screen: 'data', tab: 'locations' })}>
              <Icon name="data" /> Open data browser
            </button>
            <button type="button" className="btn btn--primary" onClick={() => navigate({ screen: 'reports', create: true })}>
              <Icon name="plus" /> New report from template
            </button>
          </>
        }
      />

      <section aria-labelledby="counts-h" className="section">
        <h2 id="counts-h" className="visually-hidden">
          What is in this workspace
        </h2>
        <ul className="stat-grid">
          {COUNT_CARDS.map((c) => {
            const n = countOf(w.counts, c.what);
            if (n === undefined) return null;
            const body = (
              <>
                <span className="stat__value">{formatNumber(n)}</span>
                <span className="stat__label">{c.label}</span>
              </>
            );
            return (
              <li key={c.what} className="stat">
                {c.go ? (
                  <button type="button" className="stat__link" onClick={() => navigate(c.go!())}>
                    {body}
                  </button>
                ) : (
                  <div className="stat__static">{body}</div>
                )}
              </li>
            );
          })}
        </ul>
      </section>

      <div className="grid-2">
        <Card
          id="reports-h"
          title="Reports"
          action={
            <button type="button" className="btn btn--small btn--ghost" onClick={() => navigate({ screen: 'reports' })}>
              All reports
            </button>
          }
        >
          {!reports.data ? (
            reports.status === 'error' ? (
              <ErrorNotice error={reports.error} onRetry={reports.reload} />
            ) : (
              <LoadingBlock />
            )
          ) : reports.data.reports.length === 0 ? (
            <EmptyState
              title="No reports yet"
              action={
                <button type="button" className="btn btn--primary" onClick={() => navigate({ screen: 'reports', create: true })}>
                  Create a report from a template
                </button>
              }
            >
              Start from the State of Care, local system review or inspection report template.
            </EmptyState>
          ) : (
            <ul className="list">
              {reports.data.reports.slice(0, 5).map((r) => (
                <li key={r.id} className="list__item">
                  <button type="button" className="list__link" onClick={() => navigate({ screen: 'reports', reportId: r.id })}>
                    <span className="list__title">{r.title}</span>
                    <span className="list__meta">
                      {plural(r.sections.length, 'section')} · {r.sections.filter((s) => s.status === 'approved').length} approved · updated {formatRelative(r.updatedAt)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </Card>

        <Card id="actions-h" title="Quick actions">
          <div className="quick-actions">
            <button type="button" className="quick-action" onClick={() => navigate({ screen: 'reports', create: true })}>
              <Icon name="reports" size={22} />
              <span>
                <strong>New report from a template</strong>
                <span>State of Care, local system review, inspection report</span>
              </span>
            </button>
            <button type="button" className="quick-action" onClick={() => navigate({ screen: 'data', tab: 'locations' })}>
              <Icon name="data" size={22} />
              <span>
                <strong>Browse locations and ratings</strong>
                <span>Filter, sort and correct ratings</span>
              </span>
            </button>
            <button type="button" className="quick-action" onClick={importWizard.open}>
              <Icon name="import" size={22} />
              <span>
                <strong>Import data</strong>
                <span>CQC ratings, indicators or an evidence register from a CSV file</span>
              </span>
            </button>
            <button type="button" className="quick-action" onClick={() => navigate({ screen: 'evidence', create: true })}>
              <Icon name="import" size={22} />
              <span>
                <strong>Add evidence</strong>
                <span>Record a document, interview or observation with its file</span>
              </span>
            </button>
            <button type="button" className="quick-action" onClick={() => navigate({ screen: 'figures', create: 'structured' })}>
              <Icon name="figures" size={22} />
              <span>
                <strong>Build a figure</strong>
                <span>A live number, table or chart bound to the data</span>
              </span>
            </button>
          </div>
        </Card>
      </div>

      <div className="grid-2">
        <Card id="imports-h" title="Imports">
          {w.imports.length === 0 ? (
            <EmptyState
              title="No data imported yet"
              action={
                <button type="button" className="btn btn--secondary" onClick={importWizard.open}>
                  Import data
                </button>
              }
            >
              Import CQC ratings, indicators or evidence lists here, from the File menu or with `assay import`.
            </EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col">Kind</th>
                    <th scope="col" className="num">
                      Rows
                    </th>
                    <th scope="col">Imported</th>
                  </tr>
                </thead>
                <tbody>
                  {w.imports.slice(0, 8).map((i) => (
                    <tr key={i.id}>
                      <td className="truncate" title={i.fileName}>
                        {i.fileName}
                      </td>
                      <td>
                        <Tag>{i.kind}</Tag>
                      </td>
                      <td className="num">{formatNumber(i.rows)}</td>
                      <td>
                        {formatDate(i.importedAt, 'short')}
                        <span className="muted"> by {i.importedBy}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>

        <Card id="changes-h" title="Latest changes">
          {w.recentChanges.length === 0 ? (
            <EmptyState title="No changes yet">Changes you and colleagues make appear here, with who made them.</EmptyState>
          ) : (
            <ol className="timeline">
              {w.recentChanges.slice(0, 8).map((c, i) => (
                <li key={`${c.at}-${i}`} className="timeline__item">
                  <span className="timeline__what">
                    {describeAction(c.action)}
                    {c.tableName && <span className="muted"> · {tableWords(c.tableName)}</span>}
                  </span>
                  <span className="timeline__meta">
                    {c.actor} · {formatRelative(c.at)}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </Card>
      </div>
    </div>
  );
}

/** Audit actions are dotted codes ("rating.update"); people read "Rating updated". */
function describeAction(action: string): string {
  const [thing, verb] = action.split('.');
  if (!thing || !verb) return action;
  const past: Record<string, string> = { add: 'added', create: 'created', update: 'updated', delete: 'deleted', save: 'saved', verify: 'verified', import: 'imported', approve: 'approved', move: 'moved', rename: 'renamed' };
  const t = thing.replace(/[_-]/g, ' ');
  return `${t.charAt(0).toUpperCase()}${t.slice(1)} ${past[verb] ?? verb}`;
}
