// English: the visible switch turns every interface string English (list, new dialog form, dialog
// page), the choice survives a reload, the config's locale works, and dates, sizes and plurals
// follow the language. The seller's own words and the catalog's theme names are data, not
// interface strings, and are left out of the "no Cyrillic" checks.
import { Page } from '@playwright/test';
import { test, expect, appReady } from './fixtures';
import { API, DIST, hostPort, startHost } from '../hosts/setup';

const PORT = hostPort(3);
const SPARE = hostPort(5); // a host with a special config

let host: Awaited<ReturnType<typeof startHost>>;
test.beforeAll(async () => {
  host = await startHost({ port: PORT, dist: DIST, api: API, page: 'index', configJson: { basePath: '/support' } });
});
test.afterAll(async () => {
  await host?.close();
});

/**
 * Visible text inside the app that still has Cyrillic letters, skipping the seller's own message
 * text and elements marked lang="ru" (the switch's «Русский»). Select options count: the catalog's
 * names are shown in English too.
 */
async function cyrillicLeft(page: Page): Promise<string[]> {
  // The host, not `.ss-app`: index.html's anti-fraud notice is a root of its own that the app adopts.
  return page.locator('#seller-support').evaluate((root) => {
    const out: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent || '').trim();
      const el = n.parentElement;
      if (!text || !el || !/[А-Яа-яЁё]/.test(text)) continue;
      if (el.closest('.ss-message-text, [data-user-content]')) continue;
      const marked = el.closest('[lang]');
      if (marked && !marked.classList.contains('ss-app') && root.contains(marked) && marked.getAttribute('lang') === 'ru') continue;
      if (!el.closest('select') && !el.checkVisibility({ checkOpacity: false, checkVisibilityCSS: true })) continue;
      out.push(text);
    }
    return out;
  });
}

const switchButton = (page: Page) => page.locator('.ss-header').getByRole('button');

test('the switch: every string English on list, form and dialog page; kept over reload; lang set', async ({ page, panics }) => {
  await page.goto(`${host.url}/support/`);
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Мои диалоги' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  // Its accessible name holds the visible word, so "click English" works for voice control.
  await expect(switchButton(page)).toHaveAccessibleName(/English/);
  // The detector does see Russian interface text (otherwise the checks below prove nothing).
  expect((await cyrillicLeft(page)).length).toBeGreaterThan(5);

  await switchButton(page).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My dialogs' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  for (const root of await page.locator('.ss-app').all()) await expect(root).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('note')).toContainText('Support is free');
  expect(await cyrillicLeft(page)).toEqual([]);
  expect(await page.evaluate(() => localStorage.getItem('seller-support.locale'))).toBe('en');

  await page.reload();
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'My dialogs' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  expect(await cyrillicLeft(page)).toEqual([]);

  // The new dialog form.
  await page.locator('.ss-header').getByRole('link', { name: 'New dialog' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New dialog' })).toBeVisible();
  const category = page.getByLabel(/^Category/);
  await expect(category).toBeEnabled();
  await category.selectOption({ index: 1 });
  await page.getByLabel(/^Theme/).selectOption({ index: 1 });
  await page.getByRole('textbox', { name: /^Comment/ }).fill('Supply 24017733 was not accepted by the warehouse on 15.03.2024.');
  // A 1.5 KiB file: sizes use the English unit and decimal point.
  await page.getByLabel(/Choose a file|drag/i).first().setInputFiles({
    name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1536 - 9, 32)]),
  });
  await expect(page.locator('[data-state="accepted"]').filter({ hasText: 'report.pdf' })).toContainText('1.5 KB');
  expect(await cyrillicLeft(page)).toEqual([]);

  // Create it; the dialog page.
  await page.getByRole('button', { name: /^Create/ }).click();
  await expect(page).toHaveURL(/\/support\/dialogs\/\d+$/);
  await expect(page.getByText('The dialog was created')).toBeVisible();
  await expect(page.getByText('Supply 24017733')).toBeVisible();
  await expect(page.locator('.ss-main')).toContainText(/\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}/);
  await expect(page.locator('.ss-main')).not.toContainText(/\d{2}\.\d{2}\.\d{4},/);
  // The category and theme too: the API sends Russian names, the app shows English ones by id.
  expect(await cyrillicLeft(page)).toEqual([]);

  // A 4xx answer is worded from its code, not shown in the server's Russian.
  await page.route('**/api/dialogs/*/messages', (route) => route.fulfill({
    status: 409,
    contentType: 'application/json',
    body: JSON.stringify({ code: 'dialog_closed', message: 'Диалог завершён: в него нельзя писать. Создайте новый диалог.' }),
  }));
  await page.getByRole('textbox', { name: /^Your message/ }).fill('One more detail: the supply is 24017733.');
  await page.getByRole('button', { name: /^Send/ }).click();
  await expect(page.getByText('This dialog is closed and takes no more messages')).toBeVisible();
  expect(await cyrillicLeft(page)).toEqual([]);
  await page.unroute('**/api/dialogs/*/messages');

  // And back to Russian: the same page in the cabinet's words and date format.
  await switchButton(page).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await expect(page.locator('.ss-main')).toContainText(/\d{2}\.\d{2}\.\d{4}/);
  await expect(page.locator('.ss-header')).toContainText('Новый диалог');
  expect(await page.evaluate(() => localStorage.getItem('seller-support.locale'))).toBe('ru');
  expect(panics).toEqual([]);
});

test('data-locale="en" on the host element starts in English; the seller\'s switch wins afterwards', async ({ page, panics }) => {
  const special = await startHost({
    port: SPARE, dist: DIST, api: API, page: 'cabinet', hostAttrs: { basePath: '/support', locale: 'en' },
  });
  try {
    await page.goto(`${special.url}/support/`);
    await appReady(page);
    await expect(page.getByRole('heading', { level: 1, name: 'My dialogs' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    expect(await page.evaluate(() => localStorage.getItem('seller-support.locale'))).toBeNull();
    await switchButton(page).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Мои диалоги' })).toBeVisible();
    await page.reload();
    await appReady(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Мои диалоги' })).toBeVisible();
  } finally {
    await special.close();
  }
  expect(panics).toEqual([]);
});

test.describe('with the demo seller', () => {
  test.use({ seller: 'demo' });

  /** Russian plural category, as the cabinet writes it: 1 день, 2 дня, 5 дней, 11 дней, 21 день. */
  const ruForm = (n: number) => {
    const d10 = n % 10, d100 = n % 100;
    if (d10 === 1 && d100 !== 11) return 'one';
    if (d10 >= 2 && d10 <= 4 && (d100 < 12 || d100 > 14)) return 'few';
    return 'many';
  };

  test('plurals and dates of the list in both languages', async ({ page, panics }) => {
    await page.goto(`${host.url}/support/`);
    await appReady(page);
    await expect(page.locator('.ss-app tbody tr').first()).toBeVisible();
    const counter = page.locator('.ss-awaiting-link');
    await expect(counter).toBeVisible();
    const ru = ((await counter.textContent()) || '').replace(/\s+/g, ' ').trim();
    const n = Number(ru.match(/^(\d+)/)![1]);
    const ruWords = { one: 'диалог ждёт оценки', few: 'диалога ждут оценки', many: 'диалогов ждут оценки' };
    expect(ru).toBe(`${n} ${ruWords[ruForm(n)]}`);
    await expect(page.locator('.ss-app tbody')).toContainText(/\d{2}\.\d{2}\.\d{4}/);

    await switchButton(page).click();
    await expect(counter).toHaveText(`${n} ${n === 1 ? 'dialog awaits your rating' : 'dialogs await your rating'}`, { useInnerText: false });
    await expect(page.locator('.ss-app tbody')).toContainText(/\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}/);
    await expect(page.locator('.ss-app tbody')).not.toContainText(/\d{2}\.\d{2}\.\d{4}/);
    expect(panics).toEqual([]);
  });
});
