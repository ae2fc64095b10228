// The Node side of the cp-spawn workload (crates/bench/src/cp.rs): `spawn('/bin/true')` with
// the default stdio (three pipes) until 'close', one at a time and 16 at once; spawns/s.
'use strict';
const cp = require('child_process');
const { size, now, measuredAsync } = require('./common');

/** `n` spawns of /bin/true, `atOnce` in flight; `done(seconds)` after the last 'close'. */
function spawns(atOnce) {
  return (n, done) => {
    const start = now();
    let started = 0;
    let closed = 0;
    const one = () => {
      started++;
      cp.spawn('/bin/true').on('close', (code) => {
        if (code !== 0) throw new Error(`/bin/true ended with ${code}`);
        closed++;
        if (closed === n) done(now() - start);
        else if (started < n) one();
      });
    };
    for (let i = 0; i < Math.min(atOnce, n); i++) one();
  };
}

measuredAsync([
  ['cp-spawn/sequential', size(2000), spawns(1)],
  ['cp-spawn/16-at-once', size(4000), spawns(16)],
]);
