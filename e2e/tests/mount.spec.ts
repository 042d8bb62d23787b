// A host cabinet that is a single-page app mounts and unmounts the app itself
// (`SellerSupport.mount(element, config)` → `handle.unmount()`), and hears about it through DOM
// events. After an unmount nothing of the app may keep running: no event stream, no listener on
// window or document, no timer that wakes it, no request.
import { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { API, DIST, hostPort, startHost } from '../hosts/setup';
import AxeBuilder from '@axe-core/playwright';

const PORT = hostPort(6);
let host: Awaited<ReturnType<typeof startHost>>;
test.beforeAll(async () => {
  host = await startHost({ port: PORT, dist: DIST, api: API, page: 'cabinet', hostConfig: { mount: 'manual' } });
});
test.afterAll(async () => {
  await host?.close();
});

/**
 * Counts what the page keeps alive: open EventSources, listeners on window and document, pending
 * intervals, fetches in flight; and records the app's events on document.
 */
async function instrument(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    const live = { sources: 0, listeners: 0, intervals: 0, timeouts: 0, fetches: 0, events: [] as unknown[], held: [] as string[] };
    w.__live = live;
    const RealES = window.EventSource;
    class CountedES extends RealES {
      private counted = true;
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        live.sources += 1;
      }
      close() {
        if (this.counted) live.sources -= 1;
        this.counted = false;
        super.close();
      }
    }
    w.EventSource = CountedES;
    for (const target of [window, document] as EventTarget[]) {
      const add = target.addEventListener.bind(target);
      const remove = target.removeEventListener.bind(target);
      const held = new Map<unknown, string>();
      const name = target === window ? 'window' : 'document';
      const list = () => { live.held = live.held.filter((h) => !h.startsWith(name)).concat([...held.values()]); };
      target.addEventListener = (type: string, fn: EventListenerOrEventListenerObject | null, opts?: boolean | AddEventListenerOptions) => {
        const key = fn;
        if (fn && !type.startsWith('seller-support:') && !held.has(key)) {
          held.set(key, `${name}:${type}`);
          live.listeners += 1;
          list();
        }
        add(type, fn, opts);
      };
      target.removeEventListener = (type: string, fn: EventListenerOrEventListenerObject | null, opts?: boolean | EventListenerOptions) => {
        if (held.delete(fn)) {
          live.listeners -= 1;
          list();
        }
        remove(type, fn, opts);
      };
    }
    const setI = window.setInterval.bind(window);
    const clearI = window.clearInterval.bind(window);
    const intervals = new Set<number>();
    w.setInterval = ((fn: TimerHandler, ms?: number, ...args: unknown[]) => {
      const id = setI(fn, ms, ...args);
      intervals.add(id);
      live.intervals = intervals.size;
      return id;
    }) as typeof setInterval;
    w.clearInterval = ((id?: number) => {
      if (id !== undefined) intervals.delete(id);
      live.intervals = intervals.size;
      clearI(id);
    }) as typeof clearInterval;
    // Timeouts longer than a frame: what could wake the app later (a poll, a reopen, a prefetch).
    const setT = window.setTimeout.bind(window);
    const clearT = window.clearTimeout.bind(window);
    const timeouts = new Set<number>();
    w.setTimeout = ((fn: TimerHandler, ms?: number, ...args: unknown[]) => {
      const long = (ms ?? 0) > 50;
      const id: number = setT((...a: unknown[]) => {
        timeouts.delete(id);
        live.timeouts = timeouts.size;
        if (typeof fn === 'function') fn(...a);
      }, ms, ...args);
      if (long) timeouts.add(id);
      live.timeouts = timeouts.size;
      return id;
    }) as typeof setTimeout;
    w.clearTimeout = ((id?: number) => {
      if (id !== undefined) timeouts.delete(id);
      live.timeouts = timeouts.size;
      clearT(id);
    }) as typeof clearTimeout;
    const realFetch = window.fetch.bind(window);
    w.fetch = (async (...args: Parameters<typeof fetch>) => {
      live.fetches += 1;
      try {
        return await realFetch(...args);
      } finally {
        live.fetches -= 1;
      }
    }) as typeof fetch;
    for (const name of ['seller-support:unread', 'seller-support:dialog-created', 'seller-support:navigate']) {
      document.addEventListener(name, (e) => live.events.push({ type: e.type, detail: (e as CustomEvent).detail }));
    }
  });
}

type Counts = { held: string[]; sources: number; listeners: number; intervals: number; timeouts: number; fetches: number; events: { type: string; detail: Record<string, unknown> }[] };
const counts = (page: Page) => page.evaluate(() => (window as unknown as { __live: Counts }).__live);

test.describe('a single-page host', () => {
  test.use({ seller: 'demo' });

  test('mounts, hears the unread count and moves, unmounts twice with nothing left behind', async ({ page, panics }) => {
    await instrument(page);
    await page.goto(`${host.url}/support/`);
    await page.waitForFunction(() => typeof (window as unknown as { SellerSupport?: unknown }).SellerSupport === 'object');
    // data-mount / mount: "manual": nothing mounted by itself.
    await page.waitForTimeout(1_000);
    await expect(page.locator('#seller-support .ss-app')).toHaveCount(0);
    const before = await counts(page);

    for (const round of [1, 2]) {
      await page.evaluate(async () => {
        const w = window as unknown as { SellerSupport: { mount: (e: Element, c: object) => { mounted: Promise<void> } }; __app: unknown };
        const app = w.SellerSupport.mount(document.getElementById('seller-support')!, { basePath: '/support' });
        w.__app = app;
        await app.mounted;
      });
      await expect(page.locator('#seller-support tbody tr').first()).toBeVisible();
      await expect.poll(async () => (await counts(page)).sources).toBe(1);
      await expect.poll(async () => (await counts(page)).events.some((e) => e.type === 'seller-support:unread')).toBe(true);
      const unread = (await counts(page)).events.find((e) => e.type === 'seller-support:unread')!;
      expect(typeof unread.detail.count).toBe('number');
      // A move inside the app is announced with its path.
      await page.locator('#seller-support tbody tr a').first().click();
      await expect.poll(async () => (await counts(page)).events.filter((e) => e.type === 'seller-support:navigate').length).toBeGreaterThan(0);
      const moved = (await counts(page)).events.filter((e) => e.type === 'seller-support:navigate').at(-1)!;
      expect(String(moved.detail.path)).toMatch(/^\/support\/dialogs\/\d{8}$/);
      await expect(page.locator('#seller-support h1')).toContainText('№');

      await page.evaluate(() => (window as unknown as { __app: { unmount: () => void } }).__app.unmount());
      await expect(page.locator('#seller-support .ss-app')).toHaveCount(0);
      await expect.poll(async () => (await counts(page)).fetches).toBe(0);
      const after = await counts(page);
      expect(after.sources, `round ${round}: open event streams`).toBe(0);
      expect(after.held, `round ${round}: listeners on window and document`).toEqual(before.held);
      expect(after.intervals, `round ${round}: intervals`).toBe(before.intervals);
      expect(after.timeouts, `round ${round}: pending timeouts`).toBe(before.timeouts);
      await page.evaluate(() => { (window as unknown as { __live: Counts }).__live.events = []; });
      await page.evaluate(() => history.replaceState(null, '', '/support/'));
    }

    // Nothing wakes up later: no request reaches the host in the next seconds. (Nothing is left
    // to wake it either: no interval, no pending timeout, as counted above.)
    const seen = host.requests.length;
    await page.waitForTimeout(3_000);
    expect(host.requests.slice(seen).map((r) => r.path)).toEqual([]);

    // Mounted once more, the app's part of the page is axe clean. (Last: axe leaves listeners of
    // its own on the window.)
    await page.evaluate(() => (window as unknown as { SellerSupport: { mount: (e: Element, c: object) => { mounted: Promise<void> } } }).SellerSupport.mount(document.getElementById('seller-support')!, { basePath: '/support' }).mounted);
    await expect(page.locator('#seller-support tbody tr').first()).toBeVisible();
    // The app's part of the page only: the test cabinet itself is not what is checked. (Its
    // <header> and the app's are two banners on one page: a known limit of embedding the
    // standalone header, not of mounting.)
    const axe = await new AxeBuilder({ page }).include('#seller-support').disableRules(['landmark-no-duplicate-banner']).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    expect(panics).toEqual([]);
  });
});
