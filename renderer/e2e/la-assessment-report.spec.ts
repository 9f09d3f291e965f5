import { expect, test, type Page } from '@playwright/test';
import { goTo, openAsNewUser, screen } from './support/app';
import { startDemoHost, type TestHost } from './support/host';

let t: TestHost;
test.beforeAll(async () => {
  t = await startDemoHost();
});
test.afterAll(async () => {
  await t?.close();
});

type Assay = Record<string, (input: unknown) => Promise<any>>;

/** A published local authority assessment of the demo that has findings: its title, the council, and a strength with the theme of its statement. */
async function findCouncilAssessment(page: Page): Promise<{ title: string; council: string; finding: string; theme: string }> {
  return page.evaluate(async () => {
    const a = (window as unknown as { assay: Assay }).assay;
    const { rows } = await a['assessments.list']!({ subjectType: 'local authority', status: 'published', limit: 200 });
    const { frameworks } = await a['framework.get']!({});
    const themeOf = (statementId: string): string =>
      frameworks.flatMap((f: { groups: { name: string; statements: { id: string }[] }[] }) => f.groups).find((g: { statements: { id: string }[] }) => g.statements.some((q) => q.id === statementId))!.name;
    for (const row of rows) {
      const found = await a['findings.list']!({ assessmentId: row.id, limit: 20 });
      const strength = found.rows.find((f: { judgement: string }) => f.judgement === 'strength');
      if (strength && !/, (City|County) of$/.test(row.subjectName)) return { title: row.title as string, council: row.subjectName as string, finding: strength.text as string, theme: themeOf(strength.qualityStatementId) };
    }
    throw new Error('No local authority assessment with findings in the demo workspace.');
  });
}

test('a council’s assessment offers its own report, which opens in the editor filled from the assessment', async ({ page }) => {
  test.setTimeout(120_000);
  await openAsNewUser(page, t.url, 'Sam Okoro');
  await goTo(page, 'Data');
  const la = await findCouncilAssessment(page);
  await page.getByRole('tab', { name: /Inspections/ }).click();
  const list = page.getByRole('table', { name: 'Inspections and assessments' });
  await list.getByRole('button', { name: la.title, exact: true }).click();
  await expect(page.getByRole('heading', { name: la.title })).toBeVisible();
  // The button is the one the council's template names; there is no inspection report for a council.
  await expect(page.getByRole('button', { name: 'Write the inspection report' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Write the assessment report' }).click();
  await expect(page.getByTestId('report-editor')).toBeVisible();
  // The report says which assessment it is on, as an assessment (not an inspection).
  await expect(page.getByText(new RegExp(`^Assessment: ${la.council}, published `))).toBeVisible();
  const outline = page.getByRole('navigation', { name: 'Sections' });
  await outline.getByRole('button', { name: /^(\d+ )?Overall rating/ }).click();
  const first = page.getByRole('textbox', { name: /Text of the section “Overall rating”/ });
  await expect(first).toContainText(`We assessed how ${la.council} meets its duties under Part 1 of the Care Act 2014`);
  await expect(first.getByRole('table').first()).toContainText('Overall');
  await outline.getByRole('button', { name: /^(\d+ )?Scores for each quality statement/ }).click();
  const scores = page.getByRole('textbox', { name: /Text of the section “Scores for each quality statement”/ });
  await expect(scores.getByRole('table').first()).toContainText('Safeguarding');
  // The strength is under its statement's theme, worded for a council, with its evidence cited.
  await outline.getByRole('button', { name: new RegExp(`^(\\d+ )?${la.theme}`) }).click();
  const theme = page.getByRole('textbox', { name: new RegExp(`Text of the section “${la.theme}”`) });
  await expect(theme).toContainText(`What is working well`);
  await expect(theme).toContainText(la.finding);
  await expect(theme.locator('[data-lexical-decorator], .citation, [class*="cite"]').first()).toBeVisible();
  await screen(page, 'la-assessment-report');
});
