import { useEffect, useState } from 'react';
import type { RequestOutputs } from '../../../../shared/ipc/contract';
import type { FigureState } from '../../../../shared/figures/types';
import { call, toIpcError, useRequest } from '../../lib/api';
import { formatDate, formatDateTime, formatRelative, plural } from '../../lib/format';
import { COMMENT_FILTERS, filterThreads, mentionRuns, type CommentFilter } from '../../../../shared/review/mentions';
import { useNav, type Route } from '../../lib/route';
import { EmptyState, ErrorNotice, LoadingBlock, PageHeader, SensitivityTag, Tag } from '../../ui/bits';
import { Tabs } from '../../ui/Tabs';
import { useToast } from '../../ui/Toast';
import { Dialog } from '../../ui/Dialog';
import { ApproveDialog } from './ApproveDialog';
import { SectionChanges } from './SectionChanges';
import './review.css';

/**
 * The reviewer's screen for one report: its sections' sign-off, the publication checks, the citation ledger, what
 * changed since approval, comments, and the audit log. Everything is read from the same review pass the CLI's
 * `assay check` runs, so the app and the pipeline never disagree.
 */

export type ReviewTab = 'checks' | 'ledger' | 'changed' | 'comments' | 'evidence' | 'audit';
type ReviewRoute = Extract<Route, { screen: 'review' }>;
type Checks = RequestOutputs['review.checks'];
type Problem = Checks['problems'][number];
type Section = Checks['sections'][number];

function where(l: Problem['location']): string {
  if (!l) return '';
  return `${l.sectionTitle}${l.paragraph ? `, paragraph ${l.paragraph}` : ''}${l.sentence ? `, sentence ${l.sentence}` : ''}`;
}

const STATUS_TONE: Record<string, 'neutral' | 'info' | 'success'> = { draft: 'neutral', 'in review': 'info', approved: 'success' };
const STATE_TONE: Record<FigureState, 'success' | 'danger' | 'warning' | 'neutral'> = { fresh: 'warning', approved: 'success', stale: 'danger', unapproved: 'warning', error: 'danger' };

export default function ReviewScreen(props: { route: ReviewRoute }) {
  const { navigate } = useNav();
  const reports = useRequest('reports.list', {});
  const list = reports.data?.reports ?? [];
  const reportId = props.route.reportId ?? list[0]?.id;
  const tab: ReviewTab = props.route.tab ?? 'checks';
  const go = (patch: Partial<ReviewRoute>) => navigate({ ...props.route, ...patch, screen: 'review' });

  return (
    <div className="page page--wide">
      <PageHeader
        title="Review"
        description="Sign-off, publication checks and the evidence behind every claim. A figure that changed after its section was approved shows as changed until it is approved again."
        actions={
          list.length > 0 ? (
            <label className="filters__item">
              <span className="filters__label">Report</span>
              <select className="select" value={reportId ?? ''} onChange={(e) => go({ reportId: e.target.value })}>
                {list.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.title}
                  </option>
                ))}
              </select>
            </label>
          ) : undefined
        }
      />
      {reports.status === 'error' && <ErrorNotice error={reports.error} onRetry={reports.reload} />}
      {reports.status === 'loading' && !reports.data && <LoadingBlock />}
      {reports.status === 'ready' && !reportId && <EmptyState title="No reports yet">Create a report first; its review appears here.</EmptyState>}
      {reportId && <ReviewCopyButton reportId={reportId} />}
      {reportId && <ReportReview reportId={reportId} tab={tab} onTab={(t) => go({ tab: t })} />}
    </div>
  );
}

/** The Word review copy, for reviewers who work in Word: each figure and citation carries a comment. */
function ReviewCopyButton(props: { reportId: string }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const r = await call('review.copy', { reportId: props.reportId });
      toast(`Review copy written with ${plural(r.comments, 'comment')}: ${r.path}`, 'success');
    } catch (e) {
      toast(toIpcError(e).message, 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="toolbar">
      <button type="button" className="btn btn--secondary" disabled={busy} onClick={() => void run()}>
        {busy ? 'Writing the review copy…' : 'Word review copy'}
      </button>
      <span className="list__meta">The internal edition, with a comment on every figure and citation giving its source, sign-off and evidence, and each open comment on its passage.</span>
    </div>
  );
}

function ReportReview(props: { reportId: string; tab: ReviewTab; onTab: (t: ReviewTab) => void }) {
  const checks = useRequest('review.checks', { reportId: props.reportId });
  const data = checks.data;
  const changedSections = data?.sections.filter((s) => s.changedSinceApproval).length ?? 0;
  return (
    <div className="panel-stack">
      {checks.status === 'error' && <ErrorNotice error={checks.error} onRetry={checks.reload} />}
      {!data && checks.status === 'loading' && <LoadingBlock label="Checking the report" />}
      {data && (
        <>
          <PublicationSummary data={data} />
          <SectionsTable sections={data.sections} />
          <ApprovalRules />
        </>
      )}
      <Tabs
        label="Review"
        idPrefix="review"
        value={props.tab}
        onChange={props.onTab}
        tabs={[
          { id: 'checks', label: 'Checks', ...(data ? { count: data.problems.length } : {}) },
          { id: 'ledger', label: 'Citation ledger' },
          { id: 'changed', label: 'What changed', ...(data ? { count: changedSections } : {}) },
          { id: 'comments', label: 'Comments' },
          { id: 'evidence', label: 'Evidence register' },
          { id: 'audit', label: 'Audit log' },
        ]}
      />
      <div id="review-panel" role="tabpanel" aria-labelledby={`review-tab-${props.tab}`} className="tabpanel">
        {props.tab === 'checks' && data && <ChecksList problems={data.problems} />}
        {props.tab === 'ledger' && <Ledger reportId={props.reportId} />}
        {props.tab === 'changed' && <WhatChanged reportId={props.reportId} />}
        {props.tab === 'comments' && data && <Comments reportId={props.reportId} sections={data.sections} />}
        {props.tab === 'evidence' && <EvidenceRegister />}
        {props.tab === 'audit' && <AuditLog />}
      </div>
    </div>
  );
}

function PublicationSummary(props: { data: Checks }) {
  const d = props.data;
  return (
    <div className={`notice${d.blocking ? ' notice--error' : ''}`} role="status" data-testid="publication-summary">
      {d.blocking ? (
        <strong>
          {plural(d.blocking, 'problem')} block{d.blocking === 1 ? 's' : ''} publication
        </strong>
      ) : (
        <strong>Nothing blocks publication</strong>
      )}
      {d.warnings > 0 && ` · ${plural(d.warnings, 'warning')}`} · checked {formatDateTime(d.checkedAt)} for the {d.audience} edition
    </div>
  );
}

function SectionsTable(props: { sections: Section[] }) {
  const toast = useToast();
  const [busy, setBusy] = useState<string | null>(null);
  // Approving asks first (ApproveDialog); the other moves happen at once.
  const [approving, setApproving] = useState<Section | null>(null);
  const set = async (s: Section, status: Section['status']) => {
    if (status === 'approved') {
      setApproving(s);
      return;
    }
    setBusy(s.id);
    try {
      await call('sections.setStatus', { id: s.id, status });
      toast(status === 'in review' ? `“${s.title}” sent for review` : `“${s.title}” returned to draft`, 'success');
    } catch (e) {
      toast(toIpcError(e).message, 'error');
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="table-wrap">
      <table className="table table--compact" aria-label="Sections and their sign-off">
        <thead>
          <tr>
            <th scope="col">Section</th>
            <th scope="col">Status</th>
            <th scope="col">By</th>
            <th scope="col">Figures</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.sections.map((s) => (
            <tr key={s.id} data-section={s.title}>
              <td className="review-strong">{s.title}</td>
              <td>
                <Tag tone={STATUS_TONE[s.status] ?? 'neutral'}>{s.status}</Tag>{' '}
                {s.changedSinceApproval && (
                  <Tag
                    tone="danger"
                    title={
                      s.approvalRecorded
                        ? 'Its text, citations or figures differ from what was approved: see What changed.'
                        : 'It was approved before approvals recorded the text: approve it again.'
                    }
                  >
                    Changed since approval
                  </Tag>
                )}
              </td>
              <td>
                {s.statusBy && s.status !== 'draft' ? `${s.statusBy}, ${formatDate(s.statusAt, 'short')}` : '–'}
                {s.lastEditedBy && <div className="list__meta">last changed by {s.lastEditedBy}</div>}
              </td>
              <td>
                {s.figures}
                {s.staleFigures > 0 && ` (${s.staleFigures} changed)`}
              </td>
              <td className="table__actions">
                {s.status === 'draft' && (
                  <button type="button" className="btn btn--small btn--secondary" disabled={busy === s.id} onClick={() => void set(s, 'in review')}>
                    Send for review
                  </button>
                )}
                {(s.status === 'in review' || s.changedSinceApproval) && (
                  <button type="button" className="btn btn--small btn--primary" disabled={busy === s.id} onClick={() => void set(s, 'approved')}>
                    {s.changedSinceApproval ? 'Re-approve' : 'Approve'}
                  </button>
                )}
                {s.status !== 'draft' && (
                  <button type="button" className="btn btn--small btn--ghost" disabled={busy === s.id} onClick={() => void set(s, 'draft')}>
                    Return to draft
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {approving && <ApproveDialog sectionId={approving.id} onClose={() => setApproving(null)} />}
    </div>
  );
}

/**
 * The workspace's approval rule, for administrators: by default a person cannot approve a section whose last change is
 * theirs. Allowing it is a deliberate, recorded choice (the audit log names who changed it and when).
 */
function ApprovalRules() {
  const settings = useRequest('review.settings', {});
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const allowed = settings.data?.selfApproval === 'allowed';
  const change = async (allow: boolean) => {
    setConfirming(false);
    setBusy(true);
    try {
      await call('review.setSelfApproval', { selfApproval: allow ? 'allowed' : 'refused' });
      toast(allow ? 'Self-approval allowed for this workspace (recorded in the audit log)' : 'Self-approval refused: approval needs a second person', 'success');
    } catch (e) {
      toast(toIpcError(e).message, 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="review-rules" aria-labelledby="approval-rules-head" data-testid="approval-rules">
      <h2 id="approval-rules-head" className="review-rules__head">
        Approval rules <Tag tone="accent">administrators</Tag>
      </h2>
      <label className="check">
        <input
          type="checkbox"
          checked={allowed}
          disabled={busy || !settings.data}
          onChange={(e) => (e.target.checked ? setConfirming(true) : void change(false))}
        />{' '}
        Allow self-approval: a person may approve a section whose last change is theirs
      </label>
      <span className="list__meta">
        {allowed ? 'Allowed: one person can write and approve a section.' : 'Refused (the default): approval needs someone other than the last editor.'} Changes
        are recorded in the audit log.
      </span>
      {confirming && (
        <Dialog
          title="Allow self-approval?"
          onClose={() => setConfirming(false)}
          size="small"
          footer={
            <>
              <button type="button" className="btn btn--secondary" onClick={() => setConfirming(false)}>
                Cancel
              </button>
              <button type="button" className="btn btn--primary" onClick={() => void change(true)}>
                Allow self-approval
              </button>
            </>
          }
        >
          <p>
            Anyone will be able to approve a section whose last change is theirs: approval will no longer need a second person. The change is recorded in the
            audit log with your name.
          </p>
        </Dialog>
      )}
    </section>
  );
}

function ChecksList(props: { problems: Problem[] }) {
  if (!props.problems.length) return <EmptyState title="No problems found">Every check passed.</EmptyState>;
  return (
    <div className="panel-stack">
      {(['blocking', 'warning'] as const).map((sev) => {
        const ps = props.problems.filter((p) => p.severity === sev);
        if (!ps.length) return null;
        return (
          <section key={sev} aria-label={sev === 'blocking' ? 'Blocking problems' : 'Warnings'}>
            <h2 className="detail__section-head">
              {sev === 'blocking' ? 'Blocking' : 'Warnings'} ({ps.length})
            </h2>
            <ul className="list" data-testid={`checks-${sev}`}>
              {ps.map((p, i) => (
                <li key={i} className="list__item review-problem" data-code={p.code}>
                  <Tag tone={sev === 'blocking' ? 'danger' : 'warning'}>{p.code.replace(/-/g, ' ')}</Tag>
                  <div>
                    <div className="review-problem__message">{p.message}</div>
                    {p.location && <div className="list__meta">{where(p.location)}</div>}
                  </div>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

function Ledger(props: { reportId: string }) {
  const [maxAge, setMaxAge] = useState(730);
  const ledger = useRequest('review.ledger', { reportId: props.reportId, maxEvidenceAgeDays: maxAge });
  const [only, setOnly] = useState<'all' | 'flagged'>('all');
  if (ledger.status === 'error') return <ErrorNotice error={ledger.error} onRetry={ledger.reload} />;
  if (!ledger.data) return <LoadingBlock label="Reading the claims" />;
  const d = ledger.data;
  const claims = only === 'flagged' ? d.claims.filter((c) => c.flags.length) : d.claims;
  return (
    <div className="panel-stack">
      <div className="toolbar">
        <p>
          {plural(d.counts.claims, 'claim')}: {d.counts.noEvidence} without evidence, {d.counts.unverified} resting on unverified evidence, {d.counts.old} on evidence older
          than {maxAge} days.
        </p>
        <label className="filters__item">
          <span className="filters__label">Evidence older than (days)</span>
          <input className="input" type="number" min={1} value={maxAge} onChange={(e) => setMaxAge(Math.max(1, Number(e.target.value) || 1))} />
        </label>
        <label className="filters__item">
          <span className="filters__label">Show</span>
          <select className="select" value={only} onChange={(e) => setOnly(e.target.value as 'all' | 'flagged')}>
            <option value="all">All claims</option>
            <option value="flagged">Flagged claims</option>
          </select>
        </label>
      </div>
      <div className="table-wrap table-wrap--scroll">
        <table className="table table--compact" aria-label="Citation ledger" data-testid="ledger">
          <thead>
            <tr>
              <th scope="col">Where</th>
              <th scope="col">Claim</th>
              <th scope="col">Figures</th>
              <th scope="col">Evidence</th>
              <th scope="col">Flags</th>
            </tr>
          </thead>
          <tbody>
            {claims.map((c) => (
              <tr key={c.id}>
                <td>{where(c.location)}</td>
                <td>{c.text}</td>
                <td>
                  {c.figures.map((f, i) => (
                    <div key={i} className="review-figure-line">
                      <Tag tone={STATE_TONE[f.state] ?? 'neutral'} title={f.state}>
                        {f.shown}
                      </Tag>{' '}
                      {f.slug}
                    </div>
                  ))}
                </td>
                <td>
                  {c.evidence.map((e) => (
                    <div key={e.id}>
                      {e.title} <SensitivityTag sensitivity={e.sensitivity || 'public'} /> {e.verifiedAt ? <Tag tone="success">verified</Tag> : <Tag tone="warning">unverified</Tag>}
                      {e.collectedOn && <span className="list__meta"> {formatDate(e.collectedOn, 'short')}</span>}
                    </div>
                  ))}
                  {c.findings.map((f) => (
                    <div key={f.id} className="list__meta">
                      Finding ({f.status}): {f.text}
                    </div>
                  ))}
                </td>
                <td>
                  {c.flags.map((f) => (
                    <Tag key={f} tone={f === 'no-evidence' || f === 'missing' ? 'danger' : 'warning'}>
                      {f.replace('-', ' ')}
                    </Tag>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function WhatChanged(props: { reportId: string }) {
  const changed = useRequest('review.whatChanged', { reportId: props.reportId });
  if (changed.status === 'error') return <ErrorNotice error={changed.error} onRetry={changed.reload} />;
  if (!changed.data) return <LoadingBlock />;
  if (!changed.data.sections.length)
    return <EmptyState title="Nothing has changed since approval">Every approved section still reads as it did when it was signed off.</EmptyState>;
  return (
    <div className="panel-stack" data-testid="what-changed">
      {changed.data.sections.map((s) => (
        <section key={s.sectionId} aria-label={s.sectionTitle} className="review-changed">
          <h2 className="detail__section-head">{s.sectionTitle}</h2>
          <p className="list__meta">
            {s.approvedBy ? `Approved by ${s.approvedBy}, ${formatDateTime(s.approvedAt)}. ` : ''}Changed since: {s.summary}.
          </p>
          {!s.recorded && (
            <div className="notice" role="note">
              This section was approved before approvals recorded a section’s text and citations, so what it signed off is not known. Approve it again to sign off
              its whole content.
            </div>
          )}
          {s.changes && <SectionChanges changes={s.changes} />}
          {s.figures.length > 0 && (
            <table className="table table--compact" aria-label={`Figures with a new value in ${s.sectionTitle}`}>
              <thead>
                <tr>
                  <th scope="col">Figure</th>
                  <th scope="col">Approved</th>
                  <th scope="col">Now</th>
                  <th scope="col">What changed</th>
                  <th scope="col">Approved by</th>
                </tr>
              </thead>
              <tbody>
                {s.figures.map((f, i) => (
                  <tr key={i}>
                    <td>
                      <span className="review-strong">
                        {f.name}
                        {f.part ? ` (${f.part})` : ''}
                      </span>
                      <div className="list__meta">{where(f.location)}</div>
                    </td>
                    <td>{f.approved?.shown ?? '–'}</td>
                    <td>
                      <strong>{f.shown}</strong>
                    </td>
                    <td className="list__meta">{f.change}</td>
                    <td>{f.approved ? `${f.approved.by}, ${formatDateTime(f.approved.at)}` : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </div>
  );
}

/** A comment's text with its mentions shown as names. */
function CommentText(props: { text: string; people: string[] }) {
  return (
    <>
      {mentionRuns(props.text, props.people).map((r, i) => (r.mention ? <strong key={i}>{r.text}</strong> : <span key={i}>{r.text}</span>))}
    </>
  );
}

function Comments(props: { reportId: string; sections: Section[] }) {
  const [filter, setFilter] = useState<CommentFilter>('open');
  const all = useRequest('comments.list', { reportId: props.reportId, includeResolved: true });
  const who = useRequest('comments.people', {});
  const people = who.data?.people ?? [];
  const shown = all.data ? filterThreads(all.data.threads, filter, who.data?.me ?? null) : undefined;
  const threads = { ...all, data: shown ? { threads: shown } : undefined };
  const { navigate } = useNav();
  const toast = useToast();
  const [sectionId, setSectionId] = useState(props.sections[0]?.id ?? '');
  const [quote, setQuote] = useState('');
  const [body, setBody] = useState('');
  const [replies, setReplies] = useState<Record<string, string>>({});
  useEffect(() => {
    if (!sectionId && props.sections[0]) setSectionId(props.sections[0].id);
  }, [props.sections, sectionId]);
  const run = async (f: () => Promise<unknown>, done: string) => {
    try {
      await f();
      toast(done, 'success');
      return true;
    } catch (e) {
      toast(toIpcError(e).message, 'error');
      return false;
    }
  };
  return (
    <div className="grid-2">
      <div className="panel-stack">
        {threads.status === 'error' && <ErrorNotice error={threads.error} onRetry={threads.reload} />}
        <div className="review-comment-filters" role="group" aria-label="Show comments">
          {COMMENT_FILTERS.map((f) => (
            <button key={f.id} type="button" className={`btn btn--small ${filter === f.id ? 'btn--secondary' : 'btn--ghost'}`} aria-pressed={filter === f.id} onClick={() => setFilter(f.id)}>
              {f.label}
            </button>
          ))}
        </div>
        {threads.data && !threads.data.threads.length && <EmptyState title={filter === 'all' ? 'No comments' : filter === 'mine' ? 'No open comments by you or mentioning you' : 'No open comments'} />}
        <ul className="list" data-testid="comment-threads">
          {threads.data?.threads.map((t) => (
            <li key={t.id} className="list__item">
              <div className="list__meta">
                {t.sectionTitle} · {t.author},{' '}
                <time dateTime={t.createdAt} title={formatDateTime(t.createdAt)}>
                  {formatRelative(t.createdAt)}
                </time>{' '}
                {t.resolvedAt && <Tag tone="success">resolved by {t.resolvedBy}</Tag>}
                {t.place === 'detached' && <Tag tone="warning">detached: its passage is no longer in the text</Tag>}
              </div>
              {t.passage && <blockquote className="finding__text">“{t.passage}”</blockquote>}
              <p>
                <CommentText text={t.body} people={people} />
              </p>
              {t.replies.map((r) => (
                <p key={r.id} className="list__meta">
                  <strong>{r.author}</strong>{' '}
                  <time dateTime={r.createdAt} title={formatDateTime(r.createdAt)}>
                    ({formatRelative(r.createdAt)})
                  </time>
                  : <CommentText text={r.body} people={people} />
                </p>
              ))}
              <form
                className="toolbar"
                onSubmit={(e) => {
                  e.preventDefault();
                  const text = replies[t.id]?.trim();
                  if (text) void run(() => call('comments.reply', { parentId: t.id, body: text }), 'Reply added').then((ok) => ok && setReplies((r) => ({ ...r, [t.id]: '' })));
                }}
              >
                <label className="visually-hidden" htmlFor={`reply-${t.id}`}>
                  Reply
                </label>
                <input id={`reply-${t.id}`} className="input" placeholder="Reply" value={replies[t.id] ?? ''} onChange={(e) => setReplies((r) => ({ ...r, [t.id]: e.target.value }))} />
                <button type="submit" className="btn btn--small btn--secondary">
                  Reply
                </button>
                <button
                  type="button"
                  className="btn btn--small btn--ghost"
                  onClick={() => void run(() => call('comments.resolve', { id: t.id, resolved: !t.resolvedAt }), t.resolvedAt ? 'Comment reopened' : 'Comment resolved')}
                >
                  {t.resolvedAt ? 'Reopen' : 'Resolve'}
                </button>
                <button
                  type="button"
                  className="btn btn--small btn--ghost"
                  onClick={() => navigate({ screen: 'reports', reportId: props.reportId, sectionId: t.sectionId, commentId: t.id })}
                >
                  Open in the editor<span className="visually-hidden">: {t.sectionTitle}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      </div>
      <form
        className="card panel-stack review-comment-form"
        aria-label="New comment"
        onSubmit={(e) => {
          e.preventDefault();
          if (!body.trim()) return;
          void run(() => call('comments.add', { sectionId, body, quote: quote.trim() || null }), 'Comment added').then((ok) => {
            if (ok) {
              setBody('');
              setQuote('');
            }
          });
        }}
      >
        <h2 className="card__title">New comment</h2>
        <p className="list__meta">
          In the editor, select the words and choose Comment to put a comment on them. A comment made here on words typed
          below is put on them when the section is next opened, if they appear in it once.
        </p>
        <label className="field">
          <span className="field__label">Section</span>
          <select className="select" value={sectionId} onChange={(e) => setSectionId(e.target.value)}>
            {props.sections.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">Text commented on (optional)</span>
          <input className="input" value={quote} onChange={(e) => setQuote(e.target.value)} />
        </label>
        <label className="field">
          <span className="field__label">Comment</span>
          <textarea className="textarea" rows={4} value={body} onChange={(e) => setBody(e.target.value)} />
        </label>
        <div>
          <button type="submit" className="btn btn--primary" disabled={!body.trim() || !sectionId}>
            Add comment
          </button>
        </div>
      </form>
    </div>
  );
}

const KINDS = ['document', 'interview', 'observation', 'dataset', 'survey', 'case file', 'meeting notes'];
const SENSITIVITIES = ['public', 'official', 'official-sensitive', 'personal'];

/** The register filtered every way a reviewer asks, and for one source, everything that rests on it. */
function EvidenceRegister() {
  const [kind, setKind] = useState('');
  const [sensitivity, setSensitivity] = useState('');
  const [verified, setVerified] = useState<'' | 'yes' | 'no'>('');
  const [collectedBy, setCollectedBy] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const register = useRequest(
    'evidence.register',
    {
      ...(kind ? { kind: [kind] } : {}),
      ...(sensitivity ? { sensitivity: [sensitivity] } : {}),
      ...(verified ? { verified: verified === 'yes' } : {}),
      ...(collectedBy.trim() ? { collectedBy: collectedBy.trim() } : {}),
      ...(/^\d{4}-\d{2}-\d{2}$/.test(from) ? { from } : {}),
      ...(/^\d{4}-\d{2}-\d{2}$/.test(to) ? { to } : {}),
    },
  );
  return (
    <div className="panel-stack">
      <form className="filters filters--inline" role="search" aria-label="Filter the evidence register" onSubmit={(e) => e.preventDefault()}>
        <label className="filters__item">
          <span className="filters__label">Kind</span>
          <select className="select" value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">Any kind</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label className="filters__item">
          <span className="filters__label">Sensitivity</span>
          <select className="select" value={sensitivity} onChange={(e) => setSensitivity(e.target.value)}>
            <option value="">Any</option>
            {SENSITIVITIES.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label className="filters__item">
          <span className="filters__label">Verified</span>
          <select className="select" value={verified} onChange={(e) => setVerified(e.target.value as '' | 'yes' | 'no')}>
            <option value="">Either</option>
            <option value="yes">Verified</option>
            <option value="no">Not verified</option>
          </select>
        </label>
        <label className="filters__item">
          <span className="filters__label">Collected by</span>
          <input className="input" value={collectedBy} onChange={(e) => setCollectedBy(e.target.value)} />
        </label>
        <label className="filters__item">
          <span className="filters__label">Collected from</span>
          <input className="input input--date" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="filters__item">
          <span className="filters__label">to</span>
          <input className="input input--date" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </form>
      {register.status === 'error' && <ErrorNotice error={register.error} onRetry={register.reload} />}
      {register.data && (
        <div className="table-wrap table-wrap--scroll">
          <table className="table table--compact" aria-label="Evidence register" data-testid="evidence-register">
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Kind</th>
                <th scope="col">Collected</th>
                <th scope="col">Sensitivity</th>
                <th scope="col">Verified</th>
                <th scope="col">Linked findings and figures</th>
              </tr>
            </thead>
            <tbody>
              {register.data.rows.map((e) => (
                <tr key={e.id} aria-selected={selected === e.id}>
                  <td>
                    <button type="button" className="link-btn" onClick={() => setSelected(selected === e.id ? null : e.id)} aria-expanded={selected === e.id}>
                      {e.title}
                    </button>
                    {e.attachmentName && <div className="list__meta">{e.attachmentName}</div>}
                  </td>
                  <td>{e.kind}</td>
                  <td>
                    {formatDate(e.collectedOn, 'short')}
                    {e.collectedBy && <div className="list__meta">{e.collectedBy}</div>}
                  </td>
                  <td>
                    <SensitivityTag sensitivity={e.sensitivity} />
                  </td>
                  <td>{e.verifiedAt ? `${e.verifiedBy ?? ''}, ${formatDate(e.verifiedAt, 'short')}` : <Tag tone="warning">not verified</Tag>}</td>
                  <td>
                    {plural(e.findings, 'finding')}, {plural(e.figures, 'figure')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="list__meta">
            {register.data.rows.length} of {plural(register.data.total, 'source')}.
          </p>
        </div>
      )}
      {selected && <CitedBy id={selected} />}
    </div>
  );
}

function CitedBy(props: { id: string }) {
  const cited = useRequest('evidence.citedBy', { id: props.id });
  if (cited.status === 'error') return <ErrorNotice error={cited.error} onRetry={cited.reload} />;
  if (!cited.data) return <LoadingBlock />;
  const d = cited.data;
  return (
    <section className="card review-comment-form" aria-label="What rests on this evidence" data-testid="cited-by">
      <h2 className="card__title">What rests on this evidence</h2>
      {!d.sentences.length && !d.findings.length && !d.figures.length && <p>Nothing cites it yet.</p>}
      {d.sentences.length > 0 && (
        <>
          <h3 className="detail__section-head">Sentences in reports</h3>
          <ul className="list">
            {d.sentences.map((s, i) => (
              <li key={i} className="list__item">
                {s.text}
                <div className="list__meta">
                  {s.reportTitle} · {s.sectionTitle}, paragraph {s.paragraph}, sentence {s.sentence}
                  {s.locator ? ` · ${s.locator}` : ''}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      {d.findings.length > 0 && (
        <>
          <h3 className="detail__section-head">Findings</h3>
          <ul className="list">
            {d.findings.map((f) => (
              <li key={f.id} className="list__item">
                {f.text}
                <div className="list__meta">
                  {f.subjectType} · {f.status}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      {d.figures.length > 0 && (
        <>
          <h3 className="detail__section-head">Figures</h3>
          <ul className="list">
            {d.figures.map((f) => (
              <li key={f.id} className="list__item">
                {f.name} <span className="list__meta">({f.slug})</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function AuditLog() {
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [search, setSearch] = useState('');
  const filters = { ...(actor.trim() ? { actor: actor.trim() } : {}), ...(action.trim() ? { action: action.trim() } : {}), ...(search.trim() ? { search: search.trim() } : {}) };
  const log = useRequest('audit.list', { ...filters, limit: 200 });
  const toast = useToast();
  const exportCsv = async () => {
    try {
      const r = await call('audit.exportCsv', filters);
      toast(`Exported ${plural(r.rows, 'entry', 'entries')} to ${r.path}`, 'success');
    } catch (e) {
      toast(toIpcError(e).message, 'error');
    }
  };
  return (
    <div className="panel-stack">
      <form className="filters filters--inline" role="search" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
        <label className="filters__item">
          <span className="filters__label">Who</span>
          <input className="input" value={actor} onChange={(e) => setActor(e.target.value)} />
        </label>
        <label className="filters__item">
          <span className="filters__label">Action (e.g. section.)</span>
          <input className="input" value={action} onChange={(e) => setAction(e.target.value)} />
        </label>
        <label className="filters__item">
          <span className="filters__label">Search</span>
          <input className="input" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <button type="button" className="btn btn--secondary" onClick={() => void exportCsv()}>
          Export CSV
        </button>
      </form>
      {log.status === 'error' && <ErrorNotice error={log.error} onRetry={log.reload} />}
      {log.data && (
        <div className="table-wrap table-wrap--scroll">
          <table className="table table--compact" aria-label="Audit log" data-testid="audit-log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Record</th>
                <th scope="col">Before → after</th>
              </tr>
            </thead>
            <tbody>
              {log.data.rows.map((r) => (
                <tr key={r.id}>
                  <td>{formatDateTime(r.at)}</td>
                  <td>{r.actor}</td>
                  <td>{r.action}</td>
                  <td>
                    {r.table} {r.recordId}
                  </td>
                  <td className="list__meta">{changeSummary(r.before, r.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="list__meta">
            {log.data.rows.length} of {plural(log.data.total, 'entry', 'entries')}, newest first.
          </p>
        </div>
      )}
    </div>
  );
}

/** The fields that differ between before and after, briefly: what a reviewer scans the log for. */
function changeSummary(before: unknown, after: unknown): string {
  const b = before && typeof before === 'object' ? (before as Record<string, unknown>) : null;
  const a = after && typeof after === 'object' ? (after as Record<string, unknown>) : null;
  if (b && a) {
    const keys = Object.keys(a).filter((k) => k !== 'updated_at' && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    return keys
      .slice(0, 4)
      .map((k) => `${k}: ${short(b[k])} → ${short(a[k])}`)
      .join('; ');
  }
  if (a) return `added ${short(a.title ?? a.name ?? a.body ?? a.rating ?? '')}`;
  if (b) return `removed ${short(b.title ?? b.name ?? '')}`;
  return '';
}

function short(v: unknown): string {
  const s = v === null || v === undefined ? '–' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
}
