// Driver for crates/conformance/tests/url_whatwg_differential.rs: reads one JSON request per
// line on stdin and writes one JSON answer per line, computed by Node's WHATWG URL API:
// {"r": result} or {"t": code} (the error's code, or its name when it has none).
//
// Requests (`k` is the kind):
//   {"k":"url","i":input,"b":base?}            new URL(input, base) -> the eleven fields
//   {"k":"set","i":input,"f":field,"v":value}  fields after url[field] = value
//   {"k":"usp","init":string,"ops":[...]}      URLSearchParams operations, one answer each
//   {"k":"sp","i":input,"ops":[...]}           the same on url.searchParams, with url.href
//   {"k":"dom","i":domain}                     [domainToASCII, domainToUnicode]
//   {"k":"f2p","i":input}                      fileURLToPath(input)
//   {"k":"p2f","i":path}                       pathToFileURL(path).href, cwd /tmp/cwdfix
//   {"k":"fmt","i":input,"o":options}          url.format(new URL(input), options)
//   {"k":"http","i":input}                     urlToHttpOptions(new URL(input))
'use strict';

const url = require('url');
const readline = require('readline');

process.cwd = () => '/tmp/cwdfix';

const FIELDS = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname',
  'port', 'pathname', 'search', 'hash'];

function fields(u) {
  const out = {};
  for (const f of FIELDS) out[f] = u[f];
  return out;
}

function thrown(e) {
  return { t: e.code || e.name };
}

function runOps(params, ops, after) {
  const out = [];
  for (const op of ops) {
    const [name, ...a] = op;
    let r;
    switch (name) {
      case 'append': params.append(a[0], a[1]); r = after(); break;
      case 'delete': a.length > 1 ? params.delete(a[0], a[1]) : params.delete(a[0]); r = after(); break;
      case 'set': params.set(a[0], a[1]); r = after(); break;
      case 'sort': params.sort(); r = after(); break;
      case 'get': r = params.get(a[0]); break;
      case 'getAll': r = params.getAll(a[0]); break;
      case 'has': r = a.length > 1 ? params.has(a[0], a[1]) : params.has(a[0]); break;
      case 'size': r = params.size; break;
      case 'entries': r = [...params.entries()]; break;
      default: throw new Error(`unknown op ${name}`);
    }
    out.push(r);
  }
  return out;
}

function answer(q) {
  try {
    return { r: compute(q) };
  } catch (e) {
    if (e.message && e.message.startsWith('unknown')) throw e;
    return thrown(e);
  }
}

function compute(q) {
  switch (q.k) {
    case 'url':
      return fields(q.b === undefined ? new URL(q.i) : new URL(q.i, q.b));
    case 'set': {
      const u = new URL(q.i);
      u[q.f] = q.v;
      return fields(u);
    }
    case 'usp': {
      const p = new URLSearchParams(q.init);
      return runOps(p, q.ops, () => p.toString());
    }
    case 'sp': {
      const u = new URL(q.i);
      const r = runOps(u.searchParams, q.ops, () => u.href);
      // Then the other direction: a new search shows in searchParams.
      u.search = q.search;
      r.push([u.href, u.searchParams.toString()]);
      return r;
    }
    case 'dom':
      return [url.domainToASCII(q.i), url.domainToUnicode(q.i)];
    case 'f2p':
      return url.fileURLToPath(q.i);
    case 'p2f':
      return url.pathToFileURL(q.i).href;
    case 'fmt':
      return url.format(new URL(q.i), q.o);
    case 'http': {
      const o = url.urlToHttpOptions(new URL(q.i));
      return { ...o };
    }
    default:
      throw new Error(`unknown kind ${q.k}`);
  }
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
const out = [];
rl.on('line', (line) => {
  if (line.trim() === '') return;
  out.push(JSON.stringify(answer(JSON.parse(line))));
});
rl.on('close', () => {
  process.stdout.write(out.join('\n') + '\n');
});
