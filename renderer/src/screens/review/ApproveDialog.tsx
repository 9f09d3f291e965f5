import { useState } from 'react';
import type { RequestOutputs } from '../../../../shared/ipc/contract';
import { describeChanges } from '../../../../shared/review/diff';
import { call, toIpcError, useRequest } from '../../lib/api';
import { formatDateTime, plural } from '../../lib/format';
import { Dialog } from '../../ui/Dialog';
import { LoadingBlock, ErrorNotice } from '../../ui/bits';
import { useToast } from '../../ui/Toast';
import { SectionChanges } from './SectionChanges';

/**
 * Approving a section asks first: the dialog names the section, what will be signed off (its figures at their current
 * values, its citations, the text as it stands) and who is approving, and says so when that person may not (they made
 * the last change and the workspace refuses self-approval). The approval is recorded with the name and time.
 */
export function ApproveDialog(props: { sectionId: string; onClose: () => void; onApproved?: (r: RequestOutputs['sections.setStatus']) => void }) {
  const preview = useRequest('sections.approval', { id: props.sectionId });
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [clearRestricted, setClearRestricted] = useState(false);
  const p = preview.data;
  const approve = async () => {
    if (!p) return;
    setBusy(true);
    setError(null);
    try {
      const r = await call('sections.setStatus', { id: p.sectionId, status: 'approved', ...(clearRestricted && p.restricted.length ? { clearRestricted: true } : {}) });
      toast(`“${p.title}” approved by ${r.statusBy}: the text, ${plural(p.citations, 'citation')} and ${plural(r.approvedFigures, 'figure')} signed off`, 'success');
      props.onApproved?.(r);
      props.onClose();
    } catch (e) {
      setError(toIpcError(e).message);
    } finally {
      setBusy(false);
    }
  };
  const refusal = p?.refusal ?? null;
  return (
    <Dialog
      title={p ? `Approve “${p.title}”?` : 'Approve this section?'}
      onClose={props.onClose}
      size="medium"
      footer={
        <>
          <button type="button" className="btn btn--secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn--primary" disabled={!p || busy || !!refusal} onClick={() => void approve()}>
            {busy ? 'Approving…' : 'Approve'}
          </button>
        </>
      }
    >
      {preview.status === 'error' && <ErrorNotice error={preview.error} onRetry={preview.reload} />}
      {!p && preview.status === 'loading' && <LoadingBlock label="Reading the section" />}
      {p && (
        <div className="panel-stack approve-dialog" data-testid="approve-dialog">
          <p>
            You are approving <strong>“{p.title}”</strong> in {p.reportTitle} as <strong data-testid="approver">{p.approver}</strong>. Your approval signs off its
            whole content as it stands now:
          </p>
          <ul className="approve-dialog__covers">
            <li>
              <strong>the text</strong>, {plural(p.words, 'word')}
              {p.excerpt && <blockquote className="approve-dialog__excerpt">{p.excerpt}</blockquote>}
            </li>
            <li>
              <strong>{plural(p.figures, 'figure')}</strong> at the values shown
            </li>
            <li>
              <strong>{plural(p.citations, 'citation')}</strong> of evidence
            </li>
          </ul>
          <p className="list__meta">
            Any later change to the text, citations or figures shows as “changed since approval” until it is approved again. Your name and the time are
            recorded in the audit log.
          </p>
          {p.restricted.length > 0 && (
            <fieldset className="approve-dialog__restricted" data-testid="approve-restricted">
              <legend>
                {p.restricted.length === 1 ? 'One sentence cites' : `${p.restricted.length} sentences cite`} restricted evidence
              </legend>
              <ul>
                {p.restricted.map((r) => (
                  <li key={`${r.paragraph}:${r.sentence}:${r.evidenceId}`}>
                    “{r.text.length > 120 ? `${r.text.slice(0, 117)}…` : r.text}” <span className="list__meta">cites {r.sensitivity} evidence “{r.title}”</span>
                  </li>
                ))}
              </ul>
              <label className="check">
                <input type="checkbox" checked={clearRestricted} onChange={(e) => setClearRestricted(e.target.checked)} />
                <span>I have checked that these sentences disclose nothing from that evidence: clear them for the public edition.</span>
              </label>
              <p className="list__meta">Without this, a public export stays blocked by them; an internal edition may print them.</p>
            </fieldset>
          )}
          {p.lastEditedBy && (
            <p className="list__meta">
              Last changed by {p.lastEditedBy}, {formatDateTime(p.lastEditedAt)}.
            </p>
          )}
          {p.lastApproval && p.lastApproval.changes.changed && (
            <details className="approve-dialog__since">
              <summary>
                Changed since {p.lastApproval.by} approved it on {formatDateTime(p.lastApproval.at)}: {describeChanges(p.lastApproval.changes)}
              </summary>
              <SectionChanges changes={p.lastApproval.changes} context={6} />
            </details>
          )}
          {refusal && (
            <div className="notice notice--error" role="alert" data-testid="approval-refused">
              {refusal}
            </div>
          )}
          {error && (
            <div className="notice notice--error" role="alert" data-testid="approval-error">
              {error}
            </div>
          )}
        </div>
      )}
    </Dialog>
  );
}
