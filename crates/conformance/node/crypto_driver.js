// Driver for crates/conformance/tests/crypto_differential.rs: reads one request per line on
// stdin and writes one answer per line: {"ok": value} or {"err": "CODE or constructor name"}.
// Bytes travel as hex strings. Requests:
//   {"op":"hash", "alg", "outputLength"?, "chunks":[[data, encoding|null]...], "out": enc|null}
//   {"op":"hmac", "alg", "key", "chunks", "out"}
//   {"op":"cipher"|"decipher", "alg", "key", "iv", "tagLength"?, "aad"?, "plaintextLength"?, "aadAfter"?,
//    "noPad"?, "tag"?, "chunks":[hex...]}  -> {"parts":[hex per update..., final], "tag"}
//   {"op":"pbkdf2", "password", "salt", "iterations", "keylen", "digest"}
//   {"op":"hkdf", "digest", "ikm", "salt", "info", "keylen"}
//   {"op":"scrypt", "password", "salt", "keylen", "options"}
//   {"op":"names", "name"} -> [createHash result, createHmac result, createCipheriv result]
//   {"op":"ciphers"} -> [[name, getCipherInfo(name)] for each name of getCiphers()]
// A string chunk with encoding null is passed as a JavaScript string (UTF-8); a chunk whose
// encoding is "bytes" is hex for a Buffer.
'use strict';
const crypto = require('crypto');
const fs = require('fs');

const hex = (s) => Buffer.from(s, 'hex');
const code = (e) => e.code || e.constructor.name;

function feed(h, chunks) {
  for (const [data, enc] of chunks) {
    if (enc === 'bytes') h.update(hex(data));
    else if (enc === null) h.update(data);
    else h.update(data, enc);
  }
}

function runCipher(r) {
  const opts = r.tagLength === undefined ? undefined : { authTagLength: r.tagLength };
  const make = r.op === 'cipher' ? crypto.createCipheriv : crypto.createDecipheriv;
  const c = make(r.alg, hex(r.key), hex(r.iv), opts);
  if (r.plaintextLength !== undefined) {
    c.setAAD(hex(r.aad === undefined ? '' : r.aad), { plaintextLength: r.plaintextLength });
  } else if (r.aad !== undefined) {
    c.setAAD(hex(r.aad));
  }
  if (r.tag !== undefined) c.setAuthTag(hex(r.tag));
  if (r.noPad) c.setAutoPadding(false);
  const parts = [];
  r.chunks.forEach((ch, i) => {
    parts.push(c.update(hex(ch)).toString('hex'));
    if (r.aadAfter !== undefined && i === 0) c.setAAD(hex(r.aadAfter));
  });
  parts.push(c.final().toString('hex'));
  const tag = r.op === 'cipher' && /gcm|poly|ocb|ccm/i.test(r.alg) ? c.getAuthTag().toString('hex') : null;
  return { parts, tag };
}

function attempt(f) {
  try {
    return { ok: f() };
  } catch (e) {
    return { err: code(e) };
  }
}

function run(r) {
  switch (r.op) {
    case 'hash': {
      const opts = r.outputLength === undefined ? undefined : { outputLength: r.outputLength };
      const h = crypto.createHash(r.alg, opts);
      feed(h, r.chunks);
      const d = h.digest(r.out === null ? undefined : r.out);
      return Buffer.isBuffer(d) ? { bytes: d.toString('hex') } : d;
    }
    case 'hmac': {
      const h = crypto.createHmac(r.alg, hex(r.key));
      feed(h, r.chunks);
      const d = h.digest(r.out === null ? undefined : r.out);
      return Buffer.isBuffer(d) ? { bytes: d.toString('hex') } : d;
    }
    case 'cipher':
    case 'decipher':
      return runCipher(r);
    case 'pbkdf2':
      return crypto.pbkdf2Sync(hex(r.password), hex(r.salt), r.iterations, r.keylen, r.digest).toString('hex');
    case 'hkdf':
      return Buffer.from(crypto.hkdfSync(r.digest, hex(r.ikm), hex(r.salt), hex(r.info), r.keylen)).toString('hex');
    case 'scrypt':
      return crypto.scryptSync(hex(r.password), hex(r.salt), r.keylen, r.options).toString('hex');
    case 'names':
      return [
        attempt(() => crypto.createHash(r.name).update('abc').digest('hex')),
        attempt(() => crypto.createHmac(r.name, 'k').update('abc').digest('hex')),
        attempt(() => {
          crypto.createCipheriv(r.name, Buffer.alloc(r.keylen), Buffer.alloc(r.ivlen));
          return true;
        }),
      ];
    case 'ciphers':
      return crypto.getCiphers().map((n) => [n, { ...crypto.getCipherInfo(n) }]);
    default:
      throw new Error(`unknown op ${r.op}`);
  }
}

const out = [];
for (const line of fs.readFileSync(0, 'utf8').split('\n')) {
  if (line.length === 0) continue;
  out.push(JSON.stringify(attempt(() => run(JSON.parse(line)))));
}
process.stdout.write(out.length ? out.join('\n') + '\n' : '');
