// Fault injection: the API answers 500, never answers, sends broken JSON, the browser goes offline,
// an upload is refused with 413. Every time the seller must see a clear message and a retry that
// works once the fault is gone, and must lose nothing typed or attached; the `panics` fixture fails
// the test if the wasm app panics on the way.
import { Page, Route, Request } from '@playwright/test';
import { test, expect, appReady } from './fixtures';
import { createDialog } from './quality';

const PICK = 'Выберите файл или перетащите его сюда';
const COMMENT = 'Поставка 24017733 от 15.03.2024 не принята складом, акт и фото приложены.';
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201a5d1f0a10000000049454e44ae426082',
  'hex',
);
const FILES = [
  { name: 'act.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n') },
  { name: 'screen.png', mimeType: 'image/png', buffer: PNG },
];

/** The list/create endpoint exactly (not /api/dialogs/{id}); one function, so unroute finds it. */
const DIALOGS = (url: URL) => url.pathname === '/api/dialogs';
/** A handler that takes requests of one method and lets every other through. */
function only(method: string, handler: (route: Route, req: Request) => unknown) {
  return (route: Route) => (route.request().method() === method ? handler(route, route.request()) : route.fallback());
}

async function dialogTotal(page: Page): Promise<number> {
  const res = await page.request.get('/api/dialogs');
  expect(res.ok()).toBeTruthy();
  return (await res.json()).total;
}

/** Fills «Новый диалог» completely, with two accepted files; returns what a retry must still show. */
async function fillNewDialog(page: Page) {
  await page.goto('/new');
  await appReady(page);
  await page.getByLabel('Категория *').selectOption({ label: 'Поставка товара' });
  await page.getByLabel('Тема *').selectOption({ index: 1 });
  await page.getByLabel('Комментарий *').fill(COMMENT);
  await page.getByLabel(PICK).setInputFiles(FILES);
  await expect(page.locator('[data-state="accepted"]')).toHaveCount(2);
  return {
    category: await page.getByLabel('Категория *').inputValue(),
    theme: await page.getByLabel('Тема *').inputValue(),
  };
}

async function expectFormKept(page: Page, kept: { category: string; theme: string }) {
  await expect(page.getByLabel('Категория *')).toHaveValue(kept.category);
  await expect(page.getByLabel('Тема *')).toHaveValue(kept.theme);
  await expect(page.getByLabel('Комментарий *')).toHaveValue(COMMENT);
  const accepted = page.locator('[data-state="accepted"]');
  await expect(accepted).toHaveCount(2);
  for (const f of FILES) await expect(accepted.filter({ hasText: f.name })).toHaveCount(1);
}

/** The retry of the form created exactly one dialog, with the comment and both files. */
async function expectCreatedOnce(page: Page) {
  await expect(page).toHaveURL(/\/dialogs\/\d{8}$/);
  await expect(page.getByText(COMMENT)).toBeVisible();
  for (const f of FILES) await expect(page.getByRole('link', { name: new RegExp(f.name.replace('.', '\\.')) })).toBeVisible();
  expect(await dialogTotal(page)).toBe(1);
}

function listError(page: Page) {
  return page.getByRole('alert').filter({ hasText: 'Не удалось загрузить диалоги' });
}

test.describe('the list', () => {
  test('500: message, retry succeeds', async ({ page, panics }) => {
    const id = await createDialog(page.request, 'Проверка отказа сервера.');
    const fail = only('GET', (route) => route.fulfill({
      status: 500, contentType: 'application/json',
      body: '{"code":"internal","message":"Внутренняя ошибка сервера. Попробуйте ещё раз позже."}',
    }));
    await page.route(DIALOGS, fail);
    await page.goto('/');
    await appReady(page);
    await expect(listError(page)).toContainText(/ответил ошибкой\.? \(500\)/);
    await expect(page.locator('tbody tr')).toHaveCount(0);

    await page.unroute(DIALOGS, fail);
    await listError(page).getByRole('button', { name: 'Повторить' }).click();
    await expect(page.locator('tbody tr').filter({ hasText: String(id) })).toHaveCount(1);
    await expect(listError(page)).toHaveCount(0);
    expect(panics).toEqual([]);
  });

  test('no answer: times out after the configured timeout, retry succeeds', async ({ page, panics }) => {
    await page.addInitScript(() => { (window as any).SELLER_SUPPORT_CONFIG = { timeoutMs: 2000 }; });
    const id = await createDialog(page.request, 'Проверка зависшего запроса.');
    const hang = only('GET', () => { /* never answers */ });
    await page.route(DIALOGS, hang);
    await page.goto('/');
    await appReady(page);
    // The expect timeout (10 s) is below the default API timeout (15 s): the message can only
    // appear in time if the configured 2 s took effect.
    await expect(listError(page)).toContainText('Сервер поддержки не ответил вовремя.', { timeout: 10_000 });

    await page.unroute(DIALOGS, hang);
    await listError(page).getByRole('button', { name: 'Повторить' }).click();
    await expect(page.locator('tbody tr').filter({ hasText: String(id) })).toHaveCount(1);
    expect(panics).toEqual([]);
  });

  test('malformed JSON: message, retry succeeds', async ({ page, panics }) => {
    const id = await createDialog(page.request, 'Проверка битого ответа.');
    const broken = only('GET', (route) => route.fulfill({
      status: 200, contentType: 'application/json', body: '{"items": [{"id": 1, "status": "waiti',
    }));
    await page.route(DIALOGS, broken);
    await page.goto('/');
    await appReady(page);
    await expect(listError(page)).toContainText('не удалось прочитать');

    await page.unroute(DIALOGS, broken);
    await listError(page).getByRole('button', { name: 'Повторить' }).click();
    await expect(page.locator('tbody tr').filter({ hasText: String(id) })).toHaveCount(1);
    expect(panics).toEqual([]);
  });

  test('offline: the search text stays, retry succeeds once online', async ({ page, context, panics }) => {
    const id = await createDialog(page.request, 'Проверка без сети.');
    await page.goto('/');
    await appReady(page);
    await expect(page.locator('tbody tr')).toHaveCount(1);

    await context.setOffline(true);
    await page.getByLabel('Поиск по номеру или теме').fill(String(id));
    await page.getByRole('button', { name: 'Найти' }).click();
    await expect(listError(page)).toContainText('Нет связи с сервером поддержки.');
    await expect(page.getByLabel('Поиск по номеру или теме')).toHaveValue(String(id));

    await context.setOffline(false);
    await listError(page).getByRole('button', { name: 'Повторить' }).click();
    await expect(listError(page)).toHaveCount(0);
    await expect(page.locator('tbody tr').filter({ hasText: String(id) })).toHaveCount(1);
    await expect(page).toHaveURL(new RegExp(`q=${id}`));
    expect(panics).toEqual([]);
  });
});

// The release build keeps the new-dialog page and the dialog page in modules of their own, loaded
// when first needed (src/parts.rs); a module that cannot be fetched is a fault like any other.
test.describe("a page's own module", () => {
  const failed = (page: Page) => page.getByRole('alert').filter({ hasText: 'Эта страница не загрузилась' });

  test('opened directly while its module cannot be fetched: message, retry shows the page', async ({ page, panics }) => {
    const module = '**/split_new_dialog-*.wasm';
    await page.route(module, (r) => r.abort('internetdisconnected'));
    await page.goto('/new');
    await appReady(page);
    await expect(failed(page)).toBeVisible();
    await page.unroute(module);
    await failed(page).getByRole('button', { name: 'Повторить' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Новый диалог' })).toBeVisible();
    await page.getByLabel('Комментарий *').fill(COMMENT);
    await expect(page.getByLabel('Комментарий *')).toHaveValue(COMMENT);
    expect(panics).toEqual([]);
  });

  test('reached from the list while its module cannot be fetched: the list stays usable, retry shows the dialog', async ({ page, panics }) => {
    const id = await createDialog(page.request, 'Модуль страницы диалога не загрузился.');
    const module = '**/split_dialog-*.wasm';
    // Also fails the background fetch that starts once the list has settled: that one stays silent.
    await page.route(module, (r) => r.abort('internetdisconnected'));
    await page.goto('/');
    await appReady(page);
    await page.getByRole('link', { name: String(id) }).click();
    await expect(failed(page)).toBeVisible();
    await expect(page.getByRole('link', { name: 'Мои диалоги' })).toBeVisible();
    await page.unroute(module);
    await failed(page).getByRole('button', { name: 'Повторить' }).click();
    await expect(page.getByRole('heading', { level: 1, name: new RegExp(String(id)) })).toBeVisible();
    await expect(page.getByText('Модуль страницы диалога не загрузился.')).toBeVisible();
    expect(panics).toEqual([]);
  });
});

test.describe('a dialog page', () => {
  test('500, malformed JSON and no answer: message, retry succeeds', async ({ page, panics }) => {
    await page.addInitScript(() => { (window as any).SELLER_SUPPORT_CONFIG = { timeoutMs: 2000 }; });
    const id = await createDialog(page.request, 'Проверка страницы диалога при сбоях.');
    const path = `**/api/dialogs/${id}`;
    const loadError = page.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Повторить' }) });
    const heading = page.getByRole('heading', { level: 1, name: new RegExp(String(id)) });

    const faults: [string, (route: Route) => unknown][] = [
      [/ответил ошибкой\.? \(500\)/, (r) => r.fulfill({ status: 500, body: '<html>Bad gateway</html>' })],
      ['не удалось прочитать', (r) => r.fulfill({ status: 200, contentType: 'application/json', body: '[1,2' })],
      ['не ответил вовремя', () => { /* never answers */ }],
    ];
    for (const [message, handler] of faults) {
      await page.route(path, handler);
      await page.goto(`/dialogs/${id}`);
      await appReady(page);
      await expect(page.getByRole('heading', { name: 'Не удалось загрузить диалог' })).toBeVisible();
      await expect(loadError).toContainText(message);
      await page.unroute(path, handler);
      await loadError.getByRole('button', { name: 'Повторить' }).click();
      await expect(heading).toBeVisible();
      await expect(page.getByText('Проверка страницы диалога при сбоях.')).toBeVisible();
    }
    expect(panics).toEqual([]);
  });

  test('a reply sent offline or refused with 500 keeps its text and file; the retry sends it', async ({ page, context, panics }) => {
    const id = await createDialog(page.request, 'Проверка ответа при сбоях.');
    await page.goto(`/dialogs/${id}`);
    await appReady(page);
    const reply = 'Дополняю: акт расхождений № 5531 от 16.03.2024 во вложении.';
    await page.getByLabel('Ваше сообщение').fill(reply);
    const zone = page.locator('.ss-reply');
    await zone.getByLabel(PICK).setInputFiles(FILES[0]);
    await expect(zone.locator('[data-state="accepted"]')).toHaveCount(1);
    const failure = zone.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Повторить' }) });

    await context.setOffline(true);
    await zone.getByRole('button', { name: 'Отправить' }).click();
    await expect(failure).toContainText('Нет связи с сервером поддержки.');
    await expect(page.getByLabel('Ваше сообщение')).toHaveValue(reply);
    await expect(zone.locator('[data-state="accepted"]').filter({ hasText: 'act.pdf' })).toHaveCount(1);
    await context.setOffline(false);

    const messages = `**/api/dialogs/${id}/messages`;
    const fail = (route: Route) => route.fulfill({
      status: 500, contentType: 'application/json', body: '{"code":"internal","message":"x"}',
    });
    await page.route(messages, fail);
    await failure.getByRole('button', { name: 'Повторить' }).click();
    await expect(failure).toContainText(/ответил ошибкой\.? \(500\)/);
    await expect(page.getByLabel('Ваше сообщение')).toHaveValue(reply);
    await expect(zone.locator('[data-state="accepted"]').filter({ hasText: 'act.pdf' })).toHaveCount(1);

    await page.unroute(messages, fail);
    await failure.getByRole('button', { name: 'Повторить' }).click();
    await expect(page.getByText('Сообщение отправлено.')).toBeVisible();
    await expect(page.locator('.ss-thread, [aria-label="Переписка"]').first()).toContainText('акт расхождений № 5531');
    await expect(page.getByRole('link', { name: /act\.pdf/ })).toBeVisible();
    await expect(page.getByLabel('Ваше сообщение')).toHaveValue('');
    const detail = await (await page.request.get(`/api/dialogs/${id}`)).json();
    expect(detail.messages.filter((m: { text: string }) => m.text.includes('5531'))).toHaveLength(1);
    expect(panics).toEqual([]);
  });
});

test.describe('creating a dialog', () => {
  test('500 on submit: everything kept, retry creates one dialog', async ({ page, panics }) => {
    const kept = await fillNewDialog(page);
    const fail = only('POST', (route) => route.fulfill({
      status: 500, contentType: 'application/json', body: '{"code":"internal","message":"x"}',
    }));
    await page.route(DIALOGS, fail);
    await page.getByRole('button', { name: 'Создать диалог' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Диалог не создан: ошибка на сервере поддержки.' })).toBeVisible();
    await expectFormKept(page, kept);
    expect(await dialogTotal(page)).toBe(0);

    await page.unroute(DIALOGS, fail);
    await page.getByRole('button', { name: 'Отправить ещё раз' }).click();
    await expectCreatedOnce(page);
    expect(panics).toEqual([]);
  });

  test('413 on upload: the server\'s message, everything kept, retry creates one dialog', async ({ page, panics }) => {
    const kept = await fillNewDialog(page);
    const tooLarge = only('POST', (route) => route.fulfill({
      status: 413, contentType: 'application/json',
      body: JSON.stringify({
        code: 'payload_too_large',
        message: 'Запрос слишком большой: вложения не должны превышать 50 МБ в сумме.',
      }),
    }));
    await page.route(DIALOGS, tooLarge);
    await page.getByRole('button', { name: 'Создать диалог' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'вложения не должны превышать 50 МБ' })).toBeVisible();
    await expectFormKept(page, kept);

    await page.unroute(DIALOGS, tooLarge);
    await page.getByRole('button', { name: 'Отправить ещё раз' }).click();
    await expectCreatedOnce(page);
    expect(panics).toEqual([]);
  });

  test('malformed JSON after the server created it: the retry finds the same dialog', async ({ page, panics }) => {
    const kept = await fillNewDialog(page);
    const garble = only('POST', async (route) => {
      const real = await route.fetch();
      expect(real.status()).toBe(201);
      await route.fulfill({ status: 201, contentType: 'application/json', body: '{"id": 1371' });
    });
    await page.route(DIALOGS, garble);
    await page.getByRole('button', { name: 'Создать диалог' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'не удалось прочитать' })).toBeVisible();
    await expectFormKept(page, kept);

    await page.unroute(DIALOGS, garble);
    await page.getByRole('button', { name: 'Отправить ещё раз' }).click();
    // Same Idempotency-Key: the server hands back the dialog it already made.
    await expectCreatedOnce(page);
    expect(panics).toEqual([]);
  });

  test('the answer is lost, then the comment is edited: no second dialog, the seller is told where the first one is', async ({ page, panics }) => {
    const kept = await fillNewDialog(page);
    const lose = only('POST', async (route) => {
      expect((await route.fetch()).status()).toBe(201);
      await route.abort('connectionreset');
    });
    await page.route(DIALOGS, lose);
    await page.getByRole('button', { name: 'Создать диалог' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await expectFormKept(page, kept);
    await page.unroute(DIALOGS, lose);

    const edited = `${COMMENT} Дополнение: поставка 24017734.`;
    await page.getByLabel('Комментарий *').fill(edited);
    await page.getByRole('button', { name: /^(Отправить ещё раз|Создать диалог)$/ }).first().click();
    await expect(page.getByRole('alert').filter({ hasText: 'Диалог из этой формы уже создан' })).toBeVisible();
    // Nothing is lost, and there is still exactly one dialog.
    await expect(page.getByLabel('Комментарий *')).toHaveValue(edited);
    await expect(page.locator('[data-state="accepted"]')).toHaveCount(2);
    expect(await dialogTotal(page)).toBe(1);
    expect(panics).toEqual([]);
  });

  test('offline on submit: everything kept, retry creates one dialog once online', async ({ page, context, panics }) => {
    const kept = await fillNewDialog(page);
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Создать диалог' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Диалог не отправлен: нет связи с сервером.' })).toBeVisible();
    await expectFormKept(page, kept);

    await context.setOffline(false);
    await page.getByRole('button', { name: 'Отправить ещё раз' }).click();
    await expectCreatedOnce(page);
    expect(panics).toEqual([]);
  });

  test('an upload that never answers can be cancelled; everything kept, retry creates one dialog', async ({ page, panics }) => {
    const kept = await fillNewDialog(page);
    let arrived = 0;
    const hang = only('POST', () => { arrived += 1; /* never answers */ });
    await page.route(DIALOGS, hang);
    await page.getByRole('button', { name: 'Создать диалог' }).click();
    await expect(page.getByRole('button', { name: 'Создаём диалог…' })).toBeVisible();
    await expect.poll(() => arrived).toBe(1);
    await page.getByRole('button', { name: 'Отменить отправку' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Отправка отменена.' })).toBeVisible();
    await expectFormKept(page, kept);

    await page.unroute(DIALOGS, hang);
    await page.getByRole('button', { name: 'Отправить ещё раз' }).click();
    await expectCreatedOnce(page);
    expect(panics).toEqual([]);
  });
});

// 429: the server's usual JSON error with `Retry-After`, in seconds or as an HTTP date. The seller
// reads how long to wait, and loses nothing.
test.describe('too many requests', () => {
  const tooMany = (retryAfter: string) => (route: Route) => route.fulfill({
    status: 429,
    contentType: 'application/json',
    headers: { 'Retry-After': retryAfter },
    body: '{"code":"too_many_requests","message":"Слишком много запросов."}',
  });

  test('creating a dialog: the wait in words, everything kept, the retry creates one dialog', async ({ page, panics }) => {
    const kept = await fillNewDialog(page);
    const limited = only('POST', tooMany('30'));
    await page.route(DIALOGS, limited);
    await page.getByRole('button', { name: 'Создать диалог' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Слишком много запросов подряд. Повторите через 30 с.' })).toBeVisible();
    await expectFormKept(page, kept);
    expect(await dialogTotal(page)).toBe(0);

    await page.unroute(DIALOGS, limited);
    await page.getByRole('button', { name: 'Отправить ещё раз' }).click();
    await expectCreatedOnce(page);
    expect(panics).toEqual([]);
  });

  test('a reply and the list: an HTTP date is read too, the text and file stay', async ({ page, panics }) => {
    const id = await createDialog(page.request, 'Проверка ограничения частоты.');
    await page.goto(`/dialogs/${id}`);
    await appReady(page);
    const reply = 'Дополняю: акт № 5531 во вложении.';
    await page.getByLabel('Ваше сообщение').fill(reply);
    const zone = page.locator('.ss-reply');
    await zone.getByLabel(PICK).setInputFiles(FILES[0]);
    await expect(zone.locator('[data-state="accepted"]')).toHaveCount(1);
    const messages = `**/api/dialogs/${id}/messages`;
    // Two minutes from now, as a server would write it.
    const limited = tooMany(new Date(Date.now() + 120_000).toUTCString());
    await page.route(messages, limited);
    await zone.getByRole('button', { name: 'Отправить', exact: true }).click();
    const failure = zone.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Повторить' }) });
    await expect(failure).toContainText(/Слишком много запросов подряд\. Повторите через (1 мин 5\d с|2 мин)\./);
    await expect(page.getByLabel('Ваше сообщение')).toHaveValue(reply);
    await expect(zone.locator('[data-state="accepted"]').filter({ hasText: 'act.pdf' })).toHaveCount(1);
    await page.unroute(messages, limited);
    await failure.getByRole('button', { name: 'Повторить' }).click();
    await expect(page.getByText('Сообщение отправлено.')).toBeVisible();

    const list = only('GET', tooMany('5'));
    await page.route(DIALOGS, list);
    await page.goto('/');
    await appReady(page);
    await expect(listError(page)).toContainText('Повторите через 5 с.');
    await page.unroute(DIALOGS, list);
    await listError(page).getByRole('button', { name: 'Повторить' }).click();
    await expect(page.locator('tbody tr').filter({ hasText: String(id) })).toHaveCount(1);
    expect(panics).toEqual([]);
  });
});

test('the seller leaves while the form is sent, then the server names a field: no panic, the draft is kept', async ({ page, panics }) => {
  await fillNewDialog(page);
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => { release = resolve; });
  let arrived = 0;
  let answered = false;
  const refuse = only('POST', async (route) => {
    arrived += 1;
    await held;
    await route.fulfill({
      status: 422, contentType: 'application/json',
      body: '{"code":"comment_too_long","message":"Комментарий слишком длинный.","field":"comment"}',
    });
    answered = true;
  });
  await page.route(DIALOGS, refuse);
  await page.getByRole('button', { name: 'Создать диалог' }).click();
  await expect.poll(() => arrived).toBe(1);
  await page.locator('.ss-header').getByRole('link', { name: 'Мои диалоги' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Мои диалоги' })).toBeVisible();
  release();
  // The answer reaches a page that is gone; the app must live on.
  await expect.poll(() => answered).toBe(true);
  await page.locator('.ss-header').getByRole('link', { name: 'Новый диалог' }).click();
  await expect(page.getByLabel('Комментарий *')).toHaveValue(COMMENT);
  await page.unroute(DIALOGS, refuse);
  expect(panics).toEqual([]);
});
