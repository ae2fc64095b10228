// Driver for crates/conformance/tests/crypto_keys_differential.rs: one request per line on
// stdin, one answer per line: {"ok": value} or {"err": "CODE or constructor name"}.
// Bytes travel as hex. Keys made here are kept by "id" for later requests of the same run.
//   {"op":"gen", "id", "type", "curve"?, "bits"?}           -> exports (see `exports`)
//   {"op":"import", "priv"?: pem, "pub"?: pem}               -> exports of the imported key
//   {"op":"importDer", "kind":"priv"|"pub", "der", "type"}   -> exports
//   {"op":"sign", "id"|"pem", "alg", "data", "dsa"?, "padding"?, "salt"?} -> signature hex
//   {"op":"verify", "id"|"pem", "alg", "data", "sig", "dsa"?, "padding"?, "salt"?} -> bool
//   {"op":"streamSign", "id", "alg", "chunks"} / {"op":"streamVerify", "pem", "alg", "chunks", "sig"}
//   {"op":"dh", "priv": pem, "pub": pem}                     -> shared secret hex
//   {"op":"ecdhPub", "curve", "priv": hex, "fmt"}           -> public key hex
//   {"op":"ecdh", "curve", "priv": hex, "pub": hex}          -> shared secret hex
'use strict';
const crypto = require('crypto');
const fs = require('fs');

const hex = (s) => Buffer.from(s, 'hex');
const code = (e) => e.code || e.constructor.name;
const keys = new Map();
// Parsed keys and ECDH objects are cached: parsing dominates node's time otherwise.
const parsed = new Map();
function cached(kind, pem) {
  const k = kind + pem;
  let v = parsed.get(k);
  if (v === undefined) {
    v = kind === 'priv' ? crypto.createPrivateKey(pem) : crypto.createPublicKey(pem);
    parsed.set(k, v);
  }
  return v;
}
const ecdhs = new Map();
function ecdhFor(curve, priv) {
  let e = ecdhs.get(curve);
  if (e === undefined) {
    e = { ecdh: crypto.createECDH(curve), priv: null };
    ecdhs.set(curve, e);
  }
  if (e.priv !== priv) {
    e.ecdh.setPrivateKey(hex(priv));
    e.priv = priv;
  }
  return e.ecdh;
}

// OpenSSL's names of the curves a "gen" request may name.
const CURVE_NAMES = { 'P-256': 'prime256v1', prime256v1: 'prime256v1', 'P-384': 'secp384r1', secp384r1: 'secp384r1' };

// node v20 deadlocks when a garbage collection frees a finished key-generation job while
// the same key's mutex is held by an export or a details read (seen in gdb: ExportJWKEdKey ->
// GC -> ~KeyGenJob -> uv_mutex_lock on the mutex the export holds). So every generated pair's
// job is collected right after generateKeyPairSync, before its keys are touched.
require('v8').setFlagsFromString('--expose-gc');
const gcNow = require('vm').runInNewContext('gc');
function collectGarbage() {
  gcNow();
}

// `curve` is given for keys made by generateKeyPairSync: node v20 can deadlock reading
// `asymmetricKeyDetails` of such a key when a garbage collection inside the read frees the
// finished key-generation job, whose destructor takes the same key mutex
// (GetEcKeyDetail -> GC -> ~KeyGenJob<EcKeyGenTraits> -> uv_mutex_lock).
function exports(k, curve) {
  const out = { type: k.type, akt: k.asymmetricKeyType };
  const t = k.asymmetricKeyType;
  if (k.type === 'private') {
    out.pkcs8Pem = k.export({ format: 'pem', type: 'pkcs8' });
    out.pkcs8Der = k.export({ format: 'der', type: 'pkcs8' }).toString('hex');
    if (t === 'ec') out.sec1Der = k.export({ format: 'der', type: 'sec1' }).toString('hex');
    if (t === 'rsa') out.pkcs1Der = k.export({ format: 'der', type: 'pkcs1' }).toString('hex');
    k = crypto.createPublicKey(k);
    out.jwkPriv = JSON.stringify(crypto.createPrivateKey(out.pkcs8Pem).export({ format: 'jwk' }));
  }
  out.spkiPem = k.export({ format: 'pem', type: 'spki' });
  out.spkiDer = k.export({ format: 'der', type: 'spki' }).toString('hex');
  if (t === 'rsa') out.pkcs1PubDer = k.export({ format: 'der', type: 'pkcs1' }).toString('hex');
  out.jwkPub = JSON.stringify(k.export({ format: 'jwk' }));
  if (t === 'ec') out.curve = curve ? CURVE_NAMES[curve] : k.asymmetricKeyDetails.namedCurve;
  return out;
}

function keyOpts(r, key) {
  const o = { key };
  if (r.dsa) o.dsaEncoding = r.dsa;
  if (r.padding !== undefined) o.padding = r.padding;
  if (r.salt !== undefined) o.saltLength = r.salt;
  return o;
}

function handle(r) {
  switch (r.op) {
    case 'gen': {
      const opts = {};
      if (r.curve) opts.namedCurve = r.curve;
      if (r.bits) opts.modulusLength = r.bits;
      const pair = crypto.generateKeyPairSync(r.type, opts);
      // Collect the finished key-generation job now, while no key mutex is held (a full
      // collection, about 2 ms: 700 keys a run).
      collectGarbage();
      keys.set(r.id, pair.privateKey);
      return exports(pair.privateKey, r.curve);
    }
    case 'import':
      if (r.priv !== undefined) return exports(crypto.createPrivateKey(r.priv));
      return exports(crypto.createPublicKey(r.pub));
    case 'importDer': {
      const make = r.kind === 'priv' ? crypto.createPrivateKey : crypto.createPublicKey;
      return exports(make({ key: hex(r.der), format: 'der', type: r.type }));
    }
    case 'sign': {
      const k = r.id !== undefined ? keys.get(r.id) : cached('priv', r.pem);
      return crypto.sign(r.alg, hex(r.data), keyOpts(r, k)).toString('hex');
    }
    case 'verify': {
      const k = r.id !== undefined ? crypto.createPublicKey(keys.get(r.id)) : cached('pub', r.pem);
      return crypto.verify(r.alg, hex(r.data), keyOpts(r, k), hex(r.sig));
    }
    case 'streamSign': {
      const s = crypto.createSign(r.alg);
      for (const c of r.chunks) s.update(hex(c));
      return s.sign(keyOpts(r, keys.get(r.id))).toString('hex');
    }
    case 'streamVerify': {
      const v = crypto.createVerify(r.alg);
      for (const c of r.chunks) v.update(hex(c));
      return v.verify(keyOpts(r, cached('pub', r.pem)), hex(r.sig));
    }
    case 'dh':
      return crypto.diffieHellman({
        privateKey: cached('priv', r.priv),
        publicKey: cached('pub', r.pub),
      }).toString('hex');
    case 'ecdhPub': {
      return ecdhFor(r.curve, r.priv).getPublicKey('hex', r.fmt);
    }
    case 'ecdh': {
      return ecdhFor(r.curve, r.priv).computeSecret(hex(r.pub)).toString('hex');
    }
    default:
      throw new Error('unknown op ' + r.op);
  }
}

const out = [];
for (const line of fs.readFileSync(0, 'utf8').split('\n')) {
  if (!line) continue;
  let ans;
  try {
    ans = { ok: handle(JSON.parse(line)) };
  } catch (e) {
    ans = { err: code(e), msg: e.message };
  }
  out.push(JSON.stringify(ans));
}
process.stdout.write(out.join('\n') + '\n');
