// Generates the requests of fixtures/util.jsonl (hand-picked cases, then seeded random values;
// the same list on every run). Record them with:
//
//   node crates/conformance/node/util_record.js \
//     | node crates/conformance/node/util_driver.js --record > crates/conformance/fixtures/util.jsonl
'use strict';

let seed = 0x0017e1;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const below = (n) => Math.floor(rand() * n);
const pick = (a) => a[below(a.length)];
const U = { $undefined: 1 };
const num = (x) => (Number.isFinite(x) && !Object.is(x, -0) ? x : { $num: Object.is(x, -0) ? '-0' : String(x) });
const out = [];
const rec = (fn, ...args) => out.push(JSON.stringify({ fn: `util.${fn}`, args }));

const STRINGS = ['', 'a', "it's", 'say "hi"', 'both \' and "', 'all \' " `', "a'${b}\"", 'tab\there', 'line\nbreak',
  '\u0000\u001f\u007f\u0085', 'back\\slash', 'émoji 😀', 'x'.repeat(20) + '\n' + 'y'.repeat(70),
  'a long line that is longer than sixteen characters\nand a second line\n', 'k'.repeat(100)];
const PRIMS = [U, null, true, false, 0, num(-0), 1.5, -2, 1e21, 1e-7, 123456789.123, num(NaN), num(Infinity),
  num(-Infinity), { $bigint: '123' }, { $bigint: '-9007199254740993' }, ...STRINGS];
for (const p of PRIMS) rec('inspect', p);
const ERR = (name, message, props) => ({ $error: { name, message, props } });
const SPECIAL = [
  [], {}, { $map: [] }, { $set: [] }, { $bytes: '' }, { $bytes: 'aGk=' }, { $bytes: Buffer.alloc(60, 7).toString('base64') },
  ERR('Error', 'boom', {}), ERR('Error', 'boom', { code: 'ERR_X' }), ERR('TypeError', 'bad', { code: 'ERR_INVALID_ARG_TYPE' }),
  ERR('Error', '', {}), ERR('Error', 'ENOENT: no such file', { errno: -2, code: 'ENOENT', syscall: 'open', path: '/x' }),
  { a: 1, 'b-c': 2, _d: [1, 2, 3], $e: null, f: U },
  { a: { b: { c: { d: 1 } } } }, [[[[1]]]], [1, [2, [3, [4, [5]]]]],
  Array.from({ length: 7 }, (_, i) => i), Array.from({ length: 30 }, (_, i) => i * 37),
  Array.from({ length: 101 }, (_, i) => i), Array.from({ length: 26 }, (_, i) => 'abcdefghijklmnopqrstuvwxyz'.slice(0, i % 7)),
  [1, 'a', null, U, true], { $map: [['a', 1], [{ k: 1 }, [1, 2]]] }, { $set: [1, 'two', [3]] },
  { list: Array.from({ length: 12 }, (_, i) => ({ id: i, name: `item${i}` })) },
  { text: 'x'.repeat(80) }, { nested: { text: 'a line\nthat breaks and is long enough to be split by inspect at all' } },
];
for (const s of SPECIAL) rec('inspect', s);
// format.
const F = [
  ['%s', 'a'], ['%s %s', 'a'], ['%s', 1.5], ['%s', num(-0)], ['%s', { $bigint: '5' }], ['%s', null], ['%s', U],
  ['%s', { a: { b: 1 } }], ['%s', [1, [2, [3]]]], ['%s', { $bytes: 'aGk=' }], ['%s', ERR('Error', 'boom', { code: 'E' })],
  ['%d', '42'], ['%d', ' 0x10 '], ['%d', ''], ['%d', 'abc'], ['%d', [5]], ['%d', [1, 2]], ['%d', null], ['%d', U],
  ['%d', true], ['%d', { $bigint: '7' }], ['%d', {}], ['%d', '1e3'], ['%d', 'Infinity'], ['%d', '-0'],
  ['%i', '42.9'], ['%i', '  -12.5abc'], ['%i', '0x1f'], ['%i', 1e21], ['%i', 0.0000005], ['%i', 'x'], ['%i', { $bigint: '9' }],
  ['%f', '1e3x'], ['%f', '.5'], ['%f', '-.5e-2'], ['%f', 'Infinityx'], ['%f', 'e5'], ['%f', [2.5]], ['%f', '-0'],
  ['%j', { a: [1, 'x', null, U] }], ['%j', U], ['%j', num(NaN)], ['%j', 'q"\n'], ['%j', { $bytes: 'aGk=' }],
  ['%j', { $map: [['a', 1]] }], ['%j', ERR('Error', 'm', { code: 'C' })],
  ['%o', [1, 2]], ['%o', { a: [1] }], ['%O', { a: { b: { c: { d: {} } } } }], ['%o', 'str'],
  ['%c%s', 'color: red', 'x'], ['100%', 1], ['%%', 1], ['%% %s', 'a'], ['%x %s', 'a'], ['%', 1], ['%s%', 'a'],
  ['a', 'b', 1, { c: 2 }], [1, 2, 'x'], ['%s:%s', 'a'], ['%s', 'a', 'b', [1]], [{ a: 1 }, '%s', 'x'], [],
  ['%s %d %i %f %j %o %O %c %%', 'a', 1, 2, 3, 4, 5, 6, 7],
];
for (const f of F) rec('format', ...f);

// Random values.
function randValue(depth) {
  const k = below(depth > 3 ? 5 : 11);
  switch (k) {
    case 0: return pick([U, null, true, false]);
    case 1: return num(pick([0, -0, 1, -1, 3.25, 1e21, 1e-7, NaN, Infinity, 42, 1234567]));
    case 2: return pick(STRINGS.slice(0, 13));
    case 3: return { $bigint: String(below(1000) - 500) };
    case 4: return pick(['ab', 'x', 'a b', 'é']);
    case 5: case 6: return Array.from({ length: pick([0, 1, 2, 3, 5, 7, 8, 12, 27]) }, () => (rand() < 0.6 ? below(2000) - 100 : randValue(depth + 1)));
    case 7: case 8: {
      const o = {};
      const n = below(6);
      for (let i = 0; i < n; i++) o[pick(['a', 'b', 'key', 'long_key_name', 'with-dash', 'x y', 'é', '_'])] = randValue(depth + 1);
      return o;
    }
    case 9: return rand() < 0.5 ? { $map: Array.from({ length: below(4) }, () => [randValue(depth + 1), randValue(depth + 1)]) }
      : { $set: Array.from({ length: below(5) }, () => randValue(depth + 1)) };
    default: return rand() < 0.5 ? { $bytes: Buffer.from(Array.from({ length: below(8) }, () => below(256))).toString('base64') }
      : ERR(pick(['Error', 'TypeError', 'RangeError']), pick(['boom', '', 'bad thing']), rand() < 0.5 ? {} : { code: 'ERR_X' });
  }
}
for (let i = 0; i < 400; i++) rec('inspect', randValue(0));
for (let i = 0; i < 150; i++) {
  const fmt = Array.from({ length: below(4) }, () => pick(['%s', '%d', '%i', '%f', '%j', '%o', '%O', '%c', '%%', 'x', ' '])).join('');
  rec('format', fmt, ...Array.from({ length: below(4) }, () => randValue(2)));
}
process.stdout.write(out.join('\n') + '\n');
