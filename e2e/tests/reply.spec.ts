// The reply box: a card number needs the same explicit confirmation as in «Новый диалог», and a
// retry after a lost answer (also after a reload) posts the reply once, thanks to the draft's
// Idempotency-Key.
import { Page, Request, Route } from '@playwright/test';
import { test, expect, appReady } from './fixtures';
import { createDialog } from './quality';

type Detail = { messages: { author: string; text: string }[] };

async function sellerReplies(page: Page, id: number, text: string): Promise<number> {
  const res = await page.request.get(`/api/dialogs/${id}`);
  expect(res.ok()).toBeTruthy();
  const detail = (await res.json()) as Detail;
  return detail.messages.filter((m) => m.author === 'seller' && m.text === text).length;
}

async function openDialog(page: Page, id: number) {
  await page.goto(`/dialogs/${id}`);
  await appReady(page);
}

test('a card number in a reply needs an explicit confirmation, then the reply goes out', async ({ page, panics }) => {
  const id = await createDialog(page.request, 'Поставка 24017733 от 15.03.2024 не принята складом.');
  await openDialog(page, id);
  const zone = page.locator('.ss-reply');
  const text = 'Верните деньги на карту 4111 1111 1111 1111, пожалуйста.';
  // Sent at once after typing: the check runs on the text itself, not on the debounced report.
  await page.getByLabel('Ваше сообщение').fill(text);
  await zone.getByRole('button', { name: 'Отправить', exact: true }).click();

  const confirm = zone.getByRole('alert').filter({ hasText: 'номер банковской карты' });
  await expect(confirm).toBeVisible();
  const sendAnyway = confirm.getByRole('button', { name: 'Отправить, несмотря на предупреждение' });
  await expect(sendAnyway).toBeVisible();
  // Nothing went out yet, and the draft is intact.
  await expect(page.getByText('Сообщение отправлено.')).toHaveCount(0);
  expect(await sellerReplies(page, id, text)).toBe(0);
  await expect(page.getByLabel('Ваше сообщение')).toHaveValue(text);

  await sendAnyway.click();
  await expect(page.getByText('Сообщение отправлено.')).toBeVisible();
  await expect(confirm).toHaveCount(0);
  await expect(page.locator('.ss-message-text').last()).toHaveText(text);
  await expect(page.getByLabel('Ваше сообщение')).toHaveValue('');
  expect(await sellerReplies(page, id, text)).toBe(1);

  // The confirmation was for that text only: the next reply with a card number asks again.
  await page.getByLabel('Ваше сообщение').fill('И ещё карта 5555 5555 5555 4444.');
  await zone.getByRole('button', { name: 'Отправить', exact: true }).click();
  await expect(zone.getByRole('alert').filter({ hasText: 'номер банковской карты' })).toBeVisible();
  expect(await sellerReplies(page, id, 'И ещё карта 5555 5555 5555 4444.')).toBe(0);
  // Editing the text takes the question back; a text without secrets sends directly.
  await page.getByLabel('Ваше сообщение').fill('Карту уберу, уточню позже.');
  await expect(zone.getByRole('alert').filter({ hasText: 'номер банковской карты' })).toHaveCount(0);
  await zone.getByRole('button', { name: 'Отправить', exact: true }).click();
  await expect(page.getByText('Сообщение отправлено.')).toBeVisible();
  expect(await sellerReplies(page, id, 'Карту уберу, уточню позже.')).toBe(1);
  expect(panics).toEqual([]);
});

test('a reply whose answer was lost is retried after a reload and posted once', async ({ page, panics }) => {
  const id = await createDialog(page.request, 'Поставка 24017733 от 15.03.2024 не принята складом.');
  await openDialog(page, id);
  const zone = page.locator('.ss-reply');
  const text = 'Дополняю: акт расхождений № 5531 от 16.03.2024.';
  const messages = `**/api/dialogs/${id}/messages`;
  const keys: string[] = [];
  page.on('request', (r: Request) => {
    if (r.url().endsWith(`/api/dialogs/${id}/messages`) && r.method() === 'POST') {
      keys.push(r.headers()['idempotency-key'] ?? '');
    }
  });
  // The server gets the reply and stores it; the answer never reaches the page.
  let delivered = 0;
  const dropAnswer = async (route: Route) => {
    const res = await route.fetch();
    expect(res.status()).toBe(201);
    delivered += 1;
    await route.abort('connectionreset');
  };
  await page.route(messages, dropAnswer);

  await page.getByLabel('Ваше сообщение').fill(text);
  await zone.getByRole('button', { name: 'Отправить', exact: true }).click();
  await expect(zone.getByRole('alert')).toContainText('Нет связи с сервером поддержки.');
  expect(delivered).toBe(1);
  expect(await sellerReplies(page, id, text)).toBe(1);
  await page.unroute(messages, dropAnswer);

  // The seller does not trust the page any more and reloads: the draft is back, and so is its key.
  await page.reload();
  await appReady(page);
  await expect(page.getByLabel('Ваше сообщение')).toHaveValue(text);
  await zone.getByRole('button', { name: 'Отправить', exact: true }).click();
  await expect(page.getByText('Сообщение отправлено.')).toBeVisible();
  await expect(page.getByLabel('Ваше сообщение')).toHaveValue('');
  expect(await sellerReplies(page, id, text)).toBe(1);
  await expect(page.locator('.ss-message-text').filter({ hasText: 'акт расхождений № 5531' })).toHaveCount(1);

  // The same words as a new reply are a new draft with a new key: posted as a second message.
  await page.getByLabel('Ваше сообщение').fill(text);
  await zone.getByRole('button', { name: 'Отправить', exact: true }).click();
  await expect(page.locator('.ss-message-text').filter({ hasText: 'акт расхождений № 5531' })).toHaveCount(2);
  expect(await sellerReplies(page, id, text)).toBe(2);

  expect(keys).toHaveLength(3);
  expect(keys[0]).not.toBe('');
  expect(keys[1]).toBe(keys[0]);
  expect(keys[2]).not.toBe(keys[0]);
  expect(panics).toEqual([]);
});
