// tests/net_event_order.rs's writeAfterFIN scenario: a server socket (allowHalfOpen false)
// written to after the peer's FIN has ended its writable side.
'use strict';
const net = require('net');
const log = (s) => console.log(s);
const s = net.createServer((c) => {
  c.on('data', () => {});
  c.on('end', () => {
    setImmediate(() => {
      log('writableEnded ' + c.writableEnded);
      const r = c.write('late', (e) => log('cb ' + e.message + ' ' + e.code));
      log('write returned ' + r + ' destroyed ' + c.destroyed);
    });
  });
  c.on('close', (h) => { log('close ' + h); s.close(); });
});
s.listen(0, '127.0.0.1', () => {
  const k = net.connect({ port: s.address().port, host: '127.0.0.1', allowHalfOpen: true });
  k.on('data', () => {});
  k.end('x');
});
