// The node server our http client is tested against (http_client.rs), and, with
// `--https KEY CERT`, the same routes over TLS. Prints `listening on PORT`.
'use strict';
const http = require('http');
const https = require('https');
const fs = require('fs');

let connections = 0;
const routes = {
  '/hello': (req, res) => res.end('hello world'),
  '/conn': (req, res) => res.end(String(connections)),
  '/chunked': (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', Trailer: 'X-Sum' });
    res.write('ab');
    res.write('cd');
    res.addTrailers({ 'X-Sum': 'abcd' });
    res.end();
  },
  '/echo': (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    req.pipe(res);
  },
  '/upload': (req, res) => {
    let n = 0;
    let sum = 0;
    req.on('data', (d) => { n += d.length; for (const b of d) sum = (sum + b) % 65521; });
    req.on('end', () => res.end(`${n} ${sum} ${req.headers['transfer-encoding'] || '-'} ${req.headers['content-length'] || '-'}`));
  },
  '/big': (req, res) => {
    const block = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < block.length; i++) block[i] = i % 251;
    res.writeHead(200, { 'Content-Length': 10 * block.length });
    let left = 10;
    const more = () => {
      while (left > 0) {
        left--;
        if (!res.write(block)) return res.once('drain', more);
      }
      res.end();
    };
    more();
  },
  '/slow': (req, res) => setTimeout(() => res.end('slow'), Number(new URL(req.url, 'http://x').searchParams.get('ms'))),
  '/reset': (req, res) => req.socket.destroy(),
  '/half': (req, res) => {
    res.writeHead(200, { 'Content-Length': 10 });
    res.write('abc');
    setTimeout(() => req.socket.destroy(), 20);
  },
  '/bad': (req, res) => req.socket.end('HTTP/1.1 abc OK\r\n\r\n'),
  '/badchunk': (req, res) => req.socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'),
  '/untilclose': (req, res) => req.socket.end('HTTP/1.1 200 OK\r\n\r\nuntil close'),
  '/headers': (req, res) => {
    res.setHeader('Set-Cookie', ['a=1', 'b=2']);
    res.setHeader('X-Dup', ['1', '2']);
    res.setHeader('Content-Type', 'text/plain');
    res.end(JSON.stringify(req.headers));
  },
  '/204': (req, res) => { res.statusCode = 204; res.end(); },
  '/continue': (req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => res.end(`got ${body}`));
  },
  '/status': (req, res) => { res.statusCode = 418; res.statusMessage = 'Teapot Here'; res.end(); },
};

function handler(req, res) {
  const path = req.url.split('?')[0];
  const r = routes[path];
  if (r) r(req, res); else { res.statusCode = 404; res.end('not found'); }
}

const server = process.argv[2] === '--https'
  ? https.createServer({ key: fs.readFileSync(process.argv[3]), cert: fs.readFileSync(process.argv[4]) }, handler)
  : http.createServer(handler);
server.on('connection', () => { connections++; });
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
