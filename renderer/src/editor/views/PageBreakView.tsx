import { memo } from 'react';
import { useIsSelected, useServices } from '../store';
import { useSelectNode } from './useSelectNode';

export const PageBreakView = memo(function PageBreakView({ nodeKey }: { nodeKey: string }) {
  const services = useServices();
  const selected = useIsSelected(services, nodeKey);
  const select = useSelectNode(nodeKey);
  return (
    <div className={`pagebreak${selected ? ' pagebreak--selected' : ''}`} role="separator" aria-label="Page break" onMouseDown={select}>
      <span className="pagebreak__label">Page break</span>
    </div>
  );
});
