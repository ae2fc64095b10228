// The chained and batch cases shared by the loop workloads (crates/bench/src/main.rs's
// `chained` and `batch`).
'use strict';
const { now } = require('./common.js');

/** `n` callbacks, each scheduling the next with `schedule`; `done(seconds)` after the last. */
function chained(schedule, n, done) {
  let count = 0;
  const start = now();
  function step() {
    if (++count < n) schedule(step);
    else done(now() - start);
  }
  schedule(step);
}

/** `n` callbacks scheduled at once with `schedule`; `done(seconds)` after the last. */
function batch(schedule, n, done) {
  let count = 0;
  const start = now();
  const inc = () => {
    if (++count === n) done(now() - start);
  };
  for (let i = 0; i < n; i++) schedule(inc);
}

module.exports = { chained, batch };
