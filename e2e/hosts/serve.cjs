// A tiny static host for the embedding, sub-path and CSP specs: what a deployer's web server does,
// in node:http and nothing else.
//
// - serves a built app (`trunk build --public-url /support/ --dist DIR`) at the public URL its
//   index.html was built for, with .br/.gz when the browser accepts them;
// - SPA fallback: an extension-less path under the mount (`/support/new`, `/support/dialogs/1`)
//   gets the page (the built index.html, or a cabinet-like host page with the app embedded);
// - a Content-Security-Policy header of the caller's choosing on every response;
// - proxies `<apiPrefix>/api/...` to the reference server, so the app stays same-origin and the
//   reference server needs no CORS;
// - records every request (method, path, headers) for assertions.
//
// Use from a spec: `const host = await startHost({ port, dist, api, page: 'cabinet' })`, then
// `host.close()`. From a shell: `node e2e/hosts/serve.cjs --port 18105 --dist /tmp/embed-dist
// --api http://127.0.0.1:18104 --page cabinet [--csp strict]`.
// CommonJS on purpose: node runs it as is, and Playwright's loader requires it from the specs.
'use strict';
const http = require('node:http');
const { existsSync, readFileSync, statSync } = require('node:fs');
const { extname, join, normalize, sep } = require('node:path');

const here = __dirname;

/** The policy (the floor), plus `img-src blob:` for the drop zone's local thumbnails. */
const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' blob:; object-src 'none'; base-uri 'self'";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.png': 'image/png',
};

const HOST_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf';

/** The public URL a dist was built for, read from the boot tag Trunk wrote (`/support/` or `/`). */
function assetBase(dist) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const m = html.match(/<script[^>]*\bsrc="([^"]*)boot\.js"/);
  return m ? m[1] : '/';
}

/** The tags a deployer copies from the built index.html into the host page: stylesheet + boot. */
function appHeadTags(dist) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const css = html.match(/<link rel="stylesheet"[^>]*>/g) || [];
  const boot = html.match(/<script[^>]*id="ss-boot"[^>]*><\/script>/g) || [];
  return [...css, ...boot].join('\n  ');
}

function escapeAttr(v) {
  return String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** `{ apiBase: '', basePath: '/support' }` → ` data-api-base="" data-base-path="/support"`. */
function dataAttrs(attrs) {
  return Object.entries(attrs)
    .map(([k, v]) => ` data-${k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}="${escapeAttr(v)}"`)
    .join('');
}

/** The cabinet-like host page with the app's head tags and mount element. */
function cabinetPage({ dist, mount, hostConfig, hostAttrs }) {
  return readFileSync(join(here, 'cabinet.html'), 'utf8')
    .replace('{{APP_HEAD}}', appHeadTags(dist))
    .replace('{{HOST_CONFIG}}', hostConfig ? '<script src="/host/config.js"></script>' : '')
    .replace('{{HOST_ATTRS}}', dataAttrs(hostAttrs))
    .replaceAll('{{MOUNT}}', mount);
}

/**
 * Starts a host server. Options:
 * - port (0: any free one), dist, api (origin of the reference server, e.g. http://127.0.0.1:18104);
 * - page: 'index' (the built index.html, plain static hosting) or 'cabinet' (the host page);
 * - mount: where the app's routes live (default '/support');
 * - csp: a Content-Security-Policy value, or '' for none;
 * - configJson: an object served as `<assets>/config.json` instead of the dist's file;
 * - hostConfig: an object the cabinet page sets as window.SELLER_SUPPORT_CONFIG (external script);
 * - hostAttrs: data- attributes of the cabinet page's `#seller-support` element;
 * - apiPrefix: path prefix the app's apiBase points at (default '', i.e. `/api/...`).
 */
function startHost(opts) {
  const {
    port,
    dist,
    api,
    page = 'index',
    mount = '/support',
    csp = '',
    configJson,
    hostConfig,
    hostAttrs = { apiBase: '', basePath: mount },
    apiPrefix = '',
  } = opts;
  const base = assetBase(dist);
  const requests = [];

  const cabinet = () => cabinetPage({ dist, mount, hostConfig, hostAttrs });

  const send = (req, res, status, type, body, extra = {}) => {
    const headers = { 'Content-Type': type, 'Cache-Control': 'no-cache', ...extra };
    if (csp) headers['Content-Security-Policy'] = csp;
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const sendFile = (req, res, file) => {
    const type = TYPES[extname(file)] || 'application/octet-stream';
    const accept = String(req.headers['accept-encoding'] || '');
    const hashed = /-[0-9a-f]{16}(_bg)?\.[a-z]+$/.test(file);
    const extra = { Vary: 'Accept-Encoding' };
    if (hashed) extra['Cache-Control'] = 'public, max-age=31536000, immutable';
    for (const [enc, ext] of [['br', '.br'], ['gzip', '.gz']]) {
      if (accept.includes(enc) && existsSync(file + ext)) {
        return send(req, res, 200, type, readFileSync(file + ext), { ...extra, 'Content-Encoding': enc });
      }
    }
    return send(req, res, 200, type, readFileSync(file), extra);
  };

  const proxy = (req, res, path) => {
    const target = new URL(path, api);
    const headers = { ...req.headers, host: target.host };
    const up = http.request(target, { method: req.method, headers }, (upRes) => {
      const h = { ...upRes.headers };
      if (csp) h['content-security-policy'] = csp;
      res.writeHead(upRes.statusCode || 502, h);
      upRes.pipe(res);
    });
    up.on('error', () => send(req, res, 502, 'text/plain', 'reference server unreachable'));
    req.pipe(up);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url || '/', 'http://host');
    const path = decodeURIComponent(url.pathname);
    requests.push({ method: req.method, path: url.pathname, search: url.search, headers: req.headers });

    const apiRoot = `${apiPrefix}/api/`;
    if (path.startsWith(apiRoot)) return proxy(req, res, path.slice(apiPrefix.length) + url.search);

    if (path === '/host/cabinet.css') return sendFile(req, res, join(here, 'cabinet.css'));
    if (path === '/host/cabinet-font.ttf' && existsSync(HOST_FONT)) return sendFile(req, res, HOST_FONT);
    if (path === '/host/config.js' && hostConfig) {
      const js = `window.SELLER_SUPPORT_CONFIG = ${JSON.stringify(hostConfig)};\n`;
      return send(req, res, 200, TYPES['.js'], js);
    }
    if (path === '/orders') return sendFile(req, res, join(here, 'orders.html'));

    // The app's files, at the public URL the dist was built for.
    if (path.startsWith(base)) {
      const rel = path.slice(base.length);
      if (rel === 'config.json' && configJson) {
        return send(req, res, 200, TYPES['.json'], JSON.stringify(configJson));
      }
      const file = normalize(join(dist, rel));
      if (rel && (file + sep).startsWith(normalize(dist) + sep) && existsSync(file) && statSync(file).isFile()) {
        return sendFile(req, res, file);
      }
    }
    // SPA fallback: any extension-less path under the mount is a client-side route.
    const underMount = path === mount || path.startsWith(mount + '/');
    if (underMount && !extname(path)) {
      if (page === 'cabinet') return send(req, res, 200, TYPES['.html'], cabinet());
      return sendFile(req, res, join(dist, 'index.html'));
    }
    return send(req, res, 404, 'text/plain; charset=utf-8', 'not found');
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        base,
        requests,
        encodings: ['br', 'gzip'],
        // close() alone waits for every open connection, and the page under test may still hold
        // one (a keep-alive socket, a proxied request in flight): that hung a test's teardown
        // for its whole 60 s now and then. The test is over, so its connections are cut.
        close: () =>
          new Promise((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      }),
    );
  });
}

// CLI: node e2e/hosts/serve.cjs --port 18105 --dist /tmp/embed-dist --api http://127.0.0.1:18104
//      [--page cabinet|index] [--csp strict|'<policy>'] [--mount /support]
module.exports = { STRICT_CSP, HOST_FONT, assetBase, appHeadTags, cabinetPage, startHost };

if (require.main === module) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
  };
  const csp = arg('csp', '');
  startHost({
    port: Number(arg('port', 18105)),
    dist: arg('dist', '../dist'),
    api: arg('api', 'http://127.0.0.1:8080'),
    page: arg('page', 'cabinet'),
    mount: arg('mount', '/support'),
    csp: csp === 'strict' ? STRICT_CSP : csp,
  }).then((host) => console.log(`host at ${host.url}${arg('mount', '/support')}/ (assets at ${host.base})`));
}
