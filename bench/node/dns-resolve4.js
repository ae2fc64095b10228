// dns-resolve4: 50,000 resolver.resolve4('a.test', cb) (5,000 --quick), 64 in flight, on one
// dns.Resolver pointed at the bench's loopback DNS server: `nodestd-bench --dns-server` (built
// by `cargo xtask bench` before this script runs), the same server process the Rust side uses.
'use strict';
const dns = require('dns');
const path = require('path');
const { spawn } = require('child_process');
const { size, now, emit } = require('./common.js');

const root = path.join(__dirname, '..', '..');
const target = process.env.CARGO_TARGET_DIR
  ? path.resolve(root, process.env.CARGO_TARGET_DIR)
  : path.join(root, 'target');
const server = spawn(path.join(target, 'release', 'nodestd-bench'), ['--dns-server'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});

function inFlight(n, outstanding, start, done) {
  let issued = 0;
  let finished = 0;
  const t = now();
  const next = () => {
    if (issued >= n) return;
    issued++;
    start(() => {
      finished++;
      if (finished === n) done(now() - t);
      else next();
    });
  };
  for (let k = 0; k < Math.min(outstanding, n); k++) next();
}

server.stdout.once('data', (port) => {
  const resolver = new dns.Resolver();
  resolver.setServers([`127.0.0.1:${String(port).trim()}`]);
  const n = size(50_000);
  const resolve4 = (done) =>
    resolver.resolve4('a.test', (err, addresses) => {
      if (err) throw err;
      if (addresses.length !== 2) throw new Error(`unexpected answer ${addresses}`);
      done();
    });
  inFlight(Math.floor(n / 10), 64, resolve4, () =>
    inFlight(n, 64, resolve4, (secs) => {
      emit('dns-resolve4/callback', n, secs);
      server.stdin.end();
    }),
  );
});
