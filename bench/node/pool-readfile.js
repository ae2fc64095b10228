// pool-readfile: 20,000 files of 1 KiB (2,000 --quick) read with fs.readFile, 64 in flight,
// then with fs.promises.readFile from 64 async loops, over $TMPDIR/nodestd-bench-files-20000.
'use strict';
const fs = require('fs');
const { size, now, emit, files } = require('./common.js');

const paths = files(20_000);
const n = size(20_000);

function callbackRun(n, done) {
  let issued = 0;
  let finished = 0;
  const t = now();
  const next = () => {
    if (issued >= n) return;
    const i = issued++;
    fs.readFile(paths[i], (err, data) => {
      if (err) throw err;
      if (data.length !== 1024) throw new Error('short read');
      finished++;
      if (finished === n) done(now() - t);
      else next();
    });
  };
  for (let k = 0; k < Math.min(64, n); k++) next();
}

async function promiseRun(n) {
  let next = 0;
  const t = now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const data = await fs.promises.readFile(paths[i]);
      if (data.length !== 1024) throw new Error('short read');
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  return now() - t;
}

callbackRun(Math.floor(n / 10), () =>
  callbackRun(n, async (secs) => {
    emit('pool-readfile/callback', n, secs);
    await promiseRun(Math.floor(n / 10));
    emit('pool-readfile/promise', n, await promiseRun(n));
  }),
);
