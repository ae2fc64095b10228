// crypto-hash: 256 MiB (25 with --quick) hashed in 64 KiB updates, per digest; MiB/s.
// The Rust side also measures each candidate crate (`NAME@CRATE`, crates/bench/src/backends.rs);
// Node has one implementation, so its figure is printed under those names too.
'use strict';
const crypto = require('crypto');
const { size, now, emitUnit, sink } = require('./common.js');

// backends.rs's DIGESTS: keep the two in step.
const DIGESTS = [
  ['md5', ['rustcrypto']],
  ['sha1', ['rustcrypto', 'aws-lc-rs', 'ring']],
  ['sha224', ['rustcrypto', 'aws-lc-rs']],
  ['sha256', ['rustcrypto', 'aws-lc-rs', 'ring']],
  ['sha384', ['rustcrypto', 'aws-lc-rs', 'ring']],
  ['sha512', ['rustcrypto', 'aws-lc-rs', 'ring']],
  ['sha512-256', ['rustcrypto', 'aws-lc-rs', 'ring']],
  ['sha3-256', ['rustcrypto', 'aws-lc-rs']],
];

const total = size(256);
const chunk = Buffer.alloc(64 * 1024, 0x61);
for (const [name, backends] of DIGESTS) {
  const run = (mib) => {
    const start = now();
    const h = crypto.createHash(name);
    for (let i = 0; i < mib * 16; i++) h.update(chunk);
    sink[0] = h.digest();
    return now() - start;
  };
  run(Math.max(1, Math.floor(total / 10)));
  const secs = run(total);
  for (const b of ['', ...backends.map((b) => `@${b}`)]) {
    emitUnit(`crypto-hash/${name}${b}`, 'MiB/s', total, secs);
  }
}
