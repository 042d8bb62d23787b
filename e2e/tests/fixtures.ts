import { test as base, expect, Page } from '@playwright/test';

/** Header the API requires on state-changing requests (CSRF defence). */
export const CSRF = { 'X-Requested-With': 'seller-support' };

let counter = 0;

/**
 * Each test logs in as its own seller (demo mode's /api/dev/login), so tests never see each
 * other's dialogs. `seller: 'demo'` gives the seeded demo seller instead. Any console message that
 * says "panicked" fails the test: a panic kills the whole wasm app.
 */
export const test = base.extend<{ seller: string; panics: string[] }>({
  seller: async ({}, use, info) => {
    counter += 1;
    await use(`e2e-${info.workerIndex}-${Date.now()}-${counter}`);
  },
  panics: async ({ page }, use) => {
    const panics: string[] = [];
    page.on('console', (msg) => {
      if (msg.text().includes('panicked')) panics.push(msg.text());
    });
    page.on('pageerror', (err) => {
      if (String(err).includes('panicked') || String(err).includes('unreachable')) panics.push(String(err));
    });
    await use(panics);
    expect(panics, 'the wasm app panicked').toEqual([]);
  },
  page: async ({ page, seller }, use) => {
    const res = await page.request.post('/api/dev/login', { data: { seller }, headers: CSRF });
    expect(res.ok(), `login as ${seller}`).toBeTruthy();
    await use(page);
  },
});

export { expect };

/** Waits until the wasm app has replaced the static shell. */
export async function appReady(page: Page) {
  // The static shell has a disabled stand-in of the switch; the app's own one is enabled.
  await expect(page.locator('#seller-support .ss-lang:not([disabled])')).toBeVisible();
}
