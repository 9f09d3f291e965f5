import { createContext, useContext } from 'react';

export type DataTab = 'locations' | 'providers' | 'inspections' | 'areaReviews' | 'findings' | 'evidence' | 'conflicts';

/** Every screen the shell can show. State-based: the route lives in React state and in history.state for Back. */
export type Route =
  | { screen: 'home' }
  | {
      screen: 'data';
      tab?: DataTab;
      locationId?: string;
      providerId?: string;
      providerName?: string;
      /** One inspection or assessment's screen (on the Inspections tab). */
      assessmentId?: string;
    }
  | {
      screen: 'reports';
      reportId?: string;
      /** The section open in the editor: kept in the route (history state), so a reload or Back returns to it. */
      sectionId?: string;
      create?: boolean;
      exportOpen?: boolean;
      /** Bumped by the Export… menu command. */
      exportRequest?: number;
    }
  | { screen: 'figures'; figureId?: string; create?: 'structured' | 'sql' }
  | { screen: 'evidence'; create?: boolean }
  | { screen: 'review'; reportId?: string; tab?: 'checks' | 'ledger' | 'changed' | 'comments' | 'evidence' | 'audit' };

export interface Nav {
  route: Route;
  navigate: (r: Route) => void;
}

export const NavContext = createContext<Nav>({ route: { screen: 'home' }, navigate: () => undefined });
export const useNav = (): Nav => useContext(NavContext);

export interface Session {
  userName: string | null;
  demonstration: boolean;
  workspaceName: string;
  host: 'electron' | 'web';
}
export const SessionContext = createContext<Session>({ userName: null, demonstration: false, workspaceName: '', host: 'web' });
export const useSession = (): Session => useContext(SessionContext);
