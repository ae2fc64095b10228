// pool-stat: 200,000 fs.stat callbacks (20,000 --quick), 256 in flight, over 1,000 files of
// 1 KiB in $TMPDIR/nodestd-bench-files-1000 (made by whichever side runs first).
'use strict';
const fs = require('fs');
const { size, now, emit, files } = require('./common.js');

const paths = files(1000);
function inFlight(n, outstanding, start, done) {
  let issued = 0;
  let finished = 0;
  const t = now();
  const next = () => {
    if (issued >= n) return;
    const i = issued++;
    start(i, () => {
      finished++;
      if (finished === n) done(now() - t);
      else next();
    });
  };
  for (let k = 0; k < Math.min(outstanding, n); k++) next();
}
const n = size(200_000);
const stat = (i, done) =>
  fs.stat(paths[i % paths.length], (err) => {
    if (err) throw err;
    done();
  });
inFlight(Math.floor(n / 10), 256, stat, () =>
  inFlight(n, 256, stat, (secs) => emit('pool-stat/callback', n, secs)),
);
