// Records crypto call records from node: reads records without an answer on stdin (one JSON
// line each, {"fn", "args"}, in the format of fixtures/README.md) and writes each with Node's
// `result` or `throws` added. Covers `crypto.cipher`, `crypto.decipher` and
// `crypto.getCipherInfo`, the families added after the first recording, e.g.
//   node crates/conformance/node/crypto_record.js < requests.jsonl >> fixtures/crypto.jsonl
'use strict';
const crypto = require('crypto');
const fs = require('fs');

const isBytes = (v) => v !== null && typeof v === 'object' && typeof v.$bytes === 'string';
const arg = (v) => (isBytes(v) ? Buffer.from(v.$bytes, 'base64') : v);
const bytes = (b) => ({ $bytes: Buffer.from(b).toString('base64') });

function cipher(encrypt, [alg, key, iv, input, options]) {
  const o = options || {};
  const make = encrypt ? crypto.createCipheriv : crypto.createDecipheriv;
  const c = o.authTagLength === undefined
    ? make(alg, arg(key), arg(iv))
    : make(alg, arg(key), arg(iv), { authTagLength: o.authTagLength });
  if (o.plaintextLength !== undefined) {
    c.setAAD(o.aad === undefined ? Buffer.alloc(0) : arg(o.aad), { plaintextLength: o.plaintextLength });
  } else if (o.aad !== undefined) {
    c.setAAD(arg(o.aad));
  }
  if (!encrypt && o.authTag !== undefined) c.setAuthTag(arg(o.authTag));
  if (o.autoPadding === false) c.setAutoPadding(false);
  if (!encrypt) return bytes(Buffer.concat([c.update(arg(input)), c.final()]));
  const parts = input.map((chunk) => c.update(arg(chunk)));
  parts.push(c.final());
  let tag = null;
  try {
    tag = bytes(c.getAuthTag());
  } catch (e) {
    if (e.code !== 'ERR_CRYPTO_INVALID_STATE') throw e;
  }
  return { data: bytes(Buffer.concat(parts)), tag };
}

function call(r) {
  switch (r.fn) {
    case 'crypto.cipher':
      return cipher(true, r.args);
    case 'crypto.decipher':
      return cipher(false, r.args);
    case 'crypto.getCipherInfo': {
      const [name, options] = r.args;
      const info = options === null ? crypto.getCipherInfo(name) : crypto.getCipherInfo(name, options);
      return info === undefined ? null : { ...info };
    }
    default:
      throw new Error(`unknown fn ${r.fn}`);
  }
}

const out = [];
for (const line of fs.readFileSync(0, 'utf8').split('\n')) {
  if (line.length === 0) continue;
  const r = JSON.parse(line);
  const rec = { fn: r.fn, args: r.args };
  try {
    rec.result = call(r);
  } catch (e) {
    rec.throws = e.code || e.constructor.name;
  }
  out.push(JSON.stringify(rec));
}
process.stdout.write(out.length ? out.join('\n') + '\n' : '');
