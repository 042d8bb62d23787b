// Times the exported `run(n)` of the comment-analysis wasm (see src/lib.rs). Prints, never asserts.
import { readFileSync } from 'node:fs';

const path = process.argv[2];
if (!path) {
  console.error('usage: node bench.mjs <comment_wasm_bench.wasm>');
  process.exit(2);
}
const { instance } = await WebAssembly.instantiate(readFileSync(path), {});
const run = instance.exports.run;
run(200); // warm-up: lets V8 tier up the code
const batches = 40;
const perBatch = 50;
const times = [];
for (let b = 0; b < batches; b++) {
  const t = performance.now();
  run(perBatch);
  times.push(((performance.now() - t) * 1000) / perBatch);
}
times.sort((a, b) => a - b);
const mean = times.reduce((a, b) => a + b, 0) / times.length;
console.log(
  `analyze() in wasm (Node ${process.version}, V8): 5000 chars, ${run(1)} entities; ` +
    `median ${times[batches >> 1].toFixed(1)} µs, mean ${mean.toFixed(1)} µs, ` +
    `best batch ${times[0].toFixed(1)} µs per call`,
);
