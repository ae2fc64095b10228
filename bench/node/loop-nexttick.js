// loop-nexttick: 5M chained process.nextTick, then 5M queued at once.
'use strict';
const { size, measuredAsync } = require('./common.js');
const { chained, batch } = require('./loop-common.js');

const tick = (f) => process.nextTick(f);
const n = size(5_000_000);
measuredAsync([
  ['loop-nexttick/chained', n, (n, done) => chained(tick, n, done)],
  ['loop-nexttick/batch', n, (n, done) => batch(tick, n, done)],
]);
