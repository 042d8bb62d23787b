import { test, expect, appReady } from './fixtures';

test('the list page links to a new dialog', async ({ page, panics }) => {
  await page.goto('/');
  await appReady(page);
  await expect(page.getByRole('note')).toContainText('Поддержка бесплатна');
  await expect(page.getByRole('note')).toContainText('специалистам');
  await expect(page).toHaveTitle('Мои диалоги — Поддержка');
  await page.getByRole('link', { name: 'Новый диалог' }).first().click();
  await expect(page).toHaveURL(/\/new$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Новый диалог' })).toBeVisible();
  // The tab and the history list name each page, in the seller's language.
  await expect(page).toHaveTitle('Новый диалог — Поддержка');
  await page.getByRole('button', { name: /Язык интерфейса/ }).click();
  await expect(page).toHaveTitle('New dialog — Support');
  await page.getByRole('button', { name: /Interface language|Язык интерфейса/ }).click();
  await page.goBack();
  await expect(page).toHaveTitle('Мои диалоги — Поддержка');
  await expect(page.getByRole('heading', { level: 1, name: 'Мои диалоги' })).toBeFocused();
  expect(panics).toEqual([]);
});

test('an unknown address shows the not-found page, also after a reload', async ({ page }) => {
  await page.goto('/no/such/page');
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Страница не найдена' })).toBeVisible();
  await expect(page).toHaveTitle('Страница не найдена — Поддержка');
  await page.getByRole('link', { name: 'К списку диалогов' }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('the static notice is adopted, not re-created: the first paint stays the largest one', async ({ page, panics }) => {
  // Watches the page from its first byte: which nodes the app removes, and each Largest
  // Contentful Paint candidate.
  await page.addInitScript(() => {
    const w = window as unknown as { removedNotice: boolean; lcp: string[] };
    w.removedNotice = false;
    w.lcp = [];
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.removedNodes) {
          if (n instanceof Element && (n.matches('.ss-notice, [data-ss-shell-notice]') || n.querySelector('.ss-notice'))) w.removedNotice = true;
        }
      }
    }).observe(document, { childList: true, subtree: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const el = (e as unknown as { element?: Element }).element;
        w.lcp.push(el ? el.outerHTML.slice(0, 40) : 'removed');
      }
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
  await page.goto('/');
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Мои диалоги' })).toBeVisible();
  const seen = await page.evaluate(() => {
    const w = window as unknown as { removedNotice: boolean; lcp: string[] };
    return { removedNotice: w.removedNotice, lcp: w.lcp };
  });
  expect(seen.removedNotice).toBe(false);
  expect(seen.lcp.at(-1)).toContain('role="note"');
  // Exactly one notice, and it is still a labelled landmark.
  await expect(page.getByRole('complementary', { name: 'Поддержка бесплатна и работает только здесь' })).toHaveCount(1);
  expect(panics).toEqual([]);
});
