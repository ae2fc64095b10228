// loop-immediate: 2M chained setImmediate, then 1M queued at once.
'use strict';
const { size, measuredAsync } = require('./common.js');
const { chained, batch } = require('./loop-common.js');

const imm = (f) => setImmediate(f);
measuredAsync([
  ['loop-immediate/chained', size(2_000_000), (n, done) => chained(imm, n, done)],
  ['loop-immediate/batch', size(1_000_000), (n, done) => batch(imm, n, done)],
]);
