// Anchor for benchmarks/image_render.py: renders/s of react-datocms' <RSCImage> through
// react-dom/server's renderToStaticMarkup, measured inside node after a warm-up.
//
// stdin: {"cases": [{"name", "data", "props"}], "rounds": 7, "seconds": 0.3}
// stdout: {"versions": {...}, "results": [{"name", "rate", "rates", "html"}]}
// Uses tools/node/node_modules (`make node`); run with NODE_ENV=production (set below)
// so React skips its development checks, as a production server would.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

process.env.NODE_ENV = 'production';
const modules = new URL('../../tools/node/node_modules/', import.meta.url);
const require = createRequire(new URL('../package.json', modules));
const React = require('react');
const { renderToStaticMarkup } = require('react-dom/server');
// The package's CommonJS build is unusable ("type": "module") and its root entry imports the
// Mux player: import the RSCImage entry point by path.
const { RSCImage } = await import(new URL('react-datocms/dist/esm/RSCImage/index.js', modules));

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
  return { rate: sorted[Math.floor(sorted.length / 2)], rates };
}

const results = input.cases.map(({ name, data, props }) => {
  // A new element per render, as a page render would create it.
  const render = () => renderToStaticMarkup(React.createElement(RSCImage, { data, ...props }));
  return { name, html: render(), ...perSecond(render) };
});

const version = (name) =>
  JSON.parse(readFileSync(new URL(`${name}/package.json`, modules), 'utf8')).version;
const versions = Object.fromEntries(['react', 'react-dom', 'react-datocms'].map((n) => [n, version(n)]));
process.stdout.write(`${JSON.stringify({ node: process.version, versions, results })}\n`);
