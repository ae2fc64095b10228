// Twin of examples/dns-query.rs: the same command line, answered by Node v20's dns module.
// dns-query --server HOST:PORT [--timeout MS] [--tries N] [--hex] [--repeat N --inflight K]
//   METHOD NAME [ARG]
'use strict';
const dns = require('dns');

const METHODS = ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname',
  'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv',
  'resolveTxt', 'reverse', 'resolve4-ttl', 'resolve6-ttl', 'lookup', 'lookup-all',
  'lookupService'];

function usage(msg) {
  process.stderr.write(`dns-query: ${msg}\n`);
  process.exit(2);
}

const opts = {};
const pos = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
  if (a === '--server') opts.server = val();
  else if (a === '--timeout') opts.timeout = Number(val());
  else if (a === '--tries') opts.tries = Number(val());
  else if (a === '--hex') opts.hex = true;
  else if (a === '--repeat') { opts.repeat = Number(val()); if (!Number.isInteger(opts.repeat) || opts.repeat < 0) usage('bad --repeat'); }
  else if (a === '--inflight') { opts.inflight = Number(val()); if (!Number.isInteger(opts.inflight) || opts.inflight < 1) usage('bad --inflight'); }
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else pos.push(a);
}
if (pos.length < 2 || pos.length > 3) usage('expected METHOD NAME [ARG]');
const [method, rawName, arg] = pos;
if (!METHODS.includes(method)) usage(`unknown method ${method}`);
if ((opts.repeat === undefined) !== (opts.inflight === undefined)) usage('--repeat and --inflight go together');
let name = rawName;
if (opts.hex) {
  if (!/^([0-9a-fA-F]{2})*$/.test(rawName)) usage('--hex: NAME is not hex');
  name = Buffer.from(rawName, 'hex').toString('utf8');
}

function errorJson(e) {
  const o = { code: e.code };
  if (typeof e.errno === 'number') o.errno = e.errno;
  if (typeof e.syscall === 'string') o.syscall = e.syscall;
  if (typeof e.hostname === 'string') o.hostname = e.hostname;
  return { error: o };
}

function done(code, obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
  process.exitCode = code;
}

let resolver;
function start() {
  if (method === 'lookup' || method === 'lookup-all') {
    const o = arg === undefined ? {} : { family: Number(arg) };
    if (method === 'lookup-all') o.all = true;
    return dns.promises.lookup(name, o);
  }
  if (method === 'lookupService') return dns.promises.lookupService(name, Number(arg));
  if (method === 'resolve') return arg === undefined ? resolver.resolve(name) : resolver.resolve(name, arg);
  if (method === 'resolve4-ttl') return resolver.resolve4(name, { ttl: true });
  if (method === 'resolve6-ttl') return resolver.resolve6(name, { ttl: true });
  return resolver[method](name);
}

try {
  if (!method.startsWith('lookup')) {
    const o = {};
    if (opts.timeout !== undefined) o.timeout = opts.timeout;
    if (opts.tries !== undefined) o.tries = opts.tries;
    resolver = new dns.promises.Resolver(o);
    if (opts.server !== undefined) resolver.setServers([opts.server]);
  }
} catch (e) {
  done(1, errorJson(e));
  return;
}

if (opts.repeat !== undefined) {
  const n = opts.repeat; const k = opts.inflight;
  let started = 0; let ok = 0; let errors = 0;
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (started < n) {
      started++;
      try { await start(); ok++; } catch { errors++; }
    }
  };
  Promise.all(Array.from({ length: Math.min(k, n) }, worker)).then(() => {
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    done(0, { bench: { n, inflight: k, ok, errors, ms } });
  });
} else {
  let p;
  try { p = start(); } catch (e) { done(1, errorJson(e)); return; }
  p.then((r) => done(0, { result: r }), (e) => done(1, errorJson(e)));
}
