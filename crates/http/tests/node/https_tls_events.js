// The twin of tests/https_tls_events.rs's server: an https server with
// handshakeTimeout 300 ms that prints one line per TLS event. argv: KEY CERT MODE, MODE
// `plain` (no clientError listener) or `clienterror` (a clientError listener that logs, then
// destroys the socket). Prints `listening on PORT`, the listener counts, then the events.
'use strict';
const https = require('https');
const fs = require('fs');
const [key, cert, mode] = process.argv.slice(2);
const server = https.createServer(
  { key: fs.readFileSync(key), cert: fs.readFileSync(cert), handshakeTimeout: 300 },
  (req, res) => {
    console.log(`request ${req.url} encrypted=${req.socket.encrypted === true}`);
    res.setHeader('Connection', 'close');
    res.end('hello');
  });
// OpenSSL names each failure; rustls's differ: only the family is compared.
const code = (e) => (/^ERR_SSL/.test(e.code) ? 'ERR_SSL*' : e.code);
const counts = ['secureConnection', 'tlsClientError', 'clientError']
  .map((e) => `${e}=${server.listenerCount(e)}`).join(' ');
server.on('secureConnection', (s) => console.log(`secureConnection encrypted=${s.encrypted === true}`));
server.on('tlsClientError', (e, s) => {
  const msg = code(e) === 'ERR_SSL*' ? '*' : e.message;
  console.log(`tlsClientError ${code(e)} ${JSON.stringify(msg)} destroyed=${s.destroyed}`);
});
if (mode === 'clienterror') {
  server.on('clientError', (e, s) => {
    console.log(`clientError ${code(e)} destroyed=${s.destroyed}`);
    s.destroy();
  });
}
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
  console.log(`counts ${counts}`);
});
process.stdin.on('data', () => {});
process.stdin.on('end', () => process.exit(0));
