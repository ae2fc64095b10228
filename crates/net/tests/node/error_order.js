// The error-order scenario of tests/net_event_order.rs: a refused connect, a busy listen
// and a socket destroyed with an error, with nextTick and setImmediate logged around.
'use strict';
const net = require('net');
const log = (s) => console.log(s);
const [busyPort] = process.argv.slice(2).map(Number);
const c = net.connect(1, '127.0.0.1');
c.on('error', (e) => {
  log('refused error ' + e.message);
  process.nextTick(() => log('tick after refused error'));
  setImmediate(() => log('immediate after refused error'));
});
c.on('close', (h) => {
  log('refused close ' + h);
  const s = net.createServer();
  s.on('error', (e) => {
    log('listen error ' + e.message + ' listening ' + s.listening);
    const t = new net.Socket();
    t.on('error', (e2) => log('destroyed error ' + e2.message));
    // hadError is undefined here in node (no handle); printed as a boolean in both.
    t.on('close', (h2) => log('destroyed close ' + Boolean(h2)));
    t.destroy(Object.assign(new Error('boom'), { code: 'EBOOM' }));
    process.nextTick(() => log('tick after destroy'));
    log('destroy called');
  });
  s.listen(busyPort);
  process.nextTick(() => log('tick after listen'));
});
process.nextTick(() => log('tick main'));
setImmediate(() => log('immediate main'));
log('main end');
