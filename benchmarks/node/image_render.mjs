// Anchor for benchmarks/image_render.py: renders/s of react-datocms' <RSCImage> through
// react-dom/server's renderToStaticMarkup, measured inside node after a warm-up.
//
// stdin: {"cases": [{"name", "data", "props"}], "rounds": 7, "seconds": 0.3}
// stdout: {"versions": {...}, "results": [{"name", "rate", "rates", "html"}]}
// Uses tools/node/node_modules (`make node`); run with NODE_ENV=production (set below)
// so React skips its development checks, as a production server would.
import { modules, perSecond, readInput, require, writeResults } from './harness.mjs';

process.env.NODE_ENV = 'production';
const React = require('react');
const { renderToStaticMarkup } = require('react-dom/server');
// The package's CommonJS build is unusable ("type": "module") and its root entry imports the
// Mux player: import the RSCImage entry point by path.
const { RSCImage } = await import(new URL('react-datocms/dist/esm/RSCImage/index.js', modules));

const input = readInput();

const results = input.cases.map(({ name, data, props }) => {
  // A new element per render, as a page render would create it.
  const render = () => renderToStaticMarkup(React.createElement(RSCImage, { data, ...props }));
  return { name, html: render(), ...perSecond(render, input) };
});

writeResults(['react', 'react-dom', 'react-datocms'], results);
