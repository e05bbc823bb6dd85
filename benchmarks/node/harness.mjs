// Shared by the node anchors in this directory: read the JSON request from stdin, time a
// render function the way benchmarks/_harness.py times ours, report package versions.
//
// stdin: {"cases": [...], "rounds": 7, "seconds": 0.3}; rounds and seconds are optional.
// Uses tools/node/node_modules (`make node`).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const modules = new URL('../../tools/node/node_modules/', import.meta.url);
export const require = createRequire(new URL('../package.json', modules));

export function readInput() {
  const input = JSON.parse(readFileSync(0, 'utf8'));
  return { ...input, rounds: input.rounds ?? 7, seconds: input.seconds ?? 0.3 };
}

// Calls per second of `render`: the median of `rounds` batches of about `seconds` each,
// and every round's rate.
export function perSecond(render, { rounds, seconds }) {
  // Warm-up: let V8 optimise the whole path before anything is timed.
  const warmUntil = performance.now() + 1000 * seconds * 2;
  while (performance.now() < warmUntil) render();
  // Calibrate a batch lasting about `seconds`, then time `rounds` batches.
  let batch = 1;
  let elapsed = 0;
  for (;;) {
    const started = performance.now();
    for (let i = 0; i < batch; i++) render();
    elapsed = (performance.now() - started) / 1000;
    if (elapsed >= seconds / 4) break;
    batch *= 2;
  }
  batch = Math.max(1, Math.floor((batch * seconds) / Math.max(elapsed, 1e-9)));
  const rates = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    for (let i = 0; i < batch; i++) render();
    rates.push(batch / ((performance.now() - started) / 1000));
  }
  const sorted = [...rates].sort((a, b) => a - b);
  return { rate: sorted[Math.floor(sorted.length / 2)], rates };
}

// Writes {"node", "versions", "results"} to stdout, versions read from each package.json.
export function writeResults(packages, results) {
  const version = (name) =>
    JSON.parse(readFileSync(new URL(`${name}/package.json`, modules), 'utf8')).version;
  const versions = Object.fromEntries(packages.map((n) => [n, version(n)]));
  process.stdout.write(`${JSON.stringify({ node: process.version, versions, results })}\n`);
}
