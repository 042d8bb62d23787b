import { test, expect, appReady } from './fixtures';
import type { Page } from '@playwright/test';

// The cabinet's own examples (shared/domain.md).
const GOOD =
  'Добрый день, в отчёте № 151564 получили штраф в размере 2 000 р. за заказанный баркод 2008500000237 ' +
  '(артикул 13334921) от 25.04.2023, назначение штрафа: «Повышенная логистика согласно коэффициенту по ' +
  'обмерам», габариты указаны верно, просьба перемерить товар и вернуть удержанный штраф.';
const BAD =
  'Добрый день, уважаемые коллеги. Подскажите, пожалуйста, за что штрафы? Объясните, пожалуйста. ' +
  'Заранее спасибо за ответ. С уважением.';

async function openForm(page: Page) {
  await page.goto('/new');
  await appReady(page);
  const helper = page.getByRole('region', { name: 'Подсказки к комментарию' });
  await expect(helper).toBeVisible();
  return helper;
}

async function choosePenalties(page: Page) {
  await page.getByLabel('Категория *').selectOption({ label: 'Финансы' });
  await page.getByLabel('Тема *').selectOption({ label: 'Штрафы и удержания' });
}

test('the bad example is called vague, with the good example and what is missing', async ({ page, panics }) => {
  const helper = await openForm(page);
  await expect(helper).toContainText('Пишите комментарий');
  await choosePenalties(page);
  const comment = page.getByLabel('Комментарий *');
  // Typed key by key: the analysis runs after pauses and never eats keystrokes.
  await comment.pressSequentially(BAD);
  await expect(comment).toHaveValue(BAD);

  await expect(helper).toContainText('Из комментария непонятно, что случилось');
  await expect(helper.locator('blockquote')).toContainText('в отчёте № 151564 получили штраф');
  const summary = helper.locator('[aria-live="polite"]');
  await expect(summary).toContainText('слишком общий');
  await expect(summary).toContainText('не хватает');
  await expect(helper.getByRole('listitem').filter({ hasText: 'Номер отчёта — не указано' })).toContainText(
    'в отчёте № 151564',
  );
  await expect(helper.locator('.ss-chip')).toHaveCount(0);
  // Coaching, not gatekeeping: sending stays possible.
  await expect(page.getByRole('button', { name: 'Создать диалог' })).toBeEnabled();
});

test('the good example shows its facts and a complete checklist', async ({ page, panics }) => {
  const helper = await openForm(page);
  await choosePenalties(page);
  await page.getByLabel('Комментарий *').fill(GOOD);

  const chips = helper.locator('.ss-chip');
  await expect(chips.filter({ hasText: 'Отчёт 151564' })).toHaveCount(1);
  await expect(chips.filter({ hasText: /Сумма 2\s000\s₽/ })).toHaveCount(1);
  await expect(chips.filter({ hasText: 'Баркод 2008500000237' })).toHaveCount(1);
  await expect(chips.filter({ hasText: 'Артикул 13334921' })).toHaveCount(1);
  await expect(chips.filter({ hasText: 'Дата 25.04.2023' })).toHaveCount(1);
  await expect(helper).not.toContainText('Из комментария непонятно');
  await expect(helper.locator('.ss-check-missing')).toHaveCount(0);
  await expect(helper.locator('[aria-live="polite"]')).toContainText('всё нужное для темы указано');
  // The copied barcode fails its check digit: a hint, never a rejection.
  await expect(helper).toContainText('контрольная цифра');
});

test('the suggested theme is applied with one click', async ({ page, panics }) => {
  const helper = await openForm(page);
  await page.getByLabel('Комментарий *').fill(BAD);
  await expect(helper).toContainText('Похоже на:');
  const apply = helper.getByRole('button', { name: 'Выбрать тему «Штрафы и удержания» (Финансы)' });
  await expect(apply).toBeVisible();
  await apply.click();
  await expect(page.getByLabel('Категория *')).toHaveValue('finance');
  await expect(page.getByLabel('Тема *')).toHaveValue('finance.penalties');
});

test('the template of the chosen theme is inserted', async ({ page, panics }) => {
  const helper = await openForm(page);
  await choosePenalties(page);
  await helper.getByRole('button', { name: 'Вставить шаблон' }).click();
  const comment = page.getByLabel('Комментарий *');
  await expect(comment).toHaveValue(/^Номер отчёта: \nСумма: \n.*\nЧто произошло: $/s);
});

test('a card number is asked to be removed, politely and visibly', async ({ page, panics }) => {
  const helper = await openForm(page);
  await page
    .getByLabel('Комментарий *')
    .fill('Выплата по отчёту 151564 пришла не на ту карту 4111 1111 1111 1111, проверьте реквизиты');
  await expect(helper.locator('.ss-warning')).toContainText('номер банковской карты');
  await expect(helper.locator('[aria-live="polite"]')).toContainText('Уберите из комментария');
  await expect(helper.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Создать диалог' })).toBeEnabled();
});
