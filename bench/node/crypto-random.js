// crypto-random: randomBytes(32), 1M calls.
'use strict';
const crypto = require('crypto');
const { size, now, emit, sink } = require('./common.js');

const n = size(1_000_000);
const run = (n) => {
  const start = now();
  for (let i = 0; i < n; i++) sink[i & 15] = crypto.randomBytes(32);
  return now() - start;
};
run(Math.floor(n / 10));
emit('crypto-random/randomBytes-32', n, run(n));
