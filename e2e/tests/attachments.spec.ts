import { test, expect, appReady } from './fixtures';
import { makeRealFiles, RealFiles } from './files';

let files: RealFiles;
test.beforeAll(async ({ browser }) => {
  files = await makeRealFiles(browser);
});

const PICK = 'Выберите файл или перетащите его сюда';

test('real files are accepted, wrong ones are listed with the reason', async ({ page }) => {
  await page.goto('/new');
  await appReady(page);
  await expect(page.getByText('Файл не больше 10мб')).toBeVisible();
  await expect(page.getByText('Общий размер вложений не более 50мб')).toBeVisible();

  await page.getByLabel(PICK).setInputFiles([files.pdf, files.docx, files.xlsx, files.jpg, files.png, files.zip]);
  const accepted = page.locator('[data-state="accepted"]');
  await expect(accepted).toHaveCount(6);
  for (const name of ['act.pdf', 'claim.docx', 'barcodes.xlsx', 'photo.jpg', 'screen.png', 'photos.zip']) {
    await expect(accepted.filter({ hasText: name })).toHaveCount(1);
  }
  // Images get a thumbnail.
  await expect(accepted.filter({ hasText: 'screen.png' }).locator('img')).toHaveCount(1);

  await page.getByLabel(PICK).setInputFiles([files.exe, files.empty, files.big]);
  const rejected = page.locator('[data-state="rejected"]');
  await expect(rejected).toHaveCount(3);
  await expect(rejected.filter({ hasText: 'invoice.pdf' })).toHaveAttribute('data-code', 'content_mismatch');
  await expect(rejected.filter({ hasText: 'empty.png' })).toHaveAttribute('data-code', 'empty');
  await expect(rejected.filter({ hasText: 'big.pdf' })).toHaveAttribute('data-code', 'too_large');
  await expect(rejected.filter({ hasText: 'big.pdf' })).toContainText('10');
  // Accepted files are untouched by the rejections.
  await expect(accepted).toHaveCount(6);

  // Removing a file frees it from the list.
  await page.getByRole('button', { name: /Удалить.*photos\.zip/ }).click();
  await expect(accepted).toHaveCount(5);
});

test('attachments reach the dialog and can be downloaded', async ({ page }) => {
  await page.goto('/new');
  await appReady(page);
  await page.getByLabel('Категория *').selectOption({ label: 'Поставка товара' });
  await page.getByLabel('Тема *').selectOption({ index: 1 });
  await page.getByLabel('Комментарий *').fill('Поставка 21573344 от 25.04.2023 не принята, акт приложен.');
  await page.getByLabel(PICK).setInputFiles([files.pdf, files.png]);
  await expect(page.locator('[data-state="accepted"]')).toHaveCount(2);
  await page.getByRole('button', { name: 'Создать диалог' }).click();
  await expect(page).toHaveURL(/\/dialogs\/\d{8}$/);
  const link = page.getByRole('link', { name: /act\.pdf/ });
  await expect(link).toBeVisible();
  const href = await link.getAttribute('href');
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-disposition']).toContain('attachment');
  expect((await res.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
});
