// A keyboard-only journey: from the list to a new dialog (selects, comment, a file through the file
// chooser, submit), back to the list, into the dialog from its row, and the rating once support
// answered. No mouse: every step is Tab, arrows, Enter or Space, and every stop is checked.
import { FileChooser, Locator, Page } from '@playwright/test';
import { test, expect, appReady } from './fixtures';
import { answerDialog } from './quality';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201a5d1f0a10000000049454e44ae426082',
  'hex',
);

/** Presses Tab until `target` has the focus; fails when it is not reachable in `max` steps. */
async function tabTo(page: Page, target: Locator, what: string, max = 60) {
  await expect(target, `${what} is on the page`).toHaveCount(1);
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${what} was not reached with Tab in ${max} steps`);
}

test('keyboard only: list → new dialog → list → the dialog → rating', async ({ page, panics }) => {
  // Playwright switches file-chooser interception on when the first listener is added, and that
  // switch is not awaited before the next action: a listener added just before Enter raced the key
  // press on a loaded CI machine, and the chooser opened (and closed) natively. Listening from the
  // start leaves the switch seconds to land.
  const choosers: FileChooser[] = [];
  page.on('filechooser', (chooser) => choosers.push(chooser));
  await page.goto('/');
  await appReady(page);
  await expect(page.getByRole('heading', { name: 'Диалогов пока нет' })).toBeVisible();

  // The header's «Новый диалог» is reachable and opens the form.
  await tabTo(page, page.getByRole('navigation').getByRole('link', { name: 'Новый диалог' }), 'the «Новый диалог» link');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/new$/);
  // The new page starts where a page load would: its heading has the focus, and Tab goes on from it.
  await expect(page.getByRole('heading', { level: 1, name: 'Новый диалог' })).toBeFocused();

  // Selects change with the arrow keys.
  const category = page.getByLabel('Категория *');
  await tabTo(page, category, 'the category select');
  await page.keyboard.press('ArrowDown');
  await expect(category).not.toHaveValue('');
  const theme = page.getByLabel('Тема *');
  await expect(theme).toBeEnabled();
  await tabTo(page, theme, 'the theme select');
  await page.keyboard.press('ArrowDown');
  await expect(theme).not.toHaveValue('');

  const comment = page.getByLabel('Комментарий *');
  await tabTo(page, comment, 'the comment');
  const text = 'Клавиатурный путь: поставка 24017733 от 15.03.2024 не принята, скриншот приложен.';
  await page.keyboard.type(text);
  await expect(comment).toHaveValue(text);

  // The drop zone opens the file chooser from the keyboard.
  await tabTo(page, page.getByLabel('Выберите файл или перетащите его сюда'), 'the file picker');
  await page.keyboard.press('Enter');
  await expect.poll(() => choosers.length, { message: 'Enter on the file picker opens the file chooser' }).toBe(1);
  await choosers[0].setFiles({ name: 'screen.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.locator('[data-state="accepted"]').filter({ hasText: 'screen.png' })).toHaveCount(1);

  await tabTo(page, page.getByRole('button', { name: 'Создать диалог' }), 'the submit button');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/dialogs\/\d{8}$/);
  const id = Number(page.url().match(/(\d{8})$/)![1]);
  await expect(page.getByText('Диалог создан')).toBeVisible();
  await expect(page.getByRole('link', { name: /screen\.png/ })).toBeVisible();

  // Back to the list by the header link, then into the dialog from its row.
  await tabTo(page, page.getByRole('navigation').getByRole('link', { name: 'Мои диалоги' }), 'the «Мои диалоги» link');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/$/);
  const rowLink = page.locator('tbody tr').filter({ hasText: String(id) }).getByRole('link').first();
  await tabTo(page, rowLink, 'the new dialog\'s row link');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/dialogs/${id}$`));

  // Support answers; the rating is given with the keyboard too.
  await answerDialog(page.request, id, 'Поставку приняли, проверьте раздел «Поставки».');
  await page.reload();
  await appReady(page);
  await tabTo(page, page.getByRole('button', { name: 'Вопрос решён' }), '«Вопрос решён»');
  await page.keyboard.press('Enter');
  // The form takes the focus to its first star; arrows move along the radio group.
  const first = page.getByRole('radio').first();
  await expect(first).toBeFocused();
  await page.keyboard.press('Space');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radio').last()).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Подтвердить и завершить' }), 'the confirm button');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Диалог завершён' })).toBeVisible();
  const detail = await (await page.request.get(`/api/dialogs/${id}`)).json();
  expect(detail.status).toBe('closed');
  expect(detail.resolution.rating).toBe(5);
  expect(panics).toEqual([]);
});
