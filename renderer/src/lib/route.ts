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
      /** A comment to show in the editor, at its passage (from the Review screen or the activity list). */
      commentId?: string;
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

// Deep links ------------------------------------------------------------------------------------------------------------
const DATA_TABS: readonly DataTab[] = ['locations', 'providers', 'inspections', 'areaReviews', 'findings', 'evidence', 'conflicts'];
type ReviewTab = NonNullable<Extract<Route, { screen: 'review' }>['tab']>;
const REVIEW_TABS: readonly ReviewTab[] = ['checks', 'ledger', 'changed', 'comments', 'evidence', 'audit'];
/** The word in a report's address before its section: a word of the address, not anything stored. */
type SectionSegment = 'sections';
const SECTION_SEGMENT: SectionSegment = 'sections';
const seg = (s: string) => encodeURIComponent(s);

/**
 * The address of a screen, as the fragment of the page's URL: `#/reports/<report>/sections/<section>`,
 * `#/data/locations/<location>`, `#/figures/<figure>`, `#/review/<report>/<tab>`. It names only what a person would
 * link to (a report, a section, a record, a tab); what a screen is doing (a dialog open, a form half filled) is not
 * part of it. A reload, Back, or the link opened again comes back to the same place.
 */
export function routeToHash(r: Route): string {
  switch (r.screen) {
    case 'home':
      return '#/';
    case 'data': {
      const tab = r.tab ?? 'locations';
      if (r.assessmentId) return `#/data/inspections/${seg(r.assessmentId)}`;
      if (r.locationId) return `#/data/locations/${seg(r.locationId)}`;
      return `#/data/${tab}`;
    }
    case 'reports':
      return r.reportId ? `#/reports/${seg(r.reportId)}${r.sectionId ? `/${SECTION_SEGMENT}/${seg(r.sectionId)}` : ''}` : '#/reports';
    case 'figures':
      return r.figureId ? `#/figures/${seg(r.figureId)}` : '#/figures';
    case 'evidence':
      return '#/evidence';
    case 'review':
      return r.reportId ? `#/review/${seg(r.reportId)}${r.tab ? `/${r.tab}` : ''}` : '#/review';
  }
}

/** The screen a fragment names, or undefined when it names none this version knows (it is then ignored). */
export function routeFromHash(hash: string): Route | undefined {
  if (!hash.startsWith('#/')) return undefined;
  let parts: string[];
  try {
    parts = hash.slice(2).split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [first, a, b, c] = parts;
  const screen = first as Route['screen'] | undefined;
  switch (screen) {
    case undefined:
      return { screen: 'home' };
    case 'data': {
      if (a !== undefined && !(DATA_TABS as readonly string[]).includes(a)) return undefined;
      const tab = (a ?? 'locations') as DataTab;
      if (b !== undefined && tab === 'locations') return { screen: 'data', tab, locationId: b };
      if (b !== undefined && tab === 'inspections') return { screen: 'data', tab, assessmentId: b };
      return { screen: 'data', tab };
    }
    case 'reports':
      if (a === undefined) return { screen: 'reports' };
      return b === SECTION_SEGMENT && c ? { screen: 'reports', reportId: a, sectionId: c } : { screen: 'reports', reportId: a };
    case 'figures':
      return a === undefined ? { screen: 'figures' } : { screen: 'figures', figureId: a };
    case 'evidence':
      return { screen: 'evidence' };
    case 'review': {
      if (a === undefined) return { screen: 'review' };
      const tab = (REVIEW_TABS as readonly string[]).includes(b ?? '') ? (b as ReviewTab) : undefined;
      return { screen: 'review', reportId: a, ...(tab ? { tab } : {}) };
    }
    default:
      return undefined;
  }
}
