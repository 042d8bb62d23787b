// Prints what the browser fetches, raw, gzip and brotli: the first load (boot.js, the CSS, the main
// wasm and its glue: everything the list page needs), then what each page that lives in a module of
// its own adds when the seller first goes there (scripts/build-wasm.mjs, src/parts.rs).
// With --budget N (brotli bytes) it fails when the first load is larger: bytes are deterministic,
// so this budget can be enforced where times never are.
// Usage: node scripts/size-report.mjs DIST [--budget BYTES]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--')) || 'dist';
const budgetAt = args.indexOf('--budget');
const budget = budgetAt >= 0 ? Number(args[budgetAt + 1]) : null;

const html = readFileSync(join(dir, 'index.html'), 'utf8');
const attr = (re) => {
  const m = html.match(re);
  if (!m) throw new Error(`size-report: ${re} not found in ${dir}/index.html`);
  return m[1].split('/').pop();
};
const boot = attr(/<script[^>]* src="([^"]*boot\.js)"/);
const css = attr(/<link rel="stylesheet" href="([^"]+)"/);
const js = attr(/data-js="([^"]+)"/);
const wasm = attr(/data-wasm="([^"]+)"/);

const measured = new Map();
const measure = (name) => {
  if (!measured.has(name)) {
    const data = readFileSync(join(dir, name));
    measured.set(name, {
      raw: data.length,
      gzip: gzipSync(data, { level: 9 }).length,
      brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    });
  }
  return measured.get(name);
};
const line = (n, r) => `${n.padEnd(48)} ${String(r.raw).padStart(9)} ${String(r.gzip).padStart(9)} ${String(r.brotli).padStart(9)}`;
const table = (title, files) => {
  const total = { raw: 0, gzip: 0, brotli: 0 };
  console.log(`${title.padEnd(48)} ${'raw'.padStart(9)} ${'gzip'.padStart(9)} ${'brotli'.padStart(9)}`);
  for (const f of files) {
    const r = measure(f);
    console.log(line(f, r));
    for (const k of Object.keys(total)) total[k] += r[k];
  }
  console.log(line('TOTAL', total));
  return total;
};

const first = table('first load (the list page)', [boot, css, js, wasm]);

// The split loader names each page's module and the shared chunks it waits for:
//   const __chunk_3 = makeLoad(() => { … new URL("./chunk_3-….wasm", …) … }, []);
//   export const __wasm_split_load_dialog = wrapAsyncCb(makeLoad(() => { … "./split_dialog-….wasm" … }, [__chunk_3]));
const glue = readFileSync(join(dir, js), 'utf8');
const link = glue.match(/from "\.\/(split-[0-9a-f]+\.js)"/)?.[1];
if (link) {
  const loader = readFileSync(join(dir, link), 'utf8');
  const loads = new Map();
  const re = /(?:export )?const (\w+) = (?:wrapAsyncCb\()?makeLoad\(\(\) => \{[^}]*?new URL\("\.\/([^"]+)"[\s\S]*?\}\s*,\s*\[([^\]]*)\]/g;
  for (const m of loader.matchAll(re)) {
    loads.set(m[1], { file: m[2], deps: m[3].split(',').map((d) => d.trim()).filter(Boolean) });
  }
  const files = (id, seen = new Set()) => {
    const l = loads.get(id);
    if (!l) throw new Error(`size-report: ${id} not found in ${link}`);
    for (const d of l.deps) files(d, seen);
    seen.add(l.file);
    return seen;
  };
  for (const id of loads.keys()) {
    const page = id.match(/^__wasm_split_load_(\w+)$/)?.[1];
    if (!page) continue;
    console.log('');
    const added = table(`added by the ${page} page`, [link, ...files(id)]);
    console.log(line(`first load of the ${page} page`, {
      raw: first.raw + added.raw, gzip: first.gzip + added.gzip, brotli: first.brotli + added.brotli,
    }));
  }
}

if (budget !== null && first.brotli > budget) {
  console.error(`first load is ${first.brotli} B after brotli, over the budget of ${budget} B`);
  process.exit(1);
}
