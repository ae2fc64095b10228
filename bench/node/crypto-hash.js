// crypto-hash: 256 MiB (25 with --quick) hashed in 64 KiB updates, per digest; MiB/s.
'use strict';
const crypto = require('crypto');
const { size, now, emitUnit, sink } = require('./common.js');

const total = size(256);
const chunk = Buffer.alloc(64 * 1024, 0x61);
for (const name of ['sha256', 'sha1', 'md5', 'sha512']) {
  const run = (mib) => {
    const start = now();
    const h = crypto.createHash(name);
    for (let i = 0; i < mib * 16; i++) h.update(chunk);
    sink[0] = h.digest();
    return now() - start;
  };
  run(Math.max(1, Math.floor(total / 10)));
  emitUnit(`crypto-hash/${name}`, 'MiB/s', total, run(total));
}
