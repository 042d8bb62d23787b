// Lighthouse against the built app served by the reference server: starts the server on a free
// port with a throwaway data directory and demo data, runs lighthouse@12.2.3 (e2e/node_modules) in
// headless Chromium for each page, and prints the performance, accessibility and best-practices
// scores, the metrics, and every audit that costs points. Scores are printed, never judged: it
// exits non-zero only when a tool or the build is missing.
//
// Usage: node scripts/lighthouse.mjs [--dist DIR] [--server BIN] [--pages /,/new,/dialogs/first]
//                                    [--preset mobile|desktop] [--runs N] [--save DIR]
// With --runs N each page is measured N times and the run with the median performance is shown.
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1] : fallback;
};
const dist = resolve(opt('dist', join(root, 'dist')));
const serverBin = resolve(opt('server', join(root, 'target/release/seller-support-server')));
// `/dialogs/first` stands for the demo seller's newest dialog (its number differs per start).
const pages = opt('pages', '/,/new,/dialogs/first').split(',').filter(Boolean);
const preset = opt('preset', 'mobile');
const runs = Math.max(1, Number(opt('runs', '1')) || 1);
const saveDir = opt('save', null); // keep each page's full report (JSON) here
const chrome = process.env.CHROME_PATH || '/usr/bin/chromium';
const lighthouseBin = join(root, 'e2e/node_modules/lighthouse/cli/index.js');

// The flags of DEVELOPERS.md: no background traffic, no DNS look-ups outside 127.0.0.1.
const chromeFlags = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"',
].join(' ');

function missing(what) {
  console.error(`lighthouse: ${what}`);
  process.exit(2);
}
if (!existsSync(lighthouseBin)) missing(`not installed (${lighthouseBin}); run scripts/bootstrap.sh test`);
if (!existsSync(chrome)) missing(`no Chromium at ${chrome} (set CHROME_PATH)`);
if (!existsSync(serverBin)) missing(`no server at ${serverBin}; cargo build --release -p seller-support-server`);
if (!existsSync(join(dist, 'index.html'))) missing(`no build in ${dist}; trunk build --release`);

const freePort = () => new Promise((ok, fail) => {
  const s = createServer();
  s.once('error', fail);
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => ok(port));
  });
});

async function waitHealthy(base, server) {
  for (let i = 0; i < 200; i++) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become healthy in 20 s');
}

const run = promisify(execFile);
async function lighthouse(url) {
  const flags = [
    lighthouseBin, url, '--quiet', '--output=json', '--output-path=stdout',
    '--only-categories=performance,accessibility,best-practices',
    `--chrome-flags=${chromeFlags}`,
  ];
  if (preset === 'desktop') flags.push('--preset=desktop');
  const { stdout } = await run(process.execPath, flags, {
    env: { ...process.env, CHROME_PATH: chrome }, maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

const pct = (s) => (s === null || s === undefined ? '  –' : String(Math.round(s * 100)).padStart(3));
const ms = (a) => (a && typeof a.numericValue === 'number' ? `${Math.round(a.numericValue)} ms` : '–');

/** Audits that cost points: scored below 1 in a category and weighing something there. */
function losses(lhr, category) {
  return lhr.categories[category].auditRefs
    .filter((ref) => ref.weight > 0)
    .map((ref) => ({ ref, audit: lhr.audits[ref.id] }))
    .filter(({ audit }) => audit && audit.score !== null && audit.score < 1)
    .map(({ ref, audit }) => `${category}: ${ref.id} (score ${pct(audit.score).trim()}, weight ${ref.weight})` +
      (audit.displayValue ? ` — ${audit.displayValue}` : '') +
      (audit.details?.items?.length ? ` — e.g. ${describeItem(audit.details.items[0])}` : ''));
}
function describeItem(item) {
  const node = item.node?.selector || item.node?.snippet;
  return String(node || item.url || item.source?.url || item.description || JSON.stringify(item)).slice(0, 160);
}
/** Performance opportunities and diagnostics that point at something to do. */
function hints(lhr) {
  return Object.values(lhr.audits)
    .filter((a) => a.details && (a.details.type === 'opportunity') && (a.details.overallSavingsMs > 0 || a.details.overallSavingsBytes > 0))
    .map((a) => `opportunity: ${a.id} — ${a.displayValue || ''}`.trim());
}

const data = mkdtempSync(join(tmpdir(), 'seller-support-lh-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(serverBin, ['--demo', '--dist', dist, '--data', data, '--addr', `127.0.0.1:${port}`], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
let serverLog = '';
server.stderr.on('data', (d) => { serverLog = (serverLog + d).slice(-4000); });
const stop = () => { if (server.exitCode === null) server.kill('SIGTERM'); rmSync(data, { recursive: true, force: true }); };
process.on('exit', stop);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

try {
  await waitHealthy(base, server);
} catch (e) {
  console.error(`lighthouse: the reference server did not start: ${e.message}\n${serverLog}`);
  process.exit(2);
}

/** The address to measure: `/dialogs/first` becomes the demo seller's newest dialog. */
async function resolvePath(path) {
  if (path !== '/dialogs/first') return path;
  const login = await fetch(`${base}/api/dev/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'seller-support' },
    body: JSON.stringify({ seller: 'demo' }),
  });
  const cookie = (login.headers.get('set-cookie') || '').split(';')[0];
  const list = await (await fetch(`${base}/api/dialogs`, { headers: { cookie } })).json();
  return `/dialogs/${list.items[0].id}`;
}

console.log(`Lighthouse 12.2.3, ${preset}, ${runs} run(s) per page, ${dist} served by the reference server`);
console.log(`${'page'.padEnd(16)} perf a11y  b-p   FCP        LCP        TBT       CLS    SI`);
const details = [];
for (const path of pages) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    try {
      results.push(await lighthouse(base + await resolvePath(path)));
    } catch (e) {
      console.log(`${path.padEnd(8)} lighthouse failed: ${String(e.message).split('\n')[0]}`);
    }
  }
  if (!results.length) continue;
  results.sort((a, b) => (a.categories.performance.score ?? 0) - (b.categories.performance.score ?? 0));
  const lhr = results[Math.floor((results.length - 1) / 2)];
  if (saveDir) {
    mkdirSync(saveDir, { recursive: true });
    writeFileSync(join(saveDir, `${preset}${path.replace(/\W+/g, '-')}.json`), JSON.stringify(lhr));
  }
  const c = lhr.categories;
  const a = lhr.audits;
  const range = results.length > 1
    ? ` (perf ${results.map((r) => Math.round((r.categories.performance.score ?? 0) * 100)).join('/')})` : '';
  console.log(`${path.padEnd(16)} ${pct(c.performance.score)}  ${pct(c.accessibility.score)}  ${pct(c['best-practices'].score)}   ` +
    `${ms(a['first-contentful-paint']).padEnd(10)} ${ms(a['largest-contentful-paint']).padEnd(10)} ` +
    `${ms(a['total-blocking-time']).padEnd(9)} ${(a['cumulative-layout-shift']?.numericValue ?? 0).toFixed(3).padEnd(6)} ` +
    `${ms(a['speed-index'])}${range}`);
  const lost = [...losses(lhr, 'performance'), ...losses(lhr, 'accessibility'), ...losses(lhr, 'best-practices'), ...hints(lhr)];
  if (lost.length) details.push(`${path}:\n  ${lost.join('\n  ')}`);
  if (lhr.runWarnings?.length) details.push(`${path} warnings:\n  ${lhr.runWarnings.join('\n  ')}`);
}
if (details.length) console.log(`\nWhat costs points:\n${details.join('\n')}`);
// The server's stderr pipe would keep Node alive: stop it and leave.
process.exit(0);
