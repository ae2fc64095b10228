// Seeds crates/fuzz/corpus/<target>/ from the conformance fixtures (the inputs of Node's
// recorded calls; for fs_script, the fs-script fixtures) and, for key_import, from keys node
// generates and the JWKs of fixtures/crypto-jwk/. Run from the workspace root (naming targets seeds only those):
//   node crates/fuzz/node/seed-corpus.js [TARGET ...]
// Files are named by a hash of their bytes, so a rerun adds nothing twice.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const root = path.join(__dirname, '..', '..', '..');
const fixtures = path.join(root, 'crates', 'conformance', 'fixtures');
const corpus = path.join(__dirname, '..', 'corpus');
const MAX_PER_TARGET = 150;

function records(file) {
  return fs.readFileSync(path.join(fixtures, file), 'utf8').split('\n').filter(Boolean)
    .map((l) => JSON.parse(l));
}
const bytes = (v) => (v && typeof v === 'object' && '$bytes' in v) ? Buffer.from(v.$bytes, 'base64') : null;
const strings = (args) => args.filter((a) => typeof a === 'string');
const fields = (list) => Buffer.from(list.join('\0'));

const out = {};
function add(target, buf) {
  (out[target] ??= new Map()).set(crypto.createHash('sha1').update(buf).digest('hex').slice(0, 16), buf);
}

for (const r of records('path.jsonl')) add('path', fields(strings(r.args)));
for (const r of records('url.jsonl')) {
  const s = strings(r.args);
  if (s.length) add('url_legacy', fields(s));
}
for (const r of records('whatwg-url.jsonl')) {
  const s = strings(r.args);
  if (s.length) add('url_whatwg', fields(s));
}
for (const r of records('querystring.jsonl')) {
  if (typeof r.args[0] === 'string') add('querystring', Buffer.from(r.args[0]));
}
for (const r of records('parseargs.jsonl')) {
  const a = r.args[0] && r.args[0].args;
  if (Array.isArray(a)) add('parse_args', fields(a.filter((x) => typeof x === 'string')));
}
for (const r of records('zlib.jsonl')) {
  for (const v of [...r.args, r.result]) {
    const b = bytes(v);
    if (b && b.length) add('zlib_inflate', b);
  }
}
// The decipher target's layout: [cipher index, flags, key, iv, tag, data] (see targets.rs).
const CIPHERS = ['aes-128-cbc', 'aes-256-cbc', 'aes-128-ctr', 'aes-192-ecb', 'aes-256-gcm',
  'aes-128-ccm', 'aes-128-ocb', 'chacha20-poly1305', 'des-ede3-cbc', 'aes-256-cfb8'];
for (const r of records('crypto.jsonl')) {
  if (r.fn !== 'crypto.decipher') continue;
  const i = CIPHERS.indexOf(r.args[0]);
  const [key, iv, data] = [bytes(r.args[1]), bytes(r.args[2]), bytes(r.args[3])];
  if (i < 0 || !key || !data) continue;
  const tag = (r.args[4] && bytes(r.args[4].authTag)) || Buffer.alloc(0);
  add('decipher', Buffer.concat([Buffer.from([i, 0]), key, iv || Buffer.alloc(0), tag, data]));
}
for (const [type, opts] of [['rsa', { modulusLength: 1024 }], ['ec', { namedCurve: 'P-256' }],
  ['ec', { namedCurve: 'secp256k1' }], ['ed25519', {}], ['x25519', {}], ['dsa', { modulusLength: 1024 }]]) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync(type, opts);
  for (const [key, encs] of [[publicKey, ['spki', 'pkcs1']], [privateKey, ['pkcs8', 'pkcs1', 'sec1']]]) {
    for (const t of encs) {
      try {
        add('key_import', Buffer.from(key.export({ format: 'pem', type: t })));
        add('key_import', key.export({ format: 'der', type: t }));
      } catch { /* that type does not apply to this key */ }
    }
  }
}

// JWKs: the fixture's, as JSON text (evenly spaced over its kinds of damage), and the whole
// keys also as the target's NUL-separated fields (kty, then name/value pairs).
const jwks = new Map();
for (const line of fs.readFileSync(path.join(fixtures, 'crypto-jwk', 'jwk_import.jsonl'), 'utf8').split('\n')) {
  if (!line) continue;
  const r = JSON.parse(line);
  if (r.fn !== 'createPrivateKey') continue;
  jwks.set(JSON.stringify(r.jwk), r);
}
const jwkList = [...jwks.entries()];
const JWK_SEEDS = 120;
for (let k = 0; k < JWK_SEEDS; k++) {
  const [text, r] = jwkList[Math.floor((k * jwkList.length) / JWK_SEEDS)];
  add('key_import', Buffer.from(text));
  if (r.result && r.jwk && typeof r.jwk === 'object') {
    const { kty, ...rest } = r.jwk;
    add('key_import', fields([kty, ...Object.entries(rest).flat()]));
  }
}

// fs_script: every fs-script fixture whole (when within the driver's 4 KiB) and each of its
// steps as a one-step script and as fields (the op, then each argument's JSON).
const scripts = path.join(fixtures, 'fs-scripts');
for (const f of fs.readdirSync(scripts).filter((n) => n.endsWith('.json')).sort()) {
  const text = fs.readFileSync(path.join(scripts, f), 'utf8');
  if (Buffer.byteLength(text) <= 4096) add('fs_script', Buffer.from(text));
  for (const step of JSON.parse(text)) {
    add('fs_script', Buffer.from(JSON.stringify([step])));
    add('fs_script', fields([step.op, ...(step.args || []).map((a) => JSON.stringify(a))]));
  }
}

const only = process.argv.slice(2);
for (const [target, files] of Object.entries(out)) {
  if (only.length && !only.includes(target)) continue;
  const dir = path.join(corpus, target);
  fs.mkdirSync(dir, { recursive: true });
  // Evenly spaced over the records, so every function keeps some seeds.
  const all = [...files.entries()];
  const max = target === 'key_import' ? MAX_PER_TARGET + JWK_SEEDS * 2 : MAX_PER_TARGET;
  const step = Math.max(1, all.length / max);
  for (let k = 0; k < all.length && k / step < max; k += step) {
    const [name, buf] = all[Math.floor(k)];
    fs.writeFileSync(path.join(dir, name), buf);
  }
  console.log(target, Math.min(all.length, max));
}
