import { memo } from 'react';
import { useCell, useCitationNumber, useIsSelected, useServices } from '../store';
import { useSelectNode } from './useSelectNode';
import { isRestricted, SENSITIVITY_LABELS } from './sensitivity';

/** A superscript citation marker, numbered in order of first citation within the section. */
export const CitationView = memo(function CitationView(props: { nodeKey: string; evidenceId: string; locator: string | undefined }) {
  const { nodeKey, evidenceId, locator } = props;
  const services = useServices();
  const n = useCitationNumber(services, nodeKey);
  const selected = useIsSelected(services, nodeKey);
  const row = useCell(services.evidence).get(evidenceId);
  const select = useSelectNode(nodeKey);
  const restricted = row ? isRestricted(row.sensitivity) : false;
  const description = row
    ? `Evidence: ${row.title}${locator ? `, ${locator}` : ''} (${SENSITIVITY_LABELS[row.sensitivity] ?? row.sensitivity})`
    : `Evidence ${evidenceId}${locator ? `, ${locator}` : ''}`;
  return (
    <span
      className={`cite${restricted ? ' cite--restricted' : ''}${row ? '' : ' cite--missing'}${selected ? ' cite--selected' : ''}`}
      data-evidence-id={evidenceId}
      title={description}
      onMouseDown={select}
    >
      <span aria-hidden="true">[{n ?? '·'}]</span>
      <span className="visually-hidden">{` (citation ${n ?? ''}: ${description})`}</span>
    </span>
  );
});
