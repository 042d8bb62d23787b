// Static hosting under a sub-path: `trunk build --release --public-url /support/ --dist DIR`
// served by a plain static server (e2e/hosts/serve.cjs) with the SPA fallback a deployer writes,
// and with E2E_HOST=nginx by nginx with the README's block (e2e/hosts/nginx.cjs). Needs
// E2E_EMBED_DIST = such a build.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, appReady, CSRF } from './fixtures';
import { API, DIST, hostPort, assetBase, startHost } from '../hosts/setup';

const PORT = hostPort(2);
const isSubpathBuild = assetBase(DIST) === '/support/';

let host: Awaited<ReturnType<typeof startHost>>;
test.beforeAll(async () => {
  // The dist's own config.json, untouched: the base path must come from the build alone.
  host = await startHost({ port: PORT, dist: DIST, api: API, page: 'index' });
});
test.afterAll(async () => {
  await host?.close();
});
test.beforeEach(() => {
  test.skip(!isSubpathBuild, `E2E_EMBED_DIST (${DIST}) is not a --public-url /support/ build`);
});

test('the build: every reference under /support/, hashed names, .br and .gz beside each asset', async ({ request }) => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href|data-js|data-wasm)="([^"]+)"/g)].map((m) => m[1]);
  expect(refs.length).toBeGreaterThanOrEqual(4);
  for (const ref of refs.filter((r) => !r.startsWith('./') && r !== 'new')) expect(ref).toMatch(/^\/support\//);
  const files = readdirSync(DIST);
  const assets = files.filter((f) => /\.(js|wasm|css)$/.test(f) && f !== 'boot.js');
  // Trunk prints the 64-bit hash without leading zeros, so it is 16 hex digits or a few fewer.
  expect(assets.map((f) => f.replace(/-[0-9a-f]{12,16}(_bg)?\./, '-HASH$1.'))).toEqual(
    expect.arrayContaining(['seller-support-HASH.js', 'seller-support-HASH_bg.wasm', expect.stringMatching(/^main-HASH\.css$/)]),
  );
  for (const f of [...assets, 'index.html', 'boot.js']) {
    expect(files, f).toContain(`${f}.br`);
    expect(files, f).toContain(`${f}.gz`);
  }
  // And a static host that looks for them serves them (nginx without ngx_brotli: the .gz).
  const wasm = assets.find((f) => f.endsWith('.wasm'))!;
  const res = await request.get(`${host.url}/support/${wasm}`, { headers: { 'Accept-Encoding': host.encodings.join(', ') } });
  expect(res.status()).toBe(200);
  expect(res.headers()['content-encoding']).toBe(host.encodings[0]);
  expect(res.headers()['content-type']).toBe('application/wasm');
});

test('deep links and reloads under /support, config.json read next to boot.js', async ({ page, panics }) => {
  await page.goto(`${host.url}/support/new`);
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Новый диалог' })).toBeVisible();
  await expect(page.getByLabel('Категория *')).toBeEnabled();
  await page.reload();
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Новый диалог' })).toBeVisible();
  expect(host.requests.some((r) => r.path === '/support/config.json')).toBeTruthy();
  // Nothing was looked for outside /support (e.g. a favicon relative to a deep link).
  const outside = host.requests.filter((r) => !r.path.startsWith('/support/') && !r.path.startsWith('/api/'));
  expect(outside.map((r) => r.path)).toEqual([]);

  // Create a dialog, then open its page by address and reload it.
  await page.getByLabel('Категория *').selectOption({ label: 'Карточка товара' });
  await page.getByLabel('Тема *').selectOption({ label: 'Ошибки при загрузке фото/видео' });
  await page.getByLabel('Комментарий *').fill('Видео в карточку номенклатуры 178234599 не загружается.');
  await page.getByRole('button', { name: 'Создать диалог' }).click();
  await expect(page).toHaveURL(/\/support\/dialogs\/\d+$/);
  const url = page.url();
  const id = url.match(/(\d+)$/)![1];
  await page.goto('about:blank');
  await page.goto(url);
  await appReady(page);
  await expect(page.locator('.ss-app h1')).toContainText(id);
  await page.reload();
  await appReady(page);
  await expect(page.getByText('номенклатуры 178234599')).toBeVisible();
  await page.goBack();
  await page.goForward();
  await appReady(page);
  await expect(page).toHaveURL(url);

  // Unknown route: the app's own not-found page (SPA fallback), with a way back inside /support.
  await page.goto(`${host.url}/support/no/such/page`);
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Страница не найдена' })).toBeVisible();
  await page.getByRole('link', { name: 'К списку диалогов' }).click();
  await expect(page).toHaveURL(`${host.url}/support/`);
  expect(panics).toEqual([]);
});

test('files of several MiB go through the host to the API and back', async ({ page, panics }) => {
  // nginx's default request body limit is 1 MiB: the README's block must lift it for uploads.
  const dir = mkdtempSync(join(tmpdir(), 'ss-subpath-'));
  const scan = join(dir, 'scan.pdf');
  const body = Buffer.alloc(9 * 1024 * 1024, 0x20);
  body.write('%PDF-1.7\n', 0, 'latin1');
  writeFileSync(scan, body);
  await page.goto(`${host.url}/support/new`);
  await appReady(page);
  await page.getByLabel('Категория *').selectOption({ label: 'Поставка товара' });
  await page.getByLabel('Тема *').selectOption({ index: 1 });
  await page.getByLabel('Комментарий *').fill('Поставка 21573344 от 25.04.2023 не принята, скан акта приложен.');
  await page.getByLabel('Выберите файл или перетащите его сюда').setInputFiles([scan]);
  await expect(page.locator('[data-state="accepted"]')).toHaveCount(1);
  await page.getByRole('button', { name: 'Создать диалог' }).click();
  await expect(page).toHaveURL(/\/support\/dialogs\/\d+$/);
  const link = page.getByRole('link', { name: /scan\.pdf/ });
  await expect(link).toBeVisible();
  const res = await page.request.get(new URL((await link.getAttribute('href'))!, page.url()).href);
  expect(res.status()).toBe(200);
  expect((await res.body()).length).toBe(body.length);
  expect(panics).toEqual([]);
});

test('the event stream passes through the host as each event happens', async ({ page }) => {
  await page.goto(`${host.url}/support/`);
  await appReady(page);
  const catalog = await (await page.request.get(`${host.url}/api/catalog`)).json();
  const category = catalog.categories[0];
  const created = await page.request.post(`${host.url}/api/dialogs`, {
    headers: CSRF,
    multipart: { category: category.id, theme: category.themes[0].id, comment: 'Поставка 21573344 не принята.' },
  });
  expect(created.status(), await created.text()).toBe(201);
  const id = (await created.json()).id;
  // A stream of our own in the page (the app's may or may not be open): the answer's event must
  // arrive while the stream stays open, not when a proxy's buffer fills or the stream ends.
  const event = page.evaluate(
    ({ url, id }) =>
      new Promise<string>((resolve) => {
        const es = new EventSource(url);
        es.addEventListener('message', (e) => {
          const data = JSON.parse((e as MessageEvent).data);
          if (data.dialog_id === id) {
            es.close();
            resolve(data.message?.author ?? 'none');
          }
        });
        es.addEventListener('ready', () => (window as unknown as { __ready: boolean }).__ready = true);
        setTimeout(() => resolve('timeout'), 8000);
      }),
    { url: `${host.url}/api/events`, id },
  );
  await expect.poll(() => page.evaluate(() => (window as unknown as { __ready?: boolean }).__ready === true)).toBe(true);
  const answer = await page.request.post(`${host.url}/api/agent/dialogs/${id}/messages`, {
    headers: { Authorization: 'Bearer demo-agent', ...CSRF },
    data: { text: 'Приёмка завершена.' },
  });
  expect(answer.status(), await answer.text()).toBe(201);
  expect(await event).toBe('support');
});

test('a missing asset is a 404, not index.html', async ({ request }) => {
  const res = await request.get(`${host.url}/support/seller-support-0000000000000000.js`);
  expect(res.status()).toBe(404);
});
