// Parity fixtures from the npm reference: react-datocms' <RSCImage> and renderMetaTags
// rendered with react-dom/server's renderToStaticMarkup, plus toNextMetadata and
// renderMetaTagsToString for the meta-tag cases.
//
//   make node                                   # once: installs tools/node/node_modules
//   node tests/images/parity/generate.mjs       # rewrites fixtures.json next to this file
//   node tests/images/parity/generate.mjs OUT   # writes OUT instead (the freshness test)
//
// Input: cases.json (hand-written). Output: fixtures.json (committed, so the Python tests
// never need node). tests/images/test_parity.py reads both.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

process.env.NODE_ENV = 'production';
const here = new URL('./', import.meta.url);
const modules = new URL('../../../tools/node/node_modules/', import.meta.url);
const require = createRequire(new URL('../package.json', modules));
const React = require('react');
const { renderToStaticMarkup } = require('react-dom/server');
// react-datocms' CommonJS build is unusable ("type": "module"), and its root entry pulls in
// the Mux player: import the two ESM entry points by path.
const esm = (path) => import(new URL(`react-datocms/dist/esm/${path}`, modules));
const { RSCImage } = await esm('RSCImage/index.js');
const { renderMetaTags, renderMetaTagsToString, toNextMetadata } = await esm('Seo/index.js');

const cases = JSON.parse(readFileSync(new URL('cases.json', here), 'utf8'));

const images = cases.images.map(({ name, data, props }) => ({
  name,
  html: renderToStaticMarkup(React.createElement(RSCImage, { data, ...props })),
}));

const metaTags = cases.meta_tags.map(({ name, tags }) => ({
  name,
  html: renderToStaticMarkup(React.createElement(React.Fragment, null, renderMetaTags(tags))),
  to_string: renderMetaTagsToString(tags),
  next_metadata: toNextMetadata(tags),
}));

const version = (name) =>
  JSON.parse(readFileSync(new URL(`${name}/package.json`, modules), 'utf8')).version;
const versions = Object.fromEntries(
  ['react', 'react-dom', 'react-datocms'].map((name) => [name, version(name)]),
);

const output = process.argv[2] ? resolve(process.argv[2]) : new URL('fixtures.json', here);
writeFileSync(
  output,
  `${JSON.stringify({ generated_by: 'tests/images/parity/generate.mjs', versions, images, meta_tags: metaTags }, null, 1)}\n`,
);
console.log(`wrote ${images.length} image and ${metaTags.length} meta-tag fixtures`);
