// Reads the app's route table (src/router.rs) and the split loader that wasm-split-cli writes (split-<id>.js in a release build): which wasm
// files each page's module needs, shared chunks first. Used by hook.mjs (the boot tag's
// hints) and size-report.mjs. The loader declares, for example:
//   const __chunk_3 = makeLoad(() => { … new URL("./chunk_3-….wasm", …) … }, []);
//   export const __wasm_split_load_dialog = wrapAsyncCb(makeLoad(() => { … "./split_dialog-….wasm" … }, [__chunk_3]));

/** Map from a module's name (`new_dialog`, `dialog`) to its files, in load order. */
export function pageModules(loader) {
  const loads = new Map();
  const re = /(?:export )?const (\w+) = (?:wrapAsyncCb\()?makeLoad\(\(\) => \{[^}]*?new URL\("\.\/([^"]+)"[\s\S]*?\}\s*,\s*\[([^\]]*)\]/g;
  for (const m of loader.matchAll(re)) {
    loads.set(m[1], { file: m[2], deps: m[3].split(',').map((d) => d.trim()).filter(Boolean) });
  }
  const files = (id, seen = new Set()) => {
    const l = loads.get(id);
    if (!l) throw new Error(`split loader: cannot read ${id}`);
    for (const d of l.deps) files(d, seen);
    seen.add(l.file);
    return seen;
  };
  const pages = new Map();
  for (const m of loader.matchAll(/export const __wasm_split_load_(\w+)/g)) {
    pages.set(m[1], [...files(`__wasm_split_load_${m[1]}`)]);
  }
  return pages;
}

/**
 * The rows of the route table in src/router.rs, `AppRoute::new(Page::X, "/pattern", Some("module"))`:
 * `[{ pattern, module }]`, `module` null for a page in the main module.
 */
export function routeTable(source) {
  const table = source.match(/pub const ROUTES: \[AppRoute; \d+\] = \[([\s\S]*?)\];/);
  if (!table) throw new Error('route table: no `pub const ROUTES` in src/router.rs');
  const rows = [...table[1].matchAll(/AppRoute::new\(\s*Page::\w+,\s*"([^"]+)",\s*(?:None|Some\("(\w+)"\))\s*,?\s*\)/g)]
    .map((m) => ({ pattern: m[1], module: m[2] || null }));
  if (rows.length !== (table[1].match(/AppRoute::new/g) || []).length) {
    throw new Error('route table: a row of ROUTES in src/router.rs is not `AppRoute::new(Page::X, "/pattern", None | Some("module"))`');
  }
  return rows;
}
