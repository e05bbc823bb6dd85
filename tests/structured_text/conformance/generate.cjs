#!/usr/bin/env node
// Regenerates fixtures.json: structured text documents rendered by DatoCMS's own npm packages
// (datocms-structured-text-to-html-string, datocms-structured-text-to-plain-text), so the
// Python tests can check render_html/render_plain_text against them without node.
//
//   make node && node tests/structured_text/conformance/generate.cjs
//
// Hand-written cases cover every node, mark and attribute; seeded random documents (valid
// dast, all node types, marks, meta, records) cover the combinations. Text in random
// documents never contains ";" or "/", so it cannot collide with vhtml's global cache of
// "already sanitized" strings (a reference bug: text equal to earlier output is not escaped,
// which we deliberately do not reproduce; see test_xss.py).
'use strict';

const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const NODE_DIR = path.join(ROOT, 'tools', 'node');
const requireFromTools = createRequire(path.join(NODE_DIR, 'package.json'));

// A fresh copy of the renderers for every case, so vhtml's module-level cache of sanitized
// strings never carries over from one case to the next.
function freshRenderers() {
  for (const key of Object.keys(requireFromTools.cache)) {
    delete requireFromTools.cache[key];
  }
  return {
    html: requireFromTools('datocms-structured-text-to-html-string'),
    plain: requireFromTools('datocms-structured-text-to-plain-text'),
  };
}

function version(name) {
  const file = requireFromTools.resolve(`${name}/package.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8')).version;
}

// ---------------------------------------------------------------------------------------
// Record renderers used by cases with "records": true. tests/structured_text/conformance.py
// defines the same renderers in Python (format_html), so both sides render records alike.

function htmlRecordOptions(renderNode) {
  return {
    renderBlock: ({ record }) =>
      renderNode('figure', { 'data-id': record.id }, record.caption),
    renderInlineBlock: ({ record }) =>
      renderNode('span', { class: 'mention', 'data-id': record.id }, record.label),
    renderInlineRecord: ({ record }) =>
      renderNode('a', { href: `/records/${record.slug}` }, record.title),
    renderLinkToRecord: ({ record, children, transformedMeta }) =>
      renderNode('a', { ...(transformedMeta || {}), href: `/records/${record.slug}` }, children),
  };
}

const plainRecordOptions = {
  renderBlock: ({ record }) => `[block ${record.id}]`,
  renderInlineBlock: ({ record }) => `[mention ${record.label}]`,
  renderInlineRecord: ({ record }) => `[record ${record.title}]`,
  renderLinkToRecord: ({ record, children }) => `[link ${record.slug}]${children}[/link]`,
};

// ---------------------------------------------------------------------------------------
// Hand-written cases.

const span = (value, marks) => (marks ? { type: 'span', marks, value } : { type: 'span', value });
const p = (...children) => ({ type: 'paragraph', children });
const doc = (...children) => ({ schema: 'dast', document: { type: 'root', children } });
const field = (document, extra) => ({ value: document, blocks: [], links: [], inlineBlocks: [], ...extra });

const MARKS = ['strong', 'code', 'emphasis', 'underline', 'strikethrough', 'highlight'];

const records = {
  blocks: [
    { id: 'b1', __typename: 'ImageBlockRecord', caption: 'A "harbour" & <boats>' },
    { id: 'b2', __typename: 'QuoteBlockRecord', caption: "Rock'n'roll" },
  ],
  links: [
    { id: 'r1', __typename: 'ArticleRecord', title: 'Alps & <more>', slug: 'alps' },
    { id: 'r2', __typename: 'AuthorRecord', title: 'Ada "Countess"', slug: 'ada' },
  ],
  inlineBlocks: [{ id: 'm1', __typename: 'MentionBlockRecord', label: '@ada' }],
};

const hand = [
  ['empty root paragraph', doc(p(span('')))],
  ['paragraph', doc(p(span('Hello world!')))],
  ['bare document', doc(p(span('bare')))],
  ['single span node', span('just a span')],
  ['single paragraph node', p(span('a'), span('b', ['strong']))],
  ['line breaks', doc(p(span('one\ntwo\n\nthree\n')))],
  ['line break with marks', doc(p(span('a\nb', ['strong', 'emphasis'])))],
  ['leading and trailing spaces', doc(p(span('  padded  ')))],
  ...MARKS.map((mark) => [`mark ${mark}`, doc(p(span('marked', [mark])))]),
  ['all marks nested in order', doc(p(span('x', MARKS)))],
  ['all marks reversed', doc(p(span('x', [...MARKS].reverse())))],
  ['empty span with marks', doc(p(span('', ['strong']), span('after')))],
  ['empty marks list', doc(p(span('plain', [])))],
  ['escaping in text', doc(p(span(`<script>alert("x")</script> & 'quotes'`)))],
  ...[1, 2, 3, 4, 5, 6].map((level) => [
    `heading ${level}`,
    doc({ type: 'heading', level, children: [span(`Title ${level}`)] }),
  ]),
  ['heading with style', doc({ type: 'heading', level: 2, style: 'lead', children: [span('s')] })],
  ['paragraph with style', doc({ type: 'paragraph', style: 'lead', children: [span('s')] })],
  [
    'bulleted list',
    doc({ type: 'list', style: 'bulleted', children: [
      { type: 'listItem', children: [p(span('one'))] },
      { type: 'listItem', children: [p(span('two'))] },
    ] }),
  ],
  [
    'numbered nested list',
    doc({ type: 'list', style: 'numbered', children: [
      { type: 'listItem', children: [
        p(span('one')),
        { type: 'list', style: 'bulleted', children: [{ type: 'listItem', children: [p(span('one.a'))] }] },
      ] },
    ] }),
  ],
  ['blockquote', doc({ type: 'blockquote', children: [p(span('Be yourself.'))] })],
  [
    'blockquote with attribution',
    doc({ type: 'blockquote', attribution: `Oscar "O'" Wilde & co`, children: [p(span('q1')), p(span('q2'))] }),
  ],
  ['blockquote with empty attribution', doc({ type: 'blockquote', attribution: '', children: [p(span('q'))] })],
  ['code', doc({ type: 'code', language: 'javascript', code: "function greetings() {\n  console.log('Hi!');\n}" })],
  ['code without language', doc({ type: 'code', code: 'x < y && y > z' })],
  ['code with empty language', doc({ type: 'code', language: '', code: 'x' })],
  ['code with highlight', doc({ type: 'code', language: 'py', highlight: [0, 2], code: 'a\nb\nc' })],
  ['code empty', doc({ type: 'code', code: '' })],
  ['thematic break', doc(p(span('above')), { type: 'thematicBreak' }, p(span('below')))],
  ['link', doc(p({ type: 'link', url: 'https://www.datocms.com/', children: [span('DatoCMS')] }))],
  [
    'link with meta',
    doc(p({ type: 'link', url: 'https://example.com/?a=1&b="2"', meta: [
      { id: 'rel', value: 'nofollow' },
      { id: 'target', value: '_blank' },
      { id: 'onclick', value: 'alert(1)' },
      { id: 'title', value: `It's "quoted"` },
      { id: 'data-x', value: 'dropped by the default transformer' },
    ], children: [span('link', ['strong'])] })),
  ],
  [
    'link meta duplicate ids',
    doc(p({ type: 'link', url: '/x', meta: [
      { id: 'target', value: '_self' },
      { id: 'rel', value: 'a' },
      { id: 'target', value: '_blank' },
    ], children: [span('dup')] })),
  ],
  ['link empty meta', doc(p({ type: 'link', url: '/x', meta: [], children: [span('m')] }))],
  ['link relative and mailto', doc(p(
    { type: 'link', url: '/relative/path?q=1', children: [span('rel')] },
    span(' '),
    { type: 'link', url: 'mailto:someone@example.com', children: [span('mail')] },
  ))],
  ['link with spans and line break', doc(p({ type: 'link', url: '/x', children: [span('a\nb'), span('c', ['emphasis'])] }))],
  ['unicode', doc(p(span('Città — naïve 😀 日本語')))],
  [
    'blocks and records',
    field(
      doc(
        p(
          span('See '),
          { type: 'itemLink', item: 'r1', children: [span('the alps')] },
          span(', '),
          { type: 'inlineItem', item: 'r2' },
          span(' and '),
          { type: 'inlineBlock', item: 'm1' },
        ),
        { type: 'block', item: 'b1' },
        { type: 'block', item: 'b2' },
      ),
      records,
    ),
    true,
  ],
  [
    'item link with meta',
    field(
      doc(p({ type: 'itemLink', item: 'r2', meta: [
        { id: 'target', value: '_blank' },
        { id: 'rel', value: 'noopener' },
        { id: 'style', value: 'color:red' },
      ], children: [span('Ada', ['strong'])] })),
      records,
    ),
    true,
  ],
  [
    'full article',
    field(
      doc(
        { type: 'heading', level: 1, children: [span('A day in the '), span('Alps', ['emphasis'])] },
        p(span('Intro with '), { type: 'link', url: 'https://example.com', meta: [{ id: 'target', value: '_blank' }], children: [span('a link')] }, span('.')),
        { type: 'block', item: 'b1' },
        { type: 'list', style: 'bulleted', children: [
          { type: 'listItem', children: [p(span('first'))] },
          { type: 'listItem', children: [p(span('second', ['strong', 'highlight']))] },
        ] },
        { type: 'blockquote', attribution: 'Someone', children: [p(span('Quote'))] },
        { type: 'code', language: 'python', code: 'print("hi")' },
        { type: 'thematicBreak' },
        p(span('Bye '), { type: 'itemLink', item: 'r1', children: [span('alps')] }),
      ),
      records,
    ),
    true,
  ],
];

// ---------------------------------------------------------------------------------------
// Seeded random documents (valid dast).

function mulberry32(seed) {
  return function next() {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomDocuments(count, seed) {
  const rand = mulberry32(seed);
  const int = (n) => Math.floor(rand() * n);
  const pick = (items) => items[int(items.length)];
  const ALPHABET = ['a', 'b', 'c', 'd', 'e', ' ', ' ', '\n', '<', '>', '&', '"', "'", 'é', '😀'];
  const text = () => Array.from({ length: int(8) }, () => pick(ALPHABET)).join('');
  const marks = () => {
    const found = MARKS.filter(() => rand() < 0.2);
    return found.length ? found.sort(() => rand() - 0.5) : undefined;
  };
  const s = () => span(text() || 'x', marks());
  const meta = () =>
    rand() < 0.5
      ? undefined
      : Array.from({ length: int(4) }, () => ({ id: pick(['rel', 'target', 'title', 'x']), value: text() }));
  const withMeta = (node) => {
    const m = meta();
    return m ? { ...node, meta: m } : node;
  };
  const inline = () => {
    const roll = rand();
    if (roll < 0.6) return s();
    if (roll < 0.75) return withMeta({ type: 'link', url: pick(['https://a.example/?q=1&r=2', '/path', '#frag', `/${text()}`]), children: [s(), ...(rand() < 0.3 ? [s()] : [])] });
    if (roll < 0.85) return withMeta({ type: 'itemLink', item: pick(['r1', 'r2']), children: [s()] });
    if (roll < 0.93) return { type: 'inlineItem', item: pick(['r1', 'r2']) };
    return { type: 'inlineBlock', item: 'm1' };
  };
  const inlines = () => Array.from({ length: 1 + int(4) }, inline);
  const paragraph = () => (rand() < 0.1 ? { type: 'paragraph', style: 'lead', children: inlines() } : p(...inlines()));
  const list = (depth) => ({
    type: 'list',
    style: pick(['bulleted', 'numbered']),
    children: Array.from({ length: 1 + int(3) }, () => ({
      type: 'listItem',
      children: [paragraph(), ...(depth < 2 && rand() < 0.3 ? [list(depth + 1)] : [])],
    })),
  });
  const block = () => {
    const roll = rand();
    if (roll < 0.35) return paragraph();
    if (roll < 0.5) return { type: 'heading', level: 1 + int(6), children: inlines() };
    if (roll < 0.62) return list(0);
    if (roll < 0.72) {
      const quote = { type: 'blockquote', children: Array.from({ length: 1 + int(2) }, paragraph) };
      return rand() < 0.5 ? { ...quote, attribution: text() || 'anon' } : quote;
    }
    if (roll < 0.8) {
      const code = { type: 'code', code: text() };
      return rand() < 0.7 ? { ...code, language: pick(['js', 'python', 'html']) } : code;
    }
    if (roll < 0.88) return { type: 'thematicBreak' };
    return { type: 'block', item: pick(['b1', 'b2']) };
  };
  return Array.from({ length: count }, (_, index) => [
    `random ${index}`,
    field(doc(...Array.from({ length: 1 + int(6) }, block)), records),
    true,
  ]);
}

// ---------------------------------------------------------------------------------------

function renderCase(input, withRecords) {
  const { html, plain } = freshRenderers();
  const htmlOptions = withRecords ? htmlRecordOptions(html.defaultAdapter.renderNode) : undefined;
  const plainOptions = withRecords ? plainRecordOptions : undefined;
  // Our documented plain-text difference: marks never add a line break (the reference adds
  // one after strikethrough because it renders as <s>, missing from its inline tag list).
  const inlineStrikethrough = {
    ...(plainOptions || {}),
    customMarkRules: [
      plain.renderMarkRule('strikethrough', ({ children }) => children),
    ],
  };
  return {
    html: html.render(input, htmlOptions) || '',
    plain_text: plain.render(input, inlineStrikethrough) || '',
    plain_text_reference: plain.render(input, plainOptions) || '',
  };
}

const cases = [...hand, ...randomDocuments(100, 20240611)].map(([name, input, withRecords]) => ({
  name,
  records: Boolean(withRecords),
  input,
  ...renderCase(input, withRecords),
}));

const fixtures = {
  generated_by: 'tests/structured_text/conformance/generate.cjs',
  packages: {
    'datocms-structured-text-to-html-string': version('datocms-structured-text-to-html-string'),
    'datocms-structured-text-to-plain-text': version('datocms-structured-text-to-plain-text'),
  },
  cases,
};

const out = path.join(__dirname, 'fixtures.json');
// One case per line: readable diffs, a compact file.
const body = cases.map((item) => JSON.stringify(item)).join(',\n');
const header = JSON.stringify({ generated_by: fixtures.generated_by, packages: fixtures.packages });
fs.writeFileSync(out, `${header.slice(0, -1)},"cases":[\n${body}\n]}\n`);
console.log(`wrote ${cases.length} cases to ${path.relative(ROOT, out)}`);
