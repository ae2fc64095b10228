// startup: the cost of a process (crates/bench/src/startup.rs is the Rust side).
// startup/start-exit: `node -e 0` started and waited for 50 times in a row (5 --quick),
// runs/s (fewer runs than the Rust side's 200: each takes tens of ms). startup/rss: the peak resident set of `node -e …` as it ends, MiB
// (process.resourceUsage().maxRSS).
'use strict';
const { spawnSync } = require('child_process');
const { size, now, emit } = require('./common.js');

const n = size(50);
const run = (n) => {
  const start = now();
  for (let i = 0; i < n; i++) {
    const r = spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`node -e 0 ended with ${r.status}`);
  }
  return now() - start;
};
run(Math.max(1, Math.floor(n / 10)));
emit('startup/start-exit', n, run(n));
const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.resourceUsage().maxRSS))']);
const kib = Number(r.stdout.toString());
console.log(JSON.stringify({ workload: 'startup/rss', unit: 'MiB', value: kib / 1024 }));
