import { APIRequestContext, Page } from '@playwright/test';
import { test, expect, appReady, CSRF } from './fixtures';

// The second demo server of playwright.config.ts: answered dialogs close after 12 s there (long enough for a loaded CI machine to see the answered state first).
const AUTO_CLOSE_BASE = `http://127.0.0.1:${Number(process.env.E2E_PORT || 18080) + 1}`;
const AGENT = { Authorization: 'Bearer demo-agent', ...CSRF };
const ANSWERED = 'Поступил ответ. Ждёт оценки';
const XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> <b>не жирный</b>';

type Created = { id: number; category: string; theme: string };

async function createDialog(request: APIRequestContext, base = ''): Promise<Created> {
  const catalog = await (await request.get(`${base}/api/catalog`)).json();
  const category = catalog.categories[0];
  const theme = category.themes[0];
  const res = await request.post(`${base}/api/dialogs`, {
    headers: CSRF,
    multipart: {
      category: category.id,
      theme: theme.id,
      comment: 'Добрый день, в отчёте № 151564 получили штраф 2 000 р. за баркод 2008500000237.',
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return { id: (await res.json()).id, category: category.id, theme: theme.id };
}

async function agentAnswers(request: APIRequestContext, id: number, text: string, base = '') {
  const res = await request.post(`${base}/api/agent/dialogs/${id}/messages`, { headers: AGENT, data: { text } });
  expect(res.status(), await res.text()).toBe(201);
}

async function statusOf(request: APIRequestContext, id: number, base = ''): Promise<string> {
  const res = await request.get(`${base}/api/dialogs/${id}`);
  expect(res.ok()).toBeTruthy();
  return (await res.json()).status;
}

const status = (page: Page) => page.locator('.ss-dialog-status');

test('support answers, the seller sees it without reloading, rates 5 and the list agrees', async ({ page, panics }) => {
  const d = await createDialog(page.request);
  await page.goto(`/dialogs/${d.id}`);
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`№ диалога ${d.id}`);
  await expect(status(page)).toContainText('Ожидает ответа');
  await expect(page.getByRole('button', { name: 'Вопрос решён' })).toHaveCount(0);

  await agentAnswers(page.request, d.id, 'Проверили: штраф вернём в следующем отчёте.');
  // No click, no reload: the page polls while it is visible.
  await expect(status(page)).toContainText(ANSWERED, { timeout: 20_000 });
  await expect(page.getByText('Проверили: штраф вернём в следующем отчёте.')).toBeVisible();
  await expect(page.getByText(/закроется автоматически/).first()).toBeVisible();

  await page.getByRole('button', { name: 'Вопрос решён' }).click();
  const group = page.getByRole('group', { name: 'Оцените ответ поддержки' });
  await expect(group.getByRole('radio')).toHaveCount(5);
  await group.getByRole('radio', { name: /^5/ }).check();
  await expect(page.getByRole('checkbox')).toHaveCount(0);
  await page.getByLabel('Комментарий к оценке (необязательно)').fill('Спасибо, быстро');
  await page.getByRole('button', { name: 'Подтвердить и завершить' }).click();

  await expect(status(page)).toContainText('Завершён');
  // The form the seller was in is gone; the focus goes to what replaced it.
  await expect(page.getByRole('heading', { name: 'Диалог завершён' })).toBeFocused();
  await expect(page.getByText('5 из 5')).toBeVisible();
  await expect(page.getByLabel('Ваше сообщение')).toHaveCount(0);
  const again = page.getByRole('link', { name: 'Создать новый диалог' });
  // The new dialog continues this one (issue 17: «Продолжает диалог № …»).
  await expect(again).toHaveAttribute('href', `/new?category=${d.category}&theme=${d.theme}&follows=${d.id}`);
  expect(await statusOf(page.request, d.id)).toBe('closed');

  await page.goto('/');
  await appReady(page);
  const row = page.getByRole('row').filter({ hasText: String(d.id) });
  await expect(row).toContainText('Завершён');
  expect(panics).toEqual([]);
});

test('a low rating asks what was wrong and sends the reasons', async ({ page }) => {
  const d = await createDialog(page.request);
  await agentAnswers(page.request, d.id, 'Ознакомьтесь с инструкцией.');
  await page.goto(`/dialogs/${d.id}`);
  await appReady(page);
  await page.getByRole('button', { name: 'Вопрос решён' }).click();
  await page.getByRole('radio', { name: /^2/ }).check();
  await page.getByRole('checkbox', { name: 'Шаблонный ответ' }).check();
  await page.getByRole('button', { name: 'Подтвердить и завершить' }).click();
  await expect(status(page)).toContainText('Завершён');
  const detail = await (await page.request.get(`/api/dialogs/${d.id}`)).json();
  expect(detail.resolution.rating).toBe(2);
  expect(detail.resolution.reasons).toEqual(['templated_answer']);
});

test('a seller reply with a file reopens an answered dialog', async ({ page, panics }) => {
  const d = await createDialog(page.request);
  await agentAnswers(page.request, d.id, 'Пришлите, пожалуйста, акт.');
  await page.goto(`/dialogs/${d.id}`);
  await appReady(page);
  await expect(status(page)).toContainText(ANSWERED);

  const box = page.getByLabel('Ваше сообщение');
  await box.fill('Акт приложил.\nПоставка 21573344 от 25.04.2023');
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n% акт\n'), Buffer.alloc(2048, 0x20)]);
  await page.getByLabel('Выберите файл или перетащите его сюда').setInputFiles({
    name: 'акт.pdf', mimeType: 'application/pdf', buffer: pdf,
  });
  await expect(page.getByText('акт.pdf').first()).toBeVisible();
  await page.getByRole('button', { name: 'Отправить' }).click();

  await expect(status(page)).toContainText('Ожидает ответа');
  await expect(page.getByRole('button', { name: 'Вопрос решён' })).toHaveCount(0);
  await expect(box).toHaveValue('');
  const link = page.locator('.ss-thread a.ss-attachment').filter({ hasText: 'акт.pdf' });
  await expect(link).toBeVisible();
  await expect(link).toContainText('КБ');
  const download = await page.request.get(await link.getAttribute('href') as string);
  expect(download.ok()).toBeTruthy();
  expect((await download.body()).subarray(0, 5).toString()).toBe('%PDF-');
  expect(await statusOf(page.request, d.id)).toBe('waiting');
  // White space is kept as typed.
  await expect(page.locator('.ss-message-text').last()).toHaveText('Акт приложил.\nПоставка 21573344 от 25.04.2023');
  expect(panics).toEqual([]);
});

test('the reply draft survives a reload and an empty reply is refused in place', async ({ page }) => {
  const d = await createDialog(page.request);
  await page.goto(`/dialogs/${d.id}`);
  await appReady(page);
  await page.getByRole('button', { name: 'Отправить' }).click();
  await expect(page.getByText('не может быть пустым')).toBeVisible();
  await page.getByLabel('Ваше сообщение').fill('Черновик, который нельзя терять');
  await page.reload();
  await appReady(page);
  await expect(page.getByLabel('Ваше сообщение')).toHaveValue('Черновик, который нельзя терять');
});

test('the refresh button brings a new answer at once', async ({ page }) => {
  const d = await createDialog(page.request);
  await page.goto(`/dialogs/${d.id}`);
  await appReady(page);
  await expect(status(page)).toContainText('Ожидает ответа');
  await agentAnswers(page.request, d.id, 'Ответ для кнопки «Обновить».');
  await page.getByRole('button', { name: 'Обновить' }).click();
  await expect(status(page)).toContainText(ANSWERED, { timeout: 3_000 });
  await expect(page.getByText('Ответ для кнопки «Обновить».')).toBeVisible();
});

/** Makes the page believe its tab went to the background (or came back), as a tab switch does. */
async function setVisibility(page: Page, state: 'hidden' | 'visible') {
  await page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { value: s, configurable: true });
    Object.defineProperty(document, 'hidden', { value: s === 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  }, state);
}

test('polling pauses while the tab is hidden and catches up when it is back', async ({ page }) => {
  // Without the event stream (a host API that has none): with it, the answer would arrive by
  // itself while hidden (live.spec.ts).
  await page.route('**/config.json', (r) => r.fulfill({ json: { events: 'poll' } }));
  const d = await createDialog(page.request);
  const polls: number[] = [];
  page.on('request', (r) => {
    if (r.method() === 'GET' && r.url().endsWith(`/api/dialogs/${d.id}`)) polls.push(Date.now());
  });
  await page.goto(`/dialogs/${d.id}`);
  await appReady(page);
  await expect(status(page)).toContainText('Ожидает ответа');
  await setVisibility(page, 'hidden');
  const hiddenAt = Date.now();
  await agentAnswers(page.request, d.id, 'Ответ, пока вкладка скрыта.');
  // Longer than one polling period: a visible page would have asked by now.
  await page.waitForTimeout(12_000);
  expect(polls.filter((t) => t > hiddenAt)).toEqual([]);
  await expect(status(page)).toContainText('Ожидает ответа');

  await setVisibility(page, 'visible');
  await expect(status(page)).toContainText(ANSWERED, { timeout: 3_000 });
});

test('markup in a message is shown as text, never run', async ({ page, panics }) => {
  const d = await createDialog(page.request);
  await agentAnswers(page.request, d.id, XSS);
  await page.goto(`/dialogs/${d.id}`);
  await appReady(page);
  await expect(page.locator('.ss-message-text').last()).toHaveText(XSS);
  await expect(page.locator('.ss-thread img, .ss-thread script, .ss-thread b')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(panics).toEqual([]);
});

test('unknown, malformed and foreign numbers show «Диалог не найден»', async ({ page, browser, panics }) => {
  for (const path of ['/dialogs/99999999', '/dialogs/abc', '/dialogs/123']) {
    await page.goto(path);
    await appReady(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Диалог не найден' })).toBeVisible();
  }
  // Another seller's dialog is as unknown as a missing one.
  const other = await browser.newContext({ baseURL: page.url().replace(/\/dialogs.*$/, '') });
  await other.request.post('/api/dev/login', { data: { seller: `other-${Date.now()}` }, headers: CSRF });
  const foreign = await createDialog(other.request);
  await other.close();
  await page.goto(`/dialogs/${foreign.id}`);
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Диалог не найден' })).toBeVisible();
  await page.getByRole('link', { name: 'К списку диалогов' }).click();
  await expect(page).toHaveURL(/\/$/);
  expect(panics).toEqual([]);
});

test('an answered dialog nobody rates closes by itself, and the page shows it', async ({ page, seller, panics }) => {
  // The second server shares the host, so its session cookie replaces the first one's.
  const login = await page.request.post(`${AUTO_CLOSE_BASE}/api/dev/login`, { data: { seller }, headers: CSRF });
  expect(login.ok()).toBeTruthy();
  const d = await createDialog(page.request, AUTO_CLOSE_BASE);
  await page.goto(`${AUTO_CLOSE_BASE}/dialogs/${d.id}`);
  await appReady(page);
  await expect(status(page)).toContainText('Ожидает ответа');

  await agentAnswers(page.request, d.id, 'Ответ, который никто не оценит.', AUTO_CLOSE_BASE);
  await page.getByRole('button', { name: 'Обновить' }).click();
  await expect(status(page)).toContainText(ANSWERED);
  await expect(page.getByText(/закроется автоматически/).first()).toBeVisible();

  // Twelve seconds later the server closes it; the poll brings that without a reload.
  await expect(status(page)).toContainText("Завершён", { timeout: 40_000 });
  await expect(page.getByText('Закрыт автоматически')).toBeVisible();
  await expect(page.getByLabel('Ваше сообщение')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Создать новый диалог' })).toBeVisible();
  expect(await statusOf(page.request, d.id, AUTO_CLOSE_BASE)).toBe('closed');
  expect(panics).toEqual([]);
});
