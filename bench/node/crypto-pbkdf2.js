// crypto-pbkdf2: pbkdf2Sync('password', 'salt', 100000, 32, 'sha256'), 20 calls (2 --quick).
'use strict';
const crypto = require('crypto');
const { size, now, emit, sink } = require('./common.js');

const n = Math.max(2, size(20));
const run = (n) => {
  const start = now();
  for (let i = 0; i < n; i++) {
    sink[i & 15] = crypto.pbkdf2Sync('password', 'salt', 100000, 32, 'sha256');
  }
  return now() - start;
};
run(1);
emit('crypto-pbkdf2/sha256-100k', n, run(n));
