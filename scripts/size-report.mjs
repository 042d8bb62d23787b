// Prints the bytes of the first load (wasm + js + css, as the browser fetches them) raw, gzip and
// brotli. With --budget N (brotli bytes) it fails when the total is larger: bytes are deterministic,
// so this budget can be enforced where times never are.
// Usage: node scripts/size-report.mjs DIST [--budget BYTES]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--')) || 'dist';
const budgetAt = args.indexOf('--budget');
const budget = budgetAt >= 0 ? Number(args[budgetAt + 1]) : null;

const rows = [];
for (const name of readdirSync(dir).sort()) {
  if (!/\.(wasm|js|css)$/.test(name)) continue;
  const data = readFileSync(join(dir, name));
  rows.push({
    name,
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  });
}
const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }),
  { raw: 0, gzip: 0, brotli: 0 });
const line = (n, r) => `${n.padEnd(48)} ${String(r.raw).padStart(9)} ${String(r.gzip).padStart(9)} ${String(r.brotli).padStart(9)}`;
console.log(`${'first load'.padEnd(48)} ${'raw'.padStart(9)} ${'gzip'.padStart(9)} ${'brotli'.padStart(9)}`);
for (const r of rows) console.log(line(r.name, r));
console.log(line('TOTAL', total));
if (budget !== null && total.brotli > budget) {
  console.error(`first load is ${total.brotli} B after brotli, over the budget of ${budget} B`);
  process.exit(1);
}
