import { describe, expect, it } from 'vitest';
import { routeFromHash, routeToHash, type Route } from './route';

describe('deep links', () => {
  it('names each screen a person would link to, and reads it back the same', () => {
    const routes: Route[] = [
      { screen: 'home' },
      { screen: 'data', tab: 'findings' },
      { screen: 'data', tab: 'locations', locationId: '1-10000792582' },
      { screen: 'data', tab: 'inspections', assessmentId: 'a1b2' },
      { screen: 'data', tab: 'conflicts' },
      { screen: 'reports' },
      { screen: 'reports', reportId: 'r-1' },
      { screen: 'reports', reportId: 'r-1', sectionId: 's/2 with spaces' },
      { screen: 'figures', figureId: 'f-9' },
      { screen: 'evidence' },
      { screen: 'review', reportId: 'r-1', tab: 'comments' },
    ];
    for (const r of routes) expect(routeFromHash(routeToHash(r)), routeToHash(r)).toEqual(r);
    expect(routeToHash({ screen: 'reports', reportId: 'r-1', sectionId: 's/2 with spaces' })).toBe('#/reports/r-1/sections/s%2F2%20with%20spaces');
  });

  it('leaves out what a screen is doing (dialogs, forms), and ignores a fragment it does not know', () => {
    expect(routeToHash({ screen: 'reports', reportId: 'r-1', exportOpen: true, exportRequest: 5 })).toBe('#/reports/r-1');
    expect(routeToHash({ screen: 'figures', create: 'sql' })).toBe('#/figures');
    for (const bad of ['', '#', '#token=abc', '#/nowhere', '#/data/secrets', '#/reports/%E0%A4%A']) expect(routeFromHash(bad), bad).toBeUndefined();
  });
});
