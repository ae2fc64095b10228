// The Node side of the cp-exec workload (crates/bench/src/cp.rs): `exec('echo hi')` (through
// /bin/sh, output buffered) one after the other; commands/s.
'use strict';
const cp = require('child_process');
const { size, now, measuredAsync } = require('./common');

function execs(n, done) {
  const start = now();
  let left = n;
  const one = () =>
    cp.exec('echo hi', (err, stdout) => {
      if (err || stdout !== 'hi\n') throw err || new Error(`stdout ${JSON.stringify(stdout)}`);
      if (--left === 0) done(now() - start);
      else one();
    });
  one();
}

measuredAsync([['cp-exec', size(1000), execs]]);
