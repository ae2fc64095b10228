// Records the JWK import fixture (fixtures/crypto-jwk/jwk_import.jsonl) from node:
//   node crates/conformance/node/crypto_jwk_record.js > crates/conformance/fixtures/crypto-jwk/jwk_import.jsonl
// One key pair per type node exports as JWK, then each key imported whole and with every
// kind of damage: members missing, of the wrong type, not base64url, with padding, the
// standard alphabet, leading zero bytes, cut short, from another curve, kty/crv wrong, a
// point off its curve, inconsistent RSA parameters; and a JWK that is not an object. Each
// line is {fn, jwk, result | throws} as node answers it (crypto_jwk_driver.js).
'use strict';
const { handle } = require('./crypto_jwk_driver.js');

const TYPES = [
  { type: 'ed25519' }, { type: 'x25519' }, { type: 'ed448' }, { type: 'x448' },
  { type: 'ec', curve: 'P-256' }, { type: 'ec', curve: 'P-384' },
  { type: 'ec', curve: 'P-521' }, { type: 'ec', curve: 'secp256k1' },
  { type: 'rsa', bits: 512 },
];
// Imported whole only (their damaged forms would add nothing to the 512-bit key's).
const WHOLE = [{ type: 'rsa', bits: 1024 }, { type: 'rsa', bits: 2048 }, { type: 'rsa', bits: 3072 }];

const out = [];
const seen = new Set();
function rec(fn, jwk) {
  const line = JSON.stringify(handle({ fn, jwk }));
  if (!seen.has(line)) {
    seen.add(line);
    out.push(line);
  }
}
const both = (jwk) => {
  rec('createPrivateKey', jwk);
  rec('createPublicKey', jwk);
};
const without = (jwk, m) => {
  const c = { ...jwk };
  delete c[m];
  return c;
};
const B64U = /[-_]/g;
const std = (s) => s.replace(B64U, (c) => (c === '-' ? '+' : '/'));

const keys = TYPES.map((t) => handle({ op: 'gen', ...t }).ok);
for (const t of WHOLE) {
  const { priv, pub } = handle({ op: 'gen', ...t }).ok;
  both(priv);
  both(pub);
}
for (const { priv, pub } of keys) {
  both(priv);
  both(pub);
  for (const m of Object.keys(priv)) {
    both(without(priv, m));
    for (const v of [5, null, true, [], {}, '', '!!!', 'AA', [priv[m]]]) both({ ...priv, [m]: v });
    if (m === 'kty' || m === 'crv') continue;
    const s = priv[m];
    both({ ...priv, [m]: std(s) + '='.repeat((4 - (s.length % 4)) % 4) });
    both({ ...priv, [m]: 'AA' + s });
    both({ ...priv, [m]: 'AAAA' + s });
    both({ ...priv, [m]: s.slice(0, -2) });
    both({ ...priv, [m]: s + 'A' });
    both({ ...priv, [m]: s + 'AAAA' });
    both({ ...priv, [m]: s.slice(0, 4) + ' \n*' + s.slice(4) });
    both({ ...priv, [m]: s.slice(0, 8) + '=' + s.slice(8) });
    const flip = s[5] === 'A' ? 'B' : 'A';
    both({ ...priv, [m]: s.slice(0, 5) + flip + s.slice(6) });
    both({ ...priv, [m]: '_'.repeat(s.length) });
  }
  for (const kty of ['oct', 'ec', 'rsa', 'okp', 'EC', 'RSA', 'OKP', 'OCT', 42, ['EC'], { a: 1 }]) {
    both({ ...priv, kty });
  }
  for (const crv of ['P-256', 'P-384', 'P-521', 'secp256k1', 'Ed25519', 'X25519', 'Ed448', 'X448',
    'prime256v1', 'p-256', 'ed25519', 'Curve25519']) {
    both({ ...priv, crv });
  }
}
// Members taken from a key of another type (d of a P-384 key on P-256 …).
for (const a of keys) {
  for (const b of keys) {
    if (a === b || a.priv.kty !== b.priv.kty) continue;
    for (const m of ['x', 'y', 'd', 'n', 'e']) {
      if (a.priv[m] !== undefined && b.priv[m] !== undefined) both({ ...a.priv, [m]: b.priv[m] });
    }
  }
}
// Not an object; an oct key; oddities of the object itself.
for (const v of [null, 5, 'a string', true, [], [1, 2], { }, { kty: 'oct', k: 'YWJj' },
  { kty: 'oct', k: 'YWJj', alg: 'HS256' }, { kty: 'EC' }, { kty: 'OKP' }, { kty: 'RSA' },
  { kty: 'EC', crv: 'P-256' }, { kty: 'OKP', crv: 'Ed25519' }, { kty: 'OKP', crv: 'Ed25519', x: '' },
  { kty: 'OKP', crv: 'Ed25519', d: '' }, { kty: 'RSA', n: 'AQAB' }, { kty: 'RSA', n: 'AQAB', e: 'AQAB' },
  { kty: 'RSA', n: '', e: '' }, { kty: 'RSA', n: 'AQAB', e: 'AQAB', d: 'AQAB' },
  { kty: 'EC', crv: 'P-256', x: '', y: '' }, { kty: 'EC', crv: 'P-256', x: '', y: '', d: '' },
  { kty: 'x'.repeat(200) }, { kty: 'a\nb\'c"' }, { kty: 1e21 }, { kty: 0.1 },
  { kty: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }, { kty: { a: { b: { c: { d: 1 } } } } },
  { kty: 'OKP', crv: 5 }, { kty: 'OKP', crv: 'Ed25519', x: 'x'.repeat(40) },
  { kty: 'EC', crv: 'P-256', x: 12345678901234567890 }]) {
  both(v);
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) rec('createSecretKey', v);
}
process.stdout.write(out.join('\n') + '\n');
