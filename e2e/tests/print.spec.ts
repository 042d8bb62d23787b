// A dialog on paper: sellers keep the correspondence as evidence in penalty disputes, so the print
// form is the dialog's header and details and the whole thread with dates and attachment names,
// without the screen's navigation, forms, buttons and notice.
import { test, expect, appReady, CSRF } from './fixtures';

const AGENT = { Authorization: 'Bearer demo-agent', ...CSRF };

test('a dialog prints as its header, details and thread with dates and attachment names', async ({ page, panics }) => {
  const catalog = await (await page.request.get('/api/catalog')).json();
  const category = catalog.categories[0];
  const theme = category.themes[0];
  const pdf = Buffer.from('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');
  const created = await page.request.post('/api/dialogs', {
    headers: CSRF,
    multipart: {
      category: category.id,
      theme: theme.id,
      comment: 'Штраф по отчёту № 151564 начислен ошибочно, акт приложен.',
      files: { name: 'akt-151564.pdf', mimeType: 'application/pdf', buffer: pdf },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const id = (await created.json()).id;
  const answer = await page.request.post(`/api/agent/dialogs/${id}/messages`, {
    headers: AGENT,
    data: { text: 'Проверили отчёт, штраф отменён.' },
  });
  expect(answer.status(), await answer.text()).toBe(201);

  await page.goto(`/dialogs/${id}`);
  await appReady(page);
  await expect(page.getByText('Проверили отчёт, штраф отменён.')).toBeVisible();
  await page.emulateMedia({ media: 'print' });

  // What the paper keeps.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`№ диалога ${id}`);
  await expect(page.locator('.ss-meta')).toBeVisible();
  await expect(page.getByText('Штраф по отчёту № 151564 начислен ошибочно, акт приложен.')).toBeVisible();
  await expect(page.getByText('Проверили отчёт, штраф отменён.')).toBeVisible();
  await expect(page.getByText('akt-151564.pdf')).toBeVisible();
  const heads = page.locator('.ss-message-head');
  await expect(heads).toHaveCount(2);
  for (const head of await heads.all()) await expect(head).toBeVisible();

  // What it leaves out.
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Новый диалог' })).toBeHidden();
  await expect(page.getByRole('textbox')).toHaveCount(0);
  await expect(page.getByRole('button')).toHaveCount(0);
  await expect(page.locator('.ss-notice')).toBeHidden();

  // The printer gets a document (Chromium's print path, not only the emulated media).
  const printed = await page.pdf({ format: 'A4' });
  expect(printed.subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // Back on screen, nothing has changed.
  await page.emulateMedia({ media: 'screen' });
  await expect(page.getByRole('link', { name: 'Новый диалог' })).toBeVisible();
  expect(panics).toEqual([]);
});
