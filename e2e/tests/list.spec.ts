import { test, expect, appReady } from './fixtures';
import type { Page, APIRequestContext } from '@playwright/test';

// The seeded demo seller (~30 dialogs in every status). Expectations are read from the API in the
// same test rather than hard-coded, so other specs that change demo dialogs cannot break these.
test.use({ seller: 'demo' });

type Summary = { id: number; status: string; theme_name: string; category_name: string; created_at: number };
type List = { items: Summary[]; total: number };

async function api(request: APIRequestContext, qs: string): Promise<List> {
  const res = await request.get(`/api/dialogs${qs ? `?${qs}` : ''}`);
  expect(res.ok(), `GET /api/dialogs?${qs}`).toBeTruthy();
  return res.json();
}

const table = (page: Page) => page.getByRole('table');
const rows = (page: Page) => table(page).locator('tbody tr');
const dateHeader = (page: Page) => page.getByRole('columnheader', { name: /Дата создания/ });

async function numbers(page: Page): Promise<string[]> {
  // The number alone: a row with an unread answer adds «, новый ответ» for screen readers.
  return (await rows(page).locator('td:first-child a').allTextContents()).map((t) => t.replace(/,.*$/, ''));
}

async function openList(page: Page, path = '/') {
  await page.goto(path);
  await appReady(page);
  await expect(rows(page).first()).toBeVisible();
}

test('the table has the cabinet columns, newest first, with badges and dd.mm.yyyy dates', async ({ page, panics }) => {
  const expected = await api(page.request, '');
  await openList(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Мои диалоги' })).toBeVisible();
  const heads = table(page).getByRole('columnheader');
  await expect(heads).toHaveCount(4);
  await expect(heads.nth(0)).toHaveText('№ диалога');
  await expect(heads.nth(1)).toHaveText('Статус');
  await expect(heads.nth(2)).toContainText('Дата создания ↓');
  await expect(heads.nth(3)).toHaveText('Тема');
  await expect(dateHeader(page)).toHaveAttribute('aria-sort', 'descending');

  await expect(rows(page)).toHaveCount(Math.min(20, expected.total));
  expect(await numbers(page)).toEqual(expected.items.map((d) => String(d.id)));
  const created = expected.items.map((d) => d.created_at);
  expect([...created].sort((a, b) => b - a)).toEqual(created);

  const first = rows(page).first();
  await expect(first.locator('td').nth(2)).toHaveText(/^\d{2}\.\d{2}\.\d{4}$/);
  await expect(first.locator('td').nth(3)).toContainText(expected.items[0].theme_name);
  await expect(first.locator('.ss-secondary')).toHaveText(expected.items[0].category_name);
  const answered = expected.items.find((d) => d.status === 'answered');
  if (answered) {
    const row = rows(page).filter({ has: page.getByRole('link', { name: new RegExp(`^${answered.id}\\b`) }) });
    await expect(row).toContainText('Поступил ответ. Ждёт оценки');
    await expect(row.locator('.ss-closes')).toHaveText(/^закроется (через \d+ (дн(я|ей)|день|час(а|ов)?)|сегодня)$/);
  }
  expect(panics).toEqual([]);
});

test('the date header toggles oldest first and back, in the URL too', async ({ page }) => {
  const oldest = await api(page.request, 'sort=created_asc');
  const newest = await api(page.request, '');
  await openList(page);
  await page.getByRole('button', { name: /Дата создания/ }).click();
  await expect(page).toHaveURL(/\?sort=created_asc$/);
  await expect(dateHeader(page)).toHaveAttribute('aria-sort', 'ascending');
  await expect(dateHeader(page)).toContainText('↑');
  await expect.poll(() => numbers(page)).toEqual(oldest.items.map((d) => String(d.id)));

  await page.getByRole('button', { name: /Дата создания/ }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(dateHeader(page)).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => numbers(page)).toEqual(newest.items.map((d) => String(d.id)));
});

test('the status filter shows only answered dialogs, matching the header count', async ({ page }) => {
  const answered = await api(page.request, 'status=answered');
  expect(answered.total, 'the demo data has answered dialogs').toBeGreaterThan(0);
  await openList(page);
  const counter = page.locator('.ss-awaiting-link');
  await expect(counter).toContainText(`${answered.total} `);
  await expect(counter).toContainText(/ждёт оценки|ждут оценки/);

  await page.getByLabel('Статус').selectOption({ label: 'Поступил ответ. Ждёт оценки' });
  await expect(page).toHaveURL(/\?status=answered$/);
  await expect.poll(() => numbers(page)).toEqual(answered.items.map((d) => String(d.id)));
  const badges = rows(page).locator('.ss-badge');
  await expect(badges).toHaveCount(answered.items.length);
  for (const text of await badges.allTextContents()) expect(text).toBe('Поступил ответ. Ждёт оценки');
  await expect(rows(page).locator('.ss-closes')).toHaveCount(answered.items.length);

  await page.getByLabel('Статус').selectOption({ label: 'Завершён' });
  await expect(page).toHaveURL(/\?status=closed$/);
  await expect(rows(page).locator('.ss-badge').first()).toHaveText('Завершён');
  for (const text of await rows(page).locator('.ss-badge').allTextContents()) expect(text).toBe('Завершён');
});

test('search finds a dialog by its number and by theme text', async ({ page }) => {
  const all = await api(page.request, 'per_page=100');
  const target = all.items[Math.floor(all.items.length / 2)];
  await openList(page);

  const byNumber = await api(page.request, `q=${target.id}`);
  expect(byNumber.items.map((d) => d.id)).toContain(target.id);
  const search = page.getByLabel('Поиск по номеру или теме');
  await search.fill(String(target.id));
  await search.press('Enter');
  await expect(page).toHaveURL(new RegExp(`\\?q=${target.id}$`));
  await expect.poll(() => numbers(page)).toEqual(byNumber.items.map((d) => String(d.id)));
  await expect(rows(page).first()).toContainText(String(target.id));

  const theme = target.theme_name;
  const byTheme = await api(page.request, `q=${encodeURIComponent(theme)}`);
  await search.fill(theme);
  await page.getByRole('button', { name: 'Найти' }).click();
  await expect(page).toHaveURL(/\?q=/);
  await expect.poll(() => numbers(page)).toEqual(byTheme.items.map((d) => String(d.id)));
  expect(await numbers(page)).toContain(String(target.id));
  await expect(table(page)).toContainText(theme);

  // Nothing matches: the filtered empty state, not the first-time one, and a way back.
  await search.fill('нет-такой-темы-никогда');
  await search.press('Enter');
  await expect(page.getByText('Ничего не найдено. Измените фильтр или запрос.')).toBeVisible();
  await expect(page.getByText('Диалогов пока нет')).toHaveCount(0);
  await page.getByRole('link', { name: 'Сбросить фильтр и поиск' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(rows(page)).toHaveCount(Math.min(20, all.total));
});

test('pages of 20 with a total; page 2 shows the next dialogs', async ({ page }) => {
  const one = await api(page.request, '');
  const two = await api(page.request, 'page=2');
  expect(one.total, 'the demo data fills two pages').toBeGreaterThan(20);
  const pages = Math.ceil(one.total / 20);
  await openList(page);
  const pager = page.getByRole('navigation', { name: 'Страницы списка' });
  await expect(pager).toContainText(`Всего диалогов: ${one.total}`);
  await expect(pager).toContainText(`Страница 1 из ${pages}`);
  await expect(rows(page)).toHaveCount(20);
  const first = await numbers(page);

  await pager.getByRole('link', { name: 'Вперёд' }).click();
  await expect(page).toHaveURL(/\?page=2$/);
  await expect(pager).toContainText(`Страница 2 из ${pages}`);
  await expect.poll(() => numbers(page)).toEqual(two.items.map((d) => String(d.id)));
  const second = await numbers(page);
  expect(second.filter((n) => first.includes(n))).toEqual([]);
  await expect(pager).toContainText(`Всего диалогов: ${one.total}`);

  await pager.getByRole('link', { name: 'Назад' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect.poll(() => numbers(page)).toEqual(first);
});

test('filter, search, order and page survive a reload, and back/forward walk through them', async ({ page }) => {
  await openList(page);
  await page.getByLabel('Статус').selectOption({ label: 'Завершён' });
  await expect(page).toHaveURL(/\?status=closed$/);
  await page.getByRole('button', { name: /Дата создания/ }).click();
  await expect(page).toHaveURL(/\?status=closed&sort=created_asc$/);
  const closedAsc = await api(page.request, 'status=closed&sort=created_asc');
  await expect.poll(() => numbers(page)).toEqual(closedAsc.items.map((d) => String(d.id)));

  await page.reload();
  await appReady(page);
  await expect(page.getByLabel('Статус')).toHaveValue('closed');
  await expect(dateHeader(page)).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(() => numbers(page)).toEqual(closedAsc.items.map((d) => String(d.id)));

  await page.goBack();
  await expect(page).toHaveURL(/\?status=closed$/);
  await expect(dateHeader(page)).toHaveAttribute('aria-sort', 'descending');
  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByLabel('Статус')).toHaveValue('');
  await page.goForward();
  await expect(page).toHaveURL(/\?status=closed$/);
  await expect(page.getByLabel('Статус')).toHaveValue('closed');

  // A shared link opens straight into its state.
  const shared = await api(page.request, 'status=closed&page=1&sort=created_asc');
  await page.goto('/?sort=created_asc&status=closed');
  await appReady(page);
  await expect(page.getByLabel('Статус')).toHaveValue('closed');
  await expect.poll(() => numbers(page)).toEqual(shared.items.map((d) => String(d.id)));
});

test('a row link opens the dialog; the row itself and a middle click work too', async ({ page }) => {
  const list = await api(page.request, '');
  const [a, b, c] = list.items;
  await openList(page);

  const link = page.getByRole('link', { name: String(a.id), exact: true });
  await expect(link).toHaveAttribute('href', `/dialogs/${a.id}`);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/dialogs/${a.id}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(String(a.id));

  await page.goBack();
  await expect(rows(page).first()).toBeVisible();
  await rows(page).nth(1).locator('td').nth(3).click();
  await expect(page).toHaveURL(new RegExp(`/dialogs/${b.id}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(String(b.id));

  await page.goBack();
  const third = page.getByRole('link', { name: String(c.id), exact: true });
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    third.click({ button: 'middle' }),
  ]);
  await expect(tab).toHaveURL(new RegExp(`/dialogs/${c.id}$`));
  await expect(page).toHaveURL(/\/$/);
  await tab.close();
});

test('a first visit without a session logs in by itself and shows both the list and the count', async ({ browser, page }) => {
  // `page` (logged in) only reads what to expect; the visit itself is a fresh browser context.
  const answered = await api(page.request, 'status=answered');
  const context = await browser.newContext();
  const fresh = await context.newPage();
  const problems: string[] = [];
  fresh.on('console', (m) => { if (m.text().includes('panicked')) problems.push(m.text()); });
  await fresh.goto('/');
  await appReady(fresh);
  await expect(fresh.getByRole('table').locator('tbody tr').first()).toBeVisible();
  await expect(fresh.getByRole('alert')).toHaveCount(0);
  if (answered.total > 0) {
    await expect(fresh.locator('.ss-awaiting-link')).toContainText(`${answered.total} `);
  }
  expect(problems).toEqual([]);
  await context.close();
});

test('in English the list speaks English and writes dates the English way', async ({ page }) => {
  await openList(page);
  await page.getByRole('button', { name: 'Язык интерфейса' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My dialogs' })).toBeVisible();
  const heads = table(page).getByRole('columnheader');
  await expect(heads.nth(0)).toHaveText('Dialog no.');
  await expect(heads.nth(2)).toContainText('Created ↓');
  await expect(rows(page).first().locator('td').nth(2)).toHaveText(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/);
  await page.getByLabel('Status').selectOption({ label: 'Answered. Awaiting your rating' });
  await expect(page).toHaveURL(/\?status=answered$/);
  await expect(rows(page).locator('.ss-closes').first()).toHaveText(/^closes (in \d+ (days?|hours?)|today)$/);
  await expect(page.getByRole('navigation', { name: 'List pages' })).toHaveCount(0);
  await expect(page.getByText(/^Dialogs in total: \d+$/)).toBeVisible();
  // Leave the next test in Russian (the choice is remembered in localStorage).
  await page.getByRole('button', { name: 'Interface language' }).click();
});
