// The Node twin of the server in tests/http_events.rs: the server events Node has beyond
// `request` (checkContinue, checkExpectation, clientError, upgrade, connect) and
// res.setTimeout / addTrailers / maxRequestsPerSocket, on the routes the test sends; with
// `--many`, more listeners of each event (on, once, off).
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
if (process.argv.includes('--many')) {
  // More listeners of every event, added after the ones above: each runs too, in order;
  // a removed one never; a `once` one for the first emit only. Every response that has not
  // gone yet says how many listeners each event has and what the log holds so far.
  const log = [];
  const NAMES = ['request', 'connection', 'listening', 'close', 'error', 'checkContinue',
    'checkExpectation', 'clientError', 'upgrade', 'connect'];
  const tell = (res) => {
    if (res.headersSent) return;
    res.setHeader('X-Counts', NAMES.map((n) => `${n}=${server.listenerCount(n)}`).join(','));
    res.setHeader('X-Log', log.join(','));
  };
  server.on('request', (req, res) => tell(res));
  server.once('request', (req, res) => { if (!res.headersSent) res.setHeader('X-Once', 'yes'); });
  const removed = () => log.push('removed');
  server.on('request', removed);
  server.off('request', removed);
  server.on('connection', () => log.push('connection 2'));
  server.once('connection', () => log.push('connection once'));
  server.on('listening', () => log.push('listening 2'));
  server.once('listening', () => log.push('listening once'));
  server.on('checkContinue', (req, res) => { log.push('checkContinue 2'); tell(res); });
  server.on('checkExpectation', () => log.push('checkExpectation 2'));
  server.on('clientError', (err) => log.push(`clientError 2 ${err.code}`));
  server.on('upgrade', (req) => log.push(`upgrade 2 ${req.url}`));
  server.on('connect', (req) => log.push(`connect 2 ${req.url}`));
}
server.listen(0, '127.0.0.1', () => {
  process.stdout.write('listening on ' + server.address().port + '\n');
});
