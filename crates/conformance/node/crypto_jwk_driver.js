// Driver for crates/conformance/tests/crypto_jwk_differential.rs (and the module behind
// crypto_jwk_record.js): one request per line on stdin, one answer per line.
//   {"op":"gen", "type", "curve"?, "bits"?}   -> {"ok": {"priv": jwk, "pub": jwk}}
//   {"fn":"createPrivateKey"|"createPublicKey"|"createSecretKey", "jwk": any JSON}
//       -> the request with "result" (see `describe`) or "throws": {code, name, message}
// createPrivateKey/createPublicKey are called as ({ key: jwk, format: 'jwk' }),
// createSecretKey as (jwk).
'use strict';
const crypto = require('crypto');
const fs = require('fs');

// node v20 can deadlock when a garbage collection frees a finished key-generation job while
// one of its keys is being exported (see crypto_keys_driver.js): collect right after each
// generateKeyPairSync, before the keys are touched.
require('v8').setFlagsFromString('--expose-gc');
const gcNow = require('vm').runInNewContext('gc');

// What a created key looks like from outside: its type, asymmetricKeyType, JWK and PEM
// (PKCS#8 for a private key, SPKI for a public key; a private key's public half's SPKI too).
function describe(k) {
  const out = { type: k.type };
  if (k.type === 'secret') {
    out.jwk = k.export({ format: 'jwk' });
    return out;
  }
  out.akt = k.asymmetricKeyType;
  out.jwk = k.export({ format: 'jwk' });
  if (k.type === 'private') {
    out.pem = k.export({ format: 'pem', type: 'pkcs8' });
    out.spki = crypto.createPublicKey(k).export({ format: 'pem', type: 'spki' });
  } else {
    out.pem = k.export({ format: 'pem', type: 'spki' });
  }
  return out;
}

// An EC private key whose `d` is longer than the curve's field (OpenSSL takes any number
// there) makes node abort when it is exported as JWK (EncodeBignum's BN_bn2binpad
// assertion): such a key is reported, not exported.
const FIELD = { 'P-256': 32, secp256k1: 32, 'P-384': 48, 'P-521': 66 };
function overlongScalar(jwk, k) {
  if (k.type !== 'private' || k.asymmetricKeyType !== 'ec') return false;
  const d = Buffer.from(jwk.d, 'base64');
  const first = d.findIndex((b) => b !== 0);
  return first >= 0 && d.length - first > FIELD[jwk.crv];
}

function gen(r) {
  const opts = {};
  if (r.curve) opts.namedCurve = r.curve;
  if (r.bits) opts.modulusLength = r.bits;
  const pair = crypto.generateKeyPairSync(r.type, opts);
  gcNow();
  return { priv: pair.privateKey.export({ format: 'jwk' }), pub: pair.publicKey.export({ format: 'jwk' }) };
}

function handle(r) {
  if (r.op === 'gen') {
    try {
      return { ok: gen(r) };
    } catch (e) {
      return { err: e.code || e.constructor.name, msg: e.message };
    }
  }
  const rec = { fn: r.fn, jwk: r.jwk };
  try {
    let k;
    switch (r.fn) {
      case 'createPrivateKey':
        k = crypto.createPrivateKey({ key: r.jwk, format: 'jwk' });
        break;
      case 'createPublicKey':
        k = crypto.createPublicKey({ key: r.jwk, format: 'jwk' });
        break;
      case 'createSecretKey':
        k = crypto.createSecretKey(r.jwk);
        break;
      default:
        throw new Error('unknown fn ' + r.fn);
    }
    rec.result = overlongScalar(r.jwk, k) ? { type: k.type, exportAborts: true } : describe(k);
  } catch (e) {
    rec.throws = { code: e.code || null, name: e.name, message: e.message };
  }
  return rec;
}

module.exports = { handle };

if (require.main === module) {
  const out = [];
  for (const line of fs.readFileSync(0, 'utf8').split('\n')) {
    if (line) out.push(JSON.stringify(handle(JSON.parse(line))));
  }
  process.stdout.write(out.length ? out.join('\n') + '\n' : '');
}
