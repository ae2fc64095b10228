// Driver for the util record family: reads records without an answer (`{"fn": "util.inspect" |
// "util.format", "args": [...]}`, one per line) on stdin and writes Node's answer for each:
// `{"result": string}` or `{"throws": code-or-name, "message": …}`; with `--record`, the whole
// record with its answer (how fixtures/util.jsonl is made, see util_record.js).
//
// Values: JSON null, booleans, numbers, strings, arrays and objects are themselves;
// `{"$undefined": 1}` is undefined, `{"$num": "NaN"}` (also "Infinity", "-Infinity", "-0") a
// Number, `{"$bigint": "12"}` a BigInt, `{"$bytes": base64}` a Buffer, `{"$map": [[k, v], …]}`
// a Map, `{"$set": […]}` a Set, `{"$error": {"name", "message", "props": {…}}}` an Error whose
// stack is "name: message" (no frames) with the props as own enumerable properties.
'use strict';

const fs = require('fs');
const util = require('util');

function decode(v) {
  if (Array.isArray(v)) return v.map(decode);
  if (v === null || typeof v !== 'object') return v;
  if ('$undefined' in v) return undefined;
  if ('$num' in v) return Number(v.$num);
  if ('$bigint' in v) return BigInt(v.$bigint);
  if ('$bytes' in v) return Buffer.from(v.$bytes, 'base64');
  if ('$map' in v) return new Map(v.$map.map(([k, x]) => [decode(k), decode(x)]));
  if ('$set' in v) return new Set(v.$set.map(decode));
  if ('$error' in v) {
    const { name, message, props } = v.$error;
    const Ctor = { Error, TypeError, RangeError, SyntaxError }[name] || Error;
    const e = new Ctor(message);
    e.stack = message === '' ? name : `${name}: ${message}`;
    for (const [k, x] of Object.entries(props || {})) e[k] = decode(x);
    return e;
  }
  const o = {};
  for (const [k, x] of Object.entries(v)) o[k] = decode(x);
  return o;
}

const record = process.argv.includes('--record');
const out = [];
for (const line of fs.readFileSync(0, 'utf8').split('\n')) {
  if (line === '') continue;
  const req = JSON.parse(line);
  const args = req.args.map(decode);
  let answer;
  try {
    if (req.fn === 'util.inspect') answer = { result: util.inspect(args[0]) };
    else if (req.fn === 'util.format') answer = { result: util.format(...args) };
    else throw Object.assign(new Error(`no such fn ${req.fn}`), { code: 'ERR_NOT_IMPLEMENTED' });
  } catch (e) {
    answer = { throws: e.code ?? e.name, message: e.message };
  }
  if (record) {
    const rec = { fn: req.fn, args: req.args };
    if ('result' in answer) rec.result = answer.result; else rec.throws = answer.throws;
    out.push(JSON.stringify(rec));
  } else {
    out.push(JSON.stringify(answer));
  }
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
