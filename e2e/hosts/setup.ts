import { Page } from '@playwright/test';
import { assetBase, startHost as startNodeHost } from './serve.cjs';
import { startNginxHost } from './nginx.cjs';

/** The reference server Playwright starts (playwright.config.ts webServer). */
export const API = `http://127.0.0.1:${Number(process.env.E2E_PORT || 18080)}`;
/**
 * The built app the host pages serve: a `--public-url /support/` build for the sub-path spec
 * (E2E_EMBED_DIST), otherwise whatever the suite runs on.
 */
export const DIST = process.env.E2E_EMBED_DIST || process.env.E2E_DIST || '../dist';
/**
 * Host servers listen on E2E_HOST_PORT, E2E_HOST_PORT+1, ... (one per spec file) when it is set,
 * otherwise on any free port (the machine is shared; fixed ports collide).
 */
const FIRST = Number(process.env.E2E_HOST_PORT || 0);
export const hostPort = (offset: number) => (FIRST ? FIRST + offset : 0);

/**
 * E2E_HOST=nginx: the host pages come from a real nginx configured by the README's block
 * (hosts/nginx.cjs) instead of the small node host; the specs are the same.
 */
export const HOST_KIND = process.env.E2E_HOST === 'nginx' ? 'nginx' : 'node';
export const startHost: typeof startNodeHost = HOST_KIND === 'nginx' ? startNginxHost : startNodeHost;

export { assetBase };
export { STRICT_CSP } from './serve.cjs';

/**
 * Records every Content-Security-Policy violation the page sees, from its first script on, in
 * `window.__cspViolations`; read them with {@link cspViolations}.
 */
export async function recordCspViolations(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
    });
  });
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}

/** Computed style properties of the first element matching `selector`. */
export async function styleOf(page: Page, selector: string, props: string[]) {
  return page.locator(selector).first().evaluate((el, ps) => {
    const cs = getComputedStyle(el);
    return Object.fromEntries(ps.map((p) => [p, cs.getPropertyValue(p)]));
  }, props);
}
