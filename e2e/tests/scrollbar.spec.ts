// A seller's browser shows a vertical scrollbar once the page is taller than the window; Playwright
// hides scrollbars in headless Chromium (--hide-scrollbars), which hid this shift from every other
// spec: the list arriving made the scrollbar appear and moved the whole centred page 7 px to the
// left (Lighthouse desktop CLS 0.136 on `/`).
import { test as base, expect, appReady } from './fixtures';

const test = base.extend<object, object>({
  launchOptions: [async ({ launchOptions }, use) => {
    await use({ ...launchOptions, ignoreDefaultArgs: ['--hide-scrollbars'] });
  }, { scope: 'worker' }],
});
test.use({ seller: 'demo', viewport: { width: 1350, height: 940 } });

test('the page does not move sideways when the list makes it taller than the window', async ({ page, panics }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { shellLeft: number; shift: number };
    w.shift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.shift += (e as unknown as { value: number }).value;
    }).observe({ type: 'layout-shift', buffered: true });
    // Where the static shell first paints the notice, before the app runs.
    const first = () => {
      const notice = document.querySelector('[data-ss-shell-notice] .ss-notice');
      if (notice) w.shellLeft = notice.getBoundingClientRect().left;
      else requestAnimationFrame(first);
    };
    requestAnimationFrame(first);
  });
  await page.goto('/');
  await appReady(page);
  await expect(page.locator('tbody tr')).toHaveCount(20);
  // Two frames, so the last layout is painted and any shift reported.
  const seen = await page.evaluate(() => new Promise<{ tall: boolean; gutter: number; shellLeft: number; left: number; shift: number }>((done) => {
    requestAnimationFrame(() => requestAnimationFrame(() => {
      const w = window as unknown as { shellLeft: number; shift: number };
      const root = document.documentElement;
      done({
        tall: root.scrollHeight > innerHeight,
        gutter: innerWidth - root.clientWidth,
        shellLeft: w.shellLeft,
        left: document.querySelector('[data-ss-shell-notice] .ss-notice')!.getBoundingClientRect().left,
        shift: w.shift,
      });
    }));
  }));
  // The premise: the list does make the page scroll, and the scrollbar takes room.
  expect(seen.tall).toBe(true);
  expect(seen.gutter).toBeGreaterThan(0);
  expect(seen.left).toBe(seen.shellLeft);
  expect(seen.shift).toBeLessThan(0.01);
  expect(panics).toEqual([]);
});
