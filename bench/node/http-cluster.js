// The Node side of the http-cluster workload (crates/bench/src/cluster.rs): Node's cluster twin
// of the cluster-hello example (crates/cluster/tests/node/cluster-hello.js, 2 workers,
// round-robin) under wrk (64 connections, 10 s; 2 s with --quick).
'use strict';
const { quick } = require('./common');
const { start, wrk } = require('./http-server');

const TWIN = 'crates/cluster/tests/node/cluster-hello.js';

async function main() {
  const server = await start(TWIN, ['--workers', '2']);
  if (!quick) wrk(server.port, 1);
  const r = wrk(server.port, quick ? 2 : 10);
  console.log(JSON.stringify({ workload: 'http-cluster', unit: 'req/s', value: r.reqPerSec }));
  // SIGTERM: the primary disconnects its workers and ends.
  server.child.kill('SIGTERM');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
