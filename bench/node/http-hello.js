// The Node side of the http-hello workload (crates/bench/src/net.rs): Node's twin of the
// http-hello example (crates/http/tests/node/http-hello.js) under wrk (64 connections, 10 s;
// 2 s with --quick), then the RSS of a fresh twin holding 10,000 idle keep-alive connections.
'use strict';
const { spawnSync, execSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const { quick } = require('./common');
const { start: startTwin, wrk } = require('./http-server');

const IDLE = 10000;
const GET = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
const TWIN = 'crates/http/tests/node/http-hello.js';

function emitValue(workload, unit, value) {
  console.log(JSON.stringify({ workload, unit, value }));
}

function stop(server) {
  server.child.kill('SIGKILL');
}

function rssMib(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s*(\d+) kB/.exec(status)[1]) / 1024;
}

/** net.rs's idle_count: 10,000, or what the open-files limit leaves room for. */
function idleCount() {
  const limit = Number(execSync('ulimit -n', { shell: '/bin/sh', encoding: 'utf8' }).trim());
  const room = Math.max(0, limit - 100);
  if (room < IDLE) {
    const n = Math.floor(room / 1000) * 1000;
    console.error(`http-hello: the open-files limit is ${limit}: ${n} idle connections, ` +
      `not ${IDLE} (raise the hard limit for the full case)`);
    return n;
  }
  return IDLE;
}

/** One connection with one GET / answered, kept open. */
function idleConnection(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(GET));
    let got = '';
    const onData = (d) => {
      got += d.toString('latin1');
      if (got.includes('\r\n\r\n') && got.endsWith('hello world')) {
        s.removeListener('data', onData);
        if (!got.startsWith('HTTP/1.1 200 OK\r\n')) reject(new Error('bad answer: ' + got));
        else resolve(s);
      }
    };
    s.on('data', onData);
    s.on('error', reject);
    s.on('close', () => reject(new Error('the server closed an idle connection')));
  });
}

async function idleConnections(port, n) {
  const BATCH = 256;
  const conns = [];
  while (conns.length < n) {
    const k = Math.min(BATCH, n - conns.length);
    const batch = [];
    for (let i = 0; i < k; i++) batch.push(idleConnection(port));
    conns.push(...(await Promise.all(batch)));
  }
  return conns;
}

async function main() {
  let server = await startTwin(TWIN, []);
  if (!quick) wrk(server.port, 1);
  const r = wrk(server.port, quick ? 2 : 10);
  emitValue('http-hello', 'req/s', r.reqPerSec);
  emitValue('http-hello/p99', 'ms', r.p99Ms);
  // The same req/s under the floor's name: nodestd-bench's `http-hello@floor` (a bare epoll
  // server, no nodestd code) is divided by it.
  emitValue('http-hello@floor', 'req/s', r.reqPerSec);
  stop(server);

  const n = idleCount();
  server = await startTwin(TWIN, []);
  const conns = await idleConnections(server.port, n);
  await new Promise((res) => setTimeout(res, 200));
  emitValue(`http-hello/rss-${n / 1000}k-idle`, 'MiB', rssMib(server.child.pid));
  stop(server);
  for (const s of conns) {
    s.removeAllListeners('close');
    s.destroy();
  }
}

if (process.env.NODESTD_BENCH_NOFILE !== '1') {
  // Node cannot raise its own open-files limit: run again under a shell that has raised
  // the soft limit to the hard one (as net.rs's raise_nofile does).
  const r = spawnSync('/bin/sh', ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh',
    process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit', env: { ...process.env, NODESTD_BENCH_NOFILE: '1' },
  });
  process.exit(r.status === null ? 1 : r.status);
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
