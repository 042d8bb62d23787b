// Accessibility gate: axe-core on every page and on the states a seller meets (errors shown, a
// rejected file, an answered dialog with the rating open, a failed load). Any violation fails the
// test with the rule and the selectors of the offending nodes.
import { test, expect, appReady } from './fixtures';
import { expectNoAxeViolations, createDialog, answerDialog } from './quality';

const PICK = 'Выберите файл или перетащите его сюда';

test.describe('the demo seller', () => {
  test.use({ seller: 'demo' });

  test('the list with dialogs of every status', async ({ page, panics }) => {
    await page.goto('/');
    await appReady(page);
    await expect(page.locator('tbody tr').first()).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: /Загрузка|Обновляем/ })).toHaveCount(0);
    await expectNoAxeViolations(page, 'list, demo seller');
    expect(panics).toEqual([]);
  });

  test('the list filtered to nothing', async ({ page }) => {
    await page.goto('/?q=%D0%BD%D0%B8%D1%87%D0%B5%D0%B3%D0%BE-%D1%82%D0%B0%D0%BA%D0%BE%D0%B3%D0%BE');
    await appReady(page);
    await expect(page.getByRole('heading', { name: 'Ничего не найдено' })).toBeVisible();
    await expectNoAxeViolations(page, 'list, filter matched nothing');
  });

  test('the list in English', async ({ page }) => {
    await page.goto('/');
    await appReady(page);
    await page.getByRole('button', { name: 'Язык интерфейса' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'My dialogs' })).toBeVisible();
    await expect(page.locator('tbody tr').first()).toBeVisible();
    await expectNoAxeViolations(page, 'list, English');

    // The choice is kept: the form and a dialog in English too.
    await page.getByRole('navigation').getByRole('link', { name: 'New dialog' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'New dialog' })).toBeVisible();
    await page.getByRole('button', { name: 'Create dialog' }).click();
    await expect(page.locator('[aria-invalid="true"]').first()).toBeVisible();
    await expectNoAxeViolations(page, '/new, English, errors shown');
    const answered = (await (await page.request.get('/api/dialogs?status=answered')).json()).items[0].id;
    await page.goto(`/dialogs/${answered}`);
    await appReady(page);
    await expect(page.getByRole('heading', { level: 1, name: new RegExp(String(answered)) })).toBeVisible();
    await expectNoAxeViolations(page, 'dialog, English');
  });
});

test('the empty list of a new seller', async ({ page, panics }) => {
  await page.goto('/');
  await appReady(page);
  await expect(page.getByRole('heading', { name: 'Диалогов пока нет' })).toBeVisible();
  await expectNoAxeViolations(page, 'empty list');
  expect(panics).toEqual([]);
});

test('the new-dialog form: empty, with errors shown, with a rejected file', async ({ page, panics }) => {
  await page.goto('/new');
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Новый диалог' })).toBeVisible();
  // The lower form and the helper are built a few tasks after the heading: scan them too.
  await expect(page.getByRole('button', { name: 'Создать диалог' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Подсказки к комментарию' })).toBeVisible();
  await expectNoAxeViolations(page, '/new, empty');

  await page.getByRole('button', { name: 'Создать диалог' }).click();
  await expect(page.getByText('Выберите категорию.')).toBeVisible();
  await expectNoAxeViolations(page, '/new, errors shown');

  await page.getByLabel(PICK).setInputFiles({ name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) });
  await expect(page.locator('[data-state="rejected"]')).toHaveCount(1);
  await expectNoAxeViolations(page, '/new, rejected file in the drop zone');
  expect(panics).toEqual([]);
});

test('the new-dialog form filled, with the comment helper and theme search open', async ({ page }) => {
  await page.goto('/new');
  await appReady(page);
  await page.getByLabel('Найти тему по слову').fill('штраф');
  await expect(page.getByRole('list', { name: 'Подходящие темы' })).toBeVisible();
  await expectNoAxeViolations(page, '/new, theme search results');
  await page.getByLabel('Найти тему по слову').fill('');
  await page.getByLabel('Категория *').selectOption({ index: 1 });
  await page.getByLabel('Тема *').selectOption({ index: 1 });
  await page.getByLabel('Комментарий *').fill('Получили штраф 2 000 р. по поставке 21573344 от 25.04.2023, просим проверить.');
  await page.getByLabel(PICK).setInputFiles({
    name: 'act.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
  });
  await expect(page.locator('[data-state="accepted"]')).toHaveCount(1);
  await expectNoAxeViolations(page, '/new, filled with helper and a file');
});

test('a dialog waiting for support, then answered with the rating open, then closed', async ({ page, panics }) => {
  const id = await createDialog(page.request, 'Поставка 21573344 от 25.04.2023 не принята складом.');
  await page.goto(`/dialogs/${id}`);
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(String(id)) })).toBeVisible();
  await expectNoAxeViolations(page, 'dialog, waiting');

  await answerDialog(page.request, id, 'Проверили: поставка принята, акт в разделе «Поставки».');
  await page.reload();
  await appReady(page);
  await page.getByRole('button', { name: 'Вопрос решён' }).click();
  await expect(page.getByRole('group', { name: 'Оцените ответ поддержки' })).toBeVisible();
  await expectNoAxeViolations(page, 'answered dialog, rating open');

  // A low rating shows the reasons; confirming without a rating shows the error.
  await page.getByRole('button', { name: 'Подтвердить и завершить' }).click();
  await expect(page.getByText('Выберите оценку от 1 до 5.')).toBeVisible();
  await page.getByLabel(/^2/).check();
  await expect(page.getByRole('group', { name: /Что было не так/ })).toBeVisible();
  await expectNoAxeViolations(page, 'answered dialog, low rating with reasons');

  await page.getByRole('button', { name: 'Подтвердить и завершить' }).click();
  await expect(page.getByRole('heading', { name: 'Диалог завершён' })).toBeVisible();
  await expectNoAxeViolations(page, 'closed dialog');
  expect(panics).toEqual([]);
});

test('not-found pages: unknown address and unknown dialog', async ({ page }) => {
  await page.goto('/no/such/page');
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Страница не найдена' })).toBeVisible();
  await expectNoAxeViolations(page, 'not-found page');

  await page.goto('/dialogs/99999999');
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Диалог не найден' })).toBeVisible();
  await expectNoAxeViolations(page, 'dialog not found');
});

test('error states: the list and a dialog fail to load', async ({ page, panics }) => {
  await page.route('**/api/dialogs**', (route) => route.fulfill({
    status: 500, contentType: 'application/json', body: '{"code":"internal","message":"boom"}',
  }));
  await page.goto('/');
  await appReady(page);
  await expect(page.getByRole('alert').filter({ hasText: 'Не удалось загрузить диалоги' })).toBeVisible();
  await expectNoAxeViolations(page, 'list, server error');

  await page.goto('/dialogs/13718172');
  await appReady(page);
  await expect(page.getByRole('alert').filter({ hasText: 'Сервер поддержки ответил ошибкой' })).toBeVisible();
  await expectNoAxeViolations(page, 'dialog, server error');
  expect(panics).toEqual([]);
});
