import type { Route } from '../../lib/route';
import { PageHeader } from '../../ui/bits';
import { EvidencePanel } from './EvidencePanel';

export default function EvidenceScreen(props: { route: Extract<Route, { screen: 'evidence' }> }) {
  return (
    <div className="page">
      <PageHeader
        title="Evidence"
        description="The register of documents, interviews, observations and data that findings and report text rest on. Restricted evidence never appears in a public export."
      />
      <EvidencePanel startWithForm={props.route.create} />
    </div>
  );
}
