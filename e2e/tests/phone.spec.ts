// The app on a phone (the `phone` project of playwright.config.ts: a touch screen, isMobile, 390 px
// wide unless a test narrows it). Nothing may scroll sideways at 320–430 px in any page or state,
// the list is a column of cards, every control is big enough for a finger, and the main journeys
// work by tapping.
import { Locator, Page } from '@playwright/test';
import { test, expect, appReady } from './fixtures';
import { expectNoAxeViolations, createDialog, answerDialog } from './quality';
import { API, DIST, hostPort, startHost } from '../hosts/setup';

const WIDTHS = [320, 360, 390, 430];
// On a touch screen the picker's words drop «или перетащите его сюда».
const PICK = 'Выберите файл';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
// A theme name long enough to test wrapping: the longest one of the built-in catalog is used below.
const LONG_COMMENT = 'Поставка 21573344 от 25.04.2023 не принята складом. '.repeat(12);

/** The drop zone's file input by the name a screen reader reads on a touch screen. */
const pickFile = (page: Page) => page.getByRole('button', { name: PICK, exact: true });

/**
 * Fails when the page is wider than the screen, or, embedded, when the app (`root`) is wider than
 * its host element (the host page's own layout is the host's business).
 */
async function expectNoSidewaysScroll(page: Page, state: string, root?: Locator) {
  if (!root) {
    const doc = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(doc.scroll, `${state}: the page scrolls sideways (${doc.scroll} > ${doc.client} px)`).toBeLessThanOrEqual(doc.client);
  } else {
    const box = await root.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(box.scroll, `${state}: the app is wider than its host element`).toBeLessThanOrEqual(box.client);
  }
  // A child pushed out of a clipping box would not widen the document: look for any element of
  // the app whose right edge passes the screen's.
  const out = await page.evaluate(() => {
    const app = document.querySelector('#seller-support') as HTMLElement;
    const w = Math.min(document.documentElement.clientWidth, app.getBoundingClientRect().right);
    return [...document.querySelectorAll('.ss-app *')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.right > w + 1 && !el.closest('.ss-visually-hidden, .ss-dz-input, .ss-dz-visually-hidden');
      })
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} right=${Math.round(el.getBoundingClientRect().right)}`);
  });
  expect(out, `${state}: elements past the right edge`).toEqual([]);
}

/** Fails unless every element of `targets` is at least 44 × 44 CSS px as rendered. */
async function expectTouchSize(targets: Locator, what: string) {
  await expect(targets.first(), `${what}: on the page`).toBeVisible();
  const n = await targets.count();
  for (let i = 0; i < n; i += 1) {
    const box = await targets.nth(i).boundingBox();
    expect(box, `${what} #${i} is rendered`).not.toBeNull();
    expect(Math.round(box!.width), `${what} #${i} width`).toBeGreaterThanOrEqual(44);
    expect(Math.round(box!.height), `${what} #${i} height`).toBeGreaterThanOrEqual(44);
  }
}

async function answeredDialog(page: Page, comment = 'Поставка 21573344 от 25.04.2023 не принята складом.') {
  const id = await createDialog(page.request, comment);
  await answerDialog(page.request, id, 'Проверили: поставка принята, акт в разделе «Поставки». '.repeat(6));
  return id;
}

for (const width of WIDTHS) {
  test(`nothing scrolls sideways at ${width} px: list, empty, error, form, dialog, English, not found`, async ({ page, panics }) => {
    await page.setViewportSize({ width, height: 800 });
    // A long thread and a long theme: the longest theme name of the catalog.
    const catalog = await (await page.request.get('/api/catalog')).json();
    let longest = { category: '', theme: '', len: 0 };
    for (const c of catalog.categories) {
      for (const t of c.themes) {
        if (t.name.length > longest.len) longest = { category: c.id, theme: t.id, len: t.name.length };
      }
    }
    const made = await page.request.post('/api/dialogs', {
      headers: { 'X-Requested-With': 'seller-support' },
      multipart: { category: longest.category, theme: longest.theme, comment: LONG_COMMENT },
    });
    expect(made.status()).toBe(201);
    const id = (await made.json()).id as number;
    for (let i = 0; i < 4; i += 1) await answerDialog(page.request, id, `Ответ ${i}: ${'подробности '.repeat(30)}`);

    await page.goto('/');
    await appReady(page);
    await expect(page.locator('tbody tr').first()).toBeVisible();
    await expectNoSidewaysScroll(page, `${width}: list`);

    await page.goto('/?q=%D0%BD%D0%B8%D1%87%D0%B5%D0%B3%D0%BE');
    await appReady(page);
    await expect(page.getByRole('heading', { name: 'Ничего не найдено' })).toBeVisible();
    await expectNoSidewaysScroll(page, `${width}: list, nothing found`);

    await page.route('**/api/dialogs?**', (r) => r.fulfill({ status: 500, contentType: 'application/json', body: '{"code":"internal","message":"boom"}' }));
    await page.goto('/?status=answered');
    await appReady(page);
    await expect(page.getByRole('alert').filter({ hasText: 'Не удалось загрузить диалоги' })).toBeVisible();
    await expectNoSidewaysScroll(page, `${width}: list, error`);
    await page.unrouteAll();

    await page.goto('/new');
    await appReady(page);
    await page.getByLabel('Комментарий *').fill(`Получили штраф 2 000 р. по поставке 21573344 от 25.04.2023, карта 4111 1111 1111 1111. ${'x'.repeat(80)}`);
    await page.getByRole('button', { name: 'Все подсказки' }).tap();
    await pickFile(page).setInputFiles([
      { name: `${'очень-длинное-имя-файла-'.repeat(4)}.exe`, mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') },
      { name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) },
    ]);
    await expect(page.locator('[data-state="rejected"]')).toHaveCount(2);
    await page.getByRole('button', { name: 'Создать диалог' }).tap();
    await expect(page.getByText('Выберите категорию.')).toBeVisible();
    await expectNoSidewaysScroll(page, `${width}: new dialog with the helper open, errors and rejected files`);

    await page.goto(`/dialogs/${id}`);
    await appReady(page);
    await expect(page.getByRole('button', { name: 'Вопрос решён' })).toBeVisible();
    await expectNoSidewaysScroll(page, `${width}: dialog with a long thread and the reply box`);
    await page.getByRole('button', { name: 'Вопрос решён' }).tap();
    await expect(page.getByRole('group', { name: 'Оцените ответ поддержки' })).toBeVisible();
    await expectNoSidewaysScroll(page, `${width}: rating open`);

    await page.getByRole('button', { name: 'Язык интерфейса' }).tap();
    await expect(page.getByRole('heading', { level: 1, name: new RegExp(String(id)) })).toBeVisible();
    await page.goto('/');
    await appReady(page);
    await expect(page.getByRole('heading', { level: 1, name: 'My dialogs' })).toBeVisible();
    await expectNoSidewaysScroll(page, `${width}: list in English`);
    await page.getByRole('button', { name: 'Interface language' }).tap();

    await page.goto('/no/such/page');
    await appReady(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Страница не найдена' })).toBeVisible();
    await expectNoSidewaysScroll(page, `${width}: not found`);
    expect(panics).toEqual([]);
  });
}

test.describe('the demo seller', () => {
  test.use({ seller: 'demo' });

  test('the list is a column of cards with all four facts, sortable, and a tap on a card opens it', async ({ page, panics }) => {
    await page.goto('/');
    await appReady(page);
    const cards = page.locator('tbody tr');
    await expect(cards.first()).toBeVisible();
    // The column headers are gone; the cards stack, each as wide as the list.
    await expect(page.locator('thead')).toBeHidden();
    const first = await cards.nth(0).boundingBox();
    const second = await cards.nth(1).boundingBox();
    expect(second!.y).toBeGreaterThanOrEqual(first!.y + first!.height);
    expect(Math.abs(second!.x - first!.x)).toBeLessThan(1);
    // Every card shows its number, status, date and theme (with its category), none cut off.
    const facts = await cards.evaluateAll((rows) => rows.map((r) => {
      const cell = (c: string) => r.querySelector(`.ss-col-${c}`) as HTMLElement;
      const visible = (el: HTMLElement) => el.getBoundingClientRect().width > 0 && el.scrollWidth <= el.clientWidth + 1;
      return ['number', 'status', 'date', 'theme'].every((c) => cell(c) && visible(cell(c)) && cell(c).innerText.trim() !== '');
    }));
    expect(facts.every(Boolean), 'every card shows № диалога, status, date and theme').toBeTruthy();
    await expect(cards.filter({ hasText: 'закроется' }).first()).toBeVisible();

    // The order is reachable above the cards (.ss-list-sort), «Последняя активность» included.
    const sort = page.locator('.ss-list-sort').getByLabel('Порядок');
    await expect(sort).toBeVisible();
    await expect(sort).toHaveValue('created_desc');
    await expectTouchSize(sort, 'sort control');
    await sort.selectOption('created_asc');
    await expect(page).toHaveURL(/sort=created_asc/);
    await sort.selectOption('activity_desc');
    await expect(page).toHaveURL(/sort=activity_desc/);

    // Filters and search stack: each takes the full width.
    const status = await page.getByLabel('Статус').boundingBox();
    const search = await page.getByRole('searchbox').boundingBox();
    expect(search!.y).toBeGreaterThan(status!.y + status!.height - 1);

    // A tap on the card (not on its number link) opens the dialog.
    const card = cards.first();
    const number = (await card.locator('.ss-col-number a').innerText()).replace(/\D/g, '');
    const theme = await card.locator('.ss-col-theme').boundingBox();
    await page.touchscreen.tap(theme!.x + theme!.width / 2, theme!.y + 4);
    await expect(page).toHaveURL(new RegExp(`/dialogs/${number}$`));
    await expect(page.getByRole('heading', { level: 1, name: new RegExp(number) })).toBeVisible();
    expect(panics).toEqual([]);
  });

  test('controls are at least 44 × 44 px: paging, language, drop zone, remove, rating', async ({ page }) => {
    await page.goto('/?per_page=5');
    await appReady(page);
    await expect(page.getByRole('navigation', { name: 'Страницы списка' })).toBeVisible();
    await expectTouchSize(page.getByRole('navigation', { name: 'Страницы списка' }).locator('.ss-button'), 'paging');
    await expectTouchSize(page.getByRole('button', { name: 'Язык интерфейса' }), 'language switch');
    await expectTouchSize(page.getByRole('link', { name: 'Новый диалог' }), 'new dialog link');

    await page.goto('/new');
    await appReady(page);
    await expectTouchSize(page.locator('.ss-dz-plus'), 'drop zone «+»');
    await expectTouchSize(page.locator('.ss-dz-target'), 'drop zone target');
    await pickFile(page).setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
    await expectTouchSize(page.getByRole('button', { name: /Удалить файл/ }), 'remove file');
    // Inputs are at 16 px or more, so the phone does not zoom in on focus.
    for (const field of ['Категория *', 'Тема *', 'Комментарий *']) {
      const size = await page.getByLabel(field).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      expect(size, `${field} font size`).toBeGreaterThanOrEqual(16);
    }

    const id = await answeredDialog(page);
    await page.goto(`/dialogs/${id}`);
    await appReady(page);
    await page.getByRole('button', { name: 'Вопрос решён' }).tap();
    const group = page.getByRole('group', { name: 'Оцените ответ поддержки' });
    await expect(group).toBeVisible();
    await expectTouchSize(group.locator('label'), 'rating options');
    await expectTouchSize(page.getByRole('button', { name: 'Подтвердить и завершить' }), 'confirm rating');
  });
});

test('journey: list → tap a dialog → reply with a photo', async ({ page, panics }) => {
  const id = await answeredDialog(page);
  await page.goto('/');
  await appReady(page);
  await page.locator('tbody tr').filter({ hasText: String(id) }).locator('.ss-col-status').tap();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(String(id)) })).toBeVisible();

  await page.getByLabel('Ваше сообщение').fill('Фото этикетки приложил.');
  // The picker offers the camera and the photo library: image media types are in `accept`.
  const accept = await pickFile(page).getAttribute('accept');
  expect(accept).toContain('image/jpeg');
  expect(accept).toContain('.pdf');
  await pickFile(page).setInputFiles({ name: 'label.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByText('label.png').first()).toBeVisible();
  await page.getByRole('button', { name: 'Отправить', exact: true }).tap();
  await expect(page.locator('.ss-thread a.ss-attachment').filter({ hasText: 'label.png' })).toBeVisible();
  await expect(page.getByLabel('Ваше сообщение')).toHaveValue('');
  await expectNoSidewaysScroll(page, 'dialog after the reply');
  await expectNoAxeViolations(page, 'phone: dialog after a reply');
  expect(panics).toEqual([]);
});

test('journey: a new dialog with files and the comment helper', async ({ page, panics }) => {
  await page.goto('/new');
  await appReady(page);
  await page.getByLabel('Категория *').selectOption({ index: 1 });
  await page.getByLabel('Тема *').selectOption({ index: 1 });
  const comment = page.getByLabel('Комментарий *');
  await comment.tap();
  await comment.fill('Поставка 21573344 от 25.04.2023 не принята складом, просим проверить.');

  // The helper is below the comment, never beside or over it, and shows its summary only
  // until it is opened.
  const helper = page.getByRole('region', { name: 'Подсказки к комментарию' });
  await expect(helper).toBeVisible();
  const field = await comment.boundingBox();
  const panel = await helper.boundingBox();
  expect(panel!.y).toBeGreaterThanOrEqual(field!.y + field!.height);
  await expect(helper.getByRole('heading', { name: 'Найдено в комментарии' })).toBeHidden();
  const toggle = helper.getByRole('button', { name: 'Все подсказки' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.tap();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(helper.getByRole('heading', { name: 'Найдено в комментарии' })).toBeVisible();
  await expectNoAxeViolations(page, 'phone: new dialog, helper open');

  await pickFile(page).setInputFiles([
    { name: 'photo.png', mimeType: 'image/png', buffer: PNG },
    { name: 'act.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') },
  ]);
  await expect(page.locator('[data-state="accepted"]')).toHaveCount(2);
  await page.getByRole('button', { name: 'Создать диалог' }).tap();
  await expect(page).toHaveURL(/\/dialogs\/\d+$/);
  await expect(page.locator('.ss-thread a.ss-attachment')).toHaveCount(2);
  expect(panics).toEqual([]);
});

test('journey: rating an answered dialog by touch', async ({ page, panics }) => {
  const id = await answeredDialog(page);
  await page.goto(`/dialogs/${id}`);
  await appReady(page);
  await page.getByRole('button', { name: 'Вопрос решён' }).tap();
  await page.getByLabel(/^5/).tap();
  await expectNoAxeViolations(page, 'phone: rating open');
  await page.getByRole('button', { name: 'Подтвердить и завершить' }).tap();
  await expect(page.getByRole('heading', { name: 'Диалог завершён' })).toBeVisible();
  await expectNoSidewaysScroll(page, 'closed dialog');
  expect(panics).toEqual([]);
});

test.describe('embedded in a cabinet page', () => {
  test.use({ seller: 'demo' });
  let host: Awaited<ReturnType<typeof startHost>>;
  test.beforeAll(async () => {
    host = await startHost({ port: hostPort(6), dist: DIST, api: API, page: 'cabinet' });
  });
  test.afterAll(async () => {
    await host?.close();
  });

  test('the app fits its host element, on a phone and in a narrow column of a wide screen', async ({ page }) => {
    await page.goto(`${host.url}/support/`);
    await appReady(page);
    const root = page.locator('#seller-support');
    await expect(page.locator('#seller-support tbody tr').first()).toBeVisible();
    await expectNoSidewaysScroll(page, 'embedded at 390 px', root);

    // A wide window with the app in a 360 px column: the cards follow the column, not the window.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.addStyleTag({ content: '#seller-support { max-width: 360px; }' });
    await expect(page.locator('#seller-support thead')).toBeHidden();
    await expect(page.getByLabel('Порядок')).toBeVisible();
    const box = await root.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(box.scroll).toBeLessThanOrEqual(box.client);
  });
});

// Not a check: writes the README's phone screenshots (docs/phone/) when E2E_SCREENSHOTS names a
// folder, e.g. `E2E_SCREENSHOTS=../docs/phone npx playwright test --project phone -g screenshots`.
test.describe('screenshots', () => {
  test.use({ seller: 'demo' });
  test.skip(!process.env.E2E_SCREENSHOTS, 'E2E_SCREENSHOTS is not set');

  test('screenshots of each page at 390 px', async ({ page }) => {
    const dir = process.env.E2E_SCREENSHOTS as string;
    // What the screen shows, not the full page: Chromium takes a full-page shot of an emulated
    // phone without its touch emulation, so hover-only words would reappear in the picture.
    const shot = (name: string) => page.screenshot({ path: `${dir}/${name}.png`, scale: 'css' });
    await page.goto('/');
    await appReady(page);
    await expect(page.locator('tbody tr').first()).toBeVisible();
    await shot('list');
    await page.goto('/new');
    await appReady(page);
    await page.getByLabel('Категория *').selectOption({ index: 1 });
    await page.getByLabel('Тема *').selectOption({ index: 1 });
    await page.getByLabel('Комментарий *').fill('Поставка 21573344 от 25.04.2023 не принята складом, просим проверить.');
    await expect(page.getByRole('region', { name: 'Подсказки к комментарию' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Подсказки к комментарию' })).not.toContainText('готовность 0 ');
    await page.getByLabel('Тема *').evaluate((el) => el.scrollIntoView());
    await shot('new-dialog');
    const answered = (await (await page.request.get('/api/dialogs?status=answered')).json()).items[0].id;
    await page.goto(`/dialogs/${answered}`);
    await appReady(page);
    await expect(page.getByRole('button', { name: 'Вопрос решён' })).toBeVisible();
    await shot('dialog');
  });
});

test('while files upload, the progress and «Отменить отправку» stay on screen', async ({ page, panics }) => {
  await page.goto('/new');
  await appReady(page);
  await page.getByLabel('Категория *').selectOption({ index: 1 });
  await page.getByLabel('Тема *').selectOption({ index: 1 });
  await page.getByLabel('Комментарий *').fill('Поставка 21573344 от 25.04.2023 не принята складом, просим проверить.');
  await pickFile(page).setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
  // The upload never answers, so the form stays in its sending state.
  await page.route((url) => url.pathname === '/api/dialogs', (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    return new Promise(() => {});
  });
  await page.getByRole('button', { name: 'Создать диалог' }).tap();
  const cancel = page.getByRole('button', { name: 'Отменить отправку' });
  await expect(cancel).toBeVisible();
  // Scrolled back to the top, as when the keyboard pushes the page: the send row stays in view.
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(page.getByRole('button', { name: /Создаём диалог…/ })).toBeInViewport();
  await expect(cancel).toBeInViewport();
  await cancel.tap();
  await expect(page.getByRole('alert').filter({ hasText: 'Отправка отменена.' })).toBeVisible();
  expect(panics).toEqual([]);
});
