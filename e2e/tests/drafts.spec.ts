// Drafts belong to the session's seller: on a shared computer, or after a switch of cabinet
// accounts, the next seller sees nothing of the previous one's unsent words and files, and those
// are deleted from the browser. A reply whose dialog closed before it went out is offered back.
import { Page } from '@playwright/test';
import { test, expect, appReady, CSRF } from './fixtures';
import { createDialog, answerDialog } from './quality';

const SECRET = 'Карта для возврата 4111 1111 1111 1111, продавец А.';
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201a5d1f0a10000000049454e44ae426082',
  'hex',
);

async function loginAs(page: Page, seller: string) {
  const res = await page.request.post('/api/dev/login', { data: { seller }, headers: CSRF });
  expect(res.ok(), `login as ${seller}`).toBeTruthy();
}

/** What this browser keeps: draft keys in localStorage and records in the files store. */
async function stored(page: Page): Promise<{ keys: string[]; files: number; owner: string | null }> {
  return page.evaluate(async () => {
    const keys = Object.keys(localStorage).filter((k) => k.includes('draft') || k.includes('reply-') || k.includes('new-dialog'));
    const files = await new Promise<number>((resolve) => {
      const open = indexedDB.open('seller-support-drafts', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('files');
      open.onerror = () => resolve(-1);
      open.onsuccess = () => {
        const req = open.result.transaction('files').objectStore('files').count();
        req.onsuccess = () => { open.result.close(); resolve(req.result); };
        req.onerror = () => resolve(-1);
      };
    });
    return { keys: keys.filter((k) => k !== 'seller-support.draft-owner'), files, owner: localStorage.getItem('seller-support.draft-owner') };
  });
}

test('another seller in the same browser sees none of the drafts, and they leave the browser', async ({ page, seller, panics }) => {
  await page.goto('/new');
  await appReady(page);
  await page.getByLabel('Категория *').selectOption({ label: 'Поставка товара' });
  await page.getByLabel('Тема *').selectOption({ index: 1 });
  await page.getByLabel('Комментарий *').fill(SECRET);
  await page.getByLabel('Выберите файл или перетащите его сюда').setInputFiles({ name: 'card.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.locator('[data-state="accepted"]')).toHaveCount(1);
  await expect.poll(async () => (await stored(page)).files).toBe(1);
  // Seller A's draft is there for seller A.
  await page.reload();
  await appReady(page);
  await expect(page.getByLabel('Комментарий *')).toHaveValue(SECRET);
  await expect(page.locator('[data-state="accepted"]').filter({ hasText: 'card.png' })).toHaveCount(1);

  // Seller B logs in in the same browser.
  const other = `${seller}-b`;
  await loginAs(page, other);
  await page.goto('/new');
  await appReady(page);
  await expect.poll(async () => (await stored(page)).owner).toBe(other);
  const left = await stored(page);
  expect(left.keys.filter((k) => k.includes(seller) && !k.includes(other))).toEqual([]);
  expect(left.files).toBe(0);
  await expect(page.getByLabel('Комментарий *')).toHaveValue('');
  await expect(page.getByLabel('Категория *')).toHaveValue('');
  await expect(page.locator('[data-state="accepted"]')).toHaveCount(0);
  await expect(page.getByText('Восстановлен черновик')).toHaveCount(0);
  await expect(page.getByText(SECRET)).toHaveCount(0);

  // Back to seller A: the draft was deleted, not hidden.
  await loginAs(page, seller);
  await page.goto('/new');
  await appReady(page);
  await expect.poll(async () => (await stored(page)).owner).toBe(seller);
  await expect(page.getByLabel('Комментарий *')).toHaveValue('');
  await expect(page.locator('[data-state="accepted"]')).toHaveCount(0);
  expect(panics).toEqual([]);
});

test('a seller change seen on the list alone removes the previous seller\'s drafts', async ({ page, seller, panics }) => {
  await page.goto('/new');
  await appReady(page);
  await page.getByLabel('Комментарий *').fill(SECRET);
  await page.getByLabel('Выберите файл или перетащите его сюда').setInputFiles({ name: 'card.png', mimeType: 'image/png', buffer: PNG });
  await expect.poll(async () => (await stored(page)).files).toBe(1);
  await expect.poll(async () => (await stored(page)).keys.length).toBeGreaterThan(0);

  const other = `${seller}-b`;
  await loginAs(page, other);
  await page.goto('/');
  await appReady(page);
  await expect.poll(async () => (await stored(page)).owner, { timeout: 15_000 }).toBe(other);
  const left = await stored(page);
  expect(left.keys).toEqual([]);
  expect(left.files).toBe(0);
  expect(panics).toEqual([]);
});

test('a reply refused with 409 because the dialog closed is offered to copy or to start a new dialog with', async ({ page, panics }) => {
  // Without the event stream: with it, the close from the other tab reaches this page before the
  // click and the 409 this test is about never happens.
  await page.route('**/config.json', (r) => r.fulfill({ json: { events: 'poll' } }));
  const id = await createDialog(page.request, 'Поставка 24017733 не принята складом.');
  await answerDialog(page.request, id, 'Проверили, всё в порядке.');
  await page.goto(`/dialogs/${id}`);
  await appReady(page);
  const reply = 'Не в порядке: акт расхождений № 5531 так и не подписан.';
  await page.getByLabel('Ваше сообщение').fill(reply);
  // Meanwhile the dialog is closed (the seller resolved it in another tab).
  const closed = await page.request.post(`/api/dialogs/${id}/resolve`, { headers: CSRF, data: { rating: 5 } });
  expect(closed.ok(), await closed.text()).toBeTruthy();

  await page.locator('.ss-reply').getByRole('button', { name: 'Отправить', exact: true }).click();
  const unsent = page.getByRole('region', { name: 'Сообщение не отправлено' });
  await expect(unsent).toBeVisible();
  await expect(unsent.getByLabel('Неотправленный текст')).toHaveValue(reply);
  await expect(page.getByLabel('Ваше сообщение')).toHaveCount(0);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await unsent.getByRole('button', { name: 'Скопировать' }).click();
  await expect(unsent.getByRole('status')).toHaveText('Текст скопирован.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(reply);
  // No longer kept as a reply draft: the dialog takes no more messages.
  await expect.poll(async () => (await stored(page)).keys.filter((k) => k.includes(`reply.${id}`) || k.includes(`reply-key.${id}`))).toEqual([]);

  await unsent.getByRole('button', { name: 'Новый диалог с этим текстом' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Новый диалог' })).toBeVisible();
  await expect(page.getByLabel('Комментарий *')).toHaveValue(reply);
  await expect(page.getByLabel('Категория *')).not.toHaveValue('');
  expect(panics).toEqual([]);
});
