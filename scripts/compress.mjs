// Writes .br and .gz beside every text/wasm asset of a built app, so any static host (and the
// reference server) can serve them precompressed. Node's zlib has brotli: no extra package needed.
// Usage: node scripts/compress.mjs DIR   (Trunk runs it as a post_build hook on its staging dir)
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dir = process.argv[2] || 'dist';
const compressible = /\.(wasm|js|css|html|json|svg|txt)$/;
for (const name of readdirSync(dir)) {
  const path = join(dir, name);
  if (!statSync(path).isFile() || !compressible.test(name)) continue;
  const data = readFileSync(path);
  writeFileSync(path + '.br', brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  }));
  writeFileSync(path + '.gz', gzipSync(data, { level: 9 }));
}
