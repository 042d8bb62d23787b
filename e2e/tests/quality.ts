// Helpers of the quality specs (a11y, faults, keyboard): an axe check that reports every violation
// with its selectors, and dialogs made through the API so a spec can open any dialog state directly.
import AxeBuilder from '@axe-core/playwright';
import { APIRequestContext, Page } from '@playwright/test';
import { expect, CSRF } from './fixtures';

/** Runs axe on the page as it is now and fails with each violation's rule, impact and selectors. */
export async function expectNoAxeViolations(page: Page, state: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const found = result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
    summary: v.nodes[0]?.failureSummary,
  }));
  expect(found, `axe violations in state «${state}»:\n${JSON.stringify(found, null, 2)}`).toEqual([]);
  // A check that ran no rules would pass vacuously.
  expect(result.passes.length, 'axe ran its rules').toBeGreaterThan(0);
}

/** Creates a dialog for the logged-in seller of `request` and returns its number. */
export async function createDialog(request: APIRequestContext, comment: string): Promise<number> {
  const catalog = await (await request.get('/api/catalog')).json();
  const category = catalog.categories[0];
  const res = await request.post('/api/dialogs', {
    headers: CSRF,
    multipart: { category: category.id, theme: category.themes[0].id, comment },
  });
  expect(res.status(), `create dialog: ${await res.text()}`).toBe(201);
  return (await res.json()).id as number;
}

/** Posts a support answer (the demo agent token), which moves the dialog to «answered». */
export async function answerDialog(request: APIRequestContext, id: number, text: string) {
  const res = await request.post(`/api/agent/dialogs/${id}/messages`, {
    headers: { Authorization: 'Bearer demo-agent' },
    data: { text },
  });
  expect(res.ok(), `agent answer: ${res.status()} ${await res.text()}`).toBeTruthy();
}
