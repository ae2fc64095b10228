// crypto-hmac: HMAC-SHA256 of 1M messages of 64 bytes, a fresh Hmac each. The figure is also
// printed under the names of the Rust candidates (crates/bench/src/backends.rs's HMACS).
'use strict';
const crypto = require('crypto');
const { size, now, emit, sink } = require('./common.js');

const n = size(1_000_000);
const msg = Buffer.alloc(64, 0x5a);
const run = (n) => {
  const start = now();
  for (let i = 0; i < n; i++) {
    sink[i & 15] = crypto.createHmac('sha256', 'a secret key').update(msg).digest();
  }
  return now() - start;
};
run(Math.floor(n / 10));
const secs = run(n);
for (const b of ['', '@rustcrypto', '@aws-lc-rs', '@ring']) {
  emit(`crypto-hmac/sha256-64B${b}`, n, secs);
}
