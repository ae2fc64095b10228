// The Node side of the cp-fork-ipc workload (crates/bench/src/cp.rs): IPC round trips over
// fork's channel (json serialization) with an echoing child, one message in flight; round
// trips/s after 5,000 unmeasured ones, a fresh child per row. nodestd measures the row own-child
// with its fork-child example as the child and node-child with cp-fork-echo.js; node's
// reference for both is node with a node child.
'use strict';
const cp = require('child_process');
const path = require('path');
const { size, now, emit } = require('./common');

const n = size(20000);
// Node's JIT needs thousands of messages to warm up: both sides warm each child up this long.
const WARM = 5000;
const message = (i) => ({ i, text: 'round trip', list: [1, 2, 3] });

/** WARM round trips, then `n` measured, with a fresh child; `done(seconds)`. */
function trips(done) {
  const child = cp.fork(path.join(__dirname, 'cp-fork-echo.js'));
  let i = 0;
  let start = 0;
  child.on('message', (m) => {
    if (m.i !== i) throw new Error(`got ${JSON.stringify(m)} for ${i}`);
    i++;
    if (i === WARM) start = now();
    if (i === WARM + n) {
      child.disconnect();
      done(now() - start);
    } else {
      child.send(message(i));
    }
  });
  child.send(message(0));
}

trips((secs) => {
  emit('cp-fork-ipc/own-child', n, secs);
  trips((secs2) => emit('cp-fork-ipc/node-child', n, secs2));
});
