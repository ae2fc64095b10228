// Driver for crates/conformance/tests/zlib_differential.rs and zlib_records.rs: reads zlib
// call records (the fixture format: {"fn": "zlib.gunzipSync", "args": [data, options]}, bytes
// as {"$bytes": base64}) one per line on stdin and writes one answer per line:
// {"result": ...} or {"throws": "CODE", "message": "..."}.
//
// `options` is passed as written, with {"$bytes": ...} values (the dictionary) turned into
// Buffers; `null` means the call is made without options.
'use strict';
const zlib = require('zlib');
const fs = require('fs');

function decode(v) {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    if (typeof v.$bytes === 'string' && Object.keys(v).length === 1) {
      return Buffer.from(v.$bytes, 'base64');
    }
    const o = {};
    for (const k of Object.keys(v)) o[k] = decode(v[k]);
    return o;
  }
  return v;
}

function encode(r) {
  if (Buffer.isBuffer(r)) return { $bytes: r.toString('base64') };
  return r;
}

const lines = fs.readFileSync(0, 'utf8').split('\n');
const out = [];
for (const line of lines) {
  if (line.length === 0) continue;
  const rec = JSON.parse(line);
  const name = rec.fn.slice('zlib.'.length);
  const args = rec.args.map(decode);
  if (args.length > 1 && args[1] === null) args.pop();
  let answer;
  try {
    answer = { result: encode(zlib[name](...args)) };
  } catch (e) {
    answer = { throws: e.code || e.constructor.name, message: e.message };
  }
  out.push(JSON.stringify(answer));
}
process.stdout.write(out.length ? out.join('\n') + '\n' : '');
