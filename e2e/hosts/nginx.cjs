// The README's nginx block, run for real: the same host interface as serve.cjs' startHost, but
// the files and the API proxy are nginx's, configured by the ```nginx block of README.md that
// contains `location /support/`, read from the README on every start (not a copy of it).
//
// The block is used as printed with its two deployment-specific values replaced: the web root
// (`/srv/www`, where a deployer copies `dist-support/`) becomes a temporary folder, and the API
// address (`http://127.0.0.1:8080`) becomes the test's reference server. Around it this file writes
// only what any nginx.conf has (events, http, mime types, a server with a listen port) and what the
// specs need from a host: an access log they can read as `requests`, the cabinet's own files under
// /host/ and /orders, and an extra API prefix when a spec asks for one.
//
// Selected by E2E_HOST=nginx (hosts/setup.ts); scripts/test.sh runs the sub-path and embedding
// specs this way after the usual run.
'use strict';
const { spawn } = require('node:child_process');
const { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const net = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { HOST_FONT, assetBase, cabinetPage } = require('./serve.cjs');

const here = __dirname;
const README = join(here, '..', '..', 'README.md');
const WEB_ROOT = '/srv/www';
const API_ADDRESS = 'http://127.0.0.1:8080';
// Debian puts it in /usr/sbin, which is not on every user's PATH.
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

/** The README's nginx block for static hosting under /support/, exactly as printed. */
function readmeBlock() {
  const blocks = [...readFileSync(README, 'utf8').matchAll(/```nginx\n([\s\S]*?)```/g)].map((m) => m[1]);
  const block = blocks.find((b) => b.includes('location /support/'));
  if (!block) throw new Error('README.md has no ```nginx block with `location /support/`');
  for (const value of [WEB_ROOT, API_ADDRESS]) {
    if (!block.includes(value)) throw new Error(`README.md's nginx block no longer mentions ${value}`);
  }
  return block;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function listening(port) {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

/**
 * Starts nginx with the README's block. Options as serve.cjs' startHost; `csp` is not one of them
 * (the README's block sets its own policy) and the mount is /support, the README's.
 */
async function startNginxHost(opts) {
  const { port: wanted, dist, api, page = 'index', mount = '/support', configJson, hostConfig, apiPrefix = '' } = opts;
  const hostAttrs = opts.hostAttrs || { apiBase: '', basePath: mount };
  if (mount !== '/support') throw new Error(`the README's nginx block serves /support, not ${mount}`);
  if (opts.csp) throw new Error("the README's nginx block sets its own Content-Security-Policy");
  const base = assetBase(dist);
  if (base !== '/support/') throw new Error(`${dist} is not a --public-url /support/ build`);

  const dir = mkdtempSync(join(tmpdir(), 'seller-support-nginx-'));
  const www = join(dir, 'www');
  const support = join(www, 'support');
  cpSync(dist, support, { recursive: true });
  if (configJson) {
    writeFileSync(join(support, 'config.json'), JSON.stringify(configJson));
    // The precompressed copies would win over the file the spec wrote.
    rmSync(join(support, 'config.json.gz'), { force: true });
    rmSync(join(support, 'config.json.br'), { force: true });
  }
  if (page === 'cabinet') {
    // A cabinet that embeds the app answers its routes with its own page instead of index.html.
    writeFileSync(join(support, 'index.html'), cabinetPage({ dist, mount, hostConfig, hostAttrs }));
    rmSync(join(support, 'index.html.gz'), { force: true });
    rmSync(join(support, 'index.html.br'), { force: true });
  }
  mkdirSync(join(www, 'host'));
  cpSync(join(here, 'cabinet.css'), join(www, 'host', 'cabinet.css'));
  cpSync(join(here, 'orders.html'), join(www, 'host', 'orders.html'));
  if (existsSync(HOST_FONT)) cpSync(HOST_FONT, join(www, 'host', 'cabinet-font.ttf'));
  if (hostConfig) {
    writeFileSync(join(www, 'host', 'config.js'), `window.SELLER_SUPPORT_CONFIG = ${JSON.stringify(hostConfig)};\n`);
  }

  const port = wanted || (await freePort());
  const block = readmeBlock().replaceAll(WEB_ROOT, www).replaceAll(API_ADDRESS, api);
  const log = join(dir, 'access.log');
  const conf = `
${process.getuid && process.getuid() === 0 ? 'user root;' : ''}
worker_processes 1;
error_log ${join(dir, 'error.log')} warn;
pid ${join(dir, 'nginx.pid')};
events { worker_connections 512; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  log_format spec escape=json '{"method":"$request_method","uri":"$request_uri","status":"$status",'
    '"accept_encoding":"$http_accept_encoding","authorization":"$http_authorization",'
    '"content_encoding":"$sent_http_content_encoding"}';
  access_log ${log} spec;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  server {
    listen 127.0.0.1:${port};
    location = /orders { default_type text/html; alias ${join(www, 'host', 'orders.html')}; }
    ${apiPrefix ? `location ${apiPrefix}/api/ { proxy_pass ${api}/api/; }` : ''}
    # ---- README.md ----
${block}
    # ---- end of README.md ----
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  writeFileSync(log, '');

  const proc = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  let exited = null;
  proc.once('exit', (code) => (exited = code));
  for (let i = 0; i < 100 && exited === null; i++) {
    if (await listening(port)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (exited !== null || !(await listening(port))) {
    proc.kill('SIGKILL');
    throw new Error(`nginx did not start with README.md's block (exit ${exited}):\n${stderr}\n${conf}`);
  }

  const requests = () =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const r = JSON.parse(line);
        const q = r.uri.indexOf('?');
        const headers = { 'accept-encoding': r.accept_encoding };
        if (r.authorization) headers.authorization = r.authorization;
        return {
          method: r.method,
          path: q < 0 ? r.uri : r.uri.slice(0, q),
          search: q < 0 ? '' : r.uri.slice(q),
          status: Number(r.status),
          headers,
        };
      });

  return {
    url: `http://127.0.0.1:${port}`,
    base,
    get requests() {
      return requests();
    },
    // Debian's nginx has gzip_static; brotli_static needs the ngx_brotli module.
    encodings: ['gzip'],
    close: () =>
      new Promise((resolve) => {
        proc.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        if (exited !== null) proc.emit('exit');
        else proc.kill('SIGTERM');
      }),
  };
}

module.exports = { startNginxHost, readmeBlock };
