// loop-microtask: 5M chained queueMicrotask, then 5M queued at once.
'use strict';
const { size, measuredAsync } = require('./common.js');
const { chained, batch } = require('./loop-common.js');

const micro = (f) => queueMicrotask(f);
const n = size(5_000_000);
measuredAsync([
  ['loop-microtask/chained', n, (n, done) => chained(micro, n, done)],
  ['loop-microtask/batch', n, (n, done) => batch(micro, n, done)],
]);
