// The app under a strict Content-Security-Policy: no inline scripts, no inline styles, nothing
// from elsewhere. Every `securitypolicyviolation` event is recorded from the first script on,
// and a whole journey (list → new dialog → fill, attach → create → dialog page) must raise none.
import { Page } from '@playwright/test';
import { test, expect, appReady } from './fixtures';
import { API, DIST, hostPort, STRICT_CSP, cspViolations, recordCspViolations, startHost } from '../hosts/setup';

const PORT = hostPort(1);

/** The policy, word for word: the floor. */
const FLOOR_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'self'";

// A 1×1 PNG: the drop zone shows a thumbnail of it through a blob: URL.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201a5d1f0a10000000049454e44ae426082',
  'hex',
);

async function journey(page: Page, base: string, attach: boolean) {
  const nav = await page.goto(`${base}/support/`);
  expect(nav?.headers()['content-security-policy']).toBeTruthy();
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Мои диалоги' })).toBeVisible();
  await page.locator('.ss-header').getByRole('link', { name: 'Новый диалог' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Новый диалог' })).toBeVisible();
  await page.getByLabel('Категория *').selectOption({ label: 'Карточка товара' });
  await page.getByLabel('Тема *').selectOption({ label: 'Ошибки при загрузке фото/видео' });
  await page.getByLabel('Комментарий *').fill('Фото в карточку номенклатуры 178234599 не загружается: «Ошибка обработки».');
  if (attach) {
    await page.getByLabel('Выберите файл или перетащите его сюда').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
    await expect(page.locator('[data-state="accepted"]').filter({ hasText: 'photo.png' })).toHaveCount(1);
  }
  await page.getByRole('button', { name: 'Создать диалог' }).click();
  await expect(page).toHaveURL(/\/support\/dialogs\/\d+$/);
  await expect(page.getByText('Диалог создан')).toBeVisible();
  await expect(page.getByText('номенклатуры 178234599')).toBeVisible();
  if (attach) await expect(page.getByRole('link', { name: /photo\.png/ })).toBeVisible();
  // Back to the list: the new dialog is there.
  await page.locator('.ss-header').getByRole('link', { name: 'Мои диалоги' }).click();
  await expect(page.locator('.ss-app tbody tr')).toHaveCount(1);
}

test.describe('strict CSP', () => {
  let host: Awaited<ReturnType<typeof startHost>> | undefined;
  test.afterEach(async () => {
    await host?.close();
    host = undefined;
  });

  test('the tested policy (the floor + img-src blob: for thumbnails): a journey with an attachment raises no violation', async ({ page, panics }) => {
    host = await startHost({ port: PORT, dist: DIST, api: API, page: 'index', csp: STRICT_CSP, configJson: { basePath: '/support' } });
    await recordCspViolations(page);
    await journey(page, host.url, true);
    expect(await cspViolations(page)).toEqual([]);

    // The recorder does see violations: an inline style attribute, as Leptos must never write one.
    await page.evaluate(() => {
      const d = document.createElement('div');
      d.innerHTML = '<span style="color: red">x</span>';
      document.body.append(d);
    });
    await expect.poll(() => cspViolations(page)).toEqual([expect.stringContaining('style-src')]);
    expect(panics).toEqual([]);
  });

  test('the issue\'s policy word for word: no violation without attachments, thumbnails degrade to a blocked image only', async ({ page, panics }) => {
    host = await startHost({ port: PORT, dist: DIST, api: API, page: 'index', csp: FLOOR_CSP, configJson: { basePath: '/support' } });
    await recordCspViolations(page);
    await journey(page, host.url, false);
    expect(await cspViolations(page)).toEqual([]);

    // With a picture attached, the only casualty is the local preview (img-src blob:): the file is
    // still accepted, listed by name, and the form works.
    await page.locator('.ss-header').getByRole('link', { name: 'Новый диалог' }).click();
    await page.getByLabel('Выберите файл или перетащите его сюда').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
    await expect(page.locator('[data-state="accepted"]').filter({ hasText: 'photo.png' })).toHaveCount(1);
    await expect.poll(async () => (await cspViolations(page)).length).toBeGreaterThan(0);
    for (const v of await cspViolations(page)) expect(v).toMatch(/^img-src blocked blob/);
    expect(panics).toEqual([]);
  });
});
