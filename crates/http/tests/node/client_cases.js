// The client cases of http_client.rs, run by node's http client against client_peer.js
// (its port in argv[2]): each case prints its events and fields, one line each, in order.
'use strict';
const http = require('http');
const port = Number(process.argv[2]);

const u = (v) => (v === undefined ? 'undefined' : v);
const errLine = (e) =>
  `${e.message}|${e.code}|${u(e.errno)}|${u(e.syscall)}|${u(e.address)}|${u(e.port)}|${u(e.hostname)}`;

function run(name, opts, { body, destroyAt, abortAt, onTimeout, continueBody } = {}) {
  return new Promise((resolve) => {
    const out = (s) => console.log(`${name} ${s}`);
    let pending = 2;
    const done = () => { if (--pending === 0) resolve(); };
    const req = http.request({ host: '127.0.0.1', port, agent: false, ...opts }, (res) => {
      out(`response ${res.statusCode} ${res.statusMessage} ${res.httpVersion}`);
      const h = { ...res.headers };
      delete h.date;
      out(`headers ${JSON.stringify(h)}`);
      out(`raw ${JSON.stringify(res.rawHeaders.filter((_, i) => res.rawHeaders[i & ~1].toLowerCase() !== 'date'))}`);
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('aborted', () => out('aborted'));
      res.on('error', (e) => out(`res error ${errLine(e)}`));
      res.on('end', () => out(`end ${JSON.stringify(data)} trailers ${JSON.stringify(res.trailers)} complete ${res.complete}`));
      res.on('close', () => { out('res close'); done(); });
    });
    req.on('error', (e) => out(`error ${errLine(e)}`));
    req.on('abort', () => out('abort'));
    req.on('timeout', () => { out('timeout'); if (onTimeout) onTimeout(req); });
    req.on('close', () => {
      out('close');
      if (!req.res) pending = 1;
      done();
    });
    if (abortAt === 'now') req.abort();
    if (destroyAt === 'now') req.destroy();
    if (continueBody !== undefined) {
      req.on('continue', () => { out('continue'); req.end(continueBody); });
    } else if (body !== undefined) req.end(body); else req.end();
  });
}

(async () => {
  await run('refused', { port: 1 });
  await run('notfound', { host: 'nope.invalid' });
  await run('hello', { path: '/hello' });
  await run('head', { path: '/hello', method: 'HEAD' });
  await run('nocontent', { path: '/204' });
  await run('status', { path: '/status' });
  await run('headers', { path: '/headers', headers: { 'X-One': 'a', Cookie: 'c=1' } });
  await run('chunked', { path: '/chunked' });
  await run('untilclose', { path: '/untilclose' });
  await run('echo', { path: '/echo', method: 'POST' }, { body: 'ping' });
  await run('reset', { path: '/reset' });
  await run('bad', { path: '/bad' });
  await run('badchunk', { path: '/badchunk' });
  await run('half', { path: '/half' });
  await run('timeout', { path: '/slow?ms=300', timeout: 50 }, { onTimeout: (r) => r.destroy() });
  await run('abort', { path: '/hello' }, { abortAt: 'now' });
  await run('destroy', { path: '/hello' }, { destroyAt: 'now' });
  await run('missing', { path: '/nope' });
  await run('continue', { path: '/continue', method: 'POST', headers: { Expect: '100-continue' } }, { continueBody: 'body' });
})();
