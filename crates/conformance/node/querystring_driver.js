// Differential driver for the querystring family: reads call records (one JSON line each,
// `{"fn": "querystring.X", "args": [...]}`) on stdin and writes Node's answer for each:
// `{"result": ...}` or `{"throws": code-or-constructor-name}`.
//
// Conventions (as in crates/conformance/src/json.rs): `{"$utf16": [units]}` stands for a
// string with lone surrogates, and an object key spelled as that object's JSON text stands
// for such a key. Buffers are answered as `{"$bytes": base64}`. JSON.stringify writes lone
// surrogates as `\udXXX` escapes, which the Rust side decodes back to `$utf16`.
'use strict';

const fs = require('fs');
const querystring = require('querystring');

function decodeKey(k) {
  if (k.startsWith('{"$utf16":')) {
    try {
      const v = JSON.parse(k);
      if (Array.isArray(v.$utf16)) return String.fromCharCode(...v.$utf16);
    } catch {
      // An ordinary key that merely looks like one.
    }
  }
  return k;
}

function decode(v) {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === '$utf16' && Array.isArray(v.$utf16)) {
      return String.fromCharCode(...v.$utf16);
    }
    // Own data properties, as JSON.parse makes them (`out[k] = …` would run the
    // `__proto__` setter).
    const out = {};
    for (const k of keys) {
      Object.defineProperty(out, decodeKey(k), {
        value: decode(v[k]), enumerable: true, writable: true, configurable: true,
      });
    }
    return out;
  }
  return v;
}

function encodeResult(r) {
  if (Buffer.isBuffer(r)) return { $bytes: r.toString('base64') };
  if (r !== null && typeof r === 'object' && !Array.isArray(r)) {
    // parse's null-prototype object: copy into a plain one, same key order.
    const out = {};
    for (const k of Object.keys(r)) {
      Object.defineProperty(out, k, {
        value: r[k], enumerable: true, writable: true, configurable: true,
      });
    }
    return out;
  }
  return r;
}

const lines = fs.readFileSync(0, 'utf8').split('\n');
const out = [];
for (const line of lines) {
  if (line.trim() === '') continue;
  const record = JSON.parse(line);
  const name = record.fn.replace(/^querystring\./, '');
  const args = decode(record.args);
  try {
    const r = querystring[name](...args);
    out.push(JSON.stringify({ result: encodeResult(r) }));
  } catch (e) {
    out.push(JSON.stringify({ throws: e.code || e.constructor.name }));
  }
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
