// Generates the requests of fixtures/buffer.jsonl (hand-picked cases, then seeded random ones;
// the same list on every run). Record them with:
//
//   node crates/conformance/node/buffer_record.js \
//     | node crates/conformance/node/buffer_driver.js --record > crates/conformance/fixtures/buffer.jsonl
'use strict';

let seed = 0x5eed19;
function rand() {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const below = (n) => Math.floor(rand() * n);
const pick = (a) => a[below(a.length)];

const bytes = (b) => ({ $bytes: Buffer.from(b).toString('base64') });
const num = (x) => (Number.isFinite(x) && !Object.is(x, -0) ? x : { $num: Object.is(x, -0) ? '-0' : String(x) });
const out = [];
const rec = (fn, ...args) => out.push(JSON.stringify({ fn: `buffer.${fn}`, args }));

const ENCODINGS = ['utf8', 'utf-8', 'UTF8', 'utf16le', 'utf-16le', 'ucs2', 'UCS-2', 'latin1', 'binary',
  'ascii', 'base64', 'base64url', 'hex', 'HEX', 'Base64'];
const MAIN = ['utf8', 'utf16le', 'latin1', 'ascii', 'base64', 'base64url', 'hex'];
const STRINGS = ['', 'hello', 'héllo €', '\ud800', 'a\udc00b', '\udbff\udfff', '😀x', 'ÿĀā', '\u0000\u007f\u0080',
  'abc', 'abcd', '0g12', 'zz', 'ABcd', 'abcdef0', 'ŁA', 'Zm9v', 'Zm9vYg', 'Zm9vYg=', 'Zm9vYg==', 'Zm9v=YmFy',
  'Zm 9v\nYm\tFy', 'Z', 'Zg', 'Zg=', '-_-_', '++//', 'Zm9v!!YmFy', 'ŁAAA', '=Zm9v', 'Zm9vYmFy====', 'Zm9vY',
  'Y===', 'YQ', ' YQ ', 'a b c d', '\u0141\u0142\u0143\u0144', 'Zm9v\u0100YmFy'];

function randString() {
  const alpha = pick([
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=',
    'abcdefABCDEF0123456789xg ',
    'ab=+-_/ \n\t!.\u00e9\u0141\u0100',
    'a\u00ff\u0100\u20ac\ud83d\ude00\ud800\udc00',
  ]);
  const units = [...alpha];
  const n = below(14);
  let s = '';
  for (let i = 0; i < n; i++) s += pick(units);
  return s;
}
function randBytes(max = 12) {
  const n = below(max + 1);
  const pool = pick([[0x61, 0x62, 0x63], [0, 1, 0xd8, 0xdc, 0xff], null]);
  return Array.from({ length: n }, () => (pool ? pick(pool) : below(256)));
}

// Encoding names.
for (const e of [...ENCODINGS, '', 'utf16', 'UTF-16LE', 'latin-1', 'nope', 'base-64', 'utf-8 ']) {
  rec('isEncoding', e);
  rec('from', 'abc', e);
  rec('byteLength', 'abc€', e);
}
rec('isEncoding', null);
rec('from', 'abc');
// Buffer.from / byteLength / toString over the tricky strings.
for (const s of STRINGS) {
  for (const e of MAIN) {
    rec('from', s, e);
    rec('byteLength', s, e);
  }
}
for (let i = 0; i < 300; i++) {
  const s = randString();
  const e = pick(MAIN);
  rec('from', s, e);
  if (i % 3 === 0) rec('byteLength', s, e);
}
const BYTES = [[], [0x61], [0xe2, 0x82, 0xac], [0xe2, 0x82], [0xff, 0xfe, 0x41], [0xc0, 0x80], [0xed, 0xa0, 0x80],
  [0xf0, 0x9f, 0x98], [0xf4, 0x90, 0x80, 0x80], [0x00, 0xd8, 0x61, 0x00], [0x3d, 0xd8, 0x00, 0xde, 0x7f],
  [0x80, 0x7f, 0xff], [1, 2, 3, 4, 5]];
for (const b of BYTES) {
  for (const e of MAIN) rec('toString', bytes(b), e);
}
rec('toString', bytes([0x68, 0x69]));
rec('toString', bytes([0x68, 0x69]), 'nope');
rec('toString', bytes([0x68, 0x69]), 'nope', 5, 2);
rec('toString', bytes([0x68, 0x69]), null, 1);
const IDX = [0, 1, 2, 3, -1, -100, 1.5, 2.9, 100, num(NaN), null, num(Infinity), num(-Infinity)];
for (let i = 0; i < 150; i++) {
  rec('toString', bytes(randBytes()), pick(MAIN), pick(IDX), pick(IDX));
}
// compare, equals, concat.
for (let i = 0; i < 40; i++) {
  const a = randBytes(4);
  const b = rand() < 0.3 ? a : randBytes(4);
  rec(pick(['compare', 'equals', 'compareTo']), bytes(a), bytes(b));
}
for (let i = 0; i < 30; i++) {
  const list = Array.from({ length: below(4) }, () => bytes(randBytes(4)));
  rec('concat', list, ...(rand() < 0.5 ? [] : [below(12)]));
}
// indexOf, lastIndexOf, includes.
const OFFS = [null, 0, 1, 2, 3, -1, -2, -3, -100, 100, 1.5, -1.5, num(NaN), 'utf8', 'hex', 'ucs2', 2 ** 32, -(2 ** 32)];
for (let i = 0; i < 500; i++) {
  const hay = randBytes(10);
  let needle;
  switch (below(4)) {
    case 0: needle = bytes(randBytes(3)); break;
    case 1: needle = below(300) - 20; break;
    default: needle = pick(['', 'a', 'b', 'ab', 'ba', 'abc', '\u00ff', '\u0100', 'ÿa', '61', '6162', 'YQ', 'YWI=',
      '\ud800', 'a\u0000', '\u6261', 'zz', '\u0001\u00d8']);
  }
  const enc = pick([null, ...MAIN]);
  const off = pick(OFFS);
  const fn = pick(['indexOf', 'lastIndexOf', 'includes']);
  if (enc === null) rec(fn, bytes(hay), needle, off); else rec(fn, bytes(hay), needle, off, enc);
}
rec('indexOf', bytes([0x61, 0x62]), 'a', 0, 'nope');
rec('indexOf', bytes([0x61, 0x62]), { $bytes: '' }, 5);
rec('lastIndexOf', bytes([0x61, 0x62, 0x63, 0x64, 0x65]), bytes([0x7a, 0x7a]), null, 'ucs2');
// Numeric accessors.
const WIDTHS = { 8: 1, 16: 2, 32: 4 };
const READS = [];
for (const bits of [8, 16, 32]) {
  for (const s of ['UInt', 'Int', 'Uint']) {
    for (const e of bits === 8 ? [''] : ['LE', 'BE']) READS.push([`${s}${bits}${e}`, WIDTHS[bits]]);
  }
}
for (const e of ['LE', 'BE']) {
  READS.push([`Float${e}`, 4], [`Double${e}`, 8], [`BigUInt64${e}`, 8], [`BigInt64${e}`, 8], [`BigUint64${e}`, 8]);
  READS.push([`UInt${e}`, 0], [`Int${e}`, 0], [`Uint${e}`, 0]);
}
const ROFFS = [0, 1, 2, -1, 1.5, num(NaN), 3, 7, 8, 2 ** 40, num(-0), null];
for (const [name, width] of READS) {
  for (let i = 0; i < 14; i++) {
    const b = randBytes(10);
    const off = pick(ROFFS);
    if (width === 0) rec(`read${name}`, bytes(b), off, pick([1, 2, 3, 4, 5, 6, 6, 0, 7, 1.5, num(NaN)]));
    else rec(`read${name}`, bytes(b), off);
  }
}
function randValue(name, width) {
  if (/Big/.test(name)) {
    const v = pick([0n, 1n, -1n, 2n ** 63n - 1n, 2n ** 63n, -(2n ** 63n), -(2n ** 63n) - 1n, 2n ** 64n - 1n,
      2n ** 64n, 123456789012345678n, -(2n ** 40n)]);
    return { $bigint: v.toString() };
  }
  if (/Float|Double/.test(name)) {
    return num(pick([0, -0, 1.5, -2.25, 1e300, 3.4028235e38, 3.5e38, 1e-45, 0.1, NaN, Infinity, -Infinity, 123456789]));
  }
  const bits = (width || 6) * 8;
  const edge = [0, 1, -1, 2 ** bits - 1, 2 ** bits, 2 ** (bits - 1) - 1, 2 ** (bits - 1), -(2 ** (bits - 1)),
    -(2 ** (bits - 1)) - 1, 1.5, -0.5, 255.5, NaN, Infinity, -0, 2 ** 33, 300, 65535.9];
  return num(rand() < 0.7 ? pick(edge) : Math.floor(rand() * 2 ** bits) - (rand() < 0.5 ? 2 ** (bits - 1) : 0));
}
for (const [name, width] of READS) {
  for (let i = 0; i < 16; i++) {
    const b = randBytes(10);
    const off = pick(ROFFS);
    if (width === 0) {
      const bl = pick([1, 2, 3, 4, 5, 6, 5, 6, 0, 7, 1.5]);
      rec(`write${name}`, bytes(b), randValue(name, Number.isInteger(bl) && bl >= 1 && bl <= 6 ? bl : 0), off, bl);
    } else {
      rec(`write${name}`, bytes(b), randValue(name, width), off);
    }
  }
}
rec('writeIntLE', bytes([0, 0, 0, 0, 0, 0]), -0.5, 0, 6);
rec('writeUInt8', bytes([0]), 1.7, 0);
// fill.
const FILLS = ['', 'a', 'ab', 'é', 'Ā', '6162', 'abc', 'zz', 'YWI=', '\ud800', bytes([]), bytes([1, 2]), 0, 255, 256, -1, 1.5];
for (let i = 0; i < 150; i++) {
  const b = randBytes(8);
  const v = pick(FILLS);
  const args = [bytes(b), v];
  const shape = below(5);
  if (shape >= 1) args.push(pick([0, 1, 2, -1, 1.5, 9, 'hex', 'latin1']));
  if (shape >= 2) args.push(pick([null, 0, 2, 5, 8, 9, -1, 'utf8', 'base64']));
  if (shape >= 3) args.push(pick(MAIN));
  rec('fill', ...args);
}
rec('fill', bytes([0, 0]), 'a', 'nope');
// subarray, swap, toJSON, alloc.
for (let i = 0; i < 40; i++) {
  rec('subarray', bytes(randBytes(6)), pick([null, 0, 1, -1, -3, 10, -10, 1.5, num(NaN)]), pick([null, 0, 2, -1, 10, -10, 2.5]));
}
for (let n = 0; n <= 17; n++) {
  for (const w of [16, 32, 64]) rec(`swap${w}`, bytes(Array.from({ length: n }, (_, i) => i)));
}
for (let i = 0; i < 5; i++) rec('toJSON', bytes(randBytes(5)));
for (const n of [0, 1, 5]) {
  rec('alloc', n);
  rec('alloc', n, 'ab');
  rec('alloc', n, '6', 'hex');
  rec('alloc', n, 7);
}
process.stdout.write(out.join('\n') + '\n');
