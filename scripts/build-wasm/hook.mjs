// Builds the app's wasm and puts it, with its JS glue and the <script> tag that starts it, into
// Trunk's staging directory. Trunk runs this as a post_build hook (Trunk.toml); Trunk itself
// builds only the HTML, the CSS and the copied files.
//
// Why not Trunk's own `rel="rust"` pipeline: the release build is cut into pieces, which Trunk
// 0.21 cannot do. The list page's code is the main module; the new-dialog page and the dialog
// page live in modules of their own (src/parts.rs) that load when the seller first goes there.
// The steps, in the order the split needs:
//   1. cargo build with the `split` feature, keeping the link-time relocations (--emit-relocs);
//   2. wasm-split-cli cuts the module at the `#[wasm_split]` points: a main module, one module per
//      page, shared chunks, and a small JS file that fetches and instantiates them;
//   3. wasm-bindgen on the main module (keeping the exports the pieces import);
//   4. wasm-opt on every module;
//   5. content-hashed names, so every file may be cached forever (server/src/web.rs), and the
//      boot tag: the file names and, per route pattern of the app's route table (src/router.rs
//      ROUTES), the files a direct visit needs.
// A debug build (`trunk serve`, `trunk build` without --release) skips 2 and 4: one module.
//
// Tools are those scripts/bootstrap.sh installs, checked here (Debian's wasm-opt 108, say, emits
// wasm that crashes in the browser); cargo runs offline.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pageModules, routeTable } from './split-loader.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('run by Trunk (TRUNK_STAGING_DIR is not set)');
const release = process.env.TRUNK_PROFILE === 'release';
const publicUrl = process.env.TRUNK_PUBLIC_URL || '/';
const root = new URL('../..', import.meta.url).pathname;
const name = 'seller-support';

const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
const output = (cmd, args) => execFileSync(cmd, args, { cwd: root, encoding: 'utf8' }).trim();

// Where cargo puts its output: CARGO_TARGET_DIR, or a target-dir in a cargo config, or target/.
const targetDir = JSON.parse(output('cargo', ['metadata', '--offline', '--format-version', '1', '--no-deps']))
  .target_directory;
const work = join(targetDir, release ? 'wasm-split-out' : 'wasm-debug-out');

const versions = Object.fromEntries(readFileSync(new URL('versions.env', import.meta.url), 'utf8')
  .split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean).map((l) => l.split('=')));
const wasmOpt = join(root, 'tools', 'node_modules', '.bin', 'wasm-opt');
const lock = readFileSync(join(root, 'Cargo.lock'), 'utf8');
const bindgenVersion = lock.match(/name = "wasm-bindgen"\nversion = "([^"]+)"/)?.[1];
const expect = (what, got, want) => {
  if (got !== want) {
    throw new Error(`build-wasm: ${what} is «${got}», expected «${want}»: run scripts/bootstrap.sh build (versions: scripts/build-wasm/versions.env)`);
  }
};
expect('wasm-bindgen --version', output('wasm-bindgen', ['--version']), `wasm-bindgen ${bindgenVersion}`);
if (release) {
  const binaryen = versions.BINARYEN.split('.')[0];
  expect('wasm-opt --version', output(wasmOpt, ['--version']), `wasm-opt version ${binaryen} (version_${binaryen})`);
  const installed = output('cargo', ['install', '--list']).split('\n');
  expect('wasm-split-cli', installed.find((l) => l.startsWith('wasm_split_cli_support ')),
    `wasm_split_cli_support v${versions.WASM_SPLIT_CLI}:`);
}
const hash = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 16);
};

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const cargo = ['build', '--offline', '-p', name, '--bin', name, '--target', 'wasm32-unknown-unknown'];
if (release) {
  // Joined to the rustflags of .cargo/config.toml (a RUSTFLAGS variable would replace them).
  run('cargo', [...cargo, '--profile', 'wasm-split', '--features', 'split',
    '--config', 'target.wasm32-unknown-unknown.rustflags=["-Clink-arg=--emit-relocs"]']);
} else {
  run('cargo', cargo);
}
const built = join(targetDir, 'wasm32-unknown-unknown', release ? 'wasm-split' : 'debug', `${name}.wasm`);

let main = built;
if (release) {
  const split = join(work, 'split');
  run('wasm-split-cli', [built, split, '--target', 'web', '--out-name', name]);
  main = join(split, `${name}.wasm`);
}
const bindgen = join(work, 'bindgen');
run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', bindgen, '--out-name', name,
  ...(release ? ['--keep-lld-exports', '--no-demangle'] : []), main]);

// The features every browser the app supports has had since 2021; wasm-opt must not lower them.
const features = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue'];
const optimize = (file) => {
  if (release) run(wasmOpt, ['-Oz', ...features, '--strip-debug', '--strip-producers', file, '-o', file]);
  return readFileSync(file);
};

const out = new Map(); // file name in the staging dir → contents
let glue = readFileSync(join(bindgen, `${name}.js`), 'utf8');
const glueAsBuilt = glue;
const mainWasm = optimize(join(bindgen, `${name}_bg.wasm`));
let buildId;
let modules = {}; // route pattern → its page module's files, for boot.js to fetch early on a direct visit
if (release) {
  const split = join(work, 'split');
  let link = readFileSync(join(split, '__wasm_split.js'), 'utf8');
  const linkAsBuilt = link;
  const pieces = readdirSync(split).filter((f) => f.endsWith('.wasm') && f !== `${name}.wasm`).sort();
  const contents = [];
  for (const piece of pieces) {
    const data = optimize(join(split, piece));
    contents.push(data);
    const hashed = `${piece.slice(0, -'.wasm'.length)}-${hash(data)}.wasm`;
    link = replaceOnce(link, `"./${piece}"`, `"./${hashed}"`);
    out.set(hashed, data);
  }
  // The glue imports the split loader and the loader imports the glue: one id, from everything
  // the build produced (before the renames), names both.
  buildId = hash(glueAsBuilt, linkAsBuilt, mainWasm, ...contents);
  link = replaceOnce(link, `"./${name}.js"`, `"./${name}-${buildId}.js"`);
  // Only the import statements: the wasm's own import module stays "./__wasm_split.js".
  glue = replaceAll(glue, `from "./__wasm_split.js"`, `from "./split-${buildId}.js"`);
  out.set(`split-${buildId}.js`, link);
  // The route table names each page's module; the split build must have those (and may have
  // more: parts of a page that load after it, such as the dialog's reply box).
  const built = pageModules(link);
  const routes = routeTable(readFileSync(join(root, 'src', 'router.rs'), 'utf8'));
  const missing = routes.filter((r) => r.module && !built.has(r.module)).map((r) => r.module);
  if (missing.length) {
    throw new Error(`build-wasm: src/router.rs names the modules ${missing.join(', ')}, which the split build does not have (it has ${[...built.keys()].join(', ')})`);
  }
  modules = Object.fromEntries(routes.filter((r) => r.module).map((r) => [r.pattern, built.get(r.module)]));
} else {
  buildId = hash(glueAsBuilt, mainWasm);
}
const js = `${name}-${buildId}.js`;
const wasm = `${name}-${buildId}_bg.wasm`;
out.set(js, glue);
out.set(wasm, mainWasm);

for (const [file, data] of out) writeFileSync(join(staging, file), data);
if (existsSync(join(bindgen, 'snippets'))) {
  cpSync(join(bindgen, 'snippets'), join(staging, 'snippets'), { recursive: true });
}

// No inline loader: the strict CSP (script-src 'self') forbids inline scripts, so boot.js reads
// the file names from its own data attributes. No <link rel=preload> either: boot.js fetches the
// wasm itself once the static shell has painted, so on a slow phone the first paint does not
// share the network with the wasm.
const html = join(staging, 'index.html');
const hints = JSON.stringify(modules).replaceAll('"', '&quot;');
const tag = `<script type="module" src="${publicUrl}boot.js" id="ss-boot" data-js="${publicUrl}${js}" data-wasm="${publicUrl}${wasm}" data-modules="${hints}"></script>`;
const page = readFileSync(html, 'utf8');
const placeholder = page.match(/<link data-trunk rel="rust" data-trunk-skip[^>]*>/);
if (!placeholder) throw new Error('build-wasm: index.html has no <link data-trunk rel="rust" data-trunk-skip>');
writeFileSync(html, replaceOnce(page, placeholder[0], tag));

const sizes = [...out].map(([f, d]) => `${f} ${d.length} B`).join(', ');
console.log(`build-wasm: ${release ? 'split release' : 'debug'} build → ${sizes}`);

function replaceOnce(text, from, to) {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) {
    throw new Error(`build-wasm: expected exactly one ${from}`);
  }
  return text.slice(0, at) + to + text.slice(at + from.length);
}

function replaceAll(text, from, to) {
  if (!text.includes(from)) throw new Error(`build-wasm: ${from} not found`);
  return text.split(from).join(to);
}
