// The Node twin of examples/http-hello.rs: the contract in issue 14, for the differential.
'use strict';
const { serve } = require('./contract');
serve((req, res) => {
  const q = req.url.indexOf('?');
  const path = q >= 0 ? req.url.slice(0, q) : req.url;
  if (req.method === 'GET' && path === '/') {
    res.setHeader('Content-Type', 'text/plain');
    res.end('hello world');
  } else if (req.method === 'POST' && path === '/echo') {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    req.pipe(res);
  } else if (req.method === 'GET' && path === '/headers') {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(req.headers));
  } else if (req.method === 'GET' && path === '/slow') {
    const m = /^(\d+)$/.exec(new URLSearchParams(req.url.slice(q + 1)).get('ms') || '');
    let ms = m ? Number(m[1]) : 0;
    if (!(ms >= 0 && ms <= 60000)) ms = 0;
    setTimeout(() => {
      res.setHeader('Content-Type', 'text/plain');
      res.end('slept ' + ms);
    }, ms);
  } else {
    res.setHeader('Content-Type', 'text/plain');
    res.statusCode = 404;
    res.end('not found');
  }
});
