// Starts the app without any inline script, so the page works under a strict CSP
// (script-src 'self' 'wasm-unsafe-eval'). scripts/build-wasm/hook.mjs writes the hashed file names
// into this tag.
const tag = document.getElementById('ss-boot');
// A host that is a single-page app mounts and unmounts the app itself (README, «Mounting from a
// single-page host»): `SellerSupport.mount(element, config)` works at once and mounts as soon as
// the wasm is there; with `data-mount="manual"` on this tag (or `mount: "manual"` in
// window.SELLER_SUPPORT_CONFIG) nothing mounts by itself.
let loaded;
const wasmReady = new Promise((ok) => { loaded = ok; });
// A mounted app stays until its host unmounts it, even when the host drops the handle: held
// here, the wasm handle is never garbage-collected (which would unmount it behind the host's back).
const apps = new Set();
window.SellerSupport = {
  mount(element, config) {
    let app = null;
    let gone = false;
    const mounted = wasmReady.then((mod) => {
      if (!gone) {
        app = mod.mount(element, config || {});
        apps.add(app);
      }
    });
    return {
      mounted,
      unmount() {
        gone = true;
        if (app) {
          apps.delete(app);
          app.unmount();
          app.free();
          app = null;
        }
      },
    };
  },
};
const base = new URL('.', tag.src);
// config.json next to index.html lets a deployer change the API address without rebuilding;
// a page's own window.SELLER_SUPPORT_CONFIG wins over it, data- attributes on the host win over both.
const config = fetch(new URL('config.json', base), { cache: 'no-cache' })
  .then((r) => (r.ok ? r.json() : {}))
  .catch(() => ({}));
// Below everything: the app's routes live where its files were built to live
// (`trunk build --public-url /support/` → /support), unless a source says otherwise.
const defaults = base.origin === location.origin ? { basePath: base.pathname } : {};
// The static shell paints first; only then do the app's files start to load (a frame, or at most
// 100 ms when the tab is hidden and animation frames do not come).
await new Promise((ok) => {
  requestAnimationFrame(() => setTimeout(ok, 0));
  setTimeout(ok, 100);
});
// The wasm download starts now, beside the glue's: the glue needs it only at the last step.
const wasm = fetch(tag.dataset.wasm);
// Opened directly at a page whose code is a module of its own, that module downloads now, beside
// the main wasm; the app's own fetch then finds it in the HTTP cache. data-modules maps the route
// patterns of src/router.rs (`/dialogs/:id`) to files; the base path is the one known this early.
const modules = JSON.parse(tag.dataset.modules || '{}');
const early = window.SELLER_SUPPORT_CONFIG || {};
const host = document.getElementById(early.hostId || 'seller-support');
const basePath = ((host && host.dataset.basePath) || early.basePath || defaults.basePath || '')
  .replace(/^\/*/, '/').replace(/\/+$/, '');
const here = location.pathname;
const below = here === basePath || here.startsWith(`${basePath}/`) ? here.slice(basePath.length) : null;
const segments = (path) => path.split('/').filter(Boolean);
const matches = (pattern, path) => {
  const want = segments(pattern);
  const got = segments(path);
  return want.length === got.length && want.every((w, i) => w.startsWith(':') || w === got[i]);
};
const direct = below === null ? undefined : Object.keys(modules).find((p) => matches(p, below));
for (const file of modules[direct] || []) {
  fetch(new URL(file, new URL(tag.dataset.js, location.href))).catch(() => {});
}
const [mod, fileConfig] = await Promise.all([import(tag.dataset.js), config]);
window.SELLER_SUPPORT_CONFIG = Object.assign({}, defaults, fileConfig, window.SELLER_SUPPORT_CONFIG || {});
if (tag.dataset.mount === 'manual') window.SELLER_SUPPORT_CONFIG.mount = 'manual';
await mod.default({ module_or_path: wasm });
loaded(mod);
