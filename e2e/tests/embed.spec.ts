// The app embedded into a cabinet-like host page (e2e/hosts/cabinet.html) whose global CSS is as
// hostile as it gets: the app must look like itself, the host must look like itself, and the
// app's links and history must stay under /support.
import { Page } from '@playwright/test';
import { test, expect, appReady } from './fixtures';
import { API, DIST, hostPort, startHost, styleOf } from '../hosts/setup';

const PORT = hostPort(0);
const SPARE = hostPort(4); // hosts with a special config, one at a time

let host: Awaited<ReturnType<typeof startHost>>;
test.beforeAll(async () => {
  host = await startHost({ port: PORT, dist: DIST, api: API, page: 'cabinet' });
});
test.afterAll(async () => {
  await host?.close();
});

const HOST_PROPS = ['font-family', 'font-size', 'letter-spacing', 'color', 'background-color', 'text-transform',
  'border-top-width', 'border-top-style', 'margin-top', 'line-height'];

/** Computed styles of the host's own elements. */
async function hostStyles(page: Page) {
  return {
    h1: await styleOf(page, '#cab-title', HOST_PROPS),
    button: await styleOf(page, '#cab-button', HOST_PROPS),
    link: await styleOf(page, '#cab-home', HOST_PROPS),
    td: await styleOf(page, '#cab-table td', HOST_PROPS),
    footer: await styleOf(page, '#cab-footer', HOST_PROPS),
    body: await styleOf(page, 'body', HOST_PROPS),
  };
}

test.describe('with the demo seller (a table of dialogs)', () => {
  test.use({ seller: 'demo' });

  test('the app looks like itself on a hostile cabinet page, and the host is unchanged', async ({ page, panics }) => {
    // The host page exactly as the cabinet draws it without the app: no app CSS, no boot script.
    await page.route(/\/(boot\.js|main-[0-9a-f]+\.css)$/, (r) => r.abort());
    await page.goto(`${host.url}/support/`);
    await expect(page.locator('#cab-title')).toHaveText('Кабинет продавца');
    await page.evaluate(() => document.fonts.ready);
    const before = await hostStyles(page);
    // The cabinet's CSS really is aggressive (otherwise this test proves nothing).
    expect(before.button['background-color']).toBe('rgb(255, 0, 0)');
    expect(before.h1['font-size']).toBe('60px');
    expect(before.td['border-top-width']).toBe('5px');
    expect(before.link.color).toBe('rgb(0, 128, 0)');

    await page.unrouteAll();
    await page.goto(`${host.url}/support/`);
    await appReady(page);
    await expect(page.locator('.ss-app tbody tr').first()).toBeVisible();
    await page.evaluate(() => document.fonts.ready);

    // The host: every measured property of its own elements is what it was without the app.
    expect(await hostStyles(page)).toEqual(before);

    // The app: its own font, sizes and colours, none of the host's.
    const newDialog = await styleOf(page, '.ss-header .ss-button-primary',
      ['background-color', 'color', 'text-transform', 'letter-spacing', 'font-family']);
    expect(newDialog['background-color']).toBe('rgb(109, 40, 217)');
    expect(newDialog.color).toBe('rgb(255, 255, 255)');
    expect(newDialog['text-transform']).toBe('none');
    expect(newDialog['letter-spacing']).toBe('normal');
    expect(newDialog['font-family']).toMatch(/^system-ui/);

    const lang = await styleOf(page, '.ss-lang',
      ['background-color', 'text-transform', 'border-top-style', 'border-top-width', 'color']);
    expect(lang['background-color']).toBe('rgba(0, 0, 0, 0)');
    expect(lang['text-transform']).toBe('none');
    expect(lang['border-top-style']).toBe('solid');
    expect(lang['border-top-width']).toBe('1px');

    const h1 = await styleOf(page, '.ss-app h1', ['font-size', 'font-family', 'color', 'letter-spacing']);
    expect(h1['font-size']).toBe('24px');
    expect(h1['letter-spacing']).toBe('normal');
    expect(h1['font-family']).toMatch(/^system-ui/);

    const td = await styleOf(page, '.ss-app tbody td', ['border-top-width', 'border-left-width', 'border-bottom-width', 'font-family']);
    expect(td['border-top-width']).toBe('0px');
    expect(td['border-left-width']).toBe('0px');
    expect(td['border-bottom-width']).toBe('1px');
    expect(td['font-family']).toMatch(/^system-ui/);

    const rowLink = await styleOf(page, '.ss-app tbody a', ['color', 'letter-spacing']);
    expect(rowLink.color).not.toBe('rgb(0, 128, 0)');
    expect(rowLink['letter-spacing']).toBe('normal');

    // Every rule of the app's stylesheet is scoped to an ss- class, so nothing can reach the host.
    const unscoped = await page.evaluate(() => {
      const bad: string[] = [];
      const walk = (rules: CSSRuleList) => {
        for (const r of Array.from(rules)) {
          if (r instanceof CSSStyleRule) {
            for (const sel of r.selectorText.split(',')) if (!sel.includes('.ss-')) bad.push(sel.trim());
          } else if ('cssRules' in r) {
            walk((r as CSSGroupingRule).cssRules);
          } else if (!(r instanceof CSSKeyframesRule)) {
            bad.push(r.cssText.slice(0, 60));
          }
        }
      };
      let appSheets = 0;
      for (const s of Array.from(document.styleSheets)) {
        if (s.href && /\/main-[0-9a-f]+\.css$/.test(s.href)) {
          appSheets += 1;
          walk(s.cssRules);
        }
      }
      return { appSheets, bad };
    });
    expect(unscoped.appSheets).toBe(1);
    expect(unscoped.bad).toEqual([]);

    await page.screenshot({ path: test.info().outputPath('embed-cabinet.png'), fullPage: true });
    await page.screenshot({ path: 'test-results/embed-cabinet.png', fullPage: true });
    expect(panics).toEqual([]);
  });

  test('links of the dialog page stay under /support too (closed panel, not found)', async ({ page, panics }) => {
    await page.goto(`${host.url}/support/`);
    await appReady(page);
    const closedRow = page.locator('.ss-app tbody tr').filter({ hasText: 'Завершён' }).first();
    await closedRow.getByRole('link').first().click();
    await expect(page).toHaveURL(/\/support\/dialogs\/\d+$/);
    const again = page.getByRole('link', { name: 'Создать новый диалог' });
    await expect(again).toHaveAttribute('href', /^\/support\/new\?/);
    await again.click();
    await expect(page).toHaveURL(/\/support\/new\?/);
    await expect(page.getByRole('heading', { level: 1, name: 'Новый диалог' })).toBeVisible();

    await page.goto(`${host.url}/support/dialogs/abc`);
    await appReady(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Диалог не найден' })).toBeVisible();
    const back = page.getByRole('link', { name: 'К списку диалогов' });
    await expect(back).toHaveAttribute('href', '/support/');
    await back.click();
    await expect(page).toHaveURL(`${host.url}/support/`);
    expect(panics).toEqual([]);
  });
});

test('links and history stay under /support; the host\'s own links are left to the browser', async ({ page, panics }) => {
  await page.goto(`${host.url}/support/`);
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Мои диалоги' })).toBeVisible();
  // A marker that only survives client-side navigation: a full page load would drop it.
  await page.evaluate(() => ((window as unknown as { __kept: number }).__kept = 1));

  await page.locator('.ss-header').getByRole('link', { name: 'Новый диалог' }).click();
  await expect(page).toHaveURL(`${host.url}/support/new`);
  await expect(page.getByRole('heading', { level: 1, name: 'Новый диалог' })).toBeVisible();
  // The title is the cabinet's: the app names its pages only on its own standalone page.
  await expect(page).toHaveTitle('Кабинет продавца — Поддержка');
  await page.goBack();
  await expect(page).toHaveURL(`${host.url}/support/`);
  await expect(page.getByRole('heading', { level: 1, name: 'Мои диалоги' })).toBeVisible();
  await page.goForward();
  await expect(page).toHaveURL(`${host.url}/support/new`);
  await page.locator('.ss-header').getByRole('link', { name: 'Мои диалоги' }).click();
  await expect(page).toHaveURL(`${host.url}/support/`);
  expect(await page.evaluate(() => (window as unknown as { __kept?: number }).__kept)).toBe(1);
  // Every address the app put in the history is under the base path.
  const appLinks = await page.locator('#seller-support a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(appLinks.length).toBeGreaterThan(0);
  for (const href of appLinks) expect(href).toMatch(/^\/support(\/|$|\?)/);

  // The cabinet's link out of the app is a normal page load, not swallowed by the app's router.
  await page.locator('#cab-home').click();
  await expect(page).toHaveURL(`${host.url}/orders`);
  await expect(page.locator('#cab-title')).toHaveText('Заказы');
  expect(await page.evaluate(() => (window as unknown as { __kept?: number }).__kept)).toBeUndefined();
  expect(panics).toEqual([]);
});

test('config precedence: data- attributes over window.SELLER_SUPPORT_CONFIG over config.json', async ({ page, panics }) => {
  const special = await startHost({
    port: SPARE, dist: DIST, api: API, page: 'cabinet',
    // config.json: the locale (nobody overrides it) and an API base and base path that lose.
    configJson: { locale: 'en', apiBase: '/from-config-json', basePath: '/from-config-json' },
    // window config: the API base (wins over config.json), a base path that loses to the attribute.
    hostConfig: { apiBase: '/cabinet-api', basePath: '/from-window' },
    hostAttrs: { basePath: '/support' },
    apiPrefix: '/cabinet-api',
  });
  try {
    await page.goto(`${special.url}/support/new`);
    await appReady(page);
    await expect(page.getByRole('heading', { level: 1, name: 'New dialog' })).toBeVisible();
    await expect(page.locator('.ss-app')).toHaveAttribute('lang', 'en');
    // The catalog came through the window config's API base.
    await expect(page.getByLabel(/^Category/)).toBeEnabled();
    const apiPaths = special.requests.filter((r) => r.path.includes('/api/')).map((r) => r.path);
    expect(apiPaths.some((p) => p.startsWith('/cabinet-api/api/'))).toBeTruthy();
    expect(apiPaths.filter((p) => !p.startsWith('/cabinet-api/api/'))).toEqual([]);
    // config.json was read next to boot.js, i.e. under the build's public URL.
    expect(special.requests.some((r) => r.path === `${special.base}config.json`)).toBeTruthy();
    await page.locator('.ss-header').getByRole('link', { name: 'My dialogs' }).click();
    await expect(page).toHaveURL(`${special.url}/support/`);
    // The config's locale is not the seller's choice: nothing is stored for the next visit.
    expect(await page.evaluate(() => localStorage.getItem('seller-support.locale'))).toBeNull();
  } finally {
    await special.close();
  }
  expect(panics).toEqual([]);
});

test('bearer auth: every API request carries the token the host hands over', async ({ page, panics }) => {
  const special = await startHost({
    port: SPARE, dist: DIST, api: API, page: 'cabinet',
    hostConfig: { auth: 'bearer', token: 'cabinet-token-42', timeoutMs: 20000 },
  });
  try {
    await page.goto(`${special.url}/support/`);
    await appReady(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Мои диалоги' })).toBeVisible();
    await expect.poll(() => special.requests.filter((r) => r.path.startsWith('/api/dialogs')).length).toBeGreaterThan(0);
    // The create request (an XHR with upload progress, not fetch) carries it too.
    await page.locator('.ss-header').getByRole('link', { name: 'Новый диалог' }).click();
    await page.getByLabel('Категория *').selectOption({ label: 'Карточка товара' });
    await page.getByLabel('Тема *').selectOption({ label: 'Ошибки при загрузке фото/видео' });
    await page.getByLabel('Комментарий *').fill('Видео в карточку номенклатуры 178234599 не загружается.');
    await page.getByRole('button', { name: 'Создать диалог' }).click();
    await expect(page).toHaveURL(/\/support\/dialogs\/\d+$/);
    expect(special.requests.some((r) => r.method === 'POST' && r.path === '/api/dialogs')).toBeTruthy();
    const api = special.requests.filter((r) => r.path.startsWith('/api/'));
    for (const r of api) expect(r.headers.authorization, `${r.method} ${r.path}`).toBe('Bearer cabinet-token-42');
  } finally {
    await special.close();
  }
  expect(panics).toEqual([]);
});
