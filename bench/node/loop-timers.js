// loop-timers: 1M timers with random delays of 0-100 ms until all have fired, then 1M
// created and cleared.
'use strict';
const { size, now, delays, sink, measuredAsync } = require('./common.js');

function fire(n, done) {
  const ds = delays(n);
  let count = 0;
  const start = now();
  const inc = () => {
    if (++count === n) done(now() - start);
  };
  for (let i = 0; i < n; i++) setTimeout(inc, ds[i]);
}

function createClear(n, done) {
  const ds = delays(n);
  const fail = () => {
    throw new Error('a cleared timer fired');
  };
  const start = now();
  const timers = new Array(n);
  for (let i = 0; i < n; i++) timers[i] = setTimeout(fail, ds[i]);
  for (let i = 0; i < n; i++) clearTimeout(timers[i]);
  const secs = now() - start;
  sink[0] = timers;
  done(secs);
}

const n = size(1_000_000);
measuredAsync([
  ['loop-timers/fire', n, fire],
  ['loop-timers/create-clear', n, createClear],
]);
