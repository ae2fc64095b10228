// crypto-cipher: 64 MiB (6.4 with --quick) sealed as 64 KiB messages, each with a fresh
// createCipheriv (32-byte key, 12-byte IV), update, final and getAuthTag, per AEAD; MiB/s.
// The figure is also printed under the names of the Rust candidates (backends.rs's AEADS).
'use strict';
const crypto = require('crypto');
const { size, now, emitUnit, sink } = require('./common.js');

const total = size(64);
const msg = Buffer.alloc(64 * 1024, 0x61);
const key = Buffer.alloc(32, 7);
const iv = Buffer.alloc(12, 9);
for (const name of ['aes-256-gcm', 'chacha20-poly1305']) {
  const run = (mib) => {
    const start = now();
    for (let i = 0; i < mib * 16; i++) {
      const c = crypto.createCipheriv(name, key, iv);
      sink[0] = c.update(msg);
      sink[1] = c.final();
      sink[2] = c.getAuthTag();
    }
    return now() - start;
  };
  run(Math.max(1, Math.floor(total / 10)));
  const secs = run(total);
  for (const b of ['', '@rustcrypto', '@aws-lc-rs', '@ring', '@openssl']) {
    emitUnit(`crypto-cipher/${name}${b}`, 'MiB/s', total, secs);
  }
}
