// Driver for the buffer record family: reads records without an answer (one JSON object per
// line, `{"fn": "buffer.<method>", "args": [...]}`) on stdin and writes Node's answer for each,
// one JSON line: `{"result": …}` or `{"throws": code-or-constructor-name, "message": …}`.
// With `--record` it writes each whole record (the request plus `result` or `throws`) instead,
// which is how fixtures/buffer.jsonl is made (see buffer_record.js).
//
// Values: `{"$bytes": base64}` is a Buffer, `{"$bigint": "123"}` a BigInt, `{"$num": "NaN"}`
// (also "Infinity", "-Infinity", "-0") a Number JSON cannot write, `null` is `undefined`;
// results use the same forms. See fixtures/README.md, "Buffer".
'use strict';

const fs = require('fs');

function decode(v) {
  if (v === null) return undefined;
  if (Array.isArray(v)) return v.map(decode);
  if (typeof v === 'object') {
    if ('$bytes' in v) return Buffer.from(v.$bytes, 'base64');
    if ('$bigint' in v) return BigInt(v.$bigint);
    if ('$num' in v) return Number(v.$num);
  }
  return v;
}

function encode(v) {
  if (Buffer.isBuffer(v)) return { $bytes: v.toString('base64') };
  if (typeof v === 'bigint') return { $bigint: v.toString() };
  if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) {
    return { $num: Object.is(v, -0) ? '-0' : String(v) };
  }
  return v;
}

// Calls one record; the receiver of a method is args[0] (copied, so writes are seen).
function call(name, args) {
  const m = name.replace(/^buffer\./, '');
  switch (m) {
    case 'from': return Buffer.from(...args);
    case 'alloc': return Buffer.alloc(...args);
    case 'byteLength': return Buffer.byteLength(...args);
    case 'isEncoding': return Buffer.isEncoding(...args);
    case 'compare': return Buffer.compare(...args);
    case 'concat': return Buffer.concat(...args);
    default: break;
  }
  const buf = Buffer.from(args[0]);
  const rest = args.slice(1);
  if (/^write/.test(m) || m === 'fill' || /^swap/.test(m)) {
    const returned = buf[m](...rest);
    return { bytes: buf, returned: Buffer.isBuffer(returned) ? null : returned };
  }
  if (m === 'toString' || m === 'toJSON' || m === 'equals' || m === 'subarray' ||
      m === 'indexOf' || m === 'lastIndexOf' || m === 'includes' || /^read/.test(m) ||
      m === 'compareTo') {
    if (m === 'compareTo') return buf.compare(...rest);
    // toString's arguments are passed as given (arguments.length matters to Node).
    return buf[m](...rest);
  }
  throw Object.assign(new Error(`no such record fn ${name}`), { code: 'ERR_NOT_IMPLEMENTED' });
}

const record = process.argv.includes('--record');
const out = [];
for (const line of fs.readFileSync(0, 'utf8').split('\n')) {
  if (line === '') continue;
  const req = JSON.parse(line);
  // Trailing nulls are dropped: `undefined` arguments at the end are absent ones.
  const args = req.args.map(decode);
  while (args.length && args[args.length - 1] === undefined) args.pop();
  let answer;
  try {
    let r = call(req.fn, args);
    if (r && typeof r === 'object' && 'bytes' in r && 'returned' in r) {
      r = { bytes: encode(r.bytes), returned: encode(r.returned) };
    } else {
      r = encode(r);
    }
    answer = { result: r };
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
