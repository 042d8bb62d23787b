// Prints what the browser fetches, raw, gzip and brotli: the first load (boot.js, the CSS, the main
// wasm, its glue and the split loader the glue imports: everything the list page needs), then what
// a direct visit of each route whose page lives in a module of its own adds, and what the parts
// that load after their page shows weigh (scripts/build-wasm/hook.mjs, src/parts.rs).
// With --budget N (brotli bytes) it fails when the first load is larger: bytes are deterministic,
// so this budget can be enforced where times never are.
// Usage: node scripts/size-report.mjs DIST [--budget BYTES]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { pageModules } from './build-wasm/split-loader.mjs';

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

// The glue imports the split loader (release build) statically: it is part of the first load.
const glue = readFileSync(join(dir, js), 'utf8');
const link = glue.match(/from "\.\/(split-[0-9a-f]+\.js)"/)?.[1];
const first = table('first load (the list page)', [boot, css, js, wasm, ...(link ? [link] : [])]);

// What a direct visit of each route with a module of its own adds (the route hints that boot.js
// fetches beside the main wasm, keyed by the route table's patterns), then what each part that
// loads after its page shows adds (release build).
if (link) {
  const hints = JSON.parse((html.match(/data-modules="([^"]*)"/)?.[1] || '{}').replaceAll('&quot;', '"'));
  const routeFiles = Object.values(hints).map((files) => files.join());
  for (const [pattern, files] of Object.entries(hints)) {
    console.log('');
    const added = table(`added by a direct visit of ${pattern}`, files);
    console.log(line(`first load of ${pattern}`, {
      raw: first.raw + added.raw, gzip: first.gzip + added.gzip, brotli: first.brotli + added.brotli,
    }));
  }
  for (const [part, files] of pageModules(readFileSync(join(dir, link), 'utf8'))) {
    if (routeFiles.includes(files.join())) continue;
    console.log('');
    table(`the ${part} part, after its page shows`, files);
  }
}

if (budget !== null && first.brotli > budget) {
  console.error(`first load is ${first.brotli} B after brotli, over the budget of ${budget} B`);
  process.exit(1);
}
