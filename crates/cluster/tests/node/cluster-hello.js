// The Node twin of examples/cluster-hello.rs (issue 17's contract): `--port P --workers N
// [--policy rr|shared]`; the primary forks N workers sharing 127.0.0.1:P, prints
// `listening on PORT` once all N listen, re-forks a worker that dies (with the same backoff),
// and on SIGTERM disconnects the workers (in-flight requests finish) and ends with 0; SIGHUP
// restarts the workers one by one.
'use strict';
const cluster = require('cluster');
const http = require('http');
const argv = process.argv.slice(2);
const arg = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };
const port = Number(arg('--port', '0')) | 0;
const n = Math.max(1, Number(arg('--workers', '2')) | 0);
cluster.schedulingPolicy = arg('--policy', 'rr') === 'shared' ? cluster.SCHED_NONE : cluster.SCHED_RR;

if (cluster.isPrimary) {
  let listening = 0;
  let stopping = false;
  const born = new Map();
  let young = 0;
  cluster.on('fork', (w) => born.set(w.id, Date.now()));
  cluster.on('listening', (w, addr) => {
    if (++listening === n) process.stdout.write(`listening on ${addr.port}\n`);
  });
  cluster.on('exit', (w) => {
    const lived = Date.now() - (born.get(w.id) || 0);
    born.delete(w.id);
    if (stopping || w.exitedAfterDisconnect) return;
    let delay = 0;
    if (lived >= 1000) young = 0;
    else delay = young++ === 0 ? 0 : Math.min(5000, 100 * 2 ** Math.min(young - 2, 16));
    setTimeout(() => cluster.fork(), delay);
  });
  process.on('SIGTERM', () => { stopping = true; cluster.disconnect(); });
  // Beyond the contract: SIGHUP restarts the workers gracefully one by one.
  let restarting = false;
  process.on('SIGHUP', async () => {
    if (restarting) return;
    restarting = true;
    for (const old of Object.values(cluster.workers)) {
      const fresh = cluster.fork();
      await new Promise((r) => fresh.once('listening', r));
      await new Promise((r) => { old.once('exit', r); old.disconnect(); });
    }
    restarting = false;
  });
  for (let i = 0; i < n; i++) cluster.fork();
} else {
  const server = http.createServer({
    headersTimeout: 4000, requestTimeout: 10000, keepAliveTimeout: 5000,
    connectionsCheckingInterval: 250,
  }, (req, res) => {
    const q = req.url.indexOf('?');
    const path = q >= 0 ? req.url.slice(0, q) : req.url;
    const hello = () => {
      res.setHeader('Content-Type', 'text/plain');
      res.end(`hello from worker ${cluster.worker.id}`);
    };
    if (req.method === 'GET' && path === '/') {
      hello();
    } else if (req.method === 'GET' && path === '/slow') {
      const m = /^(\d+)$/.exec(new URLSearchParams(req.url.slice(q + 1)).get('ms') || '');
      let ms = m ? Number(m[1]) : 0;
      if (!(ms >= 0 && ms <= 60000)) ms = 0;
      setTimeout(hello, ms);
    } else {
      res.setHeader('Content-Type', 'text/plain');
      res.statusCode = 404;
      res.end('not found');
    }
  });
  server.listen(port, '127.0.0.1');
}
