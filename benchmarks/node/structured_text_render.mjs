// Anchor for benchmarks/structured_text.py: documents/s of DatoCMS's own renderers,
// datocms-structured-text-to-html-string's render() and datocms-structured-text-to-plain-text's
// render(), measured inside node after a warm-up.
//
// stdin: {"cases": [{"name", "input"}], "rounds": 7, "seconds": 0.3}
// stdout: {"node", "versions", "results": [{"name", "html", "plain", "html_rate", "plain_rate"}]}
// Uses tools/node/node_modules (`make node`).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const modules = new URL('../../tools/node/node_modules/', import.meta.url);
const require = createRequire(new URL('../package.json', modules));
const toHtml = require('datocms-structured-text-to-html-string');
const toPlainText = require('datocms-structured-text-to-plain-text');

const input = JSON.parse(readFileSync(0, 'utf8'));
const rounds = input.rounds ?? 7;
const seconds = input.seconds ?? 0.3;

function perSecond(render) {
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
  return sorted[Math.floor(sorted.length / 2)];
}

const results = input.cases.map(({ name, input: value }) => {
  const html = () => toHtml.render(value);
  const plain = () => toPlainText.render(value);
  return {
    name,
    html: html(),
    plain: plain(),
    html_rate: perSecond(html),
    plain_rate: perSecond(plain),
  };
});

const version = (name) =>
  JSON.parse(readFileSync(new URL(`${name}/package.json`, modules), 'utf8')).version;
const versions = Object.fromEntries(
  ['datocms-structured-text-to-html-string', 'datocms-structured-text-to-plain-text'].map((n) => [
    n,
    version(n),
  ]),
);
process.stdout.write(`${JSON.stringify({ node: process.version, versions, results })}\n`);
