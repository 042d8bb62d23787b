import { test, expect, appReady } from './fixtures';

test('the list page links to a new dialog', async ({ page, panics }) => {
  await page.goto('/');
  await appReady(page);
  await expect(page.getByRole('note')).toContainText('Поддержка бесплатна');
  await expect(page.getByRole('note')).toContainText('специалистам');
  await page.getByRole('link', { name: 'Новый диалог' }).first().click();
  await expect(page).toHaveURL(/\/new$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Новый диалог' })).toBeVisible();
  expect(panics).toEqual([]);
});

test('an unknown address shows the not-found page, also after a reload', async ({ page }) => {
  await page.goto('/no/such/page');
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Страница не найдена' })).toBeVisible();
  await page.getByRole('link', { name: 'К списку диалогов' }).click();
  await expect(page).toHaveURL(/\/$/);
});
