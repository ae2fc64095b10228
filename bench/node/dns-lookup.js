// dns-lookup: 20,000 dns.lookup('localhost', cb) (2,000 --quick), 64 in flight: getaddrinfo on
// libuv's thread pool (slow work: at most half of its 4 threads).
'use strict';
const dns = require('dns');
const { size, now, emit } = require('./common.js');

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
const n = size(20_000);
const lookup = (done) =>
  dns.lookup('localhost', (err) => {
    if (err) throw err;
    done();
  });
inFlight(Math.floor(n / 10), 64, lookup, () =>
  inFlight(n, 64, lookup, (secs) => emit('dns-lookup/callback', n, secs)),
);
