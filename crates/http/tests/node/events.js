// The Node twin of the server in tests/http_events.rs: the server events Node has beyond
// `request` (checkContinue, checkExpectation, clientError, upgrade, connect) and
// res.setTimeout / addTrailers / maxRequestsPerSocket, on the routes the test sends.
'use strict';
const http = require('http');
const i = process.argv.indexOf('--max-requests');
const server = http.createServer((req, res) => {
  const path = req.url;
  if (path === '/timeout') {
    res.setTimeout(100, () => {
      res.setHeader('Content-Type', 'text/plain');
      res.end('timed out');
    });
  } else if (path === '/trailers') {
    res.setHeader('Trailer', 'X-Sum');
    res.write('body');
    res.addTrailers({ 'X-Sum': 'abc' });
    res.end();
  } else {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => res.end(`request ${req.method} ${req.url} ${body}`));
  }
});
if (i >= 0) server.maxRequestsPerSocket = Number(process.argv[i + 1]);
if (!process.argv.includes('--plain')) {
  server.on('checkContinue', (req, res) => {
    if (req.url === '/refuse') {
      res.writeHead(417);
      res.end('refused');
      return;
    }
    res.writeContinue();
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => res.end(`continued ${body}`));
  });
  server.on('checkExpectation', (req, res) => {
    res.end(`expectation ${req.headers.expect}`);
  });
  server.on('clientError', (err, socket) => {
    socket.end(`HTTP/1.1 400 Bad Request\r\nX-Code: ${err.code}\r\nX-Message: ${err.message}\r\nContent-Length: 0\r\n` +
      'Connection: close\r\n\r\n');
  });
  server.on('upgrade', (req, socket, head) => {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n');
    socket.write(`head:${head}|`);
    socket.on('data', (d) => socket.write(d));
    socket.on('end', () => socket.end());
  });
  server.on('connect', (req, socket, head) => {
    socket.end(`HTTP/1.1 200 Connection Established\r\n\r\nconnect ${req.url} head:${head}|`);
  });
}
server.listen(0, '127.0.0.1', () => {
  process.stdout.write('listening on ' + server.address().port + '\n');
});
