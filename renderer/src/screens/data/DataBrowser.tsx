import { useState } from 'react';
import { countOf, type Counted } from '../../../../shared/ipc/tables';
import { useRequest } from '../../lib/api';
import { useNav, type DataTab, type Route } from '../../lib/route';
import { Icon, PageHeader } from '../../ui/bits';
import { useImportWizard } from '../../lib/import-wizard';
import { Tabs } from '../../ui/Tabs';
import { EvidencePanel } from '../evidence/EvidencePanel';
import { FindingsPanel } from './Findings';
import { LocationDetail } from './LocationDetail';
import { LocationsPanel } from './LocationsPanel';
import { AreaReviewsPanel, InspectionsPanel, ProvidersPanel } from './SimplePanels';
import { AssessmentScreen } from './Assessments';
import { ConflictsPanel } from '../merge/ConflictsPanel';
import { useTransfer } from '../../lib/transfer';

const TABS: { id: DataTab; label: string; count: Counted }[] = [
  { id: 'locations', label: 'Locations', count: 'locations' },
  { id: 'providers', label: 'Providers', count: 'providers' },
  { id: 'inspections', label: 'Inspections', count: 'inspections' },
  { id: 'areaReviews', label: 'Area reviews', count: 'areaReviews' },
  { id: 'findings', label: 'Findings', count: 'findings' },
  { id: 'evidence', label: 'Evidence', count: 'evidence' },
  { id: 'conflicts', label: 'Conflicts', count: 'conflicts' },
];

export default function DataBrowser(props: { route: Extract<Route, { screen: 'data' }> }) {
  const { navigate } = useNav();
  const importWizard = useImportWizard();
  const transfer = useTransfer();
  const tab = props.route.tab ?? 'locations';
  const info = useRequest('workspace.info', {});
  const [areaReviewId, setAreaReviewId] = useState<string>();
  const go = (patch: Partial<Extract<Route, { screen: 'data' }>>) => navigate({ ...props.route, ...patch, screen: 'data' });
  const counts = info.data?.counts ?? {};

  return (
    <div className={`page page--wide${tab === 'locations' ? ' page--fill' : ''}`}>
      <PageHeader
        title="Data"
        description="Registrations, ratings with their history, inspections, area reviews, findings and evidence in this workspace."
        actions={
          <>
            <button type="button" className="btn btn--secondary" onClick={transfer.exportForInspector}>
              Export for inspector
            </button>
            <button type="button" className="btn btn--secondary" onClick={transfer.bringIn}>
              Bring in a workspace
            </button>
            <button type="button" className="btn btn--secondary" onClick={importWizard.open}>
              <Icon name="import" size={16} /> Import data
            </button>
          </>
        }
      />
      <Tabs
        label="Kinds of data"
        idPrefix="data"
        value={tab}
        onChange={(t) => go({ tab: t, locationId: undefined, assessmentId: undefined })}
        // Conflicts show once a merge has listed any (their count is of every conflict ever listed, resolved or not).
        tabs={TABS.filter((t) => t.id !== 'conflicts' || tab === 'conflicts' || (countOf(counts, 'conflicts') ?? 0) > 0).map((t) => ({
          id: t.id,
          label: t.label,
          ...(t.id === 'conflicts' ? {} : { count: countOf(counts, t.count) }),
        }))}
      />
      <div id="data-panel" role="tabpanel" aria-labelledby={`data-tab-${tab}`} className={`tabpanel${tab === 'locations' ? ' tabpanel--fill' : ''}`}>
        {tab === 'locations' && (
          <div className={`split${props.route.locationId ? ' split--open' : ''}`}>
            <LocationsPanel
              selectedId={props.route.locationId}
              onSelect={(id) => go({ locationId: id })}
              providerId={props.route.providerId}
              providerName={props.route.providerName}
              onClearProvider={() => go({ providerId: undefined, providerName: undefined })}
            />
            {props.route.locationId && (
              <LocationDetail
                key={props.route.locationId}
                id={props.route.locationId}
                onClose={() => go({ locationId: undefined })}
                onOpenAssessment={(id) => go({ tab: 'inspections', assessmentId: id, locationId: undefined })}
              />
            )}
          </div>
        )}
        {tab === 'providers' && <ProvidersPanel onShowLocations={(id, name) => go({ tab: 'locations', providerId: id, providerName: name, locationId: undefined })} />}
        {tab === 'inspections' &&
          (props.route.assessmentId ? (
            <AssessmentScreen
              key={props.route.assessmentId}
              id={props.route.assessmentId}
              onBack={() => go({ assessmentId: undefined })}
              onOpenLocation={(id) => go({ tab: 'locations', locationId: id, assessmentId: undefined })}
            />
          ) : (
            <InspectionsPanel onOpenLocation={(id) => go({ tab: 'locations', locationId: id })} onOpenAssessment={(id) => go({ assessmentId: id })} />
          ))}
        {tab === 'areaReviews' && (
          <AreaReviewsPanel
            onShowFindings={(id) => {
              setAreaReviewId(id);
              go({ tab: 'findings' });
            }}
          />
        )}
        {tab === 'findings' && <FindingsPanel areaReviewId={areaReviewId} onClearAreaReview={() => setAreaReviewId(undefined)} />}
        {tab === 'evidence' && <EvidencePanel />}
        {tab === 'conflicts' && <ConflictsPanel />}
      </div>
    </div>
  );
}
