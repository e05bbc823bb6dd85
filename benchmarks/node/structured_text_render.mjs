// Anchor for benchmarks/structured_text.py: documents/s of DatoCMS's own renderers,
// datocms-structured-text-to-html-string's render() and datocms-structured-text-to-plain-text's
// render(), measured inside node after a warm-up.
//
// stdin: {"cases": [{"name", "input"}], "rounds": 7, "seconds": 0.3}
// stdout: {"node", "versions", "results": [{"name", "html", "plain", "html_rate", "plain_rate"}]}
// Uses tools/node/node_modules (`make node`).
import { perSecond, readInput, require, writeResults } from './harness.mjs';

const toHtml = require('datocms-structured-text-to-html-string');
const toPlainText = require('datocms-structured-text-to-plain-text');

const input = readInput();

const results = input.cases.map(({ name, input: value }) => {
  const html = () => toHtml.render(value);
  const plain = () => toPlainText.render(value);
  return {
    name,
    html: html(),
    plain: plain(),
    html_rate: perSecond(html, input).rate,
    plain_rate: perSecond(plain, input).rate,
  };
});

writeResults(
  ['datocms-structured-text-to-html-string', 'datocms-structured-text-to-plain-text'],
  results,
);
