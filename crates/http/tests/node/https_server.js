// The Node twin of the https server in tests/https_server.rs: https.createServer(KEY, CERT)
// with short timeouts; prints `listening on PORT`, and `closed` once server.close() is done.
'use strict';
const https = require('https');
const fs = require('fs');

const server = https.createServer({
  key: fs.readFileSync(process.argv[2]),
  cert: fs.readFileSync(process.argv[3]),
  headersTimeout: 1000,
  requestTimeout: 2000,
  keepAliveTimeout: 1500,
  connectionsCheckingInterval: 100,
}, (req, res) => {
  const s = req.socket;
  if (req.url === '/peer') {
    res.end(`${s.remoteAddress} ${s.remotePort} ${s.encrypted}`);
  } else if (req.url === '/close') {
    server.close(() => console.log('closed'));
    res.end('closing');
  } else {
    let n = 0;
    req.on('data', (d) => { n += d.length; });
    req.on('end', () => res.end(`hello ${req.method} ${req.url} ${n}`));
  }
});
server.listen(0, '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
