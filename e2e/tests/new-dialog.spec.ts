import { test, expect, appReady, CSRF } from './fixtures';
import { Page } from '@playwright/test';

async function dialogsOf(page: Page) {
  const res = await page.request.get('/api/dialogs');
  expect(res.ok()).toBeTruthy();
  return (await res.json()) as { items: { id: number; theme_name: string }[]; total: number };
}

test('full journey: category, theme, comment, create, dialog page, list shows it first', async ({ page, panics }) => {
  await page.goto('/new');
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Новый диалог' })).toBeVisible();
  const theme = page.getByLabel('Тема *');
  await expect(theme).toBeDisabled();
  await page.getByLabel('Категория *').selectOption({ label: 'Карточка товара' });
  await expect(theme).toBeEnabled();
  await theme.selectOption({ label: 'Ошибки при загрузке фото/видео' });
  await page.getByLabel('Комментарий *').fill('Видео в карточку номенклатуры 178234599 не загружается: пишет «Ошибка обработки видео».');
  await page.getByRole('button', { name: 'Создать диалог' }).click();

  await expect(page).toHaveURL(/\/dialogs\/\d{8}$/);
  const id = page.url().match(/(\d{8})$/)![1];
  await expect(page.getByText('Диалог создан')).toBeVisible();
  await expect(page.getByText('номенклатуры 178234599')).toBeVisible();

  await page.getByRole('link', { name: 'Мои диалоги' }).click();
  const firstRow = page.locator('tbody tr').first();
  await expect(firstRow).toContainText(id);
  await expect(firstRow).toContainText('Ошибки при загрузке фото/видео');
  expect(panics).toEqual([]);
});

test('the theme resets when the category changes', async ({ page }) => {
  await page.goto('/new');
  await appReady(page);
  await page.getByLabel('Категория *').selectOption({ label: 'Карточка товара' });
  await page.getByLabel('Тема *').selectOption({ label: 'Как загрузить фото/видео' });
  await page.getByLabel('Категория *').selectOption({ label: 'Поставка товара' });
  await expect(page.getByLabel('Тема *')).toHaveValue('');
  await expect(page.getByLabel('Тема *').locator('option', { hasText: 'Как загрузить фото/видео' })).toHaveCount(0);
});

test('empty submit shows errors and focuses the first invalid field', async ({ page }) => {
  await page.goto('/new');
  await appReady(page);
  await page.getByRole('button', { name: 'Создать диалог' }).click();
  await expect(page.getByText('Выберите категорию.')).toBeVisible();
  await expect(page.getByLabel('Категория *')).toBeFocused();
  await expect(page.getByLabel('Категория *')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Комментарий *')).toHaveAttribute('aria-invalid', 'true');
});

test('a reload mid-draft restores category, theme, comment and files', async ({ page }) => {
  await page.goto('/new');
  await appReady(page);
  await page.getByLabel('Категория *').selectOption({ label: 'Карточка товара' });
  await page.getByLabel('Тема *').selectOption({ label: 'Ошибки при загрузке логотипов' });
  await page.getByLabel('Комментарий *').fill('Логотип не загружается: «Неверный формат изображения».');
  await page.getByLabel('Выберите файл или перетащите его сюда').setInputFiles({
    name: 'logo.png', mimeType: 'image/png',
    buffer: Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201a5d1f0a10000000049454e44ae426082', 'hex'),
  });
  await expect(page.locator('[data-state="accepted"]')).toHaveCount(1);
  // Give IndexedDB a moment to commit before the reload.
  await page.waitForTimeout(500);
  await page.reload();
  await appReady(page);
  await expect(page.getByLabel('Категория *')).toHaveValue('product-card');
  await expect(page.getByLabel('Тема *')).not.toHaveValue('');
  await expect(page.getByLabel('Комментарий *')).toHaveValue(/Неверный формат изображения/);
  await expect(page.locator('[data-state="accepted"]').filter({ hasText: 'logo.png' })).toHaveCount(1);
});

test('a failed first submit keeps everything, and the retry creates exactly one dialog', async ({ page }) => {
  await page.goto('/new');
  await appReady(page);
  await page.getByLabel('Категория *').selectOption({ label: 'Поставка товара' });
  await page.getByLabel('Тема *').selectOption({ index: 1 });
  const text = 'Поставка 24017733 от 15.03.2024 не принята складом.';
  await page.getByLabel('Комментарий *').fill(text);

  // The first POST reaches the server (the dialog is created) but its answer is lost.
  let first = true;
  await page.route('**/api/dialogs', async (route) => {
    if (route.request().method() === 'POST' && first) {
      first = false;
      await route.fetch();
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await page.getByRole('button', { name: 'Создать диалог' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'нет связи' })).toBeVisible();
  await expect(page.getByLabel('Комментарий *')).toHaveValue(text);

  await page.getByRole('button', { name: 'Отправить ещё раз' }).click();
  await expect(page).toHaveURL(/\/dialogs\/\d{8}$/);
  const list = await dialogsOf(page);
  expect(list.total).toBe(1);
});

test('double click creates one dialog', async ({ page }) => {
  await page.goto('/new');
  await appReady(page);
  await page.getByLabel('Категория *').selectOption({ label: 'Поставка товара' });
  await page.getByLabel('Тема *').selectOption({ index: 1 });
  await page.getByLabel('Комментарий *').fill('Поставка 24017733: не можем выбрать дату.');
  await page.getByRole('button', { name: 'Создать диалог' }).dblclick();
  await expect(page).toHaveURL(/\/dialogs\/\d{8}$/);
  expect((await dialogsOf(page)).total).toBe(1);
});

test('the form can be completed with the keyboard alone', async ({ page }) => {
  await page.goto('/new');
  await appReady(page);
  await page.getByLabel('Найти тему по слову').focus();
  await page.keyboard.type('логотип');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter'); // picks the first matching theme
  await expect(page.getByLabel('Категория *')).toHaveValue('product-card');
  await expect(page.getByLabel('Тема *')).not.toHaveValue('');
  await page.getByLabel('Комментарий *').focus();
  await page.keyboard.type('Логотип бренда не загружается, ошибка «Неверный формат изображения».');
  // Tab forward until the submit button has focus, then press Enter.
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const isSubmit = await page.evaluate(() => document.activeElement?.textContent?.trim() === 'Создать диалог');
    if (isSubmit) break;
  }
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/dialogs\/\d{8}$/);
});

test('the server re-checks: a theme from another category is refused with a field error', async ({ page }) => {
  const catalog = await (await page.request.get('/api/catalog')).json();
  const [a, b] = catalog.categories;
  const res = await page.request.post('/api/dialogs', {
    headers: CSRF,
    multipart: { category: a.id, theme: b.themes[0].id, comment: 'Проверка' },
  });
  expect(res.status()).toBe(422);
  expect((await res.json()).field).toBe('theme');
});

test('a card number in the comment needs an explicit confirmation before sending', async ({ page }) => {
  await page.goto('/new');
  await appReady(page);
  await page.getByLabel('Категория *').selectOption({ label: 'Поставка товара' });
  await page.getByLabel('Тема *').selectOption({ index: 1 });
  await page.getByLabel('Комментарий *').fill('Поставка 24017733 не принята. Верните деньги на карту 4111 1111 1111 1111.');
  await page.getByRole('button', { name: 'Создать диалог' }).click();
  const warning = page.getByRole('alert').filter({ hasText: 'номер карты' });
  await expect(warning).toBeVisible();
  await expect(page).toHaveURL(/\/new$/);
  await page.getByLabel('Отправить, несмотря на предупреждение').check();
  await page.getByRole('button', { name: 'Создать диалог' }).click();
  await expect(page).toHaveURL(/\/dialogs\/\d{8}$/);
});
