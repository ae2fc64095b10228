// Shared by the Node side of `cargo xtask bench`: sizes, timing, the JSON line, and the fixed
// input sets. crates/bench/src/inputs.rs builds exactly the same inputs: keep the two in step.
'use strict';

const quick = process.argv.includes('--quick');

/** `full`, or a tenth of it with --quick. */
function size(full) {
  return quick ? Math.floor(full / 10) : full;
}

function now() {
  return performance.now() / 1000;
}

function emit(workload, ops, secs) {
  console.log(JSON.stringify({ workload, unit: 'ops/s', value: ops / secs }));
}

// Results are stored here so that no call can be optimized away.
const sink = new Array(16);

/** Calls `f` `n` times over `inputs` in turn; returns the seconds it took. */
function over(inputs, n, f) {
  const start = now();
  const len = inputs.length;
  for (let i = 0; i < n; i++) {
    sink[i & 15] = f(inputs[i % len]);
  }
  return now() - start;
}

/** Runs `kase(n / 10)` unmeasured, then `kase(n)`, and reports the latter. */
function measured(name, n, kase) {
  kase(Math.max(1, Math.floor(n / 10)));
  emit(name, n, kase(n));
}

/**
 * The asynchronous form: `kase(n, done)` calls `done(seconds)`. The cases of `list`
 * ([name, n, kase]) run one after the other, each from a fresh immediate.
 */
function measuredAsync(list) {
  if (list.length === 0) return;
  const [[name, n, kase], ...rest] = list;
  setImmediate(() =>
    kase(Math.max(1, Math.floor(n / 10)), () =>
      setImmediate(() =>
        kase(n, (secs) => {
          emit(name, n, secs);
          measuredAsync(rest);
        }),
      ),
    ),
  );
}

/** The 32-bit LCG of inputs.rs: `x * 1103515245 + 12345 mod 2^32`, 16 bits out. */
class Lcg {
  constructor(seed) {
    this.x = seed >>> 0;
  }
  next() {
    this.x = (Math.imul(this.x, 1103515245) + 12345) >>> 0;
    return this.x >>> 16;
  }
  below(n) {
    return this.next() % n;
  }
  pick(items) {
    return items[this.below(items.length)];
  }
}

const JOIN = [
  ['/foo', 'bar', 'baz/asdf', 'quux', '..'],
  ['foo', 'bar'],
  ['/a/b', '../c', './d'],
  ['', ''],
  ['a/', '/b/', 'c'],
  ['/usr/local/', 'lib', 'node_modules/express/index.js'],
  ['..', 'a', '..', '..', 'b'],
  ['./x', 'y/', 'z/../w'],
  ['src', 'components', 'Button', 'index.tsx'],
  ['/'],
];

const RESOLVE = [
  ['/foo/bar', './baz'],
  ['/foo/bar', '/tmp/file/'],
  ['/home/user', 'wwwroot', 'static_files/png/', '../gif/image.gif'],
  ['/a/b/c', '..', '..', 'd'],
  ['/var/log/', 'nginx//access.log'],
  ['/srv', 'app', './node_modules/.bin/'],
  ['relative/path', 'file.txt'],
  ['../up/one'],
];

const RELATIVE = [
  ['/data/orandea/test/aaa', '/data/orandea/impl/bbb'],
  ['/a/b/c', '/a/b/c/d/e'],
  ['/home/user/project/src', '/home/user/project/test/unit'],
  ['/', '/usr/lib'],
  ['/usr/lib/', '/'],
  ['/foo/bar/baz', '/foo/bar/baz'],
  ['/x/y/../z', '/x/./y/w'],
  ['a/b', 'a/c'],
];

const NORMALIZE = [
  '/foo/bar//baz/asdf/quux/..',
  './fixtures///b/../b/c.js',
  '/foo/../../../bar',
  'a//b//../b',
  'a//b//./c',
  '',
  '/usr/local/lib/node_modules/',
  '../../x/y/z/',
  'simple',
  '/a/b/c/d/e/f/g/h/../../../../i',
];

const LEGACY_URLS = [
  'http://user:pass@host.com:8080/p/a/t/h?query=string#hash',
  'https://example.com/',
  'https://www.example.org/search?q=node+js&lang=en&page=2',
  'HTTP://X.COM/Y',
  'ftp://ftp.funet.fi/pub/standards/RFC/rfc959.txt',
  '/relative/path?x=1&y=2',
  'mailto:someone@example.com',
  'http://[::1]:3000/api/v1/items?id=42',
  'file:///etc/passwd',
  'https://a.b.c.d.example.co.uk/deep/path/to/resource.html#section-3',
  '//cdn.example.net/lib.js',
  'http://example.com/a b?c d#e f',
];

const QUERIES = [
  'foo=bar&abc=xyz&abc=123',
  'q=node+js&lang=en&page=2&sort=desc',
  'a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8',
  'name=J%C3%BCrgen%20M%C3%BCller&city=M%C3%BCnchen',
  'empty=&flag&x=%20y%20',
  'arr=1&arr=2&arr=3&arr=4',
  'redirect=https%3A%2F%2Fexample.com%2Fpath%3Fa%3D1',
  '',
];

const SCHEMES = ['http', 'https', 'https', 'ws', 'ftp'];
const WORDS = ['example', 'api', 'www', 'cdn', 'static', 'shop', 'mail', 'news', 'dev', 'node',
  'rust', 'data', 'img', 'auth', 'blog'];
const TLDS = ['com', 'org', 'net', 'io', 'co.uk', 'de', 'dev'];
const SEGMENTS = ['users', 'v1', 'v2', 'items', 'search', 'index.html', 'a', 'b', 'assets',
  'img.png', '..', '.', '%7Euser', 'caf%C3%A9', 'long-segment-name', '42'];
const KEYS = ['q', 'id', 'page', 'sort', 'lang', 'ref', 'utm_source', 'x'];
const VALUES = ['1', 'abc', 'node+js', '%20', 'en', 'true', 'a%2Fb', ''];

/** `n` well-formed absolute URLs for the WHATWG parser (inputs.rs's `whatwg_urls`). */
function whatwgUrls(n) {
  const rng = new Lcg(20240601);
  const out = [];
  for (let k = 0; k < n; k++) {
    let s = rng.pick(SCHEMES) + '://';
    if (rng.below(10) === 0) s += 'user:pw@';
    const labels = 1 + rng.below(3);
    for (let j = 0; j < labels; j++) s += rng.pick(WORDS) + '.';
    s += rng.pick(TLDS);
    if (rng.below(5) === 0) s += ':' + String(1000 + rng.below(9000));
    const segs = rng.below(5);
    for (let j = 0; j < segs; j++) s += '/' + rng.pick(SEGMENTS);
    if (rng.below(2) === 0) {
      const pairs = 1 + rng.below(4);
      for (let j = 0; j < pairs; j++) {
        s += (j === 0 ? '?' : '&') + rng.pick(KEYS) + '=' + rng.pick(VALUES);
      }
    }
    if (rng.below(4) === 0) s += '#' + rng.pick(WORDS);
    out.push(s);
  }
  return out;
}

/** Random delays in 0..=100 ms (inputs.rs's sequence for the timers). */
function delays(n) {
  const rng = new Lcg(12345);
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.below(101);
  return out;
}

// The words of the zlib corpus: crates/bench/src/codec.rs has the same list.
const CORPUS_WORDS = [
  'the', 'quick', 'brown', 'fox', 'jumps', 'over', 'lazy', 'dog', 'node', 'rust', 'stream',
  'buffer', 'event', 'loop', 'async', 'await', 'promise', 'callback', 'error', 'data', 'end',
  'finish', 'close', 'pipe', 'chunk', 'encoding', 'utf8', 'base64', 'hex', 'json', '{', '}',
  '[', ']', ':', ',', '"id"', '"name"', '"value"', '42', '3.14', 'true', 'false',
  'null', '\n', '\n', '    ', 'const', 'let', 'function', 'return', 'if', 'else',
];

/** `bytes` of text: LCG-drawn words (seed 7) and spaces, the bytes of codec.rs's `corpus`. */
function corpus(bytes) {
  const rng = new Lcg(7);
  const out = Buffer.allocUnsafe(bytes + 16);
  let len = 0;
  while (len < bytes) {
    len += out.write(rng.pick(CORPUS_WORDS), len, 'latin1');
    out[len++] = 0x20;
  }
  return out.subarray(0, bytes);
}

/**
 * The `count` files of 1 KiB shared with the Rust side (crates/bench/src/pool.rs), made once
 * in $TMPDIR/nodestd-bench-files-<count> (a `done` file marks the directory complete).
 */
function files(count) {
  const fs = require('fs');
  const path = require('path');
  const dir = path.join(require('os').tmpdir(), `nodestd-bench-files-${count}`);
  const paths = Array.from({ length: count }, (_, i) => path.join(dir, `f${i}.txt`));
  if (!fs.existsSync(path.join(dir, 'done'))) {
    fs.mkdirSync(dir, { recursive: true });
    const body = Buffer.alloc(1024, 'x');
    for (const p of paths) fs.writeFileSync(p, body);
    fs.writeFileSync(path.join(dir, 'done'), '');
  }
  return paths;
}

/** A measurement in another unit than ops/s: `units` done in `secs`. */
function emitUnit(workload, unit, units, secs) {
  console.log(JSON.stringify({ workload, unit, value: units / secs }));
}

module.exports = {
  quick, size, now, emit, emitUnit, sink, over, measured, measuredAsync, Lcg, delays,
  whatwgUrls, corpus, files, JOIN, RESOLVE, RELATIVE, NORMALIZE, LEGACY_URLS, QUERIES,
};
